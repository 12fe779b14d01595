"""Load on the public pages: 32 concurrent clients against Retning under gunicorn.

For SQLite and for PostgreSQL (a temporary database on 127.0.0.1:5432, user postgres, trust
auth; skipped with the reason when it cannot be reached) this sets up a fresh data directory
with the bundled strategy and snapshot (`retning setup`), starts `retning serve` (gunicorn,
2 workers, static files through whitenoise) on a loopback port, and runs a closed loop of
BENCH_CLIENTS (32) clients, each sending its next request when the last one is answered,
for BENCH_SECONDS (5) per address after a second of warm-up:

- a static file (the style sheet, through whitenoise): the baseline, served the same way;
- the front page and the jobs goal page (/mal/arbeidsplasser/), as visitors see them;
- the same two pages with the page cache turned off (RETNING_PAGE_CACHE_SECONDS=0; a
  second server), to show what the cache saves.

It prints p50, p95 and requests per second for each, and the ratio of each p95 to the
static file's. The target is a goal-page p95 of at most 50 ms on a 2-core machine; the
load generator runs on the same cores as the server, so the figures include its share.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "32"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
TARGET_P95_MS = 50.0
PAGES = {
    "static file": "/static/retning/site.css",
    "front page": "/",
    "goal page": "/mal/arbeidsplasser/",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def retning_env(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env |= {
        "RETNING_DATA_DIR": str(data_dir),
        "RETNING_ALLOWED_HOSTS": "127.0.0.1",
        "RETNING_LOG_LEVEL": "ERROR",
        **extra,
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def retning(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "retning.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )


@contextmanager
def server(env: dict[str, str]):
    """`retning serve` on a free loopback port; yields its base URL, stops it after."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "retning.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + PAGES["static file"], timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"retning serve did not start (exit {process.poll()})")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def closed_loop(base: str, path: str, seconds: float) -> tuple[list[float], int, float]:
    """Latencies (seconds) of every request answered within `seconds`, the number of
    connections the server closed under a request (the client then opens a new one), and
    the time taken."""
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        errors = 0

        async def one_client(stop: float, latencies: list[float]) -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                except httpx.TransportError:
                    errors += 1
                    continue
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status_code}")
                latencies.append(time.perf_counter() - started)

        warm: list[float] = []
        stop = time.perf_counter() + 1.0
        await asyncio.gather(*(one_client(stop, warm) for _ in range(CLIENTS)))
        latencies: list[float] = []
        errors = 0
        started = time.perf_counter()
        stop = started + seconds
        await asyncio.gather(*(one_client(stop, latencies) for _ in range(CLIENTS)))
        return latencies, errors, time.perf_counter() - started


def measure(base: str, path: str) -> dict[str, float]:
    latencies, errors, elapsed = asyncio.run(closed_loop(base, path, SECONDS))
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "rps": len(latencies) / elapsed,
        "n": len(latencies),
        "closed": errors,
    }


def run_backend(name: str, database_url: str) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix=f"retning-load-{name}-") as tmp:
        env = retning_env(Path(tmp), database_url)
        retning("setup", env=env)
        with server(env) as base:
            for label, path in PAGES.items():
                results[label] = measure(base, path)
        with server(env | {"RETNING_PAGE_CACHE_SECONDS": "0"}) as base:
            for label in ("front page", "goal page"):
                results[f"{label}, no page cache"] = measure(base, PAGES[label])
    return results


@contextmanager
def postgres_database():
    """A temporary PostgreSQL database; yields its URL, or None and the reason."""
    import psycopg

    name = f"retning_load_{os.getpid()}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        yield None, str(exc).strip().splitlines()[0]
        return
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, ""
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(name: str, results: dict[str, dict[str, float]]) -> None:
    base = results["static file"]
    print(f"\n{name}: {CLIENTS} concurrent clients, {SECONDS:g} s per address")
    print(
        f"  {'address':34} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'p95 / static':>13}"
        f" {'requests':>9} {'closed':>7}"
    )
    for label, row in results.items():
        ratio = row["p95"] / base["p95"]
        print(
            f"  {label:34} {row['p50']:8.1f} {row['p95']:8.1f} {row['rps']:8.0f} {ratio:13.2f}"
            f" {row['n']:9.0f} {row['closed']:7.0f}"
        )
    goal = results["goal page"]["p95"]
    verdict = "met" if goal <= TARGET_P95_MS else "missed"
    print(f"  goal page p95 {goal:.1f} ms: target ≤ {TARGET_P95_MS:.0f} ms {verdict}")


def main() -> None:
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    report("SQLite", run_backend("sqlite", ""))
    with postgres_database() as (url, reason):
        if url is None:
            print(f"\nPostgreSQL: skipped ({reason})")
        else:
            report("PostgreSQL", run_backend("postgresql", url))
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
