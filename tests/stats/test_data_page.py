"""The public data page and raw downloads."""

from __future__ import annotations

import re

import pytest

from retning.stats.models import Dataset, Fetch
from tests.stats.conftest import SNAPSHOT_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_ok(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    return client


def test_data_page_offline_says_which_series_are_missing_and_how_to_fill_them(
    client_ok, snapshot_loaded
):
    html = client_ok.get("/data/").content.decode()
    missing = html.split('id="missing-heading"')[1].split("</section>")[0]
    assert "Sysselsatte etter arbeidssted" in missing
    assert "Eidskog, Grue, Nord-Odal, Sør-Odal, Åsnes" in missing
    assert "Klimagassutslipp etter sektor" in missing
    assert "når sekretariatet henter statistikken" in missing
    assert "retning refresh" not in missing and "retning import-data" not in missing
    assert "Befolkning 1. januar" not in missing


def test_data_page_shows_population_of_all_six_and_kongsvinger_jobs_with_sources(
    client_ok, snapshot_loaded
):
    html = client_ok.get("/data/").content.decode()
    assert "17\N{NO-BREAK SPACE}279" in html or "17 279" in html  # Kongsvinger 2005
    assert "8\N{NO-BREAK SPACE}262" in html or "8 262" in html  # Kongsvinger jobs 2005
    assert "https://www.ssb.no/statbank/table/07459" in html
    assert "https://kommuneprofilen.no/profil/Kommunefakta_Kommune" in html
    assert "NLOD 2.0" in html


def test_data_page_in_english(client_ok, snapshot_loaded):
    html = client_ok.get("/en/data/").content.decode()
    assert "Statistics and sources" in html
    assert "What is missing" in html


def test_data_page_query_count_does_not_grow_with_datasets(
    client_ok, snapshot_loaded, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        client_ok.get("/data/")


def test_raw_download_returns_the_exact_bytes_received(client_ok, snapshot_loaded):
    fetch = Fetch.objects.filter(raw_name="population_total.csv").first()
    response = client_ok.get(f"/data/radata/{fetch.pk}/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == (SNAPSHOT_DIR / "population_total.csv").read_bytes()


def test_raw_download_of_unknown_fetch_is_404(client_ok, snapshot_loaded):
    assert client_ok.get("/data/radata/999999/").status_code == 404


def test_data_page_shows_a_failed_refresh_to_staff_only(client_ok, snapshot_loaded):
    from django.contrib.auth import get_user_model

    from retning.stats.models import Dataset
    from retning.stats.store import record_failure

    record_failure(
        Dataset.objects.get(slug="ssb-07459"), message="SSB: synthetic failure for the test"
    )
    assert "synthetic failure" not in client_ok.get("/data/").content.decode()
    staff = get_user_model().objects.create_user("stab", password="x", is_staff=True)
    client_ok.force_login(staff)
    html = client_ok.get("/data/").content.decode()
    assert "SSB: synthetic failure for the test" in html
    assert "de forrige tallene er beholdt" in html


def test_admin_lists_fetches_read_only(client_ok, snapshot_loaded):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin", password="x")
    client_ok.force_login(admin)
    response = client_ok.get("/admin/stats/fetch/")
    assert response.status_code == 200
    assert "SSB 07459: Befolkning" in response.content.decode()
    assert client_ok.get("/admin/stats/observation/add/").status_code == 403


def test_data_page_gives_every_dataset_a_licence_and_names_secondary_sources(
    client_ok, snapshot_loaded
):
    html = client_ok.get("/data/").content.decode()
    licences = re.findall(r"<dt>Lisens</dt><dd>(.*?)</dd>", html)
    assert len(licences) == Dataset.objects.count() > 5
    assert "ikke oppgitt" not in licences and "" not in licences
    assert "Ikke oppgitt av KommuneProfilen; tallene er SSBs (NLOD 2.0)" in licences
    # NAV's workbook gives "Kilde: NAV" and no licence: none is claimed for NAV's figures,
    # first-hand or quoted in the news
    claimed = {
        title: licence
        for title, licence in re.findall(
            r"<h[23][^>]*>(.*?)</h[23]>.*?<dt>Lisens</dt><dd>(.*?)</dd>", html, re.S
        )
        if title.startswith("NAV")
    }
    assert len(claimed) == 2, claimed
    assert not [licence for licence in claimed.values() if "NLOD" in licence]
    assert "Ingen lisens oppgitt i NAVs fil; den oppgir «Kilde: NAV»" in claimed.values()
    assert "KommuneProfilen (kilde: SSB) (sekundærkilde)" in html
    # the snapshot's datasets were last updated when its figures were collected
    assert "samlet inn november 2026 (medfølgende øyeblikksbilde)" in html
