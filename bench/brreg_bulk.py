"""Benchmark: reading the region's units from a full-size Enhetsregisteret bulk file.

Generates (once, cached under var/bench/) a synthetic file in the register's schema with
1.1 million enterprises, then times in the same run:
  baseline  `gzip -dc FILE > /dev/null` (just decompressing the file)
  import    `retning import-brreg FILE` into a fresh SQLite database (the whole command,
            Python start-up and the database writes included)
and prints both times, their ratio and the import's peak memory (the command's max RSS).
Goal: ratio ≤ 2.0 and peak memory ≤ 300 MB.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.stats.synthetic_brreg import write_synthetic_bulk  # noqa: E402

COUNT = int(os.environ.get("BENCH_BRREG_COUNT", "1100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def command_run(path: Path, data_dir: Path) -> tuple[float, str]:
    env = {**os.environ, "RETNING_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-m", "retning.cli", "import-brreg", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return time.perf_counter() - started, output


def main() -> None:
    cache = ROOT / "var" / "bench"
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"synthetic_enheter_{COUNT}.json.gz"
    if not path.exists():
        started = time.perf_counter()
        expected = write_synthetic_bulk(path.with_suffix(".tmp"), COUNT)
        path.with_suffix(".tmp").rename(path)
        seconds = time.perf_counter() - started
        print(f"generated {expected.total:,} synthetic enterprises in {seconds:.1f} s")
    print(f"file: {path.name}, {path.stat().st_size / 1e6:.1f} MB compressed")
    data_dir = cache / "import-data"
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {**os.environ, "RETNING_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "retning.cli", "setup"], env=env, check=True, capture_output=True
    )
    baseline, imports, output = [], [], ""
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(f"gzip -dc '{path}' > /dev/null", shell=True, check=True)
        baseline.append(time.perf_counter() - started)
        wall, output = command_run(path, data_dir)
        imports.append(wall)
    b, i = min(baseline), min(imports)
    summary = output.splitlines()[0]
    peak = float(re.search(r"peak memory (\d+) MB", summary).group(1))
    print(summary)
    print(f"baseline gzip -dc:     {b:.2f} s (min of {RUNS})")
    print(f"retning import-brreg:  {i:.2f} s (min of {RUNS}, whole command)")
    print(f"ratio import/baseline: {i / b:.2f} (goal ≤ 2.0)")
    print(f"peak memory of the import: {peak:.0f} MB (goal ≤ 300 MB)")


if __name__ == "__main__":
    main()
