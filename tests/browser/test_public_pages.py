"""Every public page, in bokmål and English, in headless Chromium: no WCAG 2.1 A/AA
violation found by axe-core, and usable with the keyboard."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/mal/arbeidsplasser/",
    "/mal/omsetning/",
    "/mal/co2-industri/",
    "/mal/inkludering/",
    "/strategier/baerekraftig-vekst/",
    "/strategier/digitalisering-ki/",
    "/fokusomrader/biookonomi/",
    "/fokusomrader/kunnskapsintensiv-tjenesteyting/",
    "/kommuner/kongsvinger/",
    "/kommuner/grue/",
    "/horing/",
    "/horing/2024/",
    "/stab/logg-inn/",
]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_public_pages_have_no_wcag_violations(page, live_server, snapshot_loaded, prefix):
    failures = []
    for path in PUBLIC_PAGES:
        response = page.goto(f"{live_server.url}{prefix}{path}")
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == ("en" if prefix else "nb")
        violations = axe_violations(page)
        if violations:
            failures.append(f"{prefix}{path}:\n{describe(violations)}")
    assert not failures, "\n\n".join(failures)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(
    page, live_server, loaded_strategy
):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnholdet"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switch_works_with_the_keyboard(page, live_server, loaded_strategy):
    page.goto(live_server.url + "/mal/omsetning/")
    page.get_by_role("link", name="English").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/mal/omsetning/")
    assert page.locator("h1").inner_text() == "70–100 per cent real growth in turnover by 2030"


def test_axe_check_does_find_a_violation_when_there_is_one(page):
    # guards the harness itself: a page with an unlabelled input and low contrast must fail
    page.set_content(
        '<html lang="nb"><body><main><h1 style="color:#aaa;background:#fff">Tittel</h1>'
        '<input type="text"></main></body></html>'
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert {"label", "color-contrast"} <= ids
