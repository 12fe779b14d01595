from __future__ import annotations

from pathlib import Path

import pytest

SNAPSHOT_DIR = (
    Path(__file__).resolve().parents[2] / "src/retning/regions/kongsvingerregionen/snapshot"
)
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def raw_dir(settings, tmp_path):
    """Raw responses of each test go to its own directory."""
    settings.RETNING_RAW_DIR = tmp_path / "raw"
    return settings.RETNING_RAW_DIR


@pytest.fixture
def snapshot_loaded(loaded_strategy):
    from retning.stats.snapshot import load_snapshot

    return load_snapshot(SNAPSHOT_DIR)
