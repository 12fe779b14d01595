"""`retning import-accounts FILE`: a licensed accounts history (CSV or XLSX)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from retning.business.importing import store_accounts
from retning.stats.sources.brreg_accounts import AccountsError, parse_history_file


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
            raise CommandError(f"{path.name}: {exc}") from None
        fetch, changed = store_accounts(accepted, raw=path.read_bytes(), raw_name=path.name)
        self.stdout.write(
            f"{path.name}: {len(accepted)} rows accepted ({changed} new or changed), "
            f"{len(rejected)} rejected; fetch {fetch.pk}"
        )
        for row in rejected:
            self.stderr.write(f"{path.name}:{row.line}: {row.reason}")
