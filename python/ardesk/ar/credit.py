"""The Credit Hold sheet: which customers to put on hold and why, and who is held already.

Reasons, "; "-joined into one sentence:
- a debt (invoice or debit memo) more than `hold_days_beyond_terms` days past its due date: terms are due
  dates, so this ignores the aging basis;
- balance plus open orders over the credit limit, when there is one (0 = unlimited, as in Epicor).
A customer already held in the ERP is never recommended again: "Recommend release" when it now qualifies (balance
plus open orders within the limit, no debt more than `release_days_beyond_terms` past due), else "On hold" with
whatever reasons apply. e.g. "Invoice 123 is 47 days past due (limit 30), and 2 more are past the limit; Balance
12,345.67 plus open orders 2,000.00 exceeds the credit limit 10,000.00."

Order, by what is at stake: recommended holds of customers with orders waiting first (the largest orders first:
a hold stops them), then those over their limit (the largest excess first), then the rest (largest balance
first; a hold still stops future orders); then recommended releases (orders waiting first), then the held.
The customer's credit limit, hold flag and open orders come from CUSTOMERS; customers with open items
but no CUSTOMERS row are taken from their items (see customers_from_items).
"""
import datetime as dt
import uuid

import numpy as np
import pandas as pd

from ardesk.ar.accounts import among, amount_text, balance_by_customer, debts, first_text, oldest, shaped
from ardesk.ar.aging import days_past_due
from ardesk.frames import CREDIT_HOLD, CUSTOMERS
from ardesk.settings import ReportSettings

RECOMMEND = "Recommend hold"
RELEASE = "Recommend release"
HELD = "On hold"
HELD_ONLY = "On hold in the ERP."
"""The reason shown for a held customer when no other reason applies."""
DOC_NAMES = {"INV": "Invoice", "DM": "Debit memo"}
_NOTES = uuid.UUID("8d7f3a52-1c4e-4b0a-9f6e-3e2b7c1d5a90")
"""The namespace of the IDs of the notes that log a hold set or lifted."""


def customers_from_items(items: pd.DataFrame) -> pd.DataFrame:
    """OPEN_ITEMS -> CUSTOMERS for sources without a customer list (an export file).

    Not on hold (and never was), never reviewed, no open orders, the highest credit limit any of the customer's items
    carries.
    """
    table = first_text(items, ("customer_name", "sales_rep", "collector", "terms"))
    table["credit_limit_cents"] = items.groupby("customer_id", sort=True)["credit_limit_cents"].max()
    return shaped(table.assign(credit_hold=False, open_orders_cents=0, credit_hold_date=pd.NaT,
                               credit_hold_source="", credit_review_date=pd.NaT).reset_index(), CUSTOMERS)


def credit_hold(aged: pd.DataFrame, customers: pd.DataFrame, as_of: dt.date,
                reports: ReportSettings) -> pd.DataFrame:
    """AGED + CUSTOMERS -> CREDIT_HOLD: recommended holds first, then held customers, each by balance descending."""
    unlisted = customers_from_items(aged[~among(aged["customer_id"], customers["customer_id"])])
    table = pd.concat([shaped(customers, CUSTOMERS), unlisted]).set_index("customer_id")
    days = days_past_due(aged["due_date"], as_of)
    table["balance_cents"] = balance_by_customer(aged).reindex(table.index, fill_value=0)
    past_due = pd.Series(np.where(debts(aged, days, 0), days, 0), index=aged.index)
    table["max_days_past_due"] = past_due.groupby(aged["customer_id"]).max().reindex(table.index, fill_value=0)
    late = debts(aged, days, reports.hold_days_beyond_terms)
    table = table.join(oldest(aged, late, days).add_prefix("late_"))
    table["late_count"] = pd.Series(late, index=aged.index).groupby(aged["customer_id"]).sum()
    exposure = table["balance_cents"] + table["open_orders_cents"]
    unlimited = table["credit_limit_cents"] <= 0
    table["over_limit"] = ~unlimited & (exposure > table["credit_limit_cents"])
    behind = pd.Series(debts(aged, days, reports.release_days_beyond_terms), index=aged.index)
    still_behind = behind.groupby(aged["customer_id"]).any().reindex(table.index, fill_value=False)
    release = table["credit_hold"] & ~table["over_limit"] & ~still_behind
    table = table[table["credit_hold"] | table["over_limit"] | table["late_doc_no"].notna()]
    release = release[table.index]
    reasons = [_release_reason(row, reports.release_days_beyond_terms) if freed else
               _reasons(row, reports.hold_days_beyond_terms) for row, freed in zip(table.itertuples(), release)]
    status = np.where(release, RELEASE, np.where(table["credit_hold"], HELD, RECOMMEND))
    excess = np.where(table["over_limit"], exposure[table.index] - table["credit_limit_cents"], 0)
    table = table.assign(reasons=reasons, status=status, rank=np.select(
        [status == RECOMMEND, status == RELEASE], [0, 1], 2), waiting=table["open_orders_cents"] > 0,
        excess=excess).reset_index()
    table = table.sort_values(["rank", "waiting", "open_orders_cents", "excess", "balance_cents", "customer_id"],
                              ascending=[True, False, False, False, False, True], kind="stable")
    return shaped(table, CREDIT_HOLD)


def _release_reason(row, grace_days: int) -> str:
    """Why a held customer may be released."""
    orders = f" plus open orders {amount_text(row.open_orders_cents)}" if row.open_orders_cents else ""
    limit = ("no credit limit" if row.credit_limit_cents <= 0 else
             f"within the credit limit {amount_text(row.credit_limit_cents)}")
    return (f"Paid down: balance {amount_text(row.balance_cents)}{orders}, {limit}, and nothing more than "
            f"{grace_days} days past due.")


def _reasons(row, limit_days: int) -> str:
    """Every reason that applies to one customer."""
    reasons = []
    if pd.notna(row.late_doc_no):
        others = int(row.late_count) - 1
        late = f"{DOC_NAMES[row.late_doc_type]} {row.late_doc_no} is {int(row.late_days)} days past due"
        more = f", and {others} more {'is' if others == 1 else 'are'} past the limit" if others else ""
        reasons.append(f"{late} (limit {limit_days}){more}")
    if row.over_limit:
        orders = f" plus open orders {amount_text(row.open_orders_cents)}" if row.open_orders_cents else ""
        reasons.append(f"Balance {amount_text(row.balance_cents)}{orders} exceeds the credit limit "
                       f"{amount_text(row.credit_limit_cents)}")
    return "; ".join(reasons) + "." if reasons else HELD_ONLY


HOLD = "Hold"
LIFT = "Release"
ACTIONS = {RECOMMEND: HOLD, RELEASE: LIFT}
"""What approving a Credit Hold row does, by the status the sheet showed."""


def approved_changes(approved: pd.DataFrame, today: pd.DataFrame) -> pd.DataFrame:
    """The holds and releases approved on the Credit Hold sheet, checked against today's CREDIT_HOLD.

    `approved`: customer_id, status (as the sheet showed it) and comment, one row per approval. -> customer_id,
    action (HOLD, LIFT or "") and refusal ("" when the change goes ahead). An approval goes ahead only while today's
    recommendation is still the one approved: a customer who paid down since is not held, one who fell behind again
    is not released, each refused with today's reasons; a customer someone else held or released since is left
    to the write (it finds the flag already set)."""
    now = today.drop_duplicates("customer_id").set_index("customer_id").reindex(approved["customer_id"])
    action = approved["status"].map(ACTIONS).fillna("").to_numpy(dtype=object)
    status_now = now["status"].fillna("").to_numpy(dtype=object)
    refusal = np.select(
        [action == "", (action == HOLD) & (status_now == ""), (action == HOLD) & (status_now == RELEASE),
         (action == LIFT) & (status_now == HELD)],
        ["the sheet recommended nothing for it to approve",
         "it no longer qualifies for a hold (paid down, or within its limit): refresh to see it",
         "it is on hold already, and now qualifies for release",
         "it no longer qualifies for release: " + now["reasons"].fillna("").to_numpy(dtype=object)], "")
    return pd.DataFrame({"customer_id": approved["customer_id"].to_numpy(), "action": action,
                         "refusal": refusal}).astype({"customer_id": "string", "action": "string",
                                                      "refusal": "string"})


def hold_note_id(company: str, customer_id: str, action: str, day: dt.date) -> str:
    """The ID of the note that logs a hold set or lifted: the same for every run that makes this change on this day
    (a re-run, or a run at the same moment), so the ERP records it once."""
    return str(uuid.uuid5(_NOTES, f"{company}/{customer_id}/{action}/{day:%Y-%m-%d}"))


def hold_note_text(action: str, reasons: str, approver: str, comment: str) -> str:
    """"Credit hold set by ardesk, approved by ana on the Credit Hold sheet: <reasons> <comment>"."""
    done = "Credit hold set" if action == HOLD else "Credit hold released"
    said = f" Comment: {comment}" if comment else ""
    return f"{done} by ardesk, approved by {approver} on the Credit Hold sheet: {reasons}{said}"
