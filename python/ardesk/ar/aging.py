"""Aging: days past due, buckets, and the aging pivot.

Follows the ERP's aged-receivables report (Epicor): days past due d = as_of - due date (or document date
with basis `doc`); Current when d <= 0; with thresholds t1 < ... < tn, bucket k holds (t[k-1], t[k]] and the
last is `Over tn`. Credits age by their own dates and count as negative amounts.
"""
import datetime as dt

import numpy as np
import pandas as pd

from ardesk.frames import AGED, OPEN_ITEMS
from ardesk.settings import AgingSettings
from ardesk.vocabulary import GROUPS

UNASSIGNED = "(unassigned)"
TOTAL = "Total"


def bucket_labels(thresholds: tuple[int, ...]) -> list[str]:
    """(30, 60) -> ["Current", "1-30", "31-60", "Over 60"]."""
    lows = (0,) + tuple(thresholds[:-1])
    return ["Current"] + [f"{lo + 1}-{hi}" for lo, hi in zip(lows, thresholds)] + [f"Over {thresholds[-1]}"]


def bucket_index(days: np.ndarray, thresholds: tuple[int, ...]) -> np.ndarray:
    """Bucket number per days-past-due value: 0 = Current, k = (t[k-1], t[k]], n+1 = Over tn."""
    edges = np.asarray((0,) + tuple(thresholds), dtype=np.int64)
    return np.searchsorted(edges, days, side="left")


def days_past_due(dates: pd.Series, as_of: dt.date) -> np.ndarray:
    """as_of - date in whole days (negative when not yet due)."""
    day = dates.to_numpy(dtype="datetime64[D]")
    return (np.datetime64(as_of, "D") - day).astype(np.int64)


def age(items: pd.DataFrame, as_of: dt.date, aging: AgingSettings) -> pd.DataFrame:
    """OPEN_ITEMS -> AGED: adds days_past_due and the ordered bucket label."""
    labels = bucket_labels(aging.thresholds)
    basis = items["due_date"] if aging.basis == "due" else items["doc_date"]
    days = days_past_due(basis, as_of)
    codes = bucket_index(days, aging.thresholds)
    aged = items[list(OPEN_ITEMS)].copy()
    aged["days_past_due"] = days
    aged["bucket"] = pd.Categorical.from_codes(codes, categories=labels, ordered=True)
    return aged[list(AGED)]


def pivot(aged: pd.DataFrame, by: str = "customer") -> pd.DataFrame:
    """The aging pivot in base-currency cents: one row per group (sorted), a column per bucket, `Total`.

    Every bucket is a column even when empty, in bucket order; groups with an empty key (no collector
    assigned, say) are shown as `(unassigned)`.
    """
    key = GROUPS[by]
    groups = aged[key].astype("string").fillna("").replace("", UNASSIGNED)
    table = (
        aged.assign(_group=groups)
        .pivot_table(index="_group", columns="bucket", values="base_balance_cents", aggfunc="sum",
                     fill_value=0, observed=False)
        .astype(np.int64)
    )
    table = table.reindex(columns=aged["bucket"].cat.categories, fill_value=0)
    table.columns = [str(c) for c in table.columns]
    table[TOTAL] = table.sum(axis=1)
    table.index.name = key
    return table.sort_index()


def grand_total(table: pd.DataFrame) -> pd.Series:
    """The grand-total row of a pivot: each bucket's sum and the Total."""
    return table.sum(axis=0).astype(np.int64)
