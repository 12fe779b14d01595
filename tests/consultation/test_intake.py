"""Store first, then parse and register: the issue's corpus, each message stored and judged."""

from __future__ import annotations

import datetime as dt

import pytest

from retning.consultation import intake
from retning.consultation.models import Channel, ReceivedItem, Submission
from tests.consultation.conftest import SUBJECT, synthetic_mail
from tests.consultation.synthetic_files import (
    synthetic_docx,
    synthetic_encrypted_pdf,
    synthetic_odt,
    synthetic_pdf,
    synthetic_zip_bomb_docx,
)

pytestmark = pytest.mark.django_db


def _intake(round, raw: bytes) -> ReceivedItem:
    item, _ = intake.store_raw(round, Channel.EMAIL, raw)
    intake.process_item(item)
    item.refresh_from_db()
    return item


def test_store_raw_keeps_exact_bytes_before_parsing(round_2024):
    raw = synthetic_mail()
    item, created = intake.store_raw(round_2024, Channel.EMAIL, raw)
    assert created
    assert bytes(ReceivedItem.objects.get(pk=item.pk).raw) == raw
    assert item.status == ReceivedItem.Status.PENDING
    assert item.message_id == "<synthetic-1@example.org>"


def test_process_item_registers_matching_mail_with_reference(round_2024):
    item = _intake(round_2024, synthetic_mail("SV: horingsinnspill - NAERINGSSTRATEGI"))
    submission = item.submission
    assert item.status == ReceivedItem.Status.REGISTERED
    assert submission.reference == "H-2024-0001"
    assert submission.email == "kari@example.org"
    assert submission.name == "Kari Nordmann"
    assert "kollektivtilbud" in submission.text
    assert item.match_explanation.startswith("match: prefix")


def test_same_bytes_twice_give_one_item_and_one_submission(round_2024):
    raw = synthetic_mail()
    first = _intake(round_2024, raw)
    again, created = intake.store_raw(round_2024, Channel.EMAIL, raw)
    assert not created and again.pk == first.pk
    assert intake.process_item(again) == ReceivedItem.Status.REGISTERED
    assert Submission.objects.count() == 1


def test_duplicate_message_id_with_other_bytes_is_stored_not_registered(round_2024):
    first = _intake(round_2024, synthetic_mail(body="Første versjon"))
    second = _intake(round_2024, synthetic_mail(body="Andre versjon, samme Message-ID"))
    assert second.pk != first.pk
    assert second.status == ReceivedItem.Status.DUPLICATE
    assert second.duplicate_of_id == first.pk
    assert bytes(second.raw).endswith(b"samme Message-ID\n") or b"samme" in bytes(second.raw)
    assert Submission.objects.count() == 1


def test_message_without_message_id_is_deduplicated_by_bytes(round_2024):
    raw = synthetic_mail(message_id=None)
    _intake(round_2024, raw)
    _intake(round_2024, raw)
    _intake(round_2024, synthetic_mail(message_id=None, body="Et annet forslag"))
    assert ReceivedItem.objects.count() == 2
    assert Submission.objects.count() == 2


def test_unmatched_subject_is_stored_for_staff(round_2024):
    item = _intake(round_2024, synthetic_mail("Invitasjon til frokostmøte"))
    assert item.status == ReceivedItem.Status.UNMATCHED
    assert item.match_explanation.startswith("no-match")
    assert not Submission.objects.exists()


def test_auto_reply_is_stored_but_not_registered(round_2024):
    item = _intake(
        round_2024,
        synthetic_mail(
            "Automatisk svar: " + SUBJECT, extra_headers={"Auto-Submitted": "auto-replied"}
        ),
    )
    assert item.status == ReceivedItem.Status.AUTOMATIC
    assert not Submission.objects.exists()


def test_empty_message_is_stored_and_failed_with_reason(round_2024):
    item = _intake(round_2024, b"")
    assert item.status == ReceivedItem.Status.FAILED
    assert "empty message" in item.error
    assert item.size == 0


def test_latin1_and_misdeclared_charset_bodies_are_read(round_2024):
    latin1 = (
        "From: a@example.org\r\nSubject: Høringsinnspill næringsstrategi\r\n"
        "Message-ID: <l1@example.org>\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nBedre veier til Åsnes.\r\n"
    ).encode("latin-1")
    wrong = (
        b"From: b@example.org\r\nSubject: Horingsinnspill naeringsstrategi\r\n"
        b"Message-ID: <w1@example.org>\r\nContent-Type: text/plain; charset=us-ascii\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "Bedre veier til Åsnes.".encode()
    )
    for raw in (latin1, wrong):
        item = _intake(round_2024, raw)
        assert item.submission.text == "Bedre veier til Åsnes."


def test_html_only_mail_becomes_text(round_2024):
    item = _intake(round_2024, synthetic_mail(html="<p>Satsing på <b>logistikk</b></p>"))
    assert item.submission.text == "Satsing på logistikk"


def test_attachments_of_each_type_are_kept_and_read_or_flagged(round_2024):
    files = [
        ("forslag.pdf", "application/pdf", synthetic_pdf("Industriomrade Kongsvinger")),
        (
            "forslag.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            synthetic_docx("Bredbånd i Grue"),
        ),
        ("forslag.odt", "application/vnd.oasis.opendocument.text", synthetic_odt("Skog i Åsnes")),
        ("forslag.txt", "text/plain", b"Tekst fra Eidskog"),
        ("laast.pdf", "application/pdf", synthetic_encrypted_pdf()),
        ("bombe.docx", "application/octet-stream", synthetic_zip_bomb_docx()),
        ("tom.pdf", "application/pdf", b""),
    ]
    item = _intake(round_2024, synthetic_mail(attachments=files))
    attachments = {a.filename: a for a in item.submission.attachments.all()}
    assert set(attachments) == {name for name, _, _ in files}
    for name, _, data in files:
        assert bytes(attachments[name].data) == data
    assert "Industriomrade Kongsvinger" in attachments["forslag.pdf"].text
    assert attachments["forslag.docx"].text == "Bredbånd i Grue"
    assert attachments["forslag.odt"].text == "Skog i Åsnes"
    assert attachments["forslag.txt"].text == "Tekst fra Eidskog"
    assert (attachments["laast.pdf"].text_status, attachments["laast.pdf"].reason) == (
        "manual",
        "encrypted",
    )
    assert attachments["bombe.docx"].reason == "decompressed-too-large"
    assert (attachments["tom.pdf"].reason, attachments["tom.pdf"].size) == ("empty", 0)


def test_late_mail_is_registered_and_marked_late(round_2024):
    late = _intake(
        round_2024,
        synthetic_mail(message_id="<late@x>", received="Sun, 16 Jun 2024 00:00:01 +0200"),
    )
    on_time = _intake(
        round_2024, synthetic_mail(message_id="<ok@x>", received="Sat, 15 Jun 2024 23:59:59 +0200")
    )
    assert late.submission.on_time is False
    assert on_time.submission.on_time is True


def test_imap_internal_date_wins_over_received_header(round_2024):
    item, _ = intake.store_raw(
        round_2024,
        Channel.EMAIL,
        synthetic_mail(received="Sat, 15 Jun 2024 12:00:00 +0200"),
        internal_date=dt.datetime(2024, 6, 16, 9, 0, tzinfo=dt.UTC),
    )
    intake.process_item(item)
    assert item.submission.on_time is False


def test_reference_numbers_count_per_round(round_2024, synthetic_open_round):
    refs = [
        _intake(round_2024, synthetic_mail(message_id=f"<{n}@x>")).submission.reference
        for n in range(3)
    ]
    other = _intake(synthetic_open_round, synthetic_mail(message_id="<o@x>")).submission
    assert refs == ["H-2024-0001", "H-2024-0002", "H-2024-0003"]
    assert other.number == 1


def test_every_step_is_recorded_as_an_event(round_2024):
    item = _intake(round_2024, synthetic_mail())
    actions = list(item.events.values_list("action", "before", "after"))
    assert actions[0][0] == "stored"
    assert ("registered", "", "H-2024-0001") in actions
    assert ("status", "pending", "registered") in actions


def test_strategy_reload_never_deletes_a_round_with_proposals(synthetic_open_round):
    from retning.strategy.loader import load_strategy_file
    from tests.conftest import BUNDLED_STRATEGY

    submission = _intake(synthetic_open_round, synthetic_mail()).submission
    # The synthetic round is not in the strategy file; it was not made by it, so it stays.
    load_strategy_file(BUNDLED_STRATEGY)
    assert Submission.objects.filter(pk=submission.pk).exists()
    assert synthetic_open_round.__class__.objects.filter(pk=synthetic_open_round.pk).exists()


def test_broken_web_post_is_kept_and_failed_with_the_error(synthetic_open_round):
    item, _ = intake.store_raw(synthetic_open_round, Channel.WEB, b'{"fields": {"text": ')
    assert intake.process_item(item) == ReceivedItem.Status.FAILED
    stored = ReceivedItem.objects.get(pk=item.pk)
    assert stored.error.startswith("JSONDecodeError")
    assert bytes(stored.raw) == b'{"fields": {"text": '


def test_mailbox_without_received_headers_imported_after_the_deadline_is_on_time(
    round_2024, tmp_path
):
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    assert timezone.now() > round_2024.deadline  # the import happens after the deadline
    folder = tmp_path / "eksport"
    folder.mkdir()
    for n in range(10):
        (folder / f"{n}.eml").write_bytes(
            synthetic_mail(message_id=f"<uten-received-{n}@x>", body=f"Forslag {n}", received=None)
        )
    call_command("import_mail", "--round", "2024", str(folder), stdout=StringIO())
    submissions = Submission.objects.select_related("item")
    assert submissions.count() == 10
    for submission in submissions:
        assert submission.on_time, submission.reference
        assert submission.reached_us_at == dt.datetime(2024, 6, 14, 7, 59, tzinfo=dt.UTC)
        assert submission.item.arrival_source == "date"  # the sender's clock, flagged
        assert submission.item.arrival_uncertain


def test_mail_without_any_date_is_flagged_with_the_import_time(round_2024):
    item = _intake(round_2024, synthetic_mail(received=None, date=None))
    assert item.arrival_source == "imported" and item.arrival_uncertain
    assert item.submission.reached_us_at == item.received_at
    assert item.submission.on_time is False  # imported after the deadline, and flagged


def test_far_future_received_date_is_registered_with_the_next_date_and_flagged(round_2024):
    item = _intake(round_2024, synthetic_mail(received="Fri, 31 Dec 9999 23:59:59 -1200"))
    assert item.status == ReceivedItem.Status.REGISTERED
    assert item.arrival_source == "date"
    assert item.arrival_issues == [
        {"header": "Received", "value": "Fri, 31 Dec 9999 23:59:59 -1200", "problem": "future"}
    ]
    assert item.submission.on_time is True


def test_oversized_mail_is_kept_raw_and_waits_for_staff(round_2024, settings):
    from django.contrib.auth.models import User

    long_text = "Lang tekst. " * 9000  # 108 000 characters, over the default cap
    raw = synthetic_mail(body=long_text)
    item = _intake(round_2024, raw)
    assert item.status == ReceivedItem.Status.OVERSIZED
    assert item.error.startswith("too large: text 107999 characters (limit 100000)")
    assert bytes(item.raw) == raw and not Submission.objects.exists()
    settings.RETNING_PROPOSAL_MAX_BYTES = 1024**2
    files = [("stor.txt", "text/plain", b"a" * (2 * 1024**2))]
    heavy = _intake(round_2024, synthetic_mail(message_id="<tung@x>", attachments=files))
    assert heavy.status == ReceivedItem.Status.OVERSIZED
    assert "attachments 2097152 B together" in heavy.error
    # Staff decide: registered in full.
    staff = User.objects.create_superuser("stab", "stab@example.org", "x")
    submission = intake.accept_item(item, staff)
    assert submission.text.strip() == long_text.strip()
