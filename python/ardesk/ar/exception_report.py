"""The exception report (the Exceptions sheet): the accounts and credits a collector should look at first, one
section per threshold.

Past-due sections count debts only (invoices and debit memos with a positive balance): a customer's open
credit does not hide an invoice that is months late. Days past due are the aging's (its basis applies).
Sections come in this order, each possibly empty:
- "Past due more than N days", one per N in `past_due_days`: customer rows;
- "Balance more than D days past due over X": customers whose such balance exceeds `large_balance`;
- "Credits older than C days": one row per credit memo or unapplied payment dated more than C days ago.
Customer rows are sorted by balance descending, credit rows most negative first; then by customer and document.
"""
import datetime as dt

import pandas as pd

from ardesk.ar.accounts import CREDITS, debts, first_text, shaped
from ardesk.ar.aging import days_past_due
from ardesk.frames import EXCEPTIONS
from ardesk.settings import ReportSettings


def past_due_title(days: int) -> str:
    return f"Past due more than {days} days"


def large_balance_title(reports: ReportSettings) -> str:
    """"Balance more than 10 days past due over 50,000" (cents shown only when the amount has them)."""
    amount = reports.large_balance
    shown = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"Balance more than {reports.large_balance_days} days past due over {shown}"


def credits_title(days: int) -> str:
    return f"Credits older than {days} days"


def titles(reports: ReportSettings) -> list[str]:
    """Every section's title, in sheet order."""
    return ([past_due_title(n) for n in reports.past_due_days]
            + [large_balance_title(reports), credits_title(reports.credit_age_days)])


def exceptions(aged: pd.DataFrame, as_of: dt.date, reports: ReportSettings) -> pd.DataFrame:
    """AGED -> EXCEPTIONS, every section in `titles(reports)` order."""
    who = first_text(aged)
    late = aged.loc[debts(aged, aged["days_past_due"], 0), ["customer_id", "base_balance_cents", "days_past_due"]]
    sections = [_overdue(late, who, n, past_due_title(n)) for n in reports.past_due_days]
    large = _overdue(late, who, reports.large_balance_days, large_balance_title(reports))
    sections.append(large[large["balance_cents"] > reports.large_balance_cents])
    sections.append(_old_credits(aged, as_of, reports.credit_age_days))
    return shaped(pd.concat(sections), EXCEPTIONS)


def _overdue(late: pd.DataFrame, who: pd.DataFrame, beyond: int, title: str) -> pd.DataFrame:
    """Customer rows from the past-due debts: those more than `beyond` days late, their sum, count, oldest age.
    Three reductions of one grouping, a quarter of the time of one named aggregation (5 ms, for each section)."""
    rows = late[late["days_past_due"] > beyond]
    by = rows.groupby("customer_id", sort=True)
    table = pd.DataFrame({"balance_cents": by["base_balance_cents"].sum(), "items": by.size(),
                          "days": by["days_past_due"].max()})
    table = table.join(who).reset_index()
    table = table.sort_values(["balance_cents", "customer_id"], ascending=[False, True], kind="stable")
    return table.assign(section=title, doc_no="", doc_type="", doc_date=pd.NaT)


def _old_credits(aged: pd.DataFrame, as_of: dt.date, beyond: int) -> pd.DataFrame:
    """Document rows: every credit with a negative balance dated more than `beyond` days before as_of."""
    age = days_past_due(aged["doc_date"], as_of)
    old = (aged["doc_type"].isin(CREDITS) & (aged["base_balance_cents"] < 0)).to_numpy() & (age > beyond)
    rows = aged[old].assign(days=age[old], items=1, balance_cents=aged["base_balance_cents"][old],
                            section=credits_title(beyond))
    return rows.sort_values(["balance_cents", "customer_id", "doc_no"], kind="stable")
