"""Tagging quality against the hand-labelled synthetic proposal sets.

Prints micro- and macro-F1 of cold-start tagging (from the strategy's own words) and after
10, 30 and 100 staff-confirmed examples, on 60 held-out proposals, averaged over 20
shuffles, for each set. Then two figures that put them in context:

- learning from many confirmations: the tagger trained on up to all 543 proposals of the
  development sets, measured on each blind set as a whole;
- agreement between two readings: the blind sets' authors' labels against a second,
  independent labelling of the same texts (`synthetic_proposals_second_reading.jsonl`);
- the e-mail path: every proposal of every set wrapped as a synthetic e-mail (greeting,
  signature with name, phone and address, disclaimer, "Sendt fra min iPhone", quoted
  earlier message; `tests.analysis.synthetic.synthetic_email`), cleaned as the analysis cleans it
  (`analysis.cleaning.clean`, the sender's name known when the From header gives it) and
  tagged: macro-F1 beside the bare text's, and the raw e-mail's without cleaning.

The sets (see docs/notes/2026-12-tagging-and-analysis-history.md):

- development sets, whose errors were read while the keywords, the matching rules and the
  thresholds were chosen, so their figures are optimistic: `synthetic_proposals.jsonl`
  (written with the tagger), `_blind.jsonl` and `_blind2.jsonl` (written blind, used for
  tuning later);
- blind sets, written by authors who saw neither the tagger, its keywords nor the other
  sets, never tuned on: `_blind3.jsonl` (short informal proposals), `_blind4.jsonl`
  (formal responses, 48 % with two or three topics) and `_blind5.jsonl` (a mixed inbox).

With `RETNING_LLM_URL` and `RETNING_LLM_MODEL` set (and `RETNING_LLM_API_KEY` if needed), the
optional language model's macro-F1 on the blind sets is printed beside the built-in tagger's (same
texts, scrubbed as in the application); otherwise the section says "not configured".
`--language-model-only` runs just that section.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.analysis.synthetic

from retning.analysis.cleaning import clean
from retning.analysis.evaluation import f1_scores, learning_curve
from retning.analysis.labels import labels_from_spec, place_names
from retning.analysis.llm import LlmClient, LlmConfig, LlmError
from retning.analysis.llm_tagging import LlmTagger
from retning.analysis.tagging import Tagger
from retning.analysis.trained import Example
from retning.strategy.spec import load_spec
from tests.analysis.synthetic import synthetic_email

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests/fixtures"
STRATEGY = ROOT / "src/retning/regions/kongsvingerregionen/strategy.yaml"
DEVELOPMENT = {
    "development set": "synthetic_proposals.jsonl",
    "development set (first blind set)": "synthetic_proposals_blind.jsonl",
    "development set (second blind set)": "synthetic_proposals_blind2.jsonl",
}
BLIND = {
    "third blind set": "synthetic_proposals_blind3.jsonl",
    "fourth blind set": "synthetic_proposals_blind4.jsonl",
    "fifth blind set": "synthetic_proposals_blind5.jsonl",
}
SECOND_READING = "synthetic_proposals_second_reading.jsonl"
SEEDS = tuple(range(20))
# Confirmed examples drawn from the development sets, three draws each below all of them.
MANY = (0, 100, 300, 543)
DRAWS = 3


def _rows(name: str) -> list[dict]:
    path = FIXTURES / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def email_rows(rows: list[dict], seed: int = 14) -> tuple[list[dict], list[dict]]:
    """The rows as cleaned e-mails and as raw e-mail bodies (same labels)."""
    rng = random.Random(seed)
    cleaned, raw = [], []
    for row in rows:
        mail = synthetic_email(rng, row["text"])
        names = [mail.name] if "<" in mail.sender else []
        cleaned.append({**row, "text": clean(mail.body, names).text})
        raw.append({**row, "text": mail.body})
    return cleaned, raw


def email_path(labels, places) -> None:
    label_ids = [label.id for label in labels]
    cold = Tagger(labels, ignore=places)
    print("The e-mail path: each proposal as a synthetic e-mail, cleaned, then tagged")
    print("(macro-F1; whole set from the strategy's words, and 30 confirmed examples")
    print(f"on 60 held out, {len(SEEDS)} shuffles, the examples e-mailed and cleaned as well)")
    print(f"{'set':<36} {'bare':>6} {'e-mail':>6} {'raw':>6}   {'bare 30':>7} {'e-mail 30':>9}")
    for name, file in {**DEVELOPMENT, **BLIND}.items():
        rows = _rows(file)
        cleaned, raw = email_rows(rows)
        whole = {}
        for kind, these in (("bare", rows), ("e-mail", cleaned), ("raw", raw)):
            predicted = [s.labels for s in cold.suggest_many([r["text"] for r in these])]
            whole[kind] = f1_scores(label_ids, [r["labels"] for r in these], predicted)[1]
        (bare30,) = learning_curve(labels, rows, sizes=(30,), seeds=SEEDS, ignore=places)
        (mail30,) = learning_curve(labels, cleaned, sizes=(30,), seeds=SEEDS, ignore=places)
        print(
            f"{name:<36} {whole['bare']:>6.3f} {whole['e-mail']:>6.3f} {whole['raw']:>6.3f}"
            f"   {bare30.macro_f1:>7.3f} {mail30.macro_f1:>9.3f}"
        )
    print()


def language_model(labels, places, config: LlmConfig | None = None) -> None:
    """Macro-F1 of the optional language model beside the built-in tagger's (from the
    strategy's words), on each whole blind set."""
    config = config or LlmConfig.from_env()
    print("Language model (optional) against the built-in tagger, whole blind sets, macro-F1")
    if config is None:
        print(
            "not configured (set RETNING_LLM_URL and RETNING_LLM_MODEL, "
            "and RETNING_LLM_API_KEY if needed)"
        )
        print()
        return
    label_ids = [label.id for label in labels]
    cold = Tagger(labels, ignore=places)
    llm = LlmTagger(LlmClient(config), labels)
    print(f"{'set':<36} {'built-in':>8} {config.model[:24]:>24}")
    for name, file in BLIND.items():
        rows = _rows(file)
        truth = [r["labels"] for r in rows]
        built_in = [s.labels for s in cold.suggest_many([r["text"] for r in rows])]
        try:
            asked = [llm.suggest(r["text"]) for r in rows]
        except LlmError as exc:
            print(f"{name:<36} stopped: {exc}")
            break
        print(
            f"{name:<36} {f1_scores(label_ids, truth, built_in)[1]:>8.3f}"
            f" {f1_scores(label_ids, truth, asked)[1]:>24.3f}"
        )
    print()


def main() -> None:
    import sys

    spec = load_spec(STRATEGY)
    labels = labels_from_spec(spec)
    label_ids = [label.id for label in labels]
    places = place_names(spec)
    language_model(labels, places)
    if "--language-model-only" in sys.argv[1:]:
        return
    email_path(labels, places)
    for name, file in {**DEVELOPMENT, **BLIND}.items():
        rows = _rows(file)
        print(f"{name} ({file}): {len(rows)} labelled proposals, {len(labels)} categories,")
        print(f"60 held out, {len(SEEDS)} shuffles")
        print(f"{'confirmed':>9}  {'micro-F1':>8}  {'macro-F1':>8}")
        for q in learning_curve(labels, rows, seeds=SEEDS, ignore=places):
            print(f"{q.confirmed:>9}  {q.micro_f1:>8.3f}  {q.macro_f1:>8.3f}")
        print()

    development = [row for file in DEVELOPMENT.values() for row in _rows(file)]
    blind = {name: _rows(file) for name, file in BLIND.items()}
    print("Learning from many confirmations: trained on development-set proposals,")
    print(f"measured on each whole blind set (macro-F1, mean of {DRAWS} draws)")
    print(f"{'confirmed':>9}  " + "  ".join(f"{name:>16}" for name in blind))
    for size in MANY:
        draws = 1 if size in (0, len(development)) else DRAWS
        sums = dict.fromkeys(blind, 0.0)
        for seed in range(draws):
            shuffled = list(development)
            random.Random(seed).shuffle(shuffled)
            examples = [Example(r["text"], frozenset(r["labels"])) for r in shuffled[:size]]
            tagger = Tagger(labels, examples, ignore=places)
            for name, rows in blind.items():
                predicted = [s.labels for s in tagger.suggest_many([r["text"] for r in rows])]
                sums[name] += f1_scores(label_ids, [r["labels"] for r in rows], predicted)[1]
        print(f"{size:>9}  " + "  ".join(f"{sums[n] / draws:>16.3f}" for n in blind))
    print()

    second = {row["id"]: row["labels"] for row in _rows(SECOND_READING)}
    print("Agreement of two readings (authors' labels against a second, independent one)")
    for name, rows in blind.items():
        read = [r for r in rows if r["id"] in second]
        if not read:
            continue
        micro, macro = f1_scores(
            label_ids, [r["labels"] for r in read], [second[r["id"]] for r in read]
        )
        print(f"{name}: {len(read)} proposals, micro-F1 {micro:.3f}, macro-F1 {macro:.3f}")


if __name__ == "__main__":
    main()
