"""Intake: store first, then parse, then register — the steps the web form and the e-mail
importer share.

`store_raw()` commits the bytes before anything else happens. `process_item()` parses a
stored item and registers it when it is a proposal; it is idempotent (a processed item is
left alone) and safe to re-run after a crash. `register_submission()` is the one function
that gives a proposal its reference number.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from retning.consultation import extract, mail
from retning.consultation.deadline import POSTED, Arrival, arrival_time, is_on_time
from retning.consultation.matching import match_subject
from retning.consultation.models import (
    Attachment,
    Channel,
    ConsultationRound,
    ReceivedItem,
    Submission,
    SubmissionEvent,
)
from retning.consultation.references import format_reference, year_of


@dataclass
class IncomingFile:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Proposal:
    """What a proposal says, whichever channel it came by."""

    text: str
    subject: str = ""
    name: str = ""
    email: str = ""
    organisation: str = ""
    orgnr: str = ""
    submitter_type: str = ""
    municipality_id: int | None = None
    consent_publish_name: bool = False
    files: list[IncomingFile] = field(default_factory=list)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_raw(
    round: ConsultationRound,
    channel: str,
    raw: bytes,
    *,
    received_at: dt.datetime | None = None,
    internal_date: dt.datetime | None = None,
    source: str = "",
    sender_key: str = "",
) -> tuple[ReceivedItem, bool]:
    """Commit the received bytes; returns (item, created). The same bytes are stored once."""
    digest = sha256(raw)
    existing = ReceivedItem.objects.filter(round=round, sha256=digest).first()
    if existing:
        return existing, False
    message_id = mail.message_id_of(raw) if channel == Channel.EMAIL else ""
    try:
        with transaction.atomic():
            item = ReceivedItem.objects.create(
                round=round,
                channel=channel,
                raw=raw,
                size=len(raw),
                sha256=digest,
                message_id=message_id,
                received_at=received_at or timezone.now(),
                internal_date=internal_date,
                source=source[:500],
                sender_key=sender_key,
            )
            SubmissionEvent.objects.create(
                item=item,
                action="stored",
                after=f"{len(raw)} B sha256:{digest[:12]}",
                via=_via(channel),
            )
    except IntegrityError:  # stored by a concurrent run a moment ago
        return ReceivedItem.objects.get(round=round, sha256=digest), False
    return item, True


def _via(channel: str) -> str:
    return SubmissionEvent.Via.WEB if channel == Channel.WEB else SubmissionEvent.Via.EMAIL


def _set_status(item: ReceivedItem, status: str, *, detail: str = "", actor=None, via=None) -> None:
    before = item.status
    item.status = status
    item.save()
    SubmissionEvent.objects.create(
        item=item,
        action="status",
        before=before,
        after=status,
        detail=detail[:2000],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        via=via or _via(item.channel),
    )


def web_form_raw(
    fields: dict[str, Any], files: list[IncomingFile], posted_at: dt.datetime
) -> bytes:
    """The bytes stored for a form post: the fields and files exactly as received."""
    document = {
        "posted_at": posted_at.isoformat(),
        "fields": fields,
        "files": [
            {
                "filename": f.filename,
                "content_type": f.content_type,
                "data": base64.b64encode(f.data).decode("ascii"),
            }
            for f in files
        ],
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")


def proposal_from_web(raw: bytes) -> Proposal:
    document = json.loads(raw.decode("utf-8"))
    values = document["fields"]
    return Proposal(
        text=values.get("text", ""),
        name=values.get("name", ""),
        email=values.get("email", "").lower(),
        organisation=values.get("organisation", ""),
        orgnr=values.get("orgnr", ""),
        submitter_type=values.get("submitter_type", ""),
        municipality_id=values.get("municipality") or None,
        consent_publish_name=bool(values.get("consent_publish_name")),
        files=[
            IncomingFile(f["filename"], f["content_type"], base64.b64decode(f["data"]))
            for f in document["files"]
        ],
    )


def proposal_from_mail(parsed: mail.ParsedMail) -> Proposal:
    text = parsed.body
    if not text.strip() and parsed.attachments:
        text = ""  # the proposal is in the attachments
    return Proposal(
        text=text,
        subject=parsed.subject,
        name=parsed.from_name,
        email=parsed.from_address,
        files=[IncomingFile(a.filename, a.content_type, a.data) for a in parsed.attachments],
    )


def arrival_of(item: ReceivedItem, parsed: mail.ParsedMail | None = None) -> Arrival:
    """When the item reached us (see `deadline.arrival_time`); a form post when posted."""
    if item.channel == Channel.WEB:
        return Arrival(item.received_at, POSTED)
    internal_date = item.internal_date
    if internal_date is None and parsed is not None:
        internal_date = parsed.delivered_at  # an Outlook .msg: the mailbox's receipt time
    return arrival_time(
        item.received_at,
        internal_date=internal_date,
        received=parsed.received_dates if parsed else (),
        date=parsed.date_header if parsed else "",
    )


def _note_arrival(item: ReceivedItem, arrival: Arrival) -> None:
    """Keep the arrival time, its source and the unusable dates on the item (not saved)."""
    item.arrived_at = arrival.at
    item.arrival_source = arrival.source
    item.arrival_issues = [issue.as_dict() for issue in arrival.issues]


ARRIVAL_FIELDS = ["arrived_at", "arrival_source", "arrival_issues"]


def oversize(text: str, attachment_sizes: list[int]) -> str:
    """Why a proposal is larger than RETNING_PROPOSAL_MAX_*, or "" when it is not."""
    reasons = []
    if len(text) > settings.RETNING_PROPOSAL_MAX_CHARS:
        reasons.append(f"text {len(text)} characters (limit {settings.RETNING_PROPOSAL_MAX_CHARS})")
    total = sum(attachment_sizes)
    if total > settings.RETNING_PROPOSAL_MAX_BYTES:
        reasons.append(
            f"attachments {total} B together (limit {settings.RETNING_PROPOSAL_MAX_BYTES} B)"
        )
    return "too large: " + "; ".join(reasons) if reasons else ""


def _extraction_limits() -> extract.Limits:
    return extract.Limits(
        max_bytes=settings.RETNING_ATTACHMENT_MAX_BYTES,
        max_pages=settings.RETNING_ATTACHMENT_MAX_PAGES,
        max_decompressed=settings.RETNING_ATTACHMENT_MAX_DECOMPRESSED,
    )


def _year_given(round: ConsultationRound) -> int:
    """The year of the round's references so far, or, before its first, its deadline's."""
    first = round.submissions.order_by("pk").values_list("reference", flat=True).first()
    return year_of(first) if first else timezone.localtime(round.deadline).year


def _lock_rounds_of_reference_year(
    round_id: int,
) -> tuple[ConsultationRound, int, list[int]]:
    """Lock the round and every other round numbering in the same reference year.

    The year is the round's fixed reference year, or, before its first proposal, the year
    of its deadline now. Rounds are locked in one statement in id order, so two rounds of
    one year registering at once wait for each other instead of deadlocking.
    """
    unlocked = ConsultationRound.objects.get(pk=round_id)
    year = unlocked.reference_year or _year_given(unlocked)
    locked = list(
        ConsultationRound.objects.select_for_update()
        .filter(Q(pk=round_id) | Q(reference_year=year))
        .order_by("pk")
    )
    round = next(r for r in locked if r.pk == round_id)
    return round, round.reference_year or year, [r.pk for r in locked]


def register_submission(
    item: ReceivedItem,
    proposal: Proposal,
    *,
    reached_at: dt.datetime,
    via: str,
    actor=None,
) -> Submission:
    """Give a received item its proposal and reference number (once; idempotent).

    The reference is stored and never recomputed: H-{year}-{number}, the year fixed for the
    round by its first proposal, the number counting up over all rounds of that year.
    """
    extracted = [
        (f, extract.extract_text(f.filename, f.data, _extraction_limits())) for f in proposal.files
    ]
    with transaction.atomic():
        round, year, peers = _lock_rounds_of_reference_year(item.round_id)
        locked = ReceivedItem.objects.select_for_update().get(pk=item.pk)
        existing = Submission.objects.filter(item=locked).first()
        if existing:
            return existing
        if round.reference_year is None:
            round.reference_year = year
            round.save(update_fields=["reference_year"])
        taken = Submission.objects.filter(round__in=peers).aggregate(m=Max("number"))["m"]
        number = (taken or 0) + 1
        submission = Submission.objects.create(
            round=round,
            item=locked,
            number=number,
            reference=format_reference(year, number),
            channel=locked.channel,
            reached_us_at=reached_at,
            on_time=is_on_time(reached_at, round.deadline),
            subject=proposal.subject[:998],
            name=proposal.name[:200],
            email=proposal.email[:320],
            organisation=proposal.organisation[:300],
            orgnr=proposal.orgnr[:9],
            submitter_type=proposal.submitter_type,
            municipality_id=proposal.municipality_id,
            consent_publish_name=proposal.consent_publish_name,
            text=proposal.text,
        )
        for incoming, result in extracted:
            Attachment.objects.create(
                submission=submission,
                filename=(incoming.filename or "vedlegg")[:300],
                content_type=incoming.content_type[:200],
                size=len(incoming.data),
                sha256=sha256(incoming.data),
                data=incoming.data,
                kind=result.kind,
                text_status=result.status,
                reason=result.reason,
                detail=result.detail[:300],
                text=result.text,
            )
        SubmissionEvent.objects.create(
            item=locked,
            submission=submission,
            action="registered",
            after=submission.reference,
            detail="" if submission.on_time else "late",
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            via=via,
        )
        _set_status(locked, ReceivedItem.Status.REGISTERED, actor=actor, via=via)
    item.refresh_from_db()
    return submission


def process_item(item: ReceivedItem) -> str:
    """Parse a stored item and register it when it is a proposal. Returns the item status.

    Items already processed are left as they are, so re-running an import is harmless. An
    unexpected error marks the item failed with the error; its bytes stay stored.
    """
    if item.status != ReceivedItem.Status.PENDING:
        return item.status
    try:
        if item.channel == Channel.WEB:
            _note_arrival(item, arrival_of(item))
            item.save(update_fields=ARRIVAL_FIELDS)
            register_submission(
                item,
                proposal_from_web(bytes(item.raw)),
                reached_at=item.arrived_at,
                via=SubmissionEvent.Via.WEB,
            )
            return item.status
        return _process_mail(item)
    except Exception as exc:
        item.refresh_from_db()
        if item.status != ReceivedItem.Status.PENDING:
            return item.status
        item.error = f"{type(exc).__name__}: {exc}"[:2000]
        _set_status(item, ReceivedItem.Status.FAILED, detail=item.error)
        return item.status


def _process_mail(item: ReceivedItem) -> str:
    try:
        parsed = mail.parse_message(bytes(item.raw))
    except Exception as exc:  # any failure: the bytes stay stored, staff see the error
        item.error = f"{type(exc).__name__}: {exc}"[:2000]
        _set_status(item, ReceivedItem.Status.FAILED, detail=item.error)
        return item.status
    _note_arrival(item, arrival_of(item, parsed))
    item.subject = parsed.subject[:998]
    item.from_address = parsed.from_address[:320]
    item.automatic = parsed.automatic[:200]
    item.error = "; ".join(parsed.warnings)[:2000]
    match = match_subject(parsed.subject, item.round.subject_to_match)
    item.match_explanation = match.explain()[:300]
    if parsed.automatic:
        _set_status(item, ReceivedItem.Status.AUTOMATIC, detail=parsed.automatic)
        return item.status
    if item.message_id:
        first = (
            ReceivedItem.objects.filter(round=item.round, message_id=item.message_id)
            .exclude(pk=item.pk)
            .order_by("pk")
            .first()
        )
        if first is not None:
            item.duplicate_of = first
            _set_status(
                item, ReceivedItem.Status.DUPLICATE, detail=f"Message-ID of item {first.pk}"
            )
            return item.status
    if not match.matched:
        _set_status(item, ReceivedItem.Status.UNMATCHED, detail=item.match_explanation)
        return item.status
    too_large = oversize(parsed.body, [len(a.data) for a in parsed.attachments])
    if too_large:  # kept as received; staff read it and register it if it is a proposal
        item.error = "; ".join([too_large, *parsed.warnings])[:2000]
        _set_status(item, ReceivedItem.Status.OVERSIZED, detail=too_large)
        return item.status
    item.save()
    register_submission(
        item,
        proposal_from_mail(parsed),
        reached_at=item.arrived_at,
        via=SubmissionEvent.Via.EMAIL,
    )
    return item.status


def accept_item(item: ReceivedItem, actor) -> Submission:
    """Staff accept an unmatched, automatic, duplicate or oversized item as a proposal.

    Whatever its dates say (far in the future, before 1990, unreadable), it can be
    registered: the arrival time falls back as `deadline.arrival_time` describes and the
    item keeps the flag for staff."""
    if item.channel == Channel.WEB:
        proposal, parsed = proposal_from_web(bytes(item.raw)), None
    else:
        parsed = mail.parse_message(bytes(item.raw))
        proposal = proposal_from_mail(parsed)
    _note_arrival(item, arrival_of(item, parsed))
    item.save(update_fields=ARRIVAL_FIELDS)
    return register_submission(
        item,
        proposal,
        reached_at=item.arrived_at,
        via=SubmissionEvent.Via.STAFF,
        actor=actor,
    )


def dismiss_item(item: ReceivedItem, actor, reason: str) -> None:
    """Staff decide an unmatched item is not a proposal. The bytes stay stored."""
    _set_status(
        item,
        ReceivedItem.Status.DISMISSED,
        detail=reason,
        actor=actor,
        via=SubmissionEvent.Via.STAFF,
    )
