"""Exports safe in spreadsheets: the one helper behind every CSV and XLSX export."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from retning.core.spreadsheet import SafeDictWriter, SafeWriter, csv_cell, xlsx_bytes

FORMULAS = ["=1+1", '+HYPERLINK("http://x")', "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_cell_quotes_text_a_spreadsheet_would_run(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Forslag", "", " =1", "2024-06-15", "a=b", -3, 2.5, True, None])
def test_csv_cell_leaves_other_text_and_numbers_alone(value):
    assert csv_cell(value) == value


def test_safe_writers_quote_every_cell():
    out = io.StringIO()
    SafeWriter(out).writerows([FORMULAS, [-1, 0.5]])
    listed = io.StringIO()
    writer = SafeDictWriter(listed, fieldnames=["a", "b"])
    writer.writeheader()
    writer.writerow({"a": "=cmd", "b": -7})
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'" + f for f in FORMULAS], ["-1", "0.5"]]
    assert list(csv.DictReader(io.StringIO(listed.getvalue()))) == [{"a": "'=cmd", "b": "-7"}]


def test_xlsx_cells_are_typed_strings_with_the_value_unchanged():
    data = xlsx_bytes("Ark", ["tekst", "tall"], [[f, -3] for f in FORMULAS])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Ark"
    texts = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in texts] == FORMULAS
    assert {c.data_type for c in texts} == {"s"}
    assert all(c.quotePrefix for c in texts)  # stays text when someone edits the cell
    numbers = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert {(c.value, c.data_type) for c in numbers} == {(-3, "n")}


def test_xlsx_drops_control_characters_xml_cannot_hold():
    data = xlsx_bytes("Ark", ["tekst"], [["før\x0better\x00"]])
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "føretter"
