"""The general ledger's side of the close: the receivables control accounts' balance at the end of a day, and what
the ERP knows of why it differs from that day's aging (documents that reached the GL on another day, journal
entries typed into the accounts, invoices not posted at all).

Read over one connection with the profile's gl_* queries; the general ledger's table is checked here rather than
with the profile's tables, so that a login that may read the receivables but not the ledger still refreshes
its workbooks.
"""
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ardesk.erp import profile as profiles, writer
from ardesk.erp.dialect import render
from ardesk.erp.odbc import check_tables, connect, dialect_of
from ardesk.money import cents_from_decimal
from ardesk.settings import ErpSettings

TABLE = "Erp.GLJrnDtl"
READ_ACCOUNTS = ("gl_balance", "gl_entries")
"""The queries that read the control accounts, which they bind as one JSON document (ardesk.erp.writer)."""


@dataclass(frozen=True)
class Ledger:
    """The receivables control accounts on one day, amounts in base-currency cents."""

    balance_cents: int  # debit less credit
    timing: pd.DataFrame  # customer_id, doc_no, doc_date, gl_date, amount_cents: each side of the day in one ledger
    entries: pd.DataFrame  # journal, date, description, amount_cents (debit less credit): typed into the accounts
    unposted: pd.DataFrame  # customer_id, doc_no, doc_date, amount_cents: dated by the day, posted nowhere


def read(erp: ErpSettings, day: dt.date, accounts: tuple[str, ...]) -> Ledger:
    """The ledger of the receivables control `accounts` at the end of `day`."""
    ((balance,),), timing, entries, unposted = _rows(erp, day, accounts,
                                                     ("gl_balance", "gl_timing", "gl_entries", "unposted"))
    return Ledger(
        _cents(balance),
        pd.DataFrame({"customer_id": [str(r[0]) for r in timing], "doc_no": [str(r[1]) for r in timing],
                      "doc_date": [_day(r[2]) for r in timing], "gl_date": [_day(r[3]) for r in timing],
                      "amount_cents": [_cents(r[4]) for r in timing]}),
        pd.DataFrame({"journal": [f"{r[0]} {r[1]}/{r[2]}" for r in entries], "date": [_day(r[3]) for r in entries],
                      "description": [str(r[4]) for r in entries], "amount_cents": [_cents(r[5]) for r in entries]}),
        pd.DataFrame({"customer_id": [str(r[0]) for r in unposted], "doc_no": [str(r[1]) for r in unposted],
                      "doc_date": [_day(r[2]) for r in unposted], "amount_cents": [_cents(r[3]) for r in unposted]}),
    )


def balance(erp: ErpSettings, day: dt.date, accounts: tuple[str, ...]) -> int:
    """The balance of `accounts` at the end of `day`, debit less credit in base-currency cents (the allowance for
    doubtful accounts, a credit balance, is negative)."""
    ((total,),), = _rows(erp, day, accounts, ("gl_balance",))
    return _cents(total)


def _rows(erp: ErpSettings, day: dt.date, accounts: tuple[str, ...], queries: tuple[str, ...]) -> list[list]:
    """Each query's rows over one connection, the accounts bound as one JSON document where a query reads them."""
    profile = profiles.load(erp.profile)
    values = {"as_of": day.isoformat(), "company": erp.company}
    listed = [{"account": account} for account in accounts]
    with connect(erp) as conn:
        dialect = dialect_of(conn)
        check_tables(conn, [TABLE], profile.name, dialect)

        def rows(query: str) -> list:
            if query in READ_ACCOUNTS:
                return writer.execute(conn.cursor(), profile, query, dialect, listed, into="accounts",
                                      **values).fetchall()
            return conn.execute(render(profile.query(query), dialect), profile.parameters(query, values)).fetchall()

        return [rows(query) for query in queries]


def _cents(value) -> int:
    return cents_from_decimal(Decimal(str(value or 0)))


def _day(value) -> dt.date:
    """A date from the driver: a date from most, text from SQLite's."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
