"""A phone screen (390 CSS pixels wide) in headless Chromium: no page, public or staff, is
wider than the screen (wide tables scroll inside their own labelled container), and a
representative set of pages has no WCAG 2.1 A/AA violation at that width either."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, describe
from tests.consultation_analysis.conftest import import_synthetic_round
from tests.core.test_instructions_for_staff_only import crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "et-langt-passord-123"

# The width of the widest element that sticks out, to name the culprit in a failure.
WIDEST = """() => {
  let worst = null, right = 0;
  for (const el of document.querySelectorAll('body *')) {
    let inside = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') { inside = true; break; }
    }
    if (inside) continue;
    const box = el.getBoundingClientRect();
    if (box.right > right + 0.5) { right = box.right; worst = el; }
  }
  if (!worst) return '';
  const id = worst.id ? '#' + worst.id : '';
  const cls = worst.className && typeof worst.className === 'string'
    ? '.' + worst.className.trim().split(/\\s+/).join('.') : '';
  return worst.tagName.toLowerCase() + id + cls + ' right=' + Math.round(right);
}"""


def staff_paths(round_slug: str) -> list[str]:
    from retning.consultation.models import Submission

    submission = Submission.objects.order_by("pk").first()
    return [
        "/stab/",
        "/stab/statistikk/",
        "/stab/innspill/",
        f"/stab/innspill/{submission.pk}/",
        "/stab/mottatt/",
        "/stab/utboks/",
        f"/stab/analyse/{round_slug}/",
        f"/stab/analyse/{round_slug}/ko/",
        f"/stab/analyse/{round_slug}/kampanjer/",
        f"/stab/analyse/{round_slug}/temaer/",
        f"/stab/analyse/{round_slug}/tekster/",
        "/en/stab/",
        f"/en/stab/innspill/{submission.pk}/",
    ]


def login(page, live_server) -> None:
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("saksbehandler", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Saksbehandlere"))
    page.goto(f"{live_server.url}/stab/logg-inn/")
    page.fill("#id_username", "saksbehandler")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/stab/")


def test_no_page_is_wider_than_a_phone_screen(
    browser, live_server, client, settings, snapshot_loaded
):
    from retning.consultation_analysis import service

    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    round_2024 = import_synthetic_round(snapshot_loaded.consultation_rounds.get(slug="2024"))
    service.analyse(round_2024)
    public = [
        url
        for url, body in crawl(client, ["/", "/en/"]).items()
        if body.lstrip().startswith("<!DOCTYPE html>")
    ]
    assert len(public) > 50
    context = browser.new_context(locale="nb-NO", viewport=PHONE)
    page = context.new_page()
    try:
        too_wide = {}
        for path in [*sorted(public), "/stab/logg-inn/"]:
            assert page.goto(live_server.url + path).status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[path] = f"{width} px ({page.evaluate(WIDEST)})"
        login(page, live_server)
        for path in staff_paths(round_2024.slug):
            assert page.goto(live_server.url + path).status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[path] = f"{width} px ({page.evaluate(WIDEST)})"
    finally:
        context.close()
    assert not too_wide, "\n".join(f"{path}: {what}" for path, what in too_wide.items())


# Pages with the widest tables, forms and charts; the full set at desktop width is in
# test_public_pages.py.
NARROW_AXE_PAGES = [
    "/",
    "/mal/arbeidsplasser/",
    "/mal/inkludering/",
    "/strategier/baerekraftig-vekst/",
    "/kommuner/kongsvinger/",
    "/data/",
    "/horing/2024/",
    "/en/mal/omsetning/",
]


def test_pages_on_a_phone_screen_have_no_wcag_violations(browser, live_server, snapshot_loaded):
    context = browser.new_context(locale="nb-NO", viewport=PHONE)
    page = context.new_page()
    try:
        failures = []
        for path in NARROW_AXE_PAGES:
            assert page.goto(live_server.url + path).status == 200, path
            violations = axe_violations(page)
            if violations:
                failures.append(f"{path}:\n{describe(violations)}")
    finally:
        context.close()
    assert not failures, "\n\n".join(failures)
