"""What the public sees of proposals: published ones only, with privacy applied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from retning.consultation.models import ConsultationRound, Submission, SubmitterType
from retning.consultation.privacy import scrub, scrub_submission_text


@dataclass(frozen=True)
class PublicProposal:
    reference: str
    author: str
    submitter_type: str
    municipality: str
    text: str
    published_at: dt.datetime
    attachment_count: int


ORGANISATION_TYPES = frozenset(
    {
        SubmitterType.BUSINESS,
        SubmitterType.ORGANISATION,
        SubmitterType.PUBLIC,
        SubmitterType.EDUCATION,
    }
)


def published_type(submission: Submission) -> str:
    """The sender's type as the published list shows it: an organisation type only with
    the organisation's name, otherwise a private person. The one rule for both the list of
    senders and the count per type, so the two always agree."""
    if submission.submitter_type in ORGANISATION_TYPES and submission.organisation:
        return submission.submitter_type
    return SubmitterType.PRIVATE


def public_author(submission: Submission) -> str:
    """Organisations by name; people by name only with consent, else «privatperson, kommune»."""
    if published_type(submission) != SubmitterType.PRIVATE:
        return scrub(submission.organisation)
    if submission.consent_publish_name and submission.name:
        return scrub(submission.name)
    if submission.municipality:
        return _("privatperson, %(municipality)s") % {"municipality": submission.municipality}
    return _("privatperson")


def public_text(submission: Submission) -> str:
    """The redacted version when staff made one, always scrubbed of personal data and of the
    sender's name unless they agreed to publish it."""
    return scrub_submission_text(submission, submission.redacted_text or submission.text)


def to_public(submission: Submission) -> PublicProposal:
    return PublicProposal(
        reference=submission.reference,
        author=public_author(submission),
        submitter_type=submission.get_submitter_type_display(),
        municipality=str(submission.municipality or ""),
        text=public_text(submission),
        published_at=submission.published_at,
        attachment_count=getattr(submission, "n_attachments", None)
        or submission.attachments.count(),
    )


def published_for(consultation: ConsultationRound) -> list[PublicProposal]:
    submissions = (
        consultation.submissions.filter(published_at__isnull=False)
        .select_related("round", "municipality")
        .annotate(n_attachments=Count("attachments"))
        .order_by("number")
    )
    return [to_public(s) for s in submissions]
