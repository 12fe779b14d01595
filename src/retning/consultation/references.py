"""Reference numbers of proposals (H-2024-0042): their one format, and reading one typed by
a person ("h-2024-42", "H 2024 0042"). Pure."""

from __future__ import annotations

import re

_TYPED = re.compile(r"^\s*h[\s-]*(\d{4})[\s-]+(\d{1,9})\s*$", re.IGNORECASE)


def format_reference(year: int, number: int) -> str:
    """The reference printed on the receipt: at least four digits, more past 9999."""
    return f"H-{year}-{number:04d}"


def year_of(reference: str) -> int:
    """The year in a stored reference (H-2024-0042 → 2024)."""
    return int(reference.split("-")[1])


def reference_in(text: str) -> str | None:
    """The reference a search text means, in its stored form, or None if it is no reference.

    Case, spaces for hyphens and leading zeros do not matter.
    """
    found = _TYPED.match(text)
    if not found:
        return None
    year, number = found.groups()
    if int(number) == 0:
        return None
    return format_reference(int(year), int(number))
