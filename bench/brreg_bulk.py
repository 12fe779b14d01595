"""Benchmark: reading the region's units from a full-size Enhetsregisteret bulk file.

Generates (once, cached under var/bench/) a synthetic file in the register's schema with
1.1 million enterprises, then times in the same run:
  baseline  `gzip -dc FILE > /dev/null` (just decompressing the file)
  import    the region filter (`iter_region_units`) in a child process
and prints both times, their ratio and the import's peak memory (max RSS of the child).
Goal: ratio ≤ 2.0 and peak memory ≤ 300 MB.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.stats.synthetic_brreg import write_synthetic_bulk  # noqa: E402

COUNT = int(os.environ.get("BENCH_BRREG_COUNT", "1100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))

CHILD = """
import json, sys, time
from retning.stats.sources.brreg import BulkSummary, iter_region_units
summary = BulkSummary()
started = time.perf_counter()
with open(sys.argv[1], "rb") as handle:
    kept = sum(1 for _ in iter_region_units(handle, sys.argv[2].split(","), "enhet", summary))
print(json.dumps({"seconds": time.perf_counter() - started, "kept": kept,
                  "read": summary.records_read, "bytes": summary.uncompressed_bytes}))
"""


def child_run(path: Path, codes: str) -> tuple[float, dict, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), codes], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    import json

    return wall, json.loads(output.stdout), max(peak_kib, before) / 1024


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
    codes = "3401,3414,3415,3416,3417,3418"
    baseline, imports, peak = [], [], 0.0
    result: dict = {}
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(f"gzip -dc '{path}' > /dev/null", shell=True, check=True)
        baseline.append(time.perf_counter() - started)
        wall, result, peak = child_run(path, codes)
        imports.append(wall)
    b, i = min(baseline), min(imports)
    print(
        f"records read: {result['read']:,}; kept in the region: {result['kept']:,}; "
        f"uncompressed: {result['bytes'] / 1e9:.2f} GB"
    )
    print(f"baseline gzip -dc: {b:.2f} s (min of {RUNS})")
    print(f"region import:     {i:.2f} s (min of {RUNS}, whole child process)")
    print(f"ratio import/baseline: {i / b:.2f} (goal ≤ 2.0)")
    print(f"peak memory of the import process: {peak:.0f} MB (goal ≤ 300 MB)")


if __name__ == "__main__":
    main()
