"""Municipality code history: the one place that turns a historical code into a later one.

Pure: the changes come in as data (KLASS classification 131 plus the code periods in the
strategy file); `retning.stats.store.code_changes()` collects them from the database.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class CodeChange:
    """`old` became `new` on `occurred` (e.g. 0402 → 3401 on 1 January 2020)."""

    occurred: dt.date
    old: str
    new: str


def code_on(code: str, changes: Iterable[CodeChange], on: dt.date) -> str:
    """The code that `code` is known by on the day `on`.

    Changes are followed in date order, so chains (A → B → C) resolve. A code split into
    several new codes on one day cannot be followed honestly, so it stays as published.
    """
    by_day: dict[dt.date, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for change in changes:
        if change.occurred <= on and change.old != change.new:
            by_day[change.occurred][change.old].add(change.new)
    for day in sorted(by_day):
        targets = by_day[day].get(code)
        if targets and len(targets) == 1:
            code = next(iter(targets))
    return code


def changes_from_periods(periods: Iterable[tuple[str, dt.date | None, dt.date | None]]):
    """Code changes implied by one municipality's code periods (code, valid_from, valid_to).

    The strategy file lists each municipality's numbers with validity; consecutive periods
    are a change on the first day of the later one.
    """
    ordered = sorted(periods, key=lambda p: p[1] or dt.date.min)
    for (old, _from, _to), (new, new_from, _new_to) in itertools.pairwise(ordered):
        if new_from is not None and old != new:
            yield CodeChange(occurred=new_from, old=old, new=new)
