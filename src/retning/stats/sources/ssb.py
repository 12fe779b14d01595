"""SSB PxWebApi v2: table metadata, codes resolved by role, JSON-stat 2 data → records.

Pure apart from the HTTP client passed in. For each table Retning reads, `GROUPS` says
which codes it asks for and why (with the evidence for every code). Before any data is
asked for, `plan_group` resolves the group against the table's metadata: the variables
by role (time, geo, metric: `Tid`, `Region`, `ContentsCode` when the document names no
role), every code against the metadata's values, and every variable Retning does not use
against its `elimination` flag. What does not match is collected and fails with a message
naming the table, the variable and what was expected; where it safely can, the plan
adapts (a total found as the variable's elimination value or by its label, "I alt" or
"Alle"; an unneeded total left out where the variable may be eliminated) and says so.
`check()` does the same for every table with one metadata request each and no data.

One POST per table and measure group carries all requested regions and years (split by
time only if it would pass the cell limit `/config` states).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from retning.stats.http import HttpClient
from retning.stats.sources.base import Record, SourceError
from retning.stats.sources.jsonstat import Dataset, Dimension, JsonStatError, decode

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

# Labels of a variable's total ("I alt", "Alle næringer", "Begge kjønn"; "totalt, samtliga
# åldrar" at Statistics Sweden, on the same software). Used only to find a total whose
# expected code has gone, or of a variable that may not be left out; never to pick a code
# Retning has no evidence for in the first place.
TOTAL_LABELS = {"i alt", "alle", "total", "totalt", "begge kjønn"}
TOTAL_PREFIXES = ("i alt", "alle ", "totalt")


@dataclass(frozen=True)
class Choice:
    """What Retning asks of one variable of a table.

    `codes`: the codes to select (empty: every code the table, or the code list, has).
    `total`: the code that stands for the undivided figure; records of it carry no
    dimension, and if it is gone the plan looks for the total by elimination value or
    label. `dimension`: the observation dimension the codes become (empty: the variable
    is fixed, e.g. both sexes). `codelist`: a PxWebApi code list applied to the variable.
    """

    variable: str
    codes: tuple[str, ...] = ()
    total: str = ""
    dimension: str = ""
    codelist: str = ""


@dataclass(frozen=True)
class MeasureGroup:
    """One request to one table: its contents codes, the variables Retning chooses, and
    how they become observations. Variables not chosen must be eliminable (SSB then gives
    their total). `evidence` names where the codes come from (docs/data.md lists it)."""

    name: str
    table: str
    dataset: str
    contents: dict[str, tuple[str, str]]  # ContentsCode → (measure, unit)
    choices: tuple[Choice, ...] = ()
    from_year: int = 2005
    regional: bool = True
    sum_ages: str = ""  # the age variable to sum into AGE_GROUPS and a total
    evidence: str = ""

    @property
    def codelists(self) -> dict[str, str]:
        return {c.variable: c.codelist for c in self.choices if c.codelist}

    def choice(self, variable: str) -> Choice | None:
        return next((c for c in self.choices if c.variable == variable), None)


# Evidence shorthand (full references in docs/data.md, "Codes and their evidence"):
# TM = evensrii/Telemark@2f2c211 (Python/Queries/03_Arbeid_og_naeringsliv/…, Data/…),
# PX = janbrus/pxwebapi-skills@890e10d (ssb-pxwebapi-v2-skill/references/),
# OTHER = unrelated public projects querying the same table the same way.
GROUPS: list[MeasureGroup] = [
    MeasureGroup(
        "population",
        "07459",
        "ssb-07459",
        {"Personer1": ("population", "persons")},
        (Choice("Alder"),),  # single years 000 … 105+, summed into AGE_GROUPS
        sum_ages="Alder",
        evidence="PX (07459 examples, Kjonn eliminable without a total); OTHER",
    ),
    MeasureGroup(
        "employed-by-workplace",
        "07984",
        "ssb-07984",
        {"SysselsatteArb": ("employed_by_workplace", "persons")},
        (
            Choice("NACE2007", ("00-99",), total="00-99"),
            Choice("Kjonn", ("0",), total="0"),
            Choice("Alder", ("15-74",)),
        ),
        from_year=2015,  # a-ordningen from 2015: earlier years are not comparable
        evidence="TM sysselsetting_alder.py (variables); OTHER (00-99, Kjonn 0, Alder 15-74)",
    ),
    MeasureGroup(
        "employed-by-workplace-and-industry",
        "13470",
        "ssb-13470",
        {"SysselsatteArb": ("employed_by_workplace", "persons")},
        # The default NACE2007 list has no 00-99; the industry groups (01-03 … 90-99 and
        # 00 unspecified) come with this code list only.
        (Choice("NACE2007", dimension="nace", codelist="agg_NACE2007arb11"),),
        from_year=2015,
        evidence="TM arbeidsplasser_i_naringer.py, endring_arbeidsplasser_over_tid.py",
    ),
    MeasureGroup(
        "employed-by-workplace-and-sector",
        "13472",
        "ssb-13472",
        {"SysselEtterArbste": ("employed_by_workplace_sector", "persons")},
        (
            Choice(
                "Sektor",
                ("6100", "6500.6", "6500.7", "A+B+D+E.5-7", "A+B+D+E.0-1+9"),
                dimension="sector",
            ),
            Choice("NACE2007", ("00-99",), total="00-99"),
        ),
        from_year=2015,
        evidence="TM offentlig_vs_privat_sysselsetting.py (Sektor codes; NACE2007 left out)",
    ),
    MeasureGroup(
        "employment-rate",
        "06445",
        "ssb-06445",
        {"Sysselsatte": ("employment_rate", "percent")},
        (Choice("Alder", ("15-74",), dimension="age"),),
        evidence="WEB ssb.no/statbank/table/06445; TM sysselsetting_i_kommunene.py",
    ),
    MeasureGroup(
        "labour-force-status",
        "13563",
        "ssb-13563",
        {"Bosatte": ("labour_force_status", "persons")},
        (
            Choice(
                "HovArbStyrkStatus", ("TOT", "A.01", "A.09", "NEET2"), "TOT", dimension="status"
            ),
            Choice("Alder", ("15-74", "20-66", "15-29"), dimension="age"),
            Choice("InnvandrKat", ("A-G",), total="A-G"),
        ),
        from_year=2015,
        evidence="TM arbeidsmarkedstilknytning.py and Arbeidsmarkedstilknytning SSB 13563.xlsx",
    ),
    MeasureGroup(
        "consumer-price-index",
        "14700",
        "ssb-14700",
        {"KpiIndMnd": ("cpi", "index")},
        (Choice("VareTjenesteGrp", ("00",), total="00"),),
        regional=False,
        from_year=2015,
        evidence="PX common-tables.md, codelists-and-filters.md (00 and ?? examples); OTHER",
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
    notes: list[str] = field(default_factory=list)


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


def fetch_metadata(
    client: HttpClient, base: str, table: str, codelists: dict[str, str] | None = None
) -> Dataset:
    """The table's metadata, with the code lists applied (PxWebApi's `codelist[VAR]=ID`),
    so that one request shows every code a group will ask for."""
    url = metadata_url(base, table)
    params = {"lang": "no"}
    params.update({f"codelist[{var}]": cl for var, cl in sorted((codelists or {}).items())})
    lists = ", ".join(f"code list {cl} of {var}" for var, cl in sorted((codelists or {}).items()))
    what = f"table {table} metadata" + (f" (with {lists})" if lists else "")
    try:
        response = client.request(SOURCE, "GET", url, params=params)
    except SourceError as exc:
        raise SourceError(SOURCE, f"{what}: {exc.message}") from None
    try:
        return decode(response.content, metadata=True)
    except JsonStatError as exc:
        raise SourceError(SOURCE, f"{what} at {url}: {exc}") from None


# --- resolving a group against the metadata -----------------------------------------------
@dataclass
class Plan:
    """What one data request will ask for, or what stops it (`problems`)."""

    group: MeasureGroup
    fixed: list[dict] = field(default_factory=list)  # selection items except time
    time_variable: str = "Tid"
    periods: list[str] = field(default_factory=list)
    totals: dict[str, str] = field(default_factory=dict)  # variable → its total code
    skipped_regions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def cells_per_period(self) -> int:
        count = 1
        for item in self.fixed:
            count *= len(item["valueCodes"])
        return count


def role_variable(data: Dataset, role: str, fallback: str) -> str | None:
    """The variable with a JSON-stat role (time, geo, metric), else the usual SSB name."""
    ids = {d.id for d in data.dimensions}
    for candidate in data.role.get(role) or []:
        if candidate in ids:
            return candidate
    return fallback if fallback in ids else None


def _strip_code(label: str, code: str) -> str:
    text = label.strip()
    if text.startswith(code + " "):
        text = text[len(code) + 1 :]
    return text.strip().lower()


def find_total(dimension: Dimension) -> tuple[str, str] | None:
    """The variable's total, and how it was found: the elimination value the document
    names, else the one value labelled as a total ("I alt", "Alle", "Alle næringer")."""
    if dimension.elimination_code and dimension.elimination_code in dimension.codes:
        return dimension.elimination_code, "elimination value"
    hits = [
        code
        for code in dimension.codes
        if (text := _strip_code(dimension.labels.get(code, ""), code)) in TOTAL_LABELS
        or text.startswith(TOTAL_PREFIXES)
    ]
    if len(hits) == 1:
        return hits[0], f"labelled {dimension.labels[hits[0]]!r}"
    return None


def _show(dimension: Dimension, codes: Iterable[str] | None = None, limit: int = 12) -> str:
    codes = list(dimension.codes if codes is None else codes)
    shown = []
    for code in codes[:limit]:
        label = dimension.labels.get(code, code)
        shown.append(f"'{code}'" + (f" ({label})" if label and label != code else ""))
    more = f", … ({len(codes)} codes)" if len(codes) > limit else ""
    return ", ".join(shown) + more if shown else "no codes"


def _unique(codes: Iterable[str]) -> list[str]:
    """Codes in order without repeats (PxWebApi answers a repeated code with HTTP 500)."""
    return list(dict.fromkeys(codes))


def _period_year(code: str) -> int | None:
    match = re.match(r"^(\d{4})", code)
    return int(match.group(1)) if match else None


def plan_group(group: MeasureGroup, metadata: Dataset, regions: list[str]) -> Plan:
    """Resolve a group against the table's metadata (fetched with the group's code lists
    applied). Every mismatch is collected in `problems`; adaptations go in `notes`."""
    table = group.table
    plan = Plan(group)
    dims = {d.id: d for d in metadata.dimensions}
    names = ", ".join(dims)

    def problem(variable: str, expected: str, dimension: Dimension | None = None) -> None:
        has = f"; the table has {_show(dimension)}" if dimension is not None else ""
        plan.problems.append(f"table {table}, variable {variable}: expected {expected}{has}")

    def missing_variable(variable: str, expected: str) -> None:
        hint = ""
        if variable.startswith("NACE") and any(d.startswith("NACE") for d in dims):
            hint = (
                " (the table is on another industry classification: SSB publishes SN2025 "
                "tables from 2026; map the focus areas to it and name the new table)"
            )
        plan.problems.append(
            f"table {table}: no variable {variable!r} (expected {expected}); "
            f"the table has {names}{hint}"
        )

    metric = role_variable(metadata, "metric", "ContentsCode")
    time_id = role_variable(metadata, "time", "Tid")
    geo = role_variable(metadata, "geo", "Region") if group.regional else None
    if metric is None:
        missing_variable("ContentsCode", "the contents variable (role metric)")
    else:
        contents = dims[metric]
        absent = [code for code in group.contents if code not in contents.codes]
        for code in absent:
            measure = group.contents[code][0]
            problem(metric, f"contents code {code!r} ({measure})", contents)
        if not absent:
            plan.fixed.append({"variableCode": metric, "valueCodes": list(group.contents)})
    if time_id is None:
        missing_variable("Tid", "the time variable (role time)")
    else:
        plan.time_variable = time_id
        plan.periods = [
            code
            for code in dims[time_id].codes
            if (year := _period_year(code)) is not None and year >= group.from_year
        ]
        if not plan.periods:
            problem(time_id, f"periods from {group.from_year}", dims[time_id])
    if group.regional:
        if geo is None:
            missing_variable("Region", "the region variable (role geo)")
        else:
            available = set(dims[geo].codes)
            wanted = _unique(regions)
            chosen = [code for code in wanted if code in available]
            plan.skipped_regions = [code for code in wanted if code not in available]
            if not chosen:
                problem(geo, f"one of the region codes {', '.join(wanted) or '(none)'}")
            else:
                plan.fixed.append({"variableCode": geo, "valueCodes": chosen})
    for choice in group.choices:
        _plan_choice(plan, choice, dims, problem, missing_variable)
    used = {metric, time_id, geo, *(c.variable for c in group.choices)}
    for dimension in metadata.dimensions:
        if dimension.id in used or dimension.elimination is not False:
            continue  # eliminable (or not said): SSB gives the total when it is left out
        found = find_total(dimension)
        if found is None:
            problem(
                dimension.id,
                "a variable that may be left out (it is mandatory, and Retning knows no "
                "total code for it)",
                dimension,
            )
            continue
        code, how = found
        plan.fixed.append({"variableCode": dimension.id, "valueCodes": [code]})
        plan.totals[dimension.id] = code
        plan.notes.append(
            f"table {table}, variable {dimension.id}: mandatory, so its total {code!r} "
            f"({how}) is asked for"
        )
    return plan


def _plan_choice(plan: Plan, choice: Choice, dims: dict[str, Dimension], problem, missing) -> None:
    table = plan.group.table
    variable = choice.variable
    if variable not in dims:
        codes = ", ".join(repr(code) for code in choice.codes) or "every code"
        what = f"code list {choice.codelist} with {codes}" if choice.codelist else codes
        missing(variable, what)
        return
    dimension = dims[variable]
    codes = list(choice.codes) or list(dimension.codes)
    total = choice.total
    if total and total not in dimension.codes:
        found = find_total(dimension)
        if found is not None:
            code, how = found
            plan.notes.append(
                f"table {table}, variable {variable}: total {total!r} not found, using "
                f"{code!r} ({how})"
            )
            codes = [code if c == total else c for c in codes]
            total = code
        elif codes == [total] and dimension.elimination:
            plan.notes.append(
                f"table {table}, variable {variable}: total {total!r} not found; the variable "
                "is left out, so SSB gives its total"
            )
            return
    absent = [code for code in codes if code not in dimension.codes]
    if absent:
        source = f" (code list {choice.codelist})" if choice.codelist else ""
        quoted = ", ".join(repr(code) for code in absent)
        problem(variable, f"code{'s' if len(absent) > 1 else ''} {quoted}{source}", dimension)
        return
    if not codes:
        problem(variable, "at least one code", dimension)
        return
    item: dict = {"variableCode": variable, "valueCodes": _unique(codes)}
    if choice.codelist:
        item["codelist"] = choice.codelist
        plan.notes.append(
            f"table {table}, variable {variable}: code list {choice.codelist}, {len(codes)} codes"
        )
    plan.fixed.append(item)
    if total:
        plan.totals[variable] = total


def build_selections(
    group: MeasureGroup, metadata: Dataset, regions: list[str], max_cells: int = MAX_CELLS
) -> tuple[list[dict], list[str]]:
    """The PxWebApi v2 selection(s) for a group, after resolving it against the metadata.
    Returns the selections (split by time to stay under the cell limit) and the region
    codes the table does not have (skipped, e.g. a code older than the table)."""
    plan = plan_group(group, metadata, regions)
    return selections_of(plan, max_cells), plan.skipped_regions


def selections_of(plan: Plan, max_cells: int = MAX_CELLS) -> list[dict]:
    if plan.problems:
        raise SourceError(SOURCE, "; ".join(plan.problems))
    if plan.cells_per_period > max_cells:
        raise SourceError(
            SOURCE,
            f"table {plan.group.table}: one period alone is {plan.cells_per_period} cells, "
            f"more than the {max_cells} the API allows per request",
        )
    chunk = max_cells // max(1, plan.cells_per_period)
    selections = []
    for start in range(0, len(plan.periods), chunk):
        selection = [dict(item) for item in plan.fixed]
        selection.append(
            {"variableCode": plan.time_variable, "valueCodes": plan.periods[start : start + chunk]}
        )
        selections.append({"selection": selection})
    return selections


# --- data → records ------------------------------------------------------------------------
def records_from(
    group: MeasureGroup, data: Dataset, totals: dict[str, str] | None = None
) -> list[Record]:
    """Decode one JSON-stat response of a group into records.

    `totals` are the total codes the plan resolved; without a plan (a file imported by
    hand) the group's own totals are used, or a total found by label in the file. A
    variable Retning does not break down must come with one code only, or two figures
    would claim the same place.
    """
    table = group.table
    metric = role_variable(data, "metric", "ContentsCode") or "ContentsCode"
    time_id = role_variable(data, "time", "Tid") or "Tid"
    geo = role_variable(data, "geo", "Region") if group.regional else None
    resolved: dict[str, str] = dict(totals or {})
    breakdown: dict[str, str] = {}
    for dimension in data.dimensions:
        if dimension.id in (metric, time_id, geo) or dimension.id == group.sum_ages:
            continue
        choice = group.choice(dimension.id)
        if dimension.id not in resolved:
            if choice is not None and choice.total in dimension.codes:
                resolved[dimension.id] = choice.total
            elif choice is not None and choice.total and (found := find_total(dimension)):
                resolved[dimension.id] = found[0]
        if choice is not None and choice.dimension:
            breakdown[dimension.id] = choice.dimension
        elif len(dimension.codes) > 1:
            raise SourceError(
                SOURCE,
                f"table {table}, variable {dimension.id}: {len(dimension.codes)} codes "
                f"({_show(dimension, limit=5)}); Retning reads one here",
            )
    if metric not in {d.id for d in data.dimensions}:
        raise SourceError(SOURCE, f"table {table}: no contents variable ({metric})")
    if group.regional and geo is None:
        raise SourceError(SOURCE, f"table {table}: no region variable (role geo)")
    records: list[Record] = []
    ages: dict[tuple[str, str, str], list] = defaultdict(list)
    for cell in data.cells():
        coords = cell.coordinates
        content = coords.get(metric)
        if content not in group.contents:
            raise SourceError(SOURCE, f"table {table}: unexpected {metric} {content!r}")
        measure, unit = group.contents[content]
        code = coords[geo] if geo else "0"
        period = coords[time_id]
        if group.sum_ages:
            ages[(measure, code, period)].append((coords[group.sum_ages], cell, unit))
            continue
        dimensions = {
            name: coords[variable]
            for variable, name in breakdown.items()
            if coords[variable] != resolved.get(variable)
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
    plan = plan_group(group, metadata, regions)
    selections = selections_of(plan, max_cells)
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
        records.extend(records_from(group, data, plan.totals))
    raw = raws[0] if len(raws) == 1 else b"[" + b",".join(raws) + b"]"
    query = {"selections": selections} if len(selections) > 1 else selections[0]
    return Result(
        group,
        records,
        raw,
        url,
        json.loads(json.dumps(query)),
        len(raws),
        plan.skipped_regions,
        plan.notes,
    )


# --- checking the tables without fetching data --------------------------------------------
@dataclass
class TableCheck:
    """The outcome of checking one table's metadata against what Retning asks of it."""

    table: str
    groups: list[str]
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped_regions: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def metadata_key(group: MeasureGroup) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Groups with the same table and code lists share one metadata request."""
    return group.table, tuple(sorted(group.codelists.items()))


def check(
    client: HttpClient, base: str, regions: list[str], groups: list[MeasureGroup] | None = None
) -> list[TableCheck]:
    """One metadata request per table, no data: does every code Retning asks for exist?"""
    by_key: dict[tuple, list[MeasureGroup]] = defaultdict(list)
    for group in groups if groups is not None else GROUPS:
        by_key[metadata_key(group)].append(group)
    results = []
    unreachable = ""
    for (table, codelists), members in by_key.items():
        result = TableCheck(table, [g.name for g in members])
        results.append(result)
        if unreachable:  # do not wait on a service that is gone once per table
            result.problems.append(f"not tried, SSB unreachable: {unreachable}")
            continue
        try:
            metadata = fetch_metadata(client, base, table, dict(codelists))
        except SourceError as exc:
            result.problems.append(exc.message)
            if "gave up after" in exc.message:  # no answer after the retries
                unreachable = exc.message
            continue
        if metadata.table_id and metadata.table_id != table:
            result.problems.append(f"asked for table {table}, got {metadata.table_id}")
        for group in members:
            plan = plan_group(group, metadata, regions)
            result.problems += plan.problems
            result.notes += plan.notes
            result.skipped_regions += [
                c for c in plan.skipped_regions if c not in result.skipped_regions
            ]
    return results
