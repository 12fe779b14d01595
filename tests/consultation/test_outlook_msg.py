"""Outlook .msg files (dragged out of Outlook by staff) import like the same mail as .eml.

The .msg files are written by aspose-email-foss, an Outlook .msg writer independent of
extract-msg, which Retning reads them with. They are synthetic: the properties are set
as Outlook sets them for a received internet mail (the internet headers in
PR_TRANSPORT_MESSAGE_HEADERS, the delivery time, sender name and SMTP address).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from retning.consultation.models import ReceivedItem, Submission
from tests.consultation.conftest import SUBJECT, synthetic_mail

pytestmark = pytest.mark.django_db

BODY = "Vi foreslår bedre kollektivtilbud mellom kommunene.\n\nHilsen Kari"
ATTACHMENT = (
    "innspill-synthetic.txt",
    "text/plain",
    b"Forslag: nattbuss til Kongsvinger.\n",
)
# The Received header's time: when the municipality's mail server took the mail in.
ARRIVED = dt.datetime(2024, 6, 14, 8, 0, tzinfo=dt.UTC)

PR_SENDER_ADDRTYPE = 0x0C1E
PR_SENDER_SMTP_ADDRESS = 0x5D01
PR_CLIENT_SUBMIT_TIME = 0x0039


def _eml(message_id: str = "<msg-1@example.org>") -> bytes:
    return synthetic_mail(
        body=BODY,
        message_id=message_id,
        received="Fri, 14 Jun 2024 10:00:00 +0200",
        attachments=[ATTACHMENT],
    )


def synthetic_msg(
    eml: bytes | None,
    *,
    delivered: dt.datetime | None = ARRIVED,
    sender_dn: bool = False,
    subject: str = SUBJECT,
) -> bytes:
    """A .msg as Outlook saves a received mail: with `eml`'s internet headers if given."""
    from aspose.email_foss.msg import MapiMessage, PropertyId, PropertyTypeCode

    message = MapiMessage.create(subject, BODY.replace("\n", "\r\n"))
    message.message_class = "IPM.Note"
    message.set_property(PropertyId.SENDER_NAME, "Kari Nordmann")
    if sender_dn:  # a sender inside the same Exchange organisation: an X.500 address
        message.set_property(
            PropertyId.SENDER_EMAIL_ADDRESS,
            "/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=KARI",
        )
        message.set_property(PR_SENDER_ADDRTYPE, PropertyTypeCode.PTYP_STRING, "EX")
    else:
        message.set_property(PropertyId.SENDER_EMAIL_ADDRESS, "kari@example.org")
        message.set_property(PR_SENDER_ADDRTYPE, PropertyTypeCode.PTYP_STRING, "SMTP")
    message.set_property(PR_SENDER_SMTP_ADDRESS, PropertyTypeCode.PTYP_STRING, "kari@example.org")
    message.set_property(
        PR_CLIENT_SUBMIT_TIME,
        PropertyTypeCode.PTYP_TIME,
        dt.datetime(2024, 6, 14, 7, 59, tzinfo=dt.UTC),
    )
    if delivered is not None:
        message.set_property(PropertyId.MESSAGE_DELIVERY_TIME, delivered)
    if eml is not None:
        headers = eml.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0].decode("ascii")
        message.set_property(
            PropertyId.TRANSPORT_MESSAGE_HEADERS, headers.replace("\n", "\r\n") + "\r\n"
        )
        message.set_property(PropertyId.INTERNET_MESSAGE_ID, "<msg-1@example.org>")
    message.add_recipient("post@example.org", display_name="Postmottak")
    name, ctype, data = ATTACHMENT
    message.add_attachment(name, data, mime_type=ctype)
    return message.to_bytes()


def _import(path: Path) -> str:
    out = StringIO()
    call_command("import_mail", "--round", "2024", str(path), stdout=out, stderr=StringIO())
    return out.getvalue()


def _assert_like_the_eml(submission: Submission) -> None:
    # as the .eml intake keeps it: the mail's own CRLF line ends
    assert submission.text == BODY.replace("\n", "\r\n")
    assert submission.subject == SUBJECT
    assert submission.name == "Kari Nordmann"
    assert submission.email == "kari@example.org"
    assert submission.reached_us_at == ARRIVED
    assert submission.on_time is True
    [attachment] = submission.attachments.all()
    assert (attachment.filename, bytes(attachment.data)) == (ATTACHMENT[0], ATTACHMENT[2])
    assert attachment.text.strip() == "Forslag: nattbuss til Kongsvinger."


def test_the_synthetic_msg_is_an_ole_compound_file():
    assert synthetic_msg(_eml())[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_eml_import_is_the_reference(round_2024, tmp_path):
    path = tmp_path / "innspill.eml"
    path.write_bytes(_eml())
    assert "registered: 1" in _import(path)
    submission = Submission.objects.get()
    _assert_like_the_eml(submission)
    assert submission.item.arrival_source == "received"


def test_msg_imports_like_the_eml_and_keeps_its_bytes(round_2024, tmp_path):
    raw = synthetic_msg(_eml())
    path = tmp_path / "innspill.msg"
    path.write_bytes(raw)
    assert "registered: 1" in _import(path)
    submission = Submission.objects.get()
    _assert_like_the_eml(submission)
    item = submission.item
    assert bytes(item.raw) == raw  # the .msg itself is what is stored
    assert item.message_id == "<msg-1@example.org>"
    assert item.arrival_source == "internal-date"  # the delivery time, like INTERNALDATE
    assert "read from an Outlook .msg file" in item.error


def test_msg_delivery_time_decides_like_internaldate(round_2024, tmp_path):
    # Received says on time (the sender's server); the mailbox got it after the deadline.
    late = dt.datetime(2024, 6, 15, 22, 10, tzinfo=dt.UTC)
    path = tmp_path / "sent.msg"
    path.write_bytes(synthetic_msg(_eml(), delivered=late))
    _import(path)
    submission = Submission.objects.get()
    assert submission.reached_us_at == late
    assert submission.on_time is False


def test_msg_made_in_outlook_without_internet_headers(round_2024, tmp_path):
    path = tmp_path / "intern.msg"
    path.write_bytes(synthetic_msg(None, sender_dn=True))
    assert "registered: 1" in _import(path)
    submission = Submission.objects.get()
    # From the MAPI properties: the SMTP address, not the X.500 one
    _assert_like_the_eml(submission)


def test_msg_of_a_mail_already_imported_is_a_duplicate(round_2024, tmp_path):
    (tmp_path / "a.eml").write_bytes(_eml())
    (tmp_path / "b.msg").write_bytes(synthetic_msg(_eml()))
    out = _import(tmp_path)  # a directory of both
    assert "stored: 2" in out and "registered: 1" in out and "duplicate: 1" in out
    assert ReceivedItem.objects.get(status="duplicate").source.endswith("b.msg")


def test_msg_without_subject_match_waits_for_staff(round_2024, tmp_path):
    path = tmp_path / "annet.msg"
    path.write_bytes(synthetic_msg(None, subject="Spørsmål om parkering"))
    assert "unmatched: 1" in _import(path)


def test_broken_msg_is_kept_and_failed_with_a_reason(round_2024, tmp_path):
    raw = synthetic_msg(_eml())
    broken = raw[:512] + b"\x00" * 1024  # the header of a compound file, then nothing
    path = tmp_path / "broken.msg"
    path.write_bytes(broken)
    out = _import(path)
    assert "stored: 1" in out and "failed: 1" in out
    item = ReceivedItem.objects.get()
    assert bytes(item.raw) == broken
    assert "not a readable Outlook .msg file" in item.error


def test_staff_download_of_a_msg_is_named_msg(round_2024, tmp_path, client, django_user_model):
    from django.contrib.auth.models import Group

    path = tmp_path / "innspill.msg"
    path.write_bytes(synthetic_msg(_eml()))
    _import(path)
    user = django_user_model.objects.create_user("saks", password="x")
    user.groups.add(Group.objects.get_or_create(name="Saksbehandlere")[0])
    client.force_login(user)
    response = client.get(reverse("staff-item-raw", args=[ReceivedItem.objects.get().pk]))
    assert response.status_code == 200
    assert 'filename="mottatt-' in response["Content-Disposition"]
    assert '.msg"' in response["Content-Disposition"]


def test_import_mail_without_paths_names_the_choices(round_2024):
    with pytest.raises(CommandError, match="--graph"):
        call_command("import_mail", "--round", "2024", stdout=StringIO())


def test_msg_with_an_attached_mail_reads_it_as_forwarded(round_2024, tmp_path):
    from aspose.email_foss.msg import MapiMessage, PropertyId

    inner = MapiMessage.create("Innspill fra styret", "Styret støtter forslaget.")
    inner.set_property(PropertyId.SENDER_NAME, "Styreleder")
    outer = MapiMessage.create(SUBJECT, "Se vedlagt e-post.")
    outer.set_property(PropertyId.SENDER_NAME, "Kari Nordmann")
    outer.add_embedded_message_attachment(inner, filename="styret.msg")
    path = tmp_path / "videresendt.msg"
    path.write_bytes(outer.to_bytes())
    assert "registered: 1" in _import(path)
    text = Submission.objects.get().text
    assert "Se vedlagt e-post." in text and "Styret støtter forslaget." in text


def test_person_delete_erases_a_mention_inside_a_msg_and_keeps_it_readable(round_2024, tmp_path):
    from aspose.email_foss.msg import MapiMessage, PropertyId, PropertyTypeCode

    from retning.consultation import mail, personal

    kari = "kari.nordmann@example.org"
    message = MapiMessage.create(SUBJECT, f"Jeg støtter forslaget fra {kari} om buss.")
    message.set_property(PropertyId.SENDER_NAME, "Ola Nordmann")
    message.set_property(PR_SENDER_SMTP_ADDRESS, PropertyTypeCode.PTYP_STRING, "ola@example.org")
    raw = message.to_bytes()
    assert kari.encode("utf-16-le") in raw  # the body is stored as UTF-16LE text
    path = tmp_path / "ola.msg"
    path.write_bytes(raw)
    assert "registered: 1" in _import(path)
    item = ReceivedItem.objects.get()

    exported = personal.export_person(kari)
    assert {"record": f"consultation.receiveditem:{item.pk}", "fields": ["raw"]} in exported[
        "elsewhere"
    ]
    personal.delete_person(kari)
    item.refresh_from_db()
    erased = bytes(item.raw)
    assert len(erased) == len(raw)
    assert kari.encode("utf-16-le") not in erased.lower() and kari.encode() not in erased.lower()
    parsed = mail.parse_message(erased)  # still a readable .msg
    assert parsed.from_address == "ola@example.org"
    assert parsed.body.startswith("Jeg støtter forslaget fra [slettet]")
    assert kari not in parsed.body
