"""The column contracts passed between layers.

Every reader (an ERP profile, an export file) produces an OPEN_ITEMS frame; ar/ functions take and return
frames named here. Money is integer cents (int64) in columns ending in `_cents`: exact, fast to sum, and
converted to a decimal amount only at the edges (a cell, a JSON number).
"""
import numpy as np
import pandas as pd

DOC_TYPES = ("INV", "CM", "PAY", "DM")
"""Invoice, credit memo, unapplied payment (cash on account), debit memo."""

OPEN_ITEMS = {
    "customer_id": "string",
    "customer_name": "string",
    "doc_no": "string",
    "doc_type": "string",
    "doc_date": "datetime64[s]",
    "due_date": "datetime64[s]",
    "currency": "string",
    "amount_cents": "int64",  # original document amount, document currency
    "balance_cents": "int64",  # open balance, document currency; credits negative
    "base_balance_cents": "int64",  # open balance in the base currency, at the ERP's rate
    "terms": "string",
    "sales_rep": "string",
    "collector": "string",
    "reference": "string",
    "po_number": "string",
    "credit_limit_cents": "int64",  # base currency; 0 means unlimited, as in Epicor
}
"""One row per open document."""

OPTIONAL_TEXT = ("terms", "sales_rep", "collector", "reference", "po_number")
"""Columns a source may leave out; they become empty strings."""

AGED = {**OPEN_ITEMS, "days_past_due": "int64", "bucket": "category"}
"""OPEN_ITEMS plus the aging: days past due (negative when not yet due) and the ordered bucket label."""


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the OPEN_ITEMS columns of `frame` in contract order and dtypes (missing optionals filled)."""
    out = {}
    for name, dtype in OPEN_ITEMS.items():
        if name in frame:
            column = frame[name]
        elif name in OPTIONAL_TEXT:
            column = pd.Series("", index=frame.index)
        elif name == "credit_limit_cents":
            column = pd.Series(0, index=frame.index)
        else:
            raise KeyError(f"open items lack the column {name!r}")
        if dtype == "string":
            column = column.astype("string").fillna("")
        out[name] = column.astype(dtype)
    return pd.DataFrame(out).reset_index(drop=True)


def cents_to_amount(cents) -> np.ndarray:
    """Cents as float amounts for a cell or a JSON number: exact to the cent for any ERP-sized total."""
    return np.asarray(cents, dtype=np.int64) / 100.0
