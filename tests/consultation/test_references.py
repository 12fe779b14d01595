"""Reference numbers (H-2024-0042): given once, stored, unique, found by staff search."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from retning.consultation import intake
from retning.consultation.models import Channel, ConsultationRound, Submission
from tests.consultation.conftest import SUBJECT, synthetic_mail

pytestmark = pytest.mark.django_db
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def _mail(round, n: int, body: str = "Syntetisk innspill om næringsarealer.") -> Submission:
    item, _ = intake.store_raw(
        round,
        Channel.EMAIL,
        synthetic_mail(body=body, message_id=f"<reference-{round.slug}-{n}@example.org>"),
    )
    intake.process_item(item)
    return Submission.objects.get(item=item)


def _synthetic_round(strategy, slug: str, deadline: dt.datetime) -> ConsultationRound:
    return ConsultationRound.objects.create(
        strategy=strategy,
        slug=slug,
        title=f"Syntetisk høring {slug}",
        deadline=deadline,
        email_address="post@example.org",
        email_subject=SUBJECT,
    )


def test_reference_stays_when_the_deadline_moves(round_2024):
    first = _mail(round_2024, 1)
    assert first.reference == "H-2024-0001"
    round_2024.deadline = dt.datetime(2027, 6, 15, 23, 59, 59, tzinfo=OSLO)
    round_2024.save()
    assert Submission.objects.get(pk=first.pk).reference == "H-2024-0001"
    assert _mail(round_2024, 2).reference == "H-2024-0002"


def test_two_rounds_ending_in_the_same_year_never_share_a_reference(loaded_strategy):
    year = timezone.localdate().year + 1
    spring = _synthetic_round(
        loaded_strategy, "synthetic-spring", dt.datetime(year, 3, 1, 12, tzinfo=OSLO)
    )
    autumn = _synthetic_round(
        loaded_strategy, "synthetic-autumn", dt.datetime(year, 10, 1, 12, tzinfo=OSLO)
    )
    references = [
        _mail(spring, 1).reference,
        _mail(autumn, 1).reference,
        _mail(spring, 2).reference,
    ]
    assert references == [f"H-{year}-0001", f"H-{year}-0002", f"H-{year}-0003"]
    assert Submission.objects.values("reference").distinct().count() == 3


@pytest.mark.parametrize("query", ["H-2024-0002", "h-2024-0002", "h-2024-2", " H 2024 0002 "])
def test_staff_search_finds_a_proposal_by_its_reference(round_2024, query):
    wanted = [_mail(round_2024, n, f"Syntetisk innspill {n}.") for n in (1, 2, 3)][1]
    reader = User.objects.create_user("leser", password="x")
    reader.groups.add(Group.objects.get(name="Lesere"))
    client = Client()
    client.force_login(reader)
    page = client.get(reverse("staff-submissions"), {"q": query}).text
    assert f">{wanted.reference}</a></th>" in page
    assert ">H-2024-0001</a></th>" not in page and ">H-2024-0003</a></th>" not in page


def test_reference_query_is_understood_without_the_database():
    from retning.consultation.references import reference_in

    assert reference_in("H-2024-0042") == "H-2024-0042"
    assert reference_in("h-2024-42") == "H-2024-0042"
    assert reference_in("H2024-00042") == "H-2024-0042"
    assert reference_in("H-2024-12345") == "H-2024-12345"
    assert reference_in("bredbånd i Grue") is None
    assert reference_in("2024") is None


@pytest.mark.django_db(transaction=True)
def test_migration_stores_the_references_proposals_have_today():
    """Existing proposals keep the number on their receipt; two rounds of one year no
    longer share numbers (the later round's clashing proposals move up)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("consultation", "0005_attachment_search_index")]
    after = [("consultation", "0006_stored_reference_numbers")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        region = old.get_model("strategy", "Region").objects.create(slug="r", name="Region")
        strategy = old.get_model("strategy", "Strategy").objects.create(
            region=region, title="Syntetisk", start_year=2016, end_year=2028, adopted_year=2015
        )
        round_model = old.get_model("consultation", "ConsultationRound")
        item_model = old.get_model("consultation", "ReceivedItem")
        submission_model = old.get_model("consultation", "Submission")
        # 00:30 on New Year's Day in Oslo is still 2024 in UTC: the year is Oslo's.
        rounds = {
            "a": round_model.objects.create(
                strategy=strategy,
                slug="a",
                title="A",
                deadline=dt.datetime(2025, 1, 1, 0, 30, tzinfo=OSLO),
            ),
            "b": round_model.objects.create(
                strategy=strategy,
                slug="b",
                title="B",
                deadline=dt.datetime(2025, 6, 1, tzinfo=OSLO),
            ),
            "c": round_model.objects.create(
                strategy=strategy,
                slug="c",
                title="C",
                deadline=dt.datetime(2024, 6, 15, tzinfo=OSLO),
            ),
        }
        for slug, count in {"a": 3, "b": 2, "c": 1}.items():
            for number in range(1, count + 1):
                item = item_model.objects.create(
                    round=rounds[slug],
                    channel="email",
                    raw=b"synthetic",
                    size=9,
                    sha256=f"{slug}{number}",
                    received_at=timezone.now(),
                )
                submission_model.objects.create(
                    round=rounds[slug],
                    item=item,
                    number=number,
                    channel="email",
                    reached_us_at=timezone.now(),
                    on_time=True,
                    text=f"{slug}{number}",
                )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        stored = dict(
            new.get_model("consultation", "Submission").objects.values_list("text", "reference")
        )
        assert stored == {
            "a1": "H-2025-0001",
            "a2": "H-2025-0002",
            "a3": "H-2025-0003",
            "b1": "H-2025-0004",
            "b2": "H-2025-0005",
            "c1": "H-2024-0001",
        }
        years = dict(
            new.get_model("consultation", "ConsultationRound").objects.values_list(
                "slug", "reference_year"
            )
        )
        assert years == {"a": 2025, "b": 2025, "c": 2024}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
