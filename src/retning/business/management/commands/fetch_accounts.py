"""`retning fetch-accounts`: the latest accounts of every enterprise in the region."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from retning.business.accounts_api import fetch_latest_accounts
from retning.business.brreg_accounts import AccountsError
from retning.business.importing import store_accounts
from retning.business.models import RegisterUnit


class Command(BaseCommand):
    help = "Fetch the latest annual accounts of the region's enterprises (Regnskapsregisteret)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency", type=int, default=settings.RETNING_REGNSKAP_CONCURRENCY
        )

    def handle(self, *args, concurrency: int, **options):
        orgnrs = list(
            RegisterUnit.objects.filter(
                kind="enhet", in_region=True, deleted__isnull=True
            ).values_list("orgnr", flat=True)
        )
        if not orgnrs:
            raise CommandError("no enterprises in the region yet: run `retning import-brreg` first")
        result = fetch_latest_accounts(
            orgnrs, settings.RETNING_REGNSKAP_URL, concurrency=concurrency
        )
        raw = "\n".join(
            json.dumps(
                {"orgnr": orgnr, "answer": answer.decode("utf-8", "replace")}, ensure_ascii=False
            )
            for orgnr, answer in sorted(result.answers.items())
        ).encode()
        name = f"regnskap-{timezone.localdate():%Y-%m-%d}.jsonl"
        try:
            fetch, changed = store_accounts(
                result.accounts, raw=raw, raw_name=name, url=settings.RETNING_REGNSKAP_URL
            )
        except AccountsError as exc:
            raise CommandError(f"{name}: {exc} — nothing was stored") from None
        counts = [
            f"{len(orgnrs)} enterprises, {result.requests} requests:",
            f"{len(result.accounts)} accounts ({changed} new or changed),",
            f"{len(result.without_accounts)} without accounts,",
            f"{len(result.failures)} failed; fetch {fetch.pk}",
        ]
        self.stdout.write(" ".join(counts))
        for orgnr, message in sorted(result.failures.items()):
            self.stderr.write(f"{orgnr}: {message}")
        if result.failures:
            raise CommandError(
                f"{len(result.failures)} enterprise(s) could not be fetched", returncode=1
            )
