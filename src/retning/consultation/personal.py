"""One person's data on request (export, erasure) and retention per round.

What Retning holds about an e-mail address, wherever it is:

- the items the person sent, in every state (registered, waiting for staff, unreadable,
  never processed): those whose sender is the address, and those whose sender cannot be
  told that carry the address in their raw bytes;
- their proposals and attachments (names, text and bytes) and the events on them;
- the outbox (`OutgoingMail`) and, with the file mail backend, the sent-mail files;
- the address written anywhere else: another proposal's text, an attachment's text, a
  note, the stored analysis.

`export_person` lists all of it; `delete_person` erases all of it. Erasing keeps a
tombstone: the item's sha256 and Message-ID stay, so importing the same message again is
recognised as already present and the data does not come back.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from retning.consultation import mail, outlook
from retning.consultation.models import (
    ConsultationRound,
    OutgoingMail,
    ReceivedItem,
    Submission,
    SubmissionEvent,
)
from retning.consultation.privacy import neutral_filename, scrub

ERASED = "[slettet]"
# Where the address may be written besides the person's own records. Rounds are
# configuration (their contact address is staff's), so they are left out.
MENTION_APPS = ("consultation", "consultation_analysis")
NOT_SEARCHED = {ConsultationRound}
# The file mail backend separates messages in a file with this line.
SENT_MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def _normal(address: str) -> str:
    return address.strip().lower()


def _pattern(address: str) -> re.Pattern[str]:
    return re.compile(re.escape(address), re.IGNORECASE)


# --- finding --------------------------------------------------------------------------


def _sender_of(item: ReceivedItem, raw: bytes) -> str | None:
    """The sender's address (lower case; "" when there is none), or None when the item
    cannot be read well enough to tell."""
    email = Submission.objects.filter(item=item).values_list("email", flat=True).first()
    if email:
        return email.lower()
    if item.from_address:
        return item.from_address.lower()
    try:
        if item.channel == "web":
            return str(json.loads(raw.decode("utf-8"))["fields"].get("email") or "").lower()
        return mail.parse_message(raw).from_address.lower()
    except Exception:  # unreadable: whose it is cannot be told
        return None


def _items(address: str) -> tuple[list[int], list[int]]:
    """(the person's own items, other items whose raw bytes carry the address)."""
    own = set(
        ReceivedItem.objects.filter(
            Q(from_address__iexact=address) | Q(submission__email__iexact=address)
        ).values_list("pk", flat=True)
    )
    needles = _raw_needles(address)
    mentioned = []
    candidates = (
        ReceivedItem.objects.filter(personal_data_erased=False)
        .exclude(pk__in=own)
        .only("pk", "raw", "channel", "from_address")
        .order_by("pk")
    )
    for item in candidates.iterator(chunk_size=200):
        raw = bytes(item.raw)
        lowered = raw.lower()
        if not any(needle in lowered for needle in needles):
            continue
        sender = _sender_of(item, raw)
        if sender is None or sender == address:
            own.add(item.pk)
        else:
            mentioned.append(item.pk)
    return sorted(own), mentioned


def _searched_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
    ]


def _mentions(address: str) -> list[tuple[models.Model, list[str]]]:
    """Every record of the consultation apps with the address in a text field: (record,
    field names)."""
    found = []
    for label in MENTION_APPS:
        for model in apps.get_app_config(label).get_models():
            fields = _searched_fields(model)
            if model in NOT_SEARCHED or not fields:
                continue
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field.name}__icontains": address})
            for record in model.objects.filter(condition).order_by("pk"):
                names = [
                    f.name
                    for f in fields
                    if address in json.dumps(getattr(record, f.attname), ensure_ascii=False).lower()
                ]
                if names:
                    found.append((record, names))
    return found


def _outbox(address: str, submissions: list[int]):
    return OutgoingMail.objects.filter(
        Q(to__iexact=address) | Q(submission_id__in=submissions) | Q(body__icontains=address)
    ).order_by("pk")


def sent_mail_dirs() -> list[Path]:
    """Where the file mail backend writes: the configured folder, and the data dir's
    `sent-mail` (files written before a switch to SMTP stay there)."""
    dirs = [Path(settings.DATA_DIR) / "sent-mail"]
    for mailer in getattr(settings, "MAILERS", {}).values():
        if mailer.get("BACKEND", "").endswith("filebased.EmailBackend"):
            path = mailer.get("OPTIONS", {}).get("file_path")
            if path:
                dirs.append(Path(path))
    unique = []
    for path in dirs:
        if path.resolve() not in {p.resolve() for p in unique}:
            unique.append(path)
    return [p for p in unique if p.is_dir()]


def _message_text(message: bytes) -> str:
    """A sent message as searchable lower-case text: its bytes and its decoded subject and
    body (a body may be sent base64- or quoted-printable-encoded)."""
    text = message.decode("utf-8", "replace")
    try:
        parsed = mail.parse_message(message)
    except Exception:
        return text.lower()
    return " ".join([text, parsed.subject, parsed.body]).lower()


def _sent_mail(
    address: str, about: set[str] | None = None
) -> list[tuple[Path, list[bytes], list[bytes]]]:
    """Sent-mail files with messages carrying the address (and, when `about` is given, one
    of those texts too, such as reference numbers): (file, those messages, the others)."""
    found = []
    for folder in sent_mail_dirs():
        for path in sorted(folder.iterdir()):
            if not path.is_file():
                continue
            messages = [m for m in path.read_bytes().split(SENT_MAIL_SEPARATOR) if m.strip()]
            texts = [_message_text(m) for m in messages]
            carrying = [
                m
                for m, text in zip(messages, texts, strict=True)
                if address in text and (about is None or any(a.lower() in text for a in about))
            ]
            if carrying:
                found.append((path, carrying, [m for m in messages if m not in carrying]))
    return found


# --- export ---------------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _item_entry(item: ReceivedItem) -> dict:
    entry = {
        "round": item.round.slug,
        "channel": item.channel,
        "status": item.status,
        "received_at": _iso(item.received_at),
        "arrived_at": _iso(item.arrived_at),
        "from_address": item.from_address,
        "subject": item.subject,
        "source": item.source,
        "raw_base64": base64.b64encode(bytes(item.raw)).decode("ascii"),
    }
    submission = Submission.objects.filter(item=item).select_related("round").first()
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
            "subject": submission.subject,
            "text": submission.text,
            "redacted_text": submission.redacted_text,
            "published_at": _iso(submission.published_at),
            "attachments": [
                {"filename": a.filename, "size": a.size, "text": a.text}
                for a in submission.attachments.defer("data")
            ],
        }
    return entry


def export_person(address: str) -> dict:
    """Everything held about one e-mail address, as a JSON-ready document."""
    address = _normal(address)
    own, mentioned = _items(address)
    items = ReceivedItem.objects.filter(pk__in=own).select_related("round").order_by("pk")
    submissions = list(Submission.objects.filter(item_id__in=own).values_list("pk", flat=True))
    own_records = {("receiveditem", pk) for pk in own} | {("submission", pk) for pk in submissions}
    elsewhere = [
        {"record": f"{record._meta.label_lower}:{record.pk}", "fields": names}
        for record, names in _mentions(address)
        if (record._meta.model_name, record.pk) not in own_records
        and record._meta.model_name != "outgoingmail"
    ]
    elsewhere += [
        {"record": f"consultation.receiveditem:{pk}", "fields": ["raw"]}
        for pk in mentioned
        if not any(e["record"] == f"consultation.receiveditem:{pk}" for e in elsewhere)
    ]
    return {
        "email": address,
        "exported_at": timezone.now().isoformat(),
        "items": [_item_entry(item) for item in items],
        "outbox": [
            {
                "to": m.to,
                "subject": m.subject,
                "body": m.body,
                "created_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
            }
            for m in _outbox(address, submissions)
        ],
        "sent_mail": [
            {"file": str(path), "message": message.decode("utf-8", "replace")}
            for path, carrying, _ in _sent_mail(address)
            for message in carrying
        ],
        "elsewhere": elsewhere,
    }


# --- erasure --------------------------------------------------------------------------


@dataclass
class Erased:
    items: int = 0
    outbox: int = 0
    sent_mail: int = 0
    mentions: int = 0

    def __str__(self) -> str:
        return (
            f"erased: {self.items}  outbox: {self.outbox}  sent mail: {self.sent_mail}"
            f"  mentions: {self.mentions}"
        )


def _erase_events(events, *, keep_text: bool) -> None:
    for event in events:
        if event.action.startswith("submitter:"):
            event.before = ERASED if event.before else ""
            event.after = ERASED if event.after else ""
        elif event.action == "redact" and not keep_text:
            event.before = event.after = ""
        else:
            event.before, event.after = scrub(event.before), scrub(event.after)
        event.detail = scrub(event.detail)
        event.save(update_fields=["before", "after", "detail"])


def _erase_item(item: ReceivedItem, *, keep_text: bool, why: str) -> None:
    submission = Submission.objects.filter(item=item).first()
    if submission:
        submission.name = ""
        submission.email = ""
        submission.consent_publish_name = False
        submission.subject = scrub(submission.subject)
        submission.rejection_reason = scrub(submission.rejection_reason)
        submission.on_time_override_reason = scrub(submission.on_time_override_reason)
        if keep_text:
            submission.text = scrub(submission.text)
            submission.redacted_text = scrub(submission.redacted_text)
        else:
            submission.text = ERASED
            submission.redacted_text = ""
            submission.published_at = None
        submission.save()
        for number, attachment in enumerate(submission.attachments.all(), 1):
            attachment.filename = neutral_filename(attachment.filename, number)
            attachment.data = b""
            attachment.text = scrub(attachment.text) if keep_text else ""
            attachment.detail = ""
            attachment.save()
        _erase_events(submission.events.all(), keep_text=keep_text)
    _erase_events(item.events.filter(submission__isnull=True), keep_text=keep_text)
    item.raw = b""
    item.from_address = ""
    item.subject = scrub(item.subject)
    item.match_explanation = scrub(item.match_explanation)
    item.error = scrub(item.error)
    item.personal_data_erased = True
    item.save()
    SubmissionEvent.objects.create(
        item=item,
        submission=submission,
        action="erase",
        detail=why,
        via=SubmissionEvent.Via.SYSTEM,
    )


def _replace(value, pattern: re.Pattern[str]):
    """The value with every match replaced, inside strings, lists and dicts alike."""
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_replace(v, pattern) for v in value]
    if isinstance(value, dict):
        return {_replace(k, pattern): _replace(v, pattern) for k, v in value.items()}
    return value


def _raw_needles(address: str) -> list[bytes]:
    """The address as it may be written in stored bytes: UTF-8, and UTF-16LE, the
    encoding of the text in an Outlook .msg file."""
    return [address.encode("utf-8"), address.encode("utf-16-le")]


def _erase_in_raw(address: str, raw: bytes) -> bytes:
    """The raw bytes with the address replaced. In an Outlook .msg the replacement is
    exactly as long as the address in bytes (UTF-8 and UTF-16LE), so the compound file's
    streams keep their sizes and the file stays readable."""
    if not outlook.is_msg(raw):
        needle = re.compile(re.escape(address.encode("utf-8")), re.IGNORECASE)
        return needle.sub(ERASED.encode("utf-8"), raw)
    for encoding, width in (("utf-8", 1), ("utf-16-le", 2)):
        found = address.encode(encoding)
        chars = len(found) // width  # ASCII mask: one character per byte (UTF-16: two)
        mask = (ERASED + "_" * chars)[:chars].encode(encoding)
        raw = re.compile(re.escape(found), re.IGNORECASE).sub(mask, raw)
    return raw


def _erase_mentions(address: str, mentioned_items: list[int]) -> int:
    """Replace the address wherever it is still written. Returns the records changed."""
    pattern = _pattern(address)
    changed = 0
    for pk in mentioned_items:
        item = ReceivedItem.objects.get(pk=pk)
        item.raw = _erase_in_raw(address, bytes(item.raw))
        item.save(update_fields=["raw"])
        SubmissionEvent.objects.create(
            item=item, action="erase", detail="mention", via=SubmissionEvent.Via.SYSTEM
        )
        changed += 1
    for record, names in _mentions(address):
        for name in names:
            field = record._meta.get_field(name)
            setattr(record, field.attname, _replace(getattr(record, field.attname), pattern))
        record.save(update_fields=names)
        changed += 1
    return changed


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".erase-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _erase_sent_mail(address: str, about: set[str] | None = None) -> int:
    """Remove the messages carrying the address from the sent-mail files (a file left
    empty is deleted). Returns the messages removed."""
    removed = 0
    for path, carrying, others in _sent_mail(address, about):
        if others:
            _write_atomically(path, b"".join(m + SENT_MAIL_SEPARATOR for m in others))
        else:
            path.unlink()
        removed += len(carrying)
    return removed


def delete_person(address: str) -> Erased:
    """Erase one person's data on their request: their items in every state, proposals,
    attachments, outbox mail, sent-mail files, and the address wherever else it is
    written. The database is changed in one transaction, then the files."""
    address = _normal(address)
    result = Erased()
    with transaction.atomic():
        own, mentioned = _items(address)
        submissions = list(Submission.objects.filter(item_id__in=own).values_list("pk", flat=True))
        result.outbox, _ = _outbox(address, submissions).delete()
        for item in ReceivedItem.objects.filter(pk__in=own).order_by("pk"):
            _erase_item(item, keep_text=False, why="request")
        result.items = len(own)
        result.mentions = _erase_mentions(address, mentioned)
    result.sent_mail = _erase_sent_mail(address)
    return result


def apply_retention(now: dt.datetime | None = None) -> Erased:
    """Erase personal data in rounds whose retention period after the deadline has passed:
    every item in any state, the outbox mail about them and the sent-mail files to their
    senders. The proposals' text stays, with contact details removed."""
    now = now or timezone.now()
    result = Erased()
    # The receipts sent about each erased proposal: its reference, by address.
    receipts: dict[str, set[str]] = {}
    with transaction.atomic():
        for consultation in ConsultationRound.objects.filter(retention_days__isnull=False):
            if consultation.deadline + dt.timedelta(days=consultation.retention_days) > now:
                continue
            items = list(consultation.received_items.filter(personal_data_erased=False))
            submissions = list(Submission.objects.filter(item__in=items).select_related("round"))
            for submission in submissions:
                if submission.email:
                    receipts.setdefault(submission.email.lower(), set()).add(submission.reference)
            result.outbox += OutgoingMail.objects.filter(submission__in=submissions).delete()[0]
            for item in items:
                _erase_item(item, keep_text=True, why="retention")
            result.items += len(items)
    for address, references in sorted(receipts.items()):
        result.sent_mail += _erase_sent_mail(address, references)
    return result
