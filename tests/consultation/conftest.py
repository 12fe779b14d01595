from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.policy import SMTP

import pytest
from django.utils import timezone

SUBJECT = "Høringsinnspill næringsstrategi"


@pytest.fixture
def round_2024(loaded_strategy):
    """The real 2024 round from the bundled strategy (closed, e-mail only)."""
    return loaded_strategy.consultation_rounds.get(slug="2024")


@pytest.fixture
def synthetic_open_round(loaded_strategy):
    """An open round with the web form, for testing intake while a round is open."""
    from retning.consultation.models import ConsultationRound

    return ConsultationRound.objects.create(
        strategy=loaded_strategy,
        slug="synthetic-open",
        title="Syntetisk åpen høring",
        deadline=timezone.now() + dt.timedelta(days=30),
        email_address="post@example.org",
        email_subject=SUBJECT,
        web_form=True,
    )


def synthetic_mail(
    subject: str = SUBJECT,
    body: str = "Vi foreslår bedre kollektivtilbud mellom kommunene.",
    *,
    sender: str = "Kari Nordmann <kari@example.org>",
    message_id: str | None = "<synthetic-1@example.org>",
    received: str | None = "Fri, 14 Jun 2024 10:00:00 +0200",
    date: str | None = "Fri, 14 Jun 2024 09:59:00 +0200",
    extra_headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    html: str | None = None,
) -> bytes:
    """A well-formed synthetic e-mail built with the stdlib."""
    msg = EmailMessage()
    if received:
        msg["Received"] = f"from mx.example.org by mail.example.org; {received}"
    msg["From"] = sender
    msg["To"] = "post@example.org"
    msg["Subject"] = subject
    if date:
        msg["Date"] = date
    if message_id:
        msg["Message-ID"] = message_id
    for name, value in (extra_headers or {}).items():
        msg[name] = value
    if html is not None:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(body)
    for filename, ctype, data in attachments:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes(policy=SMTP)
