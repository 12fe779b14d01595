"""`retning import-brreg [FILE …]`: the region's units from Enhetsregisteret's bulk files.

Without FILE, today's files for enterprises and establishments are downloaded from the
register (streamed to the data directory, then read).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from retning.business.brreg import BulkFileError
from retning.business.importing import guess_kind, import_bulk_file
from retning.business.updates import apply_updates
from retning.stats.config import client_from_settings
from retning.stats.http import USER_AGENT
from retning.strategy.selectors import current_strategy, region_members

DOWNLOADS = {"enhet": "enheter/lastned", "underenhet": "underenheter/lastned"}


class Command(BaseCommand):
    help = "Import the region's enterprises and establishments from the register's bulk files."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE", help="gzip JSON bulk file(s)")
        parser.add_argument(
            "--kind", choices=["enhet", "underenhet"], help="default: from the file name"
        )
        parser.add_argument(
            "--updates",
            action="store_true",
            help="apply the register's update feed since the last import instead of a full file",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="apply a file or feed even if it removes more of the region's units than "
            "RETNING_MAX_UNITS_REMOVED_PCT allows",
        )

    def handle(
        self, *args, files: list[str], kind: str | None, updates: bool, force: bool, **options
    ):
        strategy = current_strategy()
        names = {code: m.name for m, code in region_members(strategy.region)}
        codes = list(names)
        if updates:
            self._updates(codes, [kind] if kind else ["enhet", "underenhet"], force)
            return
        jobs: list[tuple[Path, str, str]] = []
        if files:
            for name in files:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"{path}: no such file")
                jobs.append((path, kind or guess_kind(path), ""))
        else:
            for unit_kind, suffix in DOWNLOADS.items():
                url = f"{settings.RETNING_BRREG_URL.rstrip('/')}/{suffix}"
                jobs.append((self._download(url), unit_kind, url))
        for number, (path, unit_kind, url) in enumerate(jobs):
            try:
                result = import_bulk_file(path, unit_kind, codes, url=url, force=force)
            except BulkFileError as exc:
                done = f" (the {number} file(s) before it were imported)" if number else ""
                raise CommandError(
                    f"{path.name}: {exc} — nothing was changed by this file{done}"
                ) from None
            s = result.summary
            self.stdout.write(
                f"{path.name} ({unit_kind}): {s.records_read:,} records read, {s.kept:,} kept "
                f"({result.created} new, {result.updated} changed, {result.left_region} no longer "
                f"in the region) in {result.seconds:.1f} s, "
                f"peak memory {result.peak_memory_mb:.0f} MB"
            )
            for code, count in sorted(result.per_municipality.items()):
                self.stdout.write(f"  {code} {names.get(code, '')}: {count:,}")

    def _updates(self, codes: list[str], kinds: list[str], force: bool) -> None:
        client = client_from_settings()
        client.min_interval = 0.1
        for unit_kind in kinds:
            try:
                s = apply_updates(unit_kind, settings.RETNING_BRREG_URL, codes, client, force=force)
            except BulkFileError as exc:
                raise CommandError(f"{unit_kind}: {exc} — nothing was changed") from None
            self.stdout.write(
                f"{unit_kind}: {s.updates} updates since the last run, {s.fetched} units fetched, "
                f"{s.stored} stored, {s.deleted} deleted, {s.left_region} left the region "
                f"(up to {s.last_date})"
            )

    def _download(self, url: str) -> Path:
        target = Path(
            tempfile.mkstemp(prefix="brreg-", suffix=".json.gz", dir=settings.DATA_DIR)[1]
        )
        self.stdout.write(f"downloading {url}")
        try:
            with httpx.stream(
                "GET",
                url,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "application/gzip",
                },
                timeout=httpx.Timeout(120, connect=10),
                follow_redirects=True,
            ) as response:
                response.raise_for_status()
                with target.open("wb") as handle:
                    for chunk in response.iter_bytes(1 << 20):
                        handle.write(chunk)
        except httpx.HTTPError as exc:
            target.unlink(missing_ok=True)
            raise CommandError(f"Brønnøysund: could not download {url}: {exc}") from None
        return target
