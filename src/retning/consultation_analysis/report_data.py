"""The høringsoppsummering from the stored, staff-decided state of a round.

Tags that count are the people's where they decided, else the model's suggestions; the
groups and the theme set are the current stored ones (after staff splits, merges and
renames); section texts are those staff wrote or approved, or AI drafts marked as such.
Quotes use the text as published (staff's redaction when there is one), cleaned of the letter
around the proposal (greeting, signature, quoted e-mails) and scrubbed of personal data and
of the sender's name unless they agreed to publish it.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from retning.analysis.cleaning import clean
from retning.analysis.pipeline import RoundAnalysis
from retning.analysis.report import (
    ConsultationReport,
    ProposalRow,
    RoundInfo,
    Wording,
    build_report,
)
from retning.analysis.tagging import TagSuggestion
from retning.analysis.themes import ThemeSet
from retning.consultation.models import Channel, ConsultationRound, Submission, SubmitterType
from retning.consultation.privacy import scrub_submission_text
from retning.consultation.publication import public_author, public_text, published_type
from retning.consultation_analysis.models import (
    AnalysisRun,
    SectionText,
    TagConfirmation,
    TagSuggestionRecord,
)
from retning.consultation_analysis.serial import theme_set_from_json
from retning.consultation_analysis.service import (
    analysed_submissions,
    current_themes,
    effective_tags,
    round_labels,
    sender_names,
    stored_groups,
    suggestion_quality,
)
from retning.strategy.models import FocusArea, MainStrategy, localized


def round_info(round: ConsultationRound, channels: set[str]) -> RoundInfo:
    offered = []
    if round.email_address or Channel.EMAIL in channels:
        offered.append(gettext_noop("e-post"))
    if round.web_form or Channel.WEB in channels:
        offered.append(gettext_noop("skjema på nett"))
    return RoundInfo(
        title=localized(round, "title"),  # the caller's language is active
        slug=round.slug,
        opens=round.opens_on,
        deadline=timezone.localdate(round.deadline),
        channels=tuple(offered) or ("e-post",),
    )


def section_summaries(round: ConsultationRound) -> tuple[dict[str, tuple[str, str]], int]:
    """Category id → (text, who wrote it), and how many people's texts began as AI drafts."""
    summaries = {}
    approved = 0
    for section in SectionText.objects.filter(round=round).select_related("updated_by"):
        if not section.text:
            continue
        if section.status == SectionText.Status.AI_DRAFT:
            summaries[section.label] = (section.text, section.drafted_by or "ai-draft")
        else:
            by = section.updated_by.get_username() if section.updated_by else "sekretariatet"
            summaries[section.label] = (section.text, by)
            approved += bool(section.drafted_by)
    return summaries, approved


def report_text(submission: Submission) -> str:
    """The proposal as the report quotes it: the published version without greeting,
    signature or quoted e-mails, scrubbed of personal data."""
    published = submission.redacted_text or submission.text
    cleaned = clean(published, remove_personal_data=False).text
    return scrub_submission_text(submission, cleaned) if cleaned else public_text(submission)


def wording(language: str) -> Wording:
    """The report's fixed words through this project's translations (bokmål: as written)."""

    def translate(text: str) -> str:
        with translation.override(language):
            return gettext(text)

    return Wording(language, translate)


def consultation_report(round: ConsultationRound, language: str = "nb") -> ConsultationReport:
    """The round's report; `language` for its fixed words, labels of submitter types and
    the like (the proposals, quotes and summaries stay as written)."""
    with translation.override(language):
        return _consultation_report(round, wording(language))


def _consultation_report(round: ConsultationRound, w: Wording) -> ConsultationReport:
    labels = round_labels(round)
    # section titles in the report's language (the tagger keeps the bokmål ones)
    english = {
        **dict(
            MainStrategy.objects.filter(strategy_id=round.strategy_id).values_list(
                "slug", "title_en"
            )
        ),
        **dict(
            FocusArea.objects.filter(strategy_id=round.strategy_id).values_list("slug", "title_en")
        ),
    }
    report_labels = [
        replace(label, title=english[label.id])
        if w.language == "en" and english.get(label.id)
        else label
        for label in labels
    ]
    submissions = list(analysed_submissions(round))
    tags = effective_tags(round, submissions)
    themes = current_themes(round)
    suggestions = {
        r.submission.reference: TagSuggestion(
            labels=tuple(r.labels),
            scores=r.scores,
            words={k: tuple(v) for k, v in r.words.items()},
            uncertain=tuple(r.uncertain),
            origin=r.origin,
        )
        for r in TagSuggestionRecord.objects.filter(submission__in=submissions).select_related(
            "submission__round"
        )
    }
    theme_set = theme_set_from_json(themes.data) if themes else ThemeSet(1, (), len(submissions))
    latest_run = AnalysisRun.objects.filter(round=round).order_by("-started_at", "-id").first()
    analysis = RoundAnalysis(
        suggestions=suggestions,
        groups=[g for _, g in stored_groups(round)],
        links=[],
        themes=theme_set,
        tagger_version=latest_run.model_version if latest_run else w._("ingen analyse kjørt"),
    )
    rows = [
        ProposalRow(
            ref=s.reference,
            submitter=public_author(s),
            submitter_type=str(SubmitterType(published_type(s)).label),
            municipality=str(s.municipality or ""),
            labels=tuple(tags[s.pk]),
            late=not s.counts_as_on_time,
        )
        for s in submissions
    ]
    summaries, approved = section_summaries(round)
    return build_report(
        round_info(round, {s.channel for s in submissions}),
        report_labels,
        rows,
        {s.reference: report_text(s) for s in submissions},
        analysis,
        summaries,
        confirmed=TagConfirmation.objects.filter(submission__in=submissions).count(),
        approved_drafts=approved,
        agreement=dict(suggestion_quality(round, labels)).get("all"),
        names=sender_names(submissions),
        w=w,
    )
