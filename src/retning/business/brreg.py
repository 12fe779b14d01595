"""Enhetsregisteret (Brønnøysundregistrene): the region's units from the nightly bulk files.

Pure Python (no Django). The bulk files (`/enhetsregisteret/api/enheter/lastned` and
`/underenheter/lastned`) are gzip-compressed JSON arrays of every unit in Norway, about
1.1 million enterprises and more establishments. We keep the few thousand in the
region, so the file is streamed and only candidate records are parsed:

- JSON was chosen over the CSV download because it is the format the register documents
  field by field (the same schema as the REST API), with nested addresses and NACE codes
  kept apart; the CSV flattens them into columns whose order the register may change.
- A record is parsed only when the text `"kommunenummer": "<a region code>"` occurs in it.
  Every record is still counted (each has exactly one `"organisasjonsnummer"` key; nested
  objects never do), so the summary says how many records were read.
- Memory is bounded by the chunk size, whatever the file size.

Records are cut out at the `{` before their `organisasjonsnummer`, which relies on that
key being each record's first (as in the register's files); a record that does not parse
is reported with its position rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

from retning.core import bounds

Kind = Literal["enhet", "underenhet"]
ADDRESS_KEY: dict[Kind, str] = {"enhet": "forretningsadresse", "underenhet": "beliggenhetsadresse"}
ORGNR_KEY = b'"organisasjonsnummer"'
IN_CHUNK = 1 << 20  # compressed bytes read at a time
OUT_CHUNK = 1 << 23  # uncompressed bytes handled at a time (bounds memory)

# Top-level fields of enheter and underenheter as documented by the register (API and bulk
# files). A field outside this list in a kept record is reported, since it may carry
# something we ought to store.
KNOWN_FIELDS = frozenset(
    {
        "organisasjonsnummer", "navn", "organisasjonsform", "hjemmeside", "postadresse",
        "forretningsadresse", "beliggenhetsadresse", "registreringsdatoEnhetsregisteret",
        "registrertIMvaregisteret", "frivilligMvaregistrertBeskrivelser", "naeringskode1",
        "naeringskode2", "naeringskode3", "hjelpeenhetskode", "antallAnsatte",
        "harRegistrertAntallAnsatte", "overordnetEnhet", "institusjonellSektorkode",
        "registrertIForetaksregisteret", "registrertIStiftelsesregisteret",
        "registrertIFrivillighetsregisteret", "registrertIPartiregisteret",
        "sisteInnsendteAarsregnskap", "konkurs", "konkursdato", "underAvvikling",
        "underAvviklingDato", "tvangsavvikletPgaManglendeSlettingDato",
        "tvangsopplostPgaManglendeDagligLederDato", "tvangsopplostPgaManglendeRevisorDato",
        "tvangsopplostPgaManglendeRegnskapDato", "tvangsopplostPgaMangelfulltStyreDato",
        "maalform", "stiftelsesdato", "oppstartsdato", "datoEierskifte", "nedleggelsesdato",
        "slettedato", "vedtektsdato", "vedtektsfestetFormaal", "aktivitet", "epostadresse",
        "mobil", "telefon", "paategninger", "respons_klasse", "_links", "stiftelsedato",
        "underTvangsavviklingEllerTvangsopplosning", "erIKonsern", "kapital",
        "historiskeNavn", "frivilligMvaRegistrertBeskrivelser", "registreringsnummerIHjemlandet",
        "registreringsdatoAntallAnsatteEnhetsregisteret",
        "registreringsdatoAntallAnsatteNAVAaregisteret", "registreringsdatoForetaksregisteret",
        "registreringsdatoFrivilligMerverdiavgiftsregisteret",
        "registreringsdatoFrivillighetsregisteret", "registreringsdatoMerverdiavgiftsregisteret",
        "registreringsdatoMerverdiavgiftsregisteretEnhetsregisteret",
        "registreringsdatoPartiregisteret",
    }
)  # fmt: skip


class BulkFileError(Exception):
    """A bulk file that cannot be read, with where it went wrong."""

    def __init__(self, message: str, *, record: int | None = None, offset: int | None = None):
        where = []
        if record is not None:
            where.append(f"record {record}")
        if offset is not None:
            where.append(f"byte {offset} of the uncompressed file")
        super().__init__(f"{message} ({', '.join(where)})" if where else message)
        self.record, self.offset = record, offset


@dataclass(frozen=True)
class Unit:
    """The register's facts about one enterprise (enhet) or establishment (underenhet)."""

    kind: Kind
    orgnr: str
    name: str
    org_form: str
    municipality_code: str
    nace: tuple[str, ...]
    employees: int | None
    sector_code: str
    parent_orgnr: str
    registered: dt.date | None
    founded: dt.date | None
    closed: dt.date | None
    deleted: dt.date | None


@dataclass
class BulkSummary:
    records_read: int = 0
    kept: int = 0
    uncompressed_bytes: int = 0
    full_parse: bool = False
    per_municipality: dict[str, int] = field(default_factory=dict)


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def unit_from_record(record: dict, kind: Kind, *, position: int | None = None) -> Unit:
    """Turn one register record into a Unit; raise BulkFileError for a record we cannot use
    (a field of the wrong type, a text too long for its column, an impossible number)."""
    if not isinstance(record, dict):
        raise BulkFileError("a unit is not a JSON object", record=position)
    orgnr = str(record.get("organisasjonsnummer", ""))
    try:
        return _unit(record, kind, orgnr)
    except BulkFileError as exc:
        raise BulkFileError(str(exc), record=position) from None
    except (AttributeError, TypeError, ValueError, OverflowError) as exc:
        raise BulkFileError(
            f"unit {orgnr[:20]} is malformed ({type(exc).__name__}: {exc})", record=position
        ) from None


# The longest text each field may have (the database columns).
MAX_LENGTH = {"name": 300, "org_form": 10, "sector_code": 10, "nace": 10}


def _object(record: dict, key: str) -> dict:
    value = record.get(key) or {}
    if not isinstance(value, dict):
        raise BulkFileError(f"{key} is not an object")
    return value


def _unit(record: dict, kind: Kind, orgnr: str) -> Unit:
    unknown = sorted(set(record) - KNOWN_FIELDS)
    if unknown:
        raise BulkFileError(f"unknown field(s) {', '.join(unknown)} in unit {orgnr}")
    if not re.fullmatch(r"\d{9}", orgnr):
        raise BulkFileError(f"missing or malformed organisasjonsnummer {orgnr[:20]!r}")
    address = _object(record, ADDRESS_KEY[kind])
    municipality = str(address.get("kommunenummer") or "")
    if not re.fullmatch(r"\d{4}", municipality):
        raise BulkFileError(f"unit {orgnr} has no municipality in {ADDRESS_KEY[kind]}")
    nace = tuple(
        str(record[key]["kode"])
        for key in ("naeringskode1", "naeringskode2", "naeringskode3")
        if isinstance(record.get(key), dict) and record[key].get("kode")
    )
    employees = record.get("antallAnsatte")
    if isinstance(employees, bool) or not isinstance(employees, int | float | None):
        raise BulkFileError(f"unit {orgnr}: antallAnsatte {employees!r} is not a number")
    if employees is not None:
        if why := bounds.problem(employees, bounds.EMPLOYEES_LIMIT, minimum=0):
            raise BulkFileError(f"unit {orgnr}: antallAnsatte {why}")
        if employees != int(employees):
            raise BulkFileError(f"unit {orgnr}: antallAnsatte {employees} is not a whole number")
    parent = str(record.get("overordnetEnhet") or "")
    if parent and not re.fullmatch(r"\d{9}", parent):
        raise BulkFileError(f"unit {orgnr}: malformed overordnetEnhet {parent[:20]!r}")
    unit = Unit(
        kind=kind,
        orgnr=orgnr,
        name=str(record.get("navn", "")),
        org_form=str(_object(record, "organisasjonsform").get("kode", "")),
        municipality_code=municipality,
        nace=nace,
        employees=None if employees is None else int(employees),
        sector_code=str(_object(record, "institusjonellSektorkode").get("kode", "")),
        parent_orgnr=parent,
        registered=_date(record.get("registreringsdatoEnhetsregisteret")),
        founded=_date(
            record.get("stiftelsesdato")
            or record.get("stiftelsedato")
            or record.get("oppstartsdato")
        ),
        closed=_date(record.get("nedleggelsesdato")),
        deleted=_date(record.get("slettedato")),
    )
    for name, longest in MAX_LENGTH.items():
        values = unit.nace if name == "nace" else (getattr(unit, name),)
        if any(len(value) > longest for value in values):
            raise BulkFileError(f"unit {orgnr}: {name} longer than {longest} characters")
    return unit


def _drain(decompressor, data: bytes) -> Iterator[bytes]:
    """Decompress `data`, at most OUT_CHUNK bytes at a time, so memory stays bounded even
    when the data compresses very well."""
    try:
        out = decompressor.decompress(data, OUT_CHUNK)
        while True:
            if out:
                yield out
            if not decompressor.unconsumed_tail:
                break
            out = decompressor.decompress(decompressor.unconsumed_tail, OUT_CHUNK)
    except zlib.error as exc:
        raise BulkFileError(f"the gzip data is corrupt: {exc}") from None


def _decompressed_chunks(stream: BinaryIO) -> Iterator[bytes]:
    """Decompress a gzip (or plain JSON) stream chunk by chunk; multi-member gzip allowed."""
    head = stream.read(IN_CHUNK)
    if not head.startswith(b"\x1f\x8b"):
        while head:  # not compressed
            yield head
            head = stream.read(OUT_CHUNK)
        return
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    data = head
    while data:
        yield from _drain(decompressor, data)
        while decompressor.eof and decompressor.unused_data:
            rest = decompressor.unused_data
            decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
            yield from _drain(decompressor, rest)
        data = stream.read(IN_CHUNK)
    if not decompressor.eof:
        raise BulkFileError("the gzip file is truncated: it ends before its end marker")


def _hit_pattern(codes: Iterable[str], kind: Kind) -> re.Pattern[bytes]:
    alternatives = b"|".join(re.escape(code.encode()) for code in sorted(set(codes)))
    return re.compile(rb'"kommunenummer"\s*:\s*"(' + alternatives + rb')"')


def _trim(record: bytes) -> bytes:
    record = record.rstrip()
    if record.endswith(b"]"):
        record = record[:-1].rstrip()
    return record.rstrip(b", \t\r\n")


def iter_region_units(
    stream: BinaryIO, codes: Iterable[str], kind: Kind, summary: BulkSummary | None = None
) -> Iterator[Unit]:
    """Yield the units whose address (business address for enterprises, location for
    establishments) lies in one of `codes`. `summary` is filled in as the file is read."""
    codes = set(codes)
    summary = summary if summary is not None else BulkSummary()
    pattern = _hit_pattern(codes, kind)
    pending = b""
    offset = 0  # of `pending` in the uncompressed file
    records_before = 0
    for chunk in _decompressed_chunks(stream):
        if not summary.uncompressed_bytes and not chunk.lstrip().startswith(b"["):
            raise BulkFileError("the file is not a JSON array of units", offset=0)
        summary.uncompressed_bytes += len(chunk)
        buffer = pending + chunk if pending else chunk
        last_key = buffer.rfind(ORGNR_KEY)
        cut = buffer.rfind(b"{", 0, last_key) if last_key > 0 else -1
        if cut <= 0:
            pending = buffer
            continue
        yield from _units_in(buffer, cut, pattern, kind, codes, summary, offset, records_before)
        pending = buffer[cut:]
        records_before = summary.records_read
        offset += cut
    if pending.strip():
        yield from _units_in(
            pending, len(pending), pattern, kind, codes, summary, offset, records_before, last=True
        )


def _units_in(
    text: bytes,
    limit: int,
    pattern: re.Pattern[bytes],
    kind: Kind,
    codes: set[str],
    summary: BulkSummary,
    offset: int,
    records_before: int,
    last: bool = False,
) -> Iterator[Unit]:
    """The kept units among the records in text[:limit] (record starts before `limit`)."""
    summary.records_read += text.count(ORGNR_KEY, 0, limit)
    seen_starts: set[int] = set()
    counted_to, records_so_far = 0, records_before  # running count for record positions
    for hit in pattern.finditer(text, 0, limit):
        key = text.rfind(ORGNR_KEY, 0, hit.start())
        if key < 0:
            raise BulkFileError(
                "a municipality number outside any unit", offset=offset + hit.start()
            )
        start = text.rfind(b"{", 0, key)
        if start in seen_starts:
            continue
        seen_starts.add(start)
        next_key = text.find(ORGNR_KEY, hit.end(), limit)
        end = text.rfind(b"{", 0, next_key) if next_key >= 0 else limit
        records_so_far += text.count(ORGNR_KEY, counted_to, key + len(ORGNR_KEY))
        counted_to = key + len(ORGNR_KEY)
        position = records_so_far
        raw = _trim(text[start:end])
        try:
            record = json.loads(raw)
        except RecursionError:
            raise BulkFileError(
                "a unit is nested too deeply", record=position, offset=offset + start
            ) from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            if last and next_key < 0 and not raw.endswith(b"}"):
                raise BulkFileError(
                    "the file ends in the middle of a unit", record=position, offset=offset + start
                ) from None
            raise BulkFileError(
                f"malformed unit: {exc}", record=position, offset=offset + start
            ) from None
        if not isinstance(record, dict):
            raise BulkFileError(
                "a unit is not a JSON object", record=position, offset=offset + start
            )
        address = record.get(ADDRESS_KEY[kind]) or {}
        if address.get("kommunenummer") not in codes:
            continue  # the code was in another address (e.g. the postal address)
        unit = unit_from_record(record, kind, position=position)
        summary.kept += 1
        summary.per_municipality[unit.municipality_code] = (
            summary.per_municipality.get(unit.municipality_code, 0) + 1
        )
        yield unit
