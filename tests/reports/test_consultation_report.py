"""The høringsoppsummering rendered: HTML, PDF and DOCX from one template, each with every
section and proposal, none with personal data, the DOCX on A4 and holding what the HTML
holds, and in English without the bokmål fixed words."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from retning.analysis.campaigns import Document
from retning.analysis.personaldata import scrub
from retning.analysis.pipeline import analyse_round
from retning.analysis.report import (
    ConsultationReport,
    ProposalRow,
    ReportQuote,
    RoundInfo,
    ThemeEntry,
    build_report,
    sections_in_order,
)
from retning.analysis.tagging import Tagger
from retning.reports.consultation import render
from tests.analysis.synthetic import synthetic_corpus
from tests.analysis.test_report import TWO_THEMES, synthetic_report

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def docx_text(data: bytes) -> str:
    document = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def html_text(data: bytes) -> str:
    return html.unescape(data.decode("utf-8"))


TEXT_OF = {"docx": docx_text, "pdf": pdf_text, "html": html_text}


@pytest.mark.parametrize("fmt", ["docx", "pdf", "html"])
def test_report_has_every_section_and_reference_and_no_email(fmt, strategy_labels):
    report = synthetic_report(strategy_labels)
    data = render(report, fmt)
    text = TEXT_OF[fmt](data)
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


def test_unknown_format_is_refused(strategy_labels):
    with pytest.raises(ValueError, match="unknown report format 'odt'"):
        render(synthetic_report(strategy_labels), "odt")


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
    # a round without an opening date is described by its deadline
    assert "Høringsperiode: frist 15. juni 2024. Innspill kunne sendes via e-post." in text


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_report_marks_automatic_theme_names(fmt, strategy_labels):
    report = synthetic_report(strategy_labels)
    report = ConsultationReport(
        report.round, report.sections, TWO_THEMES, report.proposals, generated=report.generated
    )
    data = render(report, fmt)
    text = " ".join(TEXT_OF[fmt](data).split())
    assert "buss, tog, pendling (automatisk navn)" in text
    assert "Bredbånd (automatisk navn)" not in text and "Bredbånd" in text


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_report_scrubs_phone_numbers_and_signed_names_in_every_text(fmt, strategy_labels):
    report = synthetic_report(strategy_labels)
    quote = ReportQuote("2024/0009", "Flere busser. Hilsen Anne Moen, tlf 912 34 567")
    theme = ThemeEntry("Kollektivtrafikk", 2, (quote,), "kari")
    report = ConsultationReport(
        report.round, report.sections, (theme,), report.proposals, generated=report.generated
    )
    text = " ".join(TEXT_OF[fmt](render(report, fmt)).split())
    assert "Flere busser." in text
    assert "912 34 567" not in text and "Anne Moen" not in text


def test_docx_is_a4_like_the_pdf(strategy_labels):
    document = DocxDocument(io.BytesIO(render(synthetic_report(strategy_labels), "docx")))
    for section in document.sections:
        # stored in twentieths of a point; US Letter would be 215.9 × 279.4 mm
        assert round(section.page_width.mm, 1) == 210.0
        assert round(section.page_height.mm, 1) == 297.0
        assert round(section.left_margin.mm) == round(section.right_margin.mm) == 25
    assert document.core_properties.language == "nb-NO"
    assert (
        document.core_properties.title
        == "Høringsoppsummering: " + synthetic_report(strategy_labels).round.title
    )


def _html_headings(page: str) -> list[str]:
    return [
        " ".join(html.unescape(text).split())
        for _level, text in re.findall(r"<h([1-3])>(.*?)</h\1>", page, re.S)
    ]


def _html_tables(page: str) -> list[list[list[str]]]:
    return [
        [
            [
                " ".join(html.unescape(cell).split())
                for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        ]
        for table in re.findall(r"<table>(.*?)</table>", page, re.S)
    ]


def test_docx_holds_the_headings_tables_and_method_of_the_html(strategy_labels):
    """Both formats hold what the report's data says, in the same order: every heading,
    every table row (the proposals with their sender, lateness and categories) and the
    method appendix."""
    report = synthetic_report(strategy_labels)
    main, focus = sections_in_order(report.sections)
    expected_headings = [
        f"Høringsoppsummering: {report.round.title}",
        "1. Høringen",
        "Innspill etter type innsender",
        "Innspill etter kommune",
        "Kampanjer og likelydende innspill",
        "2. Innspill til hovedstrategiene",
        *[s.title for s in main],
        "3. Innspill til fokusområdene",
        *[s.title for s in focus],
        "4. Andre temaer i innspillene",
        *[t.label for t in report.themes],  # named by staff: no marking
        "5. Alle innspill",
        "Vedlegg: Metode",
    ]
    titles = {s.id: s.title for s in report.sections}
    expected_tables = [
        [["Type innsender", "Antall"], ["Privatperson", "17"], ["Bedrift", "8"]],
        [["Kommune", "Antall"], ["Eidskog", "9"], ["Kongsvinger", "8"], ["Åsnes", "8"]],
        [["Kampanje", "Antall", "Felles tekst"], ["Dobbeltspor nå", "3", "Vi krever dobbeltspor."]],
        [
            ["Nr.", "Innsender", "Gjelder"],
            *[
                [
                    row.ref,
                    scrub(row.submitter) + (" (etter fristen)" if row.late else ""),
                    "; ".join(titles[label] for label in row.labels),
                ]
                for row in report.proposals
            ],
        ],
    ]
    page = render(report, "html").decode("utf-8")
    document = DocxDocument(io.BytesIO(render(report, "docx")))
    docx_headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    docx_tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert _html_headings(page) == expected_headings
    assert docx_headings == expected_headings
    assert _html_tables(page) == expected_tables
    assert docx_tables == expected_tables
    assert any("@" in row.submitter for row in report.proposals)  # planted, and scrubbed
    paragraphs = [p.text for p in document.paragraphs]
    for text in report.method:
        assert text in paragraphs
        assert f"<p>{html.escape(text, quote=False)}</p>" in page
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes == [f"«{scrub(q.text)}» ({q.ref})" for s in (*main, *focus) for q in s.quotes] + [
        f"«{scrub(q.text)}» ({q.ref})" for t in report.themes for q in t.quotes
    ]


def test_english_report_has_english_fixed_words_numbers_and_dates(strategy_labels):
    report = synthetic_report(strategy_labels)
    page = html_text(render(report, "html", "en"))
    assert '<html lang="en">' in page
    assert "Consultation summary: " + report.round.title in page
    assert "2 May 2024 – 15 June 2024" in page and "Prepared 30 August 2024." in page
    for bokmal in ("Høringsoppsummering", "Utarbeidet", "Antall innspill", "Vedlegg: Metode"):
        assert bokmal not in page
    document = DocxDocument(io.BytesIO(render(report, "docx", "en")))
    assert document.core_properties.language == "en-GB"
    assert "Appendix: Method" in docx_text(render(report, "docx", "en"))
