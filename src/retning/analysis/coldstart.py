"""Cold-start tagging: proposals scored against the strategy's own words.

Before staff have confirmed any tags, the only knowledge of what "Bærekraftig vekst" means
is the strategy file: each category's title, description and keywords. A proposal scores
for a category by the stems it shares with those words, including Norwegian compounds
("tømmertransport" counts for "transport", "skogeiere" for "skog"). A word that several
categories share is split between them by its weight in each, as it tells them apart less
well.

Keywords are chosen to name a topic; the title and description are prose, and their words
only count when a text uses the very same word: "utvikling" in "forskning og utvikling"
must not make "produktutvikling" a matter for knowledge services, and the description's
everyday verbs ("tar", "svarer", "legger til rette") say nothing about any topic.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retning.analysis.labels import Label
from retning.analysis.text import is_content_word, stem, tokenize

# Weights of a category's own words, before a shared word is split between categories.
KEYWORD_WEIGHT = 1.0
TITLE_WEIGHT = 0.5
DESCRIPTION_WEIGHT = 0.5
# A stem this long or longer also matches as the first or last part of a compound.
MIN_COMPOUND_PART = 4
# …and as the last part, the rest of the compound must have at least this many letters,
# so that "planlegg" does not count as "anlegg".
MIN_COMPOUND_REST = 3
# Everyday words of the titles and descriptions that are not about any topic, and the
# region itself, which every proposal names; keywords are never filtered by this list.
_PROSE_WORD_TEXT = """
bidra bruk bruke bruker bruken effektiv effektive eksisterende felles ferdig gode hensyn
høy knytte legge legger mål måte nye nytt ny rett rette svare svarer sterke ta tar tatt
tilpasset region regionen
"""
PROSE_WORDS = frozenset(_PROSE_WORD_TEXT.split())
# Inflected forms that stem like a keyword but mean something else: "ungene" (the kids)
# stems as "unge" (young people, a recruitment keyword).
HOMOGRAPHS = frozenset({"ungen", "ungene", "unger", "unga", "ungar", "ungane"})
# "gang- og sykkelvei": the first word is a fragment of "gangvei", not the word "gang".
_SUSPENDED_COMPOUND = re.compile(r"[^\W_]+-\s+(?=(?:og|eller|og/eller)\s)")


@dataclass(frozen=True)
class LabelScores:
    """Scores (0–1) of one text for every category, and the words that produced them."""

    scores: dict[str, float]
    words: dict[str, tuple[str, ...]]


def _keyword_stems(phrase: str) -> list[str]:
    """A keyword phrase's stems; a hyphenated keyword ("it-bedrift") stays whole, or its
    parts would make every "bedrift" a matter for IT."""
    return [stem(w) for w in tokenize(_SUSPENDED_COMPOUND.sub("", phrase)) if is_content_word(w)]


def _prose_stems_of(text: str) -> list[str]:
    return [stem(w) for w in _words(text) if is_content_word(w) and w not in PROSE_WORDS]


def _words(text: str) -> list[str]:
    """Tokens, with each part of a hyphenated compound counted as well."""
    out = []
    for token in tokenize(text):
        out.append(token)
        if "-" in token:
            out.extend(part for part in token.split("-") if part)
    return out


class ColdStartScorer:
    """Scores texts against the categories' own words from the strategy file."""

    def __init__(self, labels: Sequence[Label], ignore: Iterable[str] = ()):
        self.labels = list(labels)
        self.ignore = frozenset(ignore)
        raw: dict[str, dict[str, float]] = {}
        # Stems that may also match as part of a compound: keywords only.
        self._compound_stems: set[str] = set()
        for label in self.labels:
            profile: dict[str, float] = {}
            title = set(_prose_stems_of(label.title))
            for s in title:
                profile[s] = TITLE_WEIGHT
            for s in _prose_stems_of(label.description):
                if s not in title:
                    profile[s] = DESCRIPTION_WEIGHT
            for phrase in label.keywords:
                for s in _keyword_stems(phrase):
                    profile[s] = KEYWORD_WEIGHT
                    self._compound_stems.add(s)
            raw[label.id] = profile
        # A word several categories share is split between them in proportion to its
        # weight in each: "digital" is a keyword of digital solutions and only a
        # description word of infrastructure, and keeps most of its weight for the former.
        total: dict[str, float] = {}
        for profile in raw.values():
            for s, w in profile.items():
                total[s] = total.get(s, 0.0) + w
        self.profiles = {
            label_id: {s: w * w / total[s] for s, w in profile.items()}
            for label_id, profile in raw.items()
        }
        self._stem_index: dict[str, list[tuple[str, str, float]]] = {}
        for label_id, profile in self.profiles.items():
            for s, w in profile.items():
                self._stem_index.setdefault(s, []).append((label_id, s, w))
        self._match_cache: dict[str, tuple[str, ...]] = {}
        digest = hashlib.sha256(
            repr(
                (
                    sorted((k, sorted(v.items())) for k, v in self.profiles.items()),
                    sorted(self.ignore),
                )
            ).encode()
        ).hexdigest()[:8]
        self.version = f"cold-start-2:{digest}"

    def _matching_stems(self, word_stem: str) -> tuple[str, ...]:
        """Profile stems that a text stem is, or keyword stems it starts or ends with
        (compounds)."""
        hit = self._match_cache.get(word_stem)
        if hit is None:
            found = [word_stem] if word_stem in self._stem_index else []
            n = len(word_stem)
            if n > MIN_COMPOUND_PART:
                # Every first part and every last part long enough to count, looked up
                # directly: the vocabulary can hold a thousand stems or more.
                parts = {word_stem[:k] for k in range(MIN_COMPOUND_PART, n)}
                parts |= {
                    word_stem[k:] for k in range(MIN_COMPOUND_REST, n - MIN_COMPOUND_PART + 1)
                }
                found += sorted(p for p in parts if p in self._compound_stems)
            hit = self._match_cache[word_stem] = tuple(found)
        return hit

    def score(self, text: str) -> LabelScores:
        """Scores of one text: 1 − e^(−evidence), where evidence sums the weights of the
        distinct category words found in it."""
        evidence = {label.id: 0.0 for label in self.labels}
        words: dict[str, dict[str, None]] = {label.id: {} for label in self.labels}
        seen: set[tuple[str, str]] = set()
        for word in _words(text):
            if not is_content_word(word) or word in self.ignore or word in HOMOGRAPHS:
                continue
            for profile_stem in self._matching_stems(stem(word)):
                for label_id, s, weight in self._stem_index[profile_stem]:
                    words[label_id][word] = None
                    if (label_id, s) not in seen:
                        seen.add((label_id, s))
                        evidence[label_id] += weight
        return LabelScores(
            scores={k: round(1.0 - math.exp(-v), 4) for k, v in evidence.items()},
            words={k: tuple(v) for k, v in words.items() if v},
        )
