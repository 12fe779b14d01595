"""One person's data: person-export shows everything still held about an address, and
person-delete and retention erase it everywhere — database, outbox, sent-mail files."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from retning.consultation import intake, personal, review
from retning.consultation.models import (
    Channel,
    OutgoingMail,
    ReceivedItem,
    Submission,
    SubmissionEvent,
)
from retning.consultation.receipts import send_receipt
from retning.consultation_analysis.models import DuplicateGroupRecord
from tests.consultation.conftest import synthetic_mail

pytestmark = pytest.mark.django_db

KARI = "kari.nordmann@example.org"
SENDER = f"Kari Nordmann <{KARI}>"


@pytest.fixture
def sent_mail(settings, tmp_path):
    """Receipts written by the file mail backend into the data dir, as `make run` does."""
    settings.DATA_DIR = tmp_path
    folder = tmp_path / "sent-mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(folder)},
        }
    }
    return folder


def _store(round, raw: bytes, *, process: bool = True) -> ReceivedItem:
    item, _ = intake.store_raw(round, Channel.EMAIL, raw)
    if process:
        intake.process_item(item)
    item.refresh_from_db()
    return item


@pytest.fixture
def kari_everywhere(round_2024, synthetic_open_round, sent_mail, client):
    """Kari's data in every state Retning keeps it, and her address in Ola's proposal."""
    admin = User.objects.create_user("stab", password="x")
    admin.groups.add(Group.objects.get(name="Administratorer"))
    for round in (round_2024, synthetic_open_round):
        round.send_receipts = True
        round.save()
    # A web-form proposal with an attachment named after her, and its receipt.
    response = client.post(
        reverse("consultation", args=[synthetic_open_round.slug]),
        {
            "name": "Kari Nordmann",
            "email": KARI,
            "submitter_type": "private",
            "text": "Bedre busstilbud til Skarnes.",
            "attachments": SimpleUploadedFile(
                "Kari Nordmann - innspill.txt", f"Hilsen {KARI}".encode(), "text/plain"
            ),
        },
    )
    assert response.status_code == 302
    # E-mails: registered (with a receipt), unmatched, automatic, unreadable, never processed.
    registered = _store(
        round_2024,
        synthetic_mail(
            sender=SENDER,
            message_id="<k1@x>",
            attachments=[("kari-nordmann.txt", "text/plain", b"Mer om bussen.")],
        ),
    )
    send_receipt(registered.submission)
    review.set_submitter(
        registered.submission,
        admin,
        name="Kari N.",
        organisation="",
        orgnr="",
        submitter_type="private",
        municipality="",
        consent_publish_name=False,
    )
    _store(round_2024, synthetic_mail("Spørsmål", sender=SENDER, message_id="<k2@x>"))
    _store(
        round_2024,
        synthetic_mail(
            "Fravær", sender=SENDER, message_id="<k3@x>", extra_headers={"Auto-Submitted": "auto"}
        ),
    )
    _store(round_2024, f"\n\nInnspill fra {KARI} uten brevhode.".encode())
    _store(round_2024, synthetic_mail(sender=SENDER, message_id="<k5@x>"), process=False)
    # Ola's proposal quotes her address; staff note it too.
    ola = _store(
        round_2024,
        synthetic_mail(
            sender="Ola <ola@example.org>",
            message_id="<o1@x>",
            body=f"Jeg støtter forslaget fra {KARI.upper()} om buss.",
        ),
    ).submission
    review.add_note(ola, admin, f"Se også innspillet fra {KARI}.")
    # The stored analysis keeps words of the texts (here a group's shared words).
    DuplicateGroupRecord.objects.create(
        round=round_2024, key="g1", template=["forslaget", "fra", KARI], size=2
    )
    return {"ola": ola, "registered": registered}


def _everything_in_the_database() -> list[str]:
    """Every value of every table, as text: where the address must not be after erasure."""
    found = []
    for table in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    if isinstance(value, str) and KARI in value.lower():
                        found.append(f"{table}: {value[:80]!r}")
    return found


def _files(folder) -> dict[str, str]:
    return {p.name: p.read_text("utf-8", "replace") for p in folder.glob("*") if p.is_file()}


def _person_export() -> dict:
    out = StringIO()
    call_command("submissions", "person-export", "--email", KARI.upper(), stdout=out)
    return json.loads(out.getvalue())


def test_person_export_lists_everything_held_about_the_address(kari_everywhere, sent_mail):
    document = _person_export()
    assert sorted(i["status"] for i in document["items"]) == [
        "automatic",
        "failed",
        "pending",
        "registered",
        "registered",
        "unmatched",
    ]
    attachments = [
        a["filename"]
        for i in document["items"]
        for a in i.get("submission", {}).get("attachments", [])
    ]
    assert sorted(attachments) == ["Kari Nordmann - innspill.txt", "kari-nordmann.txt"]
    assert sorted(m["to"] for m in document["outbox"]) == [KARI, KARI]
    # Two receipts; the file backend may write both into one file within the same second.
    assert len(document["sent_mail"]) == 2
    assert sum(text.count(KARI) for text in _files(sent_mail).values()) >= 2
    assert all(KARI in m["message"] for m in document["sent_mail"])
    elsewhere = {e["record"]: e["fields"] for e in document["elsewhere"]}
    ola = kari_everywhere["ola"]
    assert elsewhere[f"consultation.submission:{ola.pk}"] == ["text"]
    assert elsewhere[f"consultation.receiveditem:{ola.item_id}"] == ["raw"]
    note = SubmissionEvent.objects.get(submission=ola, action="note")
    assert elsewhere[f"consultation.submissionevent:{note.pk}"] == ["detail"]
    group = DuplicateGroupRecord.objects.get()
    assert elsewhere[f"consultation_analysis.duplicategrouprecord:{group.pk}"] == ["template"]


def test_person_delete_leaves_the_address_nowhere(kari_everywhere, sent_mail):
    assert _everything_in_the_database()  # it is there to begin with
    out = StringIO()
    call_command("submissions", "person-delete", "--email", KARI, "--yes", stdout=out)
    assert _everything_in_the_database() == []
    assert [name for name, text in _files(sent_mail).items() if KARI in text.lower()] == []
    assert out.getvalue().strip() == "erased: 6  outbox: 2  sent mail: 2  mentions: 4"
    document = _person_export()
    del document["email"]  # the question, not an answer
    assert KARI not in json.dumps(document).lower()
    assert document["items"] == document["outbox"] == document["sent_mail"] == []
    assert document["elsewhere"] == []
    # Ola's proposal stays, without her address; the tombstones stay.
    ola = Submission.objects.get(pk=kari_everywhere["ola"].pk)
    assert ola.text == "Jeg støtter forslaget fra [slettet] om buss."
    assert DuplicateGroupRecord.objects.get().template == ["forslaget", "fra", "[slettet]"]
    assert ReceivedItem.objects.filter(personal_data_erased=True).count() == 6
    assert not OutgoingMail.objects.exists()


def test_erased_attachment_names_and_submitter_history_are_gone(kari_everywhere):
    personal.delete_person(KARI)
    registered = Submission.objects.get(pk=kari_everywhere["registered"].submission.pk)
    assert list(registered.attachments.values_list("filename", flat=True)) == ["vedlegg-1.txt"]
    changes = SubmissionEvent.objects.filter(submission=registered, action="submitter:name")
    assert list(changes.values_list("before", "after")) == [("[slettet]", "[slettet]")]


def test_retention_erases_outbox_sent_mail_pending_items_and_attachment_names(
    round_2024, sent_mail
):
    round_2024.send_receipts = True
    round_2024.save()
    registered = _store(
        round_2024,
        synthetic_mail(
            sender=SENDER,
            body="Bedre buss. Ring 912 34 567.",
            attachments=[("Kari Nordmann.txt", "text/plain", b"Buss")],
        ),
    )
    send_receipt(registered.submission)
    pending = _store(
        round_2024, synthetic_mail(sender=SENDER, message_id="<p@x>", received=None), process=False
    )
    round_2024.retention_days = 30
    round_2024.save()
    erased = personal.apply_retention(round_2024.deadline + dt.timedelta(days=31))
    submission = Submission.objects.get(pk=registered.submission.pk)
    assert submission.text.startswith("Bedre buss.") and "912 34 567" not in submission.text
    assert list(submission.attachments.values_list("filename", flat=True)) == ["vedlegg-1.txt"]
    assert bytes(ReceivedItem.objects.get(pk=pending.pk).raw) == b""
    assert not OutgoingMail.objects.exists()
    assert _files(sent_mail) == {}
    assert _everything_in_the_database() == []
    assert (erased.items, erased.outbox, erased.sent_mail) == (2, 1, 1)
