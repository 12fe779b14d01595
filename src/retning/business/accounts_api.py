"""Fetching the latest annual accounts of the region's enterprises from the open
Regnskapsregisteret API, with bounded concurrency, a shared pace and retries.

The API gives only each enterprise's latest accounts; every run stores what it got, so a
history builds up year by year.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from retning.business.brreg_accounts import Accounts, AccountsError, parse_api_response
from retning.stats.http import HttpClient
from retning.stats.sources.base import SourceError


class Pacer:
    """At most one request start per `interval` seconds across all threads."""

    def __init__(self, interval: float):
        self.interval = interval
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


@dataclass
class FetchResult:
    accounts: list[Accounts] = field(default_factory=list)
    answers: dict[str, bytes] = field(default_factory=dict)  # orgnr → raw answer
    without_accounts: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)
    requests: int = 0


def fetch_latest_accounts(
    orgnrs: Iterable[str],
    base_url: str,
    *,
    concurrency: int = 4,
    interval: float = 0.1,
    retries: int = 3,
) -> FetchResult:
    result = FetchResult()
    pacer = Pacer(interval)
    lock = threading.Lock()
    local = threading.local()

    def client() -> HttpClient:
        if not hasattr(local, "client"):
            local.client = HttpClient(min_interval=0, retries=retries, backoff=0.5, timeout=30)
        return local.client

    def one(orgnr: str) -> None:
        pacer.wait()
        url = f"{base_url.rstrip('/')}/{orgnr}"
        try:
            response = client().request("brreg", "GET", url)
            accounts = parse_api_response(response.content)
        except SourceError as exc:
            with lock:
                result.requests += 1
                if "HTTP 404" in exc.message:
                    result.without_accounts.append(orgnr)
                else:
                    result.failures[orgnr] = exc.message
            return
        except (AccountsError, json.JSONDecodeError) as exc:
            with lock:
                result.requests += 1
                result.failures[orgnr] = f"{url}: {exc}"
            return
        with lock:
            result.requests += 1
            result.answers[orgnr] = response.content
            if accounts:
                result.accounts.extend(accounts)
            else:
                result.without_accounts.append(orgnr)

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        list(pool.map(one, sorted(set(orgnrs))))
    return result
