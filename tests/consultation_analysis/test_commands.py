"""`retning analyse --round` and `retning report consultation` from the stored state."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from docx import Document as DocxDocument
from pypdf import PdfReader

from retning.consultation.models import Submission
from retning.consultation_analysis import decisions, service
from retning.consultation_analysis.models import AnalysisRun, SectionText, TagSuggestionRecord
from retning.consultation_analysis.report_data import consultation_report
from retning.consultation_analysis.serial import theme_set_from_json
from retning.reports.consultation import render

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def test_analyse_command_stores_the_analysis(synthetic_imported_round):
    out = io.StringIO()
    call_command("analyse", "--round", synthetic_imported_round.slug, stdout=out)
    total = Submission.objects.filter(round=synthetic_imported_round).count()
    assert out.getvalue().startswith(f"{synthetic_imported_round.slug}: {total} proposals")
    assert "1 campaigns" in out.getvalue()
    assert TagSuggestionRecord.objects.count() == total
    assert AnalysisRun.objects.get().started_by is None


def test_analyse_command_names_an_unknown_round(loaded_strategy):
    with pytest.raises(CommandError, match=r"no consultation round 'nope'.*2024"):
        call_command("analyse", "--round", "nope")


def test_analyse_draft_needs_the_ai_settings(synthetic_imported_round, monkeypatch):
    monkeypatch.delenv("RETNING_LLM_URL", raising=False)
    with pytest.raises(CommandError, match="RETNING_LLM_URL"):
        call_command("analyse", "--round", synthetic_imported_round.slug, "--draft")


@pytest.fixture
def decided_round(synthetic_imported_round, staff_user):
    """Analysed, one section written by a person, one proposal's tags confirmed."""
    service.analyse(synthetic_imported_round)
    labels = service.round_labels(synthetic_imported_round)
    decisions.save_section(
        synthetic_imported_round, labels[0].id, "Sekretariatets oppsummering.", staff_user
    )
    decisions.store_draft(synthetic_imported_round, labels[1].id, "Et utkast.", "ai-draft:m")
    first = Submission.objects.filter(round=synthetic_imported_round).first()
    service.confirm_tags(first, staff_user, [labels[2].id])
    return synthetic_imported_round


def _report(round, fmt, tmp_path):
    path = tmp_path / f"oppsummering.{fmt}"
    call_command(
        "report",
        "consultation",
        "--round",
        round.slug,
        "--format",
        fmt,
        "-o",
        str(path),
        stdout=io.StringIO(),
    )
    return path


def _expected(round) -> tuple[list[str], list[str]]:
    titles = [label.title for label in service.round_labels(round)]
    refs = [s.reference for s in Submission.objects.filter(round=round).select_related("round")]
    return titles, refs


def test_consultation_report_docx_has_every_section_and_reference_and_no_email(
    decided_round, tmp_path
):
    doc = DocxDocument(str(_report(decided_round, "docx", tmp_path)))
    text = "\n".join(p.text for p in doc.paragraphs)
    text += "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    titles, refs = _expected(decided_round)
    for title in titles:
        assert title in text
    for ref in refs:
        assert ref in text
    for heading in ["1. Høringen", "4. Andre temaer", "5. Alle innspill", "Vedlegg: Metode"]:
        assert heading in text
    assert "Sekretariatets oppsummering." in text
    assert "KI-utkast" in text
    assert not EMAIL.search(text), EMAIL.search(text)


def test_consultation_report_pdf_has_every_section_and_reference_and_no_email(
    decided_round, tmp_path
):
    reader = PdfReader(str(_report(decided_round, "pdf", tmp_path)))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    titles, refs = _expected(decided_round)
    for title in titles:
        assert re.sub(r"\s+", " ", title) in flat, title
    for ref in refs:
        assert ref in flat, ref
    assert "Vedlegg: Metode" in flat
    assert not EMAIL.search(flat)


def test_consultation_report_uses_staff_decisions(decided_round, tmp_path):
    html = _report(decided_round, "html", tmp_path).read_text(encoding="utf-8")
    labels = service.round_labels(decided_round)
    first = Submission.objects.filter(round=decided_round).select_related("round").first()
    row = re.search(rf"<td>{first.reference}</td>.*?</tr>", html, re.S).group(0)
    assert labels[2].title in row
    assert "bekreftet eller rettet merkingen av 1" in html
    assert "tok stilling til 1 innspill etter å ha sett forslaget" in html


def test_consultation_report_needs_a_round(loaded_strategy, tmp_path):
    with pytest.raises(CommandError, match="--round"):
        call_command("report", "consultation", "-o", str(tmp_path / "x.docx"))


def test_analyse_draft_asks_the_ai_service_without_personal_data(
    synthetic_imported_round, staff_user, monkeypatch
):
    from tests.analysis.test_llm import ChatServer

    labels = service.round_labels(synthetic_imported_round)
    service.analyse(synthetic_imported_round)
    decisions.save_section(
        synthetic_imported_round, labels[0].id, "Skrevet av en person.", staff_user
    )
    server = ChatServer(answer="Innspillene ønsker mer samarbeid.")
    try:
        monkeypatch.setenv("RETNING_LLM_URL", server.url)
        monkeypatch.setenv("RETNING_LLM_MODEL", "local-model")
        monkeypatch.setenv("RETNING_LLM_API_KEY", "secret-key")
        out = io.StringIO()
        call_command("analyse", "--round", synthetic_imported_round.slug, "--draft", stdout=out)
    finally:
        server.close()
    drafts = SectionText.objects.filter(round=synthetic_imported_round, status="ai_draft")
    themes = theme_set_from_json(service.current_themes(synthetic_imported_round).data)
    assert drafts.count() > 0 and themes.themes
    assert len(server.requests) == drafts.count() + len(themes.themes)
    assert f"{drafts.count()} section texts and {len(themes.themes)} theme names" in out.getvalue()
    assert {d.drafted_by for d in drafts} == {"ai-draft:local-model"}
    assert {t.label_by for t in themes.themes} == {"ai-draft:local-model"}
    report = consultation_report(synthetic_imported_round)
    page = render(report, "html").decode()
    assert all(f"{html.escape(t.label)} (KI-utkast)</h3>" in page for t in report.themes)
    assert all(s.is_ai_draft for s in report.sections if s.summary and s.id != labels[0].id)
    # The person's text stays; nothing sent holds an e-mail address.
    assert SectionText.objects.get(label=labels[0].id).text == "Skrevet av en person."
    sent = json.dumps([r["json"] for r in server.requests], ensure_ascii=False)
    assert not EMAIL.search(sent)
    assert "Innsender 1" not in sent


def test_analyse_json_prints_the_stored_analysis_as_it_is_in_the_database(
    synthetic_imported_round, capsys
):
    import json

    from django.contrib.auth.models import Group, User

    from retning.consultation import intake
    from retning.consultation.models import Channel, Submission
    from retning.consultation_analysis import decisions, service
    from retning.consultation_analysis.models import GroupMember, TagSuggestionRecord
    from retning.consultation_analysis.serial import theme_set_from_json
    from tests.consultation.conftest import synthetic_mail

    round = synthetic_imported_round
    item, _ = intake.store_raw(
        round,
        Channel.EMAIL,
        synthetic_mail(
            body="Skogen i regionen bør gi mer foredling her.\n\nMed vennlig hilsen\n"
            "Anne Moen\nTlf 912 34 567",
            message_id="<json-99@example.org>",
            sender="Anne Moen <anne.moen@example.org>",
        ),
    )
    intake.process_item(item)
    signed = Submission.objects.get(item=item)
    service.analyse(round)
    user = User.objects.create_user("saksbehandler-json")
    user.groups.add(Group.objects.get(name="Saksbehandlere"))
    first_theme = theme_set_from_json(service.current_themes(round).data).themes[0]
    decisions.rename_theme(round, first_theme.id, "Navn satt av saksbehandler", user)
    capsys.readouterr()

    call_command("analyse", "--round", round.slug, "--json")
    data = json.loads(capsys.readouterr().out)

    submissions = {
        s.reference: s for s in Submission.objects.filter(round=round, status__in=["received"])
    }
    proposals = {p["reference"]: p for p in data["proposals"]}
    assert proposals.keys() == submissions.keys()
    suggested = {
        r.submission.reference: r.labels
        for r in TagSuggestionRecord.objects.filter(submission__round=round).select_related(
            "submission"
        )
    }
    for ref, proposal in proposals.items():
        assert proposal["sender"] == submissions[ref].name
        assert proposal["suggested"] == suggested.get(ref, [])
    mine = proposals[signed.reference]
    assert mine["sender"] == "Anne Moen"
    assert "Skogen i regionen bør gi mer foredling her." in mine["text"]
    assert "Anne Moen" not in mine["text"] and "912 34 567" not in mine["text"]

    stored = theme_set_from_json(service.current_themes(round).data)
    assert [(t["name"], t["members"]) for t in data["themes"]] == [
        (t.label, list(t.refs)) for t in stored.themes
    ]
    automatic = {t["name"]: t["automatic"] for t in data["themes"]}
    assert automatic.pop("Navn satt av saksbehandler") is False
    assert all(automatic.values()), "every other name was made from the top terms"

    campaigns = {}
    for m in GroupMember.objects.filter(group__round=round, group__size__gte=3).select_related(
        "group", "submission"
    ):
        campaigns.setdefault(m.group.key, set()).add(m.submission.reference)
    assert {c["id"]: set(c["members"]) for c in data["campaigns"]} == campaigns
    assert campaigns, "the synthetic round has a 4-copy campaign"


def test_analyse_json_before_any_analysis_says_what_to_do(loaded_strategy):
    with pytest.raises(CommandError, match="no stored analysis yet; run `retning analyse"):
        call_command("analyse", "--round", "2024", "--json")
