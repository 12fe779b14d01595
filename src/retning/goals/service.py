"""Goal reports: each goal's indicator built from the statistics store and evaluated.

The recipe registered for the goal's indicator (`retning.goals.recipes`) builds the
region's yearly series — per member municipality, harmonised to current codes, then
summed to the region (a year with a member missing is incomplete, never summed short) —
and the pure engine evaluates it. Every point keeps the fetch ids it came from, so each
figure can be cited: they are collected here into the report's sources.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

from retning.goals.engine import Point, Thresholds, evaluate
from retning.goals.recipes import RECIPES
from retning.goals.report import Gap, GoalReport, SourceRef, engine_target
from retning.stats.catalogue import OFFICIAL_RANK
from retning.stats.models import Fetch
from retning.strategy.models import Goal, Municipality
from retning.strategy.selectors import region_members

logger = logging.getLogger(__name__)


def _sources(points: list[Point]) -> set[int]:
    return {int(s) for p in points for s in p.sources if s.isdigit()}


def goal_report(goal: Goal, members: list[tuple[Municipality, str]] | None = None) -> GoalReport:
    """Build and evaluate one goal's indicator (region and each municipality)."""
    if members is None:
        members = region_members(goal.strategy.region)
    names = {code: m.name for m, code in members}
    target = engine_target(goal.target)
    thresholds = Thresholds(**goal.status_thresholds) if goal.status_thresholds else Thresholds()
    report = GoalReport(goal, target, thresholds, evaluate(target, [], thresholds), "", [])
    recipe = RECIPES.get(goal.indicator_ref)
    if recipe is None:
        report.gaps.append(
            Gap(
                _("Indikatoren «%(ref)s»") % {"ref": goal.indicator_ref},
                _("Retning kjenner ikke denne indikatoren."),
                _("Indikatoren må rettes i strategifilen."),
                _("Bruk en av indikatorene Retning kan beregne (se docs/developer.md)."),
            )
        )
        return report
    try:
        recipe(report, members, names)
        report.evaluation = evaluate(target, report.region_series, thresholds)
        if report.status != "insufficient_data":
            report.partial = None  # the regional figure speaks for itself
    except (ArithmeticError, ValueError) as exc:
        # Stored values are checked on the way in; should an odd one still be there (an
        # older database, a hand-made change), this goal says so and the page still works.
        logger.exception("goal %s could not be computed", goal.slug)
        report = GoalReport(goal, target, thresholds, evaluate(target, [], thresholds), "", [])
        report.gaps.append(
            Gap(
                _("Tallene for dette målet"),
                _("De lagrede tallene kunne ikke regnes på (%(error)s).")
                % {"error": type(exc).__name__},
                _("Sekretariatet må kontrollere de lagrede tallene."),
                _("Kontroller den siste importen; detaljene står i loggen."),
            )
        )
        return report
    report.sources = _source_refs(report)
    if report.partial:
        report.partial.secondary = sorted(
            {
                s.publisher
                for s in report.sources
                if s.rank < OFFICIAL_RANK and str(s.fetch_id) in report.partial.sources
            }
        )
    return report


def _source_refs(report: GoalReport) -> list[SourceRef]:
    """Every fetch behind a figure the report shows, with its provenance."""
    fetch_ids = _sources(report.region_series)
    if report.partial:
        fetch_ids |= {int(s) for s in report.partial.sources if s.isdigit()}
    for part in report.municipalities:
        fetch_ids |= _sources(part.series)
    fetch_ids |= report.extra_fetch_ids
    for _label, rows in report.context:
        for _name, series in rows:
            fetch_ids |= _sources(series)
    return [
        SourceRef(
            f.pk,
            f.source,
            f.table,
            f.url,
            f.licence,
            f.retrieved_at,
            f.via,
            f.dataset.slug,
            f.dataset.title,
            f.dataset.title_en,
            f.dataset.publisher,
            f.dataset.rank,
            f.raw_restricted,
        )
        for f in Fetch.objects.filter(pk__in=fetch_ids)
        .select_related("dataset")
        .order_by("source", "table", "pk")
    ]
