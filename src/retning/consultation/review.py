"""Staff actions on proposals. One function per state change; each records who, when,
what, before → after as a SubmissionEvent."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from retning.consultation.models import Submission, SubmissionEvent, SubmissionTag, SubmitterType
from retning.core.orgnr import clean_orgnr, is_valid_orgnr
from retning.strategy.models import FocusArea, MainStrategy, Municipality

# Permissions (see the groups created in migration 0003).
REVIEW = "consultation.review_submission"  # register, reject, duplicate, redact, publish
TAG = "consultation.tag_submission"  # tag and add notes
VIEW = "consultation.view_submission"


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(permission)


def _record(submission: Submission, user, action: str, before="", after="", detail="") -> None:
    SubmissionEvent.objects.create(
        submission=submission,
        item_id=submission.item_id,
        action=action,
        before=str(before),
        after=str(after),
        detail=detail,
        actor=user if getattr(user, "is_authenticated", False) else None,
        via=SubmissionEvent.Via.STAFF,
    )


def _set_status(submission: Submission, user, status: str, detail: str = "") -> None:
    before = submission.status
    submission.status = status
    submission.save()
    _record(submission, user, "status", before, status, detail)


@transaction.atomic
def register(submission: Submission, user) -> None:
    _require(user, REVIEW)
    submission.duplicate_of = None
    submission.rejection_reason = ""
    _set_status(submission, user, Submission.Status.REGISTERED)


@transaction.atomic
def reject(submission: Submission, user, reason: str) -> None:
    _require(user, REVIEW)
    if not reason.strip():
        raise ValidationError(_("En avvisning må ha en begrunnelse."))
    submission.rejection_reason = reason.strip()
    if submission.published_at:
        unpublish(submission, user)
    _set_status(submission, user, Submission.Status.REJECTED, reason.strip())


@transaction.atomic
def mark_duplicate(submission: Submission, user, original: Submission) -> None:
    _require(user, REVIEW)
    if original.pk == submission.pk or original.round_id != submission.round_id:
        raise ValidationError(
            _("Et innspill kan bare være duplikat av et innspill i samme høring.")
        )
    submission.duplicate_of = original
    _set_status(submission, user, Submission.Status.DUPLICATE, original.reference)


@transaction.atomic
def override_deadline(submission: Submission, user, on_time: bool, reason: str) -> None:
    _require(user, REVIEW)
    if not reason.strip():
        raise ValidationError(_("En overstyring må ha en begrunnelse."))
    before = submission.counts_as_on_time
    submission.on_time_override = on_time
    submission.on_time_override_reason = reason.strip()
    submission.save()
    _record(submission, user, "deadline", before, on_time, reason.strip())


@transaction.atomic
def set_submitter(
    submission: Submission,
    user,
    *,
    name: str,
    organisation: str,
    orgnr: str,
    submitter_type: str,
    municipality: str,
    consent_publish_name: bool,
) -> None:
    """Correct who sent a proposal (an e-mail says little: a name and an address). The
    e-mail address and the text stay as received; each changed field is recorded."""
    _require(user, REVIEW)
    if submitter_type not in SubmitterType.values:
        raise ValidationError(_("Ukjent type innsender: %(value)s.") % {"value": submitter_type})
    digits = clean_orgnr(orgnr) if orgnr.strip() else ""
    if digits and not is_valid_orgnr(digits):
        raise ValidationError(
            _("%(orgnr)s er ikke et gyldig organisasjonsnummer.") % {"orgnr": orgnr.strip()}
        )
    place = None
    if municipality:
        place = Municipality.objects.filter(
            region=submission.round.strategy.region, slug=municipality
        ).first()
        if place is None:
            raise ValidationError(
                _("Kommunen %(value)s finnes ikke i regionen.") % {"value": municipality}
            )
    wanted = {
        "name": name.strip(),
        "organisation": organisation.strip(),
        "orgnr": digits,
        "submitter_type": submitter_type,
        "municipality": place,
        "consent_publish_name": consent_publish_name,
    }
    for field, value in wanted.items():
        before = getattr(submission, field)
        if before != value:
            setattr(submission, field, value)
            _record(submission, user, f"submitter:{field}", before or "", value or "")
    submission.save()


@transaction.atomic
def redact(submission: Submission, user, text: str) -> None:
    """Set the text the public sees; the original stays as received."""
    _require(user, REVIEW)
    before = submission.redacted_text
    submission.redacted_text = "" if text.strip() == submission.text.strip() else text
    submission.save()
    _record(submission, user, "redact", before, submission.redacted_text)


@transaction.atomic
def publish(submission: Submission, user) -> None:
    _require(user, REVIEW)
    if submission.status in {Submission.Status.REJECTED, Submission.Status.DUPLICATE}:
        raise ValidationError(_("Avviste innspill og duplikater publiseres ikke."))
    if submission.published_at:
        return
    submission.published_at = timezone.now()
    submission.save()
    _record(submission, user, "publish", "", submission.published_at.isoformat())


@transaction.atomic
def unpublish(submission: Submission, user) -> None:
    _require(user, REVIEW)
    if not submission.published_at:
        return
    before = submission.published_at.isoformat()
    submission.published_at = None
    submission.save()
    _record(submission, user, "unpublish", before, "")


@transaction.atomic
def tag(
    submission: Submission,
    user,
    *,
    main_strategy: MainStrategy | None = None,
    focus_area: FocusArea | None = None,
) -> SubmissionTag:
    """Tag by a person. A model's or language model's tag on the same category is a
    suggestion and stays beside it, marked with its origin."""
    _require(user, TAG)
    target = main_strategy or focus_area
    existing = submission.tags.filter(
        origin=SubmissionTag.Origin.PERSON, main_strategy=main_strategy, focus_area=focus_area
    ).first()
    if existing:
        return existing
    created = SubmissionTag.objects.create(
        submission=submission,
        main_strategy=main_strategy,
        focus_area=focus_area,
        origin=SubmissionTag.Origin.PERSON,
        origin_detail=user.get_username(),
    )
    _record(submission, user, "tag", "", target)
    return created


@transaction.atomic
def untag(submission: Submission, user, tag_id: int) -> None:
    _require(user, TAG)
    found = submission.tags.filter(pk=tag_id).first()
    if found:
        label = str(found)
        found.delete()
        _record(submission, user, "untag", label, "")


@transaction.atomic
def add_note(submission: Submission, user, text: str) -> None:
    _require(user, TAG)
    if not text.strip():
        raise ValidationError(_("Notatet er tomt."))
    _record(submission, user, "note", "", "", text.strip())
