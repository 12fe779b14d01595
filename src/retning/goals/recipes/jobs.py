"""Jobs: employed persons by municipality of workplace, summed to the region, with the
change split by industry (shift-share against Norway) and by focus area."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from retning.core.formatting import format_number
from retning.goals.decomposition import shift_share
from retning.goals.indicators import region_total
from retning.goals.recipes import register
from retning.goals.recipes.common import (
    Members,
    add_member_parts,
    add_missing_members_gap,
    member_evidence,
    member_series,
    missing_text,
    refetched,
    trend_text,
)
from retning.goals.report import Gap, GoalReport
from retning.stats import queries
from retning.strategy.models import localized


@register("employed-by-workplace")
def jobs(report: GoalReport, members: Members, names: dict[str, str]) -> None:
    by_member = member_series("employed_by_workplace", members)
    codes = [code for _, code in members]
    report.region_series = region_total(by_member, codes, missing_text(names))
    report.unit = "persons"
    report.partial = member_evidence(by_member, names, report.target.baseline_year)
    add_member_parts(report, members, by_member)
    add_missing_members_gap(
        report,
        by_member,
        names,
        what=_("Sysselsatte etter arbeidssted for %(names)s"),
        table=_("SSB-tabell 07984"),
        action=_(
            "Kjør «retning refresh --source ssb» med internett (SSB tabell 07984), "
            "eller «retning import-data» med en fil lastet ned fra Statistikkbanken."
        ),
    )
    _by_industry(report, codes)
    population = member_series("population", members, {"age": "20-66"})
    report.context.append(
        (
            _("Befolkning 20–66 år (1. januar)"),
            [(_("Regionen"), region_total(population, codes, missing_text(names)))]
            + [(names[c], population[c]) for c in codes],
        )
    )
    report.method += [
        _(
            "Arbeidsplasser er sysselsatte etter arbeidsstedskommune i 4. kvartal, summert for "
            "kommunene. Et år der en kommune mangler tall, regnes ikke som et regionstall."
        ),
        _(
            "Målbanen er basisårets tall pluss %(per_year)s for hvert år. Framskrivingen er den "
            "lineære trenden (minste kvadraters metode) over de siste %(trend)s observasjonene."
        )
        % {
            "per_year": format_number(report.target.per_year),
            "trend": trend_text(report.thresholds),
        },
    ]


def _divisions(group: str) -> list[str]:
    """SSB's NACE groups ("41-43", "84") as the two-digit divisions they cover."""
    if "-" in group:
        low, high = group.split("-", 1)
        if low.isdigit() and high.isdigit():
            return [f"{d:02d}" for d in range(int(low), int(high) + 1)]
    return [group] if group.isdigit() else []


def _by_industry(report: GoalReport, codes: list[str]) -> None:
    """Change per focus area and a shift-share split against Norway, where SSB 13470's
    figures by industry are stored for every member and for Norway."""
    table: dict[tuple[str, str, int], float] = {}
    for cell in queries.breakdown("employed_by_workplace", codes=[*codes, "0"], by="nace"):
        group = cell.dimensions.get("nace", "")
        if cell.period.isdigit() and cell.value is not None and group not in ("00-99", ""):
            table[(cell.code, group, int(cell.period))] = float(cell.value)
            report.extra_fetch_ids.add(cell.fetch_id)
    years = sorted({year for (_, _, year) in table})
    groups = sorted({group for (_, group, _) in table})
    complete = [y for y in years if all((c, g, y) in table for c in [*codes, "0"] for g in groups)]
    if len(complete) < 2 or not groups:
        report.gaps.append(
            Gap(
                _("Sysselsatte etter næring (SSB tabell 13470) for kommunene og hele landet"),
                _(
                    "Uten tall per næring kan endringen ikke deles på fokusområder, og "
                    "skift-andel-analysen mot landet kan ikke gjøres."
                ),
                refetched(_("SSB-tabell 13470")),
                _("Kjør «retning refresh --source ssb» med internett."),
            )
        )
        return
    start = report.target.baseline_year if report.target.baseline_year in complete else complete[0]
    end = complete[-1]
    report.decomposition_years = (start, end)
    regional = {
        g: (sum(table[(c, g, start)] for c in codes), sum(table[(c, g, end)] for c in codes))
        for g in groups
    }
    national = {g: (table[("0", g, start)], table[("0", g, end)]) for g in groups}
    report.shift_share = shift_share(regional, national)
    for area in report.goal.strategy.focus_areas.all():
        covered = set(area.nace_codes)
        used = [g for g in groups if _divisions(g) and set(_divisions(g)) <= covered]
        if used:
            report.focus_changes.append(
                (
                    localized(area, "title"),
                    used,
                    sum(regional[g][0] for g in used),
                    sum(regional[g][1] for g in used),
                )
            )
