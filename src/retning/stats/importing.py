"""`retning import-data`: files downloaded by hand, stored with the same provenance.

Recognised: JSON-stat 2 from SSB's Statbank (a table Retning knows), NAV HL060 and
Miljødirektoratet workbooks (.xlsx), and CSV in Retning's long format (the snapshot's
columns, with a source on every row).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from retning.core.urls import is_http_url
from retning.stats.models import Fetch
from retning.stats.refresh_sources import region_municipality_names
from retning.stats.sources import miljodir, nav, ssb
from retning.stats.sources.base import Record, SourceError
from retning.stats.sources.jsonstat import JsonStatError, decode
from retning.stats.sources.snapshot import parse_snapshot_csv
from retning.stats.store import check_values, ensure_dataset, record_fetch


@dataclass
class Batch:
    dataset: str
    records: list[Record]
    url: str
    note: str
    replaces: bool = False


def recognise(name: str, raw: bytes, municipality_names: dict[str, str]) -> list[Batch]:
    """What the file is, as batches of records per dataset; `SourceError` if unknown."""
    import openpyxl

    suffix = Path(name).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        try:
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
            raise SourceError("import", f"{name}: not an Excel workbook ({exc})") from None
        sheets = set(book.sheetnames)
        book.close()
        if nav.find_sheets(sorted(sheets)) is not None:
            return [Batch("nav-hl060", nav.parse_hl060(raw, name), "", "NAV HL060")]
        if miljodir.MUNICIPAL_SHEET in sheets:
            records = miljodir.parse_municipal(raw, name)
            return [Batch("miljodir-kommuner", records, "", "Klimagassutslipp i kommuner", True)]
        if miljodir.FACILITY_SHEET in sheets:
            records, _ = miljodir.parse_facilities(raw, municipality_names, name)
            return [Batch("miljodir-norskeutslipp", records, "", "Norske utslipp")]
        raise SourceError("import", f"{name}: workbook with sheets {sorted(sheets)} not recognised")
    if suffix == ".json":
        return [_jsonstat_batch(name, raw)]
    if suffix == ".csv":
        parsed = parse_snapshot_csv(name, raw)
        return [
            Batch(group.dataset, group.records, group.source_url, group.source_note)
            for group in parsed.groups.values()
        ]
    raise SourceError("import", f"{name}: unknown file type {suffix!r} (use .json, .xlsx or .csv)")


def _jsonstat_batch(name: str, raw: bytes) -> Batch:
    try:
        data = decode(raw)
    except JsonStatError as exc:
        raise SourceError("import", f"{name}: not JSON-stat 2 ({exc})") from None
    table = data.table_id
    try:
        contents = set(data.dimension("ContentsCode").codes)
    except KeyError:
        raise SourceError("import", f"{name}: no ContentsCode variable") from None
    for group in ssb.GROUPS:
        if group.table == table and contents <= set(group.contents):
            try:
                records = ssb.records_from(group, data)
            except KeyError as exc:
                raise SourceError(
                    "import", f"{name}: table {table} lacks the variable {exc} Retning needs"
                ) from None
            return Batch(group.dataset, records, f"https://www.ssb.no/statbank/table/{table}", "")
    known = sorted({g.table for g in ssb.GROUPS})
    raise SourceError(
        "import",
        f"{name}: table {table or '(no table id)'} with contents {sorted(contents)} is not one "
        f"Retning reads (known tables: {known})",
    )


def utf8_problem(raw: bytes) -> str | None:
    """Where a text file stops being UTF-8 ("line 3, column 7: …"), or None."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        return (
            f"line {line}, column {column}: not UTF-8 (byte 0x{raw[exc.start]:02x}); "
            "save the file as UTF-8"
        )
    return None


def read_batches(name: str, raw: bytes, municipality_names: dict[str, str]) -> list[Batch]:
    """The file's batches, checked through: readable, with figures, every value one Retning
    can store and every source address http(s). Any problem is one `SourceError` naming the
    file (and the line or figure where the parser knows it); nothing has been written."""
    if Path(name).suffix.lower() in {".csv", ".json"} and (why := utf8_problem(raw)):
        raise SourceError("import", f"{name}: {why}")
    try:
        batches = recognise(name, raw, municipality_names)
    except SourceError:
        raise
    except RecursionError:
        raise SourceError("import", f"{name}: the JSON is nested too deeply") from None
    except Exception as exc:  # a broken file breaks parsers in many ways (zip, XML, types)
        raise SourceError(
            "import", f"{name}: the file could not be read ({type(exc).__name__}: {exc})"
        ) from None
    if not batches or not any(batch.records for batch in batches):
        raise SourceError("import", f"{name}: no figures found")
    for batch in batches:
        if not batch.records:
            raise SourceError("import", f"{name}: no figures found for {batch.dataset}")
        if batch.url and not is_http_url(batch.url):
            raise SourceError(
                "import", f"{name}: the source address {batch.url[:80]!r} is not http(s)"
            )
        try:
            check_values(batch.records, source="import")
        except SourceError as exc:
            raise SourceError("import", f"{name}: {exc.message}") from None
    return batches


def import_file(path: Path, *, url: str = "", note: str = "") -> list[Fetch]:
    """Import a file downloaded by hand: every dataset in it, or (on any problem) none."""

    if url and not is_http_url(url):
        raise SourceError("import", f"--url {url[:80]!r} is not an http(s) address")
    raw = path.read_bytes()
    batches = read_batches(path.name, raw, region_municipality_names())
    fetches = []
    with transaction.atomic():
        for batch in batches:
            dataset = ensure_dataset(batch.dataset)
            text = f"imported by hand from {path.name}"
            if note or batch.note:
                text += f"; {note or batch.note}"
            fetches.append(
                record_fetch(
                    dataset,
                    via=Fetch.Via.IMPORT,
                    records=batch.records,
                    raw=raw,
                    raw_name=path.name,
                    url=url or batch.url,
                    note=text,
                    replaces_dataset=batch.replaces,
                )
            )
    return fetches


def describe(fetches: list[Fetch]) -> str:
    return json.dumps(
        [
            {"fetch": f.pk, "dataset": f.dataset.slug, "new": f.created, "changed": f.changed}
            for f in fetches
        ]
    )
