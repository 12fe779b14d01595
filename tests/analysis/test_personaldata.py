"""The one personal-data scrubber: what it removes, what it keeps, and long inputs."""

from __future__ import annotations

import pytest

from retning.analysis.personaldata import (
    Found,
    KnownNames,
    find_personal_data,
    scrub,
)


@pytest.mark.parametrize(
    "phone",
    [
        "912 34 567",
        "91 23 45 67",
        "9123 4567",
        "91234567",
        "912.34.567",
        "912-34-567",
        "91-23-45-67",
        "+47 912 34 567",
        "+4791234567",
        "+47 62 88 00 00",
        "0047 91234567",
        "0047-912-34-567",
    ],
)
def test_scrub_removes_every_common_norwegian_phone_form(phone):
    assert scrub(f"Ring meg på {phone} i dag.") == "Ring meg på [telefon] i dag."


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Fødselsnummer 01019012345.", "01019012345"),
        ("Fnr: 010190 12345", "010190 12345"),
        ("Kontonummer 1234.56.78903", "1234.56.78903"),
        ("skriv til anne.moen+horing@example.co.uk nå", "anne.moen+horing@example.co.uk"),
        ("Jeg bor i Storgata 12B, 2212 Kongsvinger.", "Storgata 12B, 2212 Kongsvinger"),
        ("Adresse: Kongens gate 5\n2211 Kongsvinger", "Kongens gate 5\n2211 Kongsvinger"),
        ("Kontor i Parkvegen 3.", "Parkvegen 3"),
        ("Postboks 300, 2201 Kongsvinger", "Postboks 300, 2201 Kongsvinger"),
    ],
)
def test_scrub_removes_identity_numbers_addresses_and_email(text, secret):
    assert secret not in scrub(text)
    assert find_personal_data(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Takk for nå.\nHilsen Anne Moen, Tlf 912 34 567", "Anne Moen"),
        ("Med vennlig hilsen\n\nAnne-Lise K. Moen\nDaglig leder", "Anne-Lise K. Moen"),
        ("Mvh Ola", "Ola"),
        ("Vennlig hilsen fra Nils Berg", "Nils Berg"),
        ("Kind regards,\nNils Berg", "Nils Berg"),
        ("Hei! Jeg heter Ingrid Strand og driver gård.", "Ingrid Strand"),
        ("Mitt navn er Ingrid Strand.", "Ingrid Strand"),
        ("Grue Bondelag v/ Nils Berg", "Nils Berg"),
        ("Hei Kari,\nHer er innspillet.", "Kari"),
        ("Innspill fra oss.\n\nPer Olsen\nTlf: 48 12 34 56", "Per Olsen"),
    ],
)
def test_scrub_removes_names_in_greetings_and_signatures(text, name):
    assert name not in scrub(text)
    assert "[navn]" in scrub(text)


def test_known_names_go_whole_in_any_case_and_by_their_capitalised_parts():
    text = "Ingrid Berg mener at ingrid berg og Berg har rett, men berg og fjell er fint."
    assert scrub(text, ["Ingrid Berg"]) == (
        "[navn] mener at [navn] og [navn] har rett, men berg og fjell er fint."
    )
    # A name split by a line or a sentence is not one name, but its parts still go.
    assert scrub("Ingrid.\nBerg", ["Ingrid Berg"]) == "[navn].\n[navn]"


def test_thousands_of_known_names_are_looked_up_word_by_word():
    names = KnownNames([f"Person{i} Etternavn{i}" for i in range(5000)] + ["Anne Moen"])
    assert names.find("Hei fra Anne Moen.") == [Found(8, 17, "name")]


def test_scrub_keeps_the_proposal_periods_references_amounts_and_org_numbers():
    text = (
        "Strategien for 2016-2028 (og 2016–2028) er fin. Se H-2024-0042 og 15.06.2024. "
        "Vi foreslår 100 nye arbeidsplasser innen 2028 og kr 12 345 678 i tilskudd. "
        "Orgnr 974 760 673. Alle 3 kommunene. Hilsen til alle i regionen. "
        "Riksvei 2 og Fylkesveg 175 må utbedres. "
        "Vi sender en hilsen til alle som har bidratt."
    )
    assert scrub(text) == text
    assert not find_personal_data(text)


def test_find_personal_data_gives_ordered_spans_without_overlaps():
    text = "Hilsen Anne Moen, anne@example.org, 912 34 567"
    found = find_personal_data(text, ["Anne Moen"])
    assert [f.kind for f in found] == ["name", "email", "phone"]
    assert [text[f.start : f.end] for f in found] == ["Anne Moen", "anne@example.org", "912 34 567"]


@pytest.mark.parametrize(
    "unit",
    [
        "A.",
        "a",
        "Anne Moen Storgata ",
        "12 34 ",
        "Hilsen ",
        "Anne.Moen-",
        "x@",
        "Hilsen Anne Moen Storgata 12 34 56 78 a@b.c ",
    ],
)
def test_scrub_handles_a_150000_character_adversarial_proposal(unit):
    # Before the scrubber was linear, inputs like these took minutes (bench/scrubber.py).
    text = (unit * (150_000 // len(unit) + 1))[:150_000] + ". Tlf 912 34 567."
    result = scrub(text, ["Anne Moen"])
    assert result.endswith(" [telefon].")
    assert "912 34 567" not in result
