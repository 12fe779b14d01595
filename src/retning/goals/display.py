"""What the goal pages and the status report both show of a goal: its chart and the
words for its unit (one place, so that the report never imports the pages)."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from retning.goals.charts import goal_chart_svg
from retning.goals.report import GoalReport
from retning.strategy.models import localized

# Marked with gettext_noop so that makemessages finds them; `unit_label` translates.
UNIT_LABELS = {
    "persons": gettext_noop("personer"),
    "percent": gettext_noop("prosent"),
    "tonnes CO2-eq": gettext_noop("tonn CO2-ekvivalenter"),
    "NOK": gettext_noop("kroner"),
}


def unit_label(unit: str) -> str:
    """The words for a report's unit in the active language (the unit's id if unknown)."""
    return _(UNIT_LABELS[unit]) if unit in UNIT_LABELS else unit


def goal_chart(report: GoalReport) -> str:
    """The goal's chart as inline SVG, or "" while there are no figures."""
    if not any(p.value is not None for p in report.region_series):
        return ""
    title = localized(report.goal, "title")
    return goal_chart_svg(
        report.evaluation,
        title=title,
        description=_(
            "Utviklingen i regionen sammenlignet med målbanen. "
            "Tallene står i tabellen under figuren."
        ),
        labels={
            "observed": _("Faktisk"),
            "target": _("Målbane"),
            "projection": _("Framskriving"),
            "unit": unit_label(report.unit),
        },
        decimal_comma=not (get_language() or "nb").startswith("en"),
    )
