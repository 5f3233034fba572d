"""A closed period as it was frozen, and what in the ERP's history has changed since.

`ardesk close` freezes a period's figures (CLOSES) and its documents (CLOSE_DOCUMENTS) the first time it closes
it. A document belongs to the period when it was open at either end or moved in it; each is kept with its closing
balance and what was posted and applied to it in the period. A re-run compares those three figures document by
document: a back-dated entry dated in the period shows on its document even when it nets to nothing by period end,
and one dated before the period shows in the closing balance of every document it still touches. The opening
balance is closing less posted less applied, so it needs no comparison of its own.
"""
import pandas as pd

from ardesk.ar.accounts import shaped
from ardesk.frames import CLOSE_DOCUMENTS

_KEY = ["company", "doc_no"]
_FIGURES = ("closing", "posted", "applied")

CHANGES = {
    "company": "string",
    "doc_no": "string",
    "customer_id": "string",
    "doc_type": "string",
    **{f"{figure}_{when}_cents": "int64" for figure in _FIGURES for when in ("then", "now")},
}
"""changes' frame: per document that differs, each figure as frozen (then) and as the ERP tells it now."""


def documents(opening: pd.DataFrame, closing: pd.DataFrame, activity: pd.DataFrame) -> pd.DataFrame:
    """CLOSE_DOCUMENTS of the period from the OPEN_ITEMS of both ends and the PERIOD_ACTIVITY between, one row
    per document, sorted by company and number."""
    posted = activity["movement"].eq("Posted")
    cents = activity["base_amount_cents"]
    moved = activity.assign(posted_cents=cents.where(posted, 0), applied_cents=cents.where(~posted, 0),
                            closing_cents=0)
    ends = [frame.assign(closing_cents=frame["base_balance_cents"] if frame is closing else 0,
                         posted_cents=0, applied_cents=0) for frame in (opening, closing)]
    every = pd.concat([frame[list(CLOSE_DOCUMENTS)] for frame in (*ends, moved)], ignore_index=True)
    found = every.groupby(_KEY, sort=True).agg(
        customer_id=("customer_id", "first"), doc_type=("doc_type", "first"), closing_cents=("closing_cents", "sum"),
        posted_cents=("posted_cents", "sum"), applied_cents=("applied_cents", "sum")).reset_index()
    return shaped(found, CLOSE_DOCUMENTS)


def changes(then: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """CHANGES: the documents whose closing balance, posting or applications in the period differ between two
    CLOSE_DOCUMENTS of one period (a document on one side only counts 0 on the other), sorted by customer and
    document."""
    both = then.merge(now, on=_KEY, how="outer", suffixes=("_then", "_now"))
    for figure in _FIGURES:
        for when in ("then", "now"):
            column = f"{figure}_cents_{when}"
            both[f"{figure}_{when}_cents"] = both[column].fillna(0).astype("int64")
    for column in ("customer_id", "doc_type"):
        both[column] = both[f"{column}_now"].fillna(both[f"{column}_then"])
    differs = pd.Series(False, index=both.index)
    for figure in _FIGURES:
        differs |= both[f"{figure}_then_cents"] != both[f"{figure}_now_cents"]
    changed = both[differs].sort_values(["customer_id", *_KEY], kind="stable")
    return shaped(changed, CHANGES)
