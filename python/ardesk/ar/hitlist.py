"""The weekly Hit List for sales: past-due customers grouped by sales rep, amounts per bucket, last note, and
their credit hold.

A customer is on it when its past-due balance (every item more than 0 days past due, credits included) is
above zero, or when it is on credit hold, or its hold was lifted lately (a rep wants to know both: orders stop,
or may go again). Rows come by sales rep (customers without one last), then past due descending, then customer.
"""
import datetime as dt

import numpy as np
import pandas as pd

from ardesk.ar.accounts import among, by_owner, delinquent, shaped
from ardesk.ar.aging import TOTAL, pivot
from ardesk.frames import HIT_LIST


def contract(labels) -> dict[str, str]:
    """HIT_LIST with one int64 column per bucket label, in bucket order, before past_due_cents."""
    names = list(HIT_LIST)
    at = names.index("past_due_cents")
    return {**{n: HIT_LIST[n] for n in names[:at]}, **{str(label): "int64" for label in labels},
            **{n: HIT_LIST[n] for n in names[at:]}}


def hit_list(aged: pd.DataFrame, status: pd.DataFrame, customers: pd.DataFrame, as_of: dt.date,
             released_shown_days: int) -> pd.DataFrame:
    """AGED + STATUS (ardesk.ar.contacts.latest_by_customer) + CUSTOMERS -> HIT_LIST (with the bucket columns of
    `aged`)."""
    labels = [str(label) for label in aged["bucket"].cat.categories]
    holds = credit_hold_text(customers, as_of, released_shown_days)
    holds = holds[holds != ""]
    table = delinquent(aged)
    added = customers[among(customers["customer_id"], holds.index) & ~among(customers["customer_id"], table.index)]
    table = pd.concat([table, added.set_index("customer_id")[["customer_name", "sales_rep", "collector"]].assign(
        past_due_cents=0, over_90_cents=0, oldest_doc="", oldest_days=0)])
    buckets = pivot(aged, by="customer").reindex(table.index, fill_value=0)
    table = table.join(buckets[labels]).assign(total_cents=buckets[TOTAL])
    status = status.set_index("customer_id").reindex(table.index)
    table = table.assign(last_note_date=status["last_contact"], last_note=status["last_note"].fillna(""),
                         credit_hold=holds.reindex(table.index, fill_value=""))
    return shaped(by_owner(table.rename_axis("customer_id").reset_index(), "sales_rep"), contract(labels))


def credit_hold_text(customers: pd.DataFrame, as_of: dt.date, released_shown_days: int) -> pd.Series:
    """Per customer_id of CUSTOMERS: "On hold since <day>" ("On hold" when the ERP has no day), "Released <day>"
    when the hold was lifted within `released_shown_days` of `as_of`, else ""."""
    since = customers["credit_hold_date"]
    day = since.dt.strftime("%Y-%m-%d").fillna("")
    held = customers["credit_hold"].to_numpy(dtype=bool)
    lately = (since >= pd.Timestamp(as_of - dt.timedelta(days=released_shown_days))).to_numpy(dtype=bool)
    text = np.where(held, np.where(day == "", "On hold", "On hold since " + day),
                    np.where(lately & (customers["credit_hold_source"] != "").to_numpy(dtype=bool),
                             "Released " + day, ""))
    return pd.Series(text, index=customers["customer_id"].to_numpy(), dtype="string")


def split(hit_list: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One hit list per sales rep ("" for customers without one), in the hit list's order."""
    reps = hit_list["sales_rep"].to_numpy()
    return {rep: hit_list[reps == rep].reset_index(drop=True) for rep in pd.unique(reps)}
