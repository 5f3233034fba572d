"""The Credit Review sheet: each customer's exposure against its limit, how it paid over 12 months, what the
bureau says, when its review is due, and the limit the rule recommends with the reasons in one line.

The rule (docs/credit.md#credit-review; each figure a [credit] setting):
1. start from `months_of_sales` x the customer's average monthly sales of the last 12 months (its invoices and
   debit memos dated in them, divided by 12, to the cent below);
2. scale that by behaviour: x `slow_scale` when it pays more than `slow_days` days late on average (x `late_scale`
   instead when more than `late_days`), less `worsening_cut` when it pays more than `worsening_days` days later in
   the last 3 months than in the 9 before, less `returned_cut` for each payment returned and `broken_cut` for each
   promise broken in the 12 months; never below 0;
3. cap it at the latest bureau report's recommended limit, when there is one;
4. round it down to a multiple of `rounding`, and never below one `rounding` (a limit of 0 is no limit in the ERP).
A customer with no sales in the 12 months keeps its current limit: there is nothing to base another on.
Scales are whole ten-thousandths and amounts integer cents, so the limit is exact: no float touches it.

Days delinquent: the amount-weighted average of the days beyond terms (0 for a debt paid on time) of the debts
paid in the 12 months (paid - due) and of those still open past due (as-of - due). Its trend: that average over
the debts paid in the last 3 months and those still open, less the one over the debts paid in the 9 before. Share
paid late: of the debts paid in the 12 months, the share paid after their due date.

A review is due when the ERP's credit review date (the last review) is `review_months` or more behind, or there is
none, or when exposure (balance plus open orders) is over `utilisation` of the limit. Due reviews come first, the
largest exposure first; then the others, the next review first.

Returned payments are ardesk.frames.RETURNED_PAYMENTS (of which the review reads customer_id and returned_on), bureau
reports ardesk.frames.BUREAU_REPORTS (the latest report of each bureau about each customer, `ardesk credit import`).
"""
import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from ardesk.ar.accounts import DEBITS, among, amount_text, balance_by_customer, shaped
from ardesk.ar.credit import customers_from_items
from ardesk.ar.summary import month_back
from ardesk.frames import CREDIT_REVIEW, CUSTOMERS
from ardesk.settings import CreditSettings

MONTHS = 12
"""The payment behaviour's window, and the months the average monthly sales divide by."""
RECENT_MONTHS = 3
"""The trend compares the last this many months with the rest of the window."""
_WHOLE = 10_000
"""A scale of 1 in ten-thousandths."""


def review(aged: pd.DataFrame, customers: pd.DataFrame, history: pd.DataFrame, promised: pd.DataFrame,
           returned: pd.DataFrame, bureau: pd.DataFrame, as_of: dt.date, credit: CreditSettings) -> pd.DataFrame:
    """AGED + CUSTOMERS + HISTORY + PROMISES (ardesk.ar.notes.promises) + RETURNED_PAYMENTS + BUREAU_REPORTS ->
    CREDIT_REVIEW, one row per customer (those of `customers`, and any other `aged` has), due reviews first."""
    unlisted = customers_from_items(aged[~among(aged["customer_id"], customers["customer_id"])])
    table = pd.concat([shaped(customers, CUSTOMERS), unlisted])
    table = table.drop_duplicates("customer_id").set_index("customer_id")
    ids = table.index
    end = pd.Timestamp(as_of)
    start, recent = (pd.Timestamp(month_back(as_of, months)) for months in (MONTHS, RECENT_MONTHS))
    table["balance_cents"] = balance_by_customer(aged).reindex(ids, fill_value=0)
    table["exposure_cents"] = table["balance_cents"] + table["open_orders_cents"]
    debts = history[history["doc_type"].isin(DEBITS).to_numpy() & (history["base_amount_cents"] > 0).to_numpy()]
    sold = debts[((debts["doc_date"] > start) & (debts["doc_date"] <= end)).to_numpy()]
    table["monthly_sales_cents"] = _sum(sold["customer_id"], sold["base_amount_cents"], ids) // MONTHS
    table = table.join(_behaviour(debts, ids, start, recent, end))
    table["returned_payments"] = _count(returned, "returned_on", start, end, ids)
    table["broken_promises"] = _count(promised[(promised["status"] == "Broken").to_numpy()], "promise_date", start,
                                      end, ids)
    table = table.join(_latest(bureau), how="left")
    table["last_review"] = table["credit_review_date"]
    table["next_review"] = table["last_review"] + pd.DateOffset(months=credit.review_months)
    table = table.assign(**_due(table, end, credit), **_recommended(table, credit))
    table = table.reset_index()
    due = table[table["due"]].sort_values(["exposure_cents", "customer_id"], ascending=[False, True], kind="stable")
    later = table[~table["due"]].sort_values(["next_review", "customer_id"], kind="stable")
    return shaped(pd.concat([due, later]), CREDIT_REVIEW)


def _sum(keys: pd.Series, values: pd.Series, ids: pd.Index) -> np.ndarray:
    """int64 per customer of `ids`: the sum of `values` by `keys` (0 where none)."""
    return values.groupby(keys.to_numpy(), sort=False).sum().reindex(ids, fill_value=0).to_numpy(np.int64)


def _count(frame: pd.DataFrame, day: str, start: pd.Timestamp, end: pd.Timestamp, ids: pd.Index) -> np.ndarray:
    """int64 per customer of `ids`: `frame`'s rows whose `day` is in (start, end]."""
    days = pd.to_datetime(frame[day])
    within = frame[((days > start) & (days <= end)).to_numpy()]
    return within.groupby(within["customer_id"].to_numpy(), sort=False).size().reindex(ids, fill_value=0).to_numpy(
        np.int64)


def _behaviour(debts: pd.DataFrame, ids: pd.Index, start: pd.Timestamp, recent: pd.Timestamp,
               end: pd.Timestamp) -> pd.DataFrame:
    """days_delinquent, delinquency_trend and paid_late_share per customer of `ids` (see the module's notes)."""
    closed, due = debts["closed_date"], debts["due_date"]
    paid = (closed > start).to_numpy() & (closed <= end).to_numpy() & due.notna().to_numpy()
    still_open = (closed.isna() | (closed > end)).to_numpy() & (due < end).to_numpy()
    counted = paid | still_open
    day = closed.where(paid, end).to_numpy("datetime64[s]")
    late = np.maximum((day - due.to_numpy("datetime64[s]")) // np.timedelta64(1, "D"), 0)
    amount = debts["base_amount_cents"].to_numpy(np.int64)
    frame = pd.DataFrame({
        "weighted": np.where(counted, late * amount, 0), "amount": np.where(counted, amount, 0),
        "weighted_recent": np.where(counted & (day > recent.to_datetime64()), late * amount, 0),
        "amount_recent": np.where(counted & (day > recent.to_datetime64()), amount, 0),
        "paid": paid.astype(np.int64), "paid_late": (paid & (late > 0)).astype(np.int64),
    })
    sums = frame.groupby(debts["customer_id"].to_numpy(), sort=False).sum().reindex(ids, fill_value=0)
    sums["weighted_earlier"] = sums["weighted"] - sums["weighted_recent"]
    sums["amount_earlier"] = sums["amount"] - sums["amount_recent"]
    overall, recently, earlier = (_average(sums, f"weighted{part}", f"amount{part}")
                                  for part in ("", "_recent", "_earlier"))
    share = sums["paid_late"].astype("Float64") / sums["paid"].where(sums["paid"] > 0).astype("Float64")
    return pd.DataFrame({"days_delinquent": overall, "delinquency_trend": recently - earlier,
                         "paid_late_share": share}, index=ids)


def _average(sums: pd.DataFrame, weighted: str, amount: str) -> pd.Series:
    """Int64 whole days: `weighted` / `amount`, rounded; <NA> where there is no amount."""
    return (sums[weighted] / sums[amount].where(sums[amount] > 0)).round().astype("Int64")


def _latest(bureau: pd.DataFrame) -> pd.DataFrame:
    """Per customer, its latest bureau report (of two the same day, the lower recommended limit): bureau,
    bureau_score, bureau_risk_class, bureau_limit_cents and bureau_date."""
    reports = bureau.assign(report_date=pd.to_datetime(bureau["report_date"]).astype("datetime64[s]"))
    reports = reports.sort_values(["report_date", "recommended_limit_cents"], ascending=[False, True],
                                  na_position="last", kind="stable").drop_duplicates("customer_id")
    return pd.DataFrame({
        "bureau": reports["bureau"].astype("string").to_numpy(), "bureau_score": reports["score"].astype("Int64").array,
        "bureau_risk_class": reports["risk_class"].astype("string").to_numpy(),
        "bureau_limit_cents": reports["recommended_limit_cents"].astype("Int64").array,
        "bureau_date": reports["report_date"].to_numpy()}, index=reports["customer_id"].astype("string").to_numpy())


def _due(table: pd.DataFrame, end: pd.Timestamp, credit: CreditSettings) -> dict[str, object]:
    """due and why_due per customer."""
    never = table["last_review"].isna().to_numpy()
    passed = (table["next_review"] <= end).to_numpy()
    limit = table["credit_limit_cents"].to_numpy(np.int64)
    exposure = table["exposure_cents"].to_numpy(np.int64)
    threshold = credit.basis_points("utilisation")
    over = (limit > 0) & (exposure * _WHOLE > limit * threshold)
    used = np.where(limit > 0, exposure / np.where(limit > 0, limit, 1), np.nan)
    said = f"{credit.utilisation:.0%}"
    why = [("Never reviewed" if n else f"Review date passed ({r:%Y-%m-%d})" if p else "")
           + ("; " if (n or p) and o else "") + (f"Utilisation {u:.0%} over {said}" if o else "")
           for n, p, o, u, r in zip(never, passed, over, used, table["next_review"])]
    return {"due": never | passed | over, "why_due": why,
            "utilisation": pd.array(np.where(limit > 0, used, np.nan), dtype="Float64")}


def _recommended(table: pd.DataFrame, credit: CreditSettings) -> dict[str, object]:
    """recommended_limit_cents and reasons per customer, by the rule of the module's notes."""
    unit = credit.rounding_cents
    days = table["days_delinquent"].fillna(-1).to_numpy(np.int64)
    late, slow = days > credit.late_days, days > credit.slow_days
    scale = np.where(late, credit.basis_points("late_scale"), np.where(slow, credit.basis_points("slow_scale"),
                                                                          _WHOLE))
    worse = table["delinquency_trend"].fillna(np.iinfo(np.int64).min).to_numpy(np.int64) > credit.worsening_days
    returned, broken = table["returned_payments"].to_numpy(np.int64), table["broken_promises"].to_numpy(np.int64)
    scale = np.maximum(scale - worse * credit.basis_points("worsening_cut")
                       - returned * credit.basis_points("returned_cut") - broken * credit.basis_points("broken_cut"), 0)
    monthly = table["monthly_sales_cents"].to_numpy(np.int64)
    base = monthly * credit.basis_points("months_of_sales") // _WHOLE
    scaled = base * scale // _WHOLE
    cap = table["bureau_limit_cents"].astype("Int64").fillna(-1).to_numpy(np.int64)
    capped = np.where((cap >= 0) & (cap < scaled), cap, scaled)
    rounded = np.maximum(capped // unit * unit, unit)
    current = table["credit_limit_cents"].to_numpy(np.int64)
    limit = np.where(monthly > 0, rounded, current)
    bureaus = table["bureau"].fillna("the bureau").tolist()
    reasons = [_reasons(credit, *row) for row in zip(
        monthly.tolist(), base.tolist(), days.tolist(), late.tolist(), slow.tolist(), worse.tolist(),
        table["delinquency_trend"].fillna(0).tolist(), returned.tolist(), broken.tolist(), scale.tolist(),
        scaled.tolist(), cap.tolist(), bureaus, rounded.tolist(), capped.tolist(), current.tolist())]
    return {"recommended_limit_cents": limit, "reasons": reasons}


def _reasons(credit: CreditSettings, monthly, base, days, late, slow, worse, trend, returned, broken, scale, scaled,
             cap, bureau, rounded, capped, current) -> str:
    """One customer's recommended limit worked out in one line."""
    if monthly <= 0:
        keep = amount_text(current) if current > 0 else "no limit"
        return f"No sales in the last {MONTHS} months: keep the current limit ({keep})."
    parts = [f"{_number(credit.months_of_sales)} x monthly sales {amount_text(monthly)} = {amount_text(base)}"]
    if late or slow:
        factor, over = (credit.late_scale, credit.late_days) if late else (credit.slow_scale, credit.slow_days)
        parts.append(f"x {_number(factor)}: pays {days} days late on average (over {over})")
    if worse:
        parts.append(f"less {_number(credit.worsening_cut)}: paying {trend} days later in the last {RECENT_MONTHS} "
                     "months")
    for count, cut, what in ((returned, credit.returned_cut, "returned payment"),
                             (broken, credit.broken_cut, "broken promise")):
        if count:
            parts.append(f"less {_number(cut * count)}: {count} {what}{'s' * (count > 1)}")
    if scale != _WHOLE:
        parts.append(f"scale {_number(Decimal(int(scale)).scaleb(-4))}: {amount_text(scaled)}")
    if 0 <= cap < scaled:
        parts.append(f"capped at {bureau}'s recommended {amount_text(cap)}")
    if rounded != capped:
        least = capped < credit.rounding_cents
        parts.append(f"{'raised to the least limit' if least else 'rounded down to'} {amount_text(rounded)}")
    return "; ".join(parts) + "."


def _number(value: Decimal) -> str:
    """0.7500 -> "0.75", 2 -> "2": a setting as people wrote it."""
    return format(Decimal(value).normalize(), "f")
