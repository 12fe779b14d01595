"""A goal chart rendered to PDF logs no WeasyPrint warning about CSS it ignores (it once
printed about 170 «Ignored `fill: …`» lines per chart): the charts carry SVG presentation
attributes, not CSS (goals.charts.without_css)."""

from __future__ import annotations

import logging

from weasyprint import HTML

from retning.goals.charts import goal_chart_svg
from retning.goals.engine import AnnualChange, Point, evaluate


def _ignored(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Ignored")]


def test_the_check_does_see_an_ignored_declaration(caplog):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        HTML(string='<p style="no-such-property: 1">x</p>').write_pdf()
    assert _ignored(caplog)


def test_a_goal_chart_renders_to_pdf_without_ignored_css(caplog):
    evaluation = evaluate(
        AnnualChange(2016, 2028, 100), [Point(y, 1000 + 50 * (y - 2016)) for y in range(2016, 2023)]
    )
    svg = goal_chart_svg(
        evaluation,
        title="Syntetisk",
        description="Syntetisk figur",
        labels={"observed": "Faktisk", "target": "Mål", "projection": "Framskriving"},
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        HTML(
            string=f'<html lang="nb"><body><div class="chart">{svg}</div></body></html>'
        ).write_pdf()
    assert _ignored(caplog) == []
