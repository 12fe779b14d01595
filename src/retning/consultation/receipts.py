"""Receipts by e-mail: queued in the outbox (staff can see it), then sent. Never to robots."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from retning.consultation.models import OutgoingMail, Submission


def should_send_receipt(submission: Submission) -> bool:
    """Only when the round's setting is on, there is an address, and it is not automatic mail."""
    return bool(
        submission.round.send_receipts and submission.email and not submission.item.automatic
    )


def send_receipt(submission: Submission) -> OutgoingMail | None:
    if not should_send_receipt(submission):
        return None
    with translation.override("nb"):
        subject = render_to_string(
            "consultation/receipt_subject.txt", {"submission": submission}
        ).strip()
        body = render_to_string("consultation/receipt_body.txt", {"submission": submission})
    outgoing = OutgoingMail.objects.create(
        submission=submission, to=submission.email, subject=subject[:300], body=body
    )
    try:
        send_mail(subject, body, None, [submission.email])
    except Exception as exc:  # kept in the outbox with the error; staff can see it
        outgoing.error = f"{type(exc).__name__}: {exc}"[:2000]
    else:
        outgoing.sent_at = timezone.now()
    outgoing.save()
    return outgoing
