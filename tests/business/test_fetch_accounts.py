"""Fetching accounts from the Regnskapsregisteret API (a real HTTP server on loopback
serving recorded answers): bounded concurrency, retries, missing accounts, history."""

from __future__ import annotations

import gzip
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from retning.business.accounts_api import fetch_latest_accounts
from retning.business.models import AnnualAccounts
from tests.stats.synthetic_brreg import synthetic_units

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "brreg" / "regnskap"
RECORDED = {
    "923609016": (FIXTURES / "brreg_regnskap_923609016.json").read_bytes(),
    "939319891": (FIXTURES / "brreg_regnskap_939319891.json").read_bytes(),
}


class AccountsServer:
    def __init__(self, flaky: set[str] = frozenset()):
        self.in_flight = 0
        self.max_in_flight = 0
        self.calls: dict[str, int] = {}
        self.lock = threading.Lock()
        self.flaky = set(flaky)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                orgnr = self.path.rstrip("/").rsplit("/", 1)[-1]
                with server.lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                    server.calls[orgnr] = server.calls.get(orgnr, 0) + 1
                    first = server.calls[orgnr] == 1
                time.sleep(0.05)
                if orgnr in server.flaky and first:
                    body, status = b'{"status":500,"error":"Internal Server Error"}', 500
                elif orgnr in RECORDED:
                    body, status = RECORDED[orgnr], 200
                else:
                    body, status = b'{"status":404,"error":"Not Found"}', 404
                # Leave the count before answering: once the client has the answer it may
                # send its next request, which must not be counted alongside this one.
                with server.lock:
                    server.in_flight -= 1
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/regnskapsregisteret/regnskap"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def test_concurrency_is_bounded_and_a_500_is_retried():
    server = AccountsServer(flaky={"939319891"})
    try:
        orgnrs = ["923609016", "939319891"] + [f"9{i:08d}" for i in range(10)]
        result = fetch_latest_accounts(orgnrs, server.url, concurrency=3, interval=0.0)
    finally:
        server.close()
    assert server.max_in_flight <= 3
    assert server.calls["939319891"] == 2  # failed once, retried
    assert sorted(a.orgnr for a in result.accounts) == ["923609016", "939319891"]
    assert len(result.without_accounts) == 10 and not result.failures


@pytest.mark.django_db
def test_fetch_accounts_command_stores_answers_and_keeps_history(
    loaded_strategy, tmp_path, settings
):
    records = [record for record, _ in synthetic_units(2, seed=3)]
    records[0]["organisasjonsnummer"] = "923609016"  # an enterprise with recorded accounts
    for record in records:
        record["forretningsadresse"]["kommunenummer"] = "3401"
        record.pop("slettedato", None)
    path = tmp_path / "synthetic_enheter.json.gz"
    path.write_bytes(gzip.compress(json.dumps(records).encode()))
    call_command("import_brreg", str(path), stdout=io.StringIO())
    # an earlier year, as a licensed history would give it
    history = tmp_path / "synthetic_history.csv"
    history.write_text("orgnr,year,operating_revenue\n923609016,2016,123\n", encoding="utf-8")
    call_command("import_accounts", str(history), stdout=io.StringIO(), stderr=io.StringIO())
    server = AccountsServer()
    settings.RETNING_REGNSKAP_URL = server.url
    try:
        out = io.StringIO()
        call_command("fetch_accounts", stdout=out)
    finally:
        server.close()
    assert (
        "2 enterprises, 2 requests: 1 accounts (1 new or changed), 1 without accounts, 0 failed"
        in out.getvalue()
    )
    years = dict(
        AnnualAccounts.objects.filter(orgnr="923609016").values_list("year", "operating_revenue")
    )
    assert years == {2016: 123, 2025: 67956000000}
    assert AnnualAccounts.objects.get(year=2025).currency == "USD"


@pytest.mark.django_db
def test_fetch_accounts_before_any_register_import_is_a_clear_error(loaded_strategy):
    with pytest.raises(CommandError, match="run `retning import-brreg` first"):
        call_command("fetch_accounts", stdout=io.StringIO())


@pytest.mark.django_db
def test_an_answer_with_impossible_revenue_is_a_failure_not_a_stored_figure(
    loaded_strategy, tmp_path, settings, monkeypatch
):
    records = [record for record, _ in synthetic_units(2, seed=3)]
    records[0]["organisasjonsnummer"] = "923609016"
    records[1]["organisasjonsnummer"] = "939319891"
    for record in records:
        record["forretningsadresse"]["kommunenummer"] = "3401"
        record.pop("slettedato", None)
    path = tmp_path / "synthetic_enheter.json.gz"
    path.write_bytes(gzip.compress(json.dumps(records).encode()))
    call_command("import_brreg", str(path), stdout=io.StringIO())
    # the recorded answer of 939319891 with its revenue made absurd (synthetic)
    answer = json.loads(RECORDED["939319891"])
    answer[0]["resultatregnskapResultat"]["driftsresultat"]["driftsinntekter"][
        "sumDriftsinntekter"
    ] = 1e30
    monkeypatch.setitem(RECORDED, "939319891", json.dumps(answer).encode())
    server = AccountsServer()
    settings.RETNING_REGNSKAP_URL = server.url
    out = io.StringIO()
    try:
        with pytest.raises(CommandError, match="1 enterprise"):
            call_command("fetch_accounts", stdout=out, stderr=out)
    finally:
        server.close()
    assert "939319891: " in out.getvalue() and "is outside the range" in out.getvalue()
    assert set(AnnualAccounts.objects.values_list("orgnr", flat=True)) == {"923609016"}
