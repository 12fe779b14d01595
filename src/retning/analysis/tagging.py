"""Tag suggestions for proposals, and how they meet staff decisions.

`Tagger` wraps the scorer in use (cold start until staff have confirmed examples, then the
trained model) and turns scores into suggestions: a category is suggested when its score
reaches `accept` and is close to the text's best score (`relative`); any other category
scoring at least `review` is left for staff instead of being guessed. Every suggestion
names the model version that made it, and a staff decision always wins over a suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from retning.analysis.coldstart import ColdStartScorer, LabelScores
from retning.analysis.labels import Label
from retning.analysis.trained import Example, TrainedScorer, choose_share

# Chosen on tests/fixtures/synthetic_proposals.jsonl (see bench/tagging_quality.py).
ACCEPT_THRESHOLD = 0.4
REVIEW_THRESHOLD = 0.2
# A category is suggested only if its score is also at least this share of the text's
# best score: a text mainly about roads that mentions "felles" once is not about alliances.
RELATIVE_THRESHOLD = 0.85


@dataclass(frozen=True)
class TagSuggestion:
    """What the model suggests for one text, and why."""

    labels: tuple[str, ...]
    scores: dict[str, float]
    words: dict[str, tuple[str, ...]]
    uncertain: tuple[str, ...]
    origin: str

    @property
    def uncertainty(self) -> float:
        """How unsure the model is about this text; the review queue is ordered by it."""
        return margin_uncertainty(self.scores)

    @property
    def top_two(self) -> list[tuple[str, float]]:
        """The two most likely categories with their scores (fewer if there are fewer)."""
        return top_two(self.scores)


def top_two(scores: Mapping[str, float]) -> list[tuple[str, float]]:
    """The two highest-scoring categories, ties broken by id so the order is stable."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:2]


def margin_uncertainty(scores: Mapping[str, float]) -> float:
    """Margin sampling: 1 minus the gap between the two most likely categories.

    A person's decision teaches the model most where it cannot tell its two best
    categories apart (gap near 0, uncertainty near 1); where one category stands far
    above the rest (gap near 1) a confirmation adds little. No scores: nothing to learn.
    """
    if not scores:
        return 0.0
    best = [score for _label, score in top_two(scores)] + [0.0]
    return round(min(1.0, max(0.0, 1.0 - (best[0] - best[1]))), 4)


@dataclass
class Tagger:
    """Suggests categories for texts with the best model the confirmed examples allow."""

    labels: Sequence[Label]
    examples: Sequence[Example] = ()
    accept: float = ACCEPT_THRESHOLD
    review: float = REVIEW_THRESHOLD
    relative: float = RELATIVE_THRESHOLD
    # Words never counted for a category (the region's place names, see labels.place_names).
    ignore: frozenset[str] = frozenset()
    scorer: ColdStartScorer | TrainedScorer = field(init=False)

    def __post_init__(self) -> None:
        if not 0 <= self.review <= self.accept <= 1:
            raise ValueError(
                f"thresholds must satisfy 0 ≤ review ≤ accept ≤ 1, got review={self.review} "
                f"and accept={self.accept}"
            )
        cold = ColdStartScorer(self.labels, self.ignore)
        if self.examples:
            known = {e.text: cold.score(e.text) for e in self.examples}
            share = choose_share(cold, self.examples, self.decide, known)
            self.scorer = TrainedScorer(cold, self.examples, share, known)
        else:
            self.scorer = cold

    @property
    def version(self) -> str:
        return self.scorer.version

    def retrained(self, examples: Iterable[Example]) -> Tagger:
        """A new tagger fitted to all confirmed examples (after a batch of confirmations)."""
        return Tagger(
            self.labels, tuple(examples), self.accept, self.review, self.relative, self.ignore
        )

    def suggest(self, text: str) -> TagSuggestion:
        return self.suggest_many([text])[0]

    def suggest_many(self, texts: Sequence[str]) -> list[TagSuggestion]:
        if isinstance(self.scorer, TrainedScorer):
            scored = self.scorer.score_many(texts)
        else:
            scored = [self.scorer.score(t) for t in texts]
        return [self._suggestion(s) for s in scored]

    def decide(self, scores: Mapping[str, float]) -> tuple[str, ...]:
        """The categories suggested for a text with these scores, in the strategy's order."""
        floor = max(self.accept, self.relative * max(scores.values(), default=0.0))
        return tuple(label.id for label in self.labels if scores[label.id] >= floor)

    def _suggestion(self, scored: LabelScores) -> TagSuggestion:
        order = [label.id for label in self.labels]
        labels = self.decide(scored.scores)
        return TagSuggestion(
            labels=labels,
            scores=scored.scores,
            words={i: w for i, w in scored.words.items() if scored.scores[i] >= self.review},
            uncertain=tuple(
                i for i in order if scored.scores[i] >= self.review and i not in labels
            ),
            origin=self.version,
        )
