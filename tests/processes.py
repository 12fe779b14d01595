"""Running Retning as its users do: the `retning` command in its own process, on its own
data directory, and a free loopback port for a server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment(data_dir: Path, database_url: str = "") -> dict[str, str]:
    """This process's environment for a fresh site in `data_dir`: SQLite unless a database
    is given, and a secret key of the site's own."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RETNING_SECRET_KEY"}}
    env["RETNING_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_retning(
    *args: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "retning.cli", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
