"""The one way Retning writes numbers and dates as text. Pure (no Django).

`core.formatting` calls `decimal_text` with the active language's separators for pages;
the consultation report (its pure data in `analysis.report` and the context of its
template in `reports.consultation`) calls `number_nb` and `date_nb` (or `number_en` and
`date_en` for its English version). All round half up (Python's and Django's own
formatting cut or round half to even), use a real minus sign and never write "−0".
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, localcontext

MINUS = "\u2212"
NBSP = "\u00a0"
# Also how NAV's column headings name the months (stats.sources.nav reads them).
MONTHS_NB = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip


def decimal_text(
    value: int | float | Decimal,
    decimals: int | None,
    decimal_separator: str,
    thousand_separator: str,
) -> str:
    """`value` rounded half up to `decimals` (None: none for whole numbers, else one),
    grouped in thousands."""
    exact = Decimal(str(value))
    if decimals is None:
        decimals = 0 if exact == exact.to_integral_value() else 1
    with localcontext() as context:  # enough digits for any finite float's whole part
        context.prec = max(28, exact.adjusted() + decimals + 2)
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "−0"
    sign = MINUS if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = thousand_separator.join([whole, *groups])
    return sign + text + (decimal_separator + fraction if fraction else "")


def number_nb(value: int | float | Decimal, decimals: int | None = None) -> str:
    """Bokmål: 12 345 (non-breaking space), 0,85, −3."""
    return decimal_text(value, decimals, ",", NBSP)


def date_nb(day: dt.date) -> str:
    """Bokmål: 15. juni 2024."""
    return f"{day.day}. {MONTHS_NB[day.month - 1]} {day.year}"


MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def number_en(value: int | float | Decimal, decimals: int | None = None) -> str:
    """English: 12,345, 0.85, −3 (as the English pages write them)."""
    return decimal_text(value, decimals, ".", ",")


def date_en(day: dt.date) -> str:
    """English: 15 June 2024 (as the English pages write dates)."""
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
