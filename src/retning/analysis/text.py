"""Norwegian text preparation shared by tagging, duplicate detection and themes.

Normalisation (Unicode NFC, case folding, unified quotes and dashes), tokenisation into
words, bokmål and nynorsk stop words, and Snowball Norwegian stemming. One place does this
so that every analysis sees the same words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import snowballstemmer

# The Snowball project's Norwegian stop list (which mixes bokmål and nynorsk forms), plus
# common forms it lacks in both written standards, and the greetings and filler words of
# consultation letters that say nothing about the content.
_STOP_WORD_TEXT = """
og i jeg det at en et den til er som på de med han av ikke ikkje der så var meg seg men
ett har om vi min mitt ha hadde hun nå over da ved fra du ut sin dem oss opp man kan
hans hvor eller hva skal selv sjøl her alle vil bli ble blei blitt kunne inn når være
vore vere kom noen noe nokon noko ville dere deres kun ja etter ned skulle denne for deg
si sine sitt mot å meget hvorfor dette disse uten hvordan ingen din ditt blir samme
hvilken hvilke sånn inni mellom vår hver hvem vors hvis både bare enn fordi før mange
også slik vært båe begge siden dykk dykkar dei deira deires deim di då eg ein eit eitt
elles honom hjå ho hoe henne hennar hennes hoss hossen ikkje ingi inkje korleis korso
kva kvar kvarhelst kven kvi kvifor me medan mi mine mykje no nokre nokon noka nokor noko
nå sia sidan so somt somme um upp vere vore verte vort varte vart vi vil ville skal
skulle må måtte bør burde få fikk fått gjør gjøre gjort gjer gjere the a an of and to in
for on is are this that be with hei hallo mvh hilsen vennlig beste takk regards ønsker
mener synes bedre betre flere fleire veldig mer mest mye svært helt god gode godt bra
kommer komme går gå nok
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORD_TEXT.split())

# Typographic quotes, dashes and non-breaking spaces, and what they become. (A chain of
# str.replace is many times faster than str.translate with a dict.)
_REPLACEMENTS = (
    ("«", '"'),
    ("»", '"'),
    ("“", '"'),
    ("”", '"'),
    ("„", '"'),
    ("‘", "'"),
    ("’", "'"),
    ("‚", "'"),
    ("–", "-"),
    ("—", "-"),
    ("\u00a0", " "),
    ("\u202f", " "),
)
_SPACE = re.compile(r"\s+")
# Words are runs of letters and digits, allowing inner hyphens ("E16-utbyggingen") and
# inner apostrophes; "KI-strategi" stays one word.
WORD_PATTERN = r"[^\W_]+(?:[-'][^\W_]+)*"
_WORD = re.compile(WORD_PATTERN)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-ZÆØÅ0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n")


def normalise(text: str) -> str:
    """NFC, case-folded, quotes and dashes unified, whitespace collapsed.

    Two texts that differ only in these respects are the same text for duplicate detection.
    """
    text = unicodedata.normalize("NFC", text)
    for old, new in _REPLACEMENTS:
        if old in text:
            text = text.replace(old, new)
    return _SPACE.sub(" ", text).strip().casefold()


def tokenize(text: str) -> list[str]:
    """Words of a text, normalised; punctuation dropped, hyphenated compounds kept whole."""
    return _WORD.findall(normalise(text))


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("norwegian")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball Norwegian stem of one normalised word ("næringsarealene" → "næringsareal")."""
    return _stemmer().stemWord(word)


def is_content_word(word: str) -> bool:
    """True for words that can say what a text is about: not stop words, not bare numbers."""
    return len(word) > 1 and word not in STOP_WORDS and not word.isdigit()


def content_stems(text: str) -> list[str]:
    """Stems of the content words of a text, in order (repeats kept)."""
    return [stem(word) for word in tokenize(text) if is_content_word(word)]


def stem_surface_forms(texts: Iterable[str]) -> dict[str, str]:
    """For each stem, its most frequent word in the texts — to show people words, not stems."""
    counts: dict[str, dict[str, int]] = {}
    for text in texts:
        for word in tokenize(text):
            if is_content_word(word):
                forms = counts.setdefault(stem(word), {})
                forms[word] = forms.get(word, 0) + 1
    return {
        s: max(forms.items(), key=lambda kv: (kv[1], -len(kv[0])))[0] for s, forms in counts.items()
    }


def paragraphs(text: str) -> list[str]:
    """Paragraphs (blank-line separated), stripped, empty ones dropped."""
    return [p.strip() for p in _PARAGRAPH.split(unicodedata.normalize("NFC", text)) if p.strip()]


def sentences(text: str) -> list[str]:
    """Sentences of a text, paragraph by paragraph; a rough split that is good enough to
    tell a campaign's shared wording from a sender's own additions."""
    out: list[str] = []
    for paragraph in paragraphs(text):
        flat = _SPACE.sub(" ", paragraph)
        out.extend(s.strip() for s in _SENTENCE_END.split(flat) if s.strip())
    return out


def join_document(body: str, attachments: Sequence[str] = ()) -> str:
    """The text to analyse for a submission: its body followed by the text of its attachments.

    Attachment text (already extracted from PDF/DOCX/ODT by intake) counts as much as the
    body: many organisations write their whole proposal in the attachment.
    """
    parts = [body.strip(), *(a.strip() for a in attachments)]
    return "\n\n".join(p for p in parts if p)
