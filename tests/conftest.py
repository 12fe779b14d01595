from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.dbstate import restore_or_build

BUNDLED_STRATEGY = settings.RETNING_STRATEGY_FILE
SHARED_DIR = Path(__file__).resolve().parents[1].parent / "shared"

# The settings the strategy loader and the snapshot read (see tests/dbstate.py).
STRATEGY_SETTINGS = ("RETNING_REGION", "LANGUAGE_CODE", "TIME_ZONE")
SNAPSHOT_SETTINGS = (*STRATEGY_SETTINGS, "REGIONS_DIR", "RETNING_RAW_DIR", "RETNING_DATA_DIR")


def pytest_configure(config):
    # Django's advice for test runs: a fast password hasher, since the tests create many
    # users and sign them in; the hasher Retning deploys with is not what they test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty page cache: ids are reused after a rolled-back test,
    so a page kept for one test's data could otherwise meet another's equal data version."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in bokmål: a request to an /en/ page leaves English active in the
    thread, and `reverse()` in the next test would then build /en/ addresses."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def strategy_text() -> str:
    return Path(BUNDLED_STRATEGY).read_text(encoding="utf-8")


@pytest.fixture
def loaded_strategy(db):
    """The bundled Kongsvinger strategy, loaded as `retning setup` does."""
    from retning.strategy.loader import load_strategy_file
    from retning.strategy.selectors import current_strategy

    # Loaded for real once; later tests get the same rows written into their transaction.
    restore_or_build(
        "bundled strategy", lambda: load_strategy_file(BUNDLED_STRATEGY), STRATEGY_SETTINGS
    )
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
    from retning.stats.snapshot import load_snapshot, snapshot_dir
    from retning.stats.store import store_raw

    if restore_or_build("bundled snapshot", load_snapshot, SNAPSHOT_SETTINGS):
        # the rows point at the snapshot files in the raw store: make sure they are there
        for path in snapshot_dir().glob("*.csv"):
            store_raw(path.read_bytes())
    return loaded_strategy
