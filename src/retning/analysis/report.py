"""The høringsoppsummering (consultation summary) as plain data.

What the secretariat sends to the council: the round, counts of proposals, a section per
main strategy and per focus area with a summary text and quotes, the emergent themes, the
full list of proposals and a method appendix. The Django side fills `ConsultationReport`
from the database; `reports.consultation` renders it through one Django template as HTML,
PDF and DOCX. The report is written in bokmål, the language of the council; the fixed words
made here (the method appendix, theme marks, campaign labels) pass through the `_` a caller
gives (the Django side: gettext in English), so an English version needs no Django here.

Quotes come from the texts the caller gives (for the Django side: the published version,
cleaned of the letter around it and scrubbed of personal data), also under the themes, and
every text from proposals, senders and summaries passes through the one scrubber again
before the template shows it. Numbers and dates are written by `retning.formats.numbers`
(bokmål or English), the same rules the pages follow through `core.formatting`, without
Django's localisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from retning.analysis.evaluation import Agreement
from retning.analysis.labels import Label
from retning.analysis.pipeline import RoundAnalysis
from retning.analysis.themes import RULES, ThemeSet, check_theme_set, quote_of
from retning.formats.numbers import date_en, date_nb, number_en, number_nb

# Translates a bokmål phrase; the default leaves it as written.
Translate = Callable[[str], str]


def same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Wording:
    """The report's language: its fixed words (`_`, bokmål in, the language out), numbers
    and dates."""

    language: str = "nb"
    _: Translate = same

    @property
    def number(self) -> Callable[..., str]:
        return number_en if self.language == "en" else number_nb

    @property
    def date(self) -> Callable[..., str]:
        return date_en if self.language == "en" else date_nb


BOKMAL = Wording()


@dataclass(frozen=True)
class RoundInfo:
    title: str
    slug: str
    opens: dt.date | None
    deadline: dt.date
    channels: tuple[str, ...]


@dataclass(frozen=True)
class ReportQuote:
    ref: str
    text: str


@dataclass(frozen=True)
class Section:
    """One main strategy or focus area: how many proposals, what they say, and quotes."""

    id: str
    kind: str  # "main_strategy" or "focus_area"
    title: str
    count: int
    summary: str = ""
    # Who wrote the summary: a person's name, or "ai-draft:MODEL" for an unapproved draft.
    summary_by: str = ""
    quotes: tuple[ReportQuote, ...] = ()

    @property
    def is_ai_draft(self) -> bool:
        return self.summary_by.startswith("ai-draft")


@dataclass(frozen=True)
class ThemeEntry:
    label: str
    count: int
    quotes: tuple[ReportQuote, ...] = ()
    # Who named the theme: "auto" (its key words), "ai-draft:MODEL" (not approved), or
    # the person who set the name.
    label_by: str = "auto"

    @property
    def named_by(self) -> str:
        """Who named the theme: "auto", "ai-draft" or "staff" (the report marks the first
        two)."""
        if self.label_by == "auto":
            return "auto"
        if self.label_by.startswith("ai-draft"):
            return "ai-draft"
        return "staff"


@dataclass(frozen=True)
class ProposalRow:
    ref: str
    submitter: str  # as published (may be "Privatperson" when the name is withheld)
    submitter_type: str
    municipality: str
    labels: tuple[str, ...]
    late: bool = False
    campaign: str = ""


@dataclass(frozen=True)
class CampaignEntry:
    label: str
    copies: int
    template: str


@dataclass(frozen=True)
class ConsultationReport:
    round: RoundInfo
    sections: tuple[Section, ...]
    themes: tuple[ThemeEntry, ...]
    proposals: tuple[ProposalRow, ...]
    campaigns: tuple[CampaignEntry, ...] = ()
    method: tuple[str, ...] = ()
    generated: dt.date = field(default_factory=dt.date.today)

    def count_by(self, attribute: str, missing: str = "Ikke oppgitt") -> list[tuple[str, int]]:
        """Proposals per value of a ProposalRow attribute, most first, then by name."""
        counts: dict[str, int] = {}
        for row in self.proposals:
            key = getattr(row, attribute) or missing
            counts[key] = counts.get(key, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def late_count(self) -> int:
        return sum(row.late for row in self.proposals)

    @property
    def in_campaigns(self) -> int:
        return sum(bool(row.campaign) for row in self.proposals)


def _rule_texts(_: Translate = same) -> dict[str, str]:
    return {
        "too_many": _("høyst 30 temaer"),
        "too_small": _("hvert tema gjelder minst 2 innspill og minst 1 % av dem"),
        "overlap": _("ingen to temaer gjelder stort sett de samme innspillene"),
        "same_label": _("ingen to temaer har samme navn"),
        "person_name": _("ingen tema har navn etter en person"),
    }


RULE_TEXTS = _rule_texts()


def theme_paragraph(
    themes: Sequence[ThemeEntry], broken: Sequence[str] = (), w: Wording = BOKMAL
) -> str:
    """How the themes were found, who named them, and which rules they keep (`broken`:
    the kinds of `themes.RULES` the theme set breaks) — only what is true."""
    _ = w._
    if not themes:
        return _(
            "Temaer utenfor de faste kategoriene ble søkt ved gruppering av innspillenes ord. "
            "Ingen tema var stort nok til å tas med."
        )
    n = len(themes)
    staff = sum(1 for t in themes if t.named_by == "staff")
    auto = sum(1 for t in themes if t.named_by == "auto")
    ai = n - staff - auto
    text = _(
        "Temaer utenfor de faste kategoriene ble funnet ved gruppering av innspillenes ord "
        "(%(n)s temaer), etter at hilsener, signaturer, siterte e-poster og navn var tatt ut "
        "av tekstene."
    ) % {"n": n}
    if staff == n:
        text += " " + _("Alle navnene på temaene er satt av sekretariatet.")
    else:
        text += " " + _("%(staff)s av %(n)s temanavn er satt av sekretariatet.") % {
            "staff": staff,
            "n": n,
        }
        if auto:
            text += " " + _(
                "%(auto)s er automatiske navn laget av temaets nøkkelord og er merket "
                "«automatisk navn»."
            ) % {"auto": auto}
        if ai:
            text += " " + _(
                "%(ai)s er foreslått av en KI-tjeneste uten å være godkjent og er merket "
                "«KI-utkast»."
            ) % {"ai": ai}
    rule_texts = _rule_texts(_)
    kept = [rule_texts[r] for r in RULES if r not in broken]
    failed = [rule_texts[r] for r in RULES if r in broken]
    if kept:
        text += " " + _("Temaene er kontrollert og holder disse reglene: %(rules)s.") % {
            "rules": "; ".join(kept)
        }
    if failed:
        text += " " + _("De holder ikke disse: %(rules)s.") % {"rules": "; ".join(failed)}
    return text


def method_appendix(
    model_version: str,
    suggested: int,
    confirmed: int,
    campaigns_found: int,
    themes: Sequence[ThemeEntry],
    ai_drafts: int,
    approved_drafts: int,
    agreement: Agreement | None = None,
    broken_rules: Sequence[str] = (),
    w: Wording = BOKMAL,
) -> tuple[str, ...]:
    """What was automated and what people checked, in plain words for the reader.

    `agreement`: the suggestions people saw against what they decided, when any were
    confirmed; `broken_rules`: the theme rules the theme set breaks."""
    _ = w._
    first = _(
        "Innspillene ble registrert med journalnummer og lest av sekretariatet. Retning "
        "foreslo hvilke hovedstrategier og fokusområder hvert innspill gjelder, ut fra "
        "strategiens egne ord og sekretariatets tidligere avgjørelser (modell %(model)s). "
        "Forslagene gjaldt %(suggested)s innspill; sekretariatet bekreftet eller rettet "
        "merkingen av %(confirmed)s. Forslag med lav sikkerhet ble ikke brukt uten at en "
        "person tok stilling til dem, og en persons avgjørelse gjelder alltid foran et forslag."
    ) % {"model": model_version, "suggested": suggested, "confirmed": confirmed}
    if agreement and agreement.decisions:
        first += " " + _(
            "Sekretariatet tok stilling til %(decisions)s innspill etter å ha sett forslaget "
            "og beholdt det uendret for %(unchanged)s av dem. Målt mot sekretariatets "
            "avgjørelser var forslagenes treffsikkerhet (mikro-F1, der 1 betyr full "
            "overensstemmelse) %(f1)s."
        ) % {
            "decisions": agreement.decisions,
            "unchanged": agreement.unchanged,
            "f1": w.number(agreement.micro_f1, 2),
        }
    shown = (
        _("%(n)s gruppe ble vist sekretariatet, som kunne dele og slå sammen grupper.")
        if campaigns_found == 1
        else _("%(n)s grupper ble vist sekretariatet, som kunne dele og slå sammen grupper.")
    ) % {"n": campaigns_found}
    paragraphs = [
        first,
        _(
            "Like og nesten like innspill ble funnet ved å sammenligne ordlyden (ordsekvenser, "
            "MinHash)."
        )
        + " "
        + shown
        + " "
        + _("Hvert innspill i en kampanje er telt og listet for seg."),
        theme_paragraph(themes, broken_rules, w),
    ]
    if ai_drafts:
        drafted = (
            _("En KI-tjeneste skrev utkast til %(n)s tekst.")
            if ai_drafts == 1
            else _("En KI-tjeneste skrev utkast til %(n)s tekster.")
        ) % {"n": ai_drafts}
        paragraphs.append(
            drafted
            + " "
            + _(
                "Navn, e-postadresser og telefonnumre ble fjernet før noe ble sendt. "
                "%(approved)s av utkastene er godkjent eller redigert av sekretariatet; "
                "tekster som ikke er det, er merket «KI-utkast» i rapporten."
            )
            % {"approved": approved_drafts}
        )
    else:
        paragraphs.append(_("Ingen tekst i rapporten er skrevet av en KI-tjeneste."))
    return tuple(paragraphs)


def sections_in_order(sections: Sequence[Section]) -> tuple[list[Section], list[Section]]:
    """Main strategies and focus areas, each in the order given."""
    return (
        [s for s in sections if s.kind == "main_strategy"],
        [s for s in sections if s.kind == "focus_area"],
    )


def build_report(
    round_info: RoundInfo,
    labels: Sequence[Label],
    proposals: Sequence[ProposalRow],
    texts: Mapping[str, str],
    analysis: RoundAnalysis,
    summaries: Mapping[str, tuple[str, str]] = (),
    confirmed: int = 0,
    approved_drafts: int = 0,
    quotes_per_section: int = 3,
    agreement: Agreement | None = None,
    names: Sequence[str] = (),
    w: Wording = BOKMAL,
) -> ConsultationReport:
    """The report from a round's analysis and the tags that count.

    `proposals` carry the tags that count (staff decisions, else accepted suggestions);
    `summaries` maps a category id to (text, who wrote it: a person, or "ai-draft:MODEL"
    while unapproved); `approved_drafts` says how many of the people's texts began as AI
    drafts. Quotes are the openings of `texts`: of the first proposals under each category
    (campaign copies quoted once) and of each theme's most typical proposals. `names` (the
    senders') are what a theme must not be named after; `w` the language of the fixed words.
    """
    summaries = dict(summaries)
    copies = {ref for g in analysis.groups for ref in g.refs[1:]}
    sections = []
    for label in labels:
        members = [p.ref for p in proposals if label.id in p.labels]
        quoted = [ref for ref in members if ref not in copies][:quotes_per_section]
        text, by = summaries.get(label.id, ("", ""))
        sections.append(
            Section(
                id=label.id,
                kind=label.kind,
                title=label.title,
                count=len(members),
                summary=text,
                summary_by=by,
                quotes=tuple(ReportQuote(ref, quote_of(texts[ref])) for ref in quoted),
            )
        )
    campaign_of = {ref: g.id for g in analysis.groups if g.is_campaign for ref in g.refs}
    rows = tuple(replace(p, campaign=p.campaign or campaign_of.get(p.ref, "")) for p in proposals)
    drafts = sum(1 for _text, by in summaries.values() if by.startswith("ai-draft"))
    themes = theme_entries(analysis.themes, texts)
    broken = {p.kind for p in check_theme_set(analysis.themes, names)}
    return ConsultationReport(
        round=round_info,
        sections=tuple(sections),
        themes=themes,
        proposals=rows,
        campaigns=tuple(
            CampaignEntry(w._("%(ref)s m.fl.") % {"ref": g.refs[0]}, g.size, " ".join(g.template))
            for g in analysis.groups
            if g.is_campaign
        ),
        method=method_appendix(
            analysis.tagger_version,
            len(analysis.suggestions),
            confirmed,
            len(analysis.groups),
            themes,
            drafts + approved_drafts,
            approved_drafts,
            agreement,
            sorted(broken),
            w,
        ),
    )


def theme_entries(themes: ThemeSet, texts: Mapping[str, str]) -> tuple[ThemeEntry, ...]:
    """The themes as the report shows them: quotes re-cut from `texts` (the published,
    scrubbed versions), never the stored analysis text; a quoted proposal no longer among
    `texts` (rejected since) is left out."""
    return tuple(
        ThemeEntry(
            t.label,
            t.size,
            tuple(ReportQuote(q.ref, quote_of(texts[q.ref])) for q in t.quotes if q.ref in texts),
            t.label_by,
        )
        for t in themes.themes
    )
