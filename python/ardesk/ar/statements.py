"""Statements of account: which customers get one, and what each says (the open items with a running balance, the
aging in the workbook's buckets, the total due and what is past due), in the customer's own currency.

A statement is in the currency of the documents it lists, as the customer was billed: a customer billed in two
currencies gets one statement per currency. Past due is the balance of every item more than 0 days past due,
credits included, as on the Hit List; the aging block sums the same balances by the workbook's buckets, so it
adds up to the total due.
"""
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ardesk.ar.accounts import shaped

LINES = {
    "doc_no": "string",
    "doc_type": "string",
    "doc_date": "datetime64[s]",
    "due_date": "datetime64[s]",
    "reference": "string",
    "po_number": "string",
    "amount_cents": "int64",  # the document's amount, its currency
    "balance_cents": "int64",  # what is open of it; credits negative
    "running_cents": "int64",  # the balance of this line and every line above it
    "days_past_due": "int64",
}
"""A statement's lines: the customer's open items of one currency, oldest first (by date, then number)."""

NO_STATEMENTS = "Takes no statements (set in the ERP)"
NOTHING_OPEN = "Nothing open"


@dataclass(frozen=True)
class Statement:
    customer_id: str
    customer_name: str
    currency: str
    lines: pd.DataFrame
    """LINES."""
    aging: tuple[tuple[str, int], ...]
    """(bucket label, cents) for every bucket of the workbook, in order, empty ones included."""
    total_cents: int
    past_due_cents: int


def chosen(aged: pd.DataFrame, contacts: pd.DataFrame, named: Sequence[str] | None) -> tuple[list[str], pd.DataFrame]:
    """(the customers to send statements to, in customer order; those left out, with the reason: customer_id,
    reason). With `named` (customer IDs), those customers, whatever the ERP says about statements; without
    (every customer), those the ERP does not flag as taking none. A customer with nothing open gets none."""
    open_ids = set(aged["customer_id"])
    if named is None:
        refusing = set(contacts.loc[contacts["no_statements"].astype(bool), "customer_id"])
        candidates = sorted(open_ids | refusing)
        reasons = {c: NO_STATEMENTS for c in refusing}
    else:
        candidates, reasons = list(dict.fromkeys(named)), {}
    reasons |= {c: NOTHING_OPEN for c in candidates if c not in open_ids and c not in reasons}
    left_out = pd.DataFrame({"customer_id": list(reasons), "reason": list(reasons.values())}, dtype="string")
    return [c for c in candidates if c not in reasons], left_out.sort_values("customer_id", ignore_index=True)


def statements(aged: pd.DataFrame, customers: Sequence[str]) -> list[Statement]:
    """One Statement per customer of `customers` (in that order) and currency it has open items in (AGED)."""
    labels = [str(label) for label in aged["bucket"].cat.categories]
    order = {customer: n for n, customer in enumerate(customers)}
    wanted = aged[aged["customer_id"].isin(order)].assign(_order=lambda f: f["customer_id"].map(order))
    wanted = wanted.sort_values(["_order", "currency", "doc_date", "doc_no"], kind="stable")
    keys = [wanted["customer_id"], wanted["currency"]]
    lines = shaped(wanted.assign(running_cents=wanted.groupby(keys, sort=False)["balance_cents"].cumsum()), LINES)
    late = wanted["balance_cents"].where(wanted["days_past_due"] > 0, 0)
    totals = pd.DataFrame({"total": wanted["balance_cents"], "late": late}).groupby(keys, sort=False).sum()
    by_bucket = wanted.pivot_table(index=["customer_id", "currency"], columns="bucket", values="balance_cents",
                                   aggfunc="sum", fill_value=0, observed=False).reindex(columns=labels, fill_value=0)
    names = wanted.groupby(keys, sort=False)["customer_name"].agg(lambda n: next((x for x in n if x), ""))
    starts = np.flatnonzero(np.r_[True, (wanted["customer_id"].to_numpy()[1:] != wanted["customer_id"].to_numpy()[:-1])
                                  | (wanted["currency"].to_numpy()[1:] != wanted["currency"].to_numpy()[:-1])])
    ends = np.r_[starts[1:], len(wanted)]
    found = []
    for (customer, currency), first, last in zip(totals.index, starts, ends):
        buckets = by_bucket.loc[(customer, currency)]
        found.append(Statement(
            customer_id=customer, customer_name=names[(customer, currency)], currency=currency,
            lines=lines.iloc[first:last].reset_index(drop=True),
            aging=tuple((label, int(buckets[label])) for label in labels),
            total_cents=int(totals.loc[(customer, currency), "total"]),
            past_due_cents=int(totals.loc[(customer, currency), "late"]),
        ))
    return found
