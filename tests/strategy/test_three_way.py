"""The three-way rule between the strategy file and staff's edits, without a database."""

from __future__ import annotations

import pytest

from retning.strategy.ownership import MISSING, Decision, decide


@pytest.mark.parametrize(
    ("base", "current", "new", "expected"),
    [
        ("A", "A", "A", Decision.SAME),  # nothing changed
        ("A", "A", "B", Decision.APPLY),  # only the file changed
        ("A", "S", "A", Decision.KEEP),  # only staff changed
        ("A", "S", "B", Decision.CONFLICT),  # both changed: staff's value stays, reported
        ("A", "B", "B", Decision.SAME),  # both made the same change
        (MISSING, "A", "A", Decision.SAME),  # adopted object that agrees with the file
        (MISSING, "S", "B", Decision.CONFLICT),  # adopted: cannot tell who changed it
    ],
)
def test_decide_follows_the_three_way_rule(base, current, new, expected):
    assert decide(base, current, new) is expected
