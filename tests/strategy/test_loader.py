"""Loading the strategy file into the database: idempotent, and every change recorded."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from retning.consultation.models import ConsultationRound
from retning.core.models import ChangeRecord
from retning.strategy.loader import load_strategy, load_strategy_file
from retning.strategy.models import FocusArea, Goal, MainStrategy, Municipality, Target
from retning.strategy.spec import parse_spec
from tests.conftest import BUNDLED_STRATEGY

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.mark.django_db
def test_loading_the_same_file_twice_writes_nothing_the_second_time():
    first = load_strategy_file(BUNDLED_STRATEGY)
    assert first.changed
    with CaptureQueriesContext(connection) as queries:
        second = load_strategy_file(BUNDLED_STRATEGY)
    assert not second.changed
    assert writes(queries.captured_queries) == []
    assert ChangeRecord.objects.filter(action=ChangeRecord.Action.UPDATE).count() == 0


@pytest.mark.django_db
def test_loaded_strategy_has_the_announced_structure(loaded_strategy):
    assert loaded_strategy.goals.count() == 4
    assert MainStrategy.objects.count() == 7
    assert FocusArea.objects.count() == 5
    assert Municipality.objects.count() == 6
    kongsvinger = Municipality.objects.get(slug="kongsvinger")
    assert kongsvinger.code_on(dt.date(2019, 12, 31)) == "0402"
    assert kongsvinger.code_on(dt.date(2020, 1, 1)) == "3401"
    turnover = Target.objects.get(goal__slug="omsetning")
    assert (turnover.change_low_pct, turnover.change_high_pct) == (Decimal("70"), Decimal("100"))
    assert turnover.is_range


@pytest.mark.django_db
def test_consultation_deadline_is_the_end_of_the_day_in_oslo(loaded_strategy):
    round_2024 = ConsultationRound.objects.get(slug="2024")
    oslo = zoneinfo.ZoneInfo("Europe/Oslo")
    assert round_2024.deadline == dt.datetime(2024, 6, 15, 23, 59, 59, tzinfo=oslo)
    # 15 June is summer time: UTC+2
    assert round_2024.deadline == dt.datetime(2024, 6, 15, 21, 59, 59, tzinfo=dt.UTC)
    assert round_2024.is_open(dt.datetime(2024, 6, 15, 23, 30, tzinfo=oslo))
    assert not round_2024.is_open(dt.datetime(2024, 6, 16, 0, 0, 1, tzinfo=oslo))


@pytest.mark.django_db
def test_changed_target_in_the_file_is_updated_and_recorded(strategy_text):
    load_strategy(parse_spec(strategy_text))
    changed = strategy_text.replace("per_year: 100", "per_year: 120")
    report = load_strategy(parse_spec(changed))
    assert report.updated == ["target Netto vekst på 100 arbeidsplasser per år: årlig endring"]
    record = ChangeRecord.objects.get(action=ChangeRecord.Action.UPDATE)
    assert (record.model, record.field) == ("strategy.Target", "per_year")
    assert (record.old_value, record.new_value) == ("100.00", "120.00")
    assert record.via == ChangeRecord.Via.STRATEGY_FILE
    assert Target.objects.get(goal__slug="arbeidsplasser").per_year == Decimal("120")


@pytest.mark.django_db
def test_goal_removed_from_the_file_is_removed(strategy_text):
    load_strategy(parse_spec(strategy_text))
    start = strategy_text.index("  - id: inkludering")
    end = strategy_text.index("main_strategies:")
    report = load_strategy(parse_spec(strategy_text[:start] + strategy_text[end:]))
    assert report.deleted == ["goal Øke inkluderingen i arbeidslivet"]
    assert list(Goal.objects.values_list("slug", flat=True)) == [
        "arbeidsplasser",
        "omsetning",
        "co2-industri",
    ]


@pytest.mark.django_db
def test_setup_command_is_idempotent(capsys):
    call_command("setup")
    assert "created" in capsys.readouterr().out
    call_command("setup")
    assert "strategy unchanged" in capsys.readouterr().out
    assert Goal.objects.count() == 4
