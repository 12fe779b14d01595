"""What refreshing needs to know: the unit of work (`Job`), the HTTP client the settings
describe, and the region's codes and comparison regions (its `stats.yaml`).

Apart from `refresh.py` so that the per-source jobs (`refresh_sources.py`) and the goal
recipes can use them without importing the refresh itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from retning.stats.http import HttpClient
from retning.strategy.models import MunicipalityCode


@dataclass
class Job:
    """One unit of work: fetch something and return (dataset slug, records, provenance)."""

    source: str
    series: str
    dataset: str
    run: Callable[[HttpClient], dict]
    replaces_dataset: bool = False
    # False when the source's address is not set (NAV and Norske utslipp have no fixed one).
    configured: bool = True
    setting: str = ""


def client_from_settings() -> HttpClient:
    """The HTTP client with the timeout, retries and interval of the settings."""
    return HttpClient(
        timeout=settings.RETNING_HTTP_TIMEOUT,
        retries=settings.RETNING_HTTP_RETRIES,
        min_interval=settings.RETNING_HTTP_MIN_INTERVAL,
    )


def region_config() -> dict:
    path = Path(settings.REGIONS_DIR) / settings.RETNING_REGION / "stats.yaml"
    if not path.is_file():
        return {"comparison_regions": []}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def region_codes() -> list[str]:
    """Every code (historical and current) of the region's municipalities, then the
    comparison regions."""
    codes = list(
        MunicipalityCode.objects.order_by("municipality__position", "valid_from").values_list(
            "code", flat=True
        )
    )
    codes += [str(item["code"]) for item in region_config().get("comparison_regions", [])]
    return codes
