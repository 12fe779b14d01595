"""Reading the region's strategy for pages (the one place that decides which it is)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404

from retning.strategy.models import Strategy


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
