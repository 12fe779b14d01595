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
