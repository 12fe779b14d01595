"""The values Retning stores: finite, and within bounds that fit both the database column
and what the column measures. Pure Python (no Django).

One place for the limits, used by the file parsers (to name the line), by the storage
functions (so no path stores a bad value) and by the models' check constraints (so not even
raw SQL can). A value beyond them can only be a broken file: NaN, 1e30 or a
misplaced decimal separator, never a figure to compute with.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

# stats.Observation.value is decimal(20, 6): at most 14 digits before the decimal point.
# No statistic Retning reads (persons, per cent, tonnes, NOK per municipality) comes near.
OBSERVATION_LIMIT = 10**14
# business.AnnualAccounts.operating_revenue, in NOK. The column (decimal(20, 2)) holds up to
# 10^18; the largest Norwegian enterprises turn over about 10^12.
REVENUE_LIMIT = 10**14
# business.RegisterUnit.employees and UnitYear.employees: no unit in Norway has a million.
EMPLOYEES_LIMIT = 1_000_000


def problem(value: object, limit: int, *, minimum: int | None = None) -> str | None:
    """Why `value` cannot be stored, or None when it can. Without `minimum` the range is
    −limit < value < limit; with it, minimum ≤ value ≤ limit."""
    if value is None:
        return None
    if isinstance(value, bool):
        return f"{value!r} is not a number"
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return f"{value!r} is not a number"
    if not number.is_finite():
        return f"{value} is not a finite number"
    if minimum is None:
        if not -limit < number < limit:
            return f"{value} is outside the range Retning stores (±{limit:.0e})"
    elif not minimum <= number <= limit:
        return f"{value} is outside the range Retning stores ({minimum} to {limit:,})"
    return None


def is_finite_number(value: object) -> bool:
    """True for an int, float or Decimal that is neither NaN nor infinite."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    if isinstance(value, Decimal):
        return value.is_finite()
    return not isinstance(value, float) or math.isfinite(value)
