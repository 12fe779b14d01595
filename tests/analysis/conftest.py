from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from retning.analysis.labels import Label, labels_from_spec, place_names
from retning.strategy.spec import load_spec

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="session")
def strategy_labels() -> list[Label]:
    return labels_from_spec(load_spec(settings.RETNING_STRATEGY_FILE))


@pytest.fixture(scope="session")
def region_places() -> frozenset[str]:
    return place_names(load_spec(settings.RETNING_STRATEGY_FILE))


def _jsonl(name: str) -> list[dict]:
    path = FIXTURES / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def synthetic_proposals() -> list[dict]:
    """Hand-written proposals with the categories a reader would give them (synthetic)."""
    return _jsonl("synthetic_proposals.jsonl")


@pytest.fixture(scope="session")
def synthetic_proposals_blind() -> list[dict]:
    """Hand-written proposals (synthetic), first written blind, since used for tuning."""
    return _jsonl("synthetic_proposals_blind.jsonl")


@pytest.fixture(scope="session")
def blind_sets() -> dict[str, list[dict]]:
    """Hand-written proposals (synthetic) by authors who had seen neither the tagger, its
    keywords nor the other sets. Measure with them; never tune on them."""
    return {
        name: _jsonl(f"synthetic_proposals_{name}.jsonl") for name in ("blind3", "blind4", "blind5")
    }
