"""Daily changes from Enhetsregisteret's update feed (`/oppdateringer/{enheter|underenheter}`),
so a daily refresh need not download the whole bulk file.

Each update names a unit and a change type. Deleted (`Sletting`) and removed (`Fjernet`)
units we hold are marked; new and changed units (`Ny`, `Endring`) are fetched one by one
and stored when they lie in the region (a unit that moved out is marked as no longer in
the region). The time of the last update applied is kept with the fetch, and the next run
starts from there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from retning.business.brreg import BulkFileError, Kind, unit_from_record
from retning.business.importing import DATASET, RemovalRefusedError, check_removal, upsert_units
from retning.business.models import RegisterUnit
from retning.stats.http import HttpClient
from retning.stats.models import Fetch
from retning.stats.sources.base import SourceError
from retning.stats.store import ensure_dataset, new_fetch, record_failure, store_raw

FEED = {
    "enhet": ("enheter", "oppdaterteEnheter"),
    "underenhet": ("underenheter", "oppdaterteUnderenheter"),
}


@dataclass
class UpdateSummary:
    updates: int = 0
    fetched: int = 0
    stored: int = 0
    deleted: int = 0
    left_region: int = 0
    last_date: str = ""


def last_update_date(kind: Kind) -> str | None:
    """Where the previous run stopped (or when the last bulk file was imported)."""
    fetch = (
        Fetch.objects.filter(dataset__slug=DATASET[kind], outcome=Fetch.Outcome.OK)
        .order_by("-retrieved_at")
        .first()
    )
    if fetch is None:
        return None
    return fetch.query.get("last_update") or fetch.retrieved_at.astimezone(dt.UTC).isoformat()


def _feed_page(content: bytes, key: str) -> tuple[list[dict], int]:
    """The updates on one page of the feed and the number of pages; BulkFileError for an
    answer that is not the feed's format."""
    data = json.loads(content)
    if not isinstance(data, dict):
        raise BulkFileError("an update page is not a JSON object")
    updates = (data.get("_embedded") or {}).get(key, [])
    if not isinstance(updates, list):
        raise BulkFileError(f"{key} is not a list")
    for update in updates:
        if not isinstance(update, dict):
            raise BulkFileError("an update is not a JSON object")
        orgnr = update.get("organisasjonsnummer")
        if not isinstance(orgnr, str) or not re.fullmatch(r"\d{9}", orgnr):
            raise BulkFileError(f"an update has a malformed organisasjonsnummer {orgnr!r}")
        if not isinstance(update.get("oppdateringsid", 0), int):
            raise BulkFileError(f"update of {orgnr}: oppdateringsid is not a number")
        day = update.get("dato", "")
        if not isinstance(day, str) or (day and _day(day) is None):
            raise BulkFileError(f"update of {orgnr}: dato {day!r} is not a date")
    pages = int((data.get("page") or {}).get("totalPages", 1))
    return updates, pages


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def apply_updates(
    kind: Kind,
    base_url: str,
    codes: list[str],
    client: HttpClient,
    since: str | None = None,
    *,
    force: bool = False,
) -> UpdateSummary:
    """Apply the feed since `since` (default: where the last run stopped) in one
    transaction. A feed that cannot be read changes nothing and is recorded as a failed
    fetch; one that would remove too many of the region's units is refused unless forced
    (`importing.check_removal`)."""
    path, key = FEED[kind]
    dataset = ensure_dataset(DATASET[kind])
    since = since or last_update_date(kind)
    if since is None:
        raise BulkFileError("no earlier import to continue from: run `retning import-brreg` first")
    summary = UpdateSummary(last_date=since)
    updates: list[dict] = []
    raw_pages: list[bytes] = []
    page = 0
    url = f"{base_url.rstrip('/')}/oppdateringer/{path}"
    try:
        while True:
            response = client.request(
                "brreg", "GET", url, params={"dato": since, "size": 10000, "page": page}
            )
            raw_pages.append(response.content)
            found, pages = _feed_page(response.content, key)
            updates.extend(found)
            page += 1
            if page >= pages:
                break
        summary.updates = len(updates)
        latest: dict[str, dict] = {}
        for update in sorted(updates, key=lambda u: u.get("oppdateringsid", 0)):
            latest[update["organisasjonsnummer"]] = update
        held = {u.orgnr: u for u in RegisterUnit.objects.filter(kind=kind, orgnr__in=list(latest))}
        units, changes = [], []
        for orgnr, update in latest.items():
            change = update.get("endringstype", "")
            if change in ("Sletting", "Fjernet"):
                if orgnr in held:
                    changes.append((orgnr, change, update.get("dato", "")[:10]))
                continue
            try:
                unit_response = client.request(
                    "brreg", "GET", f"{base_url.rstrip('/')}/{path}/{orgnr}"
                )
            except SourceError as exc:
                if "HTTP 404" in exc.message or "HTTP 410" in exc.message:
                    continue
                raise
            summary.fetched += 1
            raw_pages.append(unit_response.content)
            record = json.loads(unit_response.content)
            if not isinstance(record, dict):
                raise BulkFileError(f"the answer for unit {orgnr} is not a JSON object")
            address = (
                record.get("forretningsadresse" if kind == "enhet" else "beliggenhetsadresse") or {}
            )
            if isinstance(address, dict) and address.get("kommunenummer") in codes:
                units.append(unit_from_record(record, kind))
            elif orgnr in held:
                changes.append((orgnr, "moved", ""))
        in_region = RegisterUnit.objects.filter(kind=kind, in_region=True, deleted__isnull=True)
        removed = sum(
            1
            for orgnr, _change, _day_text in changes
            if held[orgnr].in_region and held[orgnr].deleted is None
        )
        check_removal(removed, in_region.count(), force=force)
    except RemovalRefusedError as exc:
        record_failure(dataset, message=f"update feed: {exc}", url=url)
        raise
    except (SourceError, BulkFileError, ValueError, TypeError, KeyError, RecursionError) as exc:
        # ValueError includes JSONDecodeError; RecursionError: JSON nested too deeply
        reason = "JSON nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        record_failure(dataset, message=f"update feed: {reason}", url=url)
        raise BulkFileError(f"the update feed could not be read: {reason}") from None
    summary.last_date = max((u.get("dato", "") for u in updates), default=since) or since
    sha256, relative = store_raw(b"\n".join(raw_pages))
    with transaction.atomic():
        fetch = new_fetch(
            dataset,
            via=Fetch.Via.REFRESH,
            table=f"{dataset.table} (oppdateringer)",
            query={"dato": since, "last_update": summary.last_date, "updates": len(updates)},
            url=url,
            sha256=sha256,
            raw_path=relative,
            raw_name=f"oppdateringer-{path}.json",
        )
        existing = {
            u.orgnr: u
            for u in RegisterUnit.objects.filter(kind=kind, orgnr__in=[u.orgnr for u in units])
        }
        created, updated = upsert_units(units, kind, fetch, existing)
        summary.stored = created + updated
        for orgnr, change, day in changes:
            row = held[orgnr]
            if change == "Sletting":
                row.deleted = _day(day) or timezone.localdate()
                summary.deleted += 1
            else:
                row.in_region = False
                summary.left_region += 1
            row.fetch = fetch
            row.save()
    return summary
