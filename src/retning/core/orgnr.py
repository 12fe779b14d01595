"""Norwegian organisation numbers (organisasjonsnummer): 9 digits with a mod-11 check digit."""

from __future__ import annotations

_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def clean_orgnr(value: str) -> str:
    """Digits only: people write «987 654 321» or «NO 987654321 MVA»."""
    text = value.upper().replace("MVA", "").replace("NO", "", 1)
    return "".join(ch for ch in text if not ch.isspace() and ch not in ".-")


def is_valid_orgnr(value: str) -> bool:
    digits = clean_orgnr(value)
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(digits[8])
