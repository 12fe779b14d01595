"""`retning import-mail --imap` against a real IMAP conversation on loopback."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from retning.consultation.models import ReceivedItem, Submission
from tests.consultation.conftest import synthetic_mail
from tests.consultation.imap_server import Mailbox, serve

pytestmark = pytest.mark.django_db


@pytest.fixture
def imap(settings):
    mailbox = Mailbox("innspill", "hemmelig")
    server, port = serve(mailbox)
    settings.RETNING_IMAP_HOST = "127.0.0.1"
    settings.RETNING_IMAP_PORT = port
    settings.RETNING_IMAP_SSL = False
    settings.RETNING_IMAP_USER = "innspill"
    settings.RETNING_IMAP_PASSWORD = "hemmelig"
    yield mailbox
    server.shutdown()
    server.server_close()


def _run() -> str:
    out = StringIO()
    call_command("import_mail", "--round", "2024", "--imap", stdout=out)
    return out.getvalue()


def test_imap_import_stores_flags_and_uses_internal_date(round_2024, imap):
    # Received header says on time; the mailbox's INTERNALDATE says late: INTERNALDATE wins.
    imap.add(
        synthetic_mail(message_id="<i1@x>", received="Sat, 15 Jun 2024 12:00:00 +0200"),
        "16-Jun-2024 00:10:00 +0200",
    )
    imap.add(synthetic_mail(message_id="<i2@x>"), "14-Jun-2024 09:00:00 +0200")
    imap.add(synthetic_mail("Nyhetsbrev", message_id="<i3@x>"), "14-Jun-2024 09:00:00 +0200")
    first = _run()
    assert "stored: 3" in first and "registered: 2" in first and "unmatched: 1" in first
    assert all("RetningStored" in m.flags for m in imap.messages.values())
    assert not any("\\Seen" in m.flags for m in imap.messages.values())
    late = Submission.objects.get(item__message_id="<i1@x>")
    assert late.on_time is False
    assert late.reached_us_at.isoformat() == "2024-06-15T22:10:00+00:00"
    assert bytes(late.item.raw) == imap.messages[1].raw


def test_imap_second_run_fetches_nothing_new(round_2024, imap):
    imap.add(synthetic_mail(message_id="<i1@x>"), "14-Jun-2024 09:00:00 +0200")
    _run()
    imap.commands.clear()
    second = _run()
    assert "stored: 0" in second
    assert not any(c.startswith("UID FETCH") for c in imap.commands)
    assert ReceivedItem.objects.count() == 1


def test_imap_message_stored_but_not_flagged_is_already_present(round_2024, imap):
    imap.add(synthetic_mail(message_id="<i1@x>"), "14-Jun-2024 09:00:00 +0200")
    _run()
    imap.messages[1].flags.clear()  # as if the run died between commit and flag
    again = _run()
    assert "already present: 1" in again
    assert Submission.objects.count() == 1


def test_imap_wrong_password_is_a_clear_error(round_2024, imap, settings):
    settings.RETNING_IMAP_PASSWORD = "feil"
    with pytest.raises(CommandError, match="IMAP"):
        _run()
