"""The data page in headless Chromium: no WCAG 2.1 A/AA violation, in both languages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_data_page_has_no_wcag_violations(page, live_server, loaded_strategy, prefix):
    from retning.stats.snapshot import load_snapshot

    load_snapshot()
    response = page.goto(f"{live_server.url}{prefix}/data/")
    assert response.status == 200
    violations = axe_violations(page)
    assert not violations, describe(violations)
