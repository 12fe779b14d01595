from __future__ import annotations

from retning.analysis.overview import count_by_label, untagged


def test_count_by_label_includes_empty_categories(strategy_labels):
    tags = {"1": ["logistikk", "biookonomi"], "2": ["logistikk"], "3": []}
    counts = {label.id: n for label, n in count_by_label(strategy_labels, tags)}
    assert counts["logistikk"] == 2
    assert counts["biookonomi"] == 1
    assert counts["kompetanse-fou"] == 0
    assert len(counts) == len(strategy_labels)
    assert untagged(tags) == ["3"]


def test_uncertainty_is_one_minus_the_gap_between_the_two_best_categories():
    from retning.analysis.tagging import margin_uncertainty, top_two

    assert margin_uncertainty({"a": 0.45, "b": 0.41, "c": 0.1}) == 0.96
    assert margin_uncertainty({"a": 0.9, "b": 0.1}) == 0.2
    assert margin_uncertainty({"a": 0.7}) == 0.3, "one category: the gap is to zero"
    assert margin_uncertainty({}) == 0.0
    assert top_two({"b": 0.5, "a": 0.5, "c": 0.9}) == [("c", 0.9), ("a", 0.5)]


def test_campaign_copies_are_one_entry_where_the_first_copy_stands():
    from retning.analysis.overview import collapse_campaigns

    queue = ["H-1", "H-2", "H-3", "H-4", "H-5"]
    campaign_of = {"H-2": "g-1", "H-4": "g-1", "H-5": "g-1"}
    assert collapse_campaigns(queue, campaign_of) == [
        ("H-1", ("H-1",)),
        ("H-2", ("H-2", "H-4", "H-5")),
        ("H-3", ("H-3",)),
    ]
    assert collapse_campaigns([], campaign_of) == []
