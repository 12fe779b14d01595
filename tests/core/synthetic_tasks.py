"""Synthetic background tasks for the worker tests: one that waits for a gate file, so a
test can kill its worker while it runs."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.tasks import task


@task
def wait_for_gate(directory: str) -> str:
    """Say that it started (one file per attempt), wait for `gate`, then say it finished."""
    folder = Path(directory)
    (folder / f"started-{os.getpid()}").write_text("")
    deadline = time.monotonic() + 60
    while not (folder / "gate").exists():
        if time.monotonic() > deadline:
            raise TimeoutError("no gate file within 60 s")
        time.sleep(0.05)
    (folder / "finished").write_text(str(os.getpid()))
    return "done"
