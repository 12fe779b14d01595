"""Goal recipes: how each indicator is built from the stored figures.

A recipe fills a `GoalReport` for one goal — the region's yearly series, each member's
part, context series, the gaps and the method texts — and `retning.goals.service`
evaluates it. Recipes are registered under the indicator id a goal names in
`strategy.yaml` (`indicator.ref`); every number in their method texts comes from the
goal's target and status thresholds there, so another region needs a strategy file and
its figures, not code. A new indicator is a new module here with `@register("its-id")`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from retning.goals.report import GoalReport
from retning.strategy.models import Municipality


class Recipe(Protocol):
    def __call__(
        self,
        report: GoalReport,
        members: list[tuple[Municipality, str]],
        names: dict[str, str],
    ) -> None:
        """Fill `report` (series, unit, parts, gaps, method) from the stored figures."""


RECIPES: dict[str, Recipe] = {}


def register(indicator: str) -> Callable[[Recipe], Recipe]:
    """Register a recipe for the indicator id a goal names in strategy.yaml."""

    def add(recipe: Recipe) -> Recipe:
        RECIPES[indicator] = recipe
        return recipe

    return add


# The recipes register themselves on import.
from retning.goals.recipes import co2, inclusion, jobs, turnover  # noqa: E402, F401
