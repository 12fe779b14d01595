"""The HTTP client's pieces that need no server."""

from __future__ import annotations

import email.utils
import time

from retning.stats.http import USER_AGENT, parse_retry_after


def test_retry_after_in_seconds():
    assert parse_retry_after("12") == 12.0


def test_retry_after_as_http_date_is_seconds_from_now():
    when = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 55 <= parse_retry_after(when) <= 61


def test_retry_after_garbage_is_ignored():
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_user_agent_names_retning():
    assert USER_AGENT.startswith("Retning/")
