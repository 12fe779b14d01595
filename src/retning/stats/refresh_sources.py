"""Refresh jobs of the file and classification sources (KLASS, Miljødirektoratet, NAV).

Files are downloaded whole from a configurable address; only the region's municipalities
(all their historical and current codes) are stored.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from retning.stats.config import Job, region_codes
from retning.stats.harmonise import reharmonise
from retning.stats.http import HttpClient
from retning.stats.models import CodeChange
from retning.stats.sources import klass, miljodir, nav
from retning.stats.sources.base import SourceError
from retning.strategy.models import Municipality


def klass_job() -> Job:
    base = settings.RETNING_KLASS_URL

    def run(client: HttpClient) -> dict:
        changes, raw, url, params = klass.fetch_changes(
            client, base, dt.date(1990, 1, 1), timezone.localdate()
        )

        def apply(fetch) -> tuple[int, int]:
            created = 0
            for item in changes:
                _, new = CodeChange.objects.get_or_create(
                    old_code=item.change.old,
                    new_code=item.change.new,
                    change_occurred=item.change.occurred,
                    defaults={"old_name": item.old_name, "new_name": item.new_name},
                )
                created += int(new)
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


def region_municipality_names() -> dict[str, str]:
    """Municipality name → current code, for files that name municipalities (Norske utslipp)."""

    return {m.name: m.current_code for m in Municipality.objects.prefetch_related("codes")}


def file_job(
    source: str,
    series: str,
    dataset: str,
    setting: str,
    parse,
    *,
    label: str,
    replaces: bool = False,
    where_to_get: str = "",
) -> Job:
    url = getattr(settings, setting)

    def run(client: HttpClient) -> dict:
        if not url:
            hint = f"; {where_to_get}" if where_to_get else ""
            raise SourceError(label, f"{series}: no address configured (set {setting}){hint}")
        response = client.request(label, "GET", url)
        wanted = set(region_codes())
        records = [r for r in parse(response.content) if r.code in wanted]
        return {
            "records": records,
            "raw": response.content,
            "raw_name": url.rstrip("/").rsplit("/", 1)[-1][:150] or f"{dataset}.xlsx",
            "url": response.url,
        }

    return Job(
        source,
        series,
        dataset,
        run,
        replaces_dataset=replaces,
        configured=bool(url),
        setting=setting,
    )


def miljodir_jobs() -> list[Job]:
    return [
        file_job(
            "miljodir",
            "klimagassutslipp i kommuner",
            "miljodir-kommuner",
            "RETNING_MILJODIR_URL",
            miljodir.parse_municipal,
            label=miljodir.SOURCE,
            replaces=True,
        ),
        file_job(
            "miljodir",
            "norske utslipp, anlegg",
            "miljodir-norskeutslipp",
            "RETNING_NORSKEUTSLIPP_URL",
            lambda raw: miljodir.parse_facilities(raw, region_municipality_names())[0],
            label=miljodir.SOURCE,
        ),
    ]


def nav_jobs() -> list[Job]:
    return [
        file_job(
            "nav",
            "HL060 helt ledige",
            "nav-hl060",
            "RETNING_NAV_URL",
            nav.parse_hl060,
            label=nav.SOURCE,
            where_to_get=nav.WHERE_TO_GET,
        )
    ]


def jobs_for(source: str) -> list[Job]:
    if source == "klass":
        return [klass_job()]
    if source == "miljodir":
        return miljodir_jobs()
    if source == "nav":
        return nav_jobs()
    return []
