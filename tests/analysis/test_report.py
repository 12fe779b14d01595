from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from retning.analysis.campaigns import Document
from retning.analysis.pipeline import analyse_round
from retning.analysis.report import (
    CampaignEntry,
    ConsultationReport,
    ProposalRow,
    ReportQuote,
    RoundInfo,
    Section,
    ThemeEntry,
    build_report,
    method_appendix,
)
from retning.analysis.report_render import render
from retning.analysis.tagging import Tagger
from retning.formats.numbers import date_nb as norwegian_date
from tests.analysis.synthetic import synthetic_corpus

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
THEMES = (ThemeEntry("Helsetjenester", 4, (ReportQuote("2024/0003", "Flere fastleger."),), "kari"),)
TWO_THEMES = (ThemeEntry("Bredbånd", 3, (), "kari"), ThemeEntry("buss, tog, pendling", 5))


def synthetic_report(strategy_labels) -> ConsultationReport:
    """A made-up round with e-mail addresses planted in every kind of text."""
    proposals = tuple(
        ProposalRow(
            ref=f"2024/{n:04d}",
            submitter=("Privatperson" if n % 3 else f"Bedrift {n} AS (post{n}@bedrift.no)"),
            submitter_type=("Privatperson" if n % 3 else "Bedrift"),
            municipality=["Kongsvinger", "Eidskog", "Åsnes"][n % 3],
            labels=(strategy_labels[n % len(strategy_labels)].id,),
            late=n == 7,
            campaign="Dobbeltspor nå" if n in (4, 5, 6) else "",
        )
        for n in range(1, 26)
    )
    sections = tuple(
        Section(
            id=label.id,
            kind=label.kind,
            title=label.title,
            count=sum(label.id in p.labels for p in proposals),
            summary=(
                "Innspillene ber om raskere saksbehandling. Kontakt: ola@kommune.no."
                if i % 2
                else ""
            ),
            summary_by="ai-draft:local" if i == 1 else ("kari" if i % 2 else ""),
            quotes=(ReportQuote(f"2024/{i + 1:04d}", f"Sitat {i} – skriv til meg@example.org"),),
        )
        for i, label in enumerate(strategy_labels)
    )
    return ConsultationReport(
        round=RoundInfo(
            "Revisjon av næringsstrategien 2024",
            "2024",
            dt.date(2024, 5, 2),
            dt.date(2024, 6, 15),
            ("e-post", "nettskjema"),
        ),
        sections=sections,
        themes=THEMES,
        proposals=proposals,
        campaigns=(CampaignEntry("Dobbeltspor nå", 3, "Vi krever dobbeltspor."),),
        method=method_appendix("cold-start-1:abc", 25, 20, 1, THEMES, 6, 5),
        generated=dt.date(2024, 8, 30),
    )


def docx_text(data: bytes) -> str:
    document = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_report_has_every_section_and_reference_and_no_email(fmt, strategy_labels):
    report = synthetic_report(strategy_labels)
    data = render(report, fmt)
    text = {"docx": docx_text, "pdf": pdf_text, "html": lambda d: d.decode("utf-8")}[fmt](data)
    flat = " ".join(text.split())
    headings = [
        "1. Høringen",
        "2. Innspill til hovedstrategiene",
        "3. Innspill til fokusområdene",
        "4. Andre temaer i innspillene",
        "5. Alle innspill",
        "Vedlegg: Metode",
        "Helsetjenester",
    ]
    for heading in headings + [s.title for s in report.sections]:
        assert " ".join(heading.split()) in flat, heading
    for row in report.proposals:
        assert row.ref in flat, row.ref
    assert EMAIL.search(text) is None
    assert "KI-utkast" in flat
    assert "15. juni 2024" in flat


def test_docx_lists_each_proposal_with_its_tags(strategy_labels):
    report = synthetic_report(strategy_labels)
    document = DocxDocument(io.BytesIO(render(report, "docx")))
    last = document.tables[-1]
    rows = {row.cells[0].text: row.cells[2].text for row in last.rows[1:]}
    assert len(rows) == len(report.proposals)
    first = report.proposals[0]
    title = next(s.title for s in report.sections if s.id == first.labels[0])
    assert rows[first.ref] == title


def test_report_counts_by_submitter_type_and_lateness(strategy_labels):
    report = synthetic_report(strategy_labels)
    assert dict(report.count_by("submitter_type")) == {"Privatperson": 17, "Bedrift": 8}
    assert report.late_count == 1
    assert report.in_campaigns == 3


def test_method_appendix_says_when_no_ai_was_used():
    text = " ".join(method_appendix("cold-start-1:x", 10, 4, 0, TWO_THEMES, 0, 0))
    assert "Ingen tekst i rapporten er skrevet av en KI-tjeneste." in text
    assert "bekreftet eller rettet merkingen av 4" in text


def test_method_appendix_reports_how_the_suggestions_fared():
    from retning.analysis.evaluation import Agreement

    text = " ".join(
        method_appendix("cold-start-2:x", 10, 4, 0, TWO_THEMES, 0, 0, Agreement(4, 3, 0.8571, 0.5))
    )
    assert "tok stilling til 4 innspill" in text and "uendret for 3 av dem" in text
    assert "(mikro-F1, der 1 betyr full overensstemmelse) 0,86." in text
    without = " ".join(
        method_appendix("cold-start-2:x", 10, 0, 0, TWO_THEMES, 0, 0, Agreement(0, 0, 0, 0))
    )
    assert "mikro-F1" not in without


def test_unknown_format_is_refused(strategy_labels):
    with pytest.raises(ValueError, match="unknown report format 'odt'"):
        render(synthetic_report(strategy_labels), "odt")


def test_norwegian_date():
    assert norwegian_date(dt.date(2024, 6, 15)) == "15. juni 2024"


def test_report_built_from_a_round_analysis_has_every_proposal(strategy_labels):
    corpus = synthetic_corpus(120, 1, copies_per_campaign=(10, 10), seed=4)
    texts = dict(zip(corpus.refs, corpus.texts, strict=True))
    analysis = analyse_round([Document(r, t) for r, t in texts.items()], Tagger(strategy_labels))
    rows = [
        ProposalRow(ref, "Privatperson", "Privatperson", "Grue", analysis.suggestions[ref].labels)
        for ref in corpus.refs
    ]
    first = strategy_labels[0].id
    report = build_report(
        RoundInfo("Syntetisk høring", "syn", None, dt.date(2024, 6, 15), ("e-post",)),
        strategy_labels,
        rows,
        texts,
        analysis,
        summaries={first: ("Utkast.", "ai-draft:local")},
        confirmed=12,
    )
    assert len(report.sections) == len(strategy_labels)
    assert report.in_campaigns == 10
    assert report.campaigns[0].copies == 10
    counted = next(s for s in report.sections if s.id == first)
    assert counted.count == sum(first in r.labels for r in rows)
    assert counted.is_ai_draft
    assert "«KI-utkast»" in " ".join(report.method)
    text = docx_text(render(report, "docx"))
    assert all(ref in text for ref in corpus.refs)


def test_method_appendix_never_claims_staff_named_themes_they_did_not():
    themes = (*TWO_THEMES, ThemeEntry("Grønn industri", 3, (), "ai-draft:local"))
    text = " ".join(method_appendix("cold-start-2:x", 10, 0, 0, themes, 0, 0))
    assert "satt eller godkjent av sekretariatet" not in text
    assert "1 av 3 temanavn er satt av sekretariatet." in text
    assert "1 er automatiske navn laget av temaets nøkkelord" in text
    assert "1 er foreslått av en KI-tjeneste uten å være godkjent" in text
    named = " ".join(method_appendix("x", 1, 0, 0, THEMES, 0, 0))
    assert "Alle navnene på temaene er satt av sekretariatet." in named


def test_method_appendix_shows_the_theme_checks_kept_and_broken():
    text = " ".join(method_appendix("x", 1, 0, 0, TWO_THEMES, 0, 0, broken_rules=["person_name"]))
    assert "holder disse reglene: høyst 30 temaer;" in text
    assert "De holder ikke disse: ingen tema har navn etter en person." in text


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_report_marks_automatic_theme_names(fmt, strategy_labels):
    report = synthetic_report(strategy_labels)
    report = ConsultationReport(
        report.round, report.sections, TWO_THEMES, report.proposals, generated=report.generated
    )
    data = render(report, fmt)
    text = docx_text(data) if fmt == "docx" else data.decode("utf-8")
    assert "buss, tog, pendling (automatisk navn)" in text
    assert "Bredbånd (automatisk navn)" not in text and "Bredbånd" in text


def test_report_scrubs_phone_numbers_and_signed_names_in_every_text(strategy_labels):
    report = synthetic_report(strategy_labels)
    quote = ReportQuote("2024/0009", "Flere busser. Hilsen Anne Moen, tlf 912 34 567")
    theme = ThemeEntry("Kollektivtrafikk", 2, (quote,), "kari")
    report = ConsultationReport(
        report.round, report.sections, (theme,), report.proposals, generated=report.generated
    )
    text = render(report, "html").decode("utf-8")
    assert "Flere busser." in text
    assert "912 34 567" not in text and "Anne Moen" not in text
