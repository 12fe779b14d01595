"""Bad register and accounts files: one clear error naming the file and the line or unit,
a non-zero exit, nothing written; a file that would empty the region is refused unless
forced; and the pages keep working."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from retning.business.models import AnnualAccounts, RegisterUnit
from retning.stats.models import Fetch
from tests.stats.synthetic_brreg import synthetic_units

pytestmark = pytest.mark.django_db

# Valid organisation numbers (mod 11) for the synthetic enterprises.
ORGNRS = ["900000006", "900000014", "900000022", "900000030", "900000049"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def refused(*args: str) -> tuple[str, str]:
    """The command's error and everything it printed; it must fail."""
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=out, stderr=out)
    return str(error.value), out.getvalue()


def write_units(path, records) -> None:
    path.write_bytes(gzip.compress(json.dumps(records).encode()))


@pytest.fixture
def region_units(loaded_strategy, tmp_path):
    """Five synthetic enterprises in Kongsvinger, imported from a bulk file."""
    records = [record for record, _ in synthetic_units(5, seed=3)]
    for record, orgnr in zip(records, ORGNRS, strict=True):
        record["organisasjonsnummer"] = orgnr
        record["forretningsadresse"]["kommunenummer"] = "3401"
        record.pop("slettedato", None)
    path = tmp_path / "synthetic_enheter.json.gz"
    write_units(path, records)
    run("import_brreg", str(path))
    return records


def test_out_of_range_revenue_is_refused_and_the_pages_stay_up(region_units, tmp_path, client):
    path = tmp_path / "synthetic_regnskap.csv"
    path.write_text(
        "orgnr,year,operating_revenue\n"
        f"{ORGNRS[0]},2016,1e30\n"
        f"{ORGNRS[1]},2016,NaN\n"
        f"{ORGNRS[2]},2016,-inf\n"
        f"{ORGNRS[3]},2016,1000\n",
        encoding="utf-8",
    )
    error, printed = refused("import_accounts", str(path))
    assert "3 of 4 rows rejected" in error and "nothing was imported" in error
    assert "synthetic_regnskap.csv:2: operating revenue 1e+30 is outside the range" in printed
    assert "synthetic_regnskap.csv:3: operating revenue nan is not a finite number" in printed
    assert "synthetic_regnskap.csv:4: operating revenue -inf is not a finite number" in printed
    assert not AnnualAccounts.objects.exists()
    assert not Fetch.objects.filter(dataset__slug="brreg-regnskap").exists()
    assert client.get("/").status_code == 200
    assert client.get("/mal/omsetning/").status_code == 200
    run("status")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"orgnr,year,operating_revenue\n", "no rows after the header"),
        (b"", "the file is empty"),
        (b"orgnr,year,operating_revenue\n900000006,2016,1\xf8\n", "line 2: not UTF-8"),
        (b"navn;omsetning\nx;1\n", "missing column(s): orgnr"),
    ],
    ids=["header-only", "empty", "latin-1", "wrong-columns"],
)
def test_unreadable_accounts_csv_is_one_clear_error(loaded_strategy, tmp_path, content, message):
    path = tmp_path / "synthetic_regnskap.csv"
    path.write_bytes(content)
    error, _ = refused("import_accounts", str(path))
    assert error.startswith("synthetic_regnskap.csv: ") and message in error
    assert "nothing was imported" in error
    assert not AnnualAccounts.objects.exists()


def test_corrupt_accounts_workbook_is_one_clear_error(loaded_strategy, tmp_path):
    path = tmp_path / "synthetic_regnskap.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    error, _ = refused("import_accounts", str(path))
    assert "synthetic_regnskap.xlsx: not a readable Excel workbook" in error
    assert not AnnualAccounts.objects.exists()


def test_the_database_refuses_revenue_out_of_range_whatever_writes_it(region_units):
    fetch = Fetch.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualAccounts.objects.create(
            orgnr=ORGNRS[0],
            year=2016,
            account_type="SELSKAP",
            operating_revenue=10**15,
            fetch=fetch,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterUnit.objects.filter(orgnr=ORGNRS[0]).update(employees=2_000_000)


def test_empty_register_file_is_refused_and_changes_nothing(region_units, tmp_path):
    empty = tmp_path / "synthetic_enheter_empty.json.gz"
    write_units(empty, [])
    error, _ = refused("import_brreg", str(empty))
    assert "the file holds no units" in error and "nothing was changed" in error
    assert RegisterUnit.objects.filter(in_region=True).count() == 5
    assert Fetch.objects.filter(dataset__slug="brreg-enheter", outcome="failed").exists()


def test_file_removing_a_large_share_of_the_region_needs_force(region_units, tmp_path):
    fewer = tmp_path / "synthetic_enheter_fewer.json.gz"
    write_units(fewer, region_units[:3])  # two of five (40 %) would be gone
    error, _ = refused("import_brreg", str(fewer))
    assert "it would remove 2 of the region's 5 units (40 %" in error
    assert "RETNING_MAX_UNITS_REMOVED_PCT" in error and "--force" in error
    assert RegisterUnit.objects.filter(in_region=True).count() == 5
    output = run("import_brreg", str(fewer), "--force")
    assert "2 no longer in the region" in output
    assert RegisterUnit.objects.filter(in_region=True).count() == 3


def test_the_share_is_a_setting(region_units, tmp_path, settings):
    settings.RETNING_MAX_UNITS_REMOVED_PCT = 50
    fewer = tmp_path / "synthetic_enheter_fewer.json.gz"
    write_units(fewer, region_units[:3])
    assert "2 no longer in the region" in run("import_brreg", str(fewer))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"antallAnsatte": float("nan")}, "antallAnsatte nan is not a finite number"),
        ({"antallAnsatte": 1e30}, "antallAnsatte 1e+30 is outside the range"),
        ({"antallAnsatte": -3}, "antallAnsatte -3 is outside the range"),
        ({"navn": "x" * 301}, "name longer than 300 characters"),
        ({"organisasjonsform": "AS"}, "organisasjonsform is not an object"),
    ],
    ids=["nan", "1e30", "negative", "long-name", "wrong-type"],
)
def test_impossible_unit_is_one_clear_error_naming_it(region_units, tmp_path, change, message):
    records = json.loads(json.dumps(region_units))
    records[1].update(change)
    path = tmp_path / "synthetic_enheter_bad.json.gz"
    path.write_bytes(gzip.compress(json.dumps(records).encode()))  # NaN as JSON's NaN
    error, _ = refused("import_brreg", str(path))
    assert error.startswith("synthetic_enheter_bad.json.gz: ") and message in error
    assert "(record 2" in error and "nothing was changed" in error
    assert set(RegisterUnit.objects.values_list("name", flat=True)) == {
        r["navn"] for r in region_units
    }


def test_deeply_nested_unit_is_one_clear_error(region_units, tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    text = json.dumps([region_units[0]])[:-2] + f', "hjemmeside": {deep}}}]'
    path = tmp_path / "synthetic_enheter_deep.json.gz"
    path.write_bytes(gzip.compress(text.encode()))
    error, _ = refused("import_brreg", str(path))
    assert "nested too deeply" in error and "nothing was changed" in error
