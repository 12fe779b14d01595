"""Staff review: access by role, filters, search, actions recorded with before → after."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from retning.consultation import intake
from retning.consultation.models import (
    Channel,
    ReceivedItem,
    Submission,
    SubmissionEvent,
    SubmissionTag,
)
from retning.strategy.models import FocusArea, MainStrategy
from tests.consultation.conftest import synthetic_mail
from tests.consultation.synthetic_files import synthetic_pdf, synthetic_scanned_pdf

pytestmark = pytest.mark.django_db


def _user(role: str | None) -> Client:
    user = User.objects.create_user(f"user-{role}", password="x")
    if role:
        user.groups.add(Group.objects.get(name=role))
    client = Client()
    client.force_login(user)
    return client


def _mail(round, n: int, **kwargs) -> Submission:
    item, _ = intake.store_raw(
        round, Channel.EMAIL, synthetic_mail(message_id=f"<{n}@x>", **kwargs)
    )
    intake.process_item(item)
    return Submission.objects.get(item=item)


@pytest.fixture
def three(round_2024):
    return [
        _mail(round_2024, 1, body="Vi trenger flere næringsarealer ved Kongsvinger."),
        _mail(
            round_2024, 2, body="Bedre bredbånd i Grue.", received="Mon, 17 Jun 2024 10:00:00 +0200"
        ),
        _mail(
            round_2024,
            3,
            body="Skogbruk og bioøkonomi.",
            attachments=[("a.pdf", "application/pdf", synthetic_pdf())],
        ),
    ]


def test_staff_pages_refuse_anonymous_users(client, three):
    for url in [
        reverse("staff-submissions"),
        reverse("staff-submission", args=[three[0].pk]),
        reverse("staff-items"),
        reverse("staff-item-raw", args=[three[0].item_id]),
        reverse("staff-outbox"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/stab/logg-inn/" in response["Location"], url


def test_logged_in_user_without_role_is_forbidden(three):
    assert _user(None).get(reverse("staff-submissions")).status_code == 403


def test_list_filters_on_time_and_attachments(three):
    reader = _user("Lesere")
    late = reader.get(reverse("staff-submissions"), {"on_time": "no"}).text
    assert three[1].reference in late and three[0].reference not in late
    with_files = reader.get(reverse("staff-submissions"), {"attachments": "yes"}).text
    assert three[2].reference in with_files and three[0].reference not in with_files


def test_list_full_text_search_finds_words(three):
    reader = _user("Lesere")
    found = reader.get(reverse("staff-submissions"), {"q": "bredbånd"}).text
    assert three[1].reference in found
    assert three[0].reference not in found and three[2].reference not in found


def test_list_search_finds_words_in_attachment_text(three):
    reader = _user("Lesere")
    found = reader.get(reverse("staff-submissions"), {"q": "naeringsareal"}).text
    assert three[2].reference in found  # only in the PDF of the third proposal
    assert three[0].reference not in found and three[1].reference not in found


def test_list_filters_attachments_needing_manual_reading(round_2024, three):
    flagged = _mail(
        round_2024, 9, attachments=[("skannet.pdf", "application/pdf", synthetic_scanned_pdf())]
    )
    page = _user("Lesere").get(reverse("staff-submissions"), {"attachments": "manual"}).text
    assert flagged.reference in page and three[2].reference not in page


def test_list_query_count_does_not_grow_with_submissions(
    round_2024, three, django_assert_max_num_queries
):
    reader = _user("Lesere")
    reader.get(reverse("staff-submissions"))  # warm up session/auth queries
    with django_assert_max_num_queries(13):
        reader.get(reverse("staff-submissions"))
    for n in range(10, 20):
        _mail(round_2024, n)
    with django_assert_max_num_queries(13):
        reader.get(reverse("staff-submissions"))


def test_reader_cannot_act_reviewer_can_tag_admin_can_publish(three):
    url = reverse("staff-submission", args=[three[0].pk])
    _user("Lesere").post(url, {"action": "note", "note": "les"})
    assert not SubmissionEvent.objects.filter(action="note").exists()
    reviewer = _user("Saksbehandlere")
    reviewer.post(url, {"action": "tag", "tag": "industriutvikling"})
    reviewer.post(url, {"action": "note", "note": "Ring tilbake"})
    reviewer.post(url, {"action": "publish"})
    submission = Submission.objects.get(pk=three[0].pk)
    assert submission.published_at is None
    tag = SubmissionTag.objects.get(submission=submission)
    assert (tag.focus_area.slug, tag.origin, tag.origin_detail) == (
        "industriutvikling",
        "person",
        "user-Saksbehandlere",
    )
    admin = _user("Administratorer")
    admin.post(url, {"action": "publish"})
    assert Submission.objects.get(pk=three[0].pk).published_at is not None


def test_every_action_is_recorded_with_actor_and_before_after(three):
    admin = _user("Administratorer")
    url = reverse("staff-submission", args=[three[1].pk])
    admin.post(url, {"action": "reject", "reason": "Ikke et innspill"})
    admin.post(url, {"action": "register"})
    admin.post(url, {"action": "duplicate", "original": three[0].number})
    admin.post(url, {"action": "deadline", "on_time": "yes", "reason": "Poststempel"})
    admin.post(url, {"action": "redact", "redacted_text": "Bedre [sladdet] i Grue."})
    events = list(
        SubmissionEvent.objects.filter(submission=three[1], via="staff").values_list(
            "action", "before", "after", "actor__username"
        )
    )
    assert events == [
        ("status", "received", "rejected", "user-Administratorer"),
        ("status", "rejected", "registered", "user-Administratorer"),
        ("status", "registered", "duplicate", "user-Administratorer"),
        ("deadline", "False", "True", "user-Administratorer"),
        ("redact", "", "Bedre [sladdet] i Grue.", "user-Administratorer"),
    ]
    submission = Submission.objects.get(pk=three[1].pk)
    assert submission.duplicate_of_id == three[0].pk
    assert submission.counts_as_on_time
    assert submission.text == "Bedre bredbånd i Grue."  # the original stays


def test_reject_without_reason_is_refused(three):
    admin = _user("Administratorer")
    admin.post(reverse("staff-submission", args=[three[0].pk]), {"action": "reject"})
    assert Submission.objects.get(pk=three[0].pk).status == Submission.Status.RECEIVED


def test_unmatched_item_can_be_accepted_or_dismissed(round_2024):
    unmatched = []
    for n in range(2):
        item, _ = intake.store_raw(
            round_2024, Channel.EMAIL, synthetic_mail("Forslag", message_id=f"<u{n}@x>")
        )
        intake.process_item(item)
        unmatched.append(item)
    admin = _user("Administratorer")
    page = admin.get(reverse("staff-items"), {"status": "unmatched"}).text
    # the stored code «no-match» in words (the page's language follows the address)
    assert "Emnet passer ikke" in page or "The subject does not match" in page
    assert "no-match" not in page
    admin.post(reverse("staff-item-decide", args=[unmatched[0].pk]), {"action": "accept"})
    admin.post(
        reverse("staff-item-decide", args=[unmatched[1].pk]),
        {"action": "dismiss", "reason": "Nyhetsbrev"},
    )
    assert Submission.objects.get().item_id == unmatched[0].pk
    assert ReceivedItem.objects.get(pk=unmatched[1].pk).status == "dismissed"


def test_staff_can_register_a_mail_dated_far_in_the_future_and_see_the_flag(round_2024):
    item, _ = intake.store_raw(
        round_2024,
        Channel.EMAIL,
        synthetic_mail(
            "Innspill",  # not the round's subject: it waits for staff
            received="Fri, 31 Dec 9999 23:59:59 -1200",
            date="Sat, 1 Jan 2999 10:00:00 +0100",
        ),
    )
    intake.process_item(item)
    assert ReceivedItem.objects.get(pk=item.pk).status == ReceivedItem.Status.UNMATCHED
    admin = _user("Administratorer")
    assert "Kontroller tidspunktet" in admin.get(reverse("staff-items")).text
    admin.post(reverse("staff-item-decide", args=[item.pk]), {"action": "accept"})
    submission = Submission.objects.get(item=item)
    assert submission.reached_us_at == ReceivedItem.objects.get(pk=item.pk).received_at
    page = admin.get(reverse("staff-submission", args=[submission.pk])).text
    assert "Kontroller tidspunktet" in page
    assert "«Fri, 31 Dec 9999 23:59:59 -1200» er ikke brukt: den ligger fram i tid." in page
    assert "tidspunktet for importen" in page


def test_staff_can_retry_an_item_that_failed_on_its_date(round_2024):
    # Stored before far-future dates were handled: the date overflowed and the item failed.
    item, _ = intake.store_raw(
        round_2024, Channel.EMAIL, synthetic_mail(received="Fri, 31 Dec 9999 23:59:59 -1200")
    )
    ReceivedItem.objects.filter(pk=item.pk).update(
        status=ReceivedItem.Status.FAILED, error="OverflowError: date value out of range"
    )
    admin = _user("Administratorer")
    page = admin.get(reverse("staff-items"), {"status": "failed"}).text
    assert f'action="{reverse("staff-item-decide", args=[item.pk])}"' in page
    admin.post(reverse("staff-item-decide", args=[item.pk]), {"action": "accept"})
    submission = Submission.objects.get(item=item)
    assert submission.on_time and submission.item.arrival_source == "date"


def test_oversized_mail_is_listed_for_staff_with_the_limits(round_2024, settings):
    settings.RETNING_PROPOSAL_MAX_CHARS = 20
    item, _ = intake.store_raw(round_2024, Channel.EMAIL, synthetic_mail(body="x" * 21))
    intake.process_item(item)
    admin = _user("Administratorer")
    start = admin.get(reverse("staff-submissions")).text
    assert "1 mottatt melding venter på avgjørelse" in start
    page = admin.get(reverse("staff-items"), {"status": "oversized"}).text
    assert "Større enn grensen for et innspill (20 tegn tekst, 50 MB vedlegg til sammen)" in page
    assert "too large: text 21 characters (limit 20)" in page


def test_raw_message_download_is_exact_bytes_and_never_rendered(three):
    response = _user("Lesere").get(reverse("staff-item-raw", args=[three[0].item_id]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == bytes(three[0].item.raw)


def test_staff_actions_reject_missing_csrf_token(three):
    user = User.objects.create_user("csrf-admin", password="x")
    user.groups.add(Group.objects.get(name="Administratorer"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    response = strict.post(reverse("staff-submission", args=[three[0].pk]), {"action": "publish"})
    assert response.status_code == 403
    assert Submission.objects.get(pk=three[0].pk).published_at is None


def test_list_pages_through_every_proposal_keeping_the_filter(three, monkeypatch):
    from retning.consultation import views_staff

    monkeypatch.setattr(views_staff, "LIST_PAGE", 2)
    reader = _user("Lesere")
    wanted = {"round": three[0].round.slug}
    first = reader.get(reverse("staff-submissions"), wanted).text
    assert "side 1 av 2" in first
    assert f'href="?round={wanted["round"]}&amp;page=2"' in first
    second = reader.get(reverse("staff-submissions"), {**wanted, "page": 2}).text
    shown = [s.reference for s in three if f">{s.reference}</a></th>" in first + second]
    assert sorted(shown) == sorted(s.reference for s in three)
    assert not any(
        f">{s.reference}</a></th>" in first and f">{s.reference}</a></th>" in second for s in three
    )


def test_export_without_personal_data_for_readers(round_2024, three):
    reader = _user("Lesere")
    response = reader.get(reverse("staff-submission-export", args=[round_2024.slug, "csv"]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="innspill-{round_2024.slug}.csv"'
    )
    body = response.content.decode()
    assert all(s.reference in body for s in three)
    assert "kari@example.org" not in body
    refused = reader.get(
        reverse("staff-submission-export", args=[round_2024.slug, "csv"]),
        {"personopplysninger": "1"},
    )
    assert refused.status_code == 403


def test_export_with_personal_data_is_for_administrators_and_logged(round_2024, three, caplog):
    import io

    from openpyxl import load_workbook

    admin = _user("Administratorer")
    with caplog.at_level("INFO", logger="retning.audit"):
        response = admin.get(
            reverse("staff-submission-export", args=[round_2024.slug, "xlsx"]),
            {"personopplysninger": "1"},
        )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.values)
    emails = {row[header.index("E-post")] for row in rows}
    assert emails == {"kari@example.org"} and len(rows) == 3
    assert any("user-Administratorer" in r.getMessage() for r in caplog.records)
    assert (
        _user("Lesere")
        .get(reverse("staff-submission-export", args=[round_2024.slug, "pdf"]))
        .status_code
        == 404
    )


SUBMITTER = {
    "action": "submitter",
    "name": "Kari Nordmann",
    "organisation": "Grue Næringsforening (synthetic)",
    "orgnr": "123 456 785",
    "submitter_type": "organisation",
    "municipality": "grue",
}


def test_administrator_corrects_who_sent_an_emailed_proposal(three):
    from retning.consultation.publication import public_author

    url = reverse("staff-submission", args=[three[0].pk])
    assert public_author(three[0]) == "privatperson"
    _user("Administratorer").post(url, SUBMITTER)
    submission = Submission.objects.select_related("municipality").get(pk=three[0].pk)
    assert (submission.organisation, submission.orgnr, submission.submitter_type) == (
        "Grue Næringsforening (synthetic)",
        "123456785",
        "organisation",
    )
    assert submission.municipality.slug == "grue"
    assert submission.email == "kari@example.org" and submission.text == three[0].text
    changed = set(
        SubmissionEvent.objects.filter(
            submission=submission, action__startswith="submitter:"
        ).values_list("action", flat=True)
    )
    assert changed == {
        "submitter:organisation",
        "submitter:orgnr",
        "submitter:submitter_type",
        "submitter:municipality",
    }, "the name was already Kari Nordmann and consent stays off: not recorded as changes"
    assert public_author(submission) == "Grue Næringsforening (synthetic)"


def test_submitter_details_are_checked_and_kept_from_reviewers(three):
    url = reverse("staff-submission", args=[three[0].pk])
    _user("Saksbehandlere").post(url, SUBMITTER)
    assert Submission.objects.get(pk=three[0].pk).organisation == ""
    response = _user("Administratorer").post(url, {**SUBMITTER, "orgnr": "123456789"}, follow=True)
    assert "123456789 er ikke et gyldig organisasjonsnummer." in response.text
    assert Submission.objects.get(pk=three[0].pk).organisation == ""


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"action": "untag", "tag_id": "abc"}, "«abc» er ikke et gyldig merke."),
        ({"action": "untag"}, "Velg et merke å fjerne."),
        ({"action": "untag", "tag_id": "OTHER_TAG"}, "Innspillet har ikke dette merket"),
        ({"action": "duplicate", "original": "abc"}, "Fant ikke innspill «abc» i denne høringen."),
        ({"action": "duplicate", "original": "999"}, "Fant ikke innspill «999» i denne høringen."),
        (
            {"action": "duplicate", "original": "H-2024-9999"},
            "Fant ikke innspill «H-2024-9999» i denne høringen.",
        ),
        ({"action": "duplicate", "original": "SELF"}, "kan ikke være duplikat av seg selv"),
        ({"action": "duplicate"}, "Skriv referansen til innspillet dette gjentar."),
        ({"action": "tag", "tag": "finnes-ikke"}, "Ingen hovedstrategi eller fokusområde heter"),
        ({"action": "tag"}, "Velg en hovedstrategi eller et fokusområde."),
        ({"action": "reject", "reason": "  "}, "En avvisning må ha en begrunnelse."),
        ({"action": "note", "note": ""}, "Notatet er tomt."),
        ({"action": "deadline", "on_time": "kanskje", "reason": "x"}, "Velg et gyldig valg"),
        ({"action": "deadline", "on_time": "yes"}, "En overstyring må ha en begrunnelse."),
        ({**SUBMITTER, "submitter_type": "alien"}, "Ukjent type innsender: alien."),
        ({**SUBMITTER, "municipality": "oslo"}, "Kommunen finnes ikke i regionen."),
        ({"action": "fly"}, "Ukjent handling."),
    ],
)
def test_bad_values_in_staff_actions_are_form_errors_not_server_errors(three, form, message):
    other = SubmissionTag.objects.create(submission=three[0], main_strategy=_a_main(three[0]))
    substitute = {"OTHER_TAG": str(other.pk), "SELF": three[1].reference}
    form = {k: substitute.get(v, v) if isinstance(v, str) else v for k, v in form.items()}
    before = (
        SubmissionEvent.objects.count(),
        SubmissionTag.objects.count(),
        Submission.objects.filter(pk=three[1].pk).values().get(),
    )
    url = reverse("staff-submission", args=[three[1].pk])
    response = _user("Administratorer").post(url, form, follow=True)
    assert response.status_code == 200
    assert message in response.text
    after = (
        SubmissionEvent.objects.count(),
        SubmissionTag.objects.count(),
        Submission.objects.filter(pk=three[1].pk).values().get(),
    )
    assert after == before, "a refused action changes nothing"


def _a_main(submission):
    from retning.strategy.models import MainStrategy

    return MainStrategy.objects.filter(strategy=submission.round.strategy).first()


def test_a_refused_action_keeps_what_was_typed_and_says_why_next_to_the_field(three):
    url = reverse("staff-submission", args=[three[1].pk])
    response = _user("Administratorer").post(
        url, {"action": "duplicate", "original": "H-2024-4242"}
    )
    assert response.status_code == 200
    page = response.text
    field = page[page.index('id="a-duplicate-original"') :].split(">")[0]
    assert 'value="H-2024-4242"' in page[page.rindex("<input", 0, page.index(field)) :][:400]
    assert "Fant ikke innspill «H-2024-4242» i denne høringen." in page
    assert 'aria-invalid="true"' in page


def test_the_proposal_page_groups_its_actions_under_headings(three):
    page = _user("Administratorer").get(reverse("staff-submission", args=[three[0].pk])).text
    for heading in ["Merker og notater", "Behandling", "Frist", "Innsender", "Publisering"]:
        assert f">{heading}</h3>" in page
    assert "den mottatte originalen" in page and "originalet" not in page
    assert "Duplikat av innspill" in page and "løpenummer" not in page
    assert "for eksempel H-2024-0012" in page


@pytest.mark.parametrize(
    "query",
    ["status=nonsense", "round=1999", "tag=x", "on_time=maybe", "submitter_type=alien"],
)
def test_bad_list_filters_are_shown_as_form_errors(three, query):
    response = _user("Lesere").get(reverse("staff-submissions") + "?" + query)
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.text


def test_list_filters_by_submitter_type_and_finds_a_reference(three):
    Submission.objects.filter(pk=three[1].pk).update(submitter_type="organisation")
    reader = _user("Lesere")
    page = reader.get(reverse("staff-submissions") + "?submitter_type=organisation").text
    assert three[1].reference in page and three[0].reference not in page
    page = reader.get(
        reverse("staff-submissions") + "?q=" + three[2].reference.lower().replace("-", " ")
    ).text
    assert three[2].reference in page and three[0].reference not in page


def test_bad_item_decision_is_a_message(round_2024):
    item, _ = intake.store_raw(
        round_2024, Channel.EMAIL, synthetic_mail(message_id="<bad@x>", subject="Hei")
    )
    intake.process_item(item)
    response = _user("Administratorer").post(
        reverse("staff-item-decide", args=[item.pk]), {"action": "burn"}, follow=True
    )
    assert response.status_code == 200 and "Ukjent handling." in response.text
    assert ReceivedItem.objects.get(pk=item.pk).status == item.status


def test_duplicate_is_marked_by_reference_or_by_number(three):
    admin = _user("Administratorer")
    url = reverse("staff-submission", args=[three[2].pk])
    admin.post(url, {"action": "duplicate", "original": three[0].reference.lower()})
    assert Submission.objects.get(pk=three[2].pk).duplicate_of_id == three[0].pk
    admin.post(url, {"action": "duplicate", "original": str(three[1].number)})
    assert Submission.objects.get(pk=three[2].pk).duplicate_of_id == three[1].pk


def test_a_refusal_from_the_rules_is_shown_in_the_form_and_changes_nothing(three):
    admin = _user("Administratorer")
    url = reverse("staff-submission", args=[three[0].pk])
    admin.post(url, {"action": "reject", "reason": "Ikke et innspill"})
    events = SubmissionEvent.objects.count()
    response = admin.post(url, {"action": "publish"})
    assert response.status_code == 200
    assert 'id="publish-errors"' in response.text
    assert "Avviste innspill og duplikater publiseres ikke." in response.text
    assert Submission.objects.get(pk=three[0].pk).published_at is None
    assert SubmissionEvent.objects.count() == events


def test_the_tag_choices_are_titled_in_the_page_language(three):
    """The drop-down that tags a proposal names each main strategy and focus area as the
    rest of the page does: in English on /en/ (from the strategy file's `en` titles)."""
    reviewer = _user("Saksbehandlere")
    url = reverse("staff-submission", args=[three[0].pk])
    bokmal = reviewer.get(url).text
    english = reviewer.get("/en" + url).text
    titled = [*MainStrategy.objects.all(), *FocusArea.objects.all()]
    assert titled and all(t.title_en and t.title_en != t.title for t in titled)
    for item in titled:
        assert f"{html.escape(item.title)}</option>" in bokmal
        assert f"{html.escape(item.title_en)}</option>" in english
        assert f"{html.escape(item.title)}</option>" not in english
