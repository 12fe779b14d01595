"""Full refresh against loopback servers: HTTP requests, bytes, and local processing time.

Prints requests and bytes per source, and local processing seconds (wall time minus time
waiting on HTTP) per 100,000 observations, with a ratio against a baseline measured in the
same run: plain `json.loads` of the same response bytes.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["RETNING_DATA_DIR"] = tempfile.mkdtemp(prefix="retning-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retning.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from retning.stats.http import HttpClient  # noqa: E402
from retning.stats.models import Observation  # noqa: E402
from retning.stats.refresh import jobs_for, run_job  # noqa: E402
from retning.strategy.loader import load_strategy_file  # noqa: E402
from tests.stats.excel_fixtures import synthetic_norskeutslipp_layout_with_real_values  # noqa: E402
from tests.stats.pxweb_server import PxWebServer  # noqa: E402
from tests.stats.ssb_cubes import all_synthetic_and_real_cubes  # noqa: E402
from tests.stats.static_server import StaticServer  # noqa: E402

FIXTURES = ROOT / "tests/stats/fixtures"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TimedClient(HttpClient):
    waited: float = 0.0
    bodies: list[bytes]

    def request(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            response = super().request(*args, **kwargs)
        finally:
            self.waited += time.perf_counter() - start
        self.bodies.append(response.content)
        return response


def main() -> None:
    call_command("migrate", verbosity=0)
    load_strategy_file(settings.RETNING_STRATEGY_FILE)
    facilities, _ = synthetic_norskeutslipp_layout_with_real_values()
    files = {
        "/classifications/131/changes": (
            (FIXTURES / "klass_131_changes_region.json").read_bytes(),
            "application/json",
        ),
        "/hl060.xlsx": (
            (
                FIXTURES / "HL060_Helt_ledige_Fylke_og_kommune_Tidsserie_maaned_2022-10.xlsx"
            ).read_bytes(),
            XLSX,
        ),
        "/anlegg.xlsx": (facilities, XLSX),
    }
    with PxWebServer(all_synthetic_and_real_cubes()) as pxweb, StaticServer(files) as static:
        settings.RETNING_SSB_URL = pxweb.url
        settings.RETNING_KLASS_URL = static.url
        settings.RETNING_NAV_URL = static.url + "/hl060.xlsx"
        settings.RETNING_NORSKEUTSLIPP_URL = static.url + "/anlegg.xlsx"
        settings.RETNING_MILJODIR_URL = ""  # no fixture of the full national file
        print(
            f"{'source':<10}{'requests':>10}{'bytes':>12}{'obs':>10}{'local s':>10}{'s/100k':>10}"
        )
        total_obs = total_local = total_base = 0.0
        for source in ("ssb", "klass", "nav", "miljodir"):
            client = TimedClient(min_interval=0, retries=0)
            client.bodies = []
            before = Observation.objects.count()
            start = time.perf_counter()
            outcomes = [run_job(job, client) for job in jobs_for(source) if job.configured]
            wall = time.perf_counter() - start
            client.close()
            observations = Observation.objects.count() - before
            local = wall - client.waited
            start = time.perf_counter()
            for body in client.bodies:
                if body[:1] in b"{[":
                    json.loads(body)
            baseline = time.perf_counter() - start
            per = local / observations * 100_000 if observations else float("nan")
            failed = [o.message for o in outcomes if not o.ok]
            print(
                f"{source:<10}{client.stats.requests:>10}{client.stats.bytes:>12}"
                f"{observations:>10}{local:>10.3f}{per:>10.2f}"
                + (f"  FAILED {failed}" if failed else "")
            )
            total_obs += observations
            total_local += local
            total_base += baseline
        data_requests = len(pxweb.data_requests())
        print(
            f"SSB: {data_requests} data requests for "
            f"{len(set(pxweb.data_requests()))} tables, "
            f"{len(pxweb.requests) - data_requests} metadata and configuration requests"
        )
        print(
            f"local processing: {total_local / total_obs * 100_000:.2f} s per 100,000 observations"
        )
        if total_base > 0:
            print(f"ratio to json.loads of the same JSON bytes: {total_local / total_base:.1f}x")


if __name__ == "__main__":
    main()
