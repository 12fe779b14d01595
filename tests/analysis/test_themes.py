from __future__ import annotations

import pytest

from retning.analysis.campaigns import Document
from retning.analysis.themes import (
    MAX_THEMES,
    ThemeSet,
    check_theme_set,
    find_themes,
    merge_themes,
    min_theme_size,
    rename_theme,
    split_theme,
)
from tests.analysis.synthetic import synthetic_corpus


@pytest.fixture(scope="module")
def corpus():
    return synthetic_corpus(1200, 0, seed=3)


@pytest.fixture(scope="module")
def theme_set(corpus) -> ThemeSet:
    return find_themes([Document(r, t) for r, t in zip(corpus.refs, corpus.texts, strict=True)])


def test_min_theme_size_is_two_or_one_percent():
    assert min_theme_size(50) == 2
    assert min_theme_size(1200) == 12
    assert min_theme_size(50_001) == 501


def test_theme_set_passes_its_own_checks(theme_set):
    assert 2 <= len(theme_set.themes) <= MAX_THEMES
    assert check_theme_set(theme_set) == []
    assert all(t.size >= 12 for t in theme_set.themes)


def test_themes_follow_the_topics_of_the_texts(corpus, theme_set):
    """Most texts of a theme share the topic they were generated from."""
    topic = dict(zip(corpus.refs, corpus.topics, strict=True))
    purity = sum(
        max(sum(topic[r] == t for r in theme.refs) for t in set(topic.values()))
        for theme in theme_set.themes
    ) / sum(theme.size for theme in theme_set.themes)
    assert purity >= 0.6, purity


def test_quotes_come_from_the_theme_with_their_references(corpus, theme_set):
    texts = dict(zip(corpus.refs, corpus.texts, strict=True))
    for theme in theme_set.themes:
        assert theme.quotes
        for quote in theme.quotes:
            assert quote.ref in theme.refs
            assert " ".join(texts[quote.ref].split()).startswith(quote.text)


def test_check_finds_small_and_overlapping_themes(theme_set):
    first = theme_set.themes[0]
    small = type(first)("t-x", "liten", (), first.refs[:1], ())
    copy = type(first)("t-y", "kopi", (), first.refs, ())
    broken = ThemeSet(2, (*theme_set.themes, small, copy), theme_set.total)
    messages = [p.message for p in check_theme_set(broken)]
    assert any("at least 12" in m for m in messages)
    assert "nearly the same proposals" in messages


def test_rename_merge_and_split_make_new_versions(corpus, theme_set):
    texts = dict(zip(corpus.refs, corpus.texts, strict=True))
    a, b = theme_set.themes[:2]
    renamed = rename_theme(theme_set, a.id, "Kontaktperson i kommunen", "kari")
    assert renamed.version == 2
    assert renamed.get(a.id).label == "Kontaktperson i kommunen"
    assert renamed.get(a.id).label_by == "kari"
    assert theme_set.get(a.id).label == a.label, "the earlier version is unchanged"
    merged = merge_themes(renamed, [a.id, b.id], "Kommune og industri", "ola")
    assert merged.version == 3
    assert len(merged.themes) == len(theme_set.themes) - 1
    big = next(t for t in merged.themes if t.label == "Kommune og industri")
    assert big.size == a.size + b.size
    split = split_theme(merged, big.id, b.refs, "Industri", "ola", texts)
    assert split.version == 4
    assert sorted(t.size for t in split.themes) == sorted(t.size for t in theme_set.themes)
    assert [c.action for c in split.history] == ["rename", "merge", "split"]
    with pytest.raises(ValueError):
        split_theme(merged, big.id, big.refs, "Alt", "ola", texts)
