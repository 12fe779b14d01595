"""A focus area's industry mapping says which standard its codes are from: SN2007 (the
default, so files written before SN2025 keep their meaning) or SN2025, which SSB's new
tables use from 2026 and whose letters and numbers can mean other industries."""

from __future__ import annotations

import pytest

from retning.strategy.loader import load_strategy
from retning.strategy.models import FocusArea
from retning.strategy.spec import SpecError, parse_spec
from tests.conftest import line_of

# Building and construction keeps its SN2007 divisions and gains section F of SN2025.
SN2025_MAPPING = """      - codes: ["F"]
        classification: SN2025
        why: Bygge- og anleggsvirksomhet i SN2025 (næringshovedområde F).
"""
ANCHOR = '      - codes: ["41", "42", "43"]\n'


def with_sn2025(text: str, mapping: str = SN2025_MAPPING) -> str:
    return text.replace(ANCHOR, mapping + ANCHOR, 1)


def problems_of(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "test.yaml")
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def test_mappings_without_a_classification_are_sn2007(strategy_text):
    spec = parse_spec(strategy_text)
    assert {m.classification for area in spec.focus_areas for m in area.nace} == {"SN2007"}


def test_a_mapping_may_name_sn2025(strategy_text):
    spec = parse_spec(with_sn2025(strategy_text))
    area = next(a for a in spec.focus_areas if a.id == "bygg-og-anlegg")
    assert [m.classification for m in area.nace] == ["SN2025", "SN2007"]


def test_section_v_exists_only_in_sn2025(strategy_text):
    sn2025_v = SN2025_MAPPING.replace('["F"]', '["V"]')
    parse_spec(with_sn2025(strategy_text, sn2025_v))
    broken = with_sn2025(strategy_text, sn2025_v.replace("        classification: SN2025\n", ""))
    [(line, column, message)] = problems_of(broken)
    assert line == line_of(broken, '["V"]')
    assert column == broken.splitlines()[line - 1].index('"V"') + 1
    assert message == (
        "'V' is not a section of SN2007 (A–U); codes of the 2025 standard need "
        "classification: SN2025"
    )


def test_an_unknown_classification_is_an_error_at_its_line(strategy_text):
    broken = with_sn2025(strategy_text).replace("classification: SN2025", "classification: SN2030")
    [(line, _, message)] = problems_of(broken)
    assert line == line_of(broken, "classification: SN2030")
    assert "classification" in message and "SN2025" in message


@pytest.mark.django_db
def test_loaded_focus_area_keeps_the_codes_of_each_classification_apart(strategy_text):
    load_strategy(parse_spec(with_sn2025(strategy_text)))
    area = FocusArea.objects.get(slug="bygg-og-anlegg")
    assert area.nace_codes == ["41", "42", "43"]  # SN2007, which SSB's 13470 uses
    assert area.nace_codes_in("SN2025") == ["F"]
    assert area.nace[0]["classification"] == "SN2025"
    assert "classification" not in area.nace[1]  # SN2007 rows stay as they were stored
