"""Miljødirektoratet: municipal greenhouse-gas statistics and plant-level emissions.

(a) `utslippsstatistikk_alle_kommuner.xlsx`, sheet "Oversikt - detaljert", columns Fylke,
Kommunenummer, Kommune, År, Sektor, Utslippskilde, Klimagass, "Utslipp (tonn
CO2-ekvivalenter)". Every sector and source is kept (texts trimmed: the file has trailing
spaces, e.g. "Bygg og anlegg  "). Each release revises earlier years, so a new release
replaces the whole series (the old one stays as history in the store).

(b) Norske utslipp export of land-based industry, sheet "Utslipp": a title row
("CO2-ekvivalent (CO2-ekv)"), an empty row, then the header in row 3: Anleggsnavn, Fylke,
Kommune, NACE Kode, År, "Årlig utslipp til luft", "Grunnlagsverdi for luft", "Årlig utslipp
til vann", "Grunnlagsverdi for vann", Enhet, AnleggId, "Org.nr." (with the full stop), as in
the real national export (`tests/fixtures/miljodir/`). Other sheets a user may have added
(pivot tables) are not read. One figure per reporting facility and year: a fixed set of
plants can be followed over time. Pure.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

import openpyxl

from retning.stats.sources.base import Record, SourceError

SOURCE = "Miljødirektoratet"
MUNICIPAL_SHEET = "Oversikt - detaljert"
MUNICIPAL_COLUMNS = [
    "Fylke",
    "Kommunenummer",
    "Kommune",
    "År",
    "Sektor",
    "Utslippskilde",
    "Klimagass",
    "Utslipp (tonn CO2-ekvivalenter)",
]
FACILITY_SHEET = "Utslipp"
FACILITY_COLUMNS = [
    "Anleggsnavn",
    "Kommune",
    "NACE Kode",
    "År",
    "Årlig utslipp til luft",
    "Enhet",
    "AnleggId",
    "Org.nr.",
]
UNIT = "tonnes CO2-equivalents"
# The page the plant export is downloaded from in a browser: its Excel export works only
# after the page has been opened (a session), so it has no fixed file address.
NORSKEUTSLIPP_PAGE = (
    "https://www.norskeutslipp.no/no/Komponenter/Utslipp/Klimagasser-CO2-ekvivalenter/"
    "?ComponentType=utslipp&ComponentPageID=1166&SectorID=600"
)


def _open(raw: bytes, name: str):
    try:
        return openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SourceError(SOURCE, f"{name}: not an Excel workbook ({exc})") from None


def _rows(book, sheet: str, columns: list[str], name: str) -> Iterator[tuple[int, dict]]:
    """Rows as dicts after the header row (found within the first 20 rows)."""
    if sheet not in book.sheetnames:
        raise SourceError(SOURCE, f"{name}: no sheet {sheet!r} (has {book.sheetnames})")
    header: dict[str, int] | None = None
    for number, row in enumerate(book[sheet].iter_rows(values_only=True), 1):
        if header is None:
            cells = [str(c).strip() if c is not None else "" for c in row]
            if columns[0] in cells:
                missing = [c for c in columns if c not in cells]
                if missing:
                    raise SourceError(
                        SOURCE,
                        f"{name}, sheet {sheet!r}, row {number}: column(s) {missing} not found "
                        f"(header has {[c for c in cells if c]})",
                    )
                header = {c: cells.index(c) for c in columns}
            elif number >= 20:
                break
            continue
        if all(c is None for c in row):
            continue
        yield number, {c: row[i] if i < len(row) else None for c, i in header.items()}
    if header is None:
        raise SourceError(SOURCE, f"{name}, sheet {sheet!r}: no header row with {columns[0]!r}")


def _number(value, name: str, sheet: str, row: int, column: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return Decimal(str(value).replace(",", ".").replace("\xa0", "").replace(" ", ""))
    except InvalidOperation:
        raise SourceError(
            SOURCE,
            f"{name}, sheet {sheet!r}, row {row}, column {column!r}: {value!r} is not a number",
        ) from None


def _text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def parse_municipal(
    raw: bytes, name: str = "utslippsstatistikk_alle_kommuner.xlsx"
) -> list[Record]:
    book = _open(raw, name)
    records = []
    value_column = MUNICIPAL_COLUMNS[-1]
    for number, row in _rows(book, MUNICIPAL_SHEET, MUNICIPAL_COLUMNS, name):
        code = _text(row["Kommunenummer"])
        if code.isdigit():
            code = code.zfill(4)
        value = _number(row[value_column], name, MUNICIPAL_SHEET, number, value_column)
        records.append(
            Record(
                "ghg_emissions",
                code,
                str(int(_number(row["År"], name, MUNICIPAL_SHEET, number, "År"))),
                value,
                UNIT,
                {
                    "sector": _text(row["Sektor"]),
                    "source": _text(row["Utslippskilde"]),
                    "gas": _text(row["Klimagass"]),
                },
                "" if value is not None else "empty cell in the release",
            )
        )
    book.close()
    if not records:
        raise SourceError(SOURCE, f"{name}, sheet {MUNICIPAL_SHEET!r}: no rows")
    return records


def parse_facilities(
    raw: bytes, municipality_codes: dict[str, str], name: str = "norskeutslipp.xlsx"
) -> tuple[list[Record], int]:
    """Facility emissions in the given municipalities (name → code); returns the records and
    the number of rows for other municipalities that were skipped."""
    book = _open(raw, name)
    wanted = {key.casefold(): code for key, code in municipality_codes.items()}
    records, skipped = [], 0
    value_column = "Årlig utslipp til luft"
    for number, row in _rows(book, FACILITY_SHEET, FACILITY_COLUMNS, name):
        code = wanted.get(_text(row["Kommune"]).casefold())
        if code is None:
            skipped += 1
            continue
        unit = _text(row["Enhet"]).lower()
        if unit not in {"tonn", "tonnes"}:
            raise SourceError(
                SOURCE,
                f"{name}, sheet {FACILITY_SHEET!r}, row {number}: unit {unit!r}, expected tonn",
            )
        value = _number(row[value_column], name, FACILITY_SHEET, number, value_column)
        facility = _text(row["AnleggId"])
        records.append(
            Record(
                "facility_ghg_emissions",
                code,
                str(int(_number(row["År"], name, FACILITY_SHEET, number, "År"))),
                value,
                UNIT,
                {"facility": facility},
                "" if value is not None else "no value reported",
                {
                    "facility_name": _text(row["Anleggsnavn"]),
                    "org_nr": _text(row["Org.nr."]),
                    "nace": _text(row["NACE Kode"]),
                },
            )
        )
    book.close()
    return records, skipped
