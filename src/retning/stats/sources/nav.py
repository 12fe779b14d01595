"""NAV HL060 "Helt ledige. Fylke og kommune. Tidsserie måned" (Excel) → records.

NAV has no API: the workbook is downloaded from NAV's statistics page for the fully
unemployed (`DOWNLOAD_PAGE`, the only table there with municipalities), one edition a month
with the months of the current year so far.

Layout, as in the January–October 2022 edition (`tests/stats/fixtures/`) and, as a public
project that reads it describes, the January–August 2026 edition: sheets "3. Kommune Antall"
and "4. Kommune Prosent av arbeidsst"; a title block ("Kilde: NAV", the table's name), then
the period ("Januar - oktober 2022") in column B; per county a block of a county-name row,
a month-name header row (Januar …), an "I alt <fylke>" row and "NNNN Kommunenavn" rows
(also "2100 Svalbard"; the "Ukjent" rows have no code and are left out). NAV replaces values
under 4 with `*`; those stay as missing with that reason.

What may differ in a later edition is read from the file, not assumed: the number of months
(the header rows must list exactly the months of the period line), where the period line
sits and what the title rows say, and the sheet names (a sheet is found by "Kommune" with
"Antall" or "Prosent" when the exact name is not there). Anything else that does not match
raises `SourceError` naming the file, sheet and cell. Pure.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal, InvalidOperation

from retning.formats.numbers import MONTHS_NB
from retning.stats.sources.base import Record, SourceError

SOURCE = "NAV"
# NAV has no API and the workbook's address changes with each edition: it is downloaded
# from the statistics page (the only table there with municipalities is HL060).
DOWNLOAD_PAGE = (
    "https://www.nav.no/no/nav-og-samfunn/statistikk/arbeidssokere-og-stillinger-statistikk/"
    "helt-ledige"
)
TABLE_TITLE = "HL060 Helt ledige. Fylke og kommune. Tidsserie måned"
WHERE_TO_GET = f"the current edition of «{TABLE_TITLE}» is on {DOWNLOAD_PAGE}"
SHEETS = {
    "3. Kommune Antall": ("nav_registered_unemployed", "persons"),
    "4. Kommune Prosent av arbeidsst": ("nav_registered_unemployed_pct", "percent of labour force"),
}
# Words that find each sheet when its exact name differs (both are in the names above).
_SHEET_WORDS = {"3. Kommune Antall": "antall", "4. Kommune Prosent av arbeidsst": "prosent"}
MONTHS = {name: number for number, name in enumerate(MONTHS_NB, 1)}
SUPPRESSED = "suppressed by NAV: fewer than 4 persons ('*')"
_MONTH = "|".join(MONTHS_NB)
_PERIOD = re.compile(rf"^({_MONTH})(?:\s*[-–]\s*({_MONTH}))?\s+(\d{{4}})$", re.IGNORECASE)
_MUNICIPALITY = re.compile(r"^(\d{4})\s+\S")
_SCAN_ROWS = 20  # the period line is in the title block at the top


def find_sheets(names: list[str]) -> dict[str, str] | None:
    """Which sheet of the workbook holds each of HL060's two municipal sheets, or None if
    the workbook does not look like HL060."""
    found = {}
    for wanted, word in _SHEET_WORDS.items():
        if wanted in names:
            found[wanted] = wanted
            continue
        matches = [n for n in names if "kommune" in n.lower() and word in n.lower()]
        if len(matches) != 1:
            return None
        found[wanted] = matches[0]
    return found


def parse_hl060(raw: bytes, name: str = "HL060.xlsx") -> list[Record]:
    """Every municipality × month of both sheets; a layout change raises `SourceError`
    naming the file, sheet and cell."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SourceError(SOURCE, f"{name}: not an Excel workbook ({exc})") from None
    sheets = find_sheets(book.sheetnames)
    if sheets is None:
        book.close()
        raise SourceError(
            SOURCE,
            f"{name}: no sheets {sorted(SHEETS)} (has {book.sheetnames}); {WHERE_TO_GET}",
        )
    records: list[Record] = []
    for wanted, (measure, unit) in SHEETS.items():
        records.extend(_parse_sheet(book[sheets[wanted]], name, sheets[wanted], measure, unit))
    book.close()
    return records


def _cell(row_number: int, column: int) -> str:
    import openpyxl

    return f"{openpyxl.utils.get_column_letter(column + 1)}{row_number}"


def _period(row) -> tuple[int, list[int]] | None:
    """The year and months of a period line ("Januar - august 2026") anywhere in a row."""
    for cell in row:
        if isinstance(cell, str) and (match := _PERIOD.match(cell.strip())):
            first = MONTHS[match.group(1).lower()]
            last = MONTHS[(match.group(2) or match.group(1)).lower()]
            return int(match.group(3)), list(range(first, last + 1))
    return None


def _parse_sheet(ws, name: str, sheet: str, measure: str, unit: str) -> list[Record]:
    year: int | None = None
    period_months: list[int] = []
    months: list[tuple[int, int]] | None = None  # (column index, month)
    records: list[Record] = []
    where = f"{name}, sheet {sheet!r}"
    for row_number, row in enumerate(ws.iter_rows(values_only=True), 1):
        if year is None:
            if found := _period(row):
                year, period_months = found
            elif row_number >= _SCAN_ROWS:
                break
            continue
        label = row[1] if len(row) > 1 else None
        cells = [(column, cell) for column, cell in enumerate(row[2:], 2) if cell is not None]
        if label is None and any(str(c).strip().lower() in MONTHS for _, c in cells):
            months = []
            for column, cell in cells:
                month = MONTHS.get(str(cell).strip().lower())
                if month is None:
                    raise SourceError(
                        SOURCE,
                        f"{where}, cell {_cell(row_number, column)}: {cell!r} is not a month name",
                    )
                months.append((column, month))
            if [month for _, month in months] != period_months:
                raise SourceError(
                    SOURCE,
                    f"{where}, row {row_number}: months {[m for _, m in months]} do not match "
                    f"the period line (months {period_months} of {year})",
                )
            continue
        if not isinstance(label, str) or not (match := _MUNICIPALITY.match(label)):
            continue
        if months is None:
            raise SourceError(SOURCE, f"{where}, row {row_number}: municipality before header")
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
                raise SourceError(
                    SOURCE,
                    f"{where}, cell {_cell(row_number, column)}: {cell!r} is not a number",
                ) from None
            records.append(Record(measure, code, period, value, unit))
    if year is None:
        raise SourceError(
            SOURCE,
            f"{where}: no period line such as 'Januar - oktober 2022' in the first "
            f"{_SCAN_ROWS} rows; {WHERE_TO_GET}",
        )
    if months is None:
        raise SourceError(SOURCE, f"{where}: no month header row")
    return records
