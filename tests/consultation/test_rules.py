"""The pure rules: deadline, organisation numbers, privacy scrubbing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from retning.consultation.deadline import is_on_time
from retning.consultation.privacy import scrub
from retning.core.orgnr import is_valid_orgnr

OSLO = ZoneInfo("Europe/Oslo")
DEADLINE = dt.datetime(2024, 6, 15, 23, 59, 59, 999999, tzinfo=OSLO)


def test_is_on_time_last_second_in_oslo_counts():
    assert is_on_time(dt.datetime(2024, 6, 15, 23, 59, 59, tzinfo=OSLO), DEADLINE)


def test_is_on_time_after_midnight_oslo_is_late_even_if_utc_date_is_earlier():
    # 00:30 on 16 June in Oslo is 22:30 UTC on 15 June: still late.
    late = dt.datetime(2024, 6, 15, 22, 30, tzinfo=dt.UTC)
    assert not is_on_time(late, DEADLINE)


def test_is_on_time_naive_time_is_oslo_wall_clock():
    assert is_on_time(dt.datetime(2024, 6, 15, 23, 0), DEADLINE)
    assert not is_on_time(dt.datetime(2024, 6, 16, 0, 0), DEADLINE)


@pytest.mark.parametrize("value", ["974760673", "974 760 673", "NO 974760673 MVA", "923609016"])
def test_is_valid_orgnr_accepts_real_numbers(value):
    assert is_valid_orgnr(value)


@pytest.mark.parametrize("value", ["974760674", "97476067", "9747606731", "abcdefghi", ""])
def test_is_valid_orgnr_rejects_bad_check_digit_and_length(value):
    assert not is_valid_orgnr(value)


def test_scrub_removes_contact_details_but_keeps_the_proposal():
    text = (
        "Ring meg på 912 34 567 eller +47 62 88 00 00, skriv til ola.nordmann@example.no, "
        "eller kom innom Storgata 12B, 2212 Kongsvinger. Fødselsnr 01019012345. "
        "Vi foreslår 100 nye arbeidsplasser innen 2028."
    )
    result = scrub(text)
    for secret in ("912 34 567", "62 88 00 00", "ola.nordmann", "Storgata 12B", "01019012345"):
        assert secret not in result
    assert "Vi foreslår 100 nye arbeidsplasser innen 2028." in result
