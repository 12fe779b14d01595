"""Re-harmonise stored observations after new code changes arrive from KLASS."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from retning.stats.models import Observation
from retning.stats.regions import code_on
from retning.stats.store import code_changes


def reharmonise() -> int:
    """Recompute every observation's current code from its published code; return how
    many distinct published codes moved.

    One query reads which (published, current) code pairs exist and one update per new
    current code moves them: a national table holds thousands of published codes, and an
    update per code cost seconds on PostgreSQL although almost none move."""
    changes = code_changes()
    today = timezone.localdate()
    pairs = Observation.objects.values_list("code_published", "code").distinct()
    moving: dict[str, set[str]] = defaultdict(set)  # target → published codes to move there
    for published, current in pairs:
        target = code_on(published, changes, today)
        if current != target:
            moving[target].add(published)
    moved: set[str] = set()
    for target, published_codes in moving.items():
        updated = (
            Observation.objects.filter(code_published__in=published_codes)
            .exclude(code=target)
            .update(code=target)
        )
        if updated:
            moved |= published_codes
    return len(moved)
