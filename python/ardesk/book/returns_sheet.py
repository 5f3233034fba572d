"""The aging workbook's Returned Payments sheet: each customer's returns of the window under a heading that says how
many and whether the customer now pays in advance, with the fee to raise for each (ardesk.ar.returns)."""
import datetime as dt

import pandas as pd

from ardesk.book.columns import DATE, MONEY, TEXT, Column
from ardesk.book.lists import Report

SHEET = "Returned Payments"
COLUMNS = (
    Column("Returned On", "returned_on", DATE),
    Column("Receipt", "receipt", TEXT),
    Column("Received On", "received_on", DATE),
    Column("Reference", "check_ref", TEXT),
    Column("Reason", "reason", TEXT),
    Column("Invoices Re-opened", "invoices", TEXT),
    Column("Amount", "amount_cents", MONEY),
    Column("Still Open", "open_cents", MONEY),
    Column("Fee to Raise", "fee_cents", MONEY),
)


def report(history: pd.DataFrame, months: int, base_currency: str, as_of: dt.date) -> Report:
    """RETURN_HISTORY as titled groups, one per customer, in its order."""
    groups = tuple((_heading(rows, months), rows) for _, rows in history.groupby("customer_id", sort=False))
    return Report("Returned payments",
                  f"Payments returned unpaid in the {months} months to {as_of.isoformat()}; the fee is a debit memo to "
                  f"raise for each; amounts in {base_currency}.", COLUMNS, groups, grand_total=True)


def _heading(rows: pd.DataFrame, months: int) -> str:
    first = rows.iloc[0]
    count = f"{len(rows)} return{'s' if len(rows) != 1 else ''} in {months} months"
    flag = ": cash in advance" if first["cash_in_advance"] else ""
    return f"{first['customer_id']} {first['customer_name']}: {count}{flag}".replace("  ", " ")
