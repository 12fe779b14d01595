"""Reading the business register and the annual accounts: the way goal recipes get them.

Kept beside the models so that recipes (`retning.goals.recipes`) never query the register
tables themselves.
"""

from __future__ import annotations

from collections.abc import Iterable

from retning.business.brreg_accounts import Accounts
from retning.business.models import AnnualAccounts, RegisterUnit


def region_enterprises() -> dict[str, str]:
    """Organisation number → municipality code of every enterprise (not sub-unit) with its
    business address in the region."""
    return dict(
        RegisterUnit.objects.filter(kind="enhet", in_region=True).values_list(
            "orgnr", "municipality_code"
        )
    )


def accounts_of(orgnrs: Iterable[str]) -> tuple[list[Accounts], dict[tuple[str, int], str]]:
    """The stored annual accounts of these organisations as the parser's `Accounts`, and
    the fetch id behind each (organisation number, year)."""
    rows = AnnualAccounts.objects.filter(orgnr__in=list(orgnrs))
    accounts = [
        Accounts(r.orgnr, r.year, r.period_start, r.period_end, r.account_type, r.currency,
                 float(r.operating_revenue) if r.operating_revenue is not None else None)
        for r in rows
    ]  # fmt: skip
    return accounts, {(r.orgnr, r.year): str(r.fetch_id) for r in rows}


def deleted_or_closed(orgnrs: Iterable[str]) -> list[RegisterUnit]:
    """Units of these organisations that Enhetsregisteret shows as deleted or closed."""
    return list(
        RegisterUnit.objects.filter(orgnr__in=list(orgnrs))
        .exclude(deleted=None, closed=None)
        .order_by("orgnr", "kind")
    )
