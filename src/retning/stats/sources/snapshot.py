"""The bundled snapshot of real published figures (long CSV, one source per row).

Columns: municipality_code, municipality_name, year, variable, value, unit, source_url,
source_note. This module turns rows into records grouped by dataset and provenance
(source_url + source_note), so that each group becomes one fetch. Pure.

Pseudo-codes: `KR6` rows are sums computed by the collector; Retning computes its own
sums, so they are skipped (and counted). `KR` and `KR_SB1` are figures a named source
quoted for its own definition of the region; they are kept under that code, in the
dataset `quoted-regional-facts`, never mixed with the municipalities.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from retning.core import bounds
from retning.stats.sources.base import Record, SourceError

COLUMNS = [
    "municipality_code",
    "municipality_name",
    "year",
    "variable",
    "value",
    "unit",
    "source_url",
    "source_note",
]
SKIPPED_CODES = {"KR6"}
QUOTED_REGION_CODES = {"KR", "KR_SB1"}
# Figures quoted from reports and articles, whatever the code: never used for goals.
QUOTED_FILE_PREFIX = "regional_jobs_and_business_facts"

_AGE = re.compile(r"^population_(\d+)_(\d+|plus)$")
_MONTH = re.compile(r"^(nav_helt_ledige_(?:persons|pct_labour_force))_month(\d{2})$")
_FACILITY = re.compile(r"^facility_ghg_emissions_air_(\d+)_")
_FACILITY_NOTE = re.compile(
    r'facility "(?P<name>[^"]+)" \(AnleggId (?P<id>\d+), org\.nr\. (?P<orgnr>\d+), '
    r"NACE (?P<nace>[\d.]+)\)"
)
_BENEFITS = {
    "pension_or_benefit_recipients_total",
    "old_age_pension_recipients",
    "disability_benefit_recipients",
    "aap_recipients",
}


@dataclass(frozen=True)
class Interpretation:
    dataset: str
    measure: str
    dimensions: dict[str, str] = field(default_factory=dict)
    period_suffix: str = ""


def interpret(variable: str, code: str, source_url: str) -> Interpretation | None:
    """What a snapshot variable is in Retning's terms; None for an unknown variable."""
    if code in QUOTED_REGION_CODES:
        return Interpretation("quoted-regional-facts", f"quoted_{variable}")
    if variable == "population_total":
        return Interpretation("ssb-07459", "population")
    if match := _AGE.match(variable):
        low, high = match.groups()
        age = f"{low}+" if high == "plus" else f"{low}-{high}"
        return Interpretation("ssb-07459", "population", {"age": age})
    if variable == "employed_persons_by_workplace":
        return Interpretation("kommuneprofilen-arbeidsmarked", "employed_by_workplace")
    if match := _MONTH.match(variable):
        name, month = match.groups()
        measure = (
            "nav_registered_unemployed"
            if name.endswith("persons")
            else "nav_registered_unemployed_pct"
        )
        dataset = "nav-hl060" if "HL060" in source_url else "news-quotes"
        return Interpretation(dataset, measure, period_suffix=f"M{month}")
    if _FACILITY.match(variable):
        return Interpretation("miljodir-norskeutslipp", "facility_ghg_emissions")
    if variable == "disability_benefit_recipients_pct_pop_18_67_quoted":
        return Interpretation("news-quotes", "disability_benefit_recipients_pct", {"age": "18-67"})
    if variable == "employment_rate_residents_15_74":
        return Interpretation("kommuneprofilen-arbeidsmarked", "employment_rate", {"age": "15-74"})
    if variable == "employment_rate_residents_20_66":
        return Interpretation("kommuneprofilen-arbeidsmarked", "employment_rate", {"age": "20-66"})
    if variable == "employed_residents_per_100_inhabitants_all_ages":
        return Interpretation(
            "kommuneprofilen-arbeidsmarked", "employed_residents_per_100_inhabitants"
        )
    base, suffix = (variable[:-3], "K3") if variable.endswith("_q3") else (variable, "")
    for stem in _BENEFITS:
        if base == f"{stem}_persons":
            return Interpretation("kommuneprofilen-helse", stem, period_suffix=suffix)
        if base == f"{stem}_pct_of_all_inhabitants":
            return Interpretation("kommuneprofilen-helse", f"{stem}_pct", period_suffix=suffix)
    return None


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "januar"),
            ("february", "februar"),
            ("march", "mars"),
            ("april",),
            ("may", "mai"),
            ("june", "juni"),
            ("july", "juli"),
            ("august",),
            ("september",),
            ("october", "oktober"),
            ("november",),
            ("december", "desember"),
        ],
        1,
    )
    for name in names
}
_COLLECTED = re.compile(
    r"^\s*(?:collected|samlet inn)\s+(?:(?P<day>\d{1,2})\.?\s+)?(?P<month>[a-zæøå]+)\s+"
    r"(?P<year>\d{4})\b",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Collected:
    """When the snapshot's figures were collected, as precisely as SOURCES.md says it."""

    date: dt.date
    precision: str  # "month" or "day"


def collection_date(name: str, text: str) -> Collected:
    """The collection date stated in the snapshot's SOURCES.md ("Collected November 2026.",
    "Samlet inn 12. november 2026"): the date the figures were fetched, which is what a
    fetch's date means; the day Retning loaded them is not."""
    for match in _COLLECTED.finditer(text):
        month = _MONTHS.get(match["month"].lower())
        if month is None:
            continue
        day = int(match["day"]) if match["day"] else None
        try:
            date = dt.date(int(match["year"]), month, day or 1)
        except ValueError:
            break
        return Collected(date, "day" if day else "month")
    raise SourceError(
        "snapshot",
        f"{name}: no line such as 'Collected November 2026.' saying when the figures were "
        "collected",
    )


@dataclass
class SnapshotGroup:
    """Rows of one file with one dataset and one provenance: one fetch."""

    dataset: str
    source_url: str
    source_note: str
    records: list[Record] = field(default_factory=list)


@dataclass
class SnapshotFile:
    name: str
    groups: dict[tuple[str, str, str], SnapshotGroup] = field(default_factory=dict)
    skipped: int = 0


def parse_snapshot_csv(name: str, raw: bytes) -> SnapshotFile:
    """Parse one snapshot CSV; a bad row raises `SourceError` naming the file and line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError("snapshot", f"{name}: not UTF-8 ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != COLUMNS:
        raise SourceError("snapshot", f"{name}: columns {reader.fieldnames}, expected {COLUMNS}")
    result = SnapshotFile(name)
    for row in reader:
        line = reader.line_num
        code = row["municipality_code"]
        if code in SKIPPED_CODES:
            result.skipped += 1
            continue
        if name.startswith(QUOTED_FILE_PREFIX):
            meaning = Interpretation("quoted-regional-facts", f"quoted_{row['variable']}")
        else:
            meaning = interpret(row["variable"], code, row["source_url"])
        if meaning is None:
            raise SourceError("snapshot", f"{name}:{line}: unknown variable {row['variable']!r}")
        try:
            value = Decimal(row["value"])
            year = int(row["year"])
        except (InvalidOperation, ValueError):
            raise SourceError(
                "snapshot", f"{name}:{line}: bad year or value {row['year']!r} {row['value']!r}"
            ) from None
        if why := bounds.problem(value, bounds.OBSERVATION_LIMIT):
            raise SourceError("snapshot", f"{name}:{line}: value {why}")
        dimensions = dict(meaning.dimensions)
        attributes: dict[str, str] = {}
        if meaning.measure == "facility_ghg_emissions":
            note = _FACILITY_NOTE.search(row["source_note"])
            if note is None:
                raise SourceError("snapshot", f"{name}:{line}: facility note not understood")
            dimensions["facility"] = note["id"]
            attributes = {
                "facility_name": note["name"],
                "org_nr": note["orgnr"],
                "nace": note["nace"],
            }
        if code in QUOTED_REGION_CODES:
            attributes["region_definition"] = row["municipality_name"]
        key = (meaning.dataset, row["source_url"], row["source_note"])
        group = result.groups.setdefault(key, SnapshotGroup(*key))
        group.records.append(
            Record(
                measure=meaning.measure,
                code=code,
                period=f"{year}{meaning.period_suffix}",
                value=value,
                unit=row["unit"],
                dimensions=dimensions,
                attributes=attributes,
            )
        )
    return result
