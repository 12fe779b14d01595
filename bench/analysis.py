"""Consultation analysis at scale: tagging, campaigns and themes on synthetic corpora.

Generates 5,000 and 50,000 synthetic submissions (about 15 % of them copies of injected
campaigns), runs the three steps and prints the seconds of each and the ratio of the
large run to the small one, and the pairwise precision and recall of campaign detection
against the injected campaigns. Goals: 50,000 in under 60 s; the 10× larger corpus taking at
most 12× as long.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.analysis.synthetic

from retning.analysis.campaigns import Document, find_groups
from retning.analysis.labels import labels_from_spec, place_names
from retning.analysis.tagging import Tagger
from retning.analysis.themes import find_themes
from retning.strategy.spec import load_spec
from tests.analysis.synthetic import synthetic_corpus

ROOT = Path(__file__).resolve().parents[1]
STRATEGY = ROOT / "src/retning/regions/kongsvingerregionen/strategy.yaml"


def _pairs(assignment: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = {}
    for ref, group in assignment.items():
        members.setdefault(group, []).append(ref)
    return {p for m in members.values() for p in itertools.combinations(sorted(m), 2)}


def pairwise_precision_recall(found: dict[str, str], truth: dict[str, str]) -> tuple[float, float]:
    """Of the pairs put in one group, the share that are copies of one injected campaign;
    and of those pairs, the share found."""
    predicted, actual = _pairs(found), _pairs(truth)
    hits = len(predicted & actual)
    return hits / max(1, len(predicted)), hits / max(1, len(actual))


def run(n: int, tagger: Tagger) -> dict[str, float]:
    corpus = synthetic_corpus(n, n_campaigns=max(3, n // 170), seed=n)
    documents = [Document(r, t) for r, t in zip(corpus.refs, corpus.texts, strict=True)]
    seconds = {}
    start = time.perf_counter()
    tagger.suggest_many(corpus.texts)
    seconds["tagging"] = time.perf_counter() - start
    start = time.perf_counter()
    groups = find_groups(documents)
    seconds["campaigns"] = time.perf_counter() - start
    copies = {ref for g in groups for ref in g.refs[1:]}
    precision, recall = pairwise_precision_recall(
        {ref: g.id for g in groups for ref in g.refs}, corpus.campaign_of
    )
    start = time.perf_counter()
    themes = find_themes([d for d in documents if d.ref not in copies])
    seconds["themes"] = time.perf_counter() - start
    seconds["total"] = sum(seconds.values())
    injected = len(set(corpus.campaign_of.values()))
    print(
        f"{n:>6} submissions: {len(groups)} duplicate groups "
        f"({sum(g.is_campaign for g in groups)} campaigns; injected {injected}"
        f" with {len(corpus.campaign_of)} copies), pairwise precision {precision:.4f}, "
        f"recall {recall:.4f}; {len(themes.themes)} themes"
    )
    return seconds


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [5_000, 50_000]
    spec = load_spec(STRATEGY)
    tagger = Tagger(labels_from_spec(spec), ignore=place_names(spec))
    print("warming up (imports, caches) on 500 submissions")
    run(500, tagger)
    results = {n: run(n, tagger) for n in sizes}
    steps = ["tagging", "campaigns", "themes", "total"]
    print(f"{'submissions':>11}  " + "  ".join(f"{s:>9}" for s in steps))
    for n, seconds in results.items():
        print(f"{n:>11}  " + "  ".join(f"{seconds[s]:>8.2f}s" for s in steps))
    if len(sizes) == 2:
        small, large = (results[n] for n in sizes)
        print(
            f"{'ratio':>11}  "
            + "  ".join(f"{large[s] / small[s]:>8.1f}×" for s in steps)
            + f"   (for {sizes[1] / sizes[0]:.0f}× the submissions)"
        )


if __name__ == "__main__":
    main()
