"""The register's update feed (recorded answer shape, served on loopback): deletions,
moves out of the region and changed units applied without a full download."""

from __future__ import annotations

import gzip
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from retning.business.models import RegisterUnit
from tests.stats.synthetic_brreg import synthetic_units

FEED = json.loads(
    (
        Path(__file__).resolve().parents[1]
        / "fixtures"
        / "brreg"
        / "oppdateringer-underenheter-anonymised.json"
    ).read_text()
)
pytestmark = pytest.mark.django_db


def serve(units: dict[str, dict], feed: bytes | None = None):
    feed_body = json.dumps(FEED).encode() if feed is None else feed

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            path = self.path.split("?")[0]
            if path.endswith("/oppdateringer/underenheter"):
                body, status = feed_body, 200
            elif path.rsplit("/", 1)[-1] in units:
                body, status = json.dumps(units[path.rsplit("/", 1)[-1]]).encode(), 200
            else:
                body, status = b'{"status":404}', 404
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/enhetsregisteret/api"


def test_update_feed_marks_deletions_moves_and_changes(loaded_strategy, tmp_path, settings):
    # the region holds five establishments whose numbers appear in the recorded feed, and
    # twelve more (three of seventeen removed stays under the 20 % refusal threshold)
    numbers = ["111111111", "222222222", "333333333", "666666666", "888888888"]
    numbers += [f"7000000{n:02d}" for n in range(12)]
    records = [record for record, _ in synthetic_units(17, "underenhet", seed=8)]
    for record, orgnr in zip(records, numbers, strict=True):
        record["organisasjonsnummer"] = orgnr
        record["beliggenhetsadresse"]["kommunenummer"] = "3415"
        record.pop("slettedato", None)
    path = tmp_path / "synthetic_underenheter.json.gz"
    path.write_bytes(gzip.compress(json.dumps(records).encode()))
    call_command("import_brreg", str(path), stdout=io.StringIO())
    changed = dict(records[2], antallAnsatte=99)  # 333333333: more employees
    moved = json.loads(json.dumps(records[3]))  # 666666666: moved to Oslo
    moved["beliggenhetsadresse"]["kommunenummer"] = "0301"
    new = json.loads(json.dumps(records[4]))  # 999999999: a new unit in Grue
    new["organisasjonsnummer"] = "999999999"
    new["beliggenhetsadresse"]["kommunenummer"] = "3417"
    httpd, url = serve({"333333333": changed, "666666666": moved, "999999999": new})
    settings.RETNING_BRREG_URL = url
    try:
        out = io.StringIO()
        call_command("import_brreg", "--updates", "--kind", "underenhet", stdout=out)
    finally:
        httpd.shutdown()
    text = out.getvalue()
    assert "10 updates since the last run" in text
    units = {u.orgnr: u for u in RegisterUnit.objects.all()}
    assert not units["111111111"].in_region  # Fjernet
    assert str(units["222222222"].deleted) == "2022-07-05"  # Sletting on the update's date
    assert units["333333333"].employees == 99
    assert not units["666666666"].in_region
    assert units["999999999"].municipality_code == "3417" and units["999999999"].in_region
    assert units["888888888"].in_region  # changed elsewhere (404 here): left as it was


def test_updates_without_an_earlier_import_are_refused(loaded_strategy):
    with pytest.raises(CommandError, match="run `retning import-brreg` first"):
        call_command("import_brreg", "--updates", "--kind", "enhet", stdout=io.StringIO())


def five_units_in_the_feed(tmp_path) -> None:
    numbers = ["111111111", "222222222", "333333333", "666666666", "888888888"]
    records = [record for record, _ in synthetic_units(5, "underenhet", seed=8)]
    for record, orgnr in zip(records, numbers, strict=True):
        record["organisasjonsnummer"] = orgnr
        record["beliggenhetsadresse"]["kommunenummer"] = "3415"
        record.pop("slettedato", None)
    path = tmp_path / "synthetic_underenheter.json.gz"
    path.write_bytes(gzip.compress(json.dumps(records).encode()))
    call_command("import_brreg", str(path), stdout=io.StringIO())


def test_feed_removing_a_large_share_of_the_region_needs_force(loaded_strategy, tmp_path, settings):
    five_units_in_the_feed(tmp_path)  # the feed removes two of them and moves one: 60 %
    httpd, settings.RETNING_BRREG_URL = serve({})
    try:
        with pytest.raises(CommandError, match=r"remove 2 of the region's 5 units .* --force"):
            call_command("import_brreg", "--updates", "--kind", "underenhet", stdout=io.StringIO())
        assert RegisterUnit.objects.filter(in_region=True, deleted__isnull=True).count() == 5
        call_command(
            "import_brreg", "--updates", "--kind", "underenhet", "--force", stdout=io.StringIO()
        )
    finally:
        httpd.shutdown()
    assert RegisterUnit.objects.filter(in_region=True, deleted__isnull=True).count() == 3


@pytest.mark.parametrize(
    "feed",
    [
        b"[1, 2, 3]",
        b'{"_embedded": {"oppdaterteUnderenheter": [{"organisasjonsnummer": 5}]}}',
        b'{"_embedded": {"oppdaterteUnderenheter": [{"organisasjonsnummer": "111111111",'
        b' "dato": "i morgen", "endringstype": "Sletting"}]}}',
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["list", "orgnr-number", "bad-date", "deep"],
)
def test_malformed_feed_is_one_clear_error_and_changes_nothing(
    loaded_strategy, tmp_path, settings, feed
):
    five_units_in_the_feed(tmp_path)
    httpd, settings.RETNING_BRREG_URL = serve({}, feed)
    try:
        with pytest.raises(CommandError, match=r"the update feed could not be read: .*nothing"):
            call_command("import_brreg", "--updates", "--kind", "underenhet", stdout=io.StringIO())
    finally:
        httpd.shutdown()
    assert RegisterUnit.objects.filter(in_region=True, deleted__isnull=True).count() == 5
