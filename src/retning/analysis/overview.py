"""Figures for the staff analysis overview: proposals per category, and those with none.

(The review queue is ordered in the database, page by page: `consultation_analysis.views`.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from retning.analysis.labels import Label


def collapse_campaigns(
    queue: Sequence[str], campaign_of: Mapping[str, str]
) -> list[tuple[str, tuple[str, ...]]]:
    """The queue with each campaign's copies as one entry, where its most uncertain copy
    stands: (the copy shown, every waiting copy of that campaign). A proposal in no
    campaign is an entry of its own. One decision then covers identical texts."""
    entries: list[tuple[str, list[str]]] = []
    at: dict[str, int] = {}
    for ref in queue:
        key = campaign_of.get(ref)
        if key is None:
            entries.append((ref, [ref]))
        elif key in at:
            entries[at[key]][1].append(ref)
        else:
            at[key] = len(entries)
            entries.append((ref, [ref]))
    return [(ref, tuple(copies)) for ref, copies in entries]


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
