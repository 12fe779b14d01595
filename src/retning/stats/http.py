"""The one HTTP client for every statistics source.

Timeouts on connect and read; retries with exponential backoff on timeouts, connection
errors, 429 and 5xx (honouring `Retry-After`); a minimum interval between requests to the
same host (SSB allows 30 queries a minute); a User-Agent naming Retning; every response
body kept content-addressed in the data dir (`store.store_raw`) by the caller. Counts of
requests and bytes are kept for benchmarks and the refresh summary.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from retning import __version__ as retning_version
from retning.stats.sources.base import SourceError

USER_AGENT = f"Retning/{retning_version} (+https://github.com/retning; open statistics client)"
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 120.0


@dataclass
class Response:
    url: str
    status: int
    content: bytes
    content_type: str


@dataclass
class HttpStats:
    requests: int = 0
    bytes: int = 0
    retries: int = 0


@dataclass
class HttpClient:
    """Polite HTTP for the statistics sources; one instance per refresh."""

    timeout: float = 30.0
    connect_timeout: float = 10.0
    retries: int = 4
    backoff: float = 1.0
    min_interval: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    stats: HttpStats = field(default_factory=HttpStats)
    _last: dict[str, float] = field(default_factory=dict)
    _client: httpx.Client | None = None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout),
                headers={"User-Agent": USER_AGENT},
                follow_redirects=True,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        last = self._last.get(host)
        if last is not None:
            wait = self.min_interval - (time.monotonic() - last)
            if wait > 0:
                self.sleep(wait)
        self._last[host] = time.monotonic()

    def request(
        self,
        source: str,
        method: str,
        url: str,
        *,
        params: dict | None = None,
        json: object | None = None,
    ) -> Response:
        """Send with retries; raise `SourceError` naming the source, URL and what failed."""
        attempt = 0
        while True:
            self._wait_for_host(url)
            self.stats.requests += 1
            problem: str
            retry_after: float | None = None
            try:
                with self._http().stream(method, url, params=params, json=json) as reply:
                    body = b"".join(reply.iter_bytes())
                    self.stats.bytes += len(body)
                    declared = reply.headers.get("content-length")
                    if declared is not None and int(declared) != len(body):
                        raise SourceError(
                            source,
                            f"{url}: truncated response ({len(body)} of {declared} bytes)",
                        )
                    if reply.status_code < 400:
                        return Response(
                            str(reply.url),
                            reply.status_code,
                            body,
                            reply.headers.get("content-type", ""),
                        )
                    problem = f"HTTP {reply.status_code}"
                    detail = body[:300].decode("utf-8", "replace").strip()
                    if detail:
                        problem += f": {detail}"
                    if reply.status_code not in RETRY_STATUS:
                        raise SourceError(source, f"{url}: {problem}")
                    retry_after = parse_retry_after(reply.headers.get("retry-after"))
            except httpx.TimeoutException as exc:
                problem = f"timed out ({type(exc).__name__})"
            except httpx.RemoteProtocolError as exc:
                if "complete message body" in str(exc):
                    problem = f"truncated response ({exc})"
                else:
                    problem = f"connection broken mid-response ({exc})"
            except httpx.TransportError as exc:
                problem = f"could not connect ({exc})"
            if attempt >= self.retries:
                raise SourceError(source, f"{url}: {problem}; gave up after {attempt + 1} tries")
            delay = self.backoff * (2**attempt)
            if retry_after is not None:
                delay = max(delay, min(retry_after, MAX_RETRY_AFTER))
            attempt += 1
            self.stats.retries += 1
            self.sleep(delay)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
