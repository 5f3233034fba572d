"""Bad debt of a period: what was written off in the month and in the year to date, by customer and reason, and
what customers paid after all (recoveries, which put back part of an earlier write-off).

From WRITE_OFFS: a positive amount is written off, a negative one recovered. The period's write-offs less its
recoveries are the rollforward's Write-offs line (negated): the same CashDtl rows, summed another way.
"""
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

BY_REASON = {"customer_id": "string", "customer_name": "string", "reason": "string", "period_cents": "int64",
             "year_cents": "int64"}
"""One row per customer and reason written off in the year to date, by customer then reason."""
RECOVERIES = {"customer_id": "string", "customer_name": "string", "doc_no": "string", "date": "datetime64[s]",
              "recovered_cents": "int64", "in_period": "bool"}
"""One row per recovery in the year to date, oldest first: what was put back, a positive amount."""


@dataclass(frozen=True)
class BadDebt:
    start: dt.date
    end: dt.date
    by_reason: pd.DataFrame  # BY_REASON
    recoveries: pd.DataFrame  # RECOVERIES


def bad_debt(write_offs: pd.DataFrame, start: dt.date, end: dt.date) -> BadDebt:
    """The BadDebt of the period start..end from WRITE_OFFS made since the year began (more is left out)."""
    day = write_offs["date"].to_numpy("datetime64[D]")
    year = (day >= np.datetime64(start.replace(month=1, day=1), "D")) & (day <= np.datetime64(end, "D"))
    period = year & (day >= np.datetime64(start, "D"))
    amount = write_offs["base_amount_cents"].to_numpy(np.int64)
    off = write_offs[year & (amount > 0)].assign(in_period=period[year & (amount > 0)])
    table = off.assign(period_cents=off["base_amount_cents"].where(off["in_period"], 0),
                       year_cents=off["base_amount_cents"])
    table = table.groupby(["customer_id", "customer_name", "reason"], as_index=False, sort=True)[
        ["period_cents", "year_cents"]].sum()
    back = write_offs[year & (amount < 0)]
    recoveries = pd.DataFrame({
        "customer_id": back["customer_id"], "customer_name": back["customer_name"], "doc_no": back["doc_no"],
        "date": back["date"], "recovered_cents": -back["base_amount_cents"], "in_period": period[year & (amount < 0)],
    }).sort_values(["date", "customer_id", "doc_no"], kind="stable")
    return BadDebt(start, end, table.astype(BY_REASON).reset_index(drop=True),
                   recoveries.astype(RECOVERIES).reset_index(drop=True))
