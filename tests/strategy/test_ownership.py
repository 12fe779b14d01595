"""Who owns what: the strategy file seeds, staff's changes in the admin survive `retning
setup`, and nothing staff made or tagged is deleted by a change to the file."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from retning.consultation import intake, review
from retning.consultation.models import Channel, ConsultationRound, Submission, SubmissionTag
from retning.core.models import ChangeRecord
from retning.strategy.loader import load_strategy
from retning.strategy.models import FocusArea
from retning.strategy.spec import parse_spec
from tests.consultation.conftest import synthetic_mail

pytestmark = pytest.mark.django_db
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


@pytest.fixture
def round_2024(loaded_strategy) -> ConsultationRound:
    return loaded_strategy.consultation_rounds.get(slug="2024")


def _mail(round, n: int) -> Submission:
    item, _ = intake.store_raw(
        round,
        Channel.EMAIL,
        synthetic_mail(
            body=f"Syntetisk innspill nummer {n} om logistikk og næringsarealer.",
            message_id=f"<ownership-{n}@example.org>",
            sender=f"Syntetisk Innsender {n} <innsender{n}@example.org>",
        ),
    )
    intake.process_item(item)
    return Submission.objects.get(item=item)


def _round_form(round: ConsultationRound, **changes) -> dict:
    """The admin's change form for a round, as a browser posts it."""
    deadline = changes.pop("deadline", round.deadline).astimezone(OSLO)
    values = {
        "strategy": round.strategy_id,
        "slug": round.slug,
        "title": round.title,
        "title_en": round.title_en,
        "description": round.description,
        "description_en": round.description_en,
        "page_text": round.page_text,
        "document_url": round.document_url,
        "opens_on": round.opens_on.isoformat() if round.opens_on else "",
        "deadline_0": deadline.strftime("%Y-%m-%d"),
        "deadline_1": deadline.strftime("%H:%M:%S"),
        "closed": round.closed,
        "web_form": round.web_form,
        "email_address": round.email_address,
        "email_subject": round.email_subject,
        "subject_pattern": round.subject_pattern,
        "contact_name": round.contact_name,
        "send_receipts": round.send_receipts,
        "retention_days": round.retention_days or "",
    }
    values.update(changes)
    # A browser leaves out unticked boxes.
    return {k: ("on" if v is True else v) for k, v in values.items() if v is not False}


def _references() -> dict[int, str]:
    return {s.pk: s.reference for s in Submission.objects.select_related("round")}


def _setup(*args: str) -> str:
    out = StringIO()
    call_command("setup", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_admin_edit_of_the_2024_round_survives_setup_and_no_reference_changes(
    round_2024, admin_client, tmp_path
):
    inbox = tmp_path / "innboks"
    inbox.mkdir()
    for n in range(1, 118):
        (inbox / f"{n}.eml").write_bytes(
            synthetic_mail(
                body=f"Syntetisk innspill {n}: bedre togtilbud og flere næringsarealer.",
                message_id=f"<synthetic-117-{n}@example.org>",
                sender=f"Syntetisk Innsender {n} <innsender{n}@example.org>",
            )
        )
    call_command("import_mail", "--round", "2024", str(inbox), stdout=StringIO())
    references = _references()
    assert len(references) == 117
    assert sorted(references.values()) == [f"H-2024-{n:04d}" for n in range(1, 118)]

    new_deadline = dt.datetime(2027, 6, 15, 23, 59, 59, tzinfo=OSLO)
    response = admin_client.post(
        f"/admin/consultation/consultationround/{round_2024.pk}/change/",
        _round_form(
            round_2024,
            deadline=new_deadline,
            web_form=True,
            contact_name="Syntetisk Kontaktperson",
            email_address="horing.synthetic@example.org",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _references() == references

    output = _setup()

    round_2024.refresh_from_db()
    assert round_2024.deadline == new_deadline
    assert round_2024.web_form is True
    assert round_2024.contact_name == "Syntetisk Kontaktperson"
    assert round_2024.email_address == "horing.synthetic@example.org"
    assert _references() == references
    assert "strategy unchanged" in output
    # A proposal arriving after the move keeps the round's year in its number.
    assert _mail(round_2024, 118).reference == "H-2024-0118"


def test_round_created_in_the_admin_with_proposals_survives_setup(loaded_strategy, admin_client):
    response = admin_client.post(
        "/admin/consultation/consultationround/add/",
        {
            "strategy": loaded_strategy.pk,
            "slug": "synthetic-2026",
            "title": "Syntetisk høring laget i administrasjonen",
            "deadline_0": "2026-12-31",
            "deadline_1": "23:59:59",
            "web_form": "on",
            "email_address": "post@example.org",
            "email_subject": "Høringsinnspill næringsstrategi",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made_in_admin = ConsultationRound.objects.get(slug="synthetic-2026")
    proposals = [_mail(made_in_admin, n) for n in (1, 2, 3)]

    _setup()  # no ProtectedError: `make run` still starts

    assert ConsultationRound.objects.filter(pk=made_in_admin.pk).exists()
    assert [s.reference for s in Submission.objects.filter(round=made_in_admin)] == [
        s.reference for s in proposals
    ]


def test_creating_a_round_in_the_admin_is_recorded(loaded_strategy, admin_client, admin_user):
    response = admin_client.post(
        "/admin/consultation/consultationround/add/",
        {
            "strategy": loaded_strategy.pk,
            "slug": "synthetic-2026",
            "title": "Syntetisk høring laget i administrasjonen",
            "deadline_0": "2026-12-31",
            "deadline_1": "23:59:59",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = ConsultationRound.objects.get(slug="synthetic-2026")
    created = ChangeRecord.objects.get(
        model="consultation.ConsultationRound",
        object_id=str(made.pk),
        action=ChangeRecord.Action.CREATE,
    )
    assert (created.changed_by, created.via) == (admin_user, ChangeRecord.Via.ADMIN)
    assert "synthetic-2026" in created.new_value


def test_renaming_a_tagged_focus_area_in_the_file_is_refused_naming_the_tags(
    round_2024, strategy_text, admin_user, tmp_path
):
    tagged = [_mail(round_2024, n) for n in (1, 2)]
    logistikk = FocusArea.objects.get(slug="logistikk")
    for submission in tagged:
        review.tag(submission, admin_user, focus_area=logistikk)
    renamed = tmp_path / "strategy.yaml"
    renamed.write_text(
        strategy_text.replace("  - id: logistikk\n", "  - id: logistikk-og-transport\n"),
        encoding="utf-8",
    )

    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("setup", "--strategy", str(renamed), stdout=StringIO(), stderr=err)

    assert refused.value.returncode == 3
    message = err.getvalue()
    assert "logistikk" in message
    for submission in tagged:
        assert f"{submission.reference} (tagged by {admin_user.username})" in message
    assert SubmissionTag.objects.filter(focus_area__slug="logistikk").count() == 2
    assert not FocusArea.objects.filter(slug="logistikk-og-transport").exists()


def test_removing_a_tagged_focus_area_through_the_loader_raises_and_changes_nothing(
    round_2024, strategy_text, admin_user
):
    submission = _mail(round_2024, 1)
    review.tag(submission, admin_user, focus_area=FocusArea.objects.get(slug="logistikk"))
    start = strategy_text.index("  - id: logistikk\n")
    end = strategy_text.index("  - id: bygg-og-anlegg\n")
    without = strategy_text[:start] + strategy_text[end:]
    changed_title = without.replace("nb: Bioøkonomi", "nb: Bioøkonomi og skog")

    from retning.strategy.loader import LoadRefusedError

    with pytest.raises(LoadRefusedError) as refused:
        load_strategy(parse_spec(changed_title))

    assert "H-2024-0001" in str(refused.value)
    assert FocusArea.objects.get(slug="biookonomi").title == "Bioøkonomi"  # rolled back
    assert submission.tags.get().focus_area.slug == "logistikk"


def test_removing_a_focus_area_named_by_a_section_text_is_refused(round_2024, strategy_text):
    from retning.consultation_analysis.models import SectionText
    from retning.strategy.loader import LoadRefusedError

    SectionText.objects.create(
        round=round_2024,
        label="logistikk",
        text="Syntetisk sammendrag skrevet av saksbehandler.",
        status=SectionText.Status.PERSON,
    )
    start = strategy_text.index("  - id: logistikk\n")
    end = strategy_text.index("  - id: bygg-og-anlegg\n")

    with pytest.raises(LoadRefusedError) as refused:
        load_strategy(parse_spec(strategy_text[:start] + strategy_text[end:]))

    assert "section texts of the høringsoppsummering in round 2024" in str(refused.value)
    assert FocusArea.objects.filter(slug="logistikk").exists()


def test_removing_an_untagged_focus_area_is_recorded_in_the_change_log(
    loaded_strategy, strategy_text
):
    start = strategy_text.index("  - id: logistikk\n")
    end = strategy_text.index("  - id: bygg-og-anlegg\n")
    report = load_strategy(parse_spec(strategy_text[:start] + strategy_text[end:]))

    assert report.deleted == ["focusarea Logistikk"]
    record = ChangeRecord.objects.get(action=ChangeRecord.Action.DELETE)
    assert (record.model, record.via) == ("strategy.FocusArea", ChangeRecord.Via.STRATEGY_FILE)
    assert record.object_repr == "Logistikk"
    assert '"slug": "logistikk"' in record.old_value  # what was deleted stays readable


def test_loading_a_new_file_records_every_object_it_creates(db, strategy_text):
    load_strategy(parse_spec(strategy_text))
    created = ChangeRecord.objects.filter(action=ChangeRecord.Action.CREATE)
    assert created.filter(model="strategy.FocusArea").count() == 5
    assert created.filter(model="consultation.ConsultationRound").get().object_repr == (
        "Høring om revidert næringsstrategi 2024"
    )
    assert set(created.values_list("via", flat=True)) == {ChangeRecord.Via.STRATEGY_FILE}


def test_a_file_change_applies_to_fields_staff_have_not_changed(
    round_2024, strategy_text, admin_client
):
    staff_deadline = dt.datetime(2024, 6, 30, 23, 59, 59, tzinfo=OSLO)
    admin_client.post(
        f"/admin/consultation/consultationround/{round_2024.pk}/change/",
        _round_form(round_2024, deadline=staff_deadline),
    )
    changed = strategy_text.replace(
        "nb: Høring om revidert næringsstrategi 2024", "nb: Høring om næringsstrategien 2024"
    ).replace("contact_name: Lars Gillund", "contact_name: Syntetisk Saksbehandler")

    report = load_strategy(parse_spec(changed))

    round_2024.refresh_from_db()
    assert round_2024.title == "Høring om næringsstrategien 2024"
    assert round_2024.contact_name == "Syntetisk Saksbehandler"
    assert round_2024.deadline == staff_deadline
    assert report.kept == []


def test_when_both_the_file_and_staff_changed_a_field_staffs_value_is_kept_and_reported(
    round_2024, strategy_text, admin_client
):
    staff_deadline = dt.datetime(2024, 6, 30, 23, 59, 59, tzinfo=OSLO)
    admin_client.post(
        f"/admin/consultation/consultationround/{round_2024.pk}/change/",
        _round_form(round_2024, deadline=staff_deadline),
    )
    changed = strategy_text.replace("deadline: 2024-06-15", "deadline: 2024-06-20")

    report = load_strategy(parse_spec(changed))

    round_2024.refresh_from_db()
    assert round_2024.deadline == staff_deadline
    assert len(report.kept) == 1
    assert "deadline" in report.kept[0] and "2024-06-20" in report.kept[0]
    # Reported once: the next load has nothing new to say.
    assert load_strategy(parse_spec(changed)).kept == []
    round_2024.refresh_from_db()
    assert round_2024.deadline == staff_deadline


def test_setup_prints_the_values_it_kept(round_2024, strategy_text, admin_client, tmp_path):
    admin_client.post(
        f"/admin/consultation/consultationround/{round_2024.pk}/change/",
        _round_form(round_2024, contact_name="Syntetisk Kontakt"),
    )
    changed = tmp_path / "strategy.yaml"
    changed.write_text(
        strategy_text.replace("contact_name: Lars Gillund", "contact_name: Syntetisk Annen"),
        encoding="utf-8",
    )
    output = _setup("--strategy", str(changed))
    assert "contact_name" in output and "Syntetisk Kontakt" in output
    round_2024.refresh_from_db()
    assert round_2024.contact_name == "Syntetisk Kontakt"


def test_a_round_from_the_file_cannot_be_deleted_in_the_admin(round_2024, admin_client):
    response = admin_client.post(
        f"/admin/consultation/consultationround/{round_2024.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code in (200, 403)
    assert ConsultationRound.objects.filter(pk=round_2024.pk).exists()


def test_deleting_a_round_made_in_the_admin_is_recorded(loaded_strategy, admin_client, admin_user):
    made = ConsultationRound.objects.create(
        strategy=loaded_strategy,
        slug="synthetic-delete",
        title="Syntetisk høring som slettes",
        deadline=dt.datetime(2026, 1, 31, 12, tzinfo=OSLO),
    )
    response = admin_client.post(
        f"/admin/consultation/consultationround/{made.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ConsultationRound.objects.filter(pk=made.pk).exists()
    record = ChangeRecord.objects.get(action=ChangeRecord.Action.DELETE)
    assert (record.object_id, record.changed_by) == (str(made.pk), admin_user)
    assert "synthetic-delete" in record.old_value


def test_a_tag_on_a_category_cannot_be_cascaded_away_in_the_admin(
    round_2024, admin_client, admin_user
):
    submission = _mail(round_2024, 1)
    review.tag(submission, admin_user, focus_area=FocusArea.objects.get(slug="logistikk"))
    made = FocusArea.objects.create(
        strategy=round_2024.strategy, slug="synthetic-omrade", title="Syntetisk", description="x"
    )
    review.tag(submission, admin_user, focus_area=made)
    response = admin_client.post(f"/admin/strategy/focusarea/{made.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200  # the admin lists what protects it
    assert FocusArea.objects.filter(pk=made.pk).exists()
    assert submission.tags.count() == 2
