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


@pytest.fixture(scope="session")
def synthetic_proposals() -> list[dict]:
    """Hand-written proposals with the categories a reader would give them (synthetic)."""
    path = FIXTURES / "synthetic_proposals.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def synthetic_proposals_blind() -> list[dict]:
    """Hand-written proposals (synthetic) by an author who had seen neither the tagger, its
    keywords nor the development set. Measure with it; never tune on it."""
    path = FIXTURES / "synthetic_proposals_blind.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
