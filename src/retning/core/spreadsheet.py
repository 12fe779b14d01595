"""Cells that are safe to open in a spreadsheet: the one helper behind every CSV and XLSX
export. Pure Python (openpyxl for XLSX).

A spreadsheet reads text that begins with = + - @ as a formula, and some skip a leading tab
or carriage return before looking, so a proposal or an imported label such as
`=HYPERLINK("http://…")` would run on the machine of whoever opens the export (OWASP "CSV
injection"). In CSV such text gets a leading single quote, which spreadsheets take as "this
is text"; in XLSX the cell is written as a typed string (and styled with Excel's quote
prefix, so editing it keeps it text), so the value stays exactly what was received.
Numbers are values, not text: they are written as they are (a negative number is no formula).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# OWASP: https://owasp.org/www-community/attacks/CSV_Injection
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 has no room for these control characters; openpyxl refuses them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A CSV cell: text that looks like a formula gets a leading single quote."""
    if is_formula_like(value):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose every cell has passed `csv_cell`."""

    def __init__(self, out, **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """`csv.DictWriter` whose every cell has passed `csv_cell`."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: csv_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: the header, then the rows; every text cell a typed string (never a
    formula), numbers and booleans as they are."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)

    def cell(value: Any) -> WriteOnlyCell:
        if value is None or isinstance(value, bool | int | float):
            return WriteOnlyCell(sheet, value=value)
        text = _XML_ILLEGAL.sub("", str(value))
        written = WriteOnlyCell(sheet, value=text)
        written.data_type = "s"  # openpyxl would make "=…" a formula
        if is_formula_like(text):
            written.quotePrefix = True
        return written

    sheet.append([cell(name) for name in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
