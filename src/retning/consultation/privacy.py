"""Personal data that must never appear on public pages or in public exports. Pure Python.

Scrubbing is applied to every published text at render and export time, on top of the
redactions staff make, so a missed e-mail address or phone number is still not shown.
"""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Norwegian phone numbers: 8 digits, optionally +47/0047, grouped 2-2-2-2, 3-2-3 or 4-4.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?47[\s.-]?)?(?:\d{2}[\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?\d{2}"
    r"|\d{3}[\s.-]?\d{2}[\s.-]?\d{3}|\d{4}[\s.-]?\d{4})(?!\w)"
)
# Fødselsnummer: 11 digits (possibly as 6 + 5).
PERSON_NUMBER = re.compile(r"(?<!\d)\d{6}\s?\d{5}(?!\d)")
_STREET_WORDS = (
    r"vei|veg|veien|vegen|gate|gata|gaten|allé|alle|plass|plassen|stien|sti|bakken|"
    r"tunet|løkka|lia|haugen|svingen|ringen|brinken|jordet|grenda|tun"
)
STREET = re.compile(
    rf"\b[A-ZÆØÅ][\wæøåÆØÅ.-]*(?:{_STREET_WORDS})\s+\d{{1,4}}\s?[A-Za-z]?\b"
    rf"(?:,?\s+\d{{4}}\s+[A-ZÆØÅ][\wæøå-]+)?",
    re.UNICODE,
)
POSTBOX = re.compile(r"\b(?:postboks|pb\.?)\s+\d+\b(?:,?\s+\d{4}\s+[A-ZÆØÅ][\wæøå-]+)?", re.I)

PLACEHOLDER = "[fjernet]"


def scrub(text: str) -> str:
    """Replace e-mail addresses, phone numbers, person numbers and street addresses."""
    for pattern in (EMAIL, PERSON_NUMBER, PHONE, STREET, POSTBOX):
        text = pattern.sub(PLACEHOLDER, text)
    return text


def contains_personal_data(text: str) -> bool:
    return scrub(text) != text
