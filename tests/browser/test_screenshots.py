"""Screenshots of every public page and the main staff pages at phone (390 px) and desktop
(1280 px) width, for reviewing layout changes by eye. Not a check: it runs only when
RETNING_SCREENSHOTS names a folder (scripts/screenshots does that)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.test_narrow_screen import PASSWORD, staff_paths
from tests.consultation_analysis.conftest import import_synthetic_round
from tests.core.test_instructions_for_staff_only import crawl

OUT = os.environ.get("RETNING_SCREENSHOTS", "")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not OUT, reason="set RETNING_SCREENSHOTS=FOLDER to take screenshots"),
]
WIDTHS = (390, 1280)


def _name(path: str, width: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "forside"
    return f"{slug}-{width}.png"


def test_take_screenshots(browser, live_server, client, settings, snapshot_loaded):
    from django.contrib.auth.models import Group, User

    from retning.consultation_analysis import service

    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    folder = Path(OUT)
    folder.mkdir(parents=True, exist_ok=True)
    round_2024 = import_synthetic_round(snapshot_loaded.consultation_rounds.get(slug="2024"))
    service.analyse(round_2024)
    public = sorted(
        url
        for url, body in crawl(client, ["/", "/en/"]).items()
        if body.lstrip().startswith("<!DOCTYPE html>")
    )
    user = User.objects.create_user("saksbehandler", password=PASSWORD, is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=["Saksbehandlere", "Administratorer"]))
    staff = ["/stab/stikkord/", *staff_paths(round_2024.slug)]
    for width in WIDTHS:
        context = browser.new_context(locale="nb-NO", viewport={"width": width, "height": 900})
        page = context.new_page()
        for path in [*public, "/stab/logg-inn/"]:
            page.goto(live_server.url + path)
            page.screenshot(path=str(folder / _name(path, width)), full_page=True)
        page.goto(f"{live_server.url}/stab/logg-inn/")
        page.fill("#id_username", "saksbehandler")
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/stab/")
        for path in staff:
            page.goto(live_server.url + path)
            page.screenshot(path=str(folder / _name(path, width)), full_page=True)
        context.close()
    assert len(list(folder.glob("*.png"))) >= 2 * (len(public) + len(staff))
