"""`retning import-data` with bad files: one clear error naming the file (and the line where
the format has lines), exit code 2, and nothing written — not even part of a file that
holds several datasets."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from retning.stats.models import Fetch, Observation
from retning.stats.sources.base import Record, SourceError
from retning.stats.store import ensure_dataset, record_fetch
from tests.stats.conftest import FIXTURES

HEADER = "municipality_code,municipality_name,year,variable,value,unit,source_url,source_note\n"
POPULATION = "3401,Kongsvinger,2020,population_total,{value},persons,{url},synthetic\n"
EMPLOYED = "3401,Kongsvinger,2020,employed_persons_by_workplace,{value},persons,{url},synthetic\n"


def refused(path) -> str:
    with pytest.raises(CommandError) as error:
        call_command("import_data", str(path), stdout=io.StringIO())
    assert error.value.returncode == 2
    return str(error.value)


def long_csv(tmp_path, *rows: str, name: str = "synthetic_long.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["1e30", "NaN", "-Infinity"])
def test_value_out_of_range_is_refused_with_its_line(tmp_path, loaded_strategy, value):
    path = long_csv(
        tmp_path,
        POPULATION.format(value="15000", url="https://www.ssb.no/"),
        POPULATION.format(value=value, url="https://www.ssb.no/").replace("2020", "2021"),
    )
    error = refused(path)
    assert "synthetic_long.csv:3: value" in error
    assert "outside the range" in error or "not a finite number" in error
    assert not Observation.objects.exists()


def test_a_file_of_several_datasets_is_imported_whole_or_not_at_all(tmp_path, loaded_strategy):
    # two datasets (population and employment) from one file; the second is broken
    path = long_csv(
        tmp_path,
        POPULATION.format(value="15000", url="https://www.ssb.no/"),
        EMPLOYED.format(value="9000", url="https://kommuneprofilen.no/"),
        EMPLOYED.format(value="9e99", url="https://kommuneprofilen.no/").replace("2020", "2021"),
    )
    assert "synthetic_long.csv:4:" in refused(path)
    assert not Observation.objects.exists() and not Fetch.objects.exists()


def test_header_only_csv_is_refused(tmp_path, loaded_strategy):
    assert "synthetic_long.csv: no figures found" in refused(long_csv(tmp_path))


def test_csv_in_another_encoding_names_the_line_and_column(tmp_path, loaded_strategy):
    path = tmp_path / "synthetic_latin1.csv"
    path.write_bytes(
        (HEADER + "3401,Kongsvinger,2020,population_total,5,personer,,Sør\n").encode("latin-1")
    )
    error = refused(path)
    assert "synthetic_latin1.csv: line 2, column 53: not UTF-8 (byte 0xf8)" in error


def test_deeply_nested_json_is_refused(tmp_path, loaded_strategy):
    path = tmp_path / "synthetic_deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert "synthetic_deep.json: the JSON is nested too deeply" in refused(path)


def test_corrupt_workbook_is_refused(tmp_path, loaded_strategy):
    # the real NAV workbook with every sheet cut in half (its XML no longer closes)
    original = zipfile.ZipFile(
        FIXTURES / "HL060_Helt_ledige_Fylke_og_kommune_Tidsserie_maaned_2022-10.xlsx"
    )
    path = tmp_path / "synthetic_cut_HL060.xlsx"
    with zipfile.ZipFile(path, "w") as cut:
        for item in original.infolist():
            data = original.read(item.filename)
            if "worksheets/sheet" in item.filename:
                data = data[: len(data) // 2]
            cut.writestr(item, data)
    error = refused(path)
    assert error.startswith("import: synthetic_cut_HL060.xlsx: the file could not be read")
    assert not Observation.objects.exists()


def test_not_a_workbook_is_refused(tmp_path, loaded_strategy):
    path = tmp_path / "synthetic.xlsx"
    path.write_bytes(b"not a zip file")
    assert "synthetic.xlsx: not an Excel workbook" in refused(path)


def test_source_address_that_is_not_http_is_refused(tmp_path, loaded_strategy):
    path = long_csv(tmp_path, POPULATION.format(value="15000", url="javascript:alert(1)"))
    assert "the source address 'javascript:alert(1)' is not http(s)" in refused(path)
    with pytest.raises(CommandError, match="is not an http"):
        call_command(
            "import_data",
            str(long_csv(tmp_path, POPULATION.format(value="1", url="https://www.ssb.no/"))),
            "--url",
            "javascript:alert(1)",
        )
    assert not Observation.objects.exists()


def test_storage_refuses_a_value_out_of_range_from_any_source(db, tmp_path):
    dataset = ensure_dataset("ssb-07459")
    record = Record("population", "3401", "2020", 10**14, "persons")
    with pytest.raises(SourceError, match=r"population for 3401, 2020: .*outside the range"):
        record_fetch(dataset, via="import", records=[record], raw=b"synthetic")
    assert not Fetch.objects.exists()


def test_text_too_long_for_its_column_is_refused(tmp_path, loaded_strategy):
    path = long_csv(
        tmp_path,
        POPULATION.format(value="15000", url="https://www.ssb.no/").replace("persons", "p" * 61),
    )
    assert "unit longer than 60 characters" in refused(path)
    assert not Observation.objects.exists()
