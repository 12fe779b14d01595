"""Reading the region's strategy for pages (the one place that decides which it is)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404

from retning.strategy.models import Municipality, Region, Strategy


class StrategyNotLoaded(Http404):
    pass


def current_strategy() -> Strategy:
    """The strategy of the configured region; run `retning setup` to load it."""
    strategy = (
        Strategy.objects.select_related("region")
        .filter(region__slug=settings.RETNING_REGION)
        .order_by("pk")
        .first()
    )
    if strategy is None:
        raise StrategyNotLoaded("No strategy loaded: run `retning setup`.")
    return strategy


def region_members(region: Region) -> list[tuple[Municipality, str]]:
    """The region's municipalities with their current codes, in the strategy file's order
    (the one list goal reports, pages and commands build on)."""
    municipalities = Municipality.objects.filter(region=region).prefetch_related("codes")
    return [(m, m.current_code) for m in municipalities]
