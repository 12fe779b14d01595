"""Crash safety of the importer and concurrent form posts, against real processes.

Each test runs on the database the suite runs on: a file SQLite database of its own when
the suite uses SQLite, the suite's PostgreSQL test database when it uses PostgreSQL.
"""

from __future__ import annotations

import concurrent.futures
import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.consultation.conftest import synthetic_mail
from tests.processes import free_port

RETNING = str(Path(sys.executable).parent / "retning")
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

OPEN_ROUND = (
    "import datetime as dt; from django.utils import timezone; "
    "from retning.consultation.models import ConsultationRound as R; "
    "from retning.strategy.selectors import current_strategy as s; "
    "R.objects.create(strategy=s(), slug='synthetic-open', title='Syntetisk åpen høring', "
    "deadline=timezone.now() + dt.timedelta(days=30), web_form=True, "
    "email_subject='Høringsinnspill næringsstrategi')"
)


class Database:
    """A database a child `retning` process can use, and counting queries on it."""

    def __init__(self, tmp_path: Path):
        self.env = {**os.environ, "RETNING_FORM_RATE_LIMIT": "100000"}
        if connection.vendor == "postgresql":
            settings = connection.settings_dict
            self.env["DATABASE_URL"] = (
                f"postgresql://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
                f"{settings['PORT'] or 5432}/{settings['NAME']}"
            )
            self.env["RETNING_DATA_DIR"] = str(tmp_path / "data")
            self.sqlite = None
        else:
            self.env.pop("DATABASE_URL", None)
            self.env["RETNING_DATA_DIR"] = str(tmp_path / "data")
            self.sqlite = tmp_path / "data" / "retning.sqlite3"
        self.retning("setup")

    def retning(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [RETNING, *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            timeout=600,
        )

    def count(self, sql: str) -> int:
        if self.sqlite is None:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()[0]
        with sqlite3.connect(self.sqlite, timeout=30) as db:
            return db.execute(sql).fetchone()[0]


# Enough messages that the kill lands in the middle of the run, with many stored before it
# and many after it.
MESSAGES = 400
KILL_AFTER = 100


def test_import_killed_midway_then_rerun_gives_each_message_once(loaded_strategy, tmp_path):
    db = Database(tmp_path)
    folder = tmp_path / "mail"
    folder.mkdir()
    for n in range(MESSAGES):
        (folder / f"{n:04d}.eml").write_bytes(
            synthetic_mail(message_id=f"<crash-{n}@example.org>", body=f"Forslag nummer {n}")
        )
    process = subprocess.Popen(
        [RETNING, "import-mail", "--round", "2024", str(folder)],
        env=db.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stored_at_kill = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        try:
            stored_at_kill = db.count("SELECT COUNT(*) FROM consultation_receiveditem")
        except sqlite3.OperationalError:  # tables being created or locked for a moment
            stored_at_kill = 0
        if stored_at_kill >= KILL_AFTER:
            break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert 0 < stored_at_kill < MESSAGES, "the importer must be killed part-way"

    rerun = db.retning("import-mail", "--round", "2024", str(folder))
    assert "not stored: 0" in rerun.stdout
    assert db.count("SELECT COUNT(*) FROM consultation_receiveditem") == MESSAGES
    assert db.count("SELECT COUNT(*) FROM consultation_submission") == MESSAGES
    assert db.count("SELECT COUNT(DISTINCT number) FROM consultation_submission") == MESSAGES
    assert db.count("SELECT COUNT(DISTINCT item_id) FROM consultation_submission") == MESSAGES
    assert db.count("SELECT MAX(number) FROM consultation_submission") == MESSAGES


def test_200_simultaneous_form_posts_get_200_distinct_references(loaded_strategy, tmp_path):
    db = Database(tmp_path)
    db.retning("shell", "-c", OPEN_ROUND)
    port = free_port()
    server = subprocess.Popen(
        [RETNING, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "3"],
        env=db.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/horing/synthetic-open/"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = ""
        deadline = time.monotonic() + 120  # a loaded machine starts the server slowly
        while time.monotonic() < deadline and server.poll() is None:
            try:
                page = opener.open(url, timeout=10).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert page, "the server did not answer within 120 s"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        barrier = threading.Barrier(200)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        plain = urllib.request.build_opener(NoRedirect)

        def post(n: int) -> str:
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "name": f"Person {n}",
                    "submitter_type": "private",
                    "text": f"Samtidig forslag {n}",
                }
            ).encode()
            request = urllib.request.Request(
                url, data=body, headers={"Cookie": cookie, "Referer": url}
            )
            barrier.wait()
            try:
                response = plain.open(request, timeout=120)
            except urllib.error.HTTPError as exc:
                return f"{exc.code}:{exc.headers.get('Location', '')}"
            return f"{response.status}:{response.headers.get('Location', '')}"

        with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
            results = list(pool.map(post, range(200)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert [r.split(":")[0] for r in results] == ["302"] * 200
    assert len(set(results)) == 200  # 200 distinct receipt links
    assert db.count("SELECT COUNT(*) FROM consultation_submission") == 200
    assert db.count("SELECT COUNT(DISTINCT number) FROM consultation_submission") == 200
    assert db.count("SELECT MAX(number) FROM consultation_submission") == 200
