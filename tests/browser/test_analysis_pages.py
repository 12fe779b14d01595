"""The staff analysis pages in headless Chromium: no WCAG 2.1 A/AA violation found by
axe-core on a round with imported proposals, campaigns and themes, and a confirmation made
with the keyboard and without JavaScript."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, describe
from tests.consultation_analysis.conftest import imported_round_2024

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def synthetic_imported_round(loaded_strategy):
    return imported_round_2024(loaded_strategy)


def _login(page, live_server) -> None:
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("saksbehandler", password="et-langt-passord-123")
    user.groups.add(Group.objects.get(name="Saksbehandlere"))
    page.goto(f"{live_server.url}/stab/logg-inn/")
    page.fill("#id_username", "saksbehandler")
    page.fill("#id_password", "et-langt-passord-123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/stab/")


def test_analysis_pages_pass_axe(page, live_server, synthetic_imported_round):
    from django.contrib.auth.models import User

    from retning.consultation_analysis import service
    from retning.consultation_analysis.models import TagSuggestionRecord

    service.analyse(synthetic_imported_round)
    record = TagSuggestionRecord.objects.exclude(labels=[]).select_related("submission").first()
    suggested = record.submission_id
    _login(page, live_server)
    # One confirmation, so that the overview also shows its table of suggestion quality.
    user = User.objects.get(username="saksbehandler")
    service.confirm_tags(record.submission, user, record.labels[:1])
    failures = []
    slug = synthetic_imported_round.slug
    for path in (
        f"/stab/innspill/{suggested}/",
        f"/stab/analyse/{slug}/",
        f"/stab/analyse/{slug}/ko/",
        f"/stab/analyse/{slug}/kampanjer/",
        f"/stab/analyse/{slug}/temaer/",
        f"/stab/analyse/{slug}/tekster/",
        f"/en/stab/analyse/{slug}/",
    ):
        assert page.goto(live_server.url + path).status == 200, path
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}:\n{describe(violations)}")
    assert not failures, "\n\n".join(failures)


def test_confirm_tags_without_javascript(browser, live_server, synthetic_imported_round):
    from retning.consultation_analysis import service
    from retning.consultation_analysis.models import TagConfirmation

    service.analyse(synthetic_imported_round)
    context = browser.new_context(locale="nb-NO", java_script_enabled=False)
    page = context.new_page()
    try:
        _login(page, live_server)
        page.goto(f"{live_server.url}/stab/analyse/{synthetic_imported_round.slug}/ko/")
        first = page.locator("section.queue-item").first
        first.locator("button[type=submit]").click()
        page.wait_for_selector(".messages")
        assert "Lagret." in page.locator(".messages").inner_text()
    finally:
        context.close()
    assert TagConfirmation.objects.count() == 1
