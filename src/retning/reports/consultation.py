"""The høringsoppsummering as HTML, PDF and DOCX, all three from one template.

`reports/consultation_report.html` is the one layout. The PDF is WeasyPrint's rendering of
that HTML; the DOCX is built from the same rendered HTML (its headings, paragraphs, notes,
quotes and tables), so the three formats always hold the same contents.

What the template shows is prepared here (`report_context`): every text that comes from
proposals, senders, summaries or the analysis passes through the one scrubber
(`personaldata.scrub`), so that no e-mail address, phone number, identity number, address
or signed name reaches the reader whatever the template does with it; numbers and dates
are written by `retning.formats.numbers` in the report's language. The template adds the
fixed words through Django's translations, with autoescaping on.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from retning.analysis.personaldata import scrub
from retning.analysis.report import (
    ConsultationReport,
    ReportQuote,
    Section,
    Wording,
    sections_in_order,
)


# --- What the template shows -------------------------------------------------------------
@dataclass(frozen=True)
class SectionView:
    title: str
    count: str
    has_proposals: bool
    summary: str
    ai_draft: bool
    quotes: tuple[ReportQuote, ...]


@dataclass(frozen=True)
class ThemeView:
    label: str
    named_by: str  # "auto", "ai-draft" or "staff": the template marks the first two
    count: str
    quotes: tuple[ReportQuote, ...]


@dataclass(frozen=True)
class CampaignView:
    label: str
    copies: str
    template: str


@dataclass(frozen=True)
class ProposalView:
    ref: str
    submitter: str
    late: bool
    concerns: str


def _quotes(quotes: tuple[ReportQuote, ...]) -> tuple[ReportQuote, ...]:
    """The quotes as the template shows them: scrubbed."""
    return tuple(ReportQuote(scrub(q.ref), scrub(q.text)) for q in quotes)


def _section(section: Section, w: Wording) -> SectionView:
    return SectionView(
        title=scrub(section.title),
        count=w.number(section.count),
        has_proposals=bool(section.count),
        summary=scrub(section.summary),
        ai_draft=section.is_ai_draft,
        quotes=_quotes(section.quotes),
    )


def report_context(report: ConsultationReport, language: str = "nb") -> dict:
    """The template's context: the report's texts scrubbed, its numbers and dates written
    in `language`. Call it under `translation.override(language)` (the channels are
    translated here)."""
    w = Wording(language)
    number, date = w.number, w.date
    r = report.round
    total = len(report.proposals)
    main, focus = sections_in_order(report.sections)
    titles = {s.id: s.title for s in report.sections}

    def counts(attribute: str) -> list[tuple[str, str]]:
        # "not stated" is sorted by its name in the report's language, like the others
        return [
            (scrub(k), number(v)) for k, v in report.count_by(attribute, gettext("Ikke oppgitt"))
        ]

    return {
        "language": language,
        "round_title": scrub(r.title),
        "generated": date(report.generated),
        # the template writes "frist …" when the round has no opening date
        "period": f"{date(r.opens)} – {date(r.deadline)}" if r.opens else "",
        "deadline": date(r.deadline),
        "channels": ", ".join(gettext(c) for c in r.channels),
        "counts": {
            "total": number(total),
            "on_time": number(total - report.late_count),
            "late": number(report.late_count),
            "campaigns": number(report.in_campaigns),
        },
        "by_type": counts("submitter_type"),
        "by_municipality": counts("municipality"),
        "campaigns": [
            CampaignView(scrub(c.label), number(c.copies), scrub(c.template))
            for c in report.campaigns
        ],
        "main_strategies": [_section(s, w) for s in main],
        "focus_areas": [_section(s, w) for s in focus],
        "themes": [
            ThemeView(
                label=scrub(t.label),
                named_by=t.named_by,
                count=number(t.count),
                quotes=_quotes(t.quotes),
            )
            for t in report.themes
        ],
        "proposals": [
            ProposalView(
                ref=scrub(row.ref),
                submitter=scrub(row.submitter),
                late=row.late,
                concerns=scrub("; ".join(titles.get(label, label) for label in row.labels)),
            )
            for row in report.proposals
        ],
        "method": [scrub(text) for text in report.method],
    }


# --- HTML and PDF ------------------------------------------------------------------------
def consultation_report_html(report: ConsultationReport, language: str = "nb") -> str:
    """The report as a complete HTML document (also the input to the PDF and the DOCX)."""
    with translation.override(language):
        return render_to_string(
            "reports/consultation_report.html", report_context(report, language)
        )


def consultation_report_pdf(report: ConsultationReport, language: str = "nb") -> bytes:
    """The HTML report typeset as PDF by WeasyPrint (needs Pango on the system)."""
    from weasyprint import HTML

    return HTML(string=consultation_report_html(report, language)).write_pdf()


# --- DOCX: the same HTML, read back ------------------------------------------------------
# HTML's white space (not the no-break spaces between a number's thousands)
_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass
class _Table:
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class _Block:
    kind: str  # "h1" | "h2" | "h3" | "p" | "note" | "quote" | "table"
    text: str = ""
    table: _Table | None = None


class _ReportReader(HTMLParser):
    """The blocks of the template's HTML, in order: h1–h3, p (p.note), blockquote > p,
    table > thead/tbody > tr > th/td; also the document's title and language."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self.title = ""
        self.language = ""
        self._text: list[str] | None = None  # the text of the element being read
        self._kind = ""
        self._in_quote = False
        self._in_head = False
        self._table: _Table | None = None
        self._row: list[str] | None = None
        self._in_thead = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "html":
            self.language = attributes.get("lang") or ""
        elif tag == "title":
            self._kind, self._text = "title", []
        elif tag in ("h1", "h2", "h3"):
            self._kind, self._text = tag, []
        elif tag == "p":
            classes = (attributes.get("class") or "").split()
            self._kind = "quote" if self._in_quote else "note" if "note" in classes else "p"
            self._text = []
        elif tag == "blockquote":
            self._in_quote = True
        elif tag == "table":
            self._table = _Table()
        elif tag == "thead":
            self._in_thead = True
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._kind, self._text = tag, []
        elif tag == "br" and self._text is not None:
            self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "h1", "h2", "h3", "p", "th", "td") and self._text is not None:
            text = _SPACE.sub(" ", "".join(self._text)).strip()
            self._text = None
            if tag == "title":
                self.title = text
            elif tag in ("th", "td"):
                if self._row is not None:
                    self._row.append(text)
            else:
                self.blocks.append(_Block(self._kind, text))
        elif tag == "blockquote":
            self._in_quote = False
        elif tag == "thead":
            self._in_thead = False
        elif tag == "tr" and self._table is not None and self._row is not None:
            if self._in_thead:
                self._table.header = self._row
            else:
                self._table.rows.append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.blocks.append(_Block("table", table=self._table))
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def docx_from_html(page: str) -> bytes:
    """A Word document with the blocks of the report's HTML: A4, headings, quotes in the
    "Quote" style, tables with a bold header row."""
    from docx import Document
    from docx.shared import Mm

    reader = _ReportReader()
    reader.feed(page)
    reader.close()
    document = Document()
    # python-docx's template is US Letter; the council prints A4 (as the PDF is)
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
    document.core_properties.title = reader.title
    document.core_properties.language = "en-GB" if reader.language == "en" else "nb-NO"
    for block in reader.blocks:
        if block.kind in ("h1", "h2", "h3"):
            document.add_heading(block.text, level=int(block.kind[1]) - 1)
        elif block.kind == "p":
            document.add_paragraph(block.text)
        elif block.kind == "note":
            document.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "quote":
            document.add_paragraph(block.text, style="Quote")
        elif block.kind == "table" and block.table is not None:
            header, rows = block.table.header, block.table.rows
            table = document.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def consultation_report_docx(report: ConsultationReport, language: str = "nb") -> bytes:
    """A Word document the secretariat can edit further before sending it."""
    return docx_from_html(consultation_report_html(report, language))


def render(report: ConsultationReport, fmt: str, language: str = "nb") -> bytes:
    """The report in `fmt` ("html", "pdf" or "docx") as bytes, in `language`."""
    if fmt == "html":
        return consultation_report_html(report, language).encode("utf-8")
    if fmt == "pdf":
        return consultation_report_pdf(report, language)
    if fmt == "docx":
        return consultation_report_docx(report, language)
    raise ValueError(f"unknown report format {fmt!r}: use html, pdf or docx")
