"""The public proposal form in headless Chromium: keyboard only, screen-reader wiring,
and no WCAG 2.1 A/AA violation found by axe-core (empty form, errors, receipt)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_round(loaded_strategy):
    from retning.consultation.models import ConsultationRound

    return ConsultationRound.objects.create(
        strategy=loaded_strategy,
        slug="synthetic-open",
        title="Syntetisk åpen høring",
        deadline=timezone.now() + dt.timedelta(days=30),
        email_address="post@example.org",
        email_subject="Høringsinnspill næringsstrategi",
        web_form=True,
    )


def _tab_to(page, selector_js: str, limit: int = 80) -> None:
    """Press Tab until the element matched by the JS expression has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === ({selector_js})"):
            return
    raise AssertionError(f"never reached {selector_js} with Tab")


def test_form_is_usable_with_keyboard_only_and_passes_axe(page, live_server, open_round):
    page.goto(f"{live_server.url}/horing/synthetic-open/")
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # Submit the empty form: errors are announced and tied to their fields.
    _tab_to(page, "document.querySelector('form.form button[type=submit]')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    assert page.locator(".error-summary[role=alert]").count() == 1
    name_input = page.locator("#id_name")
    assert name_input.get_attribute("aria-invalid") == "true"
    assert "id_name_error" in name_input.get_attribute("aria-describedby")
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # Now fill it in, keyboard only.
    _tab_to(page, "document.getElementById('id_name')")
    page.keyboard.type("Kari Nordmann")
    page.keyboard.press("Tab")
    page.keyboard.type("kari@example.org")
    page.keyboard.press("Tab")  # into the radio group
    page.keyboard.press("Space")
    assert page.evaluate("document.querySelector('input[name=submitter_type]:checked').value") == (
        "private"
    )
    _tab_to(page, "document.getElementById('id_text')")
    page.keyboard.type("Bygg sykkelvei mellom Skarnes og Kongsvinger.")
    _tab_to(page, "document.getElementById('id_consent_publish_name')")
    page.keyboard.press("Space")
    _tab_to(page, "document.querySelector('form.form button[type=submit]')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/kvittering/**")
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"H-\d{4}-0001", reference)
    violations = axe_violations(page)
    assert not violations, describe(violations)

    from retning.consultation.models import Submission

    submission = Submission.objects.get()
    assert (submission.name, submission.consent_publish_name) == ("Kari Nordmann", True)


def test_honeypot_is_hidden_from_keyboard_and_screen_readers(page, live_server, open_round):
    page.goto(f"{live_server.url}/horing/synthetic-open/")
    assert not page.locator("#id_website").is_visible()
    for _ in range(80):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") != "id_website"


def test_staff_review_pages_pass_axe(page, live_server, open_round):
    from django.contrib.auth.models import Group, User

    from retning.consultation import intake
    from retning.consultation.models import Channel, Submission
    from tests.consultation.conftest import synthetic_mail

    user = User.objects.create_user("saksbehandler", password="et-langt-passord-123")
    user.groups.add(Group.objects.get(name="Administratorer"))
    # Without Received headers: the pages flag the sender's clock for staff.
    item, _ = intake.store_raw(open_round, Channel.EMAIL, synthetic_mail(received=None))
    intake.process_item(item)
    other, _ = intake.store_raw(
        open_round, Channel.EMAIL, synthetic_mail("Annet emne", received=None)
    )
    intake.process_item(other)
    page.goto(f"{live_server.url}/stab/logg-inn/")
    page.fill("#id_username", "saksbehandler")
    page.fill("#id_password", "et-langt-passord-123")
    page.keyboard.press("Enter")
    page.wait_for_url("**/stab/")
    failures = []
    for path in (
        "/stab/",
        "/stab/innspill/",
        f"/stab/innspill/{Submission.objects.get().pk}/",
        "/stab/mottatt/?status=unmatched",
        "/stab/utboks/",
        "/stab/statistikk/",
    ):
        assert page.goto(live_server.url + path).status == 200, path
        violations = axe_violations(page)
        if violations:
            failures.append(f"{path}:\n{describe(violations)}")
    # A refused action: the page comes back with the error next to the field.
    page.goto(f"{live_server.url}/stab/innspill/{Submission.objects.first().pk}/")
    page.fill("#a-duplicate-original", "H-1999-0001")
    page.click("form:has(#a-duplicate-original) button[type=submit]")
    assert "Fant ikke innspill «H-1999-0001»" in page.content()
    violations = axe_violations(page)
    if violations:
        failures.append(f"refused action:\n{describe(violations)}")
    assert not failures, "\n\n".join(failures)
