"""Norwegian number formatting shared by pages, reports and the terminal.

Norwegian typography: decimal comma, a non-breaking space as the thousands separator,
a real minus sign (U+2212) and a space before the per cent sign.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from retning.formats.numbers import MINUS, NBSP, decimal_text

MISSING = "\u2013"  # the en dash the pages use for a missing figure


def is_finite(value: object) -> bool:
    """False for NaN and infinities (of any numeric type, numpy's included)."""
    try:
        return math.isfinite(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return True  # not a float-like value: left to the formatter


def format_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """A number in the active language's format, with a real minus sign, rounded half up
    to `decimals` (Django's `number_format` cuts the digits off instead: −30.63 → "−30");
    "–" (missing) for NaN and infinities, which are never a figure to show."""
    if not is_finite(value):
        return MISSING
    return decimal_text(
        value, decimals, get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    )


def format_signed(value: int | float | Decimal, decimals: int | None = None) -> str:
    """A number with its sign always shown: +100, −55."""
    text = format_number(value, decimals)
    if text == MISSING:
        return text
    zero = not any(digit in text for digit in "123456789")  # as shown, after rounding
    return text if text.startswith(MINUS) or zero else f"+{text}"


def format_percent(
    value: int | float | Decimal, decimals: int | None = None, signed: bool = False
) -> str:
    text = format_signed(value, decimals) if signed else format_number(value, decimals)
    return text if text == MISSING else f"{text}{NBSP}%"


def format_share(value: float | Decimal) -> str:
    """A share in per cent, readable however small: 0,02 %, 0,69 %, 12,3 %."""
    return format_percent(value, 2 if abs(value) < 1 else 1)


# Small counts are written as words in running text ("de siste fem observasjonene").
_COUNT_WORDS = {
    2: _("to"),
    3: _("tre"),
    4: _("fire"),
    5: _("fem"),
    6: _("seks"),
    7: _("sju"),
    8: _("åtte"),
    9: _("ni"),
    10: _("ti"),
}


def format_count(number: int) -> str:
    """A count for running text: a word from two to ten, digits otherwise."""
    word = _COUNT_WORDS.get(number)
    return str(word) if word is not None else format_number(number)


def format_exact(value: int | float | Decimal) -> str:
    """A configured number with every decimal it has (0.25 → "0,25"; `format_number`
    would round it to one decimal), for texts that quote a setting."""
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    return format_number(value, max(0, -int(exponent)))
