"""Figures for the staff analysis overview: proposals per category, and those with none.

(The review queue is ordered in the database, page by page: `consultation_analysis.views`.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from retning.analysis.labels import Label


def count_by_label(
    labels: Sequence[Label], tags: Mapping[str, Iterable[str]]
) -> list[tuple[Label, int]]:
    """Proposals per category (a proposal with two categories counts under both), in the
    strategy's order, and including categories nobody wrote about."""
    counts = {label.id: 0 for label in labels}
    for proposal_labels in tags.values():
        for label_id in set(proposal_labels):
            if label_id in counts:
                counts[label_id] += 1
    return [(label, counts[label.id]) for label in labels]


def untagged(tags: Mapping[str, Iterable[str]]) -> list[str]:
    """References with no category: candidates for the emergent themes."""
    return sorted(ref for ref, labels in tags.items() if not list(labels))
