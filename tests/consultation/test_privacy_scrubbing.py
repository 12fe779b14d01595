"""Senders' names and contact details in the text of a proposal: never on a public page or in
an export without personal data, whatever the length of the text."""

from __future__ import annotations

import csv
import io
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from retning.consultation import intake, review
from retning.consultation.models import Channel, Submission

pytestmark = pytest.mark.django_db


def _web_submission(round, name: str, text: str, consent: bool = False) -> Submission:
    values = {
        "name": name,
        "email": "synthetic@example.org",
        "submitter_type": "private",
        "organisation": "",
        "orgnr": "",
        "municipality": None,
        "text": text,
        "consent_publish_name": consent,
    }
    item, _ = intake.store_raw(round, Channel.WEB, intake.web_form_raw(values, [], timezone.now()))
    intake.process_item(item)
    return Submission.objects.get(item=item)


@pytest.fixture
def admin_user(db):
    user = User.objects.create_user("synthetic-admin", password="x")
    user.groups.add(Group.objects.get(name="Administratorer"))
    return user


def test_public_page_never_names_a_private_sender_in_the_text(
    client, synthetic_open_round, admin_user
):
    private = _web_submission(
        synthetic_open_round,
        "Per Hansen",
        "Vi trenger fiber i grendene. Per Hansen og naboene venter fortsatt.\n\nHilsen Per",
    )
    consenting = _web_submission(
        synthetic_open_round, "Kari Nordmann", "Kari Nordmann ønsker flere busser.", consent=True
    )
    for submission in (private, consenting):
        review.publish(submission, admin_user)
    html = client.get(reverse("consultation", args=["synthetic-open"])).text
    assert "Vi trenger fiber i grendene." in html
    assert "Per Hansen" not in html and "Hansen" not in html and "Hilsen Per" not in html
    assert "Kari Nordmann ønsker flere busser." in html


def test_export_of_a_150000_character_proposal_is_scrubbed(synthetic_open_round):
    # One long anonymous proposal used to stall the export for minutes (bench/scrubber.py
    # times it); here only the result is checked.
    long_text = ("Anne.Moen-Storgata " * 8_000)[:150_000] + "\nRing 912 34 567 eller a@b.no."
    submission = _web_submission(synthetic_open_round, "", "Kort tekst.")
    Submission.objects.filter(pk=submission.pk).update(text=long_text)
    out = io.BytesIO()

    class Sink(StringIO):
        buffer = out

    call_command(
        "submissions", "export", "--round", "synthetic-open", "--format", "csv", stdout=Sink()
    )
    limit = csv.field_size_limit(1_000_000)
    try:
        (row,) = csv.DictReader(io.StringIO(out.getvalue().decode("utf-8-sig")))
    finally:
        csv.field_size_limit(limit)
    text = row["Tekst slik den publiseres"]  # the headings are in bokmål by default
    assert len(text) > 149_000
    assert text.endswith("Ring [telefon] eller [e-post].")
