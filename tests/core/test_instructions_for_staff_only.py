"""Instructions such as «Kjør retning refresh» are for the secretariat: every public page
(crawled from the front page, in both languages, with the goals API) is free of them, and
the staff statistics page has them."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

INSTRUCTION = re.compile(
    r"retning (?:refresh|import-data|import-brreg|import-accounts|fetch-accounts|setup)|Kjør «"
)
NOT_PUBLIC = ("/stab/", "/en/stab/", "/admin/", "/static/", "/data/radata/", "/en/data/radata/")


def crawl(client, start: list[str]) -> dict[str, str]:
    """Every page reachable from `start` by links, except staff pages and raw downloads."""
    pages: dict[str, str] = {}
    queue = list(start)
    while queue:
        url = queue.pop()
        if url in pages:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        pages[url] = body
        if response["Content-Type"].startswith("text/html"):
            for href in re.findall(r'href="(/[^"#?]*)', body):
                if not href.startswith(NOT_PUBLIC) and href not in pages:
                    queue.append(href)
    return pages


def test_no_public_page_tells_the_reader_to_run_a_command(client, settings, snapshot_loaded):
    settings.ALLOWED_HOSTS = ["testserver"]
    pages = crawl(client, ["/", "/en/", "/api/v1/goals/"])
    # front pages, four goals, six municipalities, main strategies, focus areas, the data
    # page, consultations, the goals API (JSON and CSV), in bokmål and English
    assert len(pages) > 60
    assert {"/mal/arbeidsplasser/", "/en/data/", "/api/v1/goals/co2-industri.csv"} <= set(pages)
    offending = {
        url: INSTRUCTION.search(body)[0] for url, body in pages.items() if INSTRUCTION.search(body)
    }
    assert offending == {}


def test_staff_statistics_page_says_what_to_run_and_where_to_get_the_files(client, snapshot_loaded):
    assert client.get("/stab/statistikk/")["Location"].startswith("/stab/logg-inn/")
    user = get_user_model().objects.create_user("sekretariat", is_staff=True)
    client.force_login(user)
    html = client.get("/stab/statistikk/").content.decode()
    assert "Kjør «retning refresh --source ssb» med internett (SSB tabell 07984)" in html
    assert "retning refresh --source miljodir" in html
    assert "retning import-accounts" in html
    assert "retning import-brreg" in html
    # NAV has no API: where HL060 is published
    assert "«HL060 Helt ledige. Fylke og kommune. Tidsserie måned»" in html
    assert (
        'href="https://www.nav.no/no/nav-og-samfunn/statistikk/'
        'arbeidssokere-og-stillinger-statistikk/helt-ledige"'
    ) in html
    assert "RETNING_NAV_URL er ikke satt." in html
    assert 'href="/stab/statistikk/"' in client.get("/stab/").content.decode()
    assert 'href="/stab/statistikk/"' in client.get("/data/").content.decode()


def test_site_without_a_strategy_tells_only_staff_what_to_run(client, settings):
    settings.DEBUG = False
    public = client.get("/")
    assert public.status_code == 404
    html = public.content.decode()
    assert "Strategien er ikke publisert ennå." in html
    assert not INSTRUCTION.search(html)
    client.force_login(get_user_model().objects.create_user("sekretariat", is_staff=True))
    assert "Kjør «retning setup»." in client.get("/").content.decode()
