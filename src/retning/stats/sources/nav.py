"""NAV HL060 "Helt ledige. Fylke og kommune. Tidsserie måned" (Excel) → records.

Layout (checked on the January–October 2022 edition): sheets "3. Kommune Antall" and
"4. Kommune Prosent av arbeidsst"; the period ("Januar - oktober 2022") in column B near
the top; per county a block of a county-name row, a month-name header row (Januar …),
an "I alt <fylke>" row and "NNNN Kommunenavn" rows. NAV replaces values under 4 with `*`;
those stay as missing with that reason. Pure.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal, InvalidOperation

import openpyxl

from retning.core.calendar import MONTHS_NB
from retning.stats.sources.base import Record, SourceError

SOURCE = "NAV"
# NAV has no API and the workbook's address changes with each edition: it is downloaded
# from the statistics page (the only table there with municipalities is HL060).
DOWNLOAD_PAGE = (
    "https://www.nav.no/no/nav-og-samfunn/statistikk/arbeidssokere-og-stillinger-statistikk/"
    "helt-ledige"
)
TABLE_TITLE = "HL060 Helt ledige. Fylke og kommune. Tidsserie måned"
SHEETS = {
    "3. Kommune Antall": ("nav_registered_unemployed", "persons"),
    "4. Kommune Prosent av arbeidsst": ("nav_registered_unemployed_pct", "percent of labour force"),
}
MONTHS = {name: number for number, name in enumerate(MONTHS_NB, 1)}
SUPPRESSED = "suppressed by NAV: fewer than 4 persons ('*')"
_PERIOD = re.compile(r"(\d{4})\s*$")
_MUNICIPALITY = re.compile(r"^(\d{4})\s+\S")


def parse_hl060(raw: bytes, name: str = "HL060.xlsx") -> list[Record]:
    """Every municipality × month of both sheets; a layout change raises `SourceError`
    naming the file, sheet and cell."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SourceError(SOURCE, f"{name}: not an Excel workbook ({exc})") from None
    records: list[Record] = []
    for sheet, (measure, unit) in SHEETS.items():
        if sheet not in book.sheetnames:
            raise SourceError(SOURCE, f"{name}: no sheet {sheet!r} (has {book.sheetnames})")
        records.extend(_parse_sheet(book[sheet], name, sheet, measure, unit))
    book.close()
    return records


def _parse_sheet(ws, name: str, sheet: str, measure: str, unit: str) -> list[Record]:
    year: int | None = None
    months: list[tuple[int, int]] | None = None  # (column index, month)
    records: list[Record] = []
    for row_number, row in enumerate(ws.iter_rows(values_only=True), 1):
        label = row[1] if len(row) > 1 else None
        if year is None:
            if isinstance(label, str) and (match := _PERIOD.search(label)) and "-" in label:
                year = int(match.group(1))
            continue
        if label is None and any(isinstance(c, str) for c in row[2:]):
            months = []
            for column, cell in enumerate(row[2:], 2):
                if cell is None:
                    continue
                month = MONTHS.get(str(cell).strip().lower())
                if month is None:
                    letter = openpyxl.utils.get_column_letter(column + 1)
                    raise SourceError(
                        SOURCE,
                        f"{name}, sheet {sheet!r}, cell {letter}{row_number}: "
                        f"{cell!r} is not a month name",
                    )
                months.append((column, month))
            continue
        if not isinstance(label, str) or not (match := _MUNICIPALITY.match(label)):
            continue
        if months is None:
            raise SourceError(
                SOURCE, f"{name}, sheet {sheet!r}, row {row_number}: municipality before header"
            )
        code = match.group(1)
        for column, month in months:
            cell = row[column] if column < len(row) else None
            period = f"{year}M{month:02d}"
            if cell == "*":
                records.append(Record(measure, code, period, None, unit, missing_reason=SUPPRESSED))
                continue
            try:
                value = Decimal(str(cell))
            except InvalidOperation:
                letter = openpyxl.utils.get_column_letter(column + 1)
                raise SourceError(
                    SOURCE,
                    f"{name}, sheet {sheet!r}, cell {letter}{row_number}: {cell!r} is not a number",
                ) from None
            records.append(Record(measure, code, period, value, unit))
    if year is None:
        raise SourceError(
            SOURCE, f"{name}, sheet {sheet!r}: no period line such as 'Januar - oktober 2022'"
        )
    if months is None:
        raise SourceError(SOURCE, f"{name}, sheet {sheet!r}: no month header row")
    return records
