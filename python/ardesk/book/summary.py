"""The Summary sheet: the aging's totals and the collections KPIs, worked out in front of the reader.

Every figure the workbook can compute itself is a formula over the Detail table, the inputs and the tables
beside it, cached with the engine's value (ar.summary), so the sheet reads right before and after a
recalculation and shows how each KPI is made. A KPI the engine leaves undefined (no sales history in an
export file, no balance) reads "n/a" with the reason beside it, never a formula that errs.

Left (A-C): the KPIs, each with a line on how it is worked out, the inputs, and two native charts below.
Right (from E): the bucket table the bar chart draws, the monthly sales table countback DSO walks, the
month-end snapshots the DSO / % over 90 line chart draws, and the figures per collector (contact coverage this
month beside DSO, average days delinquent and CEI, each a formula over the row's inputs, the Total row's over
the column sums: the ledger's KPIs again).
"""
import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from ardesk.ar.aging import UNASSIGNED
from ardesk.ar.coverage import cycle_start
from ardesk.ar.summary import OVER_DAYS, Summary
from ardesk.book import chart, styles
from ardesk.book.cells import Formula, SharedStrings, column_letter, row
from ardesk.book.detail import TABLE, columns
from ardesk.book.sheet import Layout, Sheet, worksheet
from ardesk.xlsx.package import rid

SHEET = "Summary"
DRAWING = "xl/drawings/drawing1.xml"
BAR_CHART, LINE_CHART = "xl/charts/chart1.xml", "xl/charts/chart2.xml"
NA = "n/a"
WIDTHS = (26.0, 17.0, 80.0, 3.0, 13.0, 16.0, 16.0, 16.0, 16.0, 14.0, 14.0, 16.0, 12.0, 14.0, 12.0)
"""A label, B value, C how; D a gap; E-O the tables."""
KPIS = ("total", "current", "past_due", "pct_past_due", "pct_over", "dso", "countback", "best", "add", "cei",
        "accounts", "past_due_accounts", "coverage")
"""The KPI rows, top to bottom."""
TOP = 4
"""Sheet row of the KPI block's and the bucket table's headers; the KPIs follow in KPIS order."""
RIGHT = 4
"""Column of the tables (E)."""
INPUTS = TOP + len(KPIS) + 2
"""Sheet row of the inputs' header."""
CHARTS = INPUTS + 7
"""Sheet row at the bar chart's top edge; the line chart sits one row below it. Each spans A-C."""
CHART_ROWS = 20
BLUE, RED = "2E75B6", "C00000"
"""Series colors: amounts and DSO in blue, the over-90 share in red."""
_EPOCH = dt.date(1899, 12, 30)
_NO_HISTORY = "n/a: the source has no sales history (an export file), so there are no credit sales"


def _at(column: int, number: int) -> str:
    """An absolute cell reference, e.g. $B$5."""
    return f"${column_letter(column)}${number}"


def _kpi(key: str) -> str:
    return _at(1, TOP + 1 + KPIS.index(key))


def _serial(day: dt.date) -> int:
    """A date as Excel's day number."""
    return (day - _EPOCH).days


def _money(cents: int | None):
    return NA if cents is None else cents / 100


class _Grid:
    """Cells put anywhere, written out as `<row>`s in order: one sheet row may hold cells of both blocks."""

    def __init__(self):
        self._rows: dict[int, dict[int, tuple[object, int]]] = {}

    def put(self, number: int, column: int, values: list, style: int | list[int] = styles.PLAIN) -> None:
        each = style if isinstance(style, list) else [style] * len(values)
        self._rows.setdefault(number, {}).update({column + i: vs for i, vs in enumerate(zip(values, each))})

    def rows(self, strings: SharedStrings) -> list[str]:
        out = []
        for number, cells in sorted(self._rows.items()):
            line = [cells.get(i, (None, styles.PLAIN)) for i in range(max(cells) + 1)]
            out.append(row(number, [v for v, _ in line], strings, [s for _, s in line]))
        return out


def sheet(summary: Summary, bucket_cents: dict[str, int], disputed_cents: dict[str, int], base_currency: str,
          strings: SharedStrings) -> Sheet:
    """The Summary sheet, linked to its drawing, with the two charts as owned parts.

    `bucket_cents` holds every bucket of the aging in order, Current first, empty ones as 0; `disputed_cents` what
    of each is in dispute (the Detail rows with an In Dispute text).
    """
    headers = {c.source: c.header for c in columns(base_currency)}
    grid = _Grid()
    grid.put(1, 0, ["Accounts receivable summary"], styles.TITLE)
    grid.put(2, 0, [f"In {base_currency} as of {summary.as_of.isoformat()}; sales-based KPIs over the "
                    f"{summary.period_days} days up to that date."])
    inputs = _inputs(grid, summary)
    sales_top, bar = _buckets(grid, bucket_cents, disputed_cents, headers)
    snapshots_top, countback = _monthly_sales(grid, summary, sales_top)
    line = _snapshots(grid, summary, snapshots_top, inputs["days"])
    coverage = _collectors(grid, summary, snapshots_top + len(summary.snapshots) + 4, inputs)
    _kpis(grid, summary, headers, inputs, countback, current=next(iter(bucket_cents)))
    _coverage(grid, summary, coverage)
    tops = [CHARTS - 1 + k * (CHART_ROWS + 1) for k in range(2)]  # 0-based rows, one row apart
    drawing, charts = chart.drawing_parts(DRAWING, [
        (name, xml, chart.Anchor(0, top, 3, top + CHART_ROWS))
        for name, xml, top in zip((BAR_CHART, LINE_CHART), (bar, line), tops)
    ])
    layout = Layout(WIDTHS, selected=True, drawing_rel=rid(1))
    return Sheet(SHEET, worksheet(grid.rows(strings), layout), (drawing,), charts)


@dataclass(frozen=True)
class _Figure:
    label: str
    value: float | None
    """The engine's value; None when it is undefined."""
    formula: str
    style: int
    how: str
    why_not: str = ""
    """Shown instead of `how` when `value` is None."""
    scale: float = 1
    """From the engine's unit to the cell's: CEI comes in percent, the cell holds a fraction."""


def _kpis(grid: _Grid, summary: Summary, headers: dict[str, str], inputs: dict[str, str], countback: str | None,
          current: str) -> None:
    """The KPI block: label, formula (or n/a), and how it is worked out (or why it is n/a)."""
    balance = f"{TABLE}[{headers['base_balance_cents']}]"
    total, cur, past_due = _kpi("total"), _kpi("current"), _kpi("past_due")
    sales, days, beginning = inputs["sales"], inputs["days"], inputs["beginning"]
    cei_sales = f"{sales}/{inputs['months']}" if "months" in inputs else sales
    history = summary.credit_sales_cents is not None
    no_sales = "n/a: no credit sales in the period" if history else _NO_HISTORY
    no_total = "n/a: the total AR is zero, so there is nothing to divide by"
    criterion = current.replace('"', '""')
    figures = {
        "total": _Figure("Total AR", summary.total_cents / 100, f"SUM({balance})", styles.MONEY_BOLD,
                         f"Sum of {headers['base_balance_cents']} over every open item on Detail (credits negative)"),
        "current": _Figure("Current", summary.current_cents / 100,
                           f'SUMIFS({balance},{TABLE}[{headers["bucket"]}],"{criterion}")', styles.MONEY,
                           f"Items not yet due: Bucket {current} (0 or fewer days past due)"),
        "past_due": _Figure("Past due", summary.past_due_cents / 100, f"{total}-{cur}", styles.MONEY,
                            "Total AR less Current"),
        "pct_past_due": _Figure("% past due", summary.pct_past_due, f"{past_due}/{total}", styles.PERCENT,
                                "Past due / Total AR", no_total),
        "pct_over": _Figure(f"% over {OVER_DAYS}", summary.pct_over_90,
                            f'SUMIFS({balance},{TABLE}[{headers["days_past_due"]}],">{OVER_DAYS}")/{total}',
                            styles.PERCENT, f"Balance more than {OVER_DAYS} days past due / Total AR", no_total),
        "dso": _Figure("DSO", summary.dso, f"{total}/{sales}*{days}", styles.DAYS,
                       "Total AR / credit sales in the period x period days", no_sales),
        "countback": _Figure(
            "Countback DSO", summary.countback_dso, countback or "", styles.DAYS,
            "Days of the latest months' sales that add up to Total AR: the sum of Days counted",
            "n/a: Total AR is more than the unbroken run of monthly sales read" if history else _NO_HISTORY),
        "best": _Figure("Best possible DSO", summary.best_possible_dso, f"{cur}/{sales}*{days}", styles.DAYS,
                        "Current / credit sales in the period x period days: DSO if nothing were past due",
                        no_sales),
        "add": _Figure("Average days delinquent", summary.average_days_delinquent, f"{_kpi('dso')}-{_kpi('best')}",
                       styles.DAYS, "DSO less best possible DSO: the days that past-due money adds", no_sales),
        "cei": _Figure("CEI", summary.cei, f"({beginning}+{cei_sales}-{total})/({beginning}+{cei_sales}-{cur})",
                       styles.PERCENT, "Collected share of the collectible: (Beginning AR + sales - Total AR) / "
                       "(Beginning AR + sales - Current)",
                       "n/a: Beginning AR + sales - Current is zero" if history else _NO_HISTORY, 0.01),
    }
    grid.put(TOP, 0, ["Figure", "Value", "How it is worked out"], styles.BOLD)
    for key, f in figures.items():
        cell, note = (NA, f.why_not) if f.value is None else (Formula(f.formula, f.value * f.scale), f.how)
        grid.put(TOP + 1 + KPIS.index(key), 0, [f.label, cell, note], [styles.PLAIN, f.style, styles.PLAIN])
    for key, label, count, how in (
        ("accounts", "Accounts with a balance", summary.accounts,
         "Customers whose open items add up to a non-zero balance"),
        ("past_due_accounts", "Past-due accounts", summary.past_due_accounts,
         "Customers whose past-due items add up to more than zero"),
    ):
        grid.put(TOP + 1 + KPIS.index(key), 0, [label, count, how])


COLLECTORS_TITLE = "By collector: contact coverage this month, KPIs over the period"
COLLECTOR_COLUMNS = ("Collector", "To Contact", "Contacted", "Coverage", "AR", "Current", "Credit Sales",
                     "Beginning AR", "DSO", "Avg Days Delinquent", "CEI")
_COLLECTOR_STYLES = [styles.PLAIN, styles.PLAIN, styles.PLAIN, styles.PERCENT, styles.MONEY, styles.MONEY,
                     styles.MONEY, styles.MONEY, styles.DAYS, styles.DAYS, styles.PERCENT]


def _collectors(grid: _Grid, summary: Summary, top: int, inputs: dict[str, str]) -> str | None:
    """The figures per collector: the accounts that needed contact this month and those contacted (counts from
    ardesk.ar.coverage), coverage their ratio; AR, current, credit sales and beginning AR of the collector's
    customers, and DSO, average days delinquent (DSO less best possible DSO) and CEI worked out from them as the
    KPI block does. The Total row sums the columns, so its KPIs are the ledger's. Returns the Total row's
    coverage cell (None when the table has no rows)."""
    frame = summary.collectors
    since = cycle_start(summary.as_of).isoformat()
    grid.put(top, RIGHT, [COLLECTORS_TITLE], styles.BOLD)
    grid.put(top + 1, RIGHT, list(COLLECTOR_COLUMNS), styles.BOLD)
    first = top + 2
    if frame.empty:
        grid.put(first, RIGHT, ["None: no worklist was composed for this Summary"])
        return None
    to_contact, contacted, coverage, ar, current, sales, beginning = (column_letter(RIGHT + k) for k in range(1, 8))
    days = inputs["days"]

    def kpis(n: int, needed: int, reached: int, dso, add, cei) -> list:
        """Coverage, DSO, average days delinquent and CEI of sheet row n, n/a where the engine has none."""
        def kpi(value, formula: str, scale: float = 1):
            return NA if value is None or math.isnan(value) else Formula(formula, value * scale)
        period_sales = f"{sales}{n}/{inputs['months']}" if "months" in inputs else f"{sales}{n}"
        cei_formula = (f"({beginning}{n}+{period_sales}-{ar}{n})/"
                       f"({beginning}{n}+{period_sales}-{current}{n})")
        return [Formula(f"{contacted}{n}/{to_contact}{n}", reached / needed) if needed else NA,
                kpi(dso, f"{ar}{n}/{sales}{n}*{days}"), kpi(add, f"({ar}{n}-{current}{n})/{sales}{n}*{days}"),
                kpi(cei, cei_formula, 0.01)]

    for n, r in enumerate(frame.itertuples(index=False), first):
        share, *rest = kpis(n, r.to_contact, r.contacted, r.dso, r.average_days_delinquent, r.cei)
        amounts = [_money(None if pd.isna(v) else int(v)) for v in (r.ar_cents, r.current_cents, r.sales_cents,
                                                                      r.beginning_ar_cents)]
        grid.put(n, RIGHT, [r.collector or UNASSIGNED, r.to_contact, r.contacted, share, *amounts, *rest],
                 _COLLECTOR_STYLES)
    last, total = first + len(frame) - 1, first + len(frame)

    def column_sum(letter: str, value):
        return NA if value is None else Formula(f"SUM({letter}{first}:{letter}{last})", value)

    needed, reached = int(frame["to_contact"].sum()), int(frame["contacted"].sum())
    share, *rest = kpis(total, needed, reached, summary.dso, summary.average_days_delinquent, summary.cei)
    grid.put(total, RIGHT, ["Total", column_sum(to_contact, needed), column_sum(contacted, reached), share,
                            *(column_sum(letter, _money(cents)) if cents is not None else NA for letter, cents in (
                                (ar, summary.total_cents), (current, summary.current_cents),
                                (sales, summary.credit_sales_cents), (beginning, summary.beginning_ar_cents))),
                            *rest], [styles.BOLD, *_COLLECTOR_STYLES[1:]])
    grid.put(total + 1, RIGHT, [f"To Contact: the accounts on the Worklist, less those parked by a note dated before "
                                f"{since}; Contacted: those of them with a note dated {since} or later."])
    return _at(RIGHT + 3, total)


def _coverage(grid: _Grid, summary: Summary, cell: str | None) -> None:
    """The KPI block's contact coverage: the Total row's of the table per collector."""
    frame = summary.collectors
    needed, reached = int(frame["to_contact"].sum()), int(frame["contacted"].sum())
    since = cycle_start(summary.as_of).isoformat()
    if cell is None or not needed:
        value, how = NA, "n/a: no account needed contact this month"
    else:
        value = Formula(cell, reached / needed)
        how = (f"Of the {needed} accounts that needed contact since {since}, the share with a note dated since then "
               "(Total of the table per collector)")
    grid.put(TOP + 1 + KPIS.index("coverage"), 0, ["Contact coverage this month", value, how],
             [styles.PLAIN, styles.PERCENT, styles.PLAIN])


def _inputs(grid: _Grid, summary: Summary) -> dict[str, str]:
    """The inputs block under the KPIs; returns each input's cell reference by key."""
    no_history = summary.credit_sales_cents is None
    rows = [
        ("days", "Period days", summary.period_days, styles.PLAIN,
         f"The {summary.period_days} days up to and including the as-of date"),
        ("sales", "Credit sales in the period", _money(summary.credit_sales_cents), styles.MONEY,
         _NO_HISTORY if no_history else "Base amounts of the invoices and debit memos dated in the period"),
        ("beginning", "Beginning AR", _money(summary.beginning_ar_cents), styles.MONEY,
         _NO_HISTORY if no_history else "AR at the period's start, rebuilt from the document history"),
        ("convention", "CEI sales convention", summary.cei_sales, styles.PLAIN,
         "total: the period's credit sales; monthly_average: those sales / the months below"),
    ]
    if summary.cei_sales == "monthly_average":
        rows.append(("months", "Months in the period", summary.cei_months, styles.PLAIN,
                     "Period days / 30, rounded, at least 1: what CEI divides the credit sales by"))
    grid.put(INPUTS, 0, ["Input", "Value", "What it is"], styles.BOLD)
    refs = {}
    for number, (key, label, value, style, note) in enumerate(rows, INPUTS + 1):
        grid.put(number, 0, [label, value, note], [styles.PLAIN, style, styles.PLAIN])
        refs[key] = _at(1, number)
    return refs


def _buckets(grid: _Grid, bucket_cents: dict[str, int], disputed_cents: dict[str, int],
             headers: dict[str, str]) -> tuple[int, str]:
    """The bucket table and its bar chart: per bucket a SUMIFS over the Detail table, the part of it in dispute
    (listed apart: out of the dunning) and the rest to collect; then the totals.

    Returns the first free sheet row below the table and the chart's XML.
    """
    amount = headers["base_balance_cents"]
    sums = f"{TABLE}[{amount}],{TABLE}[{headers['bucket']}]"
    disputed = f"{TABLE}[{headers['in_dispute']}],\"<>\""
    first, last = TOP + 1, TOP + len(bucket_cents)
    grid.put(TOP, RIGHT, ["Bucket", amount, "In Dispute", "To Collect"], styles.BOLD)
    total, held, rest = (column_letter(RIGHT + k) for k in (1, 2, 3))
    for number, (label, cents) in enumerate(bucket_cents.items(), first):
        bucket = f"{sums},{_at(RIGHT, number)}"
        grid.put(number, RIGHT, [label, Formula(f"SUMIFS({bucket})", cents / 100),
                                 Formula(f"SUMIFS({bucket},{disputed})", disputed_cents[label] / 100),
                                 Formula(f"{total}{number}-{held}{number}", (cents - disputed_cents[label]) / 100)],
                 [styles.PLAIN, styles.MONEY, styles.MONEY, styles.MONEY])
    sums_of = [Formula(f"SUM({c}{first}:{c}{last})", sum(d.values()) / 100) for c, d in (
        (total, bucket_cents), (held, disputed_cents),
        (rest, {k: bucket_cents[k] - disputed_cents[k] for k in bucket_cents}))]
    grid.put(last + 1, RIGHT, ["Total", *sums_of], [styles.BOLD] + [styles.MONEY_BOLD] * 3)
    bars = chart.Series(chart.Cells(chart.cell_range(SHEET, RIGHT + 1, TOP, TOP), [amount]),
                        chart.Cells(chart.cell_range(SHEET, RIGHT + 1, first, last),
                                    [c / 100 for c in bucket_cents.values()], "#,##0.00"), BLUE)
    labels = chart.Cells(chart.cell_range(SHEET, RIGHT, first, last), list(bucket_cents))
    return last + 3, chart.bar_chart("Aging by bucket", labels, bars, chart.Axis(amount, "#,##0"))


def _monthly_sales(grid: _Grid, summary: Summary, top: int) -> tuple[int, str | None]:
    """The monthly sales table countback DSO walks, newest month first.

    Countback walks the unbroken run of months with sales (ar.summary). In that run, each month counts
    share x its days, where share = (Total AR - the newer months' sales) / its sales, clamped to at most 1,
    and for all but the newest month to at least 0 (AR at or below zero counts in the newest month alone,
    as ar.kpis does). The sum of Days counted is then countback DSO exactly: whole months while the AR
    lasts, the remainder as a share of the next month; n/a when Total AR is more than the run's sales.
    Returns the first free sheet row below the table and countback DSO's formula (None when no month counts).
    """
    grid.put(top, RIGHT, ["Monthly credit sales, newest first (countback DSO)"], styles.BOLD)
    grid.put(top + 1, RIGHT, ["Period start", "Period end", "Days", "Credit sales", "Cumulative sales",
                              "Days counted"], styles.BOLD)
    first = top + 2
    if not summary.periods:
        grid.put(first, RIGHT, [_NO_HISTORY])
        return first + 2, None
    start, end, days, sales, cumulative, counted = (column_letter(RIGHT + i) for i in range(6))
    look = [styles.DATE, styles.DATE, styles.PLAIN, styles.MONEY, styles.MONEY, styles.DAYS]
    newer = run = 0
    for i, period in enumerate(summary.periods):
        n = first + i
        cells = [_serial(period.start), _serial(period.end), Formula(f"{end}{n}-{start}{n}+1", period.days),
                 period.sales_cents / 100,
                 Formula(f"SUM({sales}${first}:{sales}{n})", (newer + period.sales_cents) / 100)]
        if run == i and period.sales_cents > 0:
            run += 1
            share = Fraction(summary.total_cents - newer, period.sales_cents)
            part = f"({_kpi('total')}-{cumulative}{n}+{sales}{n})/{sales}{n}"
            if i == 0:
                clamped, share = f"MIN(1,{part})", min(1, share)
            else:
                clamped, share = f"MEDIAN(0,1,{part})", min(1, max(0, share))
            cells.append(Formula(f"{clamped}*{days}{n}", float(share * period.days)))
        newer += period.sales_cents
        grid.put(n, RIGHT, cells, look[: len(cells)])
    last = first + len(summary.periods) - 1
    if run < len(summary.periods):
        grid.put(last + 1, RIGHT, ["Days counted stops at the first month without sales: countback walks "
                                   "an unbroken run of months."])
    if not run:
        return last + 3, None
    run_end = first + run - 1
    return last + 3, f'IF({_kpi("total")}>{cumulative}{run_end},"n/a",SUM({counted}{first}:{counted}{run_end}))'


def _snapshots(grid: _Grid, summary: Summary, top: int, period_days: str) -> str:
    """The month-end snapshots (the last row is the as-of date) and their DSO / % over 90 line chart.

    DSO and % over 90 are formulas over the row's values; where the engine has none (no sales in the days
    before that month-end, no AR) the cell stays empty, which the chart draws as a gap. A month-end whose period
    was closed shows its frozen figures and the day it was closed.
    """
    over = f"% over {OVER_DAYS}"
    grid.put(top, RIGHT, ["Month-end snapshots (the last row is the as-of date)"], styles.BOLD)
    grid.put(top + 1, RIGHT, ["Month end", "AR", "Current", f"Over {OVER_DAYS}",
                              f"Sales, {summary.period_days} days", "DSO", over, "Closed on"], styles.BOLD)
    first = top + 2
    ar, over_90, sales = (column_letter(RIGHT + i) for i in (1, 3, 4))
    look = [styles.DATE, styles.MONEY, styles.MONEY, styles.MONEY, styles.MONEY, styles.DAYS, styles.PERCENT,
            styles.DATE]
    frame = summary.snapshots
    for n, s in enumerate(frame.itertuples(index=False), first):
        grid.put(n, RIGHT, [
            _serial(s.month_end.date()), s.ar_cents / 100, s.current_cents / 100, s.over_90_cents / 100,
            s.sales_cents / 100,
            None if math.isnan(s.dso) else Formula(f"{ar}{n}/{sales}{n}*{period_days}", s.dso),
            None if math.isnan(s.pct_over_90) else Formula(f"{over_90}{n}/{ar}{n}", s.pct_over_90),
            None if pd.isna(s.closed) else _serial(s.closed.date()),
        ], look)
    last = first + len(frame) - 1
    if frame[["dso", "pct_over_90"]].isna().to_numpy().any():
        grid.put(last + 1, RIGHT, ["An empty DSO: no credit sales in the days before that month-end; "
                                   f"an empty {over}: no AR."])

    def line(column: int, header: str, values, number_format: str, color: str, axis: chart.Axis):
        name = chart.Cells(chart.cell_range(SHEET, column, top + 1, top + 1), [header])
        points = chart.Cells(chart.cell_range(SHEET, column, first, last),
                             [None if math.isnan(v) else float(v) for v in values], number_format)
        return chart.Series(name, points, color), axis

    months = chart.Cells(chart.cell_range(SHEET, RIGHT, first, last),
                         [_serial(d.date()) for d in frame["month_end"]], "mmm yy")
    return chart.line_chart(
        f"DSO and {over} at month-end", months,
        line(RIGHT + 5, "DSO", frame["dso"], "0.0", BLUE, chart.Axis("DSO (days)", "0")),
        line(RIGHT + 6, over, frame["pct_over_90"], "0.0%", RED, chart.Axis(over, "0%")),
    )
