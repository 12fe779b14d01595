"""Refresh jobs of the file and classification sources (KLASS, Miljødirektoratet, NAV)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from retning.stats.http import HttpClient
from retning.stats.refresh import Job
from retning.stats.sources import klass


def klass_job() -> Job:
    base = settings.RETNING_KLASS_URL

    def run(client: HttpClient) -> dict:
        changes, raw, url, params = klass.fetch_changes(
            client, base, dt.date(1990, 1, 1), timezone.localdate()
        )

        def apply(fetch) -> tuple[int, int]:
            from retning.stats.models import CodeChange

            created = 0
            for item in changes:
                _, new = CodeChange.objects.get_or_create(
                    old_code=item.change.old,
                    new_code=item.change.new,
                    change_occurred=item.change.occurred,
                    defaults={"old_name": item.old_name, "new_name": item.new_name},
                )
                created += int(new)
            from retning.stats.harmonise import reharmonise

            reharmonise()
            return created, len(changes) - created

        return {
            "records": [],
            "apply": apply,
            "raw": raw,
            "raw_name": "klass-131-changes.json",
            "url": url,
            "query": params,
        }

    return Job("klass", "131 municipality code changes", "klass-131", run)


def jobs_for(source: str) -> list[Job]:
    if source == "klass":
        return [klass_job()]
    return []
