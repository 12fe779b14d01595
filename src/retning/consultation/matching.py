"""Forgiving subject matching: does an e-mail subject name the round's subject?

Pure Python. People write the subject by hand, on phones and keyboards without Norwegian
letters, and their mail programs add «SV:»/«Fwd:». The match is explained step by step so
staff can see why a message was (or was not) taken as a proposal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Reply and forward prefixes in Norwegian, Danish, Swedish, German, English (any case,
# repeated, with or without a counter such as «Re[2]:»).
_PREFIX = re.compile(
    r"^\s*(?:re|sv|vs|aw|wg|fw|fwd|vb|vl|antw|odp|tr)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_:;,.·/|«»\"'()\[\]]+")
_FOLD = [("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("ä", "ae"), ("ö", "oe"), ("é", "e")]
# After folding, the ASCII spellings people use for æ/ø/å collapse to one form each.
_ASCII_FORMS = [("ae", "a"), ("oe", "o"), ("aa", "a")]

# Step codes (the staff pages translate them).
STEP_PREFIX = "prefix"
STEP_UNICODE = "unicode"
STEP_CASE = "case"
STEP_SEPARATORS = "separators"
STEP_LETTERS = "letters"


@dataclass(frozen=True)
class SubjectMatch:
    matched: bool
    steps: list[str] = field(default_factory=list)
    removed_prefixes: list[str] = field(default_factory=list)

    def explain(self) -> str:
        """A short machine-readable explanation, stored with the received item."""
        parts = [*self.steps]
        if self.removed_prefixes:
            parts.append("removed=" + "+".join(self.removed_prefixes))
        return ("match" if self.matched else "no-match") + (
            ": " + ", ".join(parts) if parts else ""
        )


def strip_prefixes(subject: str) -> tuple[str, list[str]]:
    removed: list[str] = []
    while True:
        hit = _PREFIX.match(subject)
        if not hit:
            return subject, removed
        removed.append(hit.group(0).strip())
        subject = subject[hit.end() :]


def _letters(text: str) -> str:
    for src, dst in _FOLD:
        text = text.replace(src, dst)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    for src, dst in _ASCII_FORMS:
        text = text.replace(src, dst)
    return text


def normalise(text: str) -> str:
    """The comparison form: NFC, case-folded, no separators, ASCII letters."""
    text = unicodedata.normalize("NFC", text).casefold()
    return _letters(_SEPARATORS.sub("", text))


def match_subject(subject: str | None, pattern: str) -> SubjectMatch:
    """Whether `subject` contains `pattern`, forgiving prefixes, case, spacing and letters."""
    if not pattern.strip():
        return SubjectMatch(False, ["no-pattern"])
    subject = subject or ""
    stripped, removed = strip_prefixes(subject)
    steps: list[str] = []
    if removed:
        steps.append(STEP_PREFIX)
    if pattern in stripped:
        return SubjectMatch(True, steps, removed)
    nfc = unicodedata.normalize("NFC", stripped)
    pattern_nfc = unicodedata.normalize("NFC", pattern)
    if nfc != stripped:
        steps.append(STEP_UNICODE)
    if pattern_nfc in nfc:
        return SubjectMatch(True, steps, removed)
    if pattern_nfc.casefold() in nfc.casefold():
        return SubjectMatch(True, [*steps, STEP_CASE], removed)
    squeezed = _SEPARATORS.sub("", nfc.casefold())
    pattern_squeezed = _SEPARATORS.sub("", pattern_nfc.casefold())
    if pattern_squeezed in squeezed:
        return SubjectMatch(True, [*steps, STEP_CASE, STEP_SEPARATORS], removed)
    if normalise(pattern) in normalise(stripped):
        return SubjectMatch(True, [*steps, STEP_CASE, STEP_SEPARATORS, STEP_LETTERS], removed)
    return SubjectMatch(False, steps, removed)
