"""The receivables rollforward of a period: opening balance plus what moved the receivables is the closing balance,
per customer, per collector and in total, every line the sum of the documents and applications behind it.

Opening is the aging of the day before the period and closing the aging of its last day, both as the ERP tells
them; the lines come from PERIOD_ACTIVITY. What the lines do not explain is shown as Unexplained, never
absorbed: on a ledger whose every balance change is a posted document or an application it is 0.00.
"""
from dataclasses import dataclass

import pandas as pd

LINES = {  # line -> its frame column
    "Invoices": "invoices_cents",
    "Debit memos": "debit_memos_cents",
    "Credit memos": "credit_memos_cents",
    "Unapplied cash": "unapplied_cash_cents",
    "Cash applied": "cash_applied_cents",
    "Credits used": "credits_used_cents",
    "Write-offs": "write_offs_cents",
}
"""The movements of a period in the order the rollforward shows them. Documents posted: invoices and debit memos
add, credit memos and cash received but not applied take off. Applications made: cash and credits applied to
invoices and debit memos take off; a credit memo or cash on account used adds back what it had taken off.
Write-offs take off what will not be collected; a recovery (a write-off put back) adds, net on the same line."""

_POSTED = {"INV": "Invoices", "DM": "Debit memos", "CM": "Credit memos", "PAY": "Unapplied cash"}
_APPLIED = {"INV": "Cash applied", "DM": "Cash applied", "CM": "Credits used", "PAY": "Credits used"}
WRITTEN_OFF = "Written off"
"""The movement of a write-off (frames.MOVEMENTS)."""

NO_COLLECTOR = "No collector"
"""The collector of customers nobody collects: a label, so that the workbook's SUMIFS can select them."""

ROLLFORWARD = {"key": "string", "opening_cents": "int64", **dict.fromkeys(LINES.values(), "int64"),
               "closing_cents": "int64", "unexplained_cents": "int64"}
"""One row per customer or collector (or the total), balances and lines in base-currency cents."""


def lines(activity: pd.DataFrame) -> pd.Series:
    """The rollforward line of each PERIOD_ACTIVITY row."""
    posted = activity["movement"] == "Posted"
    line = activity["doc_type"].map(_POSTED).where(posted, activity["doc_type"].map(_APPLIED))
    return line.mask(activity["movement"] == WRITTEN_OFF, "Write-offs").astype("string")


def collectors(frame: pd.DataFrame) -> pd.Series:
    """The `collector` column with NO_COLLECTOR where it is empty."""
    return frame["collector"].astype("string").fillna("").replace("", NO_COLLECTOR)


def rollforward(opening: pd.DataFrame, closing: pd.DataFrame, activity: pd.DataFrame, by: str) -> pd.DataFrame:
    """ROLLFORWARD per value of `by` ("customer_id" or "collector"; None: one row, key "Total") from the OPEN_ITEMS
    of both ends and the PERIOD_ACTIVITY between, sorted by key; a key with nothing at either end nor between
    is left out."""
    def keyed(frame: pd.DataFrame) -> pd.Series:
        if by is None:
            return pd.Series("Total", index=frame.index, dtype="string")
        return collectors(frame) if by == "collector" else frame[by].astype("string")

    moved = activity.assign(key=keyed(activity), line=lines(activity))
    table = moved.pivot_table(index="key", columns="line", values="base_amount_cents", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(LINES), fill_value=0).rename(columns=LINES)
    ends = pd.DataFrame({
        "opening_cents": opening.groupby(keyed(opening))["base_balance_cents"].sum(),
        "closing_cents": closing.groupby(keyed(closing))["base_balance_cents"].sum(),
    })
    out = ends.join(table, how="outer").fillna(0).astype("int64")
    if by is None:
        out = out.reindex(["Total"], fill_value=0)  # a total even when nothing was open nor moved
    out["unexplained_cents"] = out["closing_cents"] - out["opening_cents"] - out[list(LINES.values())].sum(axis=1)
    out = out.rename_axis("key").reset_index()
    return out[list(ROLLFORWARD)].astype(ROLLFORWARD).sort_values("key", ignore_index=True)


@dataclass(frozen=True)
class Rollforward:
    """A period's rollforward three ways (ROLLFORWARD frames): in total (one row), per collector, per customer."""

    total: pd.DataFrame
    by_collector: pd.DataFrame
    by_customer: pd.DataFrame


def of_period(opening: pd.DataFrame, closing: pd.DataFrame, activity: pd.DataFrame) -> Rollforward:
    """The rollforward from the OPEN_ITEMS of both ends and the PERIOD_ACTIVITY between."""
    return Rollforward(*(rollforward(opening, closing, activity, by) for by in (None, "collector", "customer_id")))
