"""Goal reports as plain data: the one shape behind the JSON API, `retning status --format
json` and the CSV export, so the three never disagree."""

from __future__ import annotations

import io
import math
from typing import Any

from retning.core.spreadsheet import SafeWriter
from retning.goals.engine import Evaluation
from retning.goals.report import GoalReport
from retning.stats.catalogue import OFFICIAL_RANK, licence_statement


def _round(value: float | None, digits: int = 4) -> float | None:
    """A JSON number; None (null) for a missing figure and for NaN or an infinity, which
    JSON cannot carry."""
    return None if value is None or not math.isfinite(value) else round(value, digits)


def _plain(value: float | None) -> int | float | str:
    """A CSV cell: whole numbers without a decimal point; a number stays a number (so a
    negative one is not taken for a formula and quoted); empty for NaN or an infinity."""
    if value is None or not math.isfinite(value):
        return ""
    rounded = round(value, 4)
    return int(rounded) if rounded == int(rounded) else rounded


def evaluation_dict(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "status": evaluation.status.value,
        "reason": evaluation.reason,
        "baseline": {"year": evaluation.baseline_year, "value": _round(evaluation.baseline_value)},
        "latest": {"year": evaluation.latest_year, "value": _round(evaluation.latest_value)},
        "change": _round(evaluation.change),
        "change_pct": _round(evaluation.change_pct),
        "end_year": evaluation.end_year,
        "projection": _round(evaluation.projection),
        "projection_method": evaluation.projection_method,
        "trend_per_year": _round(evaluation.trend_per_year),
        "targets": [
            {
                "end": end.label,
                "target": _round(end.target_value),
                "target_path_at_latest": _round(end.path_value_at_latest),
                "gap": _round(end.gap),
                "required_change_per_year": _round(end.required_per_year),
                "required_rate_pct_per_year": _round(end.required_rate_pct),
                "projected_share_of_target": _round(end.projected_ratio),
                "status": end.status.value,
            }
            for end in evaluation.ends
        ],
    }


def _series(points) -> list[dict[str, Any]]:
    return [
        {
            "year": p.year,
            "value": _round(p.value),
            "missing_reason": p.missing_reason,
            "fetch_ids": [int(s) for s in p.sources if s.isdigit()],
        }
        for p in points
    ]


def _partial(report: GoalReport) -> dict[str, Any] | None:
    """What the members with figures show while the region's figure is missing."""
    partial = report.partial
    if partial is None:
        return None
    return {
        "note": "parts of the region, not the regional figure",
        "parts": partial.kind,
        "with_figures": partial.with_figures,
        "of": partial.of,
        "changes": [
            {
                "name": c.name,
                "place": c.place,
                "start": {"year": c.start_year, "value": _round(c.start_value)},
                "end": {"year": c.end_year, "value": _round(c.end_value)},
                "change": _round(c.change),
                "change_pct": _round(c.change_pct),
                "fetch_ids": [int(s) for s in c.sources if s.isdigit()],
            }
            for c in partial.changes
        ],
        "not_reported": {
            "year": partial.silent_year,
            "parts": [
                {
                    "name": s.name,
                    "place": s.place,
                    "last_year": s.last_year,
                    "share_of_baseline_pct": _round(s.share_pct),
                }
                for s in partial.silent
            ],
        },
        "without_figures": [str(name) for name in partial.without_figures],
        "secondary_sources": partial.secondary,
    }


def report_dict(report: GoalReport, *, staff: bool = False) -> dict[str, Any]:
    """The report as plain data. `staff=True` (`retning status`) adds each gap's `action`,
    the command or admin page that fills it; the public API never gives instructions."""
    goal = report.goal
    return {
        "goal": goal.slug,
        "title": goal.title,
        "title_en": goal.title_en,
        "indicator": goal.indicator_ref,
        "unit": report.unit,
        "target": {
            "kind": report.target.kind,
            "baseline_year": report.target.baseline_year,
            "end_year": report.target.end_year,
            **{
                key: getattr(report.target, key)
                for key in ("per_year", "low_pct", "high_pct", "direction")
                if hasattr(report.target, key)
            },
        },
        "evaluation": evaluation_dict(report.evaluation),
        "series": _series(report.region_series),
        "target_path": [{"year": y, "value": _round(v)} for y, v in report.evaluation.path],
        "municipalities": [
            {
                "code": part.code,
                "name": part.municipality.name,
                "change": _round(part.change),
                "change_from": part.change_from,
                "change_to": part.change_to,
                "evaluation": evaluation_dict(part.evaluation) if part.evaluation else None,
                "series": _series(part.series),
            }
            for part in report.municipalities
        ],
        "gaps": [
            {
                "what": str(g.what),
                "why": str(g.why),
                "remedy": str(g.remedy),
                **({"action": str(g.action)} if staff else {}),
            }
            for g in report.gaps
        ],
        "partial_evidence": _partial(report),
        "method": [str(text) for text in report.method],
        "sources": [
            {
                "fetch_id": s.fetch_id,
                "source": s.source,
                "table": s.table,
                "url": s.url,
                "licence": licence_statement(s.dataset, s.licence),
                "retrieved_at": s.retrieved_at.isoformat() if s.retrieved_at else None,
                # the bundled snapshot knows the month its figures were collected, no more
                "retrieved_precision": "month" if s.via == "snapshot" else "time",
                "via": s.via,
                "dataset": s.dataset,
                "publisher": s.publisher,
                "secondary": s.rank < OFFICIAL_RANK,
            }
            for s in report.sources
        ],
    }


def report_csv(report: GoalReport) -> str:
    """One row per year and area (region and each municipality), with fetch ids."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(
        [
            "goal",
            "area_code",
            "area",
            "year",
            "value",
            "unit",
            "missing_reason",
            "target_path",
            "fetch_ids",
        ]
    )
    path = dict(report.evaluation.path)
    areas = [("region", report.goal.strategy.region.name, report.region_series)] + [
        (part.code, part.municipality.name, part.series) for part in report.municipalities
    ]
    for code, name, series in areas:
        for p in series:
            writer.writerow(
                [
                    report.goal.slug,
                    code,
                    name,
                    p.year,
                    _plain(p.value),
                    report.unit,
                    p.missing_reason,
                    _plain(path.get(p.year)) if code == "region" else "",
                    " ".join(s for s in p.sources if s.isdigit()),
                ]
            )
    return out.getvalue()
