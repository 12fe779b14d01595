"""The høringsoppsummering as data: counts and the method appendix. Its rendering (HTML,
PDF, DOCX) is tested in tests/reports/test_consultation_report.py."""

from __future__ import annotations

import datetime as dt

from retning.analysis.report import (
    CampaignEntry,
    ConsultationReport,
    ProposalRow,
    ReportQuote,
    RoundInfo,
    Section,
    ThemeEntry,
    method_appendix,
)
from retning.formats.numbers import date_nb as norwegian_date

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


def test_norwegian_date():
    assert norwegian_date(dt.date(2024, 6, 15)) == "15. juni 2024"


def test_method_appendix_never_claims_staff_named_themes_they_did_not():
    themes = (*TWO_THEMES, ThemeEntry("Grønn industri", 3, (), "ai-draft:local"))
    text = " ".join(method_appendix("cold-start-2:x", 10, 0, 0, themes, 0, 0))
    assert "satt eller godkjent av sekretariatet" not in text
    assert "1 av 3 temanavn er satt av sekretariatet." in text
    assert "1 er automatiske navn laget av temaets nøkkelord" in text
    assert "1 er foreslått av en KI-tjeneste uten å være godkjent" in text
    named = " ".join(method_appendix("x", 1, 0, 0, THEMES, 0, 0))
    assert "Alle navnene på temaene er satt av sekretariatet." in named


def test_a_theme_named_by_a_staff_member_whose_username_begins_with_ai_counts_as_staff():
    themes = (ThemeEntry("Reiseliv", 4, (), "aina"), ThemeEntry("Grønn industri", 3, (), "auto"))
    assert [t.named_by for t in themes] == ["staff", "auto"]
    text = " ".join(method_appendix("x", 1, 0, 0, themes, 0, 0))
    assert "1 av 2 temanavn er satt av sekretariatet." in text
    assert "foreslått av en KI-tjeneste" not in text


def test_method_appendix_shows_the_theme_checks_kept_and_broken():
    text = " ".join(method_appendix("x", 1, 0, 0, TWO_THEMES, 0, 0, broken_rules=["person_name"]))
    assert "holder disse reglene: høyst 30 temaer;" in text
    assert "De holder ikke disse: ingen tema har navn etter en person." in text
