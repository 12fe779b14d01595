"""E-mail text cleaned before analysis: the sender's own words, without the letter around them.

Consultation proposals arrive as e-mails. Around what the sender wants to say stand a
greeting ("Hei,"), a signature (closing, name, title, phone, address), a line from the
phone ("Sendt fra min iPhone"), a legal disclaimer added by a mail server, and often the
earlier messages of the thread, quoted ("Den 12. juni 2024 kl. 10:00 skrev …:",
"-----Opprinnelig melding-----", a "Fra:/Sendt:/Til:/Emne:" block, lines starting with
">"). Left in, names from signatures become "themes" and phone lines become words; taken
out, the analysis sees the proposal. `clean()` removes them, and says what it removed so
that staff can check; the original text is never changed.

Rules, line by line (linear in the length of the text):

- quoted lines (">") go; a reply or forward header cuts off everything after it, unless too
  little of the sender's own text stands before it (a forwarded proposal: then only the
  header lines go);
- a closing ("Med vennlig hilsen", "Mvh", "Helsing", "Best regards") starts a signature of
  the short lines after it; a block of short lines at the end holding contact details
  (phone, e-mail, address) is a signature even without a closing;
- "Sendt fra min iPhone" and similar device lines, and disclaimer paragraphs, go;
- a greeting as the first line goes ("Hei,", "Hei Kari!", "Til Kongsvingerregionen");
- personal data left in the text (the sender's name, phone numbers, e-mail addresses,
  addresses) goes too, found by `personaldata`.

Libraries were weighed: mail-parser-reply (maintained) has no Norwegian rules, and its
Danish ones take a line starting "Tak…" ("Takk for muligheten …") or a dash list as the
start of a signature and drop the rest of the proposal; quotequail finds only quoted
replies, with no Norwegian headers; talon and email_reply_parser are unmaintained.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from retning.analysis.personaldata import CLOSING_WORDS, find_personal_data
from retning.analysis.text import join_document

# Too few words of the sender's own before a reply header: the message is a forward, and
# what follows the header is the proposal.
MIN_OWN_WORDS = 8
SIGNATURE_LINE_CHARS = 80
SIGNATURE_LINES = 8
TRAILING_BLOCK_LINES = 6

# Why a part was removed: the letter's opening, its signature, an earlier message quoted,
# a phone's "Sendt fra" line, a mail server's disclaimer, personal data in the text.
KINDS = ("greeting", "signature", "quoted", "device", "disclaimer", "personal")


@dataclass(frozen=True)
class Removed:
    """A part of the text that is not analysed, with why (one of KINDS)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Cleaned:
    text: str
    removed: tuple[Removed, ...] = ()


_QUOTED = re.compile(r"^[ \t]*>")
_ORIGINAL_MESSAGE = re.compile(
    r"^[ \t]*-{2,}[ \t]*(?i:opprinnelig|opprinneleg|original|videresendt|vidaresendt|forwarded)"
    r"[ \t]+(?i:melding|message|e-post|epost)[ \t]*-{2,}[ \t]*$"
)
_WROTE = re.compile(r"(?i:\bskrev\b|\bskreiv\b|\bwrote\b)")
_HEADER_FROM = re.compile(r"^[ \t]*\*?(?i:fra|frå|from)[ \t]*:\*?[ \t]*\S")
_HEADER_OTHER = re.compile(
    r"^[ \t]*\*?(?i:sendt|sent|dato|date|til|to|emne|subject|kopi|cc|vedlegg|attachments?)"
    r"[ \t]*:\*?"
)
_UNDERSCORES = re.compile(r"^[ \t]*_{10,}[ \t]*$")
_DEVICE = re.compile(
    r"^[ \t]*(?:(?i:sendt|sent|skickat)[ \t]+(?i:fra|frå|from|från)[ \t]+\S.*"
    r"(?i:iphone|ipad|android|samsung|galaxy|outlook|mail|mobil|huawei|xiaomi|telefon"
    r"|nettbrett|yahoo|gmail|windows|protonmail|smarttelefon)"
    r"|(?i:hent|get|få)[ \t]+(?i:outlook)\b.*)$"
)
_DISCLAIMER = re.compile(
    r"^[ \t]*(?:\*+[ \t]*)?(?i:"
    r"(?:denne|dette)[ \t]+e-?post(?:en|meldingen)?\b.{0,80}\b(?:konfidensiell|fortrolig"
    r"|kun ment|kan inneholde|taushetsbelagt|beregnet|bare ment)"
    r"|informasjonen[ \t]+i[ \t]+denne[ \t]+(?:e-?posten|meldingen)"
    r"|(?:hvis|dersom)[ \t]+du[ \t]+(?:har[ \t]+)?mottatt[ \t]+denne[ \t]+(?:e-?posten|meldingen)"
    r"|konfidensialitet[ \t]*:|taushetsplikt[ \t]*:|ansvarsfraskrivelse[ \t]*:|disclaimer\b"
    r"|confidentiality[ \t]+notice|this[ \t]+(?:e-?mail|message)\b.{0,80}\b(?:confidential"
    r"|intended|privileged)"
    r"|if[ \t]+you[ \t]+(?:have[ \t]+)?received[ \t]+this"
    r"|(?:vennligst|please)[ \t]+(?:tenk[ \t]+på|vurder|consider)[ \t]+"
    r"(?:miljøet|the[ \t]+environment))"
)
_CLOSING = re.compile(rf"^[ \t]*(?i:{CLOSING_WORDS})(?!\w)[ \t,.!:]*(?P<rest>.*)$")
_SIGNATURE_SEPARATOR = re.compile(r"^(?:--|—|__)[ \t]*$")
_GREETING = re.compile(
    r"^[ \t]*(?i:hei[ \t]+hei|heisann|hei|hallo|god[ \t]+dag|god[ \t]+morgen|kjære|dear|hi|hello"
    r"|good[ \t]+(?:morning|afternoon))(?!\w)"
)
_TO_LINE = re.compile(r"^[ \t]*(?i:til)[ \t]+[^\n]{0,50}[,:]?[ \t]*$")
# "Hei," or "Hei Kari!" in front of the first sentence on the same line.
_GREETING_PREFIX = re.compile(
    r"^[ \t]*(?i:hei[ \t]+hei|heisann|hei|hallo|god[ \t]+dag|kjære|dear|hi|hello)(?!\w)"
    r"(?:[ \t]+[A-ZÆØÅ][\w\-]*+){0,3}[ \t]*[,!:][ \t]*"
)
_CONTACT = re.compile(
    r"(?i:\b(?:tlf|tel|telefon|mobil|mob|e-post|epost|e-mail|email|www\.|https?://)"
    r"|\b\d{4}[ \t]+[A-ZÆØÅ][a-zæøå]+)"
)
_BULLET = re.compile(r"^[ \t]*(?:[-*•–]|\d+[.)])[ \t]")
_WORDS = re.compile(r"[^\W\d_]{2,}")


def _is_quote_header(lines: list[str], i: int) -> int:
    """How many lines the reply or forward header at line i spans (0: none there)."""
    line = lines[i]
    if _ORIGINAL_MESSAGE.match(line):
        return 1
    if _UNDERSCORES.match(line) and i + 1 < len(lines) and _HEADER_FROM.match(lines[i + 1]):
        return 1 + _header_block(lines, i + 1)
    if _HEADER_FROM.match(line):
        return _header_block(lines, i)
    # "Den 12. juni 2024 kl. 10:00 skrev Kari <kari@example.org>:" — maybe over two lines.
    for span in (1, 2):
        joined = " ".join(s.strip() for s in lines[i : i + span])
        if (
            len(joined) <= 300
            and joined.endswith(":")
            and _WROTE.search(joined)
            and re.search(r"[\d@<]", joined)
        ):
            return span
    return 0


def _header_block(lines: list[str], i: int) -> int:
    """Lines of a "Fra:/Sendt:/Til:/Emne:" block starting at i, or 0 if it is not one."""
    n = 1
    others = 0
    while i + n < len(lines) and n < 8 and _HEADER_OTHER.match(lines[i + n]):
        others += 1
        n += 1
    return n if others else 0


def _own_words(lines: list[str], kinds: list[str | None], end: int) -> int:
    return sum(len(_WORDS.findall(lines[j])) for j in range(end) if kinds[j] is None)


def _is_signature_line(line: str) -> bool:
    stripped = line.strip()
    return (
        len(stripped) <= SIGNATURE_LINE_CHARS
        and len(stripped.split()) <= 8
        and not stripped.endswith("?")
        and not _BULLET.match(line)
    )


def _mark_signature(lines: list[str], kinds: list[str | None], start: int) -> None:
    """The closing at `start` and the short lines after it, up to a long line."""
    kinds[start] = "signature"
    taken = 0
    j = start + 1
    while j < len(lines) and taken < SIGNATURE_LINES and kinds[j] is None:
        if not lines[j].strip():
            j += 1
            continue
        if not _is_signature_line(lines[j]):
            break
        kinds[j] = "signature"
        taken += 1
        j += 1


def _mark_trailing_contact_block(lines: list[str], kinds: list[str | None]) -> None:
    """Short lines at the end holding contact details: a signature without a closing."""
    end = len(lines)
    while end > 0 and (kinds[end - 1] is not None or not lines[end - 1].strip()):
        end -= 1
    start = end
    while (
        start > 0
        and end - start < TRAILING_BLOCK_LINES
        and kinds[start - 1] is None
        and lines[start - 1].strip()
        and _is_signature_line(lines[start - 1])
        and len(lines[start - 1].strip()) <= 60
    ):
        start -= 1
    block = lines[start:end]
    has_contact = any(_CONTACT.search(line) or find_personal_data(line) for line in block)
    if block and has_contact and _own_words(lines, kinds, start) >= MIN_OWN_WORDS:
        for j in range(start, end):
            kinds[j] = "signature"


def _first_content_line(lines: list[str], kinds: list[str | None], start: int) -> int | None:
    """The first line from `start` (within a few) that is still the sender's text."""
    for j in range(start, min(len(lines), start + 6)):
        if kinds[j] is None and lines[j].strip():
            return j
    return None


def clean(text: str, names: Iterable[str] = (), *, remove_personal_data: bool = True) -> Cleaned:
    """The sender's own words of an e-mail (or form) text, and what was taken out.

    `names`: the sender's, removed wherever they stand. With `remove_personal_data=False`
    only the letter around the proposal goes (for a quote that is scrubbed afterwards)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kinds: list[str | None] = [None] * len(lines)
    greeting_at = [0]
    for i, line in enumerate(lines):
        if _QUOTED.match(line):
            kinds[i] = "quoted"
    own = 0  # words of the sender's own before line i, kept up as i moves on
    i = 0
    while i < len(lines):
        span = _is_quote_header(lines, i) if kinds[i] is None else 0
        if not span:
            own += len(_WORDS.findall(lines[i])) if kinds[i] is None else 0
            i += 1
            continue
        if own >= MIN_OWN_WORDS:
            for j in range(i, len(lines)):
                kinds[j] = "quoted"
            break
        # A forward: the header goes, what it forwards is the proposal.
        for j in range(i, i + span):
            kinds[j] = "quoted"
        i += span
        greeting_at.append(i)
    for i, line in enumerate(lines):
        if kinds[i] is None and _DEVICE.match(line) and len(line.strip()) <= 100:
            kinds[i] = "device"
    for i, line in enumerate(lines):
        if kinds[i] is None and _DISCLAIMER.match(line):
            j = i
            while j < len(lines) and lines[j].strip() and kinds[j] in (None, "disclaimer"):
                kinds[j] = "disclaimer"
                j += 1
    own = 0
    for i, line in enumerate(lines):
        if kinds[i] is not None:
            continue
        if _SIGNATURE_SEPARATOR.match(line.strip()):
            rest = [j for j in range(i + 1, len(lines)) if kinds[j] is None and lines[j].strip()]
            if len(rest) <= SIGNATURE_LINES and all(_is_signature_line(lines[j]) for j in rest):
                for j in [i, *rest]:
                    kinds[j] = "signature"
                break
            continue
        closing = _CLOSING.match(line)
        if closing and len(closing.group("rest")) <= 100:
            if own:
                _mark_signature(lines, kinds, i)
            else:
                kinds[i] = "greeting"  # "Hilsen fra Grue Bondelag!" as the opening line
            continue
        own += len(_WORDS.findall(line))
    _mark_trailing_contact_block(lines, kinds)
    removed: list[Removed] = []
    prefixes: dict[int, str] = {}
    opening = _first_content_line(lines, kinds, 0)
    for start in greeting_at:
        first = _first_content_line(lines, kinds, start)
        if first is None:
            continue
        line = lines[first]
        if (_GREETING.match(line) and len(line.strip()) <= 60 and not _is_sentence(line)) or (
            _TO_LINE.match(line) and first == opening
        ):
            kinds[first] = "greeting"
        elif prefix := _GREETING_PREFIX.match(line):
            prefixes[first] = prefix.group()
    kept: list[str] = []
    run: tuple[str, list[str]] | None = None
    for i, line in enumerate(lines):
        kind = kinds[i]
        if kind is None and i in prefixes:
            removed.append(Removed("greeting", prefixes[i].strip()))
            line = line[len(prefixes[i]) :]
        if kind is None:
            kept.append(line)
        if run and run[0] != kind:
            _flush(run, removed)
            run = None
        if kind is not None:
            run = run or (kind, [])
            run[1].append(line)
    if run:
        _flush(run, removed)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    if remove_personal_data:
        body = _without_personal_data(body, names, removed)
    return Cleaned(body, tuple(removed))


def _is_sentence(line: str) -> bool:
    """A line that says something beyond a greeting: a sentence ending inside it."""
    return bool(re.search(r"[.?!]\s+\S", line.strip()))


def _flush(run: tuple[str, list[str]], removed: list[Removed]) -> None:
    text = "\n".join(run[1]).strip()
    if text:
        removed.append(Removed(run[0], text))


def _without_personal_data(text: str, names: Iterable[str], removed: list[Removed]) -> str:
    parts = []
    position = 0
    for found in find_personal_data(text, names):
        parts.append(text[position : found.start])
        removed.append(Removed("personal", text[found.start : found.end]))
        position = found.end
    parts.append(text[position:])
    return re.sub(r"[ \t]{2,}", " ", "".join(parts)).strip()


def clean_document(
    body: str, attachments: Iterable[str] = (), names: Iterable[str] = ()
) -> Cleaned:
    """A proposal's text to analyse: its cleaned body followed by its cleaned attachments'
    text (`text.join_document`), with everything removed from each."""
    names = list(names)
    parts = [clean(body, names), *(clean(a, names) for a in attachments)]
    return Cleaned(
        join_document(parts[0].text, [p.text for p in parts[1:]]),
        tuple(r for p in parts for r in p.removed),
    )
