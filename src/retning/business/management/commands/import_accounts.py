"""`retning import-accounts FILE`: a licensed accounts history (CSV or XLSX).

All or nothing: a file with any rejected row is refused as a whole (every rejected row is
listed with its line), so a corrected file can simply be imported again.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retning.business.brreg_accounts import AccountsError, parse_history_file
from retning.business.importing import store_accounts


class Command(BaseCommand):
    help = "Import annual accounts (organisation number, year, operating revenue, account type)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            accepted, rejected = parse_history_file(path)
        except AccountsError as exc:
            raise CommandError(f"{path.name}: {exc} — nothing was imported") from None
        if rejected:
            for row in rejected:
                self.stderr.write(f"{path.name}:{row.line}: {row.reason}")
            raise CommandError(
                f"{path.name}: {len(rejected)} of {len(accepted) + len(rejected)} rows rejected "
                "(listed above) — nothing was imported; correct the file and import it again"
            )
        try:
            fetch, changed = store_accounts(
                accepted, raw=path.read_bytes(), raw_name=path.name, licensed=True
            )
        except AccountsError as exc:
            raise CommandError(f"{path.name}: {exc} — nothing was imported") from None
        self.stdout.write(
            f"{path.name}: {len(accepted)} rows accepted ({changed} new or changed); "
            f"fetch {fetch.pk}"
        )
