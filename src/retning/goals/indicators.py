"""Indicator arithmetic: region totals, rates and real terms, never filling gaps.

A region's value for a year is the sum over its member municipalities; if any member has
no value that year, the region has none either (marked incomplete, naming who is
missing) rather than a sum that is too small. Rates are recomputed from summed numerators
and denominators, never averaged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from retning.goals.engine import Point


def _by_year(series: Sequence[Point]) -> dict[int, Point]:
    return {p.year: p for p in series}


def _incomplete(missing: Sequence[str]) -> str:
    return f"incomplete: no value for {', '.join(missing)}"


def region_total(
    by_member: Mapping[str, Sequence[Point]],
    members: Sequence[str],
    describe_missing: Callable[[Sequence[str]], str] = _incomplete,
) -> list[Point]:
    """Yearly sum over `members`; a year where any member is missing is itself missing,
    with a reason naming the missing members (`describe_missing` words it)."""
    indexed = {member: _by_year(by_member.get(member, ())) for member in members}
    years = sorted({year for series in indexed.values() for year in series})
    total: list[Point] = []
    for year in years:
        missing = [
            m for m in members if indexed[m].get(year) is None or indexed[m][year].value is None
        ]
        sources = tuple(
            dict.fromkeys(
                s for m in members if year in indexed[m] for s in indexed[m][year].sources
            )
        )
        if missing:
            reason = describe_missing(missing)
            inner = [indexed[m][year].missing_reason for m in missing if year in indexed[m]]
            if len(missing) == 1 and inner and inner[0]:
                reason += f" ({inner[0]})"  # e.g. which plant is missing inside "the plants"
            total.append(Point(year, None, reason, sources))
        else:
            total.append(Point(year, sum(indexed[m][year].value for m in members), "", sources))
    return total


def region_rate(
    numerators: Mapping[str, Sequence[Point]],
    denominators: Mapping[str, Sequence[Point]],
    members: Sequence[str],
    scale: float = 100.0,
    describe_missing: Callable[[Sequence[str]], str] = _incomplete,
    missing_text: str = "numerator or denominator missing",
    zero_text: str = "denominator is zero",
) -> list[Point]:
    """Σ numerator ÷ Σ denominator × scale per year (e.g. employed ÷ population 15–74).
    `missing_text` and `zero_text` are the reasons for a year without a value, in the
    reader's language."""
    top = _by_year(region_total(numerators, members, describe_missing))
    bottom = _by_year(region_total(denominators, members, describe_missing))
    result: list[Point] = []
    for year in sorted(set(top) | set(bottom)):
        n, d = top.get(year), bottom.get(year)
        sources = tuple(dict.fromkeys((n.sources if n else ()) + (d.sources if d else ())))
        if n is None or d is None or n.value is None or d.value is None:
            reason = (n.missing_reason if n and n.value is None else "") or (
                d.missing_reason if d and d.value is None else missing_text
            )
            result.append(Point(year, None, reason, sources))
        elif d.value == 0:
            result.append(Point(year, None, zero_text, sources))
        else:
            result.append(Point(year, scale * n.value / d.value, "", sources))
    return result


def deflate(
    series: Sequence[Point], price_index: Mapping[int, float], base_year: int
) -> list[Point]:
    """Express a nominal series in the base year's prices: value × index(base) ÷ index(year)."""
    if base_year not in price_index:
        return [
            Point(p.year, None, f"no price index for the base year {base_year}", p.sources)
            for p in series
        ]
    base = price_index[base_year]
    deflated: list[Point] = []
    for p in series:
        if p.value is None:
            deflated.append(p)
        elif p.year not in price_index:
            deflated.append(Point(p.year, None, f"no price index for {p.year}", p.sources))
        else:
            deflated.append(Point(p.year, p.value * base / price_index[p.year], "", p.sources))
    return deflated


def with_closure(
    series: Sequence[Point], closed_from: int, years: Iterable[int], source: str
) -> tuple[list[Point], list[int]]:
    """A closed plant's series: each of `years` from `closed_from` on without a reported
    value counts as zero, citing `source`.

    A value the plant did report after its closure is kept (a report outweighs the
    closure record); those years are returned as well, so the conflict can be shown.
    """
    by_year = _by_year(series)
    reported_after = sorted(
        y for y, p in by_year.items() if y >= closed_from and p.value is not None
    )
    for year in years:
        if year >= closed_from and (year not in by_year or by_year[year].value is None):
            by_year[year] = Point(year, 0.0, "", (source,))
    return [by_year[y] for y in sorted(by_year)], reported_after


MONTHS = frozenset(f"M{month:02d}" for month in range(1, 13))


def annual_average(monthly: Iterable[tuple[str, float | None]]) -> dict[int, float]:
    """Annual means of a monthly series (periods "2024M01"): only a year with a value for
    each of its twelve months has one. SSB publishes the CPI (14700) monthly only, and an
    average of eleven months is not an annual average."""
    months: dict[int, dict[str, float]] = {}
    for period, value in monthly:
        year, month = period[:4], period[4:]
        if value is not None and year.isdigit() and month in MONTHS:
            months.setdefault(int(year), {})[month] = float(value)
    return {year: sum(v.values()) / 12 for year, v in sorted(months.items()) if len(v) == 12}
