"""The public form: open rounds only, validation with accessible errors, store first, receipt."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from retning.consultation.models import OutgoingMail, ReceivedItem, Submission
from retning.core.clientip import parse_networks
from tests.consultation.synthetic_files import synthetic_pdf

pytestmark = pytest.mark.django_db


def _post(client, round, **overrides):
    data = {
        "name": "Kari Nordmann",
        "email": "kari@example.org",
        "submitter_type": "private",
        "text": "Bygg gang- og sykkelvei mellom Skarnes og Kongsvinger.",
        **overrides,
    }
    return client.post(reverse("consultation", args=[round.slug]), data)


def test_form_shown_only_on_open_round_with_web_form(client, round_2024, synthetic_open_round):
    assert 'name="text"' in client.get(reverse("consultation", args=["synthetic-open"])).text
    closed = client.get(reverse("consultation", args=["2024"]))
    assert 'name="text"' not in closed.text
    assert "Høringsinnspill næringsstrategi" in closed.text  # how to send by e-mail


def test_post_to_closed_round_is_refused_and_nothing_registered(client, round_2024):
    response = _post(client, round_2024)
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_valid_post_is_stored_registered_and_shows_reference(client, synthetic_open_round):
    response = _post(
        client,
        synthetic_open_round,
        attachments=SimpleUploadedFile(
            "forslag.pdf", synthetic_pdf("Sykkelvei"), "application/pdf"
        ),
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    submission = Submission.objects.get()
    assert submission.reference in page.text
    assert re.fullmatch(r"H-\d{4}-0001", submission.reference)
    assert submission.channel == "web" and submission.on_time
    assert submission.item.status == ReceivedItem.Status.REGISTERED
    assert b"Skarnes" in bytes(submission.item.raw)  # the raw post is kept
    assert "Sykkelvei" in submission.attachments.get().text


def test_invalid_orgnr_error_is_announced_next_to_the_field(client, synthetic_open_round):
    response = _post(
        client,
        synthetic_open_round,
        submitter_type="business",
        organisation="AS",
        orgnr="974760674",
    )
    assert response.status_code == 400
    html = response.text
    assert 'id="id_orgnr_error"' in html
    field = re.search(r"<input[^>]*name=\"orgnr\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field
    assert "id_orgnr_error" in re.search(r'aria-describedby="([^"]*)"', field).group(1)
    assert 'role="alert"' in html and 'href="#id_orgnr"' in html
    assert not ReceivedItem.objects.exists()


def test_organisation_required_for_business(client, synthetic_open_round):
    response = _post(client, synthetic_open_round, submitter_type="business")
    assert response.status_code == 400
    assert 'id="id_organisation_error"' in response.text


def test_attachment_of_unknown_type_is_refused(client, synthetic_open_round):
    upload = SimpleUploadedFile("program.exe", b"MZ...", "application/octet-stream")
    response = _post(client, synthetic_open_round, attachments=upload)
    assert response.status_code == 400
    assert "program.exe" in response.text


def test_honeypot_post_is_refused(client, synthetic_open_round):
    response = _post(client, synthetic_open_round, website="http://spam.example")
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_rate_limit_per_address(client, synthetic_open_round, settings):
    settings.RETNING_FORM_RATE_LIMIT = 2
    codes = [_post(client, synthetic_open_round, text=f"Forslag {n}").status_code for n in range(3)]
    assert codes == [302, 302, 429]
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert _post(other, synthetic_open_round, text="Fra en annen adresse").status_code == 302
    assert Submission.objects.count() == 3


def test_post_without_csrf_token_is_rejected(synthetic_open_round):
    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, synthetic_open_round).status_code == 403
    assert not ReceivedItem.objects.exists()


def test_receipt_by_email_only_when_round_setting_is_on(client, synthetic_open_round):
    _post(client, synthetic_open_round)
    assert not OutgoingMail.objects.exists()
    synthetic_open_round.send_receipts = True
    synthetic_open_round.save()
    _post(client, synthetic_open_round, text="Enda et forslag")
    mail = OutgoingMail.objects.get()
    assert mail.to == "kari@example.org"
    assert "H-" in mail.subject and mail.sent_at is not None
    assert Submission.objects.get(number=2).reference in mail.body


def test_receipt_link_with_forged_token_is_not_found(client, synthetic_open_round):
    url = reverse("consultation-receipt", args=["synthetic-open", "1:forged"])
    assert client.get(url).status_code == 404


def test_rate_limit_behind_a_trusted_proxy_is_per_client(synthetic_open_round, settings):
    settings.RETNING_FORM_RATE_LIMIT = 1
    settings.RETNING_TRUSTED_PROXIES = parse_networks(["10.0.0.0/8"])
    # every request reaches Retning from the proxy at 10.0.0.2
    first = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")
    assert _post(first, synthetic_open_round, text="Fra den første").status_code == 302
    assert _post(second, synthetic_open_round, text="Fra den andre").status_code == 302
    assert _post(first, synthetic_open_round, text="Igjen fra den første").status_code == 429
    # a client cannot pick a fresh address by sending the header itself: the proxy appends
    spoofing = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7")
    assert _post(spoofing, synthetic_open_round, text="Forkledd").status_code == 429


def test_forwarded_for_from_an_untrusted_address_is_ignored(synthetic_open_round, settings):
    settings.RETNING_FORM_RATE_LIMIT = 1
    settings.RETNING_TRUSTED_PROXIES = []
    one = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.7")
    two = Client(REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert _post(one, synthetic_open_round, text="En").status_code == 302
    assert _post(two, synthetic_open_round, text="To").status_code == 429


def test_too_long_proposal_is_refused_with_a_clear_message(client, synthetic_open_round):
    limit = 100_000  # RETNING_PROPOSAL_MAX_CHARS's default
    response = _post(client, synthetic_open_round, text="x" * (limit + 1))
    assert response.status_code == 400
    assert "Innspillet er for langt: 100\xa0001 tegn, og grensen er 100\xa0000." in response.text
    assert not ReceivedItem.objects.exists()
    assert _post(client, synthetic_open_round, text="x" * limit).status_code == 302


def test_attachments_larger_than_the_cap_together_are_refused(
    client, synthetic_open_round, settings
):
    settings.RETNING_PROPOSAL_MAX_BYTES = 1024**2
    files = [SimpleUploadedFile(f"del{n}.txt", b"a" * (600 * 1024), "text/plain") for n in range(2)]
    response = _post(client, synthetic_open_round, attachments=files)
    assert response.status_code == 400
    assert "Vedleggene er til sammen 1,2 MB, og grensen er 1 MB til sammen." in response.text
    assert not ReceivedItem.objects.exists()
