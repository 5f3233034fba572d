"""Summary figures pinned down: totals, the KPI period, rebuilt AR, countback periods and month-end snapshots."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ardesk.ar import kpis
from ardesk.ar.coverage import COVERAGE
from ardesk.ar.summary import COLLECTORS, SNAPSHOTS, month_back, rebuild, sales_counter, summarize
from ardesk.frames import APPLICATIONS, HISTORY, empty
from ardesk.settings import ReportSettings
from test_reports import AS_OF, DAY, aged_of, assert_contract, item

D = pd.Timestamp


def history_of(*rows) -> pd.DataFrame:
    """HISTORY from (type, doc date, due date or None, closed date or None, amount, balance) tuples."""
    frame = pd.DataFrame(rows, columns=["doc_type", "doc_date", "due_date", "closed_date", "base_amount_cents",
                                        "base_balance_cents"])
    frame.insert(0, "customer_id", "C1")
    for name in ("doc_date", "due_date", "closed_date"):
        frame[name] = pd.to_datetime(frame[name])
    return frame.astype(HISTORY)


def paid_off(history: pd.DataFrame) -> pd.DataFrame:
    """APPLICATIONS paying each closed document of `history` off on its closed date."""
    closed = history[history["closed_date"].notna()]
    return pd.DataFrame({"customer_id": closed["customer_id"], "doc_date": closed["doc_date"],
                         "due_date": closed["due_date"],
                         "applied": closed["closed_date"], "base_amount_cents": closed["base_amount_cents"]},
                        ).astype(APPLICATIONS).reset_index(drop=True)


# Today's AR: total 22,800; current 15,000 (-5 and 0 days); over 90 3,000 (91 and 100 days); C nets to 0.
AGED = aged_of(
    item("A", "1", -5, 10_000), item("A", "2", 0, 5_000), item("A", "3", 1, 2_000),
    item("B", "4", 90, 3_000), item("B", "5", 91, 4_000), item("B", "6", 100, -1_000),
    item("C", "7", 10, 500), item("C", "8", 5, -500),
    item("D", "9", 3, 100), item("D", "10", 40, -300),
)

# Sales history; the as-of row of the snapshots comes from AGED, the month-ends from this.
HISTORY_ROWS = history_of(
    ("INV", "2026-10-25", "2026-11-24", "2026-11-01", 1_000_000, 0),  # on the period's first edge: outside
    ("INV", "2026-10-26", "2026-11-25", "2026-11-10", 200_000, 0),
    ("INV", "2026-11-24", "2026-12-24", None, 300_000, 300_000),  # dated on the as-of date: inside
    ("DM", "2026-11-01", "2026-12-01", None, 50_000, 20_000),
    ("CM", "2026-11-05", "2026-11-05", None, -70_000, -70_000),  # credits are not sales
    ("INV", "2026-11-25", "2026-12-25", None, 9_999_999, 9_999_999),  # after the as-of date
    ("INV", "2026-09-15", "2026-10-15", "2026-10-25", 400_000, 0),  # closed on the beginning date: gone
    ("INV", "2026-09-20", "2026-09-30", "2026-10-26", 600_000, 0),  # closed after it: at its amount
    ("PAY", "2026-10-01", None, None, -5_000, -5_000),  # no due date: ages from its own date
    ("PAY", "2026-06-15", None, None, -7_000, -7_000),  # ... so this one is over 90 days at both month-ends
    ("INV", "2026-06-01", "2026-07-01", None, 80_000, 80_000),
)
REPORTS = ReportSettings(kpi_days=30, snapshot_months=2)


def test_totals_come_from_the_aging():
    s = summarize(AGED, HISTORY_ROWS, paid_off(HISTORY_ROWS), AS_OF, REPORTS)
    assert (s.total_cents, s.current_cents, s.past_due_cents, s.over_90_cents) == (22_800, 15_000, 7_800, 3_000)
    assert (s.accounts, s.past_due_accounts) == (3, 2)  # C nets to 0; D's past due nets to -200
    assert s.pct_past_due == 7_800 / 22_800 and s.pct_over_90 == 3_000 / 22_800
    assert (s.as_of, s.period_days, s.cei_sales) == (AS_OF, 30, "total")


def test_kpis_use_the_period_sales_and_the_rebuilt_beginning_ar():
    s = summarize(AGED, HISTORY_ROWS, paid_off(HISTORY_ROWS), AS_OF, REPORTS)
    assert s.credit_sales_cents == 200_000 + 300_000 + 50_000
    # at 2026-10-25: 1,000,000 (closed since) + 600,000 (closed since) - 5,000 - 7,000 + 80,000 (open)
    assert s.beginning_ar_cents == 1_668_000
    assert s.dso == kpis.dso(22_800, 550_000, 30)
    assert s.best_possible_dso == kpis.best_possible_dso(15_000, 550_000, 30)
    assert s.average_days_delinquent == kpis.average_days_delinquent(22_800, 15_000, 550_000, 30)
    assert s.cei == kpis.cei(1_668_000, 550_000, 22_800, 15_000)


def test_cei_monthly_average_spreads_sales_over_the_period_months():
    s = summarize(AGED, HISTORY_ROWS, paid_off(HISTORY_ROWS), AS_OF,
                  ReportSettings(kpi_days=90, cei_sales="monthly_average"))
    assert s.cei_sales == "monthly_average"
    assert s.cei == kpis.cei(s.beginning_ar_cents, s.credit_sales_cents, 22_800, 15_000,
                             sales="monthly_average", months=3)


def test_countback_periods_are_the_calendar_months_the_history_read_covers():
    s = summarize(AGED, HISTORY_ROWS, paid_off(HISTORY_ROWS), AS_OF, REPORTS)
    assert [(p.start, p.end, p.sales_cents) for p in s.periods] == [  # snapshot_months + 1 of them
        (dt.date(2026, 10, 25), dt.date(2026, 11, 24), 1_550_000),
        (dt.date(2026, 9, 25), dt.date(2026, 10, 24), 0),
        (dt.date(2026, 8, 25), dt.date(2026, 9, 24), 1_000_000),
    ]  # the sale of 2026-06-01 is older than the window: not a period of its own
    assert s.periods[0].days == 31
    assert s.countback_dso == kpis.countback_dso(22_800, [1_550_000], [31])


def test_countback_stops_at_a_month_without_sales():
    aged = aged_of(item("A", "1", 0, 1_550_001))  # one cent more than the newest month's sales
    assert summarize(aged, HISTORY_ROWS, paid_off(HISTORY_ROWS), AS_OF, REPORTS).countback_dso is None
    aged = aged_of(item("A", "1", 0, 1_550_000))
    assert summarize(aged, HISTORY_ROWS, paid_off(HISTORY_ROWS), AS_OF, REPORTS).countback_dso == 31.0


def test_periods_are_clamped_to_month_ends():
    history = history_of(("INV", "2026-03-31", "2026-04-30", None, 100, 100))
    s = summarize(aged_of(item("A", "1", 0, 50)), history, paid_off(history), dt.date(2026, 3, 31), REPORTS)
    assert [(p.start, p.end) for p in s.periods] == [
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)), (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 31))]
    assert s.countback_dso == 50 / 100 * 31


@pytest.mark.parametrize("day, months, back", [
    (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)), (dt.date(2028, 3, 31), 1, dt.date(2028, 2, 29)),
    (dt.date(2026, 1, 15), 1, dt.date(2025, 12, 15)), (dt.date(2026, 11, 24), 12, dt.date(2025, 11, 24)),
    (dt.date(2026, 5, 31), 3, dt.date(2026, 2, 28)), (dt.date(2026, 5, 31), 0, dt.date(2026, 5, 31)),
])
def test_month_back_clamps_the_day(day, months, back):
    assert month_back(day, months) == back


def test_snapshots_rebuild_month_ends_and_end_on_the_totals():
    s = summarize(AGED, HISTORY_ROWS, paid_off(HISTORY_ROWS), AS_OF, REPORTS)
    assert_contract(s.snapshots, SNAPSHOTS)
    assert s.snapshots[["month_end", "ar_cents", "current_cents", "over_90_cents", "sales_cents"]
                       ].values.tolist() == [
        # Sep 30: 400,000 + 600,000 (closed later) + 80,000 (due Jul 1: 91 days late) - 7,000 (107 days old);
        # 600,000 is due that day, so current
        [D("2026-09-30"), 1_073_000, 1_000_000, 73_000, 1_000_000],
        # Oct 31: 1,000,000 + 200,000 (closed later) - 5,000 (30 days old) + 80,000 - 7,000; sales of Oct 2-31
        [D("2026-10-31"), 1_268_000, 1_200_000, 73_000, 1_200_000],
        [D("2026-11-24"), 22_800, 15_000, 3_000, 550_000],
    ]
    assert s.snapshots["dso"].tolist() == [kpis.dso(1_073_000, 1_000_000, 30), kpis.dso(1_268_000, 1_200_000, 30),
                                           s.dso]
    assert s.snapshots["pct_over_90"].tolist() == [73_000 / 1_073_000, 73_000 / 1_268_000, 3_000 / 22_800]


def test_an_as_of_month_end_is_not_repeated():
    s = summarize(AGED, HISTORY_ROWS, paid_off(HISTORY_ROWS), dt.date(2026, 11, 30), REPORTS)
    assert s.snapshots["month_end"].tolist() == [D("2026-09-30"), D("2026-10-31"), D("2026-11-30")]


def test_without_history_only_what_the_aging_gives():
    s = summarize(AGED, empty(HISTORY), empty(APPLICATIONS), AS_OF, REPORTS)
    assert (s.credit_sales_cents, s.beginning_ar_cents, s.periods) == (None, None, ())
    assert (s.dso, s.countback_dso, s.best_possible_dso, s.average_days_delinquent, s.cei) == (None,) * 5
    assert s.total_cents == 22_800 and s.pct_over_90 == 3_000 / 22_800
    assert_contract(s.snapshots, SNAPSHOTS)
    assert s.snapshots.drop(columns=["dso", "closed"]).values.tolist() == [[D(AS_OF), 22_800, 15_000, 3_000, 0,
                                                                           3_000 / 22_800]]
    assert s.snapshots["closed"].isna().all()
    assert np.isnan(s.snapshots["dso"].iloc[0])


def test_undefined_ratios_are_none_or_nan():
    aged = aged_of(item("A", "1", 5, 100), item("A", "2", 5, -100))
    s = summarize(aged, empty(HISTORY), empty(APPLICATIONS), AS_OF, REPORTS)
    assert (s.total_cents, s.accounts, s.past_due_accounts, s.pct_past_due, s.pct_over_90) == (0, 0, 0, None, None)
    assert np.isnan(s.snapshots["pct_over_90"].iloc[0])
    none_sold = history_of(("CM", "2026-11-01", "2026-11-01", None, -100, -100))
    s = summarize(aged, none_sold, paid_off(none_sold), AS_OF, REPORTS)
    assert (s.credit_sales_cents, s.dso, s.cei) == (0, None, None)
    assert all(p.sales_cents == 0 for p in s.periods) and len(s.periods) == 3 and s.countback_dso is None


def test_empty_aging_and_history():
    s = summarize(aged_of(), empty(HISTORY), empty(APPLICATIONS), AS_OF, REPORTS)
    assert (s.total_cents, s.accounts, s.past_due_accounts, s.pct_past_due) == (0, 0, 0, None)
    assert_contract(s.snapshots, SNAPSHOTS)


documents = st.lists(st.tuples(
    st.sampled_from(("INV", "DM", "CM", "PAY")),
    st.integers(0, 400),  # document date: days before as_of
    st.integers(-10, 60),  # due date: days after the document date
    st.one_of(st.none(), st.integers(0, 400)),  # closed: days after the document date (capped at as_of); None open
    st.integers(1, 2**40),  # amount, signed by type
    st.integers(0, 100),  # percent still open, for open documents
), max_size=30)


def history_and_aging(docs):
    """A HISTORY and the AGED of its still-open documents, consistent with each other."""
    rows, open_items = [], []
    for i, (kind, age, due_in, closed_in, amount, left) in enumerate(docs):
        sign = -1 if kind in ("CM", "PAY") else 1
        doc, due = AS_OF - age * DAY, AS_OF - (age - due_in) * DAY
        closed = None if closed_in is None else min(doc + closed_in * DAY, AS_OF)
        balance = 0 if closed else sign * max(1, amount * left // 100)
        rows.append((kind, doc, due, closed, sign * amount, balance))
        if not closed:
            open_items.append(item("C1", str(i), (AS_OF - due).days, balance, kind, doc_age=age))
    return history_of(*rows), aged_of(*open_items)


@settings(max_examples=100, deadline=None)
@given(docs=documents)
def test_rebuilt_ar_at_the_as_of_date_is_todays_ar(docs):
    history, aged = history_and_aging(docs)
    row = rebuild(history, paid_off(history), [AS_OF]).iloc[0]
    days, balance = aged["days_past_due"], aged["base_balance_cents"]
    assert row["ar_cents"] == balance.sum()
    assert row["current_cents"] == balance[days <= 0].sum()
    assert row["over_90_cents"] == balance[days > 90].sum()


@settings(max_examples=100, deadline=None)
@given(docs=documents, back=st.lists(st.integers(0, 500), min_size=1, max_size=5))
def test_snapshot_sums_are_exact(docs, back):
    history, _ = history_and_aging(docs)
    dates = [AS_OF - b * DAY for b in back]
    table = rebuild(history, paid_off(history), dates)
    for date, row in zip(dates, table.itertuples()):
        counted = [r for r in history.itertuples()
                   if r.doc_date.date() <= date and (pd.isna(r.closed_date) or r.closed_date.date() > date)]
        value = {r.Index: r.base_balance_cents if pd.isna(r.closed_date) else r.base_amount_cents for r in counted}
        late = {r.Index: (date - r.due_date.date()).days for r in counted}
        assert row.ar_cents == sum(value.values())
        assert row.current_cents == sum(v for i, v in value.items() if late[i] <= 0)
        assert row.over_90_cents == sum(v for i, v in value.items() if late[i] > 90)
    sales_in = sales_counter(history)
    for date in dates:
        day = np.datetime64(date, "D")
        expected = sum(r.base_amount_cents for r in history.itertuples()
                       if r.doc_type in ("INV", "DM") and date - 30 * DAY < r.doc_date.date() <= date)
        assert sales_in(day - np.timedelta64(30, "D"), day) == expected


def test_a_month_end_counts_what_was_paid_on_a_document_after_it():
    """Paid in part after the month-end: the month-end carries the whole; paid off later still: the same."""
    history = history_of(("INV", "2026-10-01", "2026-10-31", None, 100_000, 30_000),
                         ("INV", "2026-10-05", "2026-11-04", "2026-11-20", 50_000, 0))
    applications = pd.DataFrame({
        "customer_id": "A", "doc_date": pd.to_datetime(["2026-10-01", "2026-10-05", "2026-10-05"]),
        "due_date": pd.to_datetime(["2026-10-31", "2026-11-04", "2026-11-04"]),
        "applied": pd.to_datetime(["2026-11-10", "2026-10-20", "2026-11-20"]),
        "base_amount_cents": [70_000, 20_000, 30_000]}).astype(APPLICATIONS)
    table = rebuild(history, applications, [dt.date(2026, 9, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 15),
                                            AS_OF])
    assert table["ar_cents"].tolist() == [0, 100_000 + 30_000, 30_000 + 30_000, 30_000]
    assert table["current_cents"].tolist() == [0, 100_000 + 30_000, 0, 0]


def test_each_collectors_kpis_by_the_ledgers_formulas_over_its_own_customers():
    aged = aged_of(item("A", "1", 10, 300_000, collector="Ana"), item("B", "2", -5, 40_000, collector="Bo"),
                   item("C", "3", 20, 10_000))
    history = pd.concat([
        history_of(("INV", "2026-11-10", "2026-12-10", None, 300_000, 300_000)).assign(customer_id="A"),
        history_of(("INV", "2026-11-01", "2026-12-01", "2026-11-20", 100_000, 0)).assign(customer_id="B"),
        # Z owes nothing today; its customer record names Bo: its invoice open on 2026-10-25 is Bo's beginning AR
        history_of(("INV", "2026-10-01", "2026-10-31", "2026-11-05", 50_000, 0)).assign(customer_id="Z"),
        history_of(("INV", "2026-11-02", "2026-12-02", None, 10_000, 10_000)).assign(customer_id="C"),
    ], ignore_index=True).astype(HISTORY)
    customers = pd.DataFrame({"customer_id": ["A", "B", "C", "Z"], "collector": ["Ana", "Bo", "", "Bo"]})
    covered = pd.DataFrame({"collector": ["Ana", ""], "to_contact": [1, 1], "contacted": [1, 0]}).astype(COVERAGE)
    s = summarize(aged, history, paid_off(history), AS_OF, REPORTS, coverage=covered,
                  customers=customers)
    assert dict(s.collectors.dtypes.astype(str)) == COLLECTORS
    got = s.collectors.set_index("collector")
    assert list(got.index) == ["Ana", "Bo", ""]
    assert got[["to_contact", "contacted"]].to_dict("list") == {"to_contact": [1, 0, 1], "contacted": [1, 0, 0]}
    assert got[["ar_cents", "current_cents", "sales_cents", "beginning_ar_cents"]].astype(object).to_dict("list") \
        == {"ar_cents": [300_000, 40_000, 10_000], "current_cents": [0, 40_000, 0],
            "sales_cents": [300_000, 100_000, 10_000], "beginning_ar_cents": [0, 50_000, 0]}
    # Ana: DSO 300,000 / 300,000 x 30 = 30, all of it delinquent; CEI (0 + 300,000 - 300,000) / (0 + 300,000 - 0) = 0
    # Bo: DSO 40,000 / 100,000 x 30 = 12, none delinquent; CEI (50,000 + 100,000 - 40,000) / (the same) = 100
    # (unassigned): DSO 10,000 / 10,000 x 30 = 30; CEI 0
    assert got["dso"].tolist() == [30.0, 12.0, 30.0]
    assert got["average_days_delinquent"].tolist() == [30.0, 0.0, 30.0]
    assert got["cei"].tolist() == [0.0, 100.0, 0.0]
    assert (got["ar_cents"].sum(), got["sales_cents"].sum(), got["beginning_ar_cents"].sum()) == (
        s.total_cents, s.credit_sales_cents, s.beginning_ar_cents)


def test_a_collector_without_sales_or_history_has_no_sales_kpis():
    aged = aged_of(item("A", "1", 10, 300_000, collector="Ana"))
    covered = pd.DataFrame({"collector": ["Ana"], "to_contact": [1], "contacted": [0]}).astype(COVERAGE)
    row = summarize(aged, empty(HISTORY), empty(APPLICATIONS), AS_OF, REPORTS,
                    coverage=covered).collectors.iloc[0]
    assert (row["ar_cents"], row["sales_cents"], row["beginning_ar_cents"]) == (300_000, pd.NA, pd.NA)
    assert np.isnan([row["dso"], row["average_days_delinquent"], row["cei"]]).all()
