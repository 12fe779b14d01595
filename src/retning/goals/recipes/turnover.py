"""Turnover: operating revenue of the enterprises based in the region, in the baseline
year's prices (deflated by the CPI)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from retning.business.brreg_accounts import regional_turnover
from retning.business.queries import accounts_of, region_enterprises
from retning.core.formatting import format_number
from retning.goals.engine import Point
from retning.goals.indicators import annual_average, deflate
from retning.goals.recipes import register
from retning.goals.recipes.common import Members, refetched, trend_text
from retning.goals.report import Gap, GoalReport
from retning.stats import queries


def annual_cpi() -> tuple[dict[int, float], set[int]]:
    """The CPI's annual averages (mean of the 12 monthly values, only for complete years)
    and the fetch ids behind them."""
    points = [p for p in queries.series("cpi", codes=["0"]) if p.value is not None]
    averages = annual_average((p.period, p.value) for p in points)
    return averages, {
        p.fetch_id for p in points if p.period[:4].isdigit() and int(p.period[:4]) in averages
    }


@register("enterprise-operating-revenue")
def turnover(report: GoalReport, members: Members, names: dict[str, str]) -> None:
    region_orgnrs = region_enterprises()
    accounts, fetch_of = accounts_of(region_orgnrs)
    nominal = [
        Point(
            year.year,
            year.total,
            "",
            tuple(
                sorted(
                    {fetch_of[(o, year.year)] for o in region_orgnrs if (o, year.year) in fetch_of}
                )
            ),
        )
        for year in regional_turnover(accounts, region_orgnrs)
        if year.enterprises
    ]
    cpi, cpi_fetches = annual_cpi()
    base_year = report.target.baseline_year
    report.region_series = [
        Point(
            p.year,
            p.value,
            p.missing_reason,
            p.sources + tuple(str(f) for f in sorted(cpi_fetches)),
        )
        for p in deflate(nominal, cpi, base_year)
    ]
    if nominal and base_year not in cpi:
        report.gaps.append(
            Gap(
                _("Konsumprisindeksen for %(year)s") % {"year": base_year},
                _("Uten KPI kan omsetningen ikke regnes om til faste priser."),
                refetched(_("SSB-tabell 14700")),
                _("Kjør «retning refresh --source ssb» med internett (SSB tabell 14700)."),
            )
        )
    report.unit = "NOK"
    if not any(p.year == base_year and p.value is not None for p in report.region_series):
        report.gaps.append(
            Gap(
                _("Driftsinntekter for foretakene i regionen fra %(year)s") % {"year": base_year},
                _(
                    "Det åpne API-et til Regnskapsregisteret gir bare siste års regnskap. "
                    "Basisåret %(year)s finnes ikke fritt tilgjengelig, og ingen offentlig tabell "
                    "gir omsetning per kommune for alle næringer."
                )
                % {"year": base_year},
                _(
                    "Sekretariatet kan lese inn en lisensiert regnskapshistorikk. Fra nå av tar "
                    "Retning vare på hvert års regnskap, så historikken bygger seg opp."
                ),
                _(
                    "Importer en lisensiert regnskapshistorikk med «retning import-accounts "
                    "FIL». Fra nå av tar Retning vare på hvert års regnskap, så historikken "
                    "bygger seg opp."
                ),
            )
        )
    report.method += [
        _(
            "Omsetning er driftsinntekter i selskapsregnskapene til foretak med forretningsadresse "
            "i regionen; konsernregnskap telles ikke i tillegg til selskapene i konsernet. "
            "Tallene regnes om til %(year)s-priser med konsumprisindeksen (SSB)."
        )
        % {"year": base_year},
        (
            _(
                "Framskrivingen bruker den gjennomsnittlige årlige vekstraten over de siste "
                "%(trend)s observasjonene, og målet vurderes mot både %(low)s og %(high)s prosent."
            )
            if getattr(report.target, "is_range", False)
            else _(
                "Framskrivingen bruker den gjennomsnittlige årlige vekstraten over de siste "
                "%(trend)s observasjonene."
            )
        )
        % {
            "trend": trend_text(report.thresholds),
            "low": format_number(getattr(report.target, "low_pct", 0)),
            "high": format_number(getattr(report.target, "high_pct", 0)),
        },
    ]
