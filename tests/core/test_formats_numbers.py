"""The one writer of numbers and dates (retning.formats.numbers), without Django."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from retning.formats.numbers import date_nb, decimal_text, number_nb


def test_bokmal_numbers_group_thousands_with_a_no_break_space_and_round_half_up():
    assert number_nb(1234567) == "1\u00a0234\u00a0567"
    assert number_nb(1234567.891, 2) == "1\u00a0234\u00a0567,89"
    assert number_nb(0.125, 2) == "0,13"  # half up, where f"{0.125:.2f}" gives 0.12
    assert number_nb(Decimal("-30.65"), 1) == "\u221230,7"
    assert number_nb(-0.04, 1) == "0,0"  # never "−0"
    assert number_nb(999) == "999"


def test_english_separators_come_from_the_caller():
    assert decimal_text(-1234.5, 1, ".", ",") == "\u22121,234.5"


def test_bokmal_dates_name_the_month():
    assert date_nb(dt.date(2024, 6, 15)) == "15. juni 2024"
    assert date_nb(dt.date(2025, 1, 1)) == "1. januar 2025"
