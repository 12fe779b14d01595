"""Consultation analysis at scale: tagging, campaigns and themes on synthetic corpora.

Generates 5,000 and 50,000 synthetic submissions (about 15 % of them copies of injected
campaigns), runs the three steps and prints the seconds of each and the ratio of the
large run to the small one. Goals: 50,000 in under 60 s; the 10× larger corpus taking at
most 12× as long.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from retning.analysis.campaigns import Document, find_groups
from retning.analysis.labels import labels_from_spec, place_names
from retning.analysis.synthetic import synthetic_corpus
from retning.analysis.tagging import Tagger
from retning.analysis.themes import find_themes
from retning.strategy.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
STRATEGY = ROOT / "src/retning/regions/kongsvingerregionen/strategy.yaml"


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
    start = time.perf_counter()
    themes = find_themes([d for d in documents if d.ref not in copies])
    seconds["themes"] = time.perf_counter() - start
    seconds["total"] = sum(seconds.values())
    print(
        f"{n:>6} submissions: {len(groups)} duplicate groups "
        f"({sum(g.is_campaign for g in groups)} campaigns), {len(themes.themes)} themes"
    )
    return seconds


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [5_000, 50_000]
    spec = load_spec(STRATEGY)
    tagger = Tagger(labels_from_spec(spec), ignore=place_names(spec))
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
