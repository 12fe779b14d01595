"""The one rule for "did this proposal reach us on time?"."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def is_on_time(reached_us_at: dt.datetime, deadline: dt.datetime) -> bool:
    """True when the proposal reached us at or before the deadline (inclusive).

    `reached_us_at` is when it arrived here: the form post time, the IMAP internal date or
    the newest `Received` header — never the sender's own `Date`. Both must be aware; a
    naive time is taken as Europe/Oslo wall-clock time, the region's legal time.
    """
    if reached_us_at.tzinfo is None:
        reached_us_at = reached_us_at.replace(tzinfo=OSLO)
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=OSLO)
    return reached_us_at <= deadline
