"""Addresses that come from data (imported files, API answers, staff input). Pure Python.

Only http and https addresses ever become links: a `javascript:` or `data:` address from an
imported file would run in the reader's browser.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https"})


def is_http_url(value: object) -> bool:
    """True for an absolute http(s) address with a host and no spaces or control
    characters (browsers drop those, so "java\\tscript:" is still javascript:)."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


def http_url(value: object) -> str:
    """The address when it may be a link, else ""."""
    return value.strip() if is_http_url(value) else ""
