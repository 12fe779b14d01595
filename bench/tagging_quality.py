"""Tagging quality against the two hand-labelled synthetic proposal sets.

Prints micro- and macro-F1 of cold-start tagging (from the strategy's own words) and after
10, 30 and 100 staff-confirmed examples, on 60 held-out proposals, averaged over 20
shuffles, for each set:

- development set (`synthetic_proposals.jsonl`): written together with the tagger; its
  errors were read while the strategy's keywords and the thresholds were chosen, so its
  figures are optimistic;
- blind set (`synthetic_proposals_blind.jsonl`): written by an author who had seen neither
  the tagging code, the keywords nor the development set; its texts were never read for
  tuning, but its aggregate figures were looked at four times while the vocabulary and
  thresholds were settled;
- second blind set (`synthetic_proposals_blind2.jsonl`): written the same way, asked for
  more business detail, more proposals with two topics (31 % have two or three labels)
  and more indirect wording; looked at four times, in aggregate only. The hardest and
  least used of the three.
"""

from __future__ import annotations

import json
from pathlib import Path

from retning.analysis.evaluation import learning_curve
from retning.analysis.labels import labels_from_spec, place_names
from retning.strategy.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
STRATEGY = ROOT / "src/retning/regions/kongsvingerregionen/strategy.yaml"
SETS = {
    "development set": ROOT / "tests/fixtures/synthetic_proposals.jsonl",
    "blind set": ROOT / "tests/fixtures/synthetic_proposals_blind.jsonl",
    "second blind set": ROOT / "tests/fixtures/synthetic_proposals_blind2.jsonl",
}
SEEDS = tuple(range(20))


def main() -> None:
    spec = load_spec(STRATEGY)
    labels = labels_from_spec(spec)
    for name, path in SETS.items():
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        print(f"{name}: {len(rows)} labelled proposals, {len(labels)} categories,")
        print(f"60 held out, {len(SEEDS)} shuffles")
        print(f"{'confirmed':>9}  {'micro-F1':>8}  {'macro-F1':>8}")
        for q in learning_curve(labels, rows, seeds=SEEDS, ignore=place_names(spec)):
            print(f"{q.confirmed:>9}  {q.micro_f1:>8.3f}  {q.macro_f1:>8.3f}")
        print()


if __name__ == "__main__":
    main()
