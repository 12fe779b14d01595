"""One call that runs the whole analysis of a round, for the Django side to store.

Tag suggestions for every proposal, duplicate groups and campaigns, similar-proposal
links, and the first version of the theme set — computed on campaign copies once, so that
a campaign counts as one voice when themes are found (its size is shown with the group).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retning.analysis.campaigns import Document, DuplicateGroup, find_groups
from retning.analysis.similar import SimilarLink, similar_links
from retning.analysis.tagging import Tagger, TagSuggestion
from retning.analysis.themes import ThemeSet, find_themes


@dataclass(frozen=True)
class RoundAnalysis:
    suggestions: dict[str, TagSuggestion]
    groups: list[DuplicateGroup]
    links: list[SimilarLink]
    themes: ThemeSet
    tagger_version: str


def analyse_round(
    documents: Sequence[Document], tagger: Tagger, names: Iterable[str] = ()
) -> RoundAnalysis:
    """Everything staff review for a round; nothing here is final until they decide.

    `documents` hold the cleaned texts (`analysis.cleaning`); `names` are the senders',
    which never name a theme."""
    suggestions = dict(
        zip(
            (d.ref for d in documents),
            tagger.suggest_many([d.text for d in documents]),
            strict=True,
        )
    )
    groups = find_groups(documents)
    copies = {ref for g in groups for ref in g.refs[1:]}
    distinct = [d for d in documents if d.ref not in copies]
    return RoundAnalysis(
        suggestions=suggestions,
        groups=groups,
        links=similar_links(distinct, groups),
        themes=find_themes(distinct, names=names),
        tagger_version=tagger.version,
    )
