"""A consultation round with proposals imported through the real e-mail intake.

The texts are the hand-written synthetic proposals of tests/fixtures plus a synthetic
campaign (one template, copies with personal additions and reordered sentences); every
proposal is stored as raw e-mail bytes and processed by `intake.process_item`, as the
IMAP import does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from retning.consultation import intake
from retning.consultation.models import Channel, Submission
from retning.consultation_analysis import service
from tests.conftest import STRATEGY_SETTINGS
from tests.consultation.conftest import synthetic_mail
from tests.consultation.synthetic_files import synthetic_pdf
from tests.dbstate import restore_or_build

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INTAKE_SETTINGS = (*STRATEGY_SETTINGS, "RETNING_DATA_DIR")

SYNTHETIC_CAMPAIGN = [
    "Vi krever at jernbanen mellom Kongsvinger og Oslo får timesavgang hele dagen.",
    "Pendlerne i regionen trenger et forutsigbart togtilbud for å kunne bo her og jobbe i "
    "hovedstaden.",
    "Dobbeltspor på Kongsvingerbanen må prioriteres i Nasjonal transportplan.",
]
SYNTHETIC_ADDITIONS = [
    "",
    "Selv pendler jeg hver dag og mister to timer i uka på forsinkelser.",
    "Skriv gjerne til meg på pendler.synthetic@example.org om dette.",
    "Barna mine vil flytte hjem hvis toget går oftere.",
]

# Two proposals about the same thing in different words: similar, not copies.
SYNTHETIC_SIMILAR = [
    "Kommunene bør bygge ut fiberbredbånd til alle grender i Grue og Åsnes, slik at "
    "bedrifter på bygda kan drive digitalt.",
    "Fiberbredbånd må bygges ut til grendene i Åsnes og Grue, ellers kan ikke bedrifter på "
    "bygda drive digitalt og vokse.",
]


def synthetic_proposals(n: int = 30) -> list[dict]:
    lines = (FIXTURES / "synthetic_proposals.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:: max(1, len(lines) // n)]][:n]


def import_mail(round, n: int, body: str, **kwargs) -> Submission:
    item, _ = intake.store_raw(
        round,
        Channel.EMAIL,
        synthetic_mail(
            body=body,
            message_id=f"<analysis-{n}@example.org>",
            sender=f"Innsender {n} <innsender{n}@example.org>",
            **kwargs,
        ),
    )
    intake.process_item(item)
    return Submission.objects.get(item=item)


@pytest.fixture
def synthetic_imported_round(loaded_strategy):
    return imported_round_2024(loaded_strategy)


@pytest.fixture
def analysed(synthetic_imported_round):
    """The synthetic round analysed: for real once per test run, then the same rows
    (tests/dbstate.py)."""
    restore_or_build(
        "synthetic round analysed",
        lambda: service.analyse(synthetic_imported_round),
        INTAKE_SETTINGS,
    )
    return synthetic_imported_round


def imported_round_2024(strategy):
    """The round of `import_synthetic_round`, imported for real once per test run; later
    tests get the same rows written into their transaction (tests/dbstate.py)."""
    round_2024 = strategy.consultation_rounds.get(slug="2024")
    restore_or_build(
        "synthetic imported round", lambda: import_synthetic_round(round_2024), INTAKE_SETTINGS
    )
    round_2024.refresh_from_db()
    return round_2024


def import_synthetic_round(round_2024):
    """The real 2024 round with 30 synthetic proposals, a 4-copy campaign and one proposal
    whose text is only in its PDF attachment."""
    n = 0
    for proposal in synthetic_proposals():
        n += 1
        import_mail(round_2024, n, proposal["text"])
    for i, addition in enumerate(SYNTHETIC_ADDITIONS):
        n += 1
        sentences = SYNTHETIC_CAMPAIGN if i != 3 else list(reversed(SYNTHETIC_CAMPAIGN))
        import_mail(round_2024, n, " ".join([*sentences, addition]).strip())
    for text in SYNTHETIC_SIMILAR:
        n += 1
        import_mail(round_2024, n, text)
    n += 1
    import_mail(
        round_2024,
        n,
        "Se vedlegg.",
        attachments=[
            ("innspill.pdf", "application/pdf", synthetic_pdf("Bredband og fiber i Grue"))
        ],
    )
    return round_2024


@pytest.fixture
def staff_user(db):
    user = User.objects.create_user("saksbehandler", password="x")
    user.groups.add(Group.objects.get(name="Saksbehandlere"))
    return user


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def reader_client(db) -> Client:
    user = User.objects.create_user("leser", password="x")
    user.groups.add(Group.objects.get(name="Lesere"))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def bokmal_urls():
    """A request to an /en/ page leaves English active in the test thread, and `reverse()`
    would then give /en/ paths to the next test; each test starts in bokmål."""
    from django.utils import translation

    with translation.override("nb"):
        yield
