"""Importing the register's bulk files and accounts into the database.

The file is read to the end before anything is written: a truncated or malformed file
raises, the failure is recorded as a failed fetch, and the previous data stays as it was.
A good file is applied in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import resource
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from retning.business.brreg import BulkFileError, BulkSummary, Kind, Unit, iter_region_units
from retning.business.brreg_accounts import Accounts, AccountsError
from retning.business.brreg_accounts import problem as accounts_problem
from retning.business.models import AnnualAccounts, RegisterUnit, UnitYear
from retning.stats.models import Fetch
from retning.stats.store import ensure_dataset, new_fetch, record_failure, store_raw

DATASET = {"enhet": "brreg-enheter", "underenhet": "brreg-underenheter"}


class _HashingReader:
    """Passes reads through while computing the sha256 of everything read."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.sha256.update(data)
        return data


@dataclass
class ImportResult:
    kind: Kind
    summary: BulkSummary
    created: int = 0
    updated: int = 0
    left_region: int = 0
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    fetch_id: int | None = None
    per_municipality: dict[str, int] = field(default_factory=dict)


def guess_kind(path: Path) -> Kind:
    return "underenhet" if "underenhet" in path.name.lower() else "enhet"


class RemovalRefusedError(BulkFileError):
    """A file or feed that would take too large a share of the region's units away."""


def check_removal(removed: int, held: int, *, force: bool = False) -> None:
    """Refuse (RemovalRefusedError) to mark more than RETNING_MAX_UNITS_REMOVED_PCT per cent of
    the `held` units in the region as gone, unless forced: a cut-off or wrong file must not
    empty the region."""
    limit = settings.RETNING_MAX_UNITS_REMOVED_PCT
    if force or not held or removed * 100 <= limit * held:
        return
    raise RemovalRefusedError(
        f"it would remove {removed:,} of the region's {held:,} units "
        f"({100 * removed / held:.0f} %, more than the {limit:g} % allowed by "
        "RETNING_MAX_UNITS_REMOVED_PCT); check the file, or run again with --force"
    )


def import_bulk_file(
    path: Path,
    kind: Kind,
    codes: Iterable[str],
    *,
    url: str = "",
    today: dt.date | None = None,
    force: bool = False,
) -> ImportResult:
    """Read the region's units from a bulk file and store them (all or nothing). A file
    without units, or one that would remove too many of the region's units (see
    `check_removal`), changes nothing and is recorded as a failed fetch."""
    started = time.perf_counter()
    dataset = ensure_dataset(DATASET[kind])
    summary = BulkSummary()
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        try:
            units = list(iter_region_units(reader, codes, kind, summary))
            while reader.read(1 << 20):  # hash whatever the parser did not need to read
                pass
            if not summary.records_read:
                raise BulkFileError("the file holds no units (an empty or cut-off download?)")
            held = set(
                RegisterUnit.objects.filter(kind=kind, in_region=True).values_list(
                    "orgnr", flat=True
                )
            )
            check_removal(len(held - {u.orgnr for u in units}), len(held), force=force)
        except BulkFileError as exc:
            record_failure(dataset, message=str(exc), url=url, raw_name=path.name)
            raise
    result = ImportResult(kind, summary, per_municipality=dict(summary.per_municipality))
    with transaction.atomic():
        fetch = new_fetch(
            dataset,
            via=Fetch.Via.REFRESH if url else Fetch.Via.IMPORT,
            url=url,
            sha256=reader.sha256.hexdigest(),
            raw_name=path.name,
            note=(
                f"{summary.records_read} records read, {summary.kept} in the region; the bulk "
                "file itself is not kept (its size), its sha256 is"
            ),
        )
        _apply(units, kind, fetch, result, today or timezone.localdate())
        Fetch.objects.filter(pk=fetch.pk).update(
            created=result.created,
            changed=result.updated,
            unchanged=summary.kept - result.created - result.updated,
        )
    result.fetch_id = fetch.pk
    result.seconds = time.perf_counter() - started
    result.peak_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


FIELDS = [
    "name", "org_form", "municipality_code", "nace", "employees", "sector_code",
    "parent_orgnr", "registered", "founded", "closed", "deleted", "in_region",
]  # fmt: skip


def unit_values(unit: Unit) -> dict:
    return {
        "name": unit.name,
        "org_form": unit.org_form,
        "municipality_code": unit.municipality_code,
        "nace": list(unit.nace),
        "employees": unit.employees,
        "sector_code": unit.sector_code,
        "parent_orgnr": unit.parent_orgnr,
        "registered": unit.registered,
        "founded": unit.founded,
        "closed": unit.closed,
        "deleted": unit.deleted,
        "in_region": True,
    }


def upsert_units(units: list[Unit], kind: Kind, fetch: Fetch, existing: dict) -> tuple[int, int]:
    """Create or update units (`existing`: the stored rows by orgnr); returns the numbers
    created and updated. Unchanged units are not written."""
    to_create, to_update = [], []
    for unit in units:
        values = unit_values(unit)
        row = existing.get(unit.orgnr)
        if row is None:
            to_create.append(RegisterUnit(kind=kind, orgnr=unit.orgnr, fetch=fetch, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.fetch = fetch
            to_update.append(row)
    RegisterUnit.objects.bulk_create(to_create, batch_size=1000)
    RegisterUnit.objects.bulk_update(to_update, [*FIELDS, "fetch"], batch_size=1000)
    return len(to_create), len(to_update)


def _apply(
    units: list[Unit], kind: Kind, fetch: Fetch, result: ImportResult, today: dt.date
) -> None:
    existing = {u.orgnr: u for u in RegisterUnit.objects.filter(kind=kind)}
    seen = {unit.orgnr for unit in units}
    result.created, result.updated = upsert_units(units, kind, fetch, existing)
    left = [row for orgnr, row in existing.items() if orgnr not in seen and row.in_region]
    for row in left:
        row.in_region = False
        row.fetch = fetch
    RegisterUnit.objects.bulk_update(left, ["in_region", "fetch"], batch_size=1000)
    result.left_region = len(left)
    # this year's picture of every unit in (or just gone from) the region
    UnitYear.objects.filter(unit__kind=kind, year=today.year).delete()
    rows = RegisterUnit.objects.filter(kind=kind, orgnr__in=seen | {r.orgnr for r in left})
    UnitYear.objects.bulk_create(
        [
            UnitYear(
                unit=row,
                year=today.year,
                municipality_code=row.municipality_code,
                nace1=row.nace1,
                employees=row.employees,
                in_region=row.in_region and row.deleted is None,
                fetch=fetch,
            )
            for row in rows
        ],
        batch_size=1000,
    )


def store_accounts(
    accounts: list[Accounts],
    *,
    raw: bytes,
    raw_name: str,
    url: str = "",
    licensed: bool = False,
) -> tuple[Fetch, int]:
    """Store accounts (a history file or API answers) as one fetch; returns it and the
    number of new or changed rows. Later answers for the same year and type replace earlier
    ones; other years stay, so a history builds up. `licensed`: the raw file is not open
    data (a licensed history) and is shown to staff with a role only.

    Accounts that cannot be stored (see `brreg_accounts.problem`) raise AccountsError
    before anything is written."""
    for acc in accounts:
        if why := accounts_problem(acc):
            raise AccountsError(f"accounts {acc.orgnr} {acc.year}: {why}")
    dataset = ensure_dataset("brreg-regnskap")
    sha256, relative = store_raw(raw)
    changed = 0
    with transaction.atomic():
        fetch = new_fetch(
            dataset,
            via=Fetch.Via.REFRESH if url else Fetch.Via.IMPORT,
            url=url,
            sha256=sha256,
            raw_path=relative,
            raw_name=raw_name,
            licence="lisensiert (ikke åpne data)" if licensed else None,
            raw_restricted=licensed,
        )
        for acc in accounts:
            revenue = None if acc.operating_revenue is None else Decimal(str(acc.operating_revenue))
            values = {
                "currency": acc.currency,
                "operating_revenue": revenue,
                "period_start": acc.period_start,
                "period_end": acc.period_end,
                "winding_up": acc.winding_up,
            }
            row = AnnualAccounts.objects.filter(
                orgnr=acc.orgnr, year=acc.year, account_type=acc.account_type
            ).first()
            if row is None:
                AnnualAccounts.objects.create(
                    orgnr=acc.orgnr,
                    year=acc.year,
                    account_type=acc.account_type,
                    fetch=fetch,
                    **values,
                )
                changed += 1
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                row.fetch = fetch
                row.save()
                changed += 1
    return fetch, changed
