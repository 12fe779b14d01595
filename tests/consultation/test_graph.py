"""`retning import-mail --graph` against Entra ID and Microsoft Graph stand-ins on loopback."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from retning.consultation.models import ReceivedItem, Submission
from tests.consultation.conftest import synthetic_mail
from tests.consultation.graph_server import Tenant, make_certificate, serve

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def graph(settings, certificate):
    tenant = Tenant()
    server, origin = serve(tenant, *certificate)
    settings.RETNING_GRAPH_TENANT_ID = tenant.tenant_id
    settings.RETNING_GRAPH_CLIENT_ID = tenant.client_id
    settings.RETNING_GRAPH_CLIENT_SECRET = tenant.client_secret
    settings.RETNING_GRAPH_MAILBOX = tenant.mailbox
    settings.RETNING_GRAPH_FOLDER = "inbox"
    settings.RETNING_GRAPH_AUTHORITY = origin
    settings.RETNING_GRAPH_BASE_URL = f"{origin}/v1.0"
    settings.RETNING_GRAPH_CA_BUNDLE = str(certificate[0])
    settings.RETNING_GRAPH_TIMEOUT = 10
    yield tenant
    server.shutdown()
    server.server_close()


def _run() -> str:
    out = StringIO()
    call_command("import_mail", "--round", "2024", "--graph", stdout=out)
    return out.getvalue()


def test_graph_import_pages_stores_mime_marks_and_uses_received_time(round_2024, graph):
    # The Received header says on time; the mailbox received it late: receivedDateTime wins,
    # as INTERNALDATE does over IMAP.
    late = graph.add(
        synthetic_mail(message_id="<g1@x>", received="Sat, 15 Jun 2024 12:00:00 +0200"),
        "2024-06-15T22:10:00Z",
    )
    graph.add(synthetic_mail(message_id="<g2@x>"), "2024-06-14T08:00:00Z")
    graph.add(synthetic_mail("Nyhetsbrev", message_id="<g3@x>"), "2024-06-14T08:00:00Z")
    out = _run()
    assert "stored: 3" in out and "registered: 2" in out and "unmatched: 1" in out
    # three messages at two a page: the second page came through @odata.nextLink
    lists = [r for r in graph.requests if r.endswith("/mailFolders/inbox/messages")]
    assert len(lists) == 2
    assert all(m.categories == ["Retning lagret"] for m in graph.messages["inbox"])
    submission = Submission.objects.get(item__message_id="<g1@x>")
    assert submission.on_time is False
    assert submission.reached_us_at.isoformat() == "2024-06-15T22:10:00+00:00"
    assert submission.item.arrival_source == "internal-date"
    assert bytes(submission.item.raw) == late.mime
    assert submission.item.source == f"graph:{graph.mailbox}:inbox:{late.id}"
    assert graph.scopes == ["https://graph.microsoft.com/.default"]


def test_graph_second_run_fetches_nothing_new(round_2024, graph):
    graph.add(synthetic_mail(message_id="<g1@x>"), "2024-06-14T08:00:00Z")
    _run()
    graph.requests.clear()
    second = _run()
    assert "stored: 0" in second
    assert not any(r.endswith("/$value") for r in graph.requests)
    assert ReceivedItem.objects.count() == 1
    assert len(graph.issued) == 1  # the token was reused, not fetched again


def test_graph_message_stored_but_not_marked_is_only_marked(round_2024, graph):
    message = graph.add(synthetic_mail(message_id="<g1@x>"), "2024-06-14T08:00:00Z")
    _run()
    message.categories.clear()  # as if the run died between commit and marking
    message.mime = synthetic_mail(message_id="<g1@x>", date="Fri, 14 Jun 2024 09:59:01 +0200")
    graph.requests.clear()  # ^ Exchange may build the MIME afresh: other bytes, same mail
    again = _run()
    assert "stored: 0" in again
    assert not any(r.endswith("/$value") for r in graph.requests)
    assert ReceivedItem.objects.count() == 1 and Submission.objects.count() == 1
    assert message.categories == ["Retning lagret"]


def test_graph_keeps_other_categories(round_2024, graph):
    message = graph.add(synthetic_mail(message_id="<g1@x>"), "2024-06-14T08:00:00Z")
    message.categories = ["Blå kategori"]
    _run()
    assert message.categories == ["Blå kategori", "Retning lagret"]


def test_graph_waits_out_throttling(round_2024, graph):
    graph.add(synthetic_mail(message_id="<g1@x>"), "2024-06-14T08:00:00Z")
    graph.throttle = 2  # two 429 answers with Retry-After: 1, then normal service
    out = _run()
    assert "registered: 1" in out
    assert graph.throttle == 0


def test_graph_renews_an_expired_token(round_2024, graph):
    graph.add(synthetic_mail(message_id="<g1@x>"), "2024-06-14T08:00:00Z")
    _run()
    graph.expire_tokens()
    graph.add(synthetic_mail(message_id="<g2@x>"), "2024-06-14T09:00:00Z")
    out = _run()
    assert "registered: 1" in out
    assert len(graph.issued) == 2


@pytest.mark.parametrize("by", ["name", "id"])
def test_graph_folder_by_display_name_or_id(round_2024, graph, settings, by):
    folder = graph.folders["Høringer"]
    graph.add(synthetic_mail(message_id="<g1@x>"), "2024-06-14T08:00:00Z", folder)
    graph.add(synthetic_mail(message_id="<g2@x>"), "2024-06-14T08:00:00Z")  # the inbox
    settings.RETNING_GRAPH_FOLDER = "Høringer" if by == "name" else folder
    out = _run()
    assert "stored: 1" in out
    assert ReceivedItem.objects.get().message_id == "<g1@x>"


@pytest.mark.parametrize(
    ("change", "names"),
    [
        ({"RETNING_GRAPH_CLIENT_SECRET": "feil"}, "RETNING_GRAPH_CLIENT_SECRET is wrong"),
        ({"RETNING_GRAPH_CLIENT_ID": "feil"}, "RETNING_GRAPH_CLIENT_ID is not an application"),
        ({"RETNING_GRAPH_TENANT_ID": "feil"}, "RETNING_GRAPH_TENANT_ID 'feil' was not found"),
        ({"RETNING_GRAPH_MAILBOX": "annen@kommune.example"}, "(RETNING_GRAPH_MAILBOX)"),
        ({"RETNING_GRAPH_FOLDER": "AAMkAGI2TGuLAAAFinnesIkkeAAA="}, "(RETNING_GRAPH_FOLDER)"),
        ({"RETNING_GRAPH_FOLDER": "Finnes ikke"}, "no folder 'Finnes ikke' in it"),
        ({"RETNING_GRAPH_AUTHORITY": "http://127.0.0.1:1"}, "RETNING_GRAPH_AUTHORITY must be"),
        ({"RETNING_GRAPH_CLIENT_SECRET": ""}, "not set: RETNING_GRAPH_CLIENT_SECRET"),
    ],
)
def test_graph_setting_errors_name_the_setting(round_2024, graph, settings, change, names):
    for name, value in change.items():
        setattr(settings, name, value)
    with pytest.raises(CommandError) as raised:
        _run()
    message = str(raised.value)
    assert message.startswith("Microsoft Graph: ")
    assert names in message
    assert "\n" not in message
    assert ReceivedItem.objects.count() == 0


def test_graph_access_policy_refusal_says_what_to_grant(round_2024, graph):
    graph.allowed_mailboxes = {"annen@kommune.example"}
    with pytest.raises(CommandError, match=r"Mail\.ReadWrite") as raised:
        _run()
    assert "application access policy must include this mailbox" in str(raised.value)
    assert "ErrorAccessDenied" in str(raised.value)


def test_graph_timeout_is_a_clear_error(round_2024, graph, settings):
    settings.RETNING_GRAPH_TIMEOUT = 0.5
    graph.stall_seconds = 1.5
    with pytest.raises(CommandError, match=r"did not answer within 0.5 s.*RETNING_GRAPH_TIMEOUT"):
        _run()


def test_graph_untrusted_certificate_names_the_ca_setting(round_2024, graph, settings):
    settings.RETNING_GRAPH_CA_BUNDLE = ""
    with pytest.raises(CommandError, match="RETNING_GRAPH_CA_BUNDLE"):
        _run()


def test_graph_message_imports_like_the_eml(round_2024, graph):
    from tests.consultation.test_outlook_msg import _assert_like_the_eml, _eml

    graph.add(_eml(), "2024-06-14T08:00:00Z")
    assert "registered: 1" in _run()
    _assert_like_the_eml(Submission.objects.get())
