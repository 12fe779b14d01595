"""Personal data in proposal text, found and removed in linear time. Pure Python.

The one scrubber of Retning: public pages, exports without personal data, the
høringsoppsummering and everything sent to the optional AI service pass their text through
`scrub()`. It finds

- e-mail addresses;
- phone numbers in the common Norwegian forms: 8 digits, alone or grouped 2-2-2-2, 3-2-3 or
  4-4 with spaces, dots or dashes, optionally after +47 or 0047;
- national identity numbers (fødselsnummer: 11 digits, also written 6 + 5) and bank
  account numbers (4-2-5);
- street addresses ("Storgata 5", "Kongens gate 12B", with "2211 Kongsvinger" after them)
  and post boxes;
- names where letters put them: after a closing ("Hilsen Anne Moen", "Mvh\\nOla"), after
  "jeg heter" / "mitt navn er", after "v/" (care of), after a greeting ("Hei Kari,"), and a
  name line directly above a phone or e-mail line;
- the names the caller knows (the sender's), as a whole and each part of three letters or
  more, wherever they stand.

Every pattern can start only where a token starts and reads a bounded or possessive run from
there, so the time grows linearly with the text: a 150 000-character proposal takes
milliseconds, not minutes (`bench/scrubber.py`). Known names are looked up word by word in a
table, not as one large regular expression, so thousands of names cost no more than one.

Scrubbing errs on the side of removing: a capitalised word after "Hilsen" goes even when it
is an organisation. It does not judge whether a person agreed to be named; callers pass
only the names that must be withheld.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

PLACEHOLDERS = {
    "email": "[e-post]",
    "phone": "[telefon]",
    "person_number": "[fødselsnummer]",
    "account": "[kontonummer]",
    "address": "[adresse]",
    "name": "[navn]",
}

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)++")

# A digit group may not follow a word character, "+", "-", "/", "." or "," (so that
# "H-2024-0042", "3.14159265" and "1/12345678" are not phone numbers).
_NO_DIGIT_BEFORE = r"(?<![\w+\-/.,])"
_SEP = r"[ \t.\-\u00a0]"
# Groups are separated all alike ("912 34 567", "91.23.45.67") or not at all ("91234567"),
# so that a date such as "15.06.2024" is not read as 2-2-2-2.
PHONE = re.compile(
    _NO_DIGIT_BEFORE + r"(?P<prefix>(?:\+|00)[ \t]?47[ \t.\-]?)?(?P<number>\d{8}"
    rf"|\d{{2}}(?P<a>{_SEP})\d{{2}}(?P=a)\d{{2}}(?P=a)\d{{2}}"
    rf"|\d{{3}}(?P<b>{_SEP})\d{{2}}(?P=b)\d{{3}}"
    rf"|\d{{4}}{_SEP}\d{{4}})(?!\w)"
)
# Two years side by side ("2016-2028", "2024 2025") are a period, not a phone number.
_YEARS = re.compile(r"(?:1[89]|2[01])\d\d[ \t.\-\u00a0]?(?:1[89]|2[01])\d\d")
PERSON_NUMBER = re.compile(_NO_DIGIT_BEFORE + r"\d{6}[ \t\u00a0]?\d{5}(?!\w)")
ACCOUNT = re.compile(_NO_DIGIT_BEFORE + r"\d{4}[ .\u00a0]\d{2}[ .\u00a0]\d{5}(?!\w)")

# Endings of Norwegian street names ("Storgata", "Parkvegen", "Kirkebakken"); a street
# word standing alone ("Kongens gate") also needs a capitalised word before it.
STREET_ENDINGS = (
    "vei",
    "veien",
    "veg",
    "vegen",
    "gate",
    "gata",
    "gaten",
    "allé",
    "alle",
    "alléen",
    "plass",
    "plassen",
    "sti",
    "stien",
    "stig",
    "stigen",
    "bakke",
    "bakken",
    "tun",
    "tunet",
    "løkka",
    "løkken",
    "lia",
    "haugen",
    "svingen",
    "ringen",
    "brinken",
    "jordet",
    "grenda",
    "torg",
    "torget",
    "kroken",
    "åsen",
    "lunden",
    "bråten",
    "enga",
    "tangen",
    "kaia",
    "brygge",
    "bryggen",
)
# Roads by number are not addresses: "Riksvei 2", "Fylkesveg 175", "Europavei 16".
PUBLIC_ROADS = frozenset(
    f"{kind}{word}"
    for kind in ("riks", "fylkes", "europa", "kommune", "motor", "stats", "gang", "sykkel")
    for word in ("vei", "veien", "veg", "vegen")
)
_CAP = r"[A-ZÆØÅ]"
_TOKEN = r"[\w.'’\-]++"
_POSTCODE_PLACE = rf"(?:,?[ \t]*+\n?[ \t]*+\d{{4}}[ \t]++{_CAP}[\w\-]*+)?"
# Up to two capitalised words, then the word that should end in a street ending, a house
# number, and optionally a post code and place (on the same or the next line).
STREET = re.compile(
    rf"(?<![\w.'’\-])(?P<words>(?:{_CAP}{_TOKEN}[ \t]++){{0,2}}{_TOKEN})[ \t]++"
    r"\d{1,4}(?:[ \t]?[A-Za-z])?(?!\w)" + _POSTCODE_PLACE
)
POSTBOX = re.compile(rf"(?<!\w)(?i:postboks|pb\.)[ \t]*+\d{{1,6}}(?!\w){_POSTCODE_PLACE}")

# A name: one to four capitalised words or initials ("Anne", "Anne-Lise K. Moen").
_NAME_WORD = rf"{_CAP}[\w'’\-]*+\.?"
NAME_RUN = rf"{_NAME_WORD}(?:[ \t]++{_NAME_WORD}){{0,3}}"
_S = r"[ \t]++"
CLOSING_WORDS = (
    rf"med{_S}vennlig{_S}hilsen|med{_S}venleg{_S}helsing|vennlig{_S}hilsen"
    rf"|vennlige{_S}hilsener|venleg{_S}helsing|beste{_S}hilsen|hjertelig{_S}hilsen"
    rf"|takk{_S}og{_S}hilsen|hilsen|hilsing|helsing|mvh|m\.v\.h\.|kind{_S}regards"
    rf"|best{_S}regards|regards|best{_S}wishes"
)
_SIGNED_NAME = re.compile(
    rf"(?<!\w)(?i:{CLOSING_WORDS})(?!\w)[ \t]*+[,:.!]?[ \t]*+(?:\n[ \t]*+){{0,2}}"
    rf"(?:(?i:fra)[ \t]++)?(?P<name>{NAME_RUN})"
)
_INTRODUCED_NAME = re.compile(
    rf"(?<!\w)(?i:jeg{_S}heter|eg{_S}heiter|mitt{_S}navn{_S}er|navnet{_S}mitt{_S}er"
    rf"|my{_S}name{_S}is)(?!\w)[ \t]*+(?P<name>{NAME_RUN})"
)
_CARE_OF_NAME = re.compile(rf"(?<!\w)v/[ \t]*+(?P<name>{NAME_RUN})")
_GREETED_NAME = re.compile(
    rf"^[ \t]*+(?i:hei|hallo|kjære|dear|hi|hello)(?!\w)[ \t]*+,?[ \t]*+(?P<name>{NAME_RUN})"
    r"[ \t]*+[,!:]",
    re.MULTILINE,
)
# A line that is only a name, directly above a phone or e-mail line of a signature.
_NAME_ABOVE_CONTACT = re.compile(
    rf"^[ \t]*+(?P<name>{NAME_RUN})[ \t]*+(?:,[^\n]{{0,60}})?\n[ \t]*+"
    r"(?i:tlf|tel|telefon|mobil|mob|e-post|epost|e-mail|email)(?!\w)",
    re.MULTILINE,
)
_NAME_PATTERNS = (_SIGNED_NAME, _INTRODUCED_NAME, _CARE_OF_NAME, _GREETED_NAME, _NAME_ABOVE_CONTACT)
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


@dataclass(frozen=True)
class Found:
    """A stretch of personal data: text[start:end], of one kind in PLACEHOLDERS."""

    start: int
    end: int
    kind: str


class KnownNames:
    """Names to withhold, looked up word by word: each name as a whole (any case) and each
    of its words of three letters or more as written with a capital."""

    END = ""  # key that marks the end of a name in the table of words

    def __init__(self, names: Iterable[str] = ()):
        self.table: dict = {}
        self.parts: set[str] = set()
        for name in names:
            words = _WORD.findall(name or "")
            node = self.table
            for word in words:
                node = node.setdefault(word.casefold(), {})
            if words:
                node[self.END] = True
            self.parts.update(w for w in words if len(w) > 2 and w[0].isupper())

    def __bool__(self) -> bool:
        return bool(self.table)

    def find(self, text: str) -> list[Found]:
        words = list(_WORD.finditer(text)) if self else []
        found = []
        i = 0
        while i < len(words):
            node, j, end = self.table, i, 0
            while j < len(words) and (j == i or _only_space(text, words[j - 1], words[j])):
                node = node.get(words[j].group().casefold())
                if node is None:
                    break
                j += 1
                if self.END in node:
                    end = j
            if end:
                found.append(Found(words[i].start(), words[end - 1].end(), "name"))
                i = end
                continue
            if words[i].group() in self.parts:
                found.append(Found(words[i].start(), words[i].end(), "name"))
            i += 1
        return found


def _only_space(text: str, a: re.Match, b: re.Match) -> bool:
    """Two words of a name stand apart by spaces only (not by a sentence or a line)."""
    return text[a.end() : b.start()].strip(" \t\u00a0") == ""


def _street_start(match: re.Match) -> int | None:
    """Where the street name of a STREET candidate starts, or None if it is no street."""
    words = match.group("words").split()
    last = words[-1].rstrip(".,")
    lower = last.casefold()
    if lower in STREET_ENDINGS:
        # "Kongens gate 5": the street word alone needs capitalised words before it.
        if len(words) < 2 or not words[-2][:1].isupper():
            return None
        return match.start("words")
    if not (last[:1].isupper() and lower.endswith(STREET_ENDINGS)) or lower in PUBLIC_ROADS:
        return None
    # "Storgata 5": the street is the last word; earlier words are not part of it.
    return match.start("words") + match.group("words").rindex(words[-1])


def find_personal_data(text: str, names: Iterable[str] = ()) -> list[Found]:
    """Every stretch of personal data in `text`, in order, none overlapping."""
    found: list[Found] = []
    for pattern, kind in ((EMAIL, "email"), (PERSON_NUMBER, "person_number")):
        found += [Found(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    found += [Found(m.start(), m.end(), "account") for m in ACCOUNT.finditer(text)]
    for m in PHONE.finditer(text):
        if m.group("prefix") or not _YEARS.fullmatch(m.group("number")):
            found.append(Found(m.start(), m.end(), "phone"))
    for m in STREET.finditer(text):
        start = _street_start(m)
        if start is not None:
            found.append(Found(start, m.end(), "address"))
    found += [Found(m.start(), m.end(), "address") for m in POSTBOX.finditer(text)]
    for pattern in _NAME_PATTERNS:
        found += [Found(m.start("name"), m.end("name"), "name") for m in pattern.finditer(text)]
    found += KnownNames(names).find(text)
    return _without_overlaps(found)


def _without_overlaps(found: list[Found]) -> list[Found]:
    """Earliest first; of overlapping stretches they are joined into one, of the first kind."""
    out: list[Found] = []
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        if out and f.start < out[-1].end:
            if f.end > out[-1].end:
                out[-1] = Found(out[-1].start, f.end, out[-1].kind)
            continue
        out.append(f)
    return out


def scrub(text: str, names: Iterable[str] = ()) -> str:
    """The text with every stretch of personal data replaced by a placeholder ("[telefon]")."""
    if not text:
        return text
    parts = []
    position = 0
    for f in find_personal_data(text, names):
        parts += [text[position : f.start], PLACEHOLDERS[f.kind]]
        position = f.end
    parts.append(text[position:])
    return "".join(parts)
