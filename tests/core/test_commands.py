"""The commands `make run` uses, run as a user runs them: `retning setup` and `retning serve`."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request

import pytest

from tests.processes import clean_environment, free_port
from tests.processes import run_retning as retning


@pytest.fixture
def fresh_environment(tmp_path):
    return clean_environment(tmp_path / "data")


def test_setup_on_an_empty_data_dir_then_serve_the_front_page(fresh_environment, tmp_path):
    first = retning("setup", env=fresh_environment)
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout
    second = retning("setup", env=fresh_environment)
    assert "strategy unchanged" in second.stdout
    data = tmp_path / "data"
    assert (data / "retning.sqlite3").exists()
    key_file = data / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "retning.cli", "serve", "--port", str(port), "--workers", "1"],
        env=fresh_environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 120  # a loaded machine starts the server slowly
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert "Netto vekst på 100 arbeidsplasser per år" in body
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/retning/site.css", timeout=10
        ) as css:
            assert css.status == 200
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output
    assert "background worker: process" in output  # `make run` runs queued tasks too


def test_setup_with_an_invalid_strategy_exits_2_and_names_the_line(fresh_environment, tmp_path):
    bad = tmp_path / "strategy.yaml"
    bad.write_text("schema_version: 1\nregion: [\n", encoding="utf-8")
    result = retning("setup", "--strategy", str(bad), env=fresh_environment)
    assert result.returncode == 2
    assert f"{bad}:3:1: YAML syntax error" in result.stderr
