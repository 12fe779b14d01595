"""Start-up time: `retning check` against a bare `django.setup()` with Retning's settings.

Every `retning` command, worker and web process pays the import cost of what the URL
configuration and the apps pull in. Goal: `retning check` within 2x the bare set-up.
Runs each one `BENCH_RUNS` times (default 7), alternating, in fresh interpreters, and
prints the medians and their ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
BARE = (
    "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'retning.settings'; "
    "import django; django.setup()"
)
COMMANDS = {
    "django.setup()": [sys.executable, "-c", BARE],
    "retning check": [sys.executable, "-m", "retning.cli", "check"],
}


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "RETNING_DATA_DIR": data_dir}
        for command in COMMANDS.values():  # warm the file cache and the .pyc files
            timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(RUNS):
            for name, command in COMMANDS.items():
                times[name].append(timed(command, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, values in times.items():
        print(
            f"{name:<16} median {medians[name]:.3f} s  "
            f"(min {min(values):.3f}, max {max(values):.3f}, {RUNS} runs)"
        )
    ratio = medians["retning check"] / medians["django.setup()"]
    print(f"ratio retning check / django.setup(): {ratio:.2f} (goal: at most 2.00)")


if __name__ == "__main__":
    main()
