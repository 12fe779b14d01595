"""Business structure by focus area: NACE mapping and the focus-area page."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from retning.business.structure import focus_area_of
from tests.stats.synthetic_brreg import synthetic_units

MAPPING = [("bio", ["01", "02", "10", "16"]), ("industri", ["25", "28"]), ("it", ["62", "63.1"])]


@pytest.mark.parametrize(
    "nace,expected",
    [("16.101", "bio"), ("25.110", "industri"), ("62.010", "it"), ("63.110", "it"),
     ("63.910", None), ("47.111", None), ("161.00", None)],
)  # fmt: skip
def test_focus_area_of_register_codes(nace, expected):
    assert focus_area_of(nace, MAPPING) == expected


def test_most_specific_code_wins():
    assert focus_area_of("16.101", [("a", ["16"]), ("b", ["16.1"])]) == "b"


@pytest.mark.django_db
def test_focus_area_page_counts_establishments_and_employees_per_municipality(
    client, loaded_strategy, tmp_path
):
    records = [record for record, _ in synthetic_units(4, "underenhet", seed=5)]
    # two establishments in manufacturing (industriutvikling: 25) in Grue, one in Åsnes,
    # one in retail (47, no focus area)
    for record, code, nace, employees in zip(
        records,
        ["3417", "3417", "3418", "3417"],
        ["25.110", "28.300", "25.990", "47.111"],
        [12, 3, 40, 7],
        strict=True,
    ):
        record["beliggenhetsadresse"]["kommunenummer"] = code
        record["naeringskode1"]["kode"] = nace
        record["antallAnsatte"] = employees
        record.pop("slettedato", None)
    path = tmp_path / "synthetic_underenheter.json.gz"
    path.write_bytes(gzip.compress(json.dumps(records).encode()))
    call_command("import_brreg", str(path), stdout=io.StringIO())
    html = client.get("/fokusomrader/industriutvikling/").content.decode()
    assert '<tr><th scope="row">Grue</th><td class="num">2</td><td class="num">15</td></tr>' in html
    assert (
        '<tr><th scope="row">Åsnes</th><td class="num">1</td><td class="num">40</td></tr>' in html
    )
    assert (
        '<tr><th scope="row">Regionen</th><td class="num">3</td><td class="num">55</td></tr>'
        in html
    )
    assert "Kilde: Enhetsregisteret (Brønnøysundregistrene), NLOD 2.0" in html
    retail = client.get("/fokusomrader/logistikk/").content.decode()
    assert (
        '<tr><th scope="row">Regionen</th><td class="num">0</td><td class="num">0</td></tr>'
        in retail
    )


@pytest.mark.django_db
def test_focus_area_page_without_register_data_says_so_and_staff_see_how_to_get_it(
    client, loaded_strategy
):
    html = client.get("/fokusomrader/bygg-og-anlegg/").content.decode()
    assert "Ingen data fra Enhetsregisteret er importert ennå." in html
    assert "retning import-brreg" not in html
    client.force_login(get_user_model().objects.create_user("sekretariat", is_staff=True))
    assert "retning import-brreg" in client.get("/stab/statistikk/").content.decode()
