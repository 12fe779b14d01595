"""Re-harmonise stored observations after new code changes arrive from KLASS."""

from __future__ import annotations

from django.utils import timezone

from retning.stats.models import Observation
from retning.stats.regions import code_on
from retning.stats.store import code_changes


def reharmonise() -> int:
    """Recompute every observation's current code from its published code; return how
    many distinct published codes moved."""
    changes = code_changes()
    today = timezone.localdate()
    moved = 0
    published = Observation.objects.values_list("code_published", flat=True).distinct()
    for code in list(published):
        target = code_on(code, changes, today)
        updated = (
            Observation.objects.filter(code_published=code).exclude(code=target).update(code=target)
        )
        moved += int(updated > 0)
    return moved
