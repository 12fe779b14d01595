"""Running and storing a round's analysis; staff decisions win and are recorded."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from retning.consultation.models import Submission, SubmissionEvent, SubmissionTag
from retning.consultation_analysis import decisions, service
from retning.consultation_analysis.models import (
    AnalysisEvent,
    AnalysisRun,
    DuplicateGroupRecord,
    TagConfirmation,
    TagSuggestionRecord,
    ThemeSetVersion,
)
from retning.consultation_analysis.serial import theme_set_from_json
from tests.consultation_analysis.conftest import SYNTHETIC_ADDITIONS, synthetic_proposals

pytestmark = pytest.mark.django_db


def test_analyse_stores_suggestions_groups_and_themes(synthetic_imported_round):
    run = service.analyse(synthetic_imported_round)
    total = Submission.objects.filter(round=synthetic_imported_round).count()
    assert run.submissions == total == TagSuggestionRecord.objects.count()
    assert run.suggested > total // 2
    record = TagSuggestionRecord.objects.exclude(labels=[]).first()
    assert record.origin == run.model_version
    assert all(record.words[label] for label in record.labels)
    campaign = DuplicateGroupRecord.objects.get(round=synthetic_imported_round, size__gte=3)
    assert campaign.size == len(SYNTHETIC_ADDITIONS)
    additions = [a for m in campaign.members.all() for a in m.additions]
    assert any("forsinkelser" in a for a in additions)
    assert ThemeSetVersion.objects.filter(round=synthetic_imported_round).count() == 1
    assert AnalysisEvent.objects.filter(action="analyse").count() == 1


def test_analysed_text_includes_attachment_text(synthetic_imported_round):
    loaded = service.load(synthetic_imported_round)
    with_pdf = next(s for s in loaded.submissions if s.text.startswith("Se vedlegg"))
    text = {d.ref: d.text for d in loaded.documents}[with_pdf.reference]
    assert text.startswith("Se vedlegg") and "fiber i Grue" in text


def test_analyse_again_is_idempotent(synthetic_imported_round):
    service.analyse(synthetic_imported_round)
    groups = list(DuplicateGroupRecord.objects.values_list("key", "size"))
    labels = dict(TagSuggestionRecord.objects.values_list("submission_id", "labels"))
    service.analyse(synthetic_imported_round)
    assert list(DuplicateGroupRecord.objects.values_list("key", "size")) == groups
    assert dict(TagSuggestionRecord.objects.values_list("submission_id", "labels")) == labels
    assert ThemeSetVersion.objects.count() == 1
    assert AnalysisRun.objects.count() == 2


def test_confirmation_makes_person_tags_win_and_is_recorded(synthetic_imported_round, staff_user):
    service.analyse(synthetic_imported_round)
    record = TagSuggestionRecord.objects.exclude(labels=[]).select_related("submission").first()
    submission = record.submission
    other = next(
        label.id
        for label in service.round_labels(synthetic_imported_round)
        if label.id not in record.labels
    )
    service.confirm_tags(submission, staff_user, [other])
    tags = submission.tags.all()
    assert [(t.main_strategy or t.focus_area).slug for t in tags] == [other]
    assert {t.origin for t in tags} == {SubmissionTag.Origin.PERSON}
    assert service.effective_tags(synthetic_imported_round, [submission]) == {
        submission.pk: [other]
    }
    event = SubmissionEvent.objects.get(submission=submission, action="confirm-tags")
    assert event.actor == staff_user and event.after == other
    assert record.origin in event.detail
    # Confirming "none of them" is a decision too: an off-topic proposal.
    service.confirm_tags(submission, staff_user, [])
    assert service.effective_tags(synthetic_imported_round, [submission])[submission.pk] == []
    assert submission.pk in service.decided_ids(synthetic_imported_round)


def test_confirmation_needs_the_tag_permission(synthetic_imported_round, django_user_model):
    reader = django_user_model.objects.create_user("bare-leser")
    submission = Submission.objects.filter(round=synthetic_imported_round).first()
    with pytest.raises(PermissionDenied):
        service.confirm_tags(submission, reader, [])


def test_confirmation_of_unknown_category_is_refused(synthetic_imported_round, staff_user):
    submission = Submission.objects.filter(round=synthetic_imported_round).first()
    with pytest.raises(ValidationError, match="no-such-category"):
        service.confirm_tags(submission, staff_user, ["no-such-category"])


def test_a_batch_of_confirmations_retrains_the_tagger(synthetic_imported_round, staff_user):
    first = service.analyse(synthetic_imported_round)
    assert first.confirmed_examples == 0
    texts = {p["text"]: p["labels"] for p in synthetic_proposals()}
    submissions = Submission.objects.filter(round=synthetic_imported_round, text__in=texts)
    for i, submission in enumerate(submissions[: service.RETRAIN_BATCH]):
        service.confirm_tags(submission, staff_user, texts[submission.text])
        retrained = service.retrain_if_due(synthetic_imported_round, staff_user)
        assert (retrained is None) == (i < service.RETRAIN_BATCH - 1)
    assert retrained.kind == AnalysisRun.Kind.RETRAIN
    assert retrained.confirmed_examples == service.RETRAIN_BATCH
    assert retrained.model_version != first.model_version
    assert set(TagSuggestionRecord.objects.values_list("origin", flat=True)) == {
        retrained.model_version
    }
    assert TagConfirmation.objects.count() == service.RETRAIN_BATCH


def test_staff_split_survives_a_new_run(synthetic_imported_round, staff_user):
    service.analyse(synthetic_imported_round)
    campaign = DuplicateGroupRecord.objects.get(size__gte=3)
    refs = [m.submission.reference for m in campaign.members.select_related("submission__round")]
    decisions.split(synthetic_imported_round, campaign.key, refs[:1], staff_user)
    service.analyse(synthetic_imported_round)
    sizes = sorted(
        DuplicateGroupRecord.objects.filter(decided_by=staff_user.username).values_list(
            "size", flat=True
        )
    )
    assert sizes == [1, len(refs) - 1]
    assert (
        not DuplicateGroupRecord.objects.filter(decided_by="", size__gte=2)
        .filter(members__submission__in=[m.submission for m in campaign.members.all()])
        .exists()
    )
    event = AnalysisEvent.objects.get(action="group-split")
    assert event.actor == staff_user
    assert refs[0] in event.before and refs[0] not in event.after


def test_merge_groups_needs_two(synthetic_imported_round, staff_user):
    service.analyse(synthetic_imported_round)
    key = DuplicateGroupRecord.objects.first().key
    with pytest.raises(ValidationError, match="minst to grupper"):
        decisions.merge(synthetic_imported_round, [key], staff_user)


def test_theme_rename_makes_a_new_version_and_is_kept_by_a_new_run(
    synthetic_imported_round, staff_user
):
    service.analyse(synthetic_imported_round)
    first = service.current_themes(synthetic_imported_round)
    theme = theme_set_from_json(first.data).themes[0]
    decisions.rename_theme(synthetic_imported_round, theme.id, "Tog og pendling", staff_user)
    latest = service.current_themes(synthetic_imported_round)
    assert latest.version == first.version + 1 and latest.created_by == staff_user
    renamed = theme_set_from_json(latest.data).get(theme.id)
    assert renamed.label == "Tog og pendling" and renamed.label_by == staff_user.username
    service.analyse(synthetic_imported_round)
    assert service.current_themes(synthetic_imported_round).version == latest.version
    with pytest.raises(ValidationError, match="Temaet t-missing finnes ikke"):
        decisions.rename_theme(synthetic_imported_round, "t-missing", "x", staff_user)


def test_refused_theme_and_group_changes_are_explained_in_bokmal(
    synthetic_imported_round, staff_user
):
    service.analyse(synthetic_imported_round)
    theme = theme_set_from_json(service.current_themes(synthetic_imported_round).data).themes[0]
    round_ = synthetic_imported_round
    with pytest.raises(ValidationError, match="Temaet må ha et navn"):
        decisions.rename_theme(round_, theme.id, "  ", staff_user)
    with pytest.raises(ValidationError, match="minst to temaer"):
        decisions.merge_themes(round_, [theme.id, theme.id], "Navn", staff_user)
    for refs in ([], list(theme.refs), [theme.refs[0], "H-2024-99999"]):
        with pytest.raises(ValidationError, match="noen, men ikke alle, av temaets"):
            decisions.split_theme(round_, theme.id, refs, "Nytt tema", staff_user)
    group = DuplicateGroupRecord.objects.first()
    member = group.members.first().submission.reference
    with pytest.raises(ValidationError, match="noen, men ikke alle, av gruppens"):
        decisions.split(round_, group.key, [member, "H-2024-99999"], staff_user)


def test_section_text_by_a_person_replaces_the_ai_draft(synthetic_imported_round, staff_user):
    label = service.round_labels(synthetic_imported_round)[0].id
    draft = decisions.store_draft(synthetic_imported_round, label, "Utkast.", "ai-draft:m1")
    assert draft.status == "ai_draft"
    saved = decisions.save_section(synthetic_imported_round, label, "Godkjent tekst.", staff_user)
    assert saved.status == "person" and saved.drafted_by == "ai-draft:m1"
    # A later draft never overwrites what a person wrote.
    decisions.store_draft(synthetic_imported_round, label, "Nytt utkast.", "ai-draft:m1")
    saved.refresh_from_db()
    assert saved.text == "Godkjent tekst."
    assert AnalysisEvent.objects.filter(action="section", actor=staff_user).count() == 1


def test_a_rejected_proposal_loses_its_suggestion_on_the_next_run(
    synthetic_imported_round, django_user_model
):
    from django.contrib.auth.models import Group

    from retning.consultation import review

    service.analyse(synthetic_imported_round)
    reviewer = django_user_model.objects.create_user("registrator")
    reviewer.groups.add(Group.objects.get(name="Administratorer"))
    rejected = Submission.objects.filter(round=synthetic_imported_round).first()
    review.reject(rejected, reviewer, "Ikke et innspill til strategien.")
    run = service.analyse(synthetic_imported_round)
    assert not TagSuggestionRecord.objects.filter(submission=rejected).exists()
    assert TagSuggestionRecord.objects.count() == run.submissions
