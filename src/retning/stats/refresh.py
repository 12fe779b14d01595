"""Refreshing the store from the sources: each table or file is its own transaction.

A source that fails (network, HTTP error, malformed data) is recorded as a failed fetch
and leaves the last good observations as they are; the others go on. `--dry-run` runs
everything, counts what would change, and rolls the database back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from retning.stats import refresh_sources
from retning.stats.config import Job, region_codes
from retning.stats.http import HttpClient
from retning.stats.models import Fetch
from retning.stats.sources import ssb
from retning.stats.sources.base import Record, SourceError
from retning.stats.store import ensure_dataset, record_failure, record_fetch

SOURCES = ["ssb", "klass", "miljodir", "nav"]


@dataclass
class Outcome:
    source: str
    series: str
    ok: bool
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    message: str = ""
    fetch_id: int | None = None
    skipped: bool = False


@dataclass
class RefreshReport:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes)


class _DryRunRollbackError(Exception):
    pass


def ssb_jobs(base: str | None = None) -> Iterator[Job]:
    base = base or settings.RETNING_SSB_URL
    regions = region_codes()
    metadata_cache: dict[tuple, ssb.Dataset] = {}
    config: list[ssb.ApiConfig] = []
    config_error: list[str] = []

    for group in ssb.GROUPS:

        def run(client: HttpClient, group=group) -> dict:
            if config_error:  # SSB did not answer at all: do not wait on it once per table
                raise SourceError(ssb.SOURCE, f"not tried, SSB unreachable: {config_error[0]}")
            if not config:
                try:
                    config.append(ssb.fetch_config(client, base))
                except SourceError as exc:
                    config_error.append(exc.message)
                    raise
            key = ssb.metadata_key(group)
            if key not in metadata_cache:
                metadata_cache[key] = ssb.fetch_metadata(client, base, group.table, group.codelists)
            result = ssb.fetch_group(
                client, base, group, regions, metadata_cache[key], config[0].max_cells
            )
            notes = list(result.notes)
            if result.skipped_codes:
                notes.append(f"codes not in table {group.table}: {', '.join(result.skipped_codes)}")
            return {
                "records": result.records,
                "raw": result.raw,
                "raw_name": f"ssb-{group.table}-{group.name}.json",
                "url": result.url,
                "query": result.query,
                "note": "; ".join(notes),
                "licence": config[0].licence or None,
            }

        yield Job("ssb", f"{group.table} {group.name}", group.dataset, run)


def check_ssb(client: HttpClient, base: str | None = None) -> list[ssb.TableCheck]:
    """`retning refresh --check`: each SSB table's metadata against the codes Retning asks
    for (one metadata request per table, no data)."""
    return ssb.check(client, base or settings.RETNING_SSB_URL, region_codes())


def jobs_for(source: str) -> list[Job]:
    if source == "ssb":
        return list(ssb_jobs())

    return refresh_sources.jobs_for(source)


def run_job(job: Job, client: HttpClient, *, dry_run: bool = False) -> Outcome:
    dataset = ensure_dataset(job.dataset)
    try:
        payload = job.run(client)
        records: list[Record] = payload["records"]
        if not records and "apply" not in payload:
            raise SourceError(job.source, f"{job.series}: the response held no figures")
        return _store(job, dataset, payload, records, dry_run=dry_run)
    except SourceError as exc:  # fetching, or a figure storage refuses (e.g. out of range)
        message = str(exc)
        fetch = None
        if not dry_run:
            fetch = record_failure(
                dataset, message=message, raw=getattr(exc, "raw", None), url=getattr(exc, "url", "")
            )
        return Outcome(job.source, job.series, False, message=message, fetch_id=fetch and fetch.pk)


def _store(job: Job, dataset, payload: dict, records: list[Record], *, dry_run: bool) -> Outcome:
    try:
        with transaction.atomic():
            fetch = record_fetch(
                dataset,
                via=Fetch.Via.REFRESH,
                records=records,
                raw=payload["raw"],
                raw_name=payload.get("raw_name", ""),
                url=payload.get("url", ""),
                query=payload.get("query"),
                note=payload.get("note", ""),
                licence=payload.get("licence"),
                replaces_dataset=job.replaces_dataset,
            )
            if "apply" in payload:  # a classification, not observations
                fetch.created, fetch.unchanged = payload["apply"](fetch)
                fetch.save(update_fields=["created", "unchanged"])
            outcome = Outcome(
                job.source,
                job.series,
                True,
                fetch.created,
                fetch.changed,
                fetch.unchanged,
                fetch_id=fetch.pk,
            )
            if dry_run:
                raise _DryRunRollbackError
    except _DryRunRollbackError:
        outcome.fetch_id = None
    return outcome
