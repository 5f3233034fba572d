"""The Summary sheet's figures: totals, collections KPIs for the period, and month-end snapshots.

Definitions, fixed here so the sheet, its checks and the tests agree:
- Totals come from AGED in base cents: total; current = days past due <= 0; past due = total - current;
  over 90 = more than OVER_DAYS days past due, whatever the buckets. Percentages are fractions (0.25 is 25%)
  so Excel's percent format shows them; CEI stays in percent (0-100), as ardesk.ar.kpis gives it.
- KPI period: the `kpi_days` days ending at the as-of date, doc_date in (as_of - kpi_days, as_of]. Credit
  sales of a window are the base amounts of the invoices and debit memos (HISTORY) dated in it.
- AR at a past date d is rebuilt from HISTORY: a document counts when doc_date <= d and it was not closed by
  d, at its original amount if it has closed since, at today's balance if still open (partial payments are
  not in HISTORY). Days past due at d run from the due date (the document date when there is none).
- Countback periods are the snapshot_months + 1 calendar months back from the as-of date, period i =
  (as_of - (i+1) months, as_of - i months] with the day of month clamped (Mar 31 -> Feb 28): the window the
  history read covers completely (older sales are there only while their documents stayed open, so a month
  further back would show part of its sales). Countback walks them newest first up to the first month
  without sales (ardesk.ar.kpis needs positive sales per period): None when the AR reaches further back.
- CEI: beginning AR (rebuilt at as_of - kpi_days), the period's credit sales, ending total and current AR;
  with cei_sales = "monthly_average" the sales are averaged over round(kpi_days / 30) months (at least 1).
- A KPI its inputs leave undefined (no sales, a zero denominator) is None. Without HISTORY (an export file)
  every sales-based figure and the beginning AR are None and there are no countback periods.
- Snapshots: the last snapshot_months month-ends before the as-of date, oldest first, rebuilt from HISTORY
  (none without it), then the as-of date itself from AGED, so the trend ends on the totals above. A month-end
  whose period `ardesk close` froze (CLOSES) shows the frozen AR, current and over 90 instead, as reported at the
  close, even when the ERP's history has changed since.
- Per collector: the same KPIs, by the same formulas, over the collector's own customers (a customer's collector
  is that of its first item naming one, else the ERP's customer record's), beside the contact coverage of its
  worklist (ardesk.ar.coverage). Every customer belongs to one row, so the rows add up to the ledger's figures.
"""
import calendar
import datetime as dt
from dataclasses import dataclass
from itertools import takewhile

import numpy as np
import pandas as pd

from ardesk.ar import kpis
from ardesk.ar.accounts import DEBITS, OVER_DAYS, balance_by_customer, first_text, past_due_by_customer, shaped
from ardesk.ar.coverage import COVERAGE
from ardesk.settings import ReportSettings

SNAPSHOTS = {
    "month_end": "datetime64[s]",
    "ar_cents": "int64",
    "current_cents": "int64",
    "over_90_cents": "int64",
    "sales_cents": "int64",  # credit sales of the kpi_days up to month_end (0 without HISTORY)
    "dso": "float64",  # ar / sales x kpi_days; NaN when there are no sales
    "pct_over_90": "float64",  # over_90 / ar as a fraction; NaN when ar is 0
    "closed": "datetime64[s]",  # when `ardesk close` froze the month-end's figures; NaT when it did not
}
"""Summary.snapshots: one row per month-end, oldest first, then the as-of date."""

COLLECTORS = {
    **COVERAGE,  # the accounts that needed contact this cycle and those contacted
    "ar_cents": "int64",
    "current_cents": "int64",
    "sales_cents": "Int64",  # credit sales of the KPI period; <NA> without HISTORY
    "beginning_ar_cents": "Int64",  # AR at the KPI period's start; <NA> without HISTORY
    "dso": "float64",  # NaN where the KPI is undefined (no sales, a zero denominator)
    "average_days_delinquent": "float64",
    "cei": "float64",  # in percent, as ardesk.ar.kpis gives it
}
"""Summary.collectors: one row per collector (named ones by name, then the accounts without one)."""


@dataclass(frozen=True)
class Period:
    """One countback period (a month back from the as-of date), newest first in Summary.periods."""

    start: dt.date
    """First day in the period."""
    end: dt.date
    """Last day in the period (inclusive)."""
    sales_cents: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Summary:
    as_of: dt.date
    total_cents: int
    current_cents: int
    past_due_cents: int
    over_90_cents: int
    accounts: int
    """Customers whose open items add up to a non-zero balance."""
    past_due_accounts: int
    """Customers whose items more than 0 days past due (credits included) add up to more than zero."""
    period_days: int
    credit_sales_cents: int | None
    """Credit sales in the period; None when the source has no sales history (an export file)."""
    beginning_ar_cents: int | None
    """AR at the period's start (as_of - period_days), rebuilt from HISTORY; None without history."""
    pct_past_due: float | None
    """past_due / total as a fraction (0.25 is 25%); None when the total is 0."""
    pct_over_90: float | None
    """over_90 / total as a fraction; None when the total is 0."""
    dso: float | None
    countback_dso: float | None
    """None when sales are missing or the AR exceeds the sales of the unbroken run of months read."""
    best_possible_dso: float | None
    average_days_delinquent: float | None
    cei: float | None
    """In percent (0-100), as ardesk.ar.kpis.cei gives it."""
    cei_sales: str
    """The CEI sales convention used: `total` or `monthly_average`."""
    cei_months: int
    """The months the monthly_average convention divides the period's sales by (1 for `total`)."""
    periods: tuple[Period, ...]
    """Monthly credit sales back from the as-of date, newest first (countback DSO's input)."""
    snapshots: pd.DataFrame
    """SNAPSHOTS: one row per month-end (oldest first), then the as-of date itself."""
    collectors: pd.DataFrame
    """COLLECTORS: coverage and KPIs per collector; empty when no worklist coverage was given."""


def summarize(aged: pd.DataFrame, history: pd.DataFrame, applications: pd.DataFrame, as_of: dt.date,
              reports: ReportSettings, closes: pd.DataFrame | None = None, coverage: pd.DataFrame | None = None,
              customers: pd.DataFrame | None = None) -> Summary:
    """AGED + HISTORY, APPLICATIONS and CLOSES (each possibly empty; no CLOSES: none) -> every figure of the
    Summary sheet; with the worklist's COVERAGE and the CUSTOMERS (who collects from whom), the figures per
    collector too."""
    balance = aged["base_balance_cents"]
    total, current, over_90 = figures(aged)
    today = pd.DataFrame({"month_end": [pd.Timestamp(as_of)], "ar_cents": [total], "current_cents": [current],
                          "over_90_cents": [over_90], "closed": pd.Series([pd.NaT], dtype="datetime64[s]")})
    period = reports.kpi_days
    sales = beginning = None
    periods = ()
    snapshots = today.assign(sales_cents=0)
    if len(history):
        sales_in = sales_counter(history)
        start = as_of - dt.timedelta(days=period)
        sales = int(sales_in(np.datetime64(start, "D"), np.datetime64(as_of, "D")))
        past = rebuild(history, applications, [*month_ends(as_of, reports.snapshot_months), start])
        beginning = int(past["ar_cents"].iloc[-1])
        periods = _periods(as_of, reports.snapshot_months + 1, sales_in)
        snapshots = pd.concat([_as_closed(past.iloc[:-1], closes), today], ignore_index=True)
        ends = snapshots["month_end"].to_numpy("datetime64[D]")
        snapshots["sales_cents"] = sales_in(ends - np.timedelta64(period, "D"), ends)
    counted = list(takewhile(lambda p: p.sales_cents > 0, periods))
    months = _cei_months(reports)
    collectors = shaped(pd.DataFrame(columns=list(COLLECTORS)), COLLECTORS) if coverage is None else \
        by_collector(aged, history, applications, as_of, reports, coverage, customers)
    return Summary(
        as_of=as_of, total_cents=total, current_cents=current, past_due_cents=total - current,
        over_90_cents=over_90,
        accounts=int((balance_by_customer(aged) != 0).sum()),
        past_due_accounts=int((past_due_by_customer(aged) > 0).sum()),
        period_days=period, credit_sales_cents=sales, beginning_ar_cents=beginning,
        pct_past_due=(total - current) / total if total else None,
        pct_over_90=over_90 / total if total else None,
        countback_dso=_defined(kpis.countback_dso, total, [p.sales_cents for p in counted],
                               [p.days for p in counted]),
        best_possible_dso=_defined(kpis.best_possible_dso, current, sales, period),
        **_period_kpis(total, current, sales, beginning, reports),
        cei_sales=reports.cei_sales, cei_months=months, periods=periods, snapshots=_with_ratios(snapshots, period),
        collectors=collectors,
    )


def by_collector(aged: pd.DataFrame, history: pd.DataFrame, applications: pd.DataFrame, as_of: dt.date,
                 reports: ReportSettings, coverage: pd.DataFrame, customers: pd.DataFrame | None) -> pd.DataFrame:
    """COLLECTORS: each collector's coverage (COVERAGE, 0 where it has nothing on the worklist) and the KPIs of
    its own customers, by the formulas of the whole ledger's."""
    owner = first_text(aged, ("collector",))["collector"]
    if customers is not None:
        known = customers.drop_duplicates("customer_id").set_index("customer_id")["collector"].astype("string")
        owner = owner.combine_first(known.fillna(""))

    def owners(ids: pd.Series) -> np.ndarray:
        return ids.map(owner).fillna("").astype(str).to_numpy()

    item_owner, history_owner = owners(aged["customer_id"]), owners(history["customer_id"])
    application_owner = owners(applications["customer_id"])
    named = {*item_owner, *history_owner, *application_owner, *coverage["collector"]}
    names = sorted(named - {""}) + [""] * ("" in named)
    start = as_of - dt.timedelta(days=reports.kpi_days)
    rows = []
    for name in names:
        ar, cur, _over_90 = figures(aged[item_owner == name])
        sales = beginning = None
        if len(history):
            own = history[history_owner == name]
            sales = int(sales_counter(own)(np.datetime64(start, "D"), np.datetime64(as_of, "D")))
            beginning = int(rebuild(own, applications[application_owner == name], [start])["ar_cents"].iat[0])
        kpi = _period_kpis(ar, cur, sales, beginning, reports)
        rows.append({"collector": name, "ar_cents": ar, "current_cents": cur, "sales_cents": sales,
                     "beginning_ar_cents": beginning, **{k: np.nan if v is None else v for k, v in kpi.items()}})
    frame = pd.DataFrame(rows, columns=[c for c in COLLECTORS if c not in ("to_contact", "contacted")])
    frame = frame.merge(coverage, on="collector", how="left").fillna({"to_contact": 0, "contacted": 0})
    return shaped(frame, COLLECTORS)


def _cei_months(reports: ReportSettings) -> int:
    """The months the monthly_average CEI convention divides the period's sales by (1 for `total`)."""
    return max(1, round(reports.kpi_days / 30)) if reports.cei_sales == "monthly_average" else 1


def _period_kpis(total: int, current: int, sales: int | None, beginning: int | None,
                 reports: ReportSettings) -> dict[str, float | None]:
    """DSO, average days delinquent and CEI of one set of accounts over the KPI period (None where undefined)."""
    period = reports.kpi_days
    return {
        "dso": _defined(kpis.dso, total, sales, period),
        "average_days_delinquent": _defined(kpis.average_days_delinquent, total, current, sales, period),
        "cei": _defined(kpis.cei, beginning, sales, total, current, sales=reports.cei_sales,
                        months=_cei_months(reports)),
    }


def figures(aged: pd.DataFrame) -> tuple[int, int, int]:
    """AGED's total, current (not yet due) and over 90 days past due, in base cents."""
    days, balance = aged["days_past_due"], aged["base_balance_cents"]
    return int(balance.sum()), int(balance[days <= 0].sum()), int(balance[days > OVER_DAYS].sum())


def _as_closed(rebuilt: pd.DataFrame, closes: pd.DataFrame | None) -> pd.DataFrame:
    """The rebuilt month-ends, each one a close froze carrying the frozen figures and when it was closed."""
    out = rebuilt.assign(closed=pd.Series(pd.NaT, index=rebuilt.index, dtype="datetime64[s]"))
    if closes is None or closes.empty:
        return out
    frozen = closes.set_index("period_end")
    hit = out["month_end"].isin(frozen.index)
    for column, source in (("ar_cents", "closing_cents"), ("current_cents", "current_cents"),
                           ("over_90_cents", "over_90_cents"), ("closed", "closed")):
        out.loc[hit, column] = out.loc[hit, "month_end"].map(frozen[source])
    return out


def month_back(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier, clamped to the month's length (Mar 31 - 1 -> Feb 28/29)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def sales_counter(history: pd.DataFrame):
    """A function (after, upto) -> int64 credit sales per window (after, upto], for datetime64[D] bounds.

    Adds the sales up per day once, then answers any number of windows with two binary searches each.
    """
    sales = history[history["doc_type"].isin(DEBITS) & history["doc_date"].notna()]
    daily = sales["base_amount_cents"].groupby(sales["doc_date"].to_numpy("datetime64[D]"), sort=True).sum()
    day = daily.index.to_numpy("datetime64[D]")
    running = np.concatenate([[0], np.cumsum(daily.to_numpy(np.int64))])

    def between(after, upto):
        return running[np.searchsorted(day, upto, "right")] - running[np.searchsorted(day, after, "right")]

    return between


def rebuild(history: pd.DataFrame, applications: pd.DataFrame, dates) -> pd.DataFrame:
    """AR at each date from HISTORY and the APPLICATIONS made since its start: month_end plus the int64
    ar_cents, current_cents and over_90_cents.

    A document's balance on a day is its balance today plus what was applied to it after that day, as the aging
    of a past day reckons it (sql/<profile>/open_items.sql), so a month-end here and that month-end's aging agree
    to the cent."""
    doc, due, after, value = entries(history, applications)
    rows = []
    for date in dates:
        day = np.datetime64(date, "D")
        counted = open_on(day, doc, after)
        rows.append((value.sum(where=counted), value.sum(where=counted & (due >= day)),
                     value.sum(where=counted & (due < day - np.timedelta64(OVER_DAYS, "D")))))
    frame = pd.DataFrame(rows, columns=["ar_cents", "current_cents", "over_90_cents"], dtype=np.int64)
    frame.insert(0, "month_end", pd.to_datetime(list(dates)).astype("datetime64[s]"))
    return frame


def entries(history: pd.DataFrame, applications: pd.DataFrame) -> tuple[np.ndarray, ...]:
    """The balances of HISTORY and the APPLICATIONS since its start as four arrays of entries: document date, due
    date (the document date where there is none), the day applied (NaT for a balance today) and the cents. The
    receivables of a day are the entries `open_on` it."""
    frame = pd.concat([  # each balance today (never applied: NaT), and each application
        pd.DataFrame({"doc": history["doc_date"], "due": history["due_date"], "cents": history["base_balance_cents"],
                      "applied": pd.Series(pd.NaT, index=history.index, dtype="datetime64[s]")}),
        pd.DataFrame({"doc": applications["doc_date"], "due": applications["due_date"],
                      "cents": applications["base_amount_cents"], "applied": applications["applied"]}),
    ], ignore_index=True)
    return (frame["doc"].to_numpy("datetime64[D]"), frame["due"].fillna(frame["doc"]).to_numpy("datetime64[D]"),
            frame["applied"].to_numpy("datetime64[D]"), frame["cents"].to_numpy(np.int64))


def open_on(day: np.datetime64, doc: np.ndarray, applied: np.ndarray) -> np.ndarray:
    """Mask of the `entries` making up the receivables of `day`: dated by it and not applied by it (a balance
    today has no day applied: NaT compares False)."""
    return (doc <= day) & ~(applied <= day)


def month_ends(as_of: dt.date, count: int) -> list[dt.date]:
    """The last `count` month-ends strictly before as_of, oldest first."""
    first = as_of.replace(day=1)
    return [month_back(first, k - 1) - dt.timedelta(days=1) for k in range(count, 0, -1)]


def _periods(as_of: dt.date, count: int, sales_in) -> tuple[Period, ...]:
    """`count` monthly periods back from as_of, newest first."""
    bounds = [month_back(as_of, i) for i in range(count + 1)]
    ends = np.array(bounds, dtype="datetime64[D]")
    sales = sales_in(ends[1:], ends[:-1])
    return tuple(Period(start=bounds[i + 1] + dt.timedelta(days=1), end=bounds[i], sales_cents=int(sales[i]))
                 for i in range(count))


def _with_ratios(snapshots: pd.DataFrame, period: int) -> pd.DataFrame:
    """Adds dso (via ardesk.ar.kpis, NaN when undefined) and pct_over_90 (NaN when AR is 0)."""
    ar = snapshots["ar_cents"].to_numpy()
    dso = [_defined(kpis.dso, int(a), int(s), period) for a, s in zip(ar, snapshots["sales_cents"])]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(ar != 0, snapshots["over_90_cents"].to_numpy() / ar, np.nan)
    frame = snapshots.assign(dso=[np.nan if d is None else d for d in dso], pct_over_90=share)
    return shaped(frame, SNAPSHOTS)


def _defined(kpi, *args, **options) -> float | None:
    """A KPI, or None when an input is missing or the KPI is undefined for these inputs (kpis' ValueError)."""
    if any(arg is None for arg in args):
        return None
    try:
        return kpi(*args, **options)
    except ValueError:
        return None
