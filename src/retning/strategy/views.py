"""Public pages presenting the strategy."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from retning.business.structure import structure_for
from retning.core.pagecache import public_page_cache
from retning.goals.service import goal_report
from retning.stats.store import code_changes_read_once
from retning.strategy.models import FocusArea, MainStrategy
from retning.strategy.selectors import current_strategy, region_members


@public_page_cache
def home(request):
    strategy = current_strategy()
    members = region_members(strategy.region)
    goals = strategy.goals.select_related("target", "strategy__region")
    with code_changes_read_once():
        goal_reports = [(goal, goal_report(goal, members)) for goal in goals]
    context = {
        "strategy": strategy,
        "goal_reports": goal_reports,
        "main_strategies": strategy.main_strategies.all(),
        "focus_areas": strategy.focus_areas.all(),
        "municipalities": [m for m, _ in members],
        "revisions": strategy.revisions.all(),
        "rounds": strategy.consultation_rounds.all(),
    }
    return render(request, "strategy/home.html", context)


def main_strategy_detail(request, slug: str):
    strategy = current_strategy()
    main = get_object_or_404(
        MainStrategy.objects.prefetch_related("measures"), strategy=strategy, slug=slug
    )
    return render(
        request, "strategy/main_strategy_detail.html", {"strategy": strategy, "main": main}
    )


def focus_area_detail(request, slug: str):
    strategy = current_strategy()
    area = get_object_or_404(FocusArea, strategy=strategy, slug=slug)

    structure = structure_for(area, strategy.focus_areas.all())
    names = {code: m.name for m, code in region_members(strategy.region)}
    rows = [(name, *structure.per_municipality.get(code, (0, 0))) for code, name in names.items()]
    return render(
        request,
        "strategy/focus_area_detail.html",
        {
            "strategy": strategy,
            "area": area,
            "structure": structure,
            "rows": rows,
            "flow": structure.flow(strategy.start_year - 6),
        },
    )


def main_strategy_index(request):
    """All main strategies with their descriptions (the address without a slug)."""
    strategy = current_strategy()
    return render(
        request,
        "strategy/index.html",
        {
            "strategy": strategy,
            "kind": "main",
            "items": strategy.main_strategies.prefetch_related("measures"),
        },
    )


def focus_area_index(request):
    """All focus areas with their descriptions."""
    strategy = current_strategy()
    return render(
        request,
        "strategy/index.html",
        {"strategy": strategy, "kind": "focus", "items": strategy.focus_areas.all()},
    )


@login_required
def staff_vocabulary(request):
    """The key words the tagger reads for each main strategy and focus area: its
    vocabulary, for the secretariat to check (edited in the administration)."""
    strategy = current_strategy()
    return render(
        request,
        "strategy/staff_vocabulary.html",
        {
            "strategy": strategy,
            "groups": [
                ("main", strategy.main_strategies.all()),
                ("focus", strategy.focus_areas.all()),
            ],
        },
    )
