"""The weekly Hit List for sales: past-due customers grouped by sales rep, amounts per bucket, last note.

A customer is on it when its past-due balance (every item more than 0 days past due, credits included) is
above zero. Rows come by sales rep (customers without one last), then past due descending, then customer.
"""
import pandas as pd

from ardesk.ar.accounts import by_owner, delinquent, shaped
from ardesk.ar.aging import TOTAL, pivot
from ardesk.frames import HIT_LIST


def contract(labels) -> dict[str, str]:
    """HIT_LIST with one int64 column per bucket label, in bucket order, before past_due_cents."""
    names = list(HIT_LIST)
    at = names.index("past_due_cents")
    return {**{n: HIT_LIST[n] for n in names[:at]}, **{str(label): "int64" for label in labels},
            **{n: HIT_LIST[n] for n in names[at:]}}


def hit_list(aged: pd.DataFrame, status: pd.DataFrame) -> pd.DataFrame:
    """AGED + STATUS (ardesk.ar.contacts.latest_by_customer) -> HIT_LIST (with the bucket columns of `aged`)."""
    labels = [str(label) for label in aged["bucket"].cat.categories]
    table = delinquent(aged)
    buckets = pivot(aged, by="customer").reindex(table.index)
    table = table.join(buckets[labels]).assign(total_cents=buckets[TOTAL])
    status = status.set_index("customer_id").reindex(table.index)
    table = table.assign(last_note_date=status["last_contact"], last_note=status["last_note"].fillna(""))
    return shaped(by_owner(table.reset_index(), "sales_rep"), contract(labels))


def split(hit_list: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One hit list per sales rep ("" for customers without one), in the hit list's order."""
    reps = hit_list["sales_rep"].to_numpy()
    return {rep: hit_list[reps == rep].reset_index(drop=True) for rep in pd.unique(reps)}
