"""Norwegian number formatting shared by pages, reports and the terminal.

Norwegian typography: decimal comma, a non-breaking space as the thousands separator,
a real minus sign (U+2212) and a space before the per cent sign.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.utils.formats import number_format

MINUS = "\u2212"
NBSP = "\u00a0"
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
    exact = Decimal(str(value))
    if decimals is None:
        decimals = 0 if exact == exact.to_integral_value() else 1
    with localcontext() as context:  # enough digits for any finite float's whole part
        context.prec = max(28, exact.adjusted() + decimals + 2)
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "−0"
    text = number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return text.replace("-", MINUS)


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
