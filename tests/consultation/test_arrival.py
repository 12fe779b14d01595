"""When did an e-mail reach us? The topmost Received header, else the sender's Date
(flagged), else the import time (flagged); dates out of range are never used."""

from __future__ import annotations

import datetime as dt

import pytest

from retning.consultation import mail
from retning.consultation.deadline import (
    FUTURE,
    IMPORTED,
    INTERNAL_DATE,
    RECEIVED,
    SENDER_CLOCK,
    TOO_EARLY,
    UNPARSABLE,
    arrival_time,
)
from tests.conftest import SHARED_DIR

STORED = dt.datetime(2024, 7, 1, 8, 0, tzinfo=dt.UTC)
WIRE_EMAIL = SHARED_DIR / "data" / "wire" / "email"
needs_wire = pytest.mark.skipif(not WIRE_EMAIL.is_dir(), reason=f"{WIRE_EMAIL} is not present")


def test_topmost_received_header_is_our_servers_arrival_time():
    arrival = arrival_time(
        STORED,
        received=["Fri, 14 Jun 2024 10:00:00 +0200", "Fri, 14 Jun 2024 09:59:30 +0200"],
        date="Fri, 14 Jun 2024 09:59:00 +0200",
    )
    assert arrival.at == dt.datetime(2024, 6, 14, 8, 0, tzinfo=dt.UTC)
    assert (arrival.source, arrival.issues, arrival.uncertain) == (RECEIVED, (), False)


def test_without_received_the_date_header_is_used_and_flagged_as_the_senders_clock():
    arrival = arrival_time(STORED, date="Fri, 14 Jun 2024 09:59:00 +0200")
    assert arrival.at == dt.datetime(2024, 6, 14, 7, 59, tzinfo=dt.UTC)
    assert arrival.source == SENDER_CLOCK and arrival.uncertain


def test_without_any_date_the_import_time_is_used_and_flagged():
    arrival = arrival_time(STORED)
    assert (arrival.at, arrival.source, arrival.uncertain) == (STORED, IMPORTED, True)


def test_imap_internal_date_wins():
    internal = dt.datetime(2024, 6, 16, 9, 0, tzinfo=dt.UTC)
    arrival = arrival_time(
        STORED, internal_date=internal, received=["Fri, 14 Jun 2024 10:00:00 +0200"]
    )
    assert (arrival.at, arrival.source) == (internal, INTERNAL_DATE)


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ("Fri, 31 Dec 9999 23:59:59 -1200", FUTURE),  # overflowed when converted to UTC
        ("Wed, 1 Jan 2098 10:00:00 +0100", FUTURE),
        ("Sat, 6 Jul 2024 10:00:00 +0200", FUTURE),  # days after we stored it
        ("Thu, 1 Jan 1970 00:00:00 +0000", TOO_EARLY),
        ("Mon, 1 Jan 1900 00:30:00 +0100", TOO_EARLY),
        ("32 Foo 2024 99:99", UNPARSABLE),
    ],
)
def test_out_of_range_received_date_is_skipped_and_listed(bad, problem):
    arrival = arrival_time(
        STORED,
        received=[bad, "Fri, 14 Jun 2024 09:59:30 +0200"],
        date="Fri, 14 Jun 2024 09:59:00 +0200",
    )
    # The next server stamp down is used; the bad date is shown to staff.
    assert arrival.at == dt.datetime(2024, 6, 14, 7, 59, 30, tzinfo=dt.UTC)
    assert arrival.source == RECEIVED and arrival.uncertain
    assert [(i.header, i.value, i.problem) for i in arrival.issues] == [("Received", bad, problem)]


def test_every_date_out_of_range_falls_back_to_the_import_time_with_each_reason():
    arrival = arrival_time(
        STORED,
        internal_date=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
        received=["Fri, 31 Dec 9999 23:59:59 -1200"],
        date="not a date",
    )
    assert (arrival.at, arrival.source) == (STORED, IMPORTED)
    assert [(i.header, i.problem) for i in arrival.issues] == [
        ("INTERNALDATE", FUTURE),
        ("Received", FUTURE),
        ("Date", UNPARSABLE),
    ]


def test_a_few_minutes_of_clock_skew_are_no_problem():
    arrival = arrival_time(STORED, received=["Mon, 1 Jul 2024 10:05:00 +0200"])
    assert arrival.source == RECEIVED and not arrival.issues


@needs_wire
@pytest.mark.parametrize(
    ("name", "source", "utc"),
    [
        # Ten Received headers: the topmost, added by the last server, wins.
        ("cpython-test_email/msg_16.txt", RECEIVED, "2001-09-24T03:13:54+00:00"),
        # No Received header: the sender's Date (written "-0400").
        ("stalwart-mail-parser/legacy_007.eml", SENDER_CLOCK, "2000-05-17T23:15:35+00:00"),
        # A short, old-style Date ("01 Jan 2001 00:01+0000").
        ("cpython-test_email/msg_47.txt", SENDER_CLOCK, "2001-01-01T00:01:00+00:00"),
        # Neither header.
        ("cpython-test_email/msg_05.txt", IMPORTED, STORED.isoformat()),
    ],
)
def test_real_messages_get_their_arrival_time_from_the_right_header(name, source, utc):
    parsed = mail.parse_message((WIRE_EMAIL / name).read_bytes())
    arrival = arrival_time(STORED, received=parsed.received_dates, date=parsed.date_header)
    assert (arrival.source, arrival.at.isoformat()) == (source, utc)
