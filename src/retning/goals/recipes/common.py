"""What the recipes share: member series from the store, missing-figure texts, gaps."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from retning.core.formatting import format_count
from retning.goals.engine import Point, Thresholds, evaluate
from retning.goals.partial import PartialEvidence, part_changes
from retning.goals.report import Gap, GoalReport, MunicipalityPart
from retning.stats import queries
from retning.stats.config import region_config
from retning.strategy.models import Municipality

Members = list[tuple[Municipality, str]]


def trend_text(thresholds: Thresholds) -> str:
    """How many observations the projection uses, for the method texts."""
    return format_count(thresholds.trend_years)


def comparison_regions() -> list[tuple[str, str]]:
    """The region's comparison regions from its `stats.yaml` (the ones every SSB series is
    also fetched for): (code, name in the active language)."""

    english = (get_language() or "nb").startswith("en")
    return [
        (str(item["code"]), str((english and item.get("name_en")) or item["name"]))
        for item in region_config().get("comparison_regions", [])
    ]


def annual(points: list[queries.Point]) -> list[Point]:
    """Yearly engine points from store points (other periods, e.g. quarters, left out)."""
    result = []
    for p in points:
        if not p.period.isdigit():
            continue
        value = float(p.value) if isinstance(p.value, Decimal) else p.value
        result.append(Point(int(p.period), value, p.missing_reason, (str(p.fetch_id),)))
    return sorted(result, key=lambda p: p.year)


def by_code(points: list[queries.Point]) -> dict[str, list[queries.Point]]:
    grouped: dict[str, list[queries.Point]] = {}
    for p in points:
        grouped.setdefault(p.code, []).append(p)
    return grouped


def member_series(
    measure: str, members: Members, dimensions: dict | None = None
) -> dict[str, list[Point]]:
    """Each member's yearly series of a measure, by the member's current code."""
    codes = [code for _, code in members]
    grouped = by_code(queries.series(measure, codes=codes, dimensions=dimensions))
    return {code: annual(grouped.get(code, [])) for code in codes}


def missing_text(names: dict[str, str]) -> Callable[[list[str]], str]:
    """A reason for an incomplete year in the page's language, naming who is missing."""

    def describe(missing: list[str]) -> str:
        return str(_("ufullstendig: mangler tall for %(names)s")) % {
            "names": ", ".join(str(names.get(code, code)) for code in missing)
        }

    return describe


def change(series: list[Point], baseline_year: int) -> tuple[float | None, int | None, int | None]:
    """The change from the baseline year (or the first) to the latest observed year."""
    observed = [p for p in series if p.value is not None]
    start = next(
        (p for p in observed if p.year == baseline_year), observed[0] if observed else None
    )
    end = observed[-1] if observed else None
    if start is None or end is None or end.year <= start.year:
        return None, None, None
    return end.value - start.value, start.year, end.year


def held_text(by_member: dict[str, list[Point]], names: dict[str, str]) -> str:
    """Which members do have figures, and for which years, e.g. "Kongsvinger (2005–2022)"."""
    held = []
    for code, series in by_member.items():
        years = [p.year for p in series if p.value is not None]
        if years:
            held.append(f"{names[code]} ({min(years)}–{max(years)})")
    if not held:
        return str(_("Ingen av kommunene har tall ennå."))
    return str(_("Tall finnes bare for %(held)s.")) % {"held": ", ".join(held)}


def refetched(source: str) -> str:
    """The public remedy of a gap an official table fills."""
    return str(
        _(
            "Tallene finnes i %(source)s og kommer med når sekretariatet henter "
            "statistikken på nytt."
        )
    ) % {"source": source}


def missing_members(by_member: dict[str, list[Point]], names: dict[str, str]) -> list[str]:
    return [
        names[code]
        for code, series in by_member.items()
        if not any(p.value is not None for p in series)
    ]


def add_member_parts(
    report: GoalReport,
    members: Members,
    by_member: dict[str, list[Point]],
    *,
    evaluated: bool = False,
) -> None:
    """Each member's own series and its change since the baseline; `evaluated`: each is
    also evaluated against the goal's target (a rate, which holds for every member)."""
    for municipality, code in members:
        series = by_member[code]
        evaluation = (
            evaluate(report.target, series, report.thresholds) if evaluated and series else None
        )
        delta, start, end = change(series, report.target.baseline_year)
        report.municipalities.append(
            MunicipalityPart(municipality, code, series, evaluation, delta, start, end)
        )


def add_missing_members_gap(
    report: GoalReport,
    by_member: dict[str, list[Point]],
    names: dict[str, str],
    *,
    what: str,
    table: str,
    action: str,
) -> None:
    """A gap naming the members with no figures at all (`what` has `%(names)s`), what is
    held instead, and the official table that fills it."""
    missing = missing_members(by_member, names)
    if missing:
        report.gaps.append(
            Gap(
                what % {"names": ", ".join(missing)},
                held_text(by_member, names),
                refetched(table),
                action,
            )
        )


def member_evidence(
    by_member: dict[str, list[Point]], names: dict[str, str], baseline_year: int
) -> PartialEvidence | None:
    """The municipalities with figures, each with its own change: partial evidence."""
    changes = part_changes(by_member, names, baseline_year)
    if not changes:
        return None
    missing = missing_members(by_member, names)
    return PartialEvidence(
        "municipalities",
        changes,
        without_figures=missing,
        with_figures=len(by_member) - len(missing),
        of=len(by_member),
    )
