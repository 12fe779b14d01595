"""A round of e-mails with real-looking signatures: what the analysis reads, what the themes are
named after, and what the høringsoppsummering shows. Every e-mail is synthetic."""

from __future__ import annotations

import io
import random
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from retning.analysis.text import tokenize
from retning.analysis.themes import check_theme_set, name_words
from retning.consultation import intake
from retning.consultation.models import Channel, Submission
from retning.consultation_analysis import service
from retning.consultation_analysis.serial import theme_set_from_json
from tests.analysis.synthetic import EMAIL_STYLES, synthetic_email
from tests.consultation.conftest import synthetic_mail
from tests.consultation_analysis.conftest import import_mail, synthetic_proposals

pytestmark = pytest.mark.django_db


def import_synthetic_emails(round, texts: list[str], seed: int = 14) -> list:
    """Each text e-mailed by a made-up person through the real intake; returns the mails."""
    rng = random.Random(seed)
    mails = []
    for n, text in enumerate(texts, start=1):
        mail = synthetic_email(rng, text, n % len(EMAIL_STYLES))
        item, _ = intake.store_raw(
            round,
            Channel.EMAIL,
            synthetic_mail(body=mail.body, sender=mail.sender, message_id=f"<syn-sig-{n}@x>"),
        )
        intake.process_item(item)
        mails.append(mail)
    return mails


@pytest.fixture
def synthetic_signed_round(loaded_strategy):
    """The 2024 round with 40 synthetic proposals e-mailed with greetings, signatures
    (name, phone, street address), disclaimers, phone lines and quoted replies."""
    round = loaded_strategy.consultation_rounds.get(slug="2024")
    mails = import_synthetic_emails(round, [p["text"] for p in synthetic_proposals(40)])
    service.analyse(round)
    return round, mails


def _carries_name(text: str, name: str) -> bool:
    return any(re.search(rf"\b{re.escape(part)}\b", text) for part in name.split())


def test_analysed_texts_rarely_carry_the_senders_name(synthetic_signed_round):
    round, mails = synthetic_signed_round
    submissions = list(service.analysed_submissions(round))
    texts = service.texts_of(submissions)
    assert len(texts) == len(mails) == 40
    carrying = sum(
        _carries_name(texts[s.pk], mail.name) for s, mail in zip(submissions, mails, strict=True)
    )
    assert carrying < len(mails) / 10
    assert not any("912" in t or "Sendt fra" in t or "skrev" in t for t in texts.values())


def test_no_theme_is_named_after_a_person(synthetic_signed_round):
    round, mails = synthetic_signed_round
    themes = theme_set_from_json(service.current_themes(round).data)
    assert themes.themes, "40 proposals should give some themes"
    people = name_words(mail.name for mail in mails)
    for theme in themes.themes:
        assert not people & set(tokenize(" ".join(theme.terms))), theme.terms
    assert not [
        p for p in check_theme_set(themes, [m.name for m in mails]) if p.kind == "person_name"
    ]


def test_consultation_report_pdf_names_no_private_sender(synthetic_signed_round, tmp_path):
    round, mails = synthetic_signed_round
    path = tmp_path / "oppsummering.pdf"
    call_command(
        "report",
        "consultation",
        "--round",
        round.slug,
        "--format",
        "pdf",
        "-o",
        str(path),
        stdout=io.StringIO(),
    )
    text = " ".join(page.extract_text() for page in PdfReader(str(path)).pages)
    flat = re.sub(r"\s+", " ", text)
    for mail in mails:
        assert mail.name not in flat, mail.name
        assert mail.name.split()[1] not in flat, mail.name
        assert mail.street not in flat, mail.street
        assert mail.phone not in flat and mail.phone.replace(" ", "") not in flat, mail.phone
    assert "@" not in flat
    # The themes are there, and their names are said to be automatic.
    assert "Andre temaer" in flat and "(automatisk navn)" in flat
    assert "satt eller godkjent av sekretariatet" not in flat


def test_staff_see_what_was_removed_before_analysis(synthetic_signed_round, staff_client):
    round, mails = synthetic_signed_round
    submission = Submission.objects.filter(round=round).order_by("number").first()
    page = staff_client.get(reverse("staff-submission", args=[submission.pk])).text
    assert "Fjernet før analysen" in page
    assert "Teksten som analyseres" in page
    # The original stays whole for staff.
    assert mails[0].name in page


@pytest.mark.parametrize(("size", "emailed"), [(1, False), (4, False), (4, True)])
def test_analyse_succeeds_on_small_rounds(loaded_strategy, size, emailed):
    """Four short proposals about different things used to stop the analysis ("After
    pruning, no terms remain"); e-mailed, their signatures made a theme of their own."""
    round_2024 = loaded_strategy.consultation_rounds.get(slug="2024")
    texts = [
        "Bedre busstilbud til Grue.",
        "Fiber til alle grender.",
        "Flere lærlingplasser i industrien.",
        "Raskere byggesaker i kommunen.",
    ][:size]
    if emailed:
        import_synthetic_emails(round_2024, texts)
    else:
        for n, text in enumerate(texts, start=1):
            import_mail(round_2024, n, text)
    out = io.StringIO()
    call_command("analyse", "--round", round_2024.slug, stdout=out)
    assert out.getvalue().startswith(f"2024: {size} proposals, {size} with suggested tags")
    assert out.getvalue().endswith(", 0 themes\n")
