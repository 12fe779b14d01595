"""Annual accounts: the API's answers, a licensed history file, and the turnover sum."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from retning.business.brreg_accounts import (
    Accounts,
    AccountsError,
    parse_api_response,
    parse_history_file,
    regional_turnover,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "brreg" / "regnskap"


def test_api_answer_gives_year_type_currency_and_revenue():
    [accounts] = parse_api_response((FIXTURES / "brreg_regnskap_923609016.json").read_bytes())
    assert (accounts.orgnr, accounts.year, accounts.account_type) == ("923609016", 2025, "SELSKAP")
    assert accounts.currency == "USD"
    assert accounts.operating_revenue == 67956000000.0


def test_non_calendar_year_counts_in_the_year_it_ends():
    [accounts] = parse_api_response((FIXTURES / "brreg_regnskap_939319891.json").read_bytes())
    assert str(accounts.period_start) == "2024-06-01" and accounts.year == 2025


def test_winding_up_accounts_without_revenue():
    [accounts] = parse_api_response((FIXTURES / "brreg_regnskap_998575133.json").read_bytes())
    assert accounts.winding_up and accounts.operating_revenue is None


def test_error_body_is_a_clear_error():
    with pytest.raises(AccountsError, match="answered 500"):
        parse_api_response((FIXTURES / "brreg_regnskap_500.json").read_bytes())


def test_history_csv_with_rejected_rows_reported_by_line(tmp_path):
    path = tmp_path / "synthetic_regnskapshistorikk.csv"
    path.write_text(
        "organisasjonsnummer;år;driftsinntekter;regnskapstype\n"
        "923609016;2016;1 000 000;SELSKAP\n"  # line 2: ok (space as thousands separator)
        "923609017;2016;5;SELSKAP\n"  # line 3: bad check digit
        "974760673;seksten;5;SELSKAP\n"  # line 4: bad year
        "974760673;2016;mye;SELSKAP\n"  # line 5: bad revenue
        "974760673;2016;250,5;KONSERN\n"  # line 6: ok, decimal comma
        "923609016;2016;1;SELSKAP\n"  # line 7: duplicate of line 2
        "974760673;2016;7;FILIAL\n",  # line 8: unknown type
        encoding="utf-8",
    )
    accepted, rejected = parse_history_file(path)
    assert [(a.orgnr, a.year, a.operating_revenue, a.account_type) for a in accepted] == [
        ("923609016", 2016, 1_000_000.0, "SELSKAP"),
        ("974760673", 2016, 250.5, "KONSERN"),
    ]
    assert [(r.line, r.reason.split(" ")[0]) for r in rejected] == [
        (3, "invalid"),
        (4, "invalid"),
        (5, "invalid"),
        (7, "duplicate"),
        (8, "unknown"),
    ]
    assert rejected[3].reason == "duplicate of line 2"


def test_history_xlsx_is_read(tmp_path):
    path = tmp_path / "synthetic_regnskapshistorikk.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["Organisasjonsnummer", "År", "Driftsinntekter"])
    sheet.append(["923609016", 2017, 1234.5])
    book.save(path)
    accepted, rejected = parse_history_file(path)
    assert [(a.orgnr, a.year, a.operating_revenue, a.account_type) for a in accepted] == [
        ("923609016", 2017, 1234.5, "SELSKAP")
    ]
    assert rejected == []


def test_history_without_revenue_column_is_refused(tmp_path):
    path = tmp_path / "synthetic.csv"
    path.write_text("orgnr,year\n923609016,2016\n", encoding="utf-8")
    with pytest.raises(AccountsError, match=r"missing column.*operating_revenue"):
        parse_history_file(path)


def test_turnover_sums_company_accounts_only():
    accounts = [
        Accounts("923609016", 2016, None, None, "SELSKAP", "NOK", 100.0),
        Accounts("974760673", 2016, None, None, "SELSKAP", "NOK", 50.0),
        # the group headed by 923609016 repeats its members' revenue: not added on top
        Accounts("923609016", 2016, None, None, "KONSERN", "NOK", 400.0),
        Accounts("911111111", 2016, None, None, "SELSKAP", "NOK", 9999.0),  # outside the region
        Accounts("974760673", 2017, None, None, "SELSKAP", "USD", 70.0),
    ]
    region = {"923609016": "3401", "974760673": "3415"}
    y2016, y2017 = regional_turnover(accounts, region)
    assert (y2016.year, y2016.total, y2016.enterprises) == (2016, 150.0, 2)
    assert y2016.excluded == {"group accounts (members counted instead)": 1}
    assert (y2017.total, y2017.excluded) == (0.0, {"reported in USD": 1})
