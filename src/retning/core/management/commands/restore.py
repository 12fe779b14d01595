"""`retning restore FILE [--force]`: load a `retning backup` archive into this database and
data directory (retning.core.backup)."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from retning.core.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Restore a `retning backup` archive: checks it whole, migrates the database, then "
        "loads every row and file. Refuses a database or data directory that holds data "
        "unless --force (which replaces it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace what the database and data directory hold now",
        )

    def handle(self, *args, archive: str, force: bool, **options):
        try:
            manifest = read_manifest(Path(archive))
            call_command("migrate", verbosity=0, interactive=False)
            result = restore(Path(archive), force=force, manifest=manifest)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(
            f"{archive}: restored {result['rows']} rows and {result['files']} files "
            f"(backup of {manifest['created_at']}, {manifest['database_vendor']})"
        )
        if manifest["settings"].get("secret_key_from_environment"):
            self.stdout.write(
                "the backed-up site took its secret key from RETNING_SECRET_KEY: set the same "
                "value here, or signed links and sessions will not be valid"
            )
