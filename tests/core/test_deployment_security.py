"""Deployment security: the client address behind a trusted proxy, login lockout per user
and address, CSP and HSTS headers, `check --deploy` with production settings, licensed raw
files and the change log for staff with a role, and only http(s) links from data."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from retning.business.brreg_accounts import Accounts
from retning.business.importing import store_accounts
from retning.core.clientip import client_address, parse_networks
from retning.core.urls import is_http_url
from retning.goals.charts import goal_chart_svg
from retning.goals.engine import AnnualChange, Point, evaluate
from retning.stats.sources.base import Record
from retning.stats.store import ensure_dataset, record_fetch
from tests.processes import run_retning as retning

PROXIES = parse_networks(["10.0.0.0/8", "2001:db8::/32"])


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("203.0.113.7", "", "203.0.113.7"),
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not a proxy: header ignored
        ("10.0.0.2", "203.0.113.7", "203.0.113.7"),
        ("10.0.0.2", "192.0.2.66, 203.0.113.7", "203.0.113.7"),  # client's own entry ignored
        ("10.0.0.2", "203.0.113.7, 10.1.1.1", "203.0.113.7"),  # two proxies in a row
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "not-an-address", "10.0.0.2"),
        ("10.0.0.2", "203.0.113.7:51234", "203.0.113.7"),
        ("2001:db8::5", "[2001:db8:ffff::1]:443, 2a00::9", "2a00::9"),
        ("::ffff:10.0.0.2", "203.0.113.7", "203.0.113.7"),
    ],
)
def test_client_address_believes_only_trusted_proxies(remote, forwarded, client):
    assert client_address(remote, forwarded, PROXIES) == client


def test_a_bad_proxy_setting_is_named():
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300' is not an IP address or CIDR range"):
        parse_networks(["10.0.0.0/8", "10.0.0.300"])


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.ssb.no/statbank/table/07459", True),
        ("HTTP://example.no/", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example/", False),
        ("https://", False),
        ("vbscript:msgbox", False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_addresses_may_be_links(url, ok):
    assert is_http_url(url) is ok


def test_goal_chart_has_no_inline_css():
    evaluation = evaluate(
        AnnualChange(2016, 2028, 100), [Point(y, 1000 + 50 * (y - 2016)) for y in range(2016, 2023)]
    )
    svg = goal_chart_svg(
        evaluation,
        title="Syntetisk",
        description="Syntetisk figur",
        labels={"observed": "Faktisk", "target": "Mål", "projection": "Framskriving"},
    )
    assert "style" not in svg  # neither style attributes nor a <style> element
    assert 'stroke-linecap="butt"' in svg and 'fill="' in svg


# --- login lockout ------------------------------------------------------------------------
def behind_proxy(client_address_: str) -> Client:
    return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address_)


def login(client: Client, username: str, password: str) -> int:
    return client.post("/stab/logg-inn/", {"username": username, "password": password}).status_code


@pytest.mark.django_db
def test_failed_logins_lock_one_user_at_one_address_only(settings):
    settings.RETNING_TRUSTED_PROXIES = PROXIES
    users = get_user_model().objects
    users.create_user("kari", password="kari-sitt-passord-1")
    users.create_user("ola", password="ola-sitt-passord-1")
    attacker = behind_proxy("203.0.113.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, "kari", "feil")
    assert login(attacker, "kari", "kari-sitt-passord-1") == 429  # locked there
    assert login(attacker, "ola", "ola-sitt-passord-1") == 302  # another user is not
    assert login(behind_proxy("198.51.100.4"), "kari", "kari-sitt-passord-1") == 302


# --- headers and deployment checks ---------------------------------------------------------
@pytest.mark.django_db
def test_every_page_has_a_content_security_policy(client, loaded_strategy):
    policy = client.get("/").headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in policy
    assert "unsafe-inline" not in policy


def production_env(tmp_path, **extra: str) -> dict[str, str]:
    # a clean environment: nothing of the test run's own (RETNING_*, DATABASE_URL, and
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests set) may leak into "production"
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return env | {
        "RETNING_DATA_DIR": str(tmp_path),
        "RETNING_SECURE_COOKIES": "true",
        "RETNING_SECRET_KEY": "syntetisk-" + "k7Q2vX9pL4mR8sT1wZ6yB3nC5dF0gH" * 2,
        "RETNING_ALLOWED_HOSTS": "retning.example.no",
        **extra,
    }


def test_check_deploy_has_no_errors_with_production_settings(tmp_path):
    result = retning("check", "--deploy", env=production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "ERRORS" not in result.stderr
    # the one thing left is a choice, and it says so: receipts are files until SMTP is set
    assert "retning.W001" in result.stderr and "security." not in result.stderr
    with_mail = retning(
        "check", "--deploy", env=production_env(tmp_path, RETNING_SMTP_HOST="smtp.example.no")
    )
    assert with_mail.returncode == 0
    assert "System check identified no issues" in with_mail.stdout + with_mail.stderr


def test_https_setting_sends_hsts_and_redirects_http(tmp_path):
    script = (
        "import django, os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'retning.settings'\n"
        "django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='retning.example.no')\n"
        "plain = c.get('/stab/logg-inn/')\n"
        "secure = c.get('/stab/logg-inn/', secure=True)\n"
        "print(plain.status_code, plain['Location'])\n"
        "print(secure.status_code, secure['Strict-Transport-Security'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "301 https://retning.example.no/stab/logg-inn/",
        "200 max-age=31536000; includeSubDomains; preload",
    ]


# --- licensed raw files, the change log, links from data ------------------------------------
@pytest.fixture
def reader():
    user = get_user_model().objects.create_user("leser", password="leser-sitt-passord-1")
    user.groups.add(Group.objects.get(name="Lesere"))
    return user


@pytest.fixture
def without_role():
    return get_user_model().objects.create_user("uten-rolle", password="uten-rolle-passord-1")


@pytest.fixture
def licensed_fetch(loaded_strategy, settings, tmp_path):
    settings.RETNING_RAW_DIR = tmp_path / "raw"
    fetch, _ = store_accounts(
        [Accounts("923609016", 2016, None, None, "SELSKAP", "NOK", 1000.0)],
        raw=b"orgnr,year,operating_revenue\n923609016,2016,1000\n",
        raw_name="synthetic_lisensiert.csv",
        licensed=True,
    )
    return fetch


@pytest.mark.django_db
def test_licensed_raw_file_is_for_staff_with_a_role_only(
    client, licensed_fetch, reader, without_role
):
    url = f"/data/radata/{licensed_fetch.pk}/"
    assert client.get(url).status_code == 404
    assert "synthetic_lisensiert" not in client.get("/data/").text
    client.force_login(without_role)
    assert client.get(url).status_code == 404
    client.force_login(reader)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"orgnr,year")


@pytest.mark.django_db
def test_open_raw_data_stays_public(client, loaded_strategy, settings, tmp_path):
    settings.RETNING_RAW_DIR = tmp_path / "raw"
    fetch = record_fetch(
        ensure_dataset("ssb-07459"),
        via="import",
        records=[Record("population", "3401", "2020", 1, "persons")],
        raw=b"synthetic open data",
    )
    assert client.get(f"/data/radata/{fetch.pk}/").status_code == 200


@pytest.mark.django_db
def test_change_log_is_shown_to_staff_with_a_role_only(
    client, loaded_strategy, reader, without_role
):
    client.force_login(without_role)
    page = client.get("/stab/").text
    assert "Siste endringer" not in page and "Du har ingen rolle" in page
    client.force_login(reader)
    assert "Siste endringer" in client.get("/stab/").text


@pytest.mark.django_db
def test_an_address_from_data_becomes_a_link_only_if_http(
    client, loaded_strategy, tmp_path, settings
):
    settings.RETNING_RAW_DIR = tmp_path / "raw"
    # stored by a path that does not check (an older import), shown on /data/ all the same
    for year, url in (
        ("2020", "javascript:alert(document.cookie)"),
        ("2021", "https://www.ssb.no/"),
    ):
        record_fetch(
            ensure_dataset("kommuneprofilen-arbeidsmarked"),
            via="import",
            records=[Record("employed_by_workplace", "3401", year, 15000, "persons")],
            raw=f"synthetic {year}".encode(),
            url=url,
        )
    page = client.get("/data/").text
    assert 'href="javascript:' not in page.lower()
    assert 'href="https://www.ssb.no/"' in page
