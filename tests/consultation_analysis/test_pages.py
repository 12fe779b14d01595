"""The staff analysis pages: access by role, what they show, and the actions on them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from retning.analysis.themes import check_theme_set, min_theme_size
from retning.consultation.models import Submission, SubmissionTag
from retning.consultation_analysis import service, views
from retning.consultation_analysis.models import (
    DuplicateGroupRecord,
    SectionText,
    TagConfirmation,
    TagSuggestionRecord,
)
from retning.consultation_analysis.serial import theme_set_from_json
from tests.consultation_analysis.conftest import import_mail

pytestmark = pytest.mark.django_db

PAGES = [
    "staff-analysis",
    "staff-analysis-queue",
    "staff-analysis-campaigns",
    "staff-analysis-themes",
    "staff-analysis-sections",
]


def test_analysis_pages_refuse_anonymous_users(client, analysed):
    for name in PAGES:
        response = client.get(reverse(name, args=[analysed.slug]))
        assert response.status_code == 302 and "/stab/logg-inn/" in response["Location"], name


def test_analysis_pages_forbid_users_without_a_role(django_user_model, analysed):
    client = Client()
    client.force_login(django_user_model.objects.create_user("uten-rolle"))
    for name in PAGES:
        assert client.get(reverse(name, args=[analysed.slug])).status_code == 403, name


def test_analysis_pages_render_for_staff(staff_client, analysed):
    for name in PAGES:
        response = staff_client.get(reverse(name, args=[analysed.slug]))
        assert response.status_code == 200, name
        assert analysed.title in response.text


def test_unknown_round_is_not_found(staff_client, analysed):
    assert staff_client.get(reverse("staff-analysis", args=["no-such-round"])).status_code == 404


def test_submission_list_links_to_the_analysis(staff_client, analysed):
    page = staff_client.get(reverse("staff-submissions")).text
    assert reverse("staff-analysis", args=[analysed.slug]) in page


def test_overview_counts_per_category_municipality_and_type(staff_client, analysed):
    page = staff_client.get(reverse("staff-analysis", args=[analysed.slug])).text
    for label in service.round_labels(analysed):
        assert label.title in page
    assert "Innspill per kommune" in page and "Innspill per type innsender" in page
    total = Submission.objects.filter(round=analysed).count()
    assert f"<dd>{total}</dd>" in page


def test_overview_query_count_does_not_grow_with_proposals(
    staff_client, analysed, django_assert_max_num_queries
):
    url = reverse("staff-analysis", args=[analysed.slug])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        staff_client.get(url)
    for n in range(5):
        import_mail(
            analysed, 900 + n, f"Et nytt syntetisk innspill nummer {n} om turisme og reiseliv."
        )
    service.analyse(analysed)
    with django_assert_max_num_queries(len(before.captured_queries)):
        staff_client.get(url)


def test_queue_shows_suggested_tags_with_the_words_behind_them(staff_client, analysed):
    page = staff_client.get(reverse("staff-analysis-queue", args=[analysed.slug])).text
    record = (
        TagSuggestionRecord.objects.exclude(labels=[])
        .select_related("submission__round")
        .order_by("-uncertainty", "submission__number")
        .first()
    )
    assert record.submission.reference in page
    label = record.labels[0]
    for word in record.words[label]:
        assert word in page
    assert f'value="{label}" checked' in page


def _queue_entries(round) -> list[tuple[str, int]]:
    """The expected queue, worked out here: most uncertain first, and a campaign's copies
    as one entry where its first copy stands (with how many copies it stands for)."""
    campaign_of = {
        m.submission.reference: g.key
        for g in DuplicateGroupRecord.objects.filter(round=round, size__gte=3)
        for m in g.members.select_related("submission")
    }
    records = sorted(
        TagSuggestionRecord.objects.select_related("submission__round"),
        key=lambda r: (-r.uncertainty, r.submission.number),
    )
    entries, seen = [], {}
    for r in records:
        key = campaign_of.get(r.submission.reference)
        if key in seen:
            entries[seen[key]][1] += 1
            continue
        if key:
            seen[key] = len(entries)
        entries.append([r.submission.reference, 1])
    return [tuple(e) for e in entries]


def test_queue_is_ordered_by_uncertainty_with_campaigns_collapsed(
    staff_client, analysed, monkeypatch
):
    monkeypatch.setattr(views, "QUEUE_PAGE", 1000)
    page = staff_client.get(reverse("staff-analysis-queue", args=[analysed.slug])).text
    entries = _queue_entries(analysed)
    assert any(n > 1 for _ref, n in entries), "the synthetic round has a campaign"
    positions = [page.index(f">{ref}</a></h2>") for ref, _n in entries]
    assert positions == sorted(positions)
    assert page.count("</a></h2>") == len(entries)
    ref, copies = next(e for e in entries if e[1] > 1)
    section = page[page.index(f">{ref}</a></h2>") :].split("</section>")[0]
    assert f"Kampanje: {copies} kopier venter." in section
    assert f"Bekreft merkingen for alle {copies} kopiene i kampanjen" in section


def test_queue_pages_through_every_waiting_proposal(staff_client, analysed, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_PAGE", 7)
    url = reverse("staff-analysis-queue", args=[analysed.slug])
    expected = [ref for ref, _n in _queue_entries(analysed)]
    assert len(expected) > 7
    shown = []
    pages = -(-len(expected) // 7)
    for number in range(1, pages + 1):
        page = staff_client.get(url, {"page": number}).text
        assert f"Side {number} av {pages}" in page
        assert ('rel="next"' in page) == (number < pages)
        shown += [ref for ref in expected if f">{ref}</a></h2>" in page]
    assert shown == expected
    record = TagSuggestionRecord.objects.first()
    response = staff_client.post(url, {"submission": record.submission_id, "page": "2"})
    assert response.status_code == 302 and response.url.endswith("?page=2")


def test_confirming_in_the_queue_records_the_decision_and_removes_it(
    staff_client, staff_user, analysed
):
    url = reverse("staff-analysis-queue", args=[analysed.slug])
    record = TagSuggestionRecord.objects.exclude(labels=[]).first()
    response = staff_client.post(
        url, {"submission": record.submission_id, "labels": record.labels[:1]}
    )
    assert response.status_code == 302
    confirmation = TagConfirmation.objects.get(submission_id=record.submission_id)
    assert confirmation.labels == record.labels[:1] and confirmation.confirmed_by == staff_user
    page = staff_client.get(url).text
    assert f">{record.submission.reference}</a></h2>" not in page


def test_readers_cannot_confirm(reader_client, analysed):
    record = TagSuggestionRecord.objects.first()
    reader_client.post(
        reverse("staff-analysis-queue", args=[analysed.slug]),
        {"submission": record.submission_id, "labels": []},
    )
    assert not TagConfirmation.objects.exists()


def test_campaign_page_shows_template_copies_and_additions(staff_client, analysed):
    page = staff_client.get(reverse("staff-analysis-campaigns", args=[analysed.slug])).text
    campaign = DuplicateGroupRecord.objects.get(size__gte=3)
    assert "Kampanje" in page
    assert "Dobbeltspor på Kongsvingerbanen" in page
    assert "mister to timer i uka" in page
    for member in campaign.members.select_related("submission__round"):
        assert member.submission.reference in page


def test_campaign_split_from_the_page(staff_client, analysed):
    campaign = DuplicateGroupRecord.objects.get(size__gte=3)
    ref = campaign.members.select_related("submission__round").first().submission.reference
    staff_client.post(
        reverse("staff-analysis-campaigns", args=[analysed.slug]),
        {"action": "split", "group": campaign.key, "refs": [ref]},
    )
    assert not DuplicateGroupRecord.objects.filter(key=campaign.key).exists()
    assert DuplicateGroupRecord.objects.filter(size=campaign.size - 1, decided_by="saksbehandler")


def test_themes_page_shows_labels_quotes_and_references(staff_client, analysed):
    page = staff_client.get(reverse("staff-analysis-themes", args=[analysed.slug])).text
    themes = theme_set_from_json(service.current_themes(analysed).data)
    assert themes.themes
    for theme in themes.themes:
        assert theme.label in page
        for quote in theme.quotes:
            assert quote.ref in page


def test_themes_page_reports_the_theme_set_checks(staff_client, analysed):
    url = reverse("staff-analysis-themes", args=[analysed.slug])
    themes = theme_set_from_json(service.current_themes(analysed).data)
    assert not check_theme_set(themes), "the analysis should find a theme set within the rules"
    page = staff_client.get(url).text
    # A theme set that keeps the rules is shown with each rule it was checked against.
    assert page.count("Oppfylt") == 5 and "Ikke oppfylt" not in page
    assert "Ingen tema har navn etter en innsender" in page
    theme = themes.themes[0]
    staff_client.post(
        url, {"action": "split", "theme": theme.id, "refs": theme.refs[0], "label": "Enslig"}
    )
    page = staff_client.get(url).text
    minimum = min_theme_size(themes.total)
    assert "Ikke oppfylt" in page
    assert f"«Enslig» gjelder 1 innspill; et tema bør gjelde minst {minimum}" in page


def test_theme_rename_from_the_page(staff_client, analysed):
    theme = theme_set_from_json(service.current_themes(analysed).data).themes[0]
    staff_client.post(
        reverse("staff-analysis-themes", args=[analysed.slug]),
        {"action": "rename", "theme": theme.id, "label": "Pendling med tog"},
    )
    page = staff_client.get(reverse("staff-analysis-themes", args=[analysed.slug])).text
    assert "Pendling med tog" in page and "navn satt av saksbehandler" in page


def test_section_text_saved_from_the_page(staff_client, staff_user, analysed):
    label = service.round_labels(analysed)[0].id
    staff_client.post(
        reverse("staff-analysis-sections", args=[analysed.slug]),
        {"label": label, "text": "Mange ønsker bedre togtilbud."},
    )
    section = SectionText.objects.get(round=analysed, label=label)
    assert section.text == "Mange ønsker bedre togtilbud." and section.updated_by == staff_user


def test_pages_in_english(staff_client, analysed):
    page = staff_client.get("/en" + reverse("staff-analysis", args=[analysed.slug])).text
    assert "Proposals per municipality" in page


def test_queue_names_similar_proposals(staff_client, analysed):
    run = analysed.analysis_runs.get()
    assert run.links, "the synthetic round should have similar proposals"
    page = staff_client.get(reverse("staff-analysis-queue", args=[analysed.slug])).text
    shown = [(a, b) for a, b, _ in run.links if f">{a}</a></h2>" in page and "Ligner på" in page]
    assert shown
    a, b = shown[0]
    section = page[page.index(f">{a}</a></h2>") :].split("</section>")[0]
    assert b in section.split("Ligner på")[1].split("</p>")[0]


@pytest.mark.parametrize(
    ("page", "form", "message"),
    [
        ("queue", {"submission": "abc"}, "Innspillet finnes ikke i denne høringen."),
        ("queue", {"submission": "999999"}, "Innspillet finnes ikke i denne høringen."),
        ("queue", {"page": "x"}, "Velg et innspill."),
        (
            "queue",
            {"submission": "FIRST", "labels": ["ikke-en-kategori"]},
            "Ingen hovedstrategi eller fokusområde heter «ikke-en-kategori».",
        ),
        ("campaigns", {"action": "merge", "groups": ["nope"]}, "Gruppen nope finnes ikke"),
        (
            "queue",
            {"action": "confirm-campaign", "group": "g-nope"},
            "Gruppen finnes ikke i denne høringen.",
        ),
        ("campaigns", {"action": "split", "group": "g-x"}, "Gruppen g-x finnes ikke"),
        ("themes", {"action": "rename", "theme": "t-zz", "label": "Ny"}, "Temaet finnes ikke"),
        ("themes", {"action": "split", "theme": "FIRST", "refs": "abc", "label": "Ny"}, "abc"),
        (
            "themes",
            {"action": "split", "theme": "FIRST", "refs": "H-1999-0001", "label": "Ny"},
            "Finnes ikke i denne høringen: H-1999-0001.",
        ),
        ("themes", {"action": "burn"}, "Ukjent handling."),
        ("sections", {"label": "x' or 1=1", "text": "Tekst"}, "heter «x&#x27; or 1=1»"),
    ],
)
def test_bad_values_in_analysis_actions_are_messages_and_change_nothing(
    staff_client, analysed, page, form, message
):
    first_theme = theme_set_from_json(service.current_themes(analysed).data).themes[0].id
    first = Submission.objects.filter(round=analysed).order_by("number").first()
    form = {
        k: (first_theme if k == "theme" else str(first.pk)) if v == "FIRST" else v
        for k, v in form.items()
    }
    versions = analysed.theme_sets.count()
    groups = sorted(DuplicateGroupRecord.objects.values_list("key", flat=True))
    name = "staff-analysis-queue" if page == "queue" else f"staff-analysis-{page}"
    response = staff_client.post(reverse(name, args=[analysed.slug]), form, follow=True)
    assert response.status_code == 200
    assert message in response.text
    assert not TagConfirmation.objects.exists()
    assert not SectionText.objects.exists()
    assert sorted(DuplicateGroupRecord.objects.values_list("key", flat=True)) == groups
    assert analysed.theme_sets.count() == versions


def test_one_action_confirms_every_copy_of_a_campaign(staff_client, analysed):
    group = DuplicateGroupRecord.objects.filter(round=analysed, size__gte=3).first()
    members = [m.submission for m in group.members.select_related("submission")]
    label = service.round_labels(analysed)[0].id
    person = SubmissionTag.objects.filter(origin=SubmissionTag.Origin.PERSON)
    tags_before, confirmations_before = person.count(), TagConfirmation.objects.count()
    response = staff_client.post(
        reverse("staff-analysis-queue", args=[analysed.slug]),
        {"action": "confirm-campaign", "group": group.key, "labels": [label]},
        follow=True,
    )
    assert f"Merkingen er bekreftet for alle {len(members)} kopiene." in response.text
    assert person.count() == tags_before + len(members)
    assert TagConfirmation.objects.count() == confirmations_before + len(members)
    for submission in members:
        confirmation = TagConfirmation.objects.get(submission=submission)
        assert confirmation.labels == [label]
        assert person.filter(submission=submission).count() == 1
    page = staff_client.get(reverse("staff-analysis-queue", args=[analysed.slug])).text
    assert not any(f">{s.reference}</a></h2>" in page for s in members), "decided: gone"


def test_queue_says_in_words_why_the_model_is_unsure(staff_client, analysed):
    record = (
        TagSuggestionRecord.objects.filter(submission__round=analysed)
        .select_related("submission")
        .order_by("-uncertainty", "submission__number")
        .first()
    )
    assert record.uncertainty >= views.UNSURE
    page = staff_client.get(reverse("staff-analysis-queue", args=[analysed.slug])).text
    section = page[page.index(f">{record.submission.reference}</a></h2>") :]
    section = section.split("</section>")[0]
    (a, pa), (b, pb) = sorted(record.scores.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    titles = {label.id: label.title for label in service.round_labels(analysed)}
    assert "Modellen er usikker: de to mest sannsynlige kategoriene er nesten like" in section
    assert f"«{titles[a]}» ({round(pa * 100)}\xa0%)" in section
    assert f"«{titles[b]}» ({round(pb * 100)}\xa0%)" in section
    assert f"{round(record.uncertainty * 100)}\xa0%" in section
    assert "<meter" in section


def test_split_of_an_unknown_group_is_refused_with_a_message(staff_client, analysed):
    response = staff_client.post(
        reverse("staff-analysis-campaigns", args=[analysed.slug]),
        {"action": "split", "group": "g-unknown", "refs": ["H-2024-0001"]},
        follow=True,
    )
    assert "g-unknown" in response.text
    assert DuplicateGroupRecord.objects.filter(decided_by="").count() >= 1


def test_proposal_page_shows_the_suggestion_and_its_words(staff_client, staff_user, analysed):
    record = TagSuggestionRecord.objects.exclude(labels=[]).first()
    url = reverse("staff-submission", args=[record.submission_id])
    page = staff_client.get(url).text
    assert "Forslag fra analysen" in page and record.origin in page
    for word in record.words[record.labels[0]]:
        assert word in page
    service.confirm_tags(record.submission, staff_user, [])
    assert "Merkingen er bekreftet av saksbehandler" in staff_client.get(url).text


def test_proposal_page_before_any_analysis(staff_client, synthetic_imported_round):
    submission = Submission.objects.filter(round=synthetic_imported_round).first()
    page = staff_client.get(reverse("staff-submission", args=[submission.pk])).text
    assert "Innspillet er ikke analysert ennå." in page


def test_overview_measures_the_suggestions_against_staff_decisions(
    staff_client, staff_user, analysed
):
    records = list(
        TagSuggestionRecord.objects.filter(submission__round=analysed)
        .exclude(labels=[])
        .select_related("submission")
        .order_by("submission__number")[:3]
    )
    page = staff_client.get(reverse("staff-analysis", args=[analysed.slug])).text
    assert "målt mot saksbehandlers avgjørelser" not in page, "nothing confirmed yet"
    # Two kept as suggested, one decided as off-topic.
    for record in records[:2]:
        service.confirm_tags(record.submission, staff_user, record.labels)
    service.confirm_tags(records[2].submission, staff_user, [])
    ((kind, measured),) = service.suggestion_quality(analysed)
    assert kind == "all" and (measured.decisions, measured.unchanged) == (3, 2)
    right = sum(len(r.labels) for r in records[:2])
    wrong = len(records[2].labels)
    assert measured.micro_f1 == pytest.approx(2 * right / (2 * right + wrong), abs=0.001)
    page = staff_client.get(reverse("staff-analysis", args=[analysed.slug])).text
    assert "Forslagene målt mot saksbehandlers avgjørelser i denne høringen" in page
    assert "Alle bekreftede" in page
