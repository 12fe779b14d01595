"""Tagging quality against the hand-labelled synthetic proposals.

Prints micro- and macro-F1 of cold-start tagging (from the strategy's own words) and after
10, 30 and 100 staff-confirmed examples, on 60 held-out proposals, averaged over 5 shuffles.
"""

from __future__ import annotations

import json
from pathlib import Path

from retning.analysis.evaluation import learning_curve
from retning.analysis.labels import labels_from_spec, place_names
from retning.strategy.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
STRATEGY = ROOT / "src/retning/regions/kongsvingerregionen/strategy.yaml"
PROPOSALS = ROOT / "tests/fixtures/synthetic_proposals.jsonl"


def main() -> None:
    spec = load_spec(STRATEGY)
    labels = labels_from_spec(spec)
    rows = [json.loads(line) for line in PROPOSALS.read_text(encoding="utf-8").splitlines()]
    print(f"{len(rows)} labelled proposals, {len(labels)} categories, 60 held out, 5 shuffles")
    print(f"{'confirmed':>9}  {'micro-F1':>8}  {'macro-F1':>8}")
    for q in learning_curve(labels, rows, ignore=place_names(spec)):
        print(f"{q.confirmed:>9}  {q.micro_f1:>8.3f}  {q.macro_f1:>8.3f}")


if __name__ == "__main__":
    main()
