"""SSB PxWebApi v2: table metadata, validated queries, JSON-stat 2 data → records.

Pure apart from the HTTP client passed in. One POST per table and measure group carries
all requested regions and years (split by time only if it would pass the 800,000-cell
limit). Every requested code is checked against the table's metadata first, so a renamed
code fails with a message naming the table, the variable and the code.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from retning.stats.http import HttpClient
from retning.stats.sources.base import Record, SourceError
from retning.stats.sources.jsonstat import Dataset, JsonStatError, decode

SOURCE = "SSB"
MAX_CELLS = 800_000

# Age groups Retning stores from single-year ages (both ends included; None = no upper end).
AGE_GROUPS: dict[str, tuple[int, int | None]] = {
    "0-14": (0, 14),
    "0-19": (0, 19),
    "15-74": (15, 74),
    "20-64": (20, 64),
    "20-66": (20, 66),
    "67+": (67, None),
    "80+": (80, None),
}


@dataclass(frozen=True)
class MeasureGroup:
    """One request to one table: its contents codes and how its variables map to Retning.

    `select` fixes variables to codes ("*" = every code in the metadata); a variable listed
    in `breakdown` becomes an observation dimension, except its `totals` code, which is the
    undivided figure. Variables neither selected nor broken down are eliminated (SSB sums
    them), which the metadata must allow.
    """

    name: str
    table: str
    dataset: str
    contents: dict[str, tuple[str, str]]  # ContentsCode → (measure, unit)
    select: dict[str, list[str]] = field(default_factory=dict)
    breakdown: dict[str, str] = field(default_factory=dict)
    totals: dict[str, str] = field(default_factory=dict)
    from_year: int = 2005
    regional: bool = True
    sum_ages: str = ""  # the age variable to sum into AGE_GROUPS and a total


GROUPS: list[MeasureGroup] = [
    MeasureGroup(
        "population",
        "07459",
        "ssb-07459",
        {"Personer1": ("population", "persons")},
        select={"Alder": ["*"]},
        sum_ages="Alder",
    ),
    MeasureGroup(
        "employed-by-workplace-and-industry",
        "13470",
        "ssb-13470",
        {"SysselsatteArb": ("employed_by_workplace", "persons")},
        select={"NACE2007": ["*"]},
        breakdown={"NACE2007": "nace"},
        totals={"NACE2007": "00-99"},
        from_year=2015,
    ),
    MeasureGroup(
        "employed-by-workplace-and-sector",
        "13472",
        "ssb-13472",
        {"SysselEtterArbste": ("employed_by_workplace_sector", "persons")},
        select={"Sektor": ["*"]},
        breakdown={"Sektor": "sector"},
        totals={"Sektor": "ALLE"},
        from_year=2015,
    ),
    MeasureGroup(
        "employment-rate",
        "06445",
        "ssb-06445",
        {"Sysselsatte2": ("employment_rate", "percent")},
        select={"Alder": ["15-74"]},
        breakdown={"Alder": "age"},
    ),
    MeasureGroup(
        "labour-force-status",
        "13563",
        "ssb-13563",
        {"Personer": ("labour_force_status", "persons")},
        select={"HovArbStyrkStatus": ["*"]},
        breakdown={"HovArbStyrkStatus": "status"},
        from_year=2015,
    ),
    MeasureGroup(
        "consumer-price-index",
        "14700",
        "ssb-14700",
        {"KpiIndMnd": ("cpi", "index")},
        select={"Konsumgrp": ["TOTAL"]},
        totals={"Konsumgrp": "TOTAL"},
        breakdown={"Konsumgrp": "group"},
        regional=False,
        from_year=2015,
    ),
]


@dataclass
class Result:
    group: MeasureGroup
    records: list[Record]
    raw: bytes
    url: str
    query: dict
    requests: int
    skipped_codes: list[str]


@dataclass(frozen=True)
class ApiConfig:
    """From `GET /config`: the cell limit per query and the licence the API states."""

    max_cells: int = MAX_CELLS
    licence: str = ""


def fetch_config(client: HttpClient, base: str) -> ApiConfig:
    url = f"{base.rstrip('/')}/config"
    response = client.request(SOURCE, "GET", url)
    try:
        doc = json.loads(response.content)
        return ApiConfig(int(doc.get("maxDataCells") or MAX_CELLS), str(doc.get("license") or ""))
    except (ValueError, TypeError, AttributeError) as exc:
        raise SourceError(SOURCE, f"{url}: not an API configuration ({exc})") from None


def metadata_url(base: str, table: str) -> str:
    return f"{base.rstrip('/')}/tables/{table}/metadata"


def data_url(base: str, table: str) -> str:
    return f"{base.rstrip('/')}/tables/{table}/data"


def fetch_metadata(client: HttpClient, base: str, table: str) -> Dataset:
    url = metadata_url(base, table)
    response = client.request(SOURCE, "GET", url, params={"lang": "no"})
    try:
        return decode(response.content, metadata=True)
    except JsonStatError as exc:
        raise SourceError(SOURCE, f"table {table} metadata at {url}: {exc}") from None


def time_codes(metadata: Dataset, from_year: int) -> list[str]:
    time_id = (metadata.role.get("time") or ["Tid"])[0]
    return [code for code in metadata.dimension(time_id).codes if int(code[:4]) >= from_year]


def build_selections(
    group: MeasureGroup, metadata: Dataset, regions: list[str], max_cells: int = MAX_CELLS
) -> tuple[list[dict], list[str]]:
    """The PxWebApi v2 selection(s) for a group, after checking every code against the
    metadata. Returns the selections (split by time to stay under the cell limit) and the
    region codes the table does not have (skipped, e.g. a code older than the table)."""
    table = group.table
    present = {d.id: d for d in metadata.dimensions}

    def require(variable: str) -> list[str]:
        if variable not in present:
            raise SourceError(
                SOURCE, f"table {table} has no variable {variable!r} (has {sorted(present)})"
            )
        return present[variable].codes

    fixed: dict[str, list[str]] = {}
    contents = require("ContentsCode")
    for code in group.contents:
        if code not in contents:
            raise SourceError(
                SOURCE, f"table {table}: ContentsCode {code!r} not in metadata ({contents})"
            )
    fixed["ContentsCode"] = list(group.contents)
    for variable, wanted in group.select.items():
        codes = require(variable)
        if wanted == ["*"]:
            fixed[variable] = list(codes)
            continue
        for code in wanted:
            if code not in codes:
                raise SourceError(
                    SOURCE, f"table {table}: {variable} code {code!r} not in metadata"
                )
        fixed[variable] = list(wanted)
    for variable, code in group.totals.items():
        if code not in require(variable):
            raise SourceError(
                SOURCE, f"table {table}: total code {code!r} of {variable} not in metadata"
            )
    skipped: list[str] = []
    if group.regional:
        available = set(require("Region"))
        chosen = [code for code in regions if code in available]
        skipped = [code for code in regions if code not in available]
        if not chosen:
            raise SourceError(SOURCE, f"table {table}: none of the regions {regions} is in it")
        fixed["Region"] = chosen
    time_id = (metadata.role.get("time") or ["Tid"])[0]
    require(time_id)
    for dimension in metadata.dimensions:
        if dimension.id in fixed or dimension.id == time_id:
            continue
        if dimension.elimination is False:
            raise SourceError(
                SOURCE, f"table {table}: variable {dimension.id!r} cannot be eliminated"
            )
    years = time_codes(metadata, group.from_year)
    if not years:
        raise SourceError(SOURCE, f"table {table} has no period from {group.from_year}")
    per_period = 1
    for codes in fixed.values():
        per_period *= len(codes)
    chunk = max(1, max_cells // per_period)
    selections = []
    for start in range(0, len(years), chunk):
        selection = [{"variableCode": v, "valueCodes": c} for v, c in fixed.items()]
        selection.append({"variableCode": time_id, "valueCodes": years[start : start + chunk]})
        selections.append({"selection": selection})
    return selections, skipped


def records_from(group: MeasureGroup, data: Dataset) -> list[Record]:
    """Decode one JSON-stat response of a group into records."""
    time_id = (data.role.get("time") or ["Tid"])[0]
    records: list[Record] = []
    ages: dict[tuple[str, str, str], list] = defaultdict(list)
    for cell in data.cells():
        coords = cell.coordinates
        content = coords.get("ContentsCode")
        if content not in group.contents:
            raise SourceError(SOURCE, f"table {group.table}: unexpected ContentsCode {content!r}")
        measure, unit = group.contents[content]
        code = coords.get("Region", "0") if group.regional else "0"
        period = coords[time_id]
        if group.sum_ages:
            ages[(measure, code, period)].append((coords[group.sum_ages], cell, unit))
            continue
        dimensions = {
            name: coords[variable]
            for variable, name in group.breakdown.items()
            if coords.get(variable) != group.totals.get(variable)
        }
        records.append(
            Record(measure, code, period, cell.value, unit, dimensions, cell.missing_reason)
        )
    for (measure, code, period), cells in ages.items():
        records.extend(_age_groups(measure, code, period, cells))
    return records


def _age(code: str) -> int:
    return int(code.rstrip("+").lstrip("0") or "0")


def _age_groups(measure: str, code: str, period: str, cells: list) -> list[Record]:
    unit = cells[0][2]
    groups = {"": (0, None), **AGE_GROUPS}
    out = []
    for name, (low, high) in groups.items():
        members = [
            c for age, c, _ in cells if low <= _age(age) and (high is None or _age(age) <= high)
        ]
        missing = [c for c in members if c.value is None]
        dimensions = {"age": name} if name else {}
        if missing or not members:
            reason = missing[0].missing_reason if missing else "no ages in the response"
            out.append(Record(measure, code, period, None, unit, dimensions, reason))
        else:
            total = sum((c.value for c in members), Decimal(0))
            out.append(Record(measure, code, period, total, unit, dimensions))
    return out


def fetch_group(
    client: HttpClient,
    base: str,
    group: MeasureGroup,
    regions: list[str],
    metadata: Dataset,
    max_cells: int = MAX_CELLS,
) -> Result:
    """Fetch one measure group (one request unless the cell limit forces a split)."""
    selections, skipped = build_selections(group, metadata, regions, max_cells)
    url = data_url(base, group.table)
    records: list[Record] = []
    raws: list[bytes] = []
    for body in selections:
        response = client.request(
            SOURCE, "POST", url, params={"lang": "no", "outputFormat": "json-stat2"}, json=body
        )
        raws.append(response.content)
        try:
            data = decode(response.content)
        except JsonStatError as exc:
            raise SourceError(
                SOURCE, f"table {group.table} data from {url}: malformed JSON-stat: {exc}"
            ) from None
        if data.table_id and data.table_id != group.table:
            raise SourceError(SOURCE, f"asked for table {group.table}, got {data.table_id}")
        records.extend(records_from(group, data))
    raw = raws[0] if len(raws) == 1 else b"[" + b",".join(raws) + b"]"
    query = {"selections": selections} if len(selections) > 1 else selections[0]
    return Result(group, records, raw, url, json.loads(json.dumps(query)), len(raws), skipped)
