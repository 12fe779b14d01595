"""Refresh jobs of the file and classification sources (KLASS, Miljødirektoratet, NAV)."""

from __future__ import annotations

from retning.stats.refresh import Job


def jobs_for(source: str) -> list[Job]:
    return []
