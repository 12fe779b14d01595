"""The annual status report: every goal evaluated, as one HTML document or a PDF.

The same template serves both: WeasyPrint renders the HTML to PDF, with the charts as
inline SVG and the paged-media rules (A4, page numbers) in the template's stylesheet.
"""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.utils import timezone, translation

from retning.goals.display import goal_chart, unit_label
from retning.goals.service import goal_report
from retning.stats.catalogue import OFFICIAL_RANK
from retning.strategy.selectors import current_strategy, region_members


def status_report_html(language: str = "nb") -> str:
    with translation.override(language):
        strategy = current_strategy()
        members = region_members(strategy.region)
        sections = []
        for goal in strategy.goals.select_related("target", "strategy__region"):
            report = goal_report(goal, members)
            sections.append(
                {
                    "goal": goal,
                    "report": report,
                    "chart": goal_chart(report),
                    "unit_label": unit_label(report.unit),
                }
            )
        # The cover says all figures are official only when they are: secondary copies
        # (KommuneProfilen) and quoted figures are named.
        secondary = sorted(
            {
                source.publisher
                for section in sections
                for source in section["report"].sources
                if source.rank < OFFICIAL_RANK
            }
        )
        html = render_to_string(
            "reports/status_report.html",
            {
                "strategy": strategy,
                "sections": sections,
                "secondary_publishers": secondary,
                "generated": timezone.localtime(),
                "language": language,
            },
        )
    # Print typography: a thin (narrow no-break) space between thousands, as in 8 668.
    return re.sub(r"(?<=\d)\u00a0(?=\d{3})", "\u202f", html)


def status_report_pdf(language: str = "nb") -> bytes:
    from weasyprint import HTML

    return HTML(string=status_report_html(language)).write_pdf()
