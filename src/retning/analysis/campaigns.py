"""Duplicates and campaigns: proposals sent in the same or nearly the same words.

Exact duplicates are equal after normalisation. Near-duplicates are found with MinHash/LSH
on word shingles and checked on the exact shingle sets: two texts belong together when
they share at least `jaccard` of their shingles, or when the shorter one is almost wholly
contained in the longer (a template with a long personal addition). Connected texts form a
group; each group shows the template (the sentences most copies share), how many copies
there are and what each copy added. Staff can split and merge groups; both are pure
functions that return new groups.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retning.analysis.text import normalise, sentences

JACCARD = 0.5
CONTAINMENT = 0.8
# Containment alone joins texts only when the shorter one has this many shingles; a
# one-line "Jeg støtter forslaget" is contained in many texts without being copied.
MIN_CONTAINED_SHINGLES = 12
# A group of at least this many copies is called a campaign; smaller ones are duplicates.
CAMPAIGN_MIN_COPIES = 3
ESTIMATE_MARGIN = 0.15


@dataclass(frozen=True)
class Document:
    """A text to compare, with the reference staff know it by (e.g. its journal number)."""

    ref: str
    text: str


@dataclass(frozen=True)
class Copy:
    ref: str
    additions: tuple[str, ...]
    exact: bool


@dataclass(frozen=True)
class DuplicateGroup:
    """Texts sent in (nearly) the same words: the shared template and each copy's own part."""

    id: str
    template: tuple[str, ...]
    copies: tuple[Copy, ...]

    @property
    def size(self) -> int:
        return len(self.copies)

    @property
    def is_campaign(self) -> bool:
        return self.size >= CAMPAIGN_MIN_COPIES

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(c.ref for c in self.copies)


class _UnionFind:
    def __init__(self, n: int):
        import numpy as np

        self.parent = np.arange(n)

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return int(root)

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def find_groups(
    documents: Sequence[Document],
    jaccard: float = JACCARD,
    containment: float = CONTAINMENT,
) -> list[DuplicateGroup]:
    """Groups of two or more documents that are exact or near copies, largest first.

    Candidate pairs from LSH are screened on MinHash estimates of their overlap and
    confirmed on the exact shingle sets.
    """
    import numpy as np

    from retning.analysis import minhash

    refs = [d.ref for d in documents]
    if len(set(refs)) != len(refs):
        duplicated = sorted(r for r, n in Counter(refs).items() if n > 1)
        raise ValueError(f"references must be unique; repeated: {', '.join(duplicated[:5])}")
    by_text: dict[str, list[int]] = {}
    for index, document in enumerate(documents):
        by_text.setdefault(normalise(document.text), []).append(index)
    uniques = [members[0] for members in by_text.values()]
    union = _UnionFind(len(documents))
    for members in by_text.values():
        for other in members[1:]:
            union.union(members[0], other)
    matrix = minhash.shingle_matrix([documents[i].text for i in uniques])
    sigs = minhash.signatures(matrix)
    sizes = np.diff(matrix.indptr)
    pairs = minhash.candidate_pairs(sigs)
    # The estimate, with a margin of about four standard errors, picks the pairs worth
    # checking; the exact shingle sets decide.
    similar, contained = minhash.overlap(sigs, sizes, pairs)
    pairs = pairs[
        (similar >= jaccard - ESTIMATE_MARGIN) | (contained >= containment - ESTIMATE_MARGIN)
    ]
    similar, contained = minhash.exact_overlap(matrix, pairs)
    smaller = np.minimum(sizes[pairs[:, 0]], sizes[pairs[:, 1]])
    accept = (similar >= jaccard) | (
        (contained >= containment) & (smaller >= MIN_CONTAINED_SHINGLES)
    )
    for i, j in pairs[accept]:
        union.union(uniques[i], uniques[j])
    clusters: dict[int, list[int]] = {}
    for index in range(len(documents)):
        clusters.setdefault(union.find(index), []).append(index)
    groups = [
        describe_group([documents[i] for i in members])
        for members in clusters.values()
        if len(members) > 1
    ]
    return sorted(groups, key=lambda g: (-g.size, g.refs))


def describe_group(members: Sequence[Document]) -> DuplicateGroup:
    """Template and additions of a set of copies.

    The template is the sentences found in at least half of the copies (at least two),
    in the order of the copy that has most of them; everything else a copy says is its
    addition. Sentences are compared after normalisation, so reordered paragraphs and
    changed quotes or spacing do not count as additions.
    """
    split = [[(normalise(s), s) for s in sentences(m.text)] for m in members]
    counts = Counter(key for parts in split for key in {k for k, _ in parts})
    needed = max(2, (len(members) + 1) // 2)
    shared = {key for key, n in counts.items() if n >= needed}
    model = max(split, key=lambda parts: sum(k in shared for k, _ in parts))
    template: list[str] = []
    seen: set[str] = set()
    for key, original in model:
        if key in shared and key not in seen:
            seen.add(key)
            template.append(original)
    normalised = Counter(normalise(m.text) for m in members)
    copies = tuple(
        Copy(
            ref=m.ref,
            additions=tuple(original for key, original in parts if key not in shared),
            exact=normalised[normalise(m.text)] > 1,
        )
        for m, parts in zip(members, split, strict=True)
    )
    return DuplicateGroup(
        id=_group_id(c.ref for c in copies), template=tuple(template), copies=copies
    )


def _group_id(refs: Iterable[str]) -> str:
    return "g-" + hashlib.sha256("\n".join(sorted(refs)).encode()).hexdigest()[:10]


def split_group(
    group: DuplicateGroup, documents: dict[str, str], refs: Iterable[str]
) -> list[DuplicateGroup]:
    """Staff split a group: `refs` leave it and form their own group. A side left with one
    text is no longer a group and is dropped from the result."""
    leaving = set(refs)
    unknown = leaving - set(group.refs)
    if unknown:
        raise ValueError(f"not in group {group.id}: {', '.join(sorted(unknown))}")
    sides = [
        [r for r in group.refs if r not in leaving],
        [r for r in group.refs if r in leaving],
    ]
    return [
        describe_group([Document(r, documents[r]) for r in side]) for side in sides if len(side) > 1
    ]


def merge_groups(groups: Sequence[DuplicateGroup], documents: dict[str, str]) -> DuplicateGroup:
    """Staff merge groups they see as one campaign."""
    if len(groups) < 2:
        raise ValueError("merging needs at least two groups")
    refs = list(dict.fromkeys(r for g in groups for r in g.refs))
    return describe_group([Document(r, documents[r]) for r in refs])
