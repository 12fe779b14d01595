"""`retning backup -o FILE`: the database, the data directory's files and the secret key in
one archive (retning.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from retning.core.backup import backup


class Command(BaseCommand):
    help = (
        "Write one archive with the database (every row, any database), the raw mail, "
        "responses and files of the data directory, and the secret key. Restore with "
        "`retning restore FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="the archive to write")

    def handle(self, *args, output: str, **options):
        summary = backup(Path(output))
        self.stdout.write(
            f"{summary.path}: {summary.rows} rows, {summary.files} files, {summary.bytes} bytes"
        )
