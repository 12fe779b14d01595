"""The strategy file format: the bundled file is valid, and each kind of error is reported
at its line and column."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from retning.strategy.spec import SpecError, current_code, load_spec, parse_spec
from tests.conftest import BUNDLED_STRATEGY, line_of


def problems_of(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "test.yaml")
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def test_bundled_strategy_expresses_the_announcement():
    spec = load_spec(BUNDLED_STRATEGY)
    assert [m.name for m in spec.region.municipalities] == [
        "Kongsvinger",
        "Eidskog",
        "Grue",
        "Nord-Odal",
        "Sør-Odal",
        "Åsnes",
    ]
    assert (spec.strategy.period.start, spec.strategy.period.end) == (2016, 2028)
    assert spec.strategy.adopted.year == 2015
    assert [r.year for r in spec.strategy.revisions] == [2020, 2024]
    assert "KIPR" in spec.strategy.revisions[1].decided_by
    kinds = {g.id: g.target.kind for g in spec.goals}
    assert kinds == {
        "arbeidsplasser": "annual_change",
        "omsetning": "relative_change",
        "co2-industri": "relative_change",
        "inkludering": "direction",
    }
    turnover = next(g for g in spec.goals if g.id == "omsetning").target
    assert (turnover.change_pct.low, turnover.change_pct.high) == (70, 100)
    assert (turnover.baseline_year, turnover.end_year, turnover.real_terms) == (2016, 2030, True)
    co2 = next(g for g in spec.goals if g.id == "co2-industri").target
    assert (co2.change_pct, co2.baseline_year, co2.end_year) == (-55, 2019, 2030)
    jobs = next(g for g in spec.goals if g.id == "arbeidsplasser").target
    assert (jobs.per_year, jobs.end_year) == (100, 2028)
    assert [s.number for s in spec.main_strategies] == [1, 2, 3, 4, 5, 6, 7]
    assert [f.title.nb for f in spec.focus_areas] == [
        "Bioøkonomi",
        "Industriutvikling",
        "Logistikk",
        "Bygg og anlegg",
        "Kunnskapsintensiv tjenesteyting",
    ]
    round_2024 = spec.consultations[0]
    assert round_2024.slug == "2024"
    assert round_2024.deadline == dt.date(2024, 6, 15)
    assert round_2024.channels.email.subject == "Høringsinnspill næringsstrategi"


def test_bundled_focus_areas_share_no_nace_code():
    spec = load_spec(BUNDLED_STRATEGY)
    codes = [code for area in spec.focus_areas for m in area.nace for code in m.codes]
    assert len(codes) == len(set(codes))


def test_municipality_code_history_gives_the_code_valid_on_a_date():
    spec = load_spec(BUNDLED_STRATEGY)
    kongsvinger = spec.region.municipalities[0]
    assert current_code(kongsvinger, dt.date(2019, 12, 31)) == "0402"
    assert current_code(kongsvinger, dt.date(2020, 1, 1)) == "3401"


def test_yaml_syntax_error_is_reported_at_its_line(strategy_text):
    broken = strategy_text.replace(
        "  name: Kongsvingerregionen\n", "  name: [Kongsvingerregionen\n", 1
    )
    [(line, _, message)] = problems_of(broken)
    assert message.startswith("YAML syntax error")
    # the unclosed bracket is noticed on the next key, one line further down
    assert line == line_of(strategy_text, "  timezone: Europe/Oslo")


def test_wrong_type_is_reported_at_the_value(strategy_text):
    broken = strategy_text.replace("per_year: 100", "per_year: hundre")
    [(line, column, message)] = problems_of(broken)
    assert line == line_of(broken, "per_year: hundre")
    assert column == broken.splitlines()[line - 1].index("hundre") + 1
    assert "goals.0.target.per_year" in message and "'hundre'" in message


def test_unknown_key_is_reported_at_the_key(strategy_text):
    broken = strategy_text.replace(
        "  timezone: Europe/Oslo", "  timezone: Europe/Oslo\n  colour: blue"
    )
    [(line, column, message)] = problems_of(broken)
    assert (line, column) == (line_of(broken, "colour: blue"), 3)
    assert message == "unknown key 'colour' in region"


def test_missing_key_is_reported_at_its_parent(strategy_text):
    broken = strategy_text.replace("    number: 3\n", "")
    [(line, _, message)] = problems_of(broken)
    assert message == "missing required key 'number' in main_strategies.2"
    assert line == line_of(broken, "id: infrastruktur-naeringsarealer")


def test_target_year_before_baseline_is_an_error(strategy_text):
    broken = strategy_text.replace(
        "end_year: 2030\n      change_pct: -55", "end_year: 2010\n      change_pct: -55"
    )
    [(line, _, message)] = problems_of(broken)
    assert line == line_of(broken, "end_year: 2010")
    assert message == "target year 2010 is not after its baseline year 2019"


def test_nace_code_in_wrong_format_is_an_error(strategy_text):
    broken = strategy_text.replace('["41", "42", "43"]', '["41", "4x2", "43"]')
    [(line, column, message)] = problems_of(broken)
    assert line == line_of(broken, '"4x2"')
    assert column == broken.splitlines()[line - 1].index('"4x2"') + 1
    assert "'4x2' is not an SN2007 or SN2025 (NACE) code" in message


def test_duplicate_ids_are_errors(strategy_text):
    broken = strategy_text.replace("id: eidskog", "id: grue")
    [(line, _, message)] = problems_of(broken)
    # the first "grue" is the renamed Eidskog; the second, Grue's own, is the duplicate
    assert line == line_of(strategy_text, "id: grue")
    assert message.startswith("duplicate id 'grue'")


def test_main_strategy_and_focus_area_ids_share_one_namespace(strategy_text):
    broken = strategy_text.replace("  - id: logistikk\n", "  - id: kompetanse-fou\n")
    [(line, _, message)] = problems_of(broken)
    assert line == line_of(strategy_text, "  - id: logistikk")
    assert "duplicate id 'kompetanse-fou'" in message


def test_duplicate_yaml_key_is_an_error(strategy_text):
    broken = strategy_text.replace("    number: 3\n", "    number: 3\n    number: 3\n")
    problems = problems_of(broken)
    assert problems == [(line_of(strategy_text, "    number: 3") + 1, 5, "duplicate key 'number'")]


def test_unquoted_municipality_code_gets_a_hint(strategy_text):
    # YAML 1.1 reads 0402 as the octal number 258
    broken = strategy_text.replace('{code: "0402", valid_to', "{code: 0402, valid_to")
    [(line, _, message)] = problems_of(broken)
    assert line == line_of(broken, "{code: 0402,")
    assert 'must be quoted strings, e.g. "0402"' in message


def test_unknown_target_kind_points_at_kind(strategy_text):
    broken = strategy_text.replace("kind: direction", "kind: upwards")
    [(line, _, message)] = problems_of(broken)
    assert line == line_of(broken, "kind: upwards")
    assert "unknown target kind 'upwards'" in message


def test_range_with_misspelt_key_names_both_problems(strategy_text):
    broken = strategy_text.replace("{low: 70, high: 100}", "{low: 70, hi: 100}")
    messages = [m for _, _, m in problems_of(broken)]
    assert messages == [
        "missing required key 'high' in goals.1.target.change_pct",
        "unknown key 'hi' in goals.1.target.change_pct",
    ]


def test_overlapping_code_periods_are_an_error(strategy_text):
    broken = strategy_text.replace(
        '{code: "3401", valid_from: 2020-01-01}', '{code: "3401", valid_from: 2019-06-01}'
    )
    [(line, _, message)] = problems_of(broken)
    assert line == line_of(broken, '{code: "3401", valid_from: 2019-06-01}')
    assert "must not overlap" in message


def test_measure_referring_to_unknown_strategy_is_an_error(strategy_text):
    broken = strategy_text.replace(
        "measures: []",
        "measures:\n  - id: tiltak-1\n    title: Næringsarealplan\n    owner: Kongsvinger kommune\n"
        "    strategies: [infrastruktur-naeringsarealer, ukjent]\n",
    )
    [(line, _, message)] = problems_of(broken)
    assert line == line_of(broken, "strategies: [infrastruktur")
    assert message == "unknown main strategy 'ukjent'"


def test_every_problem_is_reported_not_only_the_first(strategy_text):
    broken = strategy_text.replace("per_year: 100", "per_year: hundre").replace(
        "  timezone: Europe/Oslo", "  timezone: Europe/Oslo\n  colour: blue"
    )
    assert len(problems_of(broken)) == 2


def test_strategy_check_reports_wrong_type_on_line_12_and_exits_2(tmp_path):
    lines = [
        "schema_version: 1",  # 1
        "region:",  # 2
        "  id: test",  # 3
        "  name: Test",  # 4
        "  municipalities:",  # 5
        "    - id: a",  # 6
        "      name: A",  # 7
        '      codes: [{code: "3401"}]',  # 8
        "strategy:",  # 9
        "  title: T",  # 10
        "  period:",  # 11
        "    start: twenty-sixteen",  # 12  <- wrong type
        "    end: 2028",  # 13
        "  adopted: {year: 2015}",  # 14
        "goals:",
        "  - id: g",
        "    title: G",
        "    description: D",
        "    indicator: {ref: x, name: X, unit: persons}",
        "    target: {kind: direction, baseline_year: 2016, direction: increase}",
        "main_strategies:",
        "  - {id: s, number: 1, title: S, description: D}",
    ]
    path = tmp_path / "strategy.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "retning.cli", "strategy-check", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith(f"{path}:12:12: strategy.period.start:")


def test_strategy_check_accepts_the_bundled_file():
    result = subprocess.run(
        [sys.executable, "-m", "retning.cli", "strategy-check", str(BUNDLED_STRATEGY)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1
    assert "4 goals, 7 main strategies, 5 focus areas" in result.stdout


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(SpecError) as caught:
        load_spec(tmp_path / "nope.yaml")
    assert caught.value.problems[0].message == "file not found"


def test_status_thresholds_default_and_are_validated(strategy_text):
    spec = parse_spec(strategy_text)
    assert spec.goals[0].status.at_risk_ratio == 0.75
    thresholds = "    status: {at_risk_ratio: 0.9, trend_years: 4}\n"
    custom = strategy_text.replace("      per_year: 100\n", "      per_year: 100\n" + thresholds)
    assert parse_spec(custom).goals[0].status.trend_years == 4
    broken = strategy_text.replace(
        "      per_year: 100\n", "      per_year: 100\n    status: {at_risk_ratio: 1.5}\n"
    )
    [(line, _, message)] = problems_of(broken)
    assert line == line_of(broken, "at_risk_ratio: 1.5")
    assert message.startswith("goals.0.status.at_risk_ratio: Input should be less than 1")
