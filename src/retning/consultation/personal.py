"""One person's data on request (export, deletion) and retention per round.

Erasing keeps a tombstone: the item's sha256 and Message-ID stay, so importing the same
message again is recognised as already present and the data does not come back.
"""

from __future__ import annotations

import base64
import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from retning.consultation.models import ConsultationRound, ReceivedItem, Submission, SubmissionEvent
from retning.consultation.privacy import scrub

ERASED = "[slettet]"


def _items_of(address: str):
    address = address.strip().lower()
    return ReceivedItem.objects.filter(
        Q(from_address__iexact=address) | Q(submission__email__iexact=address)
    ).distinct()


def export_person(address: str) -> dict:
    """Everything stored about one e-mail address, as a JSON-ready document."""
    items = _items_of(address).select_related("round")
    document = {"email": address, "exported_at": timezone.now().isoformat(), "items": []}
    for item in items:
        entry = {
            "round": item.round.slug,
            "channel": item.channel,
            "received_at": item.received_at.isoformat(),
            "status": item.status,
            "raw_base64": base64.b64encode(bytes(item.raw)).decode("ascii"),
        }
        submission = Submission.objects.filter(item=item).first()
        if submission:
            entry["submission"] = {
                "reference": submission.reference,
                "name": submission.name,
                "email": submission.email,
                "organisation": submission.organisation,
                "orgnr": submission.orgnr,
                "submitter_type": submission.submitter_type,
                "municipality": str(submission.municipality or ""),
                "consent_publish_name": submission.consent_publish_name,
                "text": submission.text,
                "published_at": submission.published_at.isoformat()
                if submission.published_at
                else None,
                "attachments": [a.filename for a in submission.attachments.defer("data")],
            }
        document["items"].append(entry)
    return document


def _erase_item(item: ReceivedItem, *, keep_text: bool, why: str) -> None:
    submission = Submission.objects.filter(item=item).first()
    if submission:
        submission.name = ""
        submission.email = ""
        submission.consent_publish_name = False
        if keep_text:
            submission.text = scrub(submission.text)
            submission.redacted_text = scrub(submission.redacted_text)
        else:
            submission.text = ERASED
            submission.redacted_text = ""
            submission.published_at = None
        submission.save()
        for attachment in submission.attachments.all():
            attachment.data = b""
            attachment.text = scrub(attachment.text) if keep_text else ""
            attachment.save()
    item.raw = b""
    item.from_address = ""
    item.subject = scrub(item.subject)
    item.personal_data_erased = True
    item.save()
    SubmissionEvent.objects.create(
        item=item,
        submission=submission,
        action="erase",
        detail=why,
        via=SubmissionEvent.Via.SYSTEM,
    )


@transaction.atomic
def delete_person(address: str) -> int:
    """Erase one person's data (on their request). Returns how many items were erased."""
    items = list(_items_of(address))
    for item in items:
        _erase_item(item, keep_text=False, why="request")
    return len(items)


@transaction.atomic
def apply_retention(now: dt.datetime | None = None) -> int:
    """Erase personal data in rounds whose retention period after the deadline has passed."""
    now = now or timezone.now()
    count = 0
    for consultation in ConsultationRound.objects.filter(retention_days__isnull=False):
        if consultation.deadline + dt.timedelta(days=consultation.retention_days) > now:
            continue
        for item in consultation.received_items.filter(personal_data_erased=False):
            _erase_item(item, keep_text=True, why="retention")
            count += 1
    return count
