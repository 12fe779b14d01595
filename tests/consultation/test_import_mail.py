"""`retning import-mail`: files, directories, mbox, Maildir; the summary; the exit code."""

from __future__ import annotations

import mailbox
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from retning.consultation.models import ReceivedItem, Submission
from tests.conftest import SHARED_DIR
from tests.consultation.conftest import synthetic_mail

pytestmark = pytest.mark.django_db
WIRE_EMAIL = SHARED_DIR / "data" / "wire" / "email"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("import_mail", "--round", "2024", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _summary(text: str) -> dict[str, int]:
    fields = [part.rsplit(":", 1) for part in text.strip().split("  ")]
    return {name.strip(): int(value) for name, value in fields}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "innboks"
    folder.mkdir()
    (folder / "1.eml").write_bytes(synthetic_mail(message_id="<1@x>"))
    (folder / "2.eml").write_bytes(
        synthetic_mail("SV: Horingsinnspill naeringsstrategi", message_id="<2@x>")
    )
    (folder / "3.eml").write_bytes(synthetic_mail("Nyhetsbrev", message_id="<3@x>"))
    (folder / "4.eml").write_bytes(b"")
    return folder


def test_import_mail_directory_twice_changes_nothing(round_2024, tmp_path):
    folder = _folder(tmp_path)
    first = _summary(_run(str(folder)))
    assert first == {
        "stored": 4,
        "registered": 2,
        "already present": 0,
        "unmatched": 1,
        "automatic": 0,
        "duplicate": 0,
        "too large": 0,
        "failed": 1,
        "not stored": 0,
    }
    second = _summary(_run(str(folder)))
    assert second["stored"] == 0 and second["already present"] == 4
    assert ReceivedItem.objects.count() == 4
    assert Submission.objects.count() == 2


def test_import_mail_reads_mbox_and_maildir(round_2024, tmp_path):
    box = mailbox.mbox(tmp_path / "innspill.mbox")
    for n in range(3):
        box.add(synthetic_mail(message_id=f"<mbox{n}@x>", body=f"Forslag {n}"))
    box.close()
    maildir = mailbox.Maildir(tmp_path / "Maildir")
    for n in range(2):
        maildir.add(synthetic_mail(message_id=f"<md{n}@x>", body=f"Forslag md {n}"))
    summary = _summary(_run(str(tmp_path / "innspill.mbox"), str(tmp_path / "Maildir")))
    assert summary["stored"] == 5 and summary["registered"] == 5
    texts = set(Submission.objects.values_list("text", flat=True))
    assert {"Forslag 0", "Forslag 2", "Forslag md 1"} <= texts


def test_import_mail_fails_only_when_something_could_not_be_stored(round_2024, tmp_path):
    folder = _folder(tmp_path)
    with pytest.raises(CommandError, match="1 message"):
        _run(str(folder), str(tmp_path / "finnes-ikke.eml"))
    assert ReceivedItem.objects.count() == 4  # the readable ones were stored anyway


def test_import_mail_unknown_round_is_a_clear_error(loaded_strategy, tmp_path):
    with pytest.raises(CommandError, match="no consultation round with slug 'nope'"):
        call_command("import_mail", "--round", "nope", str(tmp_path))


@pytest.mark.skipif(not WIRE_EMAIL.is_dir(), reason=f"{WIRE_EMAIL} is not present")
def test_import_mail_wire_corpus_stores_every_message(round_2024):
    files = sorted(
        p for p in WIRE_EMAIL.rglob("*") if p.suffix in {".eml", ".txt"} and "LICENSE" not in p.name
    )
    distinct = {p.read_bytes() for p in files}
    summary = _summary(_run(*map(str, files)))
    assert summary["not stored"] == 0
    assert summary["stored"] == len(distinct) == ReceivedItem.objects.count()
    statuses = dict(ReceivedItem.objects.values_list("source", "status"))
    assert ReceivedItem.objects.filter(status=ReceivedItem.Status.PENDING).count() == 0
    by_name = {Path(source.split("#")[0]).name: status for source, status in statuses.items()}
    # Real-world outcomes: a headerless digest cannot be read; bounces and list mail are
    # automatic; ordinary mail with other subjects waits for staff as unmatched.
    assert by_name["msg_19.txt"] == ReceivedItem.Status.FAILED
    assert by_name["msg_25.txt"] == ReceivedItem.Status.AUTOMATIC
    assert by_name["msg_16.txt"] == ReceivedItem.Status.AUTOMATIC
    assert by_name["legacy_020.eml"] == ReceivedItem.Status.UNMATCHED
    assert ReceivedItem.objects.get(source__endswith="legacy_020.eml").subject == (
        "Die Hasen und die Frösche (Microsoft Outlook 00)"
    )
    # Nothing lost: every stored item's bytes are one of the files (for the two files that
    # are mbox files, less the blank line that separates mbox messages).
    stored = {bytes(r).rstrip(b"\n") for r in ReceivedItem.objects.values_list("raw", flat=True)}
    assert stored == {raw.rstrip(b"\n") for raw in distinct}


def test_import_mail_receipts_only_when_on_and_never_to_auto_replies(round_2024, tmp_path):
    from retning.consultation.models import OutgoingMail

    folder = tmp_path / "inn"
    folder.mkdir()
    (folder / "a.eml").write_bytes(synthetic_mail(message_id="<a@x>"))
    _run(str(folder))
    assert not OutgoingMail.objects.exists()  # off by default
    round_2024.send_receipts = True
    round_2024.save()
    (folder / "b.eml").write_bytes(synthetic_mail(message_id="<b@x>", sender="b@example.org"))
    (folder / "c.eml").write_bytes(
        synthetic_mail(
            message_id="<c@x>",
            sender="ferie@example.org",
            extra_headers={"Auto-Submitted": "auto-replied"},
        )
    )
    (folder / "d.eml").write_bytes(
        synthetic_mail(
            message_id="<d@x>", sender="nyhet@example.org", extra_headers={"Precedence": "bulk"}
        )
    )
    _run(str(folder))
    assert list(OutgoingMail.objects.values_list("to", flat=True)) == ["b@example.org"]
