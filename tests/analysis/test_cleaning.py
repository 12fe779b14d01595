"""Cleaning e-mail text before analysis: the letter around a proposal goes, the proposal stays."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from retning.analysis.cleaning import clean, clean_document
from tests.analysis.synthetic import EMAIL_STYLES, synthetic_email

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PROPOSAL = (
    "Vi foreslår følgende tiltak:\n"
    "- bedre busstilbud mellom Grue og Kongsvinger\n"
    "- flere næringsarealer ved E16\n\n"
    "Takk for muligheten til å gi innspill. Vi mener dette haster for bedriftene i regionen."
)


def kinds(text: str, names=()) -> dict[str, str]:
    return {r.kind: r.text for r in clean(text, names).removed}


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        ("Hei,\n\n", "", "greeting"),
        ("Hei Kari!\n", "", "greeting"),
        ("Til Kongsvingerregionen\n\n", "", "greeting"),
        ("", "\n\nHilsen Anne Moen, Tlf 912 34 567, Storgata 5, 2211 Kongsvinger", "signature"),
        ("", "\n\nMed vennlig hilsen\n\nAnne Moen\nDaglig leder\nGrue Bondelag AS", "signature"),
        ("", "\n\nMed venleg helsing\nNils Berg", "signature"),
        ("", "\n\nBest regards,\nNils Berg\n+47 912 34 567", "signature"),
        ("", "\n\nAnne Moen\nTlf 912 34 567\nanne@example.org", "signature"),
        ("", "\n\n--\nAnne Moen\nwww.example.org", "signature"),
        ("", "\n\nSendt fra min iPhone", "device"),
        ("", "\n\nSent from my iPad", "device"),
        ("", "\n\nSendt fra Outlook for Android", "device"),
        ("", "\n\nHent Outlook for iOS", "device"),
        (
            "",
            "\n\nDenne e-posten kan inneholde konfidensiell informasjon og er kun ment for "
            "mottakeren.\nHar du fått den ved en feil, slett den.",
            "disclaimer",
        ),
        (
            "",
            "\n\nThis e-mail and any attachments are confidential and intended solely for the "
            "addressee.",
            "disclaimer",
        ),
        ("", "\n\nVennligst tenk på miljøet før du skriver ut denne e-posten.", "disclaimer"),
    ],
)
def test_letter_parts_are_removed_and_the_proposal_kept(before, after, kind):
    cleaned = clean(before + PROPOSAL + after)
    assert cleaned.text == PROPOSAL
    assert kind in {r.kind for r in cleaned.removed}


@pytest.mark.parametrize(
    "quote",
    [
        "Den 12. juni 2024 kl. 10:00 skrev Kari Nordmann <kari@example.org>:\n> Hei.",
        "tir. 11. jun. 2024 kl. 10:00 skrev Kari Nordmann <\nkari@example.org>:\n> Hei.",
        "On Tue, 11 Jun 2024 at 10:00, Kari Nordmann <kari@example.org> wrote:\n> Hi.",
        "-----Opprinnelig melding-----\nFra: Kari\nSendt: 11. juni 2024\nEmne: Høring\n\nHei.",
        "-----Original Message-----\nFrom: Kari\nSent: June 11, 2024\nSubject: Høring\n\nHi.",
        "Fra: Kari Nordmann <kari@example.org>\nSendt: tirsdag 11. juni 2024 10:00\n"
        "Til: Post\nEmne: Høring\n\nSend innspill.",
        "________________________________\nFrom: Kari Nordmann\nSent: Tuesday\nTo: Post\n\nHi.",
    ],
)
def test_quoted_earlier_messages_are_removed(quote):
    cleaned = clean(f"{PROPOSAL}\n\n{quote}\n\nMer sitert tekst som ikke er innspillet.")
    assert cleaned.text == PROPOSAL
    assert "quoted" in {r.kind for r in cleaned.removed}


def test_quoted_lines_go_between_the_senders_own():
    text = f"> Hva mener dere om bussen?\n{PROPOSAL}\n> Og om fiber?\nFiber til alle grender."
    cleaned = clean(text)
    assert cleaned.text == f"{PROPOSAL}\nFiber til alle grender."
    assert [r.text for r in cleaned.removed] == ["> Hva mener dere om bussen?", "> Og om fiber?"]


def test_a_forwarded_proposal_is_kept_without_its_header():
    text = (
        "Videresender.\n\n-----Opprinnelig melding-----\nFra: Nils Berg <nils@example.org>\n"
        "Sendt: 10. juni 2024 12:00\nTil: Post\nEmne: Høringsinnspill\n\n"
        f"Hei!\n{PROPOSAL}\n\nMvh\nNils Berg\nGrue Bondelag"
    )
    cleaned = clean(text)
    assert cleaned.text == f"Videresender.\n\n{PROPOSAL}"
    assert "Nils" not in cleaned.text


def test_lines_that_only_look_like_letter_parts_stay():
    text = (
        "Takk for at dere spør. Hilsen til alle som jobber med dette.\n"
        "- Sendt fra kommunen kom et svar i fjor.\n"
        "Til tross for mye arbeid er veien fortsatt dårlig mellom Skotterud og Magnor."
    )
    assert clean(text).text == text


def test_the_senders_name_and_contact_details_in_the_text_go_too():
    cleaned = clean("Jeg, Anne Moen, ønsker fiber. Ring 912 34 567 for å høre mer.", ["Anne Moen"])
    assert cleaned.text == "Jeg, , ønsker fiber. Ring for å høre mer."
    assert {r.text for r in cleaned.removed if r.kind == "personal"} == {"Anne Moen", "912 34 567"}
    kept = clean("Ring 912 34 567.", remove_personal_data=False)
    assert kept.text == "Ring 912 34 567."


def test_attachments_are_cleaned_and_joined_after_the_body():
    document = clean_document(
        "Hei,\n\nSe vedlagte brev.\n\nSendt fra min iPhone",
        ["Innspill om bredbånd i grendene.\n\nMed vennlig hilsen\nAnne Moen\nDaglig leder"],
        ["Anne Moen"],
    )
    assert document.text == "Se vedlagte brev.\n\nInnspill om bredbånd i grendene."
    assert [r.kind for r in document.removed] == ["greeting", "device", "signature"]


def test_cleaning_a_150000_character_proposal_keeps_all_of_it():
    # Linear in the length of the text (bench/scrubber.py); here only the result is checked.
    proposal = "\n".join(["Vi trenger fiber i Grue og Åsnes nå."] * 4_000)
    text = f"Hei,\n{proposal}\n\nHilsen Anne Moen\nTlf 912 34 567\n\n" + "> Sitat.\n" * 500
    cleaned = clean(text, ["Anne Moen"])
    assert len(text) > 150_000
    assert cleaned.text == proposal
    assert [r.kind for r in cleaned.removed] == ["greeting", "signature", "quoted"]


def synthetic_email_round(n_styles: int = len(EMAIL_STYLES)):
    """The development set's labelled synthetic proposals, each e-mailed by a made-up
    person in one of the synthetic e-mail styles."""
    rows = [
        json.loads(line)
        for line in (FIXTURES / "synthetic_proposals.jsonl").read_text("utf-8").splitlines()
    ]
    rng = random.Random(14)
    return [(row, synthetic_email(rng, row["text"], i % n_styles)) for i, row in enumerate(rows)]


def _carries_name(text: str, name: str) -> bool:
    return any(re.search(rf"\b{re.escape(part)}\b", text) for part in name.split())


def test_fewer_than_one_in_ten_cleaned_emails_carry_the_senders_name():
    emails = synthetic_email_round()
    assert not any(_carries_name(row["text"], mail.name) for row, mail in emails)
    # As analysed: the name from the From header, where there is one, is known.
    analysed = [
        clean(mail.body, [mail.name] if "<" in mail.sender else []).text for _, mail in emails
    ]
    carrying = sum(
        _carries_name(text, mail.name) for text, (_, mail) in zip(analysed, emails, strict=True)
    )
    assert carrying < len(emails) / 10, carrying
    # Even knowing no name at all, the signatures and introductions are found.
    blind = sum(_carries_name(clean(mail.body).text, mail.name) for _, mail in emails)
    assert blind < len(emails) / 10, blind
    # And the proposal itself is what remains.
    same = sum(
        " ".join(text.split()).endswith(" ".join(row["text"].split()))
        for text, (row, _) in zip(analysed, emails, strict=True)
    )
    assert same == len(emails)


def test_suggestions_through_the_email_path_are_as_good_as_on_the_bare_text(
    strategy_labels, region_places
):
    # bench/tagging_quality.py measures every set; here the development set, cold start.
    from retning.analysis.evaluation import f1_scores
    from retning.analysis.tagging import Tagger

    emails = synthetic_email_round()
    tagger = Tagger(strategy_labels, ignore=region_places)
    ids = [label.id for label in strategy_labels]
    truth = [row["labels"] for row, _ in emails]

    def macro(texts: list[str]) -> float:
        return f1_scores(ids, truth, [s.labels for s in tagger.suggest_many(texts)])[1]

    bare = macro([row["text"] for row, _ in emails])
    cleaned = macro([clean(mail.body, [mail.name]).text for _, mail in emails])
    raw = macro([mail.body for _, mail in emails])
    assert cleaned >= bare - 0.01, (cleaned, bare)
    assert raw < cleaned  # the letter around the proposal costs, cleaning wins it back
