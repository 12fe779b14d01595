"""Reading statistics: the one documented way the goal engine and the pages get series.

`series(measure, codes=…, dimensions=…)` returns current observations as `Point`s, one per
(code, period, dimensions); where datasets overlap (an official table and a secondary
copy), the dataset with the higher rank wins. See docs/data.md for every measure id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from retning.stats.models import Observation
from retning.stats.regions import code_on
from retning.stats.sources.base import dimension_key
from retning.stats.store import code_changes


@dataclass(frozen=True)
class Point:
    """One figure with what is needed to cite it (the fetch id leads to the full provenance:
    `retning.stats.models.Fetch` with source, table, URL, licence and retrieved-at)."""

    code: str
    period: str
    value: Decimal | None
    missing_reason: str
    unit: str
    fetch_id: int
    dataset: str
    dimensions: dict[str, str]
    code_published: str


def harmonise(codes: list[str], on: dt.date | None = None) -> list[str]:
    """Historical codes (0402) → current ones (3401)."""
    changes = code_changes()
    day = on or timezone.localdate()
    return [code_on(code, changes, day) for code in codes]


def series(
    measure: str,
    *,
    codes: list[str] | None = None,
    dimensions: dict[str, str] | None = None,
    dataset: str | None = None,
) -> list[Point]:
    """The current series of a measure, ordered by code and period.

    `codes` may be historical or current municipality codes (or comparison-region codes);
    `dimensions` must match exactly (None means no breakdown, e.g. the population total).
    """
    rows = Observation.objects.filter(
        measure=measure, current=True, dimension_key=dimension_key(dimensions or {})
    ).select_related("dataset")
    if codes is not None:
        rows = rows.filter(code__in=harmonise(codes))
    if dataset is not None:
        rows = rows.filter(dataset__slug=dataset)
    best: dict[tuple[str, str], tuple[int, Observation]] = {}
    for row in rows:
        key = (row.code, row.period)
        rank = row.dataset.rank
        if key not in best or rank > best[key][0]:
            best[key] = (rank, row)
    return [
        Point(
            code=row.code,
            period=row.period,
            value=row.value,
            missing_reason=row.missing_reason,
            unit=row.unit,
            fetch_id=row.fetch_id,
            dataset=row.dataset.slug,
            dimensions=row.dimensions,
            code_published=row.code_published,
        )
        for _, (_, row) in sorted(best.items())
    ]


@dataclass(frozen=True)
class Cell:
    """One current observation of a breakdown, as stored (no choice between datasets)."""

    code: str
    period: str
    dimensions: dict[str, str]
    attributes: dict
    value: Decimal | None
    missing_reason: str
    fetch_id: int


def breakdown(
    measure: str,
    *,
    codes: list[str],
    by: str | None = None,
    where: dict[str, str] | None = None,
) -> list[Cell]:
    """Every current observation of a measure for the codes (harmonised) in one query,
    ordered by period: those broken down `by` a dimension (e.g. "nace", "facility") and/or
    whose dimensions include `where` (e.g. {"sector": "Veitrafikk"}). For recipes that want
    a whole breakdown at once, where `series` reads one combination at a time."""
    rows = Observation.objects.filter(measure=measure, current=True, code__in=harmonise(codes))
    if by is not None:
        rows = rows.filter(dimensions__has_key=by)
    for key, value in (where or {}).items():
        rows = rows.filter(**{f"dimensions__{key}": value})
    return [
        Cell(*row)
        for row in rows.order_by("period", "pk").values_list(
            "code", "period", "dimensions", "attributes", "value", "missing_reason", "fetch_id"
        )
    ]
