"""The strategy's index pages, the site icon, the footer for a signed-in reader, and the
tagger's key words: shown to the secretariat, not as the public description."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def test_favicon_is_a_real_icon_served_at_the_root(client, loaded_strategy):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"\x00\x00\x01\x00"  # ICO header: reserved 0, type 1 (icon)
    assert '<link rel="icon" href="/static/retning/favicon.ico"' in client.get("/").content.decode()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_main_strategy_index_lists_every_main_strategy(client, loaded_strategy, prefix):
    html = client.get(f"{prefix}/strategier/").content.decode()
    mains = list(loaded_strategy.main_strategies.all())
    assert len(mains) == 7
    for main in mains:
        assert f'href="{prefix}/strategier/{main.slug}/"' in html
    assert f'href="{prefix}/strategier/"' in client.get(f"{prefix}/").content.decode()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_focus_area_index_lists_every_focus_area(client, loaded_strategy, prefix):
    html = client.get(f"{prefix}/fokusomrader/").content.decode()
    areas = list(loaded_strategy.focus_areas.all())
    assert len(areas) == 5
    for area in areas:
        assert f'href="{prefix}/fokusomrader/{area.slug}/"' in html


def test_public_pages_do_not_show_the_taggers_key_words(client, loaded_strategy):
    main = loaded_strategy.main_strategies.get(slug="kompetanse-fou")
    area = loaded_strategy.focus_areas.get(slug="biookonomi")
    for url, words in (
        (f"/strategier/{main.slug}/", main.keywords),
        (f"/fokusomrader/{area.slug}/", area.keywords),
    ):
        html = client.get(url).content.decode()
        assert len(words) > 20
        shown = [w for w in words if f"<li>{w}</li>" in html]
        assert shown == []
        assert main.description[:40] in html or area.description[:40] in html


def test_staff_see_the_taggers_key_words(client, loaded_strategy):
    assert client.get("/stab/stikkord/")["Location"].startswith("/stab/logg-inn/")
    client.force_login(User.objects.create_user("sekretariat", is_staff=True))
    html = client.get("/stab/stikkord/").content.decode()
    for item in [*loaded_strategy.main_strategies.all(), *loaded_strategy.focus_areas.all()]:
        for word in item.keywords:
            assert f"<li>{word}</li>" in html
    assert 'href="/stab/stikkord/"' in client.get("/stab/").content.decode()


def test_footer_offers_login_to_visitors_and_the_staff_page_to_staff(client, loaded_strategy):
    html = client.get("/").content.decode()
    assert "For sekretariatet (innlogging)" in html
    client.force_login(User.objects.create_user("sekretariat", is_staff=True))
    html = client.get("/").content.decode()
    assert "For sekretariatet (innlogging)" not in html
    assert "Til sekretariatets forside" in html
