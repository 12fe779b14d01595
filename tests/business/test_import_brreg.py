"""`retning import-brreg`: exactly the region's units stored, moves and deletions followed,
and a bad file changes nothing."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from django.core.management import CommandError, call_command

from retning.business.models import AnnualAccounts, RegisterUnit, UnitYear
from retning.stats.models import Fetch
from tests.stats.synthetic_brreg import synthetic_units, write_synthetic_bulk

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def write(path, records) -> None:
    path.write_bytes(gzip.compress(json.dumps(records, ensure_ascii=False, indent=2).encode()))


def test_import_stores_exactly_the_region_units(loaded_strategy, tmp_path):
    path = tmp_path / "synthetic_enheter.json.gz"
    expected = write_synthetic_bulk(path, 8_000)
    output = run("import_brreg", str(path))
    stored = set(RegisterUnit.objects.filter(kind="enhet").values_list("orgnr", flat=True))
    assert stored == expected.orgnrs_in_region
    assert f"{expected.total:,} records read, {len(expected.orgnrs_in_region):,} kept" in output
    for code, count in expected.in_region.items():
        assert RegisterUnit.objects.filter(municipality_code=code).count() == count
    fetch = Fetch.objects.get(dataset__slug="brreg-enheter")
    assert fetch.outcome == "ok" and len(fetch.sha256) == 64 and fetch.licence == "NLOD 2.0"
    assert UnitYear.objects.count() == len(expected.orgnrs_in_region)


def test_unit_that_moves_out_of_the_region_is_kept_but_marked(loaded_strategy, tmp_path):
    records = [record for record, _ in synthetic_units(10, "underenhet", seed=11)]
    for record in records:
        record["beliggenhetsadresse"]["kommunenummer"] = "3401"
    first = tmp_path / "synthetic_underenheter_1.json.gz"
    write(first, records)
    run("import_brreg", str(first))
    records[0]["beliggenhetsadresse"]["kommunenummer"] = "0301"  # moved to Oslo
    records[1]["slettedato"] = "2025-05-31"  # deleted from the register
    second = tmp_path / "synthetic_underenheter_2.json.gz"
    write(second, records)
    output = run("import_brreg", str(second))
    assert "1 no longer in the region" in output
    moved, deleted, same = (
        RegisterUnit.objects.get(orgnr=r["organisasjonsnummer"]) for r in records[:3]
    )
    assert not moved.in_region
    assert str(deleted.deleted) == "2025-05-31" and deleted.in_region
    assert same.in_region and same.kind == "underenhet"


def test_truncated_file_changes_nothing_and_is_recorded(loaded_strategy, tmp_path):
    good = tmp_path / "synthetic_enheter.json.gz"
    write_synthetic_bulk(good, 3_000)
    run("import_brreg", str(good))
    before = RegisterUnit.objects.count()
    broken = tmp_path / "synthetic_enheter_broken.json.gz"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(CommandError, match=r"truncated.*nothing was changed"):
        run("import_brreg", str(broken))
    assert RegisterUnit.objects.count() == before
    failed = Fetch.objects.get(outcome="failed")
    assert "truncated" in failed.message


def test_import_accounts_refuses_a_file_with_rejected_rows_and_lists_them(
    loaded_strategy, tmp_path
):
    path = tmp_path / "synthetic_regnskap.csv"
    path.write_text(
        "orgnr,year,operating_revenue,account_type\n"
        "923609016,2016,1000,SELSKAP\n"
        "923609017,2016,5,SELSKAP\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"1 of 2 rows rejected .* nothing was imported"):
        call_command("import_accounts", str(path), stdout=out, stderr=out)
    assert "synthetic_regnskap.csv:3: invalid organisation number '923609017'" in out.getvalue()
    assert not AnnualAccounts.objects.exists()
    assert not Fetch.objects.filter(dataset__slug="brreg-regnskap").exists()


def test_import_accounts_stores_a_good_file_once(loaded_strategy, tmp_path):
    path = tmp_path / "synthetic_regnskap.csv"
    path.write_text(
        "orgnr,year,operating_revenue,account_type\n923609016,2016,1000,SELSKAP\n",
        encoding="utf-8",
    )
    output = run("import_accounts", str(path))
    assert "1 rows accepted (1 new or changed)" in output
    row = AnnualAccounts.objects.get()
    assert (row.orgnr, row.year, row.operating_revenue) == ("923609016", 2016, 1000)
    assert row.fetch.raw_name == "synthetic_regnskap.csv" and row.fetch.raw_restricted
    run("import_accounts", str(path))  # again: nothing new
    assert AnnualAccounts.objects.count() == 1
