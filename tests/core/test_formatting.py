"""Norwegian number formatting rounds; it never cuts digits off."""

from __future__ import annotations

import pytest
from django.utils import translation

from retning.core.formatting import format_number, format_percent, format_signed


@pytest.fixture(autouse=True)
def bokmal():
    with translation.override("nb"):
        yield


def test_numbers_are_rounded_half_up_not_truncated():
    # Maarud's emissions 2019 → 2022: 6 215.59 → 4 311.94 t is −30.63 %
    assert format_percent((4311.9406 - 6215.59) / 6215.59 * 100, 0, signed=True) == "−31\u00a0%"
    assert format_number(66.66, 1) == "66,7"
    assert format_number(2.675, 2) == "2,68"
    assert format_number(8667.5, 0) == "8\u00a0668"


def test_a_value_that_rounds_to_zero_has_no_sign():
    assert format_number(-0.04, 1) == "0,0"
    assert format_signed(-0.004, 2) == "0,00"


def test_whole_numbers_keep_no_decimals_unless_asked():
    assert format_number(446) == "446"
    assert format_signed(446) == "+446"
    assert format_number(17.5) == "17,5"
