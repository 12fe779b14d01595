"""A round's stored analysis as plain data for `retning analyse --json`: what staff see on
the analysis pages, so that it can be read and checked from outside."""

from __future__ import annotations

from typing import Any

from retning.consultation.models import ConsultationRound, SubmissionTag
from retning.consultation_analysis import service
from retning.consultation_analysis.models import AnalysisRun, TagSuggestionRecord
from retning.consultation_analysis.serial import theme_set_from_json


def is_automatic(label_by: str) -> bool:
    """A theme name no person set: made from the top terms, or an unapproved AI draft."""
    return label_by == "auto" or label_by.startswith("ai-draft")


def stored_analysis(round: ConsultationRound) -> dict[str, Any] | None:
    """Proposals (reference, sender, analysed text, suggested categories), themes and
    campaigns as last stored; None if the round has never been analysed."""
    run = AnalysisRun.objects.filter(round=round).order_by("-started_at", "-id").first()
    if run is None:
        return None
    submissions = list(service.analysed_submissions(round))
    cleaned = service.cleaned_texts(submissions)
    suggestions = {
        r.submission_id: r for r in TagSuggestionRecord.objects.filter(submission__round=round)
    }
    decided = service.decided_ids(round)
    person = service.effective_tags(round, [s for s in submissions if s.pk in decided])
    language_model: dict[int, list[str]] = {}
    for submission_id, main, focus in SubmissionTag.objects.filter(
        submission__round=round, origin=SubmissionTag.Origin.LANGUAGE_MODEL
    ).values_list("submission_id", "main_strategy__slug", "focus_area__slug"):
        language_model.setdefault(submission_id, []).append(main or focus)
    themes = service.current_themes(round)
    theme_set = theme_set_from_json(themes.data) if themes else None
    return {
        "round": round.slug,
        "analysed_at": run.started_at.isoformat(),
        "model": run.model_version,
        "proposals": [
            {
                "reference": s.reference,
                "sender": s.name,
                "text": cleaned[s.pk].text,
                "suggested": list(suggestions[s.pk].labels) if s.pk in suggestions else [],
                "suggested_by": suggestions[s.pk].origin if s.pk in suggestions else "",
                "decided": person[s.pk] if s.pk in decided else None,
                "language_model": sorted(language_model.get(s.pk, [])),
            }
            for s in submissions
        ],
        "themes": [
            {
                "id": t.id,
                "name": t.label,
                "automatic": is_automatic(t.label_by),
                "named_by": t.label_by,
                "members": list(t.refs),
            }
            for t in (theme_set.themes if theme_set else ())
        ],
        "campaigns": [
            {"id": record.key, "members": list(group.refs)}
            for record, group in service.stored_groups(round)
            if record.is_campaign
        ],
        "duplicates": [
            {"id": record.key, "members": list(group.refs)}
            for record, group in service.stored_groups(round)
            if not record.is_campaign
        ],
    }
