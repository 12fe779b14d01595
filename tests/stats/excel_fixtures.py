"""Excel files for the Miljødirektoratet parsers, written at test time.

`synthetic_oversikt_detaljert_from_telemark` reshapes the real rows of the derived
Telemark file (`tests/fixtures/miljodir/`, Skien and Siljan only) into the documented
"Oversikt - detaljert" columns. The columns Fylke, Kommunenummer and Klimagass were
dropped by that file's author, so they are filled in here (the municipality numbers are
Telemark's real ones; the gas column is synthetic), hence the name.

`synthetic_norskeutslipp_layout_with_real_values` lays the real facility rows of the bundled
snapshot out as the Norske utslipp export's sheet "Utslipp" (layout synthetic, values real).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl

from tests.stats.conftest import SNAPSHOT_DIR

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/miljodir"

TELEMARK = {
    "Porsgrunn": "4001",
    "Skien": "4003",
    "Notodden": "4005",
    "Siljan": "4010",
    "Bamble": "4012",
    "Kragerø": "4014",
    "Drangedal": "4016",
    "Nome": "4018",
    "Midt-Telemark": "4020",
    "Seljord": "4022",
    "Hjartdal": "4024",
    "Tinn": "4026",
    "Kviteseid": "4028",
    "Nissedal": "4030",
    "Fyresdal": "4032",
    "Tokke": "4034",
    "Vinje": "4036",
}


def telemark_rows(municipalities: set[str]) -> list[dict]:
    path = FIXTURES / "klimagassutslipp_telemark_derived_skien_siljan.csv"
    with path.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["Kommune"] in municipalities]


def workbook_bytes(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def synthetic_oversikt_detaljert_from_telemark(
    municipalities: set[str], *, header: list[str] | None = None, years: set[str] | None = None
) -> tuple[bytes, list[dict]]:
    rows = [r for r in telemark_rows(municipalities) if years is None or r["År"] in years]
    book = openpyxl.Workbook()
    book.active.title = "Oversikt"
    sheet = book.create_sheet("Oversikt - detaljert")
    sheet.append(
        header
        or [
            "Fylke",
            "Kommunenummer",
            "Kommune",
            "År",
            "Sektor",
            "Utslippskilde",
            "Klimagass",
            "Utslipp (tonn CO2-ekvivalenter)",
        ]
    )
    for row in rows:
        sheet.append(
            [
                "Telemark",
                TELEMARK[row["Kommune"]],
                row["Kommune"],
                int(row["År"]),
                row["Sektor"],
                row["Utslippskilde"],
                "Sum alle gasser (syntetisk)",
                float(row["Utslipp"]) if row["Utslipp"] else None,
            ]
        )
    return workbook_bytes(book), rows


FACILITY_NOTE = re.compile(
    r'facility "(?P<name>[^"]+)" \(AnleggId (?P<id>\d+), org\.nr\. (?P<orgnr>\d+), '
    r"NACE (?P<nace>[\d.]+)\)"
)


def synthetic_norskeutslipp_layout_with_real_values() -> tuple[bytes, list[dict]]:
    with (SNAPSHOT_DIR / "industrial_facility_emissions.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Utslipp"
    sheet.append(["CO2-ekvivalent (CO2-ekv)"])
    sheet.append([])
    sheet.append(
        [
            "Anleggsnavn",
            "Fylke",
            "Kommune",
            "NACE Kode",
            "År",
            "Årlig utslipp til luft",
            "Grunnlagsverdi for luft",
            "Enhet",
            "AnleggId",
            "Org.nr.",
        ]
    )
    for row in rows:
        note = FACILITY_NOTE.search(row["source_note"])
        sheet.append(
            [
                note["name"],
                "Innlandet",
                row["municipality_name"],
                note["nace"],
                int(row["year"]),
                float(row["value"]),
                "B",
                "tonn",
                int(note["id"]),
                int(note["orgnr"]),
            ]
        )
    sheet.append(
        ["Et anlegg andre steder", "Telemark", "Skien", "20.150", 2019, 1000.0, "B", "tonn", 1, 1]
    )
    return workbook_bytes(book), rows
