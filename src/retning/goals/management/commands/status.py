"""`retning status`: every goal's evaluation in the terminal (a table, or JSON)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from rich.console import Console
from rich.table import Table

from retning.core.formatting import format_number, format_percent, format_share, format_signed
from retning.goals.export import report_dict
from retning.goals.labels import STATUS_LABELS
from retning.goals.service import goal_report
from retning.stats.catalogue import OFFICIAL_RANK, licence_statement
from retning.strategy.models import localized
from retning.strategy.selectors import current_strategy, region_members


def _partial_text(report) -> str:
    """The partial evidence of a goal without a regional figure, on a line of its own."""
    partial = report.partial
    if partial is None:
        return ""
    changes = [
        f"{c.name} "
        + (
            f"{format_signed(round(c.change, 1))} " + _("prosentpoeng")
            if report.unit == "percent"
            else format_percent(c.change_pct, 0, signed=True)
        )
        + f" ({c.start_year}–{c.end_year})"
        for c in partial.changes
    ]
    text = "\n" + _("Delvis:") + " " + "; ".join(changes)
    if partial.silent:
        text += (
            "; "
            + _("ikke rapportert %(year)s:") % {"year": partial.silent_year}
            + " "
            + ", ".join(f"{s.name} {format_share(s.share_pct)}" for s in partial.silent)
        )
    if partial.kind != "municipalities" and partial.without_figures:
        text += "; " + _("mangler helt:") + " " + ", ".join(partial.without_figures)
    return text


class Command(BaseCommand):
    help = "Print the status of every main goal (region, or one municipality)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--municipality", metavar="CODE", help="current or former code, e.g. 3401 or 0402"
        )
        parser.add_argument("--language", choices=["nb", "en"], default="nb")

    def handle(self, *args, format: str, municipality: str | None, language: str, **options):
        translation.activate(language)
        strategy = current_strategy()
        members = region_members(strategy.region)
        chosen = None
        if municipality:
            chosen = next(
                (m for m, _ in members if any(c.code == municipality for c in m.codes.all())), None
            )
            if chosen is None:
                known = ", ".join(f"{code} {m.name}" for m, code in members)
                raise CommandError(
                    f"unknown municipality code {municipality!r}; the region has: {known}"
                )
        reports = [
            goal_report(goal, members)
            for goal in strategy.goals.select_related("target", "strategy__region")
        ]
        if format == "json":
            data = [report_dict(r, staff=True) for r in reports]
            if chosen:
                for item in data:
                    item["municipalities"] = [
                        m for m in item["municipalities"] if m["code"] == chosen.current_code
                    ]
            self.stdout.write(
                json.dumps(
                    {"region": strategy.region.slug, "goals": data}, ensure_ascii=False, indent=1
                )
            )
            return
        console = Console(file=self.stdout, width=140)
        area = chosen.name if chosen else strategy.region.name
        table = Table(title=f"{localized(strategy, 'title')} — {area}", show_lines=True)
        for column in (
            _("Mål"),
            _("Status"),
            _("Basis"),
            _("Siste"),
            _("Endring"),
            _("Mål for sluttåret"),
            _("Framskrevet"),
            _("Trengs per år"),
        ):
            table.add_column(column)
        for report in reports:
            e = report.evaluation
            if chosen:
                part = next(
                    (p for p in report.municipalities if p.municipality.pk == chosen.pk), None
                )
                table.add_row(localized(report.goal, "title"), *self._municipality_cells(part))
                continue
            end = e.main_end
            table.add_row(
                localized(report.goal, "title"),
                str(STATUS_LABELS[e.status.value])
                + ("\n" + "; ".join(str(g.what) for g in report.gaps) if report.gaps else "")
                + _partial_text(report),
                f"{e.baseline_year}: {format_number(round(e.baseline_value, 1))}"
                if e.baseline_value is not None
                else f"{e.baseline_year}: " + _("mangler"),
                f"{e.latest_year}: {format_number(round(e.latest_value, 1))}"
                if e.latest_year
                else _("mangler"),
                format_signed(round(e.change, 1)) if e.change is not None else "—",
                " / ".join(format_number(round(x.target_value, 1)) for x in e.ends)
                if e.ends
                else "—",
                format_number(round(e.projection, 1)) if e.projection is not None else "—",
                format_signed(round(end.required_per_year, 1)) if end and e.latest_year else "—",
            )
        console.print(table)
        actions = [(localized(r.goal, "title"), g) for r in reports for g in r.gaps if g.action]
        if actions and not chosen:
            console.print(_("Slik fylles hullene:"))
            for title, gap in actions:
                console.print(f"- {title}: {gap.what}. {gap.action}", soft_wrap=True)
        sources = sorted(
            {
                (
                    s.source,
                    s.table,
                    licence_statement(s.dataset, s.licence, english=language == "en")
                    or _("lisens ikke oppgitt"),
                    _("sekundærkilde") + ", " if s.rank < OFFICIAL_RANK else "",
                )
                for r in reports
                for s in r.sources
            }
        )
        console.print(
            _("Kilder:")
            + " "
            + "; ".join(f"{src} {tab} ({kind}{lic})" for src, tab, lic, kind in sources)
        )

    @staticmethod
    def _municipality_cells(part) -> list[str]:
        if part is None:
            return [_("ingen tall per kommune for dette målet"), "", "", "", "", "", ""]
        status = part.evaluation.status.value if part.evaluation else None
        latest = next((p for p in reversed(part.series) if p.value is not None), None)
        return [
            str(STATUS_LABELS[status]) if status else _("gjelder regionen samlet"),
            str(part.change_from) if part.change_from else "—",
            f"{latest.year}: {format_number(latest.value)}" if latest else _("mangler"),
            format_signed(round(part.change, 1)) if part.change is not None else "—",
            "",
            "",
            "",
        ]
