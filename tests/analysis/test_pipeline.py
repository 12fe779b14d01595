from __future__ import annotations

from retning.analysis.campaigns import Document
from retning.analysis.pipeline import analyse_round
from retning.analysis.tagging import Tagger
from tests.analysis.synthetic import synthetic_corpus


def test_analyse_round_counts_a_campaign_once_for_themes(strategy_labels):
    corpus = synthetic_corpus(400, 2, copies_per_campaign=(30, 30), seed=9)
    documents = [Document(r, t) for r, t in zip(corpus.refs, corpus.texts, strict=True)]
    result = analyse_round(documents, Tagger(strategy_labels))
    assert set(result.suggestions) == set(corpus.refs)
    campaigns = [g for g in result.groups if g.is_campaign]
    assert sorted(g.size for g in campaigns) == [30, 30]
    themed = {ref for theme in result.themes.themes for ref in theme.refs}
    for group in campaigns:
        assert len(themed & set(group.refs)) <= 1
    assert result.themes.total == 400 - 58
    assert result.tagger_version.startswith("cold-start-2:")
