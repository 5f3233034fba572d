"""The Summary sheet's figures: totals, collections KPIs for the period, and month-end snapshots.

KPI period: the `kpi_days` days up to and including the as-of date; credit sales are the invoices and debit
memos dated in it (HISTORY). Month-end AR is rebuilt from HISTORY: a document counts from its date until
its closed date, at its original amount while closed since, at today's balance while still open.
"""
import datetime as dt
from dataclasses import dataclass

import pandas as pd

OVER_DAYS = 90
"""`% over 90` and the red conditional format: more than this many days past due, whatever the buckets."""


@dataclass(frozen=True)
class Period:
    """One countback period (a month back from the as-of date), newest first in Summary.periods."""

    start: dt.date
    """First day in the period."""
    end: dt.date
    """Last day in the period (inclusive)."""
    sales_cents: int


@dataclass(frozen=True)
class Summary:
    as_of: dt.date
    total_cents: int
    current_cents: int
    past_due_cents: int
    over_90_cents: int
    accounts: int
    """Customers with an open balance (any non-zero item)."""
    past_due_accounts: int
    """Customers with a positive balance more than 0 days past due."""
    period_days: int
    credit_sales_cents: int | None
    """Credit sales in the period; None when the source has no sales history (an export file)."""
    beginning_ar_cents: int | None
    """AR at the period's start (as_of - period_days), rebuilt from HISTORY; None without history."""
    pct_past_due: float | None
    pct_over_90: float | None
    dso: float | None
    countback_dso: float | None
    """None when sales are missing or the AR exceeds all the sales history read."""
    best_possible_dso: float | None
    average_days_delinquent: float | None
    cei: float | None
    cei_sales: str
    """The CEI sales convention used: `total` or `monthly_average`."""
    periods: tuple[Period, ...]
    """Monthly credit sales back from the as-of date, newest first (countback DSO's input)."""
    snapshots: pd.DataFrame
    """One row per month-end (oldest first, then the as-of date itself): month_end (datetime64[s]),
    ar_cents, current_cents, over_90_cents, sales_cents (the period_days up to month_end) as int64,
    and dso, pct_over_90 as float (NaN where undefined)."""
