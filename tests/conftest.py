from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

BUNDLED_STRATEGY = settings.RETNING_STRATEGY_FILE
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty page cache: ids are reused after a rolled-back test,
    so a page kept for one test's data could otherwise meet another's equal data version."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def strategy_text() -> str:
    return Path(BUNDLED_STRATEGY).read_text(encoding="utf-8")


@pytest.fixture
def loaded_strategy(db):
    """The bundled Kongsvinger strategy, loaded as `retning setup` does."""
    from retning.strategy.loader import load_strategy_file
    from retning.strategy.selectors import current_strategy

    load_strategy_file(BUNDLED_STRATEGY)
    return current_strategy()


def line_of(text: str, needle: str) -> int:
    """1-based number of the (only) line containing `needle`."""
    hits = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(hits) == 1, f"{needle!r} found on lines {hits}"
    return hits[0]


@pytest.fixture
def snapshot_loaded(loaded_strategy):
    """The strategy plus the bundled snapshot of real published figures, as `retning setup`
    loads them."""
    from retning.stats.snapshot import load_snapshot

    load_snapshot()
    return loaded_strategy
