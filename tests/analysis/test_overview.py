from __future__ import annotations

from retning.analysis.overview import count_by_label, review_queue, untagged
from retning.analysis.tagging import Tagger


def test_review_queue_puts_the_most_uncertain_first_and_skips_decided(strategy_labels):
    tagger = Tagger(strategy_labels)
    texts = {
        "1": "Gatelysene er slukket.",
        "2": "Dobbeltspor på jernbanen, bredbånd og strøm til næringsarealene.",
        "3": "Mer samarbeid.",
        "4": "Skogeierne trenger skogsbilveier.",
    }
    suggestions = {ref: tagger.suggest(text) for ref, text in texts.items()}
    queue = review_queue(suggestions, decided=["4"])
    assert "4" not in queue
    assert sorted(queue) == ["1", "2", "3"]
    uncertainties = [suggestions[ref].uncertainty for ref in queue]
    assert uncertainties == sorted(uncertainties, reverse=True)


def test_count_by_label_includes_empty_categories(strategy_labels):
    tags = {"1": ["logistikk", "biookonomi"], "2": ["logistikk"], "3": []}
    counts = {label.id: n for label, n in count_by_label(strategy_labels, tags)}
    assert counts["logistikk"] == 2
    assert counts["biookonomi"] == 1
    assert counts["kompetanse-fou"] == 0
    assert len(counts) == len(strategy_labels)
    assert untagged(tags) == ["3"]
