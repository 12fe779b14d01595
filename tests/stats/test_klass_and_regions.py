"""KLASS code changes and the one function that harmonises municipality codes."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retning.stats.harmonise import reharmonise
from retning.stats.http import HttpClient
from retning.stats.models import CodeChange as CodeChangeRow
from retning.stats.models import Fetch, Observation
from retning.stats.refresh import run_job
from retning.stats.refresh_sources import klass_job
from retning.stats.regions import CodeChange, code_on
from retning.stats.sources.base import Record, SourceError
from retning.stats.sources.klass import parse_changes
from retning.stats.store import ensure_dataset, record_fetch
from tests.stats.conftest import FIXTURES
from tests.stats.static_server import StaticServer

KONGSVINGER = CodeChange(dt.date(2020, 1, 1), "0402", "3401")


def test_code_on_follows_a_change_only_after_it_occurred():
    assert code_on("0402", [KONGSVINGER], dt.date(2019, 12, 31)) == "0402"
    assert code_on("0402", [KONGSVINGER], dt.date(2020, 1, 1)) == "3401"
    assert code_on("3401", [KONGSVINGER], dt.date(2026, 1, 1)) == "3401"


def test_code_on_follows_chains_in_date_order():
    changes = [CodeChange(dt.date(2024, 1, 1), "B", "C"), CodeChange(dt.date(2020, 1, 1), "A", "B")]
    assert code_on("A", changes, dt.date(2025, 1, 1)) == "C"


def test_code_on_leaves_a_split_code_as_published():
    split = [CodeChange(dt.date(2024, 1, 1), "X", "Y"), CodeChange(dt.date(2024, 1, 1), "X", "Z")]
    assert code_on("X", split, dt.date(2025, 1, 1)) == "X"


def test_parse_klass_changes_real_shape():
    changes = parse_changes((FIXTURES / "klass_131_changes_region.json").read_bytes())
    assert KONGSVINGER in [c.change for c in changes]
    rename = next(c for c in changes if c.change.old == "1942")
    assert rename.change.new == "1942" and rename.new_name == "Nordreisa - Ráisa - Raisi"


def test_parse_klass_incomplete_item_is_named():
    with pytest.raises(SourceError, match=r"codeChanges\[0\]"):
        parse_changes(b'{"codeChanges": [{"oldCode": "0402"}]}', "synthetic")


@pytest.mark.django_db
def test_refresh_klass_stores_changes_and_reharmonises_stored_codes(settings):
    dataset = ensure_dataset("ssb-07459")
    record_fetch(
        dataset,
        via=Fetch.Via.IMPORT,
        records=[Record("synthetic_measure", "0402", "2019", Decimal(1), "persons")],
        raw=b"synthetic",
    )
    assert Observation.objects.get().code == "0402"  # no strategy, no KLASS yet
    body = (FIXTURES / "klass_131_changes_region.json").read_bytes()
    files = {"/classifications/131/changes": (body, "application/json")}
    with StaticServer(files) as server:
        settings.RETNING_KLASS_URL = server.url
        outcome = run_job(klass_job(), HttpClient(min_interval=0, retries=0))
    assert outcome.ok, outcome.message
    assert CodeChangeRow.objects.count() == 8
    assert Observation.objects.get().code == "3401"
    assert "from=1990-01-01" in server.requests[0]


@pytest.mark.django_db
def test_reharmonise_moves_only_the_codes_whose_current_code_is_out_of_date():
    dataset = ensure_dataset("ssb-07459")
    # synthetic: a merger of two codes into one, a code that never changed, and one row
    # already stored under its current code
    records = [
        Record("synthetic_measure", code, "2019", Decimal(n), "persons")
        for n, code in enumerate(["0402", "0418", "0419", "3401"])
    ]
    record_fetch(dataset, via=Fetch.Via.IMPORT, records=records, raw=b"synthetic")
    for old in ("0402", "0418"):
        CodeChangeRow.objects.create(
            old_code=old, new_code="3401", change_occurred=dt.date(2020, 1, 1)
        )

    assert reharmonise() == 2
    current = dict(Observation.objects.values_list("code_published", "code"))
    assert current == {"0402": "3401", "0418": "3401", "0419": "0419", "3401": "3401"}
    assert reharmonise() == 0  # nothing left to move


periods = st.lists(st.integers(0, 10_000), min_size=10, max_size=10)


@given(periods)
def test_series_crossing_2020_has_no_break_after_harmonising(values):
    years = range(2015, 2025)
    published = [
        ("0402" if year < 2020 else "3401", year, v) for year, v in zip(years, values, strict=True)
    ]
    series = defaultdict(dict)
    for code, year, value in published:
        series[code_on(code, [KONGSVINGER], dt.date(2026, 1, 1))][year] = value
    assert list(series) == ["3401"]
    assert sorted(series["3401"]) == list(years)


codes = st.sampled_from(["A", "B", "C", "D", "E"])
merge_changes = st.lists(
    st.builds(CodeChange, st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)), codes, codes),
    max_size=6,
)


@given(merge_changes, st.lists(st.tuples(codes, st.integers(-1000, 1000)), max_size=30), st.dates())
def test_summing_before_or_after_harmonising_gives_the_same_total(changes, figures, on):
    before: dict[str, int] = defaultdict(int)
    for code, value in figures:
        before[code] += value
    after_each: dict[str, int] = defaultdict(int)
    for code, value in figures:
        after_each[code_on(code, changes, on)] += value
    after_sums: dict[str, int] = defaultdict(int)
    for code, total in before.items():
        after_sums[code_on(code, changes, on)] += total
    assert after_each == after_sums
    assert sum(after_each.values()) == sum(value for _, value in figures)
