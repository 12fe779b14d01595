"""Regnskapsregisteret: annual accounts, from the open API or from a licensed history file.

Pure Python (no Django). The open API (`/regnskapsregisteret/regnskap/{orgnr}`) returns
only the latest accounts of an enterprise, as a list with one entry per account type
(`SELSKAP` for the company, `KONSERN` for the group it heads). Retning keeps each year's
answer, so a history builds up; older years come from a history file the region licenses
elsewhere (`parse_history_file`).

Turnover is operating revenue (`driftsinntekter.sumDriftsinntekter`). Only company
accounts are summed: a group account repeats its members' revenue. Accounts in another
currency than NOK are kept but not summed (no exchange rate is applied silently).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from retning.core import bounds
from retning.core.orgnr import is_valid_orgnr

ACCOUNT_TYPES = ("SELSKAP", "KONSERN")


class AccountsError(Exception):
    pass


@dataclass(frozen=True)
class Accounts:
    orgnr: str
    year: int  # the calendar year in which the accounting period ends
    period_start: dt.date | None
    period_end: dt.date | None
    account_type: str  # SELSKAP | KONSERN
    currency: str
    operating_revenue: float | None
    winding_up: bool = False
    source: str = "api"  # "api" or the name of the history file


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def problem(acc: Accounts) -> str | None:
    """Why `acc` cannot be stored, or None: the one check before accounts reach the
    database, whatever they came from."""
    if not re.fullmatch(r"\d{9}", acc.orgnr):
        return f"invalid organisation number {acc.orgnr!r}"
    if not 1900 <= acc.year <= 2100:
        return f"year {acc.year} out of range"
    if acc.account_type not in ACCOUNT_TYPES:
        return f"unknown account type {acc.account_type!r} (SELSKAP or KONSERN)"
    if len(acc.currency) > 5:
        return f"invalid currency {acc.currency[:20]!r}"
    if why := bounds.problem(acc.operating_revenue, bounds.REVENUE_LIMIT):
        return f"operating revenue {why}"
    return None


def parse_api_response(payload: bytes | str | list) -> list[Accounts]:
    """The accounts in one API answer (a JSON list; an error body, or an answer that is
    not the register's format or holds a value Retning cannot store, raises AccountsError)."""
    try:
        accounts = _parse_api_response(payload)
    except (ValueError, TypeError, AttributeError) as exc:  # incl. JSONDecodeError
        raise AccountsError(f"not an accounts answer ({type(exc).__name__}: {exc})") from None
    except RecursionError:
        raise AccountsError("not an accounts answer (JSON nested too deeply)") from None
    for acc in accounts:
        if why := problem(acc):
            raise AccountsError(f"accounts {acc.orgnr} {acc.year}: {why}")
    return accounts


def _parse_api_response(payload: bytes | str | list) -> list[Accounts]:
    data = json.loads(payload) if isinstance(payload, bytes | str) else payload
    if isinstance(data, dict) and "status" in data and "error" in data:
        raise AccountsError(
            f"the accounts service answered {data.get('status')}: {data.get('error')}"
        )
    if not isinstance(data, list):
        raise AccountsError("expected a JSON list of accounts")
    accounts = []
    for entry in data:
        period = entry.get("regnskapsperiode") or {}
        end = _date(period.get("tilDato"))
        if end is None:
            raise AccountsError(f"accounts {entry.get('id')} have no period end date")
        revenue = (
            ((entry.get("resultatregnskapResultat") or {}).get("driftsresultat") or {}).get(
                "driftsinntekter"
            )
            or {}
        ).get("sumDriftsinntekter")
        accounts.append(
            Accounts(
                orgnr=str((entry.get("virksomhet") or {}).get("organisasjonsnummer", "")),
                year=end.year,
                period_start=_date(period.get("fraDato")),
                period_end=end,
                account_type=str(entry.get("regnskapstype", "")),
                currency=str(entry.get("valuta", "")),
                operating_revenue=float(revenue) if revenue is not None else None,
                winding_up=bool(entry.get("avviklingsregnskap")),
            )
        )
    return accounts


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str


HISTORY_COLUMNS = {
    "orgnr": ("organisasjonsnummer", "orgnr", "org_nr"),
    "year": ("år", "aar", "year", "regnskapsår"),
    "operating_revenue": ("driftsinntekter", "operating_revenue", "sumdriftsinntekter"),
    "account_type": ("regnskapstype", "account_type", "type"),
}


def _header_map(header: list[str]) -> dict[str, int]:
    normalised = [h.strip().lower() for h in header]
    found = {}
    for name, aliases in HISTORY_COLUMNS.items():
        for alias in aliases:
            if alias in normalised:
                found[name] = normalised.index(alias)
                break
    missing = [name for name in HISTORY_COLUMNS if name not in found and name != "account_type"]
    if missing:
        raise AccountsError(
            "missing column(s): "
            + ", ".join(f"{m} (one of: {', '.join(HISTORY_COLUMNS[m])})" for m in missing)
        )
    return found


def _number(text: str) -> float:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


def _rows(path: Path) -> list[list[str]]:
    """Every row of the file as text cells; AccountsError for a file that cannot be read."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise AccountsError(
            f"line {line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8 CSV"
        ) from None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:  # one column, or a header only: take the first separator seen
        header = text.split("\n", 1)[0]
        delimiter = next((d for d in ";\t," if d in header), ",")
        dialect = type("Header", (csv.excel,), {"delimiter": delimiter})
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise AccountsError(f"not a readable CSV file ({exc})") from None


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            return [
                ["" if cell is None else str(cell) for cell in row]
                for row in sheet.iter_rows(values_only=True)
            ]
        finally:
            book.close()
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key, value errors)
        raise AccountsError(
            f"not a readable Excel workbook ({type(exc).__name__}: {exc})"
        ) from None


def parse_history_file(path: Path) -> tuple[list[Accounts], list[RejectedRow]]:
    """Rows of a licensed accounts history (CSV or XLSX): the valid ones and, for every
    other row, its line number and why it was rejected."""
    rows = iter(_rows(path))
    try:
        columns = _header_map(next(rows))
    except StopIteration:
        raise AccountsError("the file is empty") from None
    accepted: list[Accounts] = []
    rejected: list[RejectedRow] = []
    seen: dict[tuple[str, int, str], int] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {
            name: row[index].strip() if index < len(row) else "" for name, index in columns.items()
        }
        cell = values.get
        orgnr = cell("orgnr").replace(" ", "")
        if not re.fullmatch(r"\d{9}", orgnr) or not is_valid_orgnr(orgnr):
            rejected.append(RejectedRow(line, f"invalid organisation number {orgnr!r}"))
            continue
        try:
            year = int(float(cell("year")))
        except (ValueError, OverflowError):
            rejected.append(RejectedRow(line, f"invalid year {cell('year')!r}"))
            continue
        if not 1990 <= year <= dt.date.today().year:
            rejected.append(RejectedRow(line, f"year {year} out of range"))
            continue
        try:
            revenue = _number(cell("operating_revenue"))
        except ValueError:
            rejected.append(
                RejectedRow(line, f"invalid operating revenue {cell('operating_revenue')!r}")
            )
            continue
        if why := bounds.problem(revenue, bounds.REVENUE_LIMIT):
            rejected.append(RejectedRow(line, f"operating revenue {why}"))
            continue
        account_type = (values.get("account_type") or "SELSKAP").upper()
        if account_type not in ACCOUNT_TYPES:
            rejected.append(
                RejectedRow(line, f"unknown account type {account_type!r} (SELSKAP or KONSERN)")
            )
            continue
        key = (orgnr, year, account_type)
        if key in seen:
            rejected.append(RejectedRow(line, f"duplicate of line {seen[key]}"))
            continue
        seen[key] = line
        accepted.append(
            Accounts(orgnr, year, None, None, account_type, "NOK", revenue, source=path.name)
        )
    if not accepted and not rejected:
        raise AccountsError("no rows after the header")
    return accepted, rejected


@dataclass(frozen=True)
class TurnoverYear:
    year: int
    total: float
    enterprises: int
    excluded: dict[str, int]  # reason → number of accounts left out


def regional_turnover(
    accounts: Iterable[Accounts], region_orgnrs: Mapping[str, object]
) -> list[TurnoverYear]:
    """Sum of company accounts' operating revenue per year for enterprises in the region.
    Group accounts, other currencies and accounts without revenue are counted as excluded."""
    totals: dict[int, float] = {}
    counts: dict[int, int] = {}
    excluded: dict[int, dict[str, int]] = {}
    for acc in accounts:
        if acc.orgnr not in region_orgnrs:
            continue
        reason = None
        if acc.account_type != "SELSKAP":
            reason = "group accounts (members counted instead)"
        elif acc.currency not in ("NOK", ""):
            reason = f"reported in {acc.currency}"
        elif acc.operating_revenue is None:
            reason = "no operating revenue reported"
        if reason:
            bucket = excluded.setdefault(acc.year, {})
            bucket[reason] = bucket.get(reason, 0) + 1
            continue
        totals[acc.year] = totals.get(acc.year, 0.0) + acc.operating_revenue
        counts[acc.year] = counts.get(acc.year, 0) + 1
    years = sorted(set(totals) | set(excluded))
    return [
        TurnoverYear(y, totals.get(y, 0.0), counts.get(y, 0), excluded.get(y, {})) for y in years
    ]
