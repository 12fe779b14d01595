"""What the store holds and what is missing, for the data page (one place decides "missing")."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min
from django.utils.translation import get_language

from retning.core.names import display_name
from retning.stats.catalogue import DIMENSION_NAMES, EXPECTED_SERIES, ExpectedSeries, measure_title
from retning.stats.models import Dataset, Fetch, Observation
from retning.stats.queries import series
from retning.stats.sources.base import dimension_key


@dataclass
class MeasureCoverage:
    measure: str
    dimension_key: str
    codes: int
    first: str
    last: str
    count: int
    title: str = ""
    breakdown: str = ""


@dataclass
class DatasetSummary:
    dataset: Dataset
    last_ok: Fetch | None
    last_failure: Fetch | None
    observations: int
    measures: list[MeasureCoverage] = field(default_factory=list)
    recent_fetches: list[Fetch] = field(default_factory=list)


@dataclass
class MissingSeries:
    expected: ExpectedSeries
    missing: list[str]  # municipality names, or empty for a region-wide series
    whole_series: bool


def _facility_names() -> dict[str, str]:
    """Reporting facilities' names by their id in the emissions register."""
    names: dict[str, str] = {}
    rows = Observation.objects.filter(measure="facility_ghg_emissions", current=True).values_list(
        "dimensions", "attributes"
    )
    for dims, attrs in rows:
        if dims.get("facility") and attrs.get("facility_name"):
            names[dims["facility"]] = display_name(attrs["facility_name"])
    return names


def breakdown_text(key: str, english: bool, facilities: dict[str, str]) -> str:
    """«age=15-74;facility=127387» as «alder 15–74, anlegg Borregaard …» for readers."""
    parts = []
    for pair in filter(None, key.split(";")):
        name, _sep, value = pair.partition("=")
        if name == "facility":
            value = facilities.get(value, value)
        elif name == "age":
            value = value.replace("-", "–")
        label = DIMENSION_NAMES.get(name)
        parts.append(f"{label[1 if english else 0] if label else name} {value}")
    return ", ".join(parts)


def dataset_summaries() -> list[DatasetSummary]:
    coverage: dict[int, list[MeasureCoverage]] = {}
    english = (get_language() or "nb").startswith("en")
    facilities = _facility_names()
    rows = (
        Observation.objects.filter(current=True)
        .values("dataset_id", "measure", "dimension_key")
        .annotate(
            codes=Count("code", distinct=True),
            first=Min("period"),
            last=Max("period"),
            count=Count("id"),
        )
        .order_by("dataset_id", "measure", "dimension_key")
    )
    for row in rows:
        coverage.setdefault(row["dataset_id"], []).append(
            MeasureCoverage(
                row["measure"],
                row["dimension_key"],
                row["codes"],
                row["first"],
                row["last"],
                row["count"],
                measure_title(row["measure"], english),
                breakdown_text(row["dimension_key"], english, facilities),
            )
        )
    fetches: dict[int, list[Fetch]] = {}
    for fetch in Fetch.objects.order_by("-retrieved_at", "-id"):
        fetches.setdefault(fetch.dataset_id, []).append(fetch)
    summaries = []
    for dataset in Dataset.objects.all():
        mine = fetches.get(dataset.pk, [])
        ok = [f for f in mine if f.outcome == Fetch.Outcome.OK]
        failed = [f for f in mine if f.outcome == Fetch.Outcome.FAILED]
        last_ok = ok[0] if ok else None
        last_failure = failed[0] if failed else None
        if last_failure and last_ok and last_ok.retrieved_at > last_failure.retrieved_at:
            last_failure = None  # a later success makes the failure history
        measures = coverage.get(dataset.pk, [])
        summaries.append(
            DatasetSummary(
                dataset=dataset,
                last_ok=last_ok,
                last_failure=last_failure,
                observations=sum(m.count for m in measures),
                measures=measures,
                recent_fetches=ok[:5],
            )
        )
    return summaries


def missing_series(municipalities: list[tuple[str, str]]) -> list[MissingSeries]:
    """Expected series with no current observation for some of the region's municipalities.

    `municipalities` are (current code, name) pairs.
    """
    result = []
    present = set(
        Observation.objects.filter(current=True).values_list("measure", "dimension_key", "code")
    )
    measures_any = {(m, c) for m, _, c in present}
    for expected in EXPECTED_SERIES:
        key = dimension_key(expected.dimensions)

        def has(code: str | None, expected=expected, key=key) -> bool:
            if code is None:
                return any(m == expected.measure for m, _ in measures_any)
            if expected.any_dimensions:
                return (expected.measure, code) in measures_any
            return (expected.measure, key, code) in present

        if not expected.per_municipality:
            if not has(None):
                result.append(MissingSeries(expected, [], True))
            continue
        missing = [name for code, name in municipalities if not has(code)]
        if missing:
            result.append(MissingSeries(expected, missing, len(missing) == len(municipalities)))
    return result


@dataclass
class SeriesTable:
    expected: ExpectedSeries
    columns: list[str]
    rows: list[tuple[str, list[object]]]
    sources: list[Fetch]


def series_table(expected: ExpectedSeries, municipalities: list[tuple[str, str]]) -> SeriesTable:
    """A period × municipality table of one expected series, with the fetches it came from."""

    codes = [code for code, _ in municipalities]
    points = series(expected.measure, codes=codes, dimensions=expected.dimensions)
    by_period: dict[str, dict[str, object]] = {}
    fetch_ids: set[int] = set()
    for point in points:
        by_period.setdefault(point.period, {})[point.code] = (
            point.value if point.value is not None else None
        )
        fetch_ids.add(point.fetch_id)
    rows = [
        (period, [by_period[period].get(code) for code in codes]) for period in sorted(by_period)
    ]
    sources = list(
        Fetch.objects.filter(pk__in=fetch_ids).select_related("dataset").order_by("url", "id")
    )
    # One line per distinct original address is enough to cite the table.
    seen: set[tuple[int, str]] = set()
    distinct = []
    for fetch in sources:
        key = (fetch.dataset_id, fetch.url)
        if key not in seen:
            seen.add(key)
            distinct.append(fetch)
    return SeriesTable(expected, [name for _, name in municipalities], rows, distinct)
