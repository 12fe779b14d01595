"""`retning import-data FILE [--url URL] [--note TEXT]`: read in a file downloaded by hand."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retning.stats.importing import import_file
from retning.stats.sources.base import SourceError


class Command(BaseCommand):
    help = (
        "Import a file downloaded by hand (SSB JSON-stat 2, NAV HL060 or Miljødirektoratet "
        "XLSX, or CSV in Retning's long format) with full provenance."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--url", default="", help="where the file was downloaded from")
        parser.add_argument("--note", default="", help="a note on the source, kept with the data")

    def handle(self, *args, file: Path, url: str, note: str, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file", returncode=2)
        try:
            fetches = import_file(file, url=url, note=note)
        except SourceError as exc:
            raise CommandError(str(exc), returncode=2) from None
        for fetch in fetches:
            self.stdout.write(
                f"{file.name} → {fetch.dataset.slug}: fetch {fetch.pk}, {fetch.created} new, "
                f"{fetch.changed} changed, {fetch.unchanged} unchanged"
            )
