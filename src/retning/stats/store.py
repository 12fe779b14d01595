"""Storing fetches and observations: the one way statistics get into the database.

`record_fetch` keeps the raw bytes (content-addressed under the data dir), records the
fetch with its provenance and applies its records as versioned observations in one
transaction. `record_failure` stores what went wrong and leaves every observation alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from retning.core import bounds
from retning.stats.catalogue import DATASETS
from retning.stats.models import CodeChange as CodeChangeRow
from retning.stats.models import Dataset, Fetch, Observation
from retning.stats.regions import CodeChange, changes_from_periods, code_on
from retning.stats.sources.base import Record, SourceError
from retning.stats.sources.jsonstat import STATUS_REASONS
from retning.strategy.models import Municipality

NOT_IN_USE = STATUS_REASONS["."]  # SSB's "." for a region code outside its valid years
QUANTUM = Decimal("0.000001")


def ensure_dataset(slug: str) -> Dataset:
    """The dataset row for a catalogue entry, created on first use."""
    info = DATASETS[slug]
    dataset, _ = Dataset.objects.update_or_create(
        slug=slug,
        defaults={
            "source": info.source,
            "table": info.table,
            "title": info.title,
            "title_en": info.title_en,
            "publisher": info.publisher,
            "licence": info.licence,
            "home_url": info.home_url,
            "rank": info.rank,
            "note": info.note,
            "note_en": info.note_en,
        },
    )
    return dataset


def raw_dir() -> Path:
    return Path(settings.RETNING_RAW_DIR)


def store_raw(raw: bytes) -> tuple[str, str]:
    """Write raw bytes once under their sha256; return (sha256, path relative to raw dir)."""
    digest = hashlib.sha256(raw).hexdigest()
    relative = f"{digest[:2]}/{digest}"
    path = raw_dir() / relative
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(raw)
        tmp.replace(path)
    return digest, relative


# Within `code_changes_read_once()`, the code changes read first are reused.
_read_once: ContextVar[list[list[CodeChange]] | None] = ContextVar("code_changes", default=None)


@contextmanager
def code_changes_read_once() -> Iterator[None]:
    """Read the code changes once for everything inside (a page asks for them for each
    series of each goal): for read-only work that needs one consistent view."""
    token = _read_once.set([])
    try:
        yield
    finally:
        _read_once.reset(token)


def code_changes() -> list[CodeChange]:
    """Every known code change: KLASS changes stored in the database plus the strategy's
    code periods (so the region's own history works before KLASS was ever fetched)."""
    kept = _read_once.get()
    if kept:
        return kept[0]
    changes = _read_code_changes()
    if kept is not None:
        kept.append(changes)
    return changes


def _read_code_changes() -> list[CodeChange]:

    changes = {
        CodeChange(row.change_occurred, row.old_code, row.new_code)
        for row in CodeChangeRow.objects.all()
    }
    for municipality in Municipality.objects.prefetch_related("codes"):
        periods = [(c.code, c.valid_from, c.valid_to) for c in municipality.codes.all()]
        changes.update(changes_from_periods(periods))
    return sorted(changes)


@dataclass
class Counts:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    retired: int = 0


def _weight(record: Record) -> int:
    """Which of two records of one key to keep: a value, else a reason, else "not in use"."""
    if record.value is not None:
        return 2
    return 0 if record.missing_reason == NOT_IN_USE else 1


TEXT_FIELDS = {  # Record attribute → Observation column
    "measure": "measure",
    "code": "code_published",
    "period": "period",
    "unit": "unit",
    "dimension_key": "dimension_key",
    "missing_reason": "missing_reason",
}


def check_values(records: Iterable[Record], *, source: str = "store") -> None:
    """Raise `SourceError` naming the first record that cannot be stored: a value that is
    NaN, an infinity or beyond `OBSERVATION_LIMIT`, or a text longer than its column."""
    longest = {
        name: Observation._meta.get_field(column).max_length for name, column in TEXT_FIELDS.items()
    }
    for record in records:
        dims = f" ({record.dimension_key[:60]})" if record.dimension_key else ""
        where = f"{record.measure[:80]} for {record.code[:20]}, {record.period[:20]}{dims}"
        if why := bounds.problem(record.value, bounds.OBSERVATION_LIMIT):
            raise SourceError(source, f"{where}: {why}")
        for name, limit in longest.items():
            if len(getattr(record, name)) > limit:
                raise SourceError(source, f"{where}: {name} longer than {limit} characters")


def _quantize(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(QUANTUM)


def new_fetch(
    dataset: Dataset,
    *,
    via: str,
    sha256: str = "",
    raw_path: str = "",
    raw_name: str = "",
    url: str = "",
    query: dict | None = None,
    note: str = "",
    table: str | None = None,
    source: str | None = None,
    licence: str | None = None,
    retrieved_at: dt.datetime | None = None,
    raw_restricted: bool = False,
) -> Fetch:
    """The row of a good fetch, with the dataset's source, table and licence unless given.
    The one place successful fetches are created (statistics and register data alike).
    `raw_restricted`: the raw bytes are a licensed file, for staff with a role only."""
    return Fetch.objects.create(
        dataset=dataset,
        via=via,
        source=source or dataset.source,
        table=dataset.table if table is None else table,
        query=query or {},
        url=url,
        retrieved_at=retrieved_at or timezone.now(),
        sha256=sha256,
        raw_path=raw_path,
        raw_name=raw_name,
        licence=dataset.licence if licence is None else licence,
        raw_restricted=raw_restricted,
        outcome=Fetch.Outcome.OK,
        note=note,
    )


def record_fetch(
    dataset: Dataset,
    *,
    via: str,
    records: Iterable[Record],
    raw: bytes,
    raw_name: str = "",
    url: str = "",
    query: dict | None = None,
    note: str = "",
    table: str | None = None,
    source: str | None = None,
    licence: str | None = None,
    retrieved_at: dt.datetime | None = None,
    replaces_dataset: bool = False,
    today: dt.date | None = None,
    changes: list[CodeChange] | None = None,
) -> Fetch:
    """Store a good fetch and apply its records.

    A key (measure, harmonised code, period, dimensions) whose value is unchanged keeps its
    row; a changed value retires the old row (`current=False`, kept as history) and adds a
    new one. With `replaces_dataset`, current rows of the dataset that the new release no
    longer contains are retired as well (a new release replaces the old series).
    `changes`: the code changes, when the caller stores many fetches in a row.
    A value that is not finite or beyond what Retning stores raises `SourceError` before
    anything is written.
    """
    records = list(records)
    check_values(records, source=dataset.source)
    sha256, relative = store_raw(raw)
    changes = code_changes() if changes is None else changes
    on = today or timezone.localdate()
    with transaction.atomic():
        fetch = new_fetch(
            dataset,
            via=via,
            sha256=sha256,
            raw_path=relative,
            raw_name=raw_name,
            url=url,
            query=query,
            note=note,
            table=table,
            source=source,
            licence=licence,
            retrieved_at=retrieved_at,
        )
        counts = apply_records(dataset, fetch, records, changes, on, replaces_dataset)
        fetch.created, fetch.changed, fetch.unchanged = (
            counts.created,
            counts.changed,
            counts.unchanged,
        )
        fetch.save(update_fields=["created", "changed", "unchanged"])
    return fetch


def apply_records(
    dataset: Dataset,
    fetch: Fetch,
    records: Iterable[Record],
    changes: list[CodeChange],
    on: dt.date,
    replaces_dataset: bool,
) -> Counts:
    counts = Counts()
    existing = {
        (o.measure, o.code, o.period, o.dimension_key): o
        for o in Observation.objects.filter(dataset=dataset, current=True).only(
            "pk", "measure", "code", "period", "dimension_key", "value", "missing_reason"
        )
    }
    # One figure per key: a table may publish a period under both the old and the new
    # code, one of them as missing; the value wins over the missing cell, and a cell
    # missing for a reason (suppressed, not available) over the code not in use (".").
    merged: dict[tuple[str, str, str, str], tuple[str, Record]] = {}
    for record in records:
        code = code_on(record.code, changes, on)
        key = (record.measure, code, record.period, record.dimension_key)
        if key not in merged or _weight(record) > _weight(merged[key][1]):
            merged[key] = (code, record)
    seen = set(merged)
    to_create: list[Observation] = []
    to_retire: list[int] = []
    for key, (code, record) in merged.items():
        value = _quantize(record.value)
        old = existing.get(key)
        if old is not None:
            if old.value == value and old.missing_reason == record.missing_reason:
                counts.unchanged += 1
                continue
            to_retire.append(old.pk)
            counts.changed += 1
        else:
            counts.created += 1
        to_create.append(
            Observation(
                dataset=dataset,
                fetch=fetch,
                measure=record.measure,
                code_published=record.code,
                code=code,
                period=record.period,
                dimensions=record.dimensions,
                dimension_key=record.dimension_key,
                attributes=record.attributes,
                value=value,
                missing_reason=record.missing_reason,
                unit=record.unit,
            )
        )
    if replaces_dataset:
        gone = [o.pk for key, o in existing.items() if key not in seen]
        counts.retired = len(gone)
        to_retire.extend(gone)
    for start in range(0, len(to_retire), 500):
        Observation.objects.filter(pk__in=to_retire[start : start + 500]).update(current=False)
    Observation.objects.bulk_create(to_create, batch_size=1000)
    return counts


def record_failure(
    dataset: Dataset,
    *,
    message: str,
    url: str = "",
    query: dict | None = None,
    raw: bytes | None = None,
    raw_name: str = "",
    table: str | None = None,
) -> Fetch:
    """Store a failed fetch (with whatever bytes came, so nothing received is lost)."""
    sha256, relative = store_raw(raw) if raw else ("", "")
    return Fetch.objects.create(
        dataset=dataset,
        via=Fetch.Via.REFRESH,
        source=dataset.source,
        table=dataset.table if table is None else table,
        query=query or {},
        url=url,
        retrieved_at=timezone.now(),
        sha256=sha256,
        raw_path=relative,
        raw_name=raw_name,
        licence=dataset.licence,
        outcome=Fetch.Outcome.FAILED,
        message=message,
    )
