"""Publication and privacy: what the public sees, exports, one person's data, retention."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from retning.consultation import intake, personal, review
from retning.consultation.models import Channel, ReceivedItem, Submission
from retning.strategy.models import Municipality
from tests.consultation.conftest import synthetic_mail

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><b>fet</b>'
CONTACT = "Ring 912 34 567 eller skriv til per.hansen@example.no, Storgata 12, 2212 Kongsvinger."


@pytest.fixture
def admin_user(db):
    user = User.objects.create_user("admin-user", password="x")
    user.groups.add(Group.objects.get(name="Administratorer"))
    return user


def _form_submission(round, files=(), **fields) -> Submission:
    values = {
        "name": "Per Hansen",
        "email": "per.hansen@example.no",
        "submitter_type": "private",
        "organisation": "",
        "orgnr": "",
        "municipality": None,
        "text": "Forslag",
        "consent_publish_name": False,
        **fields,
    }
    raw = intake.web_form_raw(values, list(files), timezone.now())
    item, _ = intake.store_raw(round, Channel.WEB, raw)
    intake.process_item(item)
    return Submission.objects.get(item=item)


@pytest.fixture
def published(synthetic_open_round, admin_user):
    grue = Municipality.objects.get(slug="grue")
    private = _form_submission(
        synthetic_open_round, text=f"Privat forslag. {CONTACT} {SCRIPT}", municipality=grue.pk
    )
    consenting = _form_submission(
        synthetic_open_round,
        name="Kari Nordmann",
        email="kari@example.org",
        consent_publish_name=True,
        text="Forslag med navn.",
    )
    organisation = _form_submission(
        synthetic_open_round,
        name="Ola Daglig Leder",
        email="ola@bedrift.example",
        submitter_type="business",
        organisation="Glåmdal Trevare AS",
        orgnr="974760673",
        text="Forslag fra bedrift.",
    )
    hidden = _form_submission(
        synthetic_open_round,
        name="Skjult Person",
        email="skjult@example.org",
        text="Ikke publisert",
    )
    for s in (private, consenting, organisation):
        review.publish(s, admin_user)
    return {"private": private, "consenting": consenting, "org": organisation, "hidden": hidden}


def _public_page(client) -> str:
    return client.get(reverse("consultation", args=["synthetic-open"])).text


def test_public_page_shows_authors_by_privacy_rules(client, published):
    html = _public_page(client)
    assert "privatperson, Grue" in html
    assert "Kari Nordmann" in html
    assert "Glåmdal Trevare AS" in html
    assert "Per Hansen" not in html and "Ola Daglig Leder" not in html
    assert published["hidden"].reference not in html and "Skjult Person" not in html


def test_public_page_never_shows_contact_details(client, published):
    html = _public_page(client)
    for secret in (
        "912 34 567",
        "per.hansen@example.no",
        "kari@example.org",
        "ola@bedrift.example",
        "Storgata 12",
    ):
        assert secret not in html, secret


def test_script_in_proposal_is_shown_as_text_on_public_and_staff_pages(
    client, published, admin_user
):
    html = _public_page(client)
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    staff = Client()
    staff.force_login(admin_user)
    for url in (
        reverse("staff-submission", args=[published["private"].pk]),
        reverse("staff-submissions"),
    ):
        page = staff.get(url).text
        assert "<script>alert" not in page


def test_redaction_applies_to_public_version_only(client, published, admin_user):
    submission = published["consenting"]
    review.redact(submission, admin_user, "Forslag med [sladdet].")
    html = _public_page(client)
    assert "Forslag med [sladdet]." in html and "Forslag med navn." not in html
    assert Submission.objects.get(pk=submission.pk).text == "Forslag med navn."


def test_unpublish_removes_from_public_page(client, published, admin_user):
    review.unpublish(published["org"], admin_user)
    assert "Glåmdal Trevare AS" not in _public_page(client)


def _export(fmt: str, *extra: str) -> bytes:
    out = io.BytesIO()

    class Sink(StringIO):
        buffer = out

    call_command(
        "submissions", "export", "--round", "synthetic-open", "--format", fmt, *extra, stdout=Sink()
    )
    return out.getvalue()


def test_export_csv_excludes_personal_data_by_default(published):
    data = _export("csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert len(rows) == 4
    assert "E-post" not in rows[0] and "Navn" not in rows[0]
    for secret in ("per.hansen@example.no", "Per Hansen", "912 34 567", "Ola Daglig Leder"):
        assert secret not in data
    texts = {r["Referanse"]: r["Tekst slik den publiseres"] for r in rows}
    assert texts[published["private"].reference].endswith(SCRIPT)  # as text, not interpreted


def test_export_with_personal_data_includes_it(published):
    rows = json.loads(_export("json", "--include-personal-data"))
    by_ref = {r["reference"]: r for r in rows}
    assert by_ref[published["private"].reference]["email"] == "per.hansen@example.no"


FORMULA_TEXTS = ["=1+1", '+HYPERLINK("http://evil")', "-2+3", "@SUM(A1)", "\t=1+1"]


@pytest.fixture
def formula_submissions(synthetic_open_round):
    return [
        _form_submission(
            synthetic_open_round,
            text=text,
            name=text,
            organisation=text,
            submitter_type="business",
            consent_publish_name=True,
        )
        for text in FORMULA_TEXTS
    ]


def test_export_without_personal_data_names_attachments_by_kind_only(synthetic_open_round):
    """A file name is what the sender typed ("Per_Hansen_innspill.txt"): the export without
    personal data gives only the kind of each file; with personal data, the names."""
    attached = _form_submission(
        synthetic_open_round,
        files=[
            intake.IncomingFile("Per_Hansen_innspill.txt", "text/plain", b"Synthetic file."),
            intake.IncomingFile("Notat fra Per Hansen.TXT", "text/plain", b"Synthetic note."),
        ],
    )
    assert attached.attachments.count() == 2
    public = {r["reference"]: r for r in json.loads(_export("json"))}[attached.reference]
    assert public["attachments"] == "vedlegg-1.txt; vedlegg-2.txt"
    assert "Hansen" not in _export("csv").decode("utf-8-sig")
    full = {r["reference"]: r for r in json.loads(_export("json", "--include-personal-data"))}
    assert full[attached.reference]["attachments"] == (
        "Per_Hansen_innspill.txt; Notat fra Per Hansen.TXT"
    )


def test_export_csv_quotes_every_cell_a_spreadsheet_would_run(formula_submissions):
    for extra in ((), ("--include-personal-data",)):
        rows = list(csv.reader(io.StringIO(_export("csv", *extra).decode("utf-8-sig"))))
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if c[:1] in {"=", "+", "-", "@", "\t", "\r"}]
        assert "'=1+1" in cells and "'@SUM(A1)" in cells and "'\t=1+1" in cells


def test_export_xlsx_writes_typed_text_cells_without_an_apostrophe(formula_submissions, tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "ut.xlsx"
    call_command(
        "submissions",
        "export",
        "--round",
        "synthetic-open",
        "--format",
        "xlsx",
        "--include-personal-data",
        "--output",
        str(target),
        stdout=StringIO(),
    )
    sheet = load_workbook(target).active
    header = [c.value for c in sheet[1]]
    texts = [row[header.index("Innsendt tekst")] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in texts] == FORMULA_TEXTS
    assert {c.data_type for c in texts} == {"s"}
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_export_headings_are_in_the_language_asked_for_and_json_keeps_its_keys(published):
    """Staff read CSV and XLSX in a spreadsheet: bokmål headings by default, English on
    request; JSON, read by programs, keeps the same keys in either language."""
    bokmal = next(csv.reader(io.StringIO(_export("csv").decode("utf-8-sig"))))
    english = next(csv.reader(io.StringIO(_export("csv", "--language", "en").decode("utf-8-sig"))))
    assert bokmal[:3] == ["Referanse", "Nådde oss", "Innen fristen"]
    assert english[:3] == ["Reference", "Reached us", "On time"]
    assert len(bokmal) == len(english) == 12
    assert not set(bokmal) & {"reference", "reached_us_at", "on_time", "submitter_type"}
    keys = [set(r) for r in json.loads(_export("json", "--language", "en"))]
    assert keys[0] == set(json.loads(_export("json"))[0]) and "reached_us_at" in keys[0]


def test_export_values_are_words_in_the_language_asked_for_and_json_keeps_its_codes(published):
    """A spreadsheet reader sees "næringsliv", "ja" and the local time, not "business",
    True and an ISO time in UTC; JSON keeps the codes programs read."""
    org, hidden = published["org"], published["hidden"]
    oslo = org.reached_us_at.astimezone(ZoneInfo("Europe/Oslo"))
    bokmal = {
        r["Referanse"]: r for r in csv.DictReader(io.StringIO(_export("csv").decode("utf-8-sig")))
    }
    row = bokmal[org.reference]
    assert (row["Type innsender"], row["Kanal"], row["Status"]) == (
        "næringsliv",
        "skjema",
        "mottatt",
    )
    assert (row["Innen fristen"], row["Publisert"]) == ("ja", "ja")
    assert bokmal[hidden.reference]["Publisert"] == "nei"
    assert row["Nådde oss"] == oslo.strftime("%d.%m.%Y %H.%M")

    english = csv.DictReader(io.StringIO(_export("csv", "--language", "en").decode("utf-8-sig")))
    row = {r["Reference"]: r for r in english}[org.reference]
    assert (row["Submitter type"], row["Channel"], row["Status"]) == (
        "business",
        "web form",
        "received",
    )
    assert (row["On time"], row["Published"]) == ("yes", "yes")
    assert row["Reached us"] == oslo.strftime("%d/%m/%Y %H:%M")

    stable = {r["reference"]: r for r in json.loads(_export("json", "--language", "en"))}
    row = stable[org.reference]
    assert (row["submitter_type"], row["channel"], row["status"]) == (
        "business",
        "web",
        "received",
    )
    assert row["on_time"] is True and stable[hidden.reference]["published"] is False
    assert dt.datetime.fromisoformat(row["reached_us_at"]) == org.reached_us_at


def test_staff_download_headings_follow_the_page_language(published, admin_user):
    staff = Client()
    staff.force_login(admin_user)
    headings = {}
    for prefix in ("", "/en"):
        response = staff.get(f"{prefix}/stab/innspill/eksport/synthetic-open.csv")
        assert response.status_code == 200
        headings[prefix] = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert headings[""][-1] == "Publisert" and headings["/en"][-1] == "Published"


def test_person_export_and_delete_by_email(published, synthetic_open_round):
    document = personal.export_person("PER.HANSEN@example.no")
    assert len(document["items"]) == 1
    assert document["items"][0]["submission"]["name"] == "Per Hansen"
    assert personal.delete_person("per.hansen@example.no").items == 1
    submission = Submission.objects.get(pk=published["private"].pk)
    assert (submission.name, submission.email, submission.text) == ("", "", "[slettet]")
    assert submission.published_at is None
    assert bytes(submission.item.raw) == b""
    assert personal.export_person("per.hansen@example.no")["items"] == []


def test_deleted_mail_is_not_resurrected_by_reimport(round_2024):
    raw = synthetic_mail(sender="Eva <eva@example.org>")
    item, _ = intake.store_raw(round_2024, Channel.EMAIL, raw)
    intake.process_item(item)
    personal.delete_person("eva@example.org")
    again, created = intake.store_raw(round_2024, Channel.EMAIL, raw)
    assert not created and again.personal_data_erased
    assert Submission.objects.count() == 1


def test_retention_erases_personal_data_after_the_period(round_2024):
    item, _ = intake.store_raw(round_2024, Channel.EMAIL, synthetic_mail(body=f"Tekst. {CONTACT}"))
    intake.process_item(item)
    round_2024.retention_days = 30
    round_2024.save()
    assert personal.apply_retention(round_2024.deadline + dt.timedelta(days=29)).items == 0
    assert personal.apply_retention(round_2024.deadline + dt.timedelta(days=31)).items == 1
    submission = Submission.objects.get()
    assert submission.email == "" and "912 34 567" not in submission.text
    assert submission.text.startswith("Tekst.")
    assert ReceivedItem.objects.get().personal_data_erased


def test_submissions_person_delete_needs_yes_then_erases(round_2024):
    from django.core.management import CommandError

    item, _ = intake.store_raw(round_2024, Channel.EMAIL, synthetic_mail())
    intake.process_item(item)
    with pytest.raises(CommandError, match="--yes"):
        call_command("submissions", "person-delete", "--email", "kari@example.org")
    assert Submission.objects.get().email == "kari@example.org"
    out = StringIO()
    call_command("submissions", "person-delete", "--email", "kari@example.org", "--yes", stdout=out)
    assert out.getvalue().startswith("erased: 1  outbox: 0  sent mail: 0  mentions: 0")
    assert Submission.objects.get().email == ""
