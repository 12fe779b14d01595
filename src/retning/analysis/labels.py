"""The categories proposals are tagged with: the strategy's main strategies and focus areas.

Both kinds share one id namespace in the strategy file, so a tag is just an id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from retning.analysis.text import tokenize

if TYPE_CHECKING:
    from retning.strategy.spec import StrategySpec

LabelKind = Literal["main_strategy", "focus_area"]


@dataclass(frozen=True)
class Label:
    """One category with the words the strategy itself uses for it (bokmål)."""

    id: str
    kind: LabelKind
    title: str
    description: str
    keywords: tuple[str, ...]


def labels_from_spec(spec: StrategySpec) -> list[Label]:
    """Main strategies (in their numbered order) followed by focus areas."""
    labels = [
        Label(m.id, "main_strategy", m.title.nb, m.description.nb, tuple(m.keywords))
        for m in sorted(spec.main_strategies, key=lambda m: m.number)
    ]
    labels += [
        Label(f.id, "focus_area", f.title.nb, f.description.nb, tuple(f.keywords))
        for f in spec.focus_areas
    ]
    return labels


def place_names(spec: StrategySpec) -> frozenset[str]:
    """Normalised names of the region and its municipalities.

    They say where, not what: "Eidskog" must not count as "skog" for the bioeconomy.
    """
    names = [spec.region.name, *(m.name for m in spec.region.municipalities)]
    return frozenset(word for name in names for word in tokenize(name))
