"""The JSON-stat 2.0 decoder, on SSB's real responses and on generated cubes."""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retning.stats.sources.jsonstat import JsonStatError, decode

WIRE = Path(__file__).resolve().parents[1] / "fixtures/ssb"


def test_decode_real_ssb_response_keeps_status_symbols_as_reasons():
    raw = (WIRE / "05300_jsonstat2_response.json").read_bytes()
    doc = json.loads(raw)
    cells = list(decode(raw).cells())
    assert len(cells) == len(doc["value"])
    assert cells[0].value == Decimal(str(doc["value"][0]))
    for position, symbol in doc["status"].items():
        cell = cells[int(position)]
        if doc["value"][int(position)] is None:
            assert cell.value is None
            assert f"'{symbol}'" in cell.missing_reason
    assert cells[0].coordinates["Tid"] == next(iter(doc["dimension"]["Tid"]["category"]["index"]))


def test_decode_real_metadata_document_without_values():
    raw = (WIRE / "MetadataById_tab004_js2.json").read_bytes()
    data = decode(raw, metadata=True)
    assert [d.id for d in data.dimensions] == json.loads(raw)["id"]
    assert data.dimension("SECTOR").elimination is False


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda d: d.update(size=d["size"][:-1]), "'size'"),
        (lambda d: d.update(value=d["value"][:-1]), "'value' has"),
        (lambda d: d.update({"class": "collection"}), "not a JSON-stat dataset"),
        (lambda d: d["value"].__setitem__(0, "abc"), "value[0]"),
    ],
)
def test_decode_malformed_document_says_what_is_wrong(mutate, words):
    doc = json.loads((WIRE / "05300_jsonstat2_response.json").read_bytes())
    mutate(doc)
    with pytest.raises(JsonStatError, match=words.replace("[", r"\[")):
        decode(json.dumps(doc).encode())


def test_decode_invalid_json_is_refused():
    with pytest.raises(JsonStatError, match="not valid JSON"):
        decode(b'{"class": "dataset", "id": [')


values = st.one_of(st.none(), st.integers(-(10**9), 10**9))


@st.composite
def synthetic_cubes(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    ids = [f"D{i}" for i in range(len(sizes))]
    codes = [[f"c{i}{j}" for j in range(size)] for i, size in enumerate(sizes)]
    total = 1
    for size in sizes:
        total *= size
    cells = draw(st.lists(values, min_size=total, max_size=total))
    symbols = {
        str(i): draw(st.sampled_from([".", "..", ":"])) for i, v in enumerate(cells) if v is None
    }
    sparse = draw(st.booleans())
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": ids,
        "size": sizes,
        "dimension": {
            d: {"category": {"index": {c: k for k, c in enumerate(cs)}}}
            for d, cs in zip(ids, codes, strict=True)
        },
        "value": {str(i): v for i, v in enumerate(cells) if v is not None} if sparse else cells,
        "status": symbols,
    }
    return doc, ids, codes, cells


@given(synthetic_cubes())
def test_decode_any_cube_gives_every_cell_at_its_coordinates(cube):
    doc, ids, codes, cells = cube
    decoded = list(decode(json.dumps(doc).encode()).cells())
    assert len(decoded) == len(cells)
    for cell, combination, value in zip(decoded, itertools.product(*codes), cells, strict=True):
        assert cell.coordinates == dict(zip(ids, combination, strict=True))
        assert cell.value == (None if value is None else Decimal(value))
        assert (cell.missing_reason != "") == (value is None)


def test_decode_keeps_the_elimination_value_and_code_lists_of_real_documents():
    data = decode((WIRE / "07221_jsonstat2_response.json").read_bytes())
    region = data.dimension("Region")
    assert (region.elimination, region.elimination_code) == (True, "TOTAL")
    assert data.dimension("Boligtype").elimination_code == ""
    metadata = decode((WIRE / "TAB6471_metadata.json").read_bytes(), metadata=True)
    assert metadata.dimension("Region").codelists == (
        "vs_CKM01Riket",
        "vs_CKM02Län",
        "vs_CKM03Kommun",
    )
    assert metadata.dimension("Kon").codelists == ()
