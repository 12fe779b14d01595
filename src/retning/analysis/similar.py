"""Similar-proposal links: texts about the same thing in different words.

Near-duplicates are grouped as campaigns; this finds the looser kinship a reader wants to
see next to a proposal ("3 similar proposals"), like Decidim's similarity warning. Cosine
similarity of TF-IDF over word stems, the top few neighbours above a threshold, skipping
pairs already in the same duplicate group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from retning.analysis.campaigns import Document, DuplicateGroup
from retning.analysis.text import content_stems

SIMILARITY = 0.3
TOP = 3
CHUNK = 2000


@dataclass(frozen=True)
class SimilarLink:
    a: str
    b: str
    similarity: float


def similar_links(
    documents: Sequence[Document],
    groups: Sequence[DuplicateGroup] = (),
    threshold: float = SIMILARITY,
    top: int = TOP,
) -> list[SimilarLink]:
    """Each document's `top` most similar others with cosine ≥ `threshold`, each pair once."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(documents) < 2:
        return []
    group_of = {ref: g.id for g in groups for ref in g.refs}
    vectors = TfidfVectorizer(analyzer=content_stems, sublinear_tf=True).fit_transform(
        [d.text for d in documents]
    )
    found: dict[tuple[int, int], float] = {}
    for start in range(0, len(documents), CHUNK):
        block = (vectors[start : start + CHUNK] @ vectors.T).toarray()
        for offset, row in enumerate(block):
            i = start + offset
            row[i] = 0.0
            best = np.argsort(row)[::-1][:top]
            for j in best:
                if row[j] < threshold:
                    break
                a, b = documents[i].ref, documents[j].ref
                if a in group_of and group_of[a] == group_of.get(b):
                    continue
                found[(min(i, j), max(i, j))] = round(float(row[j]), 4)
    return [
        SimilarLink(documents[i].ref, documents[j].ref, s)
        for (i, j), s in sorted(found.items(), key=lambda kv: -kv[1])
    ]
