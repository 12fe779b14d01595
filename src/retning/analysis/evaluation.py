"""How well tagging agrees with people: micro- and macro-F1 on a labelled set.

Used by the tests and by `bench/tagging_quality.py` to report how quality grows with the
number of staff-confirmed examples. The set is shuffled with fixed seeds, split into a pool
of examples to "confirm" and a held-out part that is never trained on.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from retning.analysis.labels import Label
from retning.analysis.tagging import Tagger
from retning.analysis.trained import Example


@dataclass(frozen=True)
class Quality:
    confirmed: int
    micro_f1: float
    macro_f1: float


def f1_scores(
    label_ids: Sequence[str], truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
) -> tuple[float, float]:
    """Micro- and macro-F1 over the categories (an empty prediction is a valid answer)."""
    from sklearn.metrics import f1_score

    y_true = [[i in t for i in label_ids] for t in truth]
    y_pred = [[i in p for i in label_ids] for p in predicted]
    micro = f1_score(y_true, y_pred, average="micro", zero_division=0)
    macro = f1_score(y_true, y_pred, average="macro", zero_division=0)
    return float(micro), float(macro)


def learning_curve(
    labels: Sequence[Label],
    rows: Sequence[dict],
    sizes: Sequence[int] = (0, 10, 30, 100),
    held_out: int = 60,
    seeds: Sequence[int] = (0, 1, 2, 3, 4),
    ignore: frozenset[str] = frozenset(),
) -> list[Quality]:
    """Mean F1 on held-out rows after training on the first `size` rows of the pool.

    `rows` are {"text", "labels"} dicts. Each seed gives another shuffle, so the figures
    do not hang on one lucky split.
    """
    if held_out >= len(rows) or max(sizes) > len(rows) - held_out:
        raise ValueError(
            f"{len(rows)} labelled rows cannot hold {held_out} held out plus {max(sizes)} "
            "to train on"
        )
    label_ids = [label.id for label in labels]
    out = []
    for size in sizes:
        micro_sum = macro_sum = 0.0
        for seed in seeds:
            shuffled = list(rows)
            random.Random(seed).shuffle(shuffled)
            pool, test = shuffled[:-held_out], shuffled[-held_out:]
            examples = [Example(r["text"], frozenset(r["labels"])) for r in pool[:size]]
            tagger = Tagger(labels, examples, ignore=ignore)
            suggestions = tagger.suggest_many([r["text"] for r in test])
            micro, macro = f1_scores(
                label_ids, [r["labels"] for r in test], [s.labels for s in suggestions]
            )
            micro_sum += micro
            macro_sum += macro
        out.append(
            Quality(size, round(micro_sum / len(seeds), 3), round(macro_sum / len(seeds), 3))
        )
    return out


@dataclass(frozen=True)
class Agreement:
    """How the suggestions staff saw compare with what they decided."""

    decisions: int
    unchanged: int  # decisions that kept the suggestion exactly
    micro_f1: float
    macro_f1: float


def agreement(
    label_ids: Sequence[str], pairs: Sequence[tuple[Sequence[str], Sequence[str]]]
) -> Agreement:
    """`pairs`: (suggested, decided) label sets of each confirmed proposal.

    The round's own measure of tagging quality: unlike the synthetic sets, these are the
    region's real proposals and its staff's decisions.
    """
    if not pairs:
        return Agreement(0, 0, 0.0, 0.0)
    unchanged = sum(set(suggested) == set(decided) for suggested, decided in pairs)
    # Only categories someone suggested or chose count: in a round's first confirmations
    # most categories appear in neither, and would count as 0 (or 1) for no reason.
    present = [i for i in label_ids if any(i in s or i in d for s, d in pairs)]
    if not present:  # every proposal off-topic, and every suggestion said so
        return Agreement(len(pairs), unchanged, 1.0, 1.0)
    micro, macro = f1_scores(
        present, [decided for _s, decided in pairs], [suggested for suggested, _d in pairs]
    )
    return Agreement(len(pairs), unchanged, round(micro, 3), round(macro, 3))
