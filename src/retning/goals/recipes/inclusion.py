"""Inclusion: the employment rate 15–74 (residence), the region's rate rebuilt from the
members' counts, with the comparison regions beside it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from retning.core.formatting import format_exact
from retning.goals.engine import Point
from retning.goals.indicators import region_rate
from retning.goals.recipes import register
from retning.goals.recipes.common import (
    Members,
    add_member_parts,
    add_missing_members_gap,
    annual,
    by_code,
    comparison_regions,
    member_evidence,
    member_series,
    missing_text,
    refetched,
    trend_text,
)
from retning.goals.report import Gap, GoalReport
from retning.stats import queries


@register("employment-rate-15-74")
def inclusion(report: GoalReport, members: Members, names: dict[str, str]) -> None:
    rates = member_series("employment_rate", members, {"age": "15-74"})
    population = member_series("population", members, {"age": "15-74"})
    codes = [code for _, code in members]
    # SSB publishes the rate, not the count behind it: the numerator is rebuilt as
    # rate × population 15–74, so the region's rate is Σ employed ÷ Σ population.
    employed: dict[str, list[Point]] = {}
    for code in codes:
        pop = {p.year: p for p in population[code]}
        employed[code] = [
            Point(p.year, p.value * pop[p.year].value / 100, "", p.sources + pop[p.year].sources)
            if p.value is not None and p.year in pop and pop[p.year].value is not None
            else Point(
                p.year, None, p.missing_reason or str(_("mangler befolkningstall")), p.sources
            )
            for p in rates[code]
        ]
    report.region_series = region_rate(
        employed,
        population,
        codes,
        describe_missing=missing_text(names),
        missing_text=str(_("mangler sysselsatte eller befolkning")),
        zero_text=str(_("befolkningen er null")),
    )
    report.unit = "percent"
    report.partial = member_evidence(rates, names, report.target.baseline_year)
    add_member_parts(report, members, rates, evaluated=True)
    regions = comparison_regions()
    grouped = by_code(
        queries.series(
            "employment_rate", codes=[code for code, _ in regions], dimensions={"age": "15-74"}
        )
    )
    report.comparisons = [(label, annual(grouped.get(code, []))) for code, label in regions]
    add_missing_members_gap(
        report,
        rates,
        names,
        what=_("Sysselsettingsandel 15–74 år for %(names)s"),
        table=_("SSB-tabell 06445"),
        action=_("Kjør «retning refresh --source ssb» med internett (SSB tabell 06445)."),
    )
    if regions and not any(points for _, points in report.comparisons):
        report.gaps.append(
            Gap(
                _("Sammenligning med %(regions)s")
                % {"regions": str(_(" og ")).join(label for _code, label in regions)},
                _("Tallene for sammenligningsområdene er ikke hentet."),
                refetched(_("SSB-tabell 06445")),
                _("Kjør «retning refresh --source ssb» med internett."),
            )
        )
    report.method += [
        _(
            "Sysselsettingsandelen er sysselsatte bosatt i regionen i prosent av befolkningen "
            "15–74 år. SSB publiserer andelen per kommune; regionens andel regnes av summen av "
            "sysselsatte (andel × befolkning) delt på summen av befolkningen, aldri som et "
            "gjennomsnitt av andelene."
        ),
        _(
            "Målet har bare en retning. Status settes av trendens fortegn og størrelse over de "
            "siste %(trend)s årene: under %(flat)s prosent av nivået per år regnes som flatt."
        )
        % {
            "trend": trend_text(report.thresholds),
            "flat": format_exact(report.thresholds.flat_pct_per_year),
        },
    ]
