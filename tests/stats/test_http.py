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


def test_requests_to_one_host_keep_the_minimum_interval():
    from retning.stats.http import HttpClient
    from tests.stats.static_server import StaticServer

    sleeps: list[float] = []
    with StaticServer({"/a": (b"{}", "application/json")}) as server:
        client = HttpClient(min_interval=2.0, retries=0, sleep=sleeps.append)
        client.request("SSB", "GET", server.url + "/a")
        client.request("SSB", "GET", server.url + "/a")
        client.close()
    assert len(sleeps) == 1 and 1.5 < sleeps[0] <= 2.0


def test_server_error_is_retried_with_exponential_backoff_then_reported():
    import pytest

    from retning.stats.http import HttpClient
    from retning.stats.sources.base import SourceError
    from tests.stats.static_server import StaticServer

    sleeps: list[float] = []
    with StaticServer({}) as server:
        server.faults["/x"] = 503
        client = HttpClient(min_interval=0, retries=3, backoff=1.0, sleep=sleeps.append)
        with pytest.raises(SourceError, match="HTTP 503") as excinfo:
            client.request("SSB", "GET", server.url + "/x")
        client.close()
    assert sleeps == [1.0, 2.0, 4.0]
    assert "gave up after 4 tries" in str(excinfo.value)
    assert len(server.requests) == 4


def test_client_error_is_not_retried():
    import pytest

    from retning.stats.http import HttpClient
    from retning.stats.sources.base import SourceError
    from tests.stats.static_server import StaticServer

    with StaticServer({}) as server:
        client = HttpClient(min_interval=0, retries=3, sleep=lambda _s: None)
        with pytest.raises(SourceError, match="HTTP 404"):
            client.request("SSB", "GET", server.url + "/missing")
        client.close()
    assert len(server.requests) == 1
