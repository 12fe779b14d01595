"""Organisation and facility names as people write them. Pure Python.

Some registers publish names in sentence case ("Maarud as", "Hydro extrusion norway
magnor før sapa") although the organisation writes "Maarud AS". A name that is all lower
case after its first letter is given a careful case: each word capitalised, small
Norwegian function words kept lower, legal forms (AS, ASA, …) upper. A name that already
has capitals inside it is the organisation's own spelling and is left as it is (apart
from doubled spaces). Nothing is ever lower-cased.
"""

from __future__ import annotations

import re

LEGAL_FORMS = frozenset(
    {"as", "a.s", "a/s", "asa", "sa", "ba", "ans", "da", "nuf", "iks", "kf", "bbl"}
)
SMALL_WORDS = frozenset(
    {"og", "i", "av", "for", "før", "på", "til", "med", "ved", "under", "kommune", "fylkeskommune"}
)


def _word(word: str, first: bool) -> str:
    bare = word.strip(",()")
    if bare.lower() in LEGAL_FORMS and not first:
        return word.replace(bare, bare.upper())
    if bare.lower() in SMALL_WORDS and not first:
        return word
    # capitalise each part of a hyphenated word: "nord-odal" -> "Nord-Odal"
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def display_name(name: str) -> str:
    """The name with a careful case when the source lower-cased it (see module doc)."""
    text = re.sub(r"\s+", " ", name or "").strip()
    if not text:
        return text
    words = text.split(" ")
    tail = text[1:]
    if tail != tail.lower() and text != text.upper():
        # the source kept capitals: its own spelling, except legal forms written lower
        return " ".join(
            w.upper() if i and w.lower() in LEGAL_FORMS and w.islower() else w
            for i, w in enumerate(words)
        )
    if text == text.upper() and len(text) > 3:
        # ALL CAPS (the Central Coordinating Register's style): careful case as well
        words = [w.lower() for w in words]
    return " ".join(_word(w, i == 0) for i, w in enumerate(words))
