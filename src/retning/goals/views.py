"""Goal pages, the per-municipality pages and the read-only goals API."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from retning.core.pagecache import public_page_cache
from retning.goals.display import goal_chart, unit_label
from retning.goals.export import report_csv, report_dict
from retning.goals.service import goal_report
from retning.stats.store import code_changes_read_once
from retning.strategy.models import Goal, Municipality
from retning.strategy.selectors import current_strategy, region_members


def _goals(strategy):
    return Goal.objects.filter(strategy=strategy).select_related("target", "strategy__region")


@public_page_cache
def goal_detail(request, slug: str):
    strategy = current_strategy()
    goal = get_object_or_404(_goals(strategy), slug=slug)
    with code_changes_read_once():
        report = goal_report(goal, region_members(strategy.region))
    path = dict(report.evaluation.path)
    changes = {c.year: c.change for c in report.evaluation.yearly_changes}
    rows = [(p, path.get(p.year), changes.get(p.year)) for p in report.region_series]
    return render(
        request,
        "goals/goal_detail.html",
        {
            "strategy": strategy,
            "goal": goal,
            "report": report,
            "rows": rows,
            "chart": goal_chart(report),
            "unit_label": unit_label(report.unit),
        },
    )


@public_page_cache
def municipality_detail(request, slug: str):
    strategy = current_strategy()
    municipality = get_object_or_404(
        Municipality.objects.prefetch_related("codes"), region=strategy.region, slug=slug
    )
    members = region_members(strategy.region)
    parts = []
    with code_changes_read_once():
        reports = [(goal, goal_report(goal, members)) for goal in _goals(strategy)]
    for goal, report in reports:
        part = next(
            (p for p in report.municipalities if p.municipality.pk == municipality.pk), None
        )
        parts.append((goal, report, part))
    return render(
        request,
        "goals/municipality_detail.html",
        {"strategy": strategy, "municipality": municipality, "parts": parts},
    )


def api_goals(request):
    strategy = current_strategy()
    members = region_members(strategy.region)
    data = {
        "region": strategy.region.slug,
        "strategy": strategy.title,
        "goals": [report_dict(goal_report(goal, members)) for goal in _goals(strategy)],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


def api_goal(request, slug: str, fmt: str):
    strategy = current_strategy()
    goal = get_object_or_404(_goals(strategy), slug=slug)
    report = goal_report(goal, region_members(strategy.region))
    if fmt == "json":
        return JsonResponse(
            report_dict(report), json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
    if fmt == "csv":
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{goal.slug}.csv"'
        return response
    raise Http404
