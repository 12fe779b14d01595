"""The rules for "when did this proposal reach us?" and "was that on time?". Pure Python."""

from __future__ import annotations

import datetime as dt
import email.utils
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")

# Where the arrival time came from (stored on ReceivedItem.arrival_source).
POSTED = "posted"  # the web form: when the post reached us
INTERNAL_DATE = "internal-date"  # the IMAP server's INTERNALDATE: when the mailbox got it
RECEIVED = "received"  # the topmost `Received` header: stamped by our mail server
SENDER_CLOCK = "date"  # the `Date` header: the sender's own clock
IMPORTED = "imported"  # nothing usable: the time the message was stored here

# A date is out of range before this, or later than the moment we stored the message
# (plus this much for clocks that are a little wrong).
EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)
CLOCK_SKEW = dt.timedelta(days=1)

UNPARSABLE = "unparsable"
FUTURE = "future"
TOO_EARLY = "too-early"


@dataclass(frozen=True)
class DateIssue:
    """A date we could not use: which header, its text, and why."""

    header: str  # "INTERNALDATE", "Received", "Date"
    value: str
    problem: str  # UNPARSABLE, FUTURE or TOO_EARLY

    def as_dict(self) -> dict[str, str]:
        return {"header": self.header, "value": self.value, "problem": self.problem}


@dataclass(frozen=True)
class Arrival:
    at: dt.datetime  # aware, UTC
    source: str
    issues: tuple[DateIssue, ...] = ()

    @property
    def uncertain(self) -> bool:
        """True when staff should look: the sender's clock, the import time, or a bad date."""
        return self.source in {SENDER_CLOCK, IMPORTED} or bool(self.issues)


def parse_mail_date(value: str) -> dt.datetime | None:
    """An RFC 5322 date as an aware datetime (no zone: UTC), or None when unreadable."""
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _in_range(at: dt.datetime, stored_at: dt.datetime) -> str:
    """ "" when usable, else the problem. Never raises, even at year 9999 in UTC−12."""
    latest = stored_at + CLOCK_SKEW
    if at.year > latest.year + 1:
        return FUTURE
    try:
        at = at.astimezone(dt.UTC)
    except OverflowError:
        return FUTURE if at.year > 2000 else TOO_EARLY
    if at > latest:
        return FUTURE
    if at < EARLIEST:
        return TOO_EARLY
    return ""


def arrival_time(
    stored_at: dt.datetime,
    *,
    internal_date: dt.datetime | None = None,
    received: Sequence[str] = (),
    date: str = "",
) -> Arrival:
    """When an e-mail reached us, and how sure we are.

    In order: the IMAP INTERNALDATE; the date of the topmost `Received` header (the one
    our server added; if its date is out of range, the next one down, still a mail server's
    stamp); the `Date` header, which is the sender's clock; and only when none of these is
    usable, `stored_at`, the import time. A date before 1990, after `stored_at` (plus a day
    of clock skew) or unreadable is never used, and is listed in `issues` for staff.
    `received` holds the date part of each `Received` header, topmost first.
    """
    issues: list[DateIssue] = []
    if internal_date is not None:
        problem = _in_range(internal_date, stored_at)
        if not problem:
            return Arrival(internal_date.astimezone(dt.UTC), INTERNAL_DATE)
        issues.append(DateIssue("INTERNALDATE", internal_date.isoformat(), problem))
    for value in received:
        parsed = parse_mail_date(value)
        problem = UNPARSABLE if parsed is None else _in_range(parsed, stored_at)
        if not problem:
            return Arrival(parsed.astimezone(dt.UTC), RECEIVED, tuple(issues))
        issues.append(DateIssue("Received", value[:200], problem))
    if date.strip():
        parsed = parse_mail_date(date)
        problem = UNPARSABLE if parsed is None else _in_range(parsed, stored_at)
        if not problem:
            return Arrival(parsed.astimezone(dt.UTC), SENDER_CLOCK, tuple(issues))
        issues.append(DateIssue("Date", date[:200], problem))
    return Arrival(stored_at.astimezone(dt.UTC), IMPORTED, tuple(issues))


def is_on_time(reached_us_at: dt.datetime, deadline: dt.datetime) -> bool:
    """True when the proposal reached us at or before the deadline (inclusive).

    `reached_us_at` is when it arrived here (see `arrival_time`). Both must be aware; a
    naive time is taken as Europe/Oslo wall-clock time, the region's legal time.
    """
    if reached_us_at.tzinfo is None:
        reached_us_at = reached_us_at.replace(tzinfo=OSLO)
    if deadline.tzinfo is None:
        deadline = deadline.replace(tzinfo=OSLO)
    return reached_us_at <= deadline
