"""Returned payments: each customer's history of returns, the fee to raise for each, who must pay cash in advance,
and which returns still need their notice.

A return (a bounced cheque, a rejected debit, a stopped payment) re-opens what the receipt had paid from the day it
came back: the aging as of that day shows the invoices again, so what a return still owes is the open balance of
those invoices. The fee ([returns] fee) is proposed for every return, as a debit memo for the customer to be
charged; a customer with [returns] cash_in_advance_after returns or more in [returns] months is flagged for cash in
advance, a reason that the Credit Hold sheet also gives. Each return's notice is logged under a note ID of its own
(`note_id`), so a notice logged once is never proposed again.
"""
import datetime as dt
import uuid

import numpy as np
import pandas as pd

from ardesk.ar.accounts import amount_text, shaped
from ardesk.ar.summary import month_back
from ardesk.frames import RETURN_HISTORY
from ardesk.settings import ReturnsSettings

_NOTES = uuid.UUID("6f1f3c52-2b0e-4a55-9f0c-6d1d2c7e0a41")
"""The namespace of returned-payment notices' note IDs."""
NOTICE = "Returned payment notice"
"""How a notice's note begins."""


def history(returned: pd.DataFrame, aged: pd.DataFrame, as_of: dt.date, settings: ReturnsSettings,
            company: str = "") -> pd.DataFrame:
    """RETURNED_PAYMENTS + AGED -> RETURN_HISTORY: the returns of the `settings.months` months up to `as_of`, each
    with its customer's count, what its invoices still owe, its fee and its note ID (`company`: [erp] company);
    customers flagged for cash in advance first, then the customer with the latest return, each customer's returns
    oldest first."""
    start = pd.Timestamp(month_back(as_of, settings.months))
    day = returned["returned_on"]
    window = returned[((day > start) & (day <= pd.Timestamp(as_of))).to_numpy()].reset_index(drop=True)
    window = window.assign(invoices=[", ".join(sorted(filter(None, (i.strip() for i in text.split(","))), key=_number))
                                     for text in window["invoices"]])
    counts = window.groupby("customer_id")["customer_id"].transform("size").astype("int64")
    after = settings.cash_in_advance_after
    table = window.assign(
        returns=counts, open_cents=_still_open(window, aged), fee_cents=settings.fee_cents,
        cash_in_advance=(after > 0) & (counts >= after),
        note_id=[notice_id(company, c, r) for c, r in zip(window["customer_id"], window["receipt"])])
    latest = table.groupby("customer_id")["returned_on"].transform("max")
    table = table.assign(latest=latest).sort_values(
        ["cash_in_advance", "latest", "customer_id", "returned_on", "receipt"],
        ascending=[False, False, True, True, True], kind="stable")
    return shaped(table, RETURN_HISTORY)


def _number(doc_no: str) -> tuple:
    """Sorts document numbers as numbers where they are (10234 before 9999 is wrong), text after."""
    return (0, int(doc_no), "") if doc_no.isdigit() else (1, 0, doc_no)


def _still_open(window: pd.DataFrame, aged: pd.DataFrame) -> np.ndarray:
    """Per return, the base balance its invoices have open in `aged` (0 once they are paid again)."""
    if window.empty:
        return np.zeros(0, dtype=np.int64)
    paid = window[["customer_id", "invoices"]].assign(doc_no=window["invoices"].str.split(", ")).explode("doc_no")
    balance = aged.groupby(["customer_id", "doc_no"])["base_balance_cents"].sum()
    keys = pd.MultiIndex.from_arrays([paid["customer_id"].astype("string"), paid["doc_no"].astype("string")])
    owed = balance.reindex(keys, fill_value=0).to_numpy()
    return pd.Series(owed, index=paid.index).groupby(level=0).sum().reindex(window.index, fill_value=0).to_numpy(
        np.int64)


def notice_id(company: str, customer_id: str, receipt: str) -> str:
    """The note ID of a return's notice: one per returned receipt, whoever sends it and however often."""
    return str(uuid.uuid5(_NOTES, f"{company}/{customer_id}/{receipt}"))


def notice_text(row) -> str:
    """The text of a notice's note: "Returned payment notice: receipt 123 (cheque 456789) of 2026-10-02, 1,234.56
    returned 2026-10-09 (Insufficient funds); fee 25.00 to raise"."""
    fee = f"; fee {amount_text(int(row.fee_cents))} to raise" if row.fee_cents else ""
    return (f"{NOTICE}: receipt {row.receipt} ({row.check_ref}) of {row.received_on:%Y-%m-%d}, "
            f"{amount_text(int(row.amount_cents))} returned {row.returned_on:%Y-%m-%d} ({row.reason}){fee}")


def cash_in_advance(history: pd.DataFrame, months: int) -> pd.Series:
    """Customer ID -> why it must pay in advance, for each customer RETURN_HISTORY flags ("3 returned payments in
    12 months: cash in advance")."""
    flagged = history[history["cash_in_advance"].to_numpy(bool)].drop_duplicates("customer_id")
    return pd.Series([f"{n} returned payments in {months} months: cash in advance" for n in flagged["returns"]],
                     index=flagged["customer_id"].to_numpy(), dtype="string")


def on_hold_sheet(hold: pd.DataFrame, history: pd.DataFrame, months: int) -> pd.DataFrame:
    """CREDIT_HOLD with the cash-in-advance reason of each flagged customer it lists added to its reasons."""
    reasons = cash_in_advance(history, months)
    extra = hold["customer_id"].map(reasons)
    joined = hold["reasons"].str.removesuffix(".").str.cat(extra, sep="; ") + "."
    return hold.assign(reasons=joined.where(extra.notna(), hold["reasons"]).astype("string"))
