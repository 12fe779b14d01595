"""Load the region's bundled snapshot of real published figures (called by `retning setup`).

Each group of rows with one dataset and one provenance becomes one fetch (`via=snapshot`)
whose URL and note are the row's `source_url` and `source_note`, whose raw bytes are the
snapshot file itself, and whose date is when the figures were collected (SOURCES.md's
"Collected …" line), not when Retning loaded them. Loading is idempotent: a group already
loaded from the same file content is skipped (its date corrected if an older Retning
recorded the loading day instead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from retning.stats.models import Dataset, Fetch
from retning.stats.sources.snapshot import collection_date, parse_snapshot_csv
from retning.stats.store import code_changes, ensure_dataset, record_fetch, store_raw


def snapshot_dir() -> Path:
    return Path(settings.REGIONS_DIR) / settings.RETNING_REGION / "snapshot"


@dataclass
class SnapshotReport:
    fetches: int = 0
    observations: int = 0
    skipped_rows: int = 0
    already_loaded: int = 0
    dates_corrected: int = 0
    collected: dt.date | None = None
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"snapshot: {len(self.files)} files, {self.fetches} new fetches, "
            f"{self.observations} new observations, {self.already_loaded} groups already "
            f"loaded, {self.skipped_rows} rows skipped (KR6 sums Retning computes itself)"
        )
        if self.dates_corrected:
            text += (
                f", {self.dates_corrected} fetch dates corrected to the collection date "
                f"{self.collected:%Y-%m}"
            )
        return text


def load_snapshot(directory: Path | None = None) -> SnapshotReport:
    directory = directory or snapshot_dir()
    report = SnapshotReport()
    if not directory.is_dir():
        return report
    # When the figures were collected is told by the snapshot's SOURCES.md, not by file
    # times (git does not keep them) nor by the day Retning loads them.
    sources = directory / "SOURCES.md"
    text = sources.read_text(encoding="utf-8") if sources.is_file() else ""
    collected = collection_date(str(sources), text).date
    report.collected = collected
    retrieved_at = dt.datetime.combine(collected, dt.time(), timezone.get_default_timezone())
    # Loading a snapshot changes neither the datasets' catalogue entries nor any code, so
    # both are looked up once rather than for each of its hundred-odd groups.
    changes = code_changes()
    datasets: dict[str, Dataset] = {}
    for path in sorted(directory.glob("*.csv")):
        raw = path.read_bytes()
        parsed = parse_snapshot_csv(path.name, raw)
        report.files.append(path.name)
        report.skipped_rows += parsed.skipped
        sha256, _ = store_raw(raw)
        for group in parsed.groups.values():
            if group.dataset not in datasets:
                datasets[group.dataset] = ensure_dataset(group.dataset)
            dataset = datasets[group.dataset]
            note = f"{group.source_note} [Retning snapshot: {path.name}; see SOURCES.md]"
            loaded = Fetch.objects.filter(
                dataset=dataset, via=Fetch.Via.SNAPSHOT, sha256=sha256, note=note
            )
            if loaded.exists():
                report.already_loaded += 1
                report.dates_corrected += loaded.exclude(retrieved_at=retrieved_at).update(
                    retrieved_at=retrieved_at
                )
                continue
            fetch = record_fetch(
                dataset,
                via=Fetch.Via.SNAPSHOT,
                records=group.records,
                raw=raw,
                raw_name=path.name,
                url=group.source_url,
                note=note,
                source=f"snapshot ({dataset.source})",
                licence=dataset.licence or "",
                retrieved_at=retrieved_at,
                changes=changes,
            )
            report.fetches += 1
            report.observations += fetch.created + fetch.changed
    return report
