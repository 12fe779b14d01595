"""Streaming the register's bulk files: exactly the region's units, every record counted,
and bad files refused with the position of the problem."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from retning.business.brreg import (
    BulkFileError,
    BulkSummary,
    iter_region_units,
    unit_from_record,
)
from tests.stats.synthetic_brreg import REGION_CODES, synthetic_units, write_synthetic_bulk

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "brreg"


def read(path: Path, kind: str = "enhet", codes=REGION_CODES):
    summary = BulkSummary()
    with path.open("rb") as handle:
        units = list(iter_region_units(handle, codes, kind, summary))
    return units, summary


def gz(records: list[dict]) -> io.BytesIO:
    return io.BytesIO(gzip.compress(json.dumps(records, ensure_ascii=False, indent=2).encode()))


def test_register_download_fixture_is_read():
    units, summary = read(
        FIXTURES / "underenheter-lastned-anonymised.json.gz", "underenhet", ["3025"]
    )
    assert summary.records_read == 2
    # the second establishment has no location address, only a postal one
    assert [(u.orgnr, u.municipality_code, u.nace, u.employees, u.parent_orgnr) for u in units] == [
        ("123456789", "3025", ("71.112",), 2, "999999999")
    ]


def test_documentation_example_enterprise_is_understood():
    record = json.loads((FIXTURES / "enhet-docs-example.json").read_text())
    unit = unit_from_record(record, "enhet")
    assert unit.orgnr == record["organisasjonsnummer"]
    assert unit.municipality_code == record["forretningsadresse"]["kommunenummer"]
    assert unit.org_form == record["organisasjonsform"]["kode"]


@pytest.mark.parametrize("kind", ["enhet", "underenhet"])
def test_generated_file_keeps_exactly_the_region_units(tmp_path, kind):
    path = tmp_path / f"synthetic_{kind}.json.gz"
    expected = write_synthetic_bulk(path, 20_000, kind=kind)
    units, summary = read(path, kind)
    assert summary.records_read == expected.total == 20_000
    assert {u.orgnr for u in units} == expected.orgnrs_in_region
    assert summary.kept == len(expected.orgnrs_in_region) > 50
    assert summary.per_municipality == expected.in_region


def test_small_chunks_give_the_same_result(tmp_path, monkeypatch):
    path = tmp_path / "synthetic_enheter.json.gz"
    write_synthetic_bulk(path, 3_000)
    whole, _ = read(path)
    monkeypatch.setattr("retning.business.brreg.IN_CHUNK", 997)  # records split anywhere
    monkeypatch.setattr("retning.business.brreg.OUT_CHUNK", 1499)
    pieces, summary = read(path)
    assert pieces == whole and summary.records_read == 3_000


def test_postal_address_in_region_is_not_enough():
    [(record, _)] = list(synthetic_units(1, seed=1))
    record["forretningsadresse"]["kommunenummer"] = "0301"
    record["postadresse"]["kommunenummer"] = "3401"
    units = list(iter_region_units(gz([record]), REGION_CODES, "enhet"))
    assert units == []


def test_deleted_unit_keeps_its_deletion_date():
    [(record, _)] = list(synthetic_units(1, seed=3))
    record["forretningsadresse"]["kommunenummer"] = "3417"
    record["slettedato"] = "2023-06-30"
    [unit] = iter_region_units(gz([record]), REGION_CODES, "enhet")
    assert str(unit.deleted) == "2023-06-30"


def test_truncated_gzip_is_refused(tmp_path):
    path = tmp_path / "synthetic_enheter.json.gz"
    write_synthetic_bulk(path, 2_000)
    data = path.read_bytes()
    with pytest.raises(BulkFileError, match="truncated"):
        list(iter_region_units(io.BytesIO(data[: len(data) // 2]), REGION_CODES, "enhet"))


def test_malformed_unit_is_reported_with_its_record_number():
    records = [record for record, _ in synthetic_units(5, seed=5)]
    for record in records:
        record["forretningsadresse"]["kommunenummer"] = "3401"
    text = json.dumps(records, indent=2)
    broken = text.replace('"navn": "SYNTETISK ENHET 3 AS"', '"navn": "SYNTETISK ENHET 3 AS" "x"')
    with pytest.raises(BulkFileError, match=r"malformed unit.*record 4"):
        list(iter_region_units(io.BytesIO(gzip.compress(broken.encode())), REGION_CODES, "enhet"))


def test_unknown_field_in_a_kept_unit_is_reported():
    [(record, _)] = list(synthetic_units(1, seed=7))
    record["forretningsadresse"]["kommunenummer"] = "3418"
    record["nyttFelt"] = 1
    with pytest.raises(BulkFileError, match=r"unknown field\(s\) nyttFelt.*record 1"):
        list(iter_region_units(gz([record]), REGION_CODES, "enhet"))


def test_not_a_json_array_is_refused():
    with pytest.raises(BulkFileError, match="not a JSON array"):
        list(
            iter_region_units(
                io.BytesIO(gzip.compress(b"<html>error</html>")), REGION_CODES, "enhet"
            )
        )
