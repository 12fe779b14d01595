"""`retning import-mail --imap` with RETNING_IMAP_AUTH=xoauth2: Exchange Online's sign-in.

The token comes from the Entra ID stand-in (client credentials, scope
https://outlook.office365.com/.default); the loopback IMAP server accepts only a token
that stand-in issued for that scope, as Exchange Online accepts only its own audience.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from retning.consultation.models import Submission
from tests.consultation.conftest import synthetic_mail
from tests.consultation.imap_server import Mailbox, serve
from tests.consultation.test_graph import certificate, graph  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

OUTLOOK = "https://outlook.office365.com/.default"


@pytest.fixture
def exchange(settings, graph):  # noqa: F811
    mailbox = Mailbox(graph.mailbox, "basic-auth-is-off", lambda t: graph.token_for(t, OUTLOOK))
    server, port = serve(mailbox)
    settings.RETNING_IMAP_HOST = "127.0.0.1"
    settings.RETNING_IMAP_PORT = port
    settings.RETNING_IMAP_SSL = False
    settings.RETNING_IMAP_USER = graph.mailbox
    settings.RETNING_IMAP_PASSWORD = ""
    settings.RETNING_IMAP_AUTH = "xoauth2"
    yield mailbox
    server.shutdown()
    server.server_close()


def _run() -> str:
    out = StringIO()
    call_command("import_mail", "--round", "2024", "--imap", stdout=out)
    return out.getvalue()


def test_xoauth2_signs_in_with_the_app_token_and_imports(round_2024, exchange, graph):  # noqa: F811
    exchange.add(synthetic_mail(message_id="<x1@x>"), "14-Jun-2024 09:00:00 +0200")
    out = _run()
    assert "registered: 1" in out
    assert graph.scopes == [OUTLOOK]
    assert any(c == "AUTHENTICATE XOAUTH2" for c in exchange.commands)
    assert not any(c.startswith("LOGIN") for c in exchange.commands)
    assert Submission.objects.get().item.arrival_source == "internal-date"


def test_xoauth2_refused_says_what_to_grant(round_2024, exchange, graph):  # noqa: F811
    exchange.bearer_ok = lambda token: False  # e.g. no IMAP.AccessAsApp, no mailbox access
    with pytest.raises(CommandError) as raised:
        _run()
    message = str(raised.value)
    assert message.startswith("IMAP: the IMAP server refused XOAUTH2 sign-in")
    assert "IMAP.AccessAsApp" in message and "RETNING_IMAP_USER" in message


def test_xoauth2_wrong_secret_names_the_secret(round_2024, exchange, settings):
    settings.RETNING_GRAPH_CLIENT_SECRET = "feil"
    with pytest.raises(CommandError, match="RETNING_GRAPH_CLIENT_SECRET is wrong"):
        _run()


def test_unknown_imap_auth_names_the_setting(round_2024, exchange, settings):
    settings.RETNING_IMAP_AUTH = "kerberos"
    with pytest.raises(CommandError, match="RETNING_IMAP_AUTH is 'kerberos'"):
        _run()
