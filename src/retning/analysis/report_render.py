"""The høringsoppsummering as HTML, PDF (WeasyPrint) and DOCX (python-docx).

The report is first laid out once as a list of blocks (headings, paragraphs, tables,
quotes); each format only draws the blocks, so all three always hold the same contents.
Every text passes through the one scrubber (`personaldata.scrub`) on its way in, so that no
e-mail address, phone number, identity number, address or signed name reaches the reader.

The fixed words are bokmål, each wrapped in `_`: the caller passes a translating callable
(the Django side passes gettext under the report's language), so this module stays free of
Django; without one the report is bokmål.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

from retning.analysis.personaldata import scrub
from retning.analysis.report import BOKMAL, ConsultationReport, Section, Wording, sections_in_order


@dataclass(frozen=True)
class Block:
    kind: str  # "h1" | "h2" | "h3" | "p" | "note" | "quote" | "table"
    text: str = ""
    ref: str = ""
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _h(level: int, text: str) -> Block:
    return Block(f"h{level}", scrub(text))


def _p(text: str, kind: str = "p") -> Block:
    return Block(kind, scrub(text))


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Block:
    return Block("table", header=header, rows=tuple(tuple(scrub(c) for c in r) for r in rows))


def _section_blocks(section: Section, w: Wording) -> list[Block]:
    _ = w._
    blocks = [
        _h(3, section.title),
        _p(_("Antall innspill: %(count)s.") % {"count": w.number(section.count)}),
    ]
    if section.summary:
        if section.is_ai_draft:
            blocks.append(_p(_("KI-utkast – ikke godkjent av sekretariatet."), "note"))
        blocks.append(_p(section.summary))
    elif section.count:
        blocks.append(_p(_("Sekretariatet har ikke skrevet en oppsummering ennå."), "note"))
    blocks += [Block("quote", scrub(q.text), q.ref) for q in section.quotes]
    return blocks


def title(report: ConsultationReport, w: Wording = BOKMAL) -> str:
    return w._("Høringsoppsummering: %(title)s") % {"title": report.round.title}


def layout(report: ConsultationReport, w: Wording = BOKMAL) -> list[Block]:
    """The contents of the report, in order, independent of format."""
    _, number, date = w._, w.number, w.date
    r = report.round
    total = len(report.proposals)
    period = (
        f"{date(r.opens)} – {date(r.deadline)}"
        if r.opens
        else _("frist %(date)s") % {"date": date(r.deadline)}
    )
    missing = _("Ikke oppgitt")
    blocks = [
        _h(1, title(report, w)),
        _p(_("Utarbeidet %(date)s.") % {"date": date(report.generated)}),
        _h(2, _("1. Høringen")),
        _p(
            _("Høringsperiode: %(period)s. Innspill kunne sendes via %(channels)s.")
            % {"period": period, "channels": ", ".join(_(c) for c in r.channels)}
        ),
        _p(
            _(
                "Det kom %(total)s innspill. %(on_time)s kom innen fristen og %(late)s etter "
                "fristen. %(campaigns)s innspill er deler av kampanjer eller likelydende "
                "innspill."
            )
            % {
                "total": number(total),
                "on_time": number(total - report.late_count),
                "late": number(report.late_count),
                "campaigns": number(report.in_campaigns),
            }
        ),
        _h(3, _("Innspill etter type innsender")),
        _table(
            (_("Type innsender"), _("Antall")),
            [(k, number(v)) for k, v in report.count_by("submitter_type", missing)],
        ),
        _h(3, _("Innspill etter kommune")),
        _table(
            (_("Kommune"), _("Antall")),
            [(k, number(v)) for k, v in report.count_by("municipality", missing)],
        ),
    ]
    if report.campaigns:
        blocks += [
            _h(3, _("Kampanjer og likelydende innspill")),
            _table(
                (_("Kampanje"), _("Antall"), _("Felles tekst")),
                [(c.label, number(c.copies), c.template) for c in report.campaigns],
            ),
        ]
    main, focus = sections_in_order(report.sections)
    blocks.append(_h(2, _("2. Innspill til hovedstrategiene")))
    for section in main:
        blocks += _section_blocks(section, w)
    blocks.append(_h(2, _("3. Innspill til fokusområdene")))
    for section in focus:
        blocks += _section_blocks(section, w)
    blocks.append(_h(2, _("4. Andre temaer i innspillene")))
    if not report.themes:
        blocks.append(_p(_("Ingen temaer utover strategiens kategorier ble funnet.")))
    for theme in report.themes:
        blocks += [
            _h(3, theme.heading_in(_)),
            _p(_("Antall innspill: %(count)s.") % {"count": number(theme.count)}),
        ]
        blocks += [Block("quote", scrub(q.text), q.ref) for q in theme.quotes]
    titles = {s.id: s.title for s in report.sections}
    late = " " + _("(etter fristen)")
    blocks += [
        _h(2, _("5. Alle innspill")),
        _table(
            (_("Nr."), _("Innsender"), _("Gjelder")),
            [
                (
                    row.ref,
                    row.submitter + (late if row.late else ""),
                    "; ".join(titles.get(label, label) for label in row.labels) or "–",
                )
                for row in report.proposals
            ],
        ),
        _h(2, _("Vedlegg: Metode")),
    ]
    blocks += [_p(text) for text in report.method]
    return blocks


# --- HTML and PDF ------------------------------------------------------------------------
_CSS = """
@page { size: A4; margin: 2cm; @bottom-center { content: counter(page); } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.4; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 1.5em; } h3 { font-size: 12pt; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em; }
th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; vertical-align: top; }
blockquote { margin: 0.5em 0 0.5em 1.5em; font-style: italic; }
.note { color: #8a3b00; font-weight: bold; }
"""


def render_html(report: ConsultationReport, w: Wording = BOKMAL) -> str:
    """A complete HTML document (also the input to the PDF)."""
    e = html.escape
    parts = []
    for block in layout(report, w):
        if block.kind in ("h1", "h2", "h3"):
            parts.append(f"<{block.kind}>{e(block.text)}</{block.kind}>")
        elif block.kind == "p":
            parts.append(f"<p>{e(block.text)}</p>")
        elif block.kind == "note":
            parts.append(f'<p class="note">{e(block.text)}</p>')
        elif block.kind == "quote":
            parts.append(f"<blockquote><p>«{e(block.text)}» ({e(block.ref)})</p></blockquote>")
        elif block.kind == "table":
            head = "".join(f'<th scope="col">{e(h)}</th>' for h in block.header)
            body = "".join(
                "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block.rows
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    heading = e(title(report, w))
    return (
        f'<!DOCTYPE html>\n<html lang="{w.language}">\n<head><meta charset="utf-8">'
        f"<title>{heading}</title>"
        f"<style>{_CSS}</style></head>\n<body><main>\n"
        + "\n".join(parts)
        + "\n</main></body></html>\n"
    )


def render_pdf(report: ConsultationReport, w: Wording = BOKMAL) -> bytes:
    """The HTML report typeset as PDF by WeasyPrint (needs Pango on the system)."""
    from weasyprint import HTML

    return HTML(string=render_html(report, w)).write_pdf()


# --- DOCX --------------------------------------------------------------------------------
def render_docx(report: ConsultationReport, w: Wording = BOKMAL) -> bytes:
    """A Word document the secretariat can edit further before sending it."""
    from docx import Document
    from docx.shared import Mm

    document = Document()
    # python-docx's template is US Letter; the council prints A4 (as the PDF is)
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
    document.core_properties.title = title(report, w)
    document.core_properties.language = "en-GB" if w.language == "en" else "nb-NO"
    for block in layout(report, w):
        if block.kind in ("h1", "h2", "h3"):
            document.add_heading(block.text, level=int(block.kind[1]) - 1)
        elif block.kind == "p":
            document.add_paragraph(block.text)
        elif block.kind == "note":
            document.add_paragraph().add_run(block.text).bold = True
        elif block.kind == "quote":
            document.add_paragraph(f"«{block.text}» ({block.ref})", style="Quote")
        elif block.kind == "table":
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in block.rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(report: ConsultationReport, fmt: str, w: Wording = BOKMAL) -> bytes:
    """The report in `fmt` ("html", "pdf" or "docx") as bytes, in `w`'s language."""
    if fmt == "html":
        return render_html(report, w).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report, w)
    if fmt == "docx":
        return render_docx(report, w)
    raise ValueError(f"unknown report format {fmt!r}: use html, pdf or docx")
