"""The month-end close (issue 15, part 2): the receivables rollforward of a period, opening and closing tied to the
agings of both ends to the cent, every line the sum of its documents, written as the Month-End workbook that
validates and that LibreOffice recomputes to ardesk's own figures."""
import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

import lo
from ardesk.ar import rollforward
from ardesk.ar.rollforward import LINES, NO_COLLECTOR
from ardesk.book import write_month_end
from ardesk.book.rollforward_sheet import ACTIVITY_SHEET, HEADER, SHEET
from ardesk.demo import ledger
from ardesk.erp import demo, fetch
from ardesk.frames import OPEN_ITEMS, PERIOD_ACTIVITY
from ardesk.settings import ErpSettings
from ooxml import validation_errors

TODAY = dt.date(2026, 11, 24)
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


def _items(*rows) -> pd.DataFrame:
    """OPEN_ITEMS from (customer, collector, base balance in cents)."""
    frame = pd.DataFrame(rows, columns=["customer_id", "collector", "base_balance_cents"])
    for name, dtype in OPEN_ITEMS.items():
        if name not in frame:
            frame[name] = pd.Series([pd.NA] * len(frame), dtype=dtype) if dtype != "int64" else 0
    return frame[list(OPEN_ITEMS)].astype(OPEN_ITEMS)


def _activity(*rows) -> pd.DataFrame:
    """PERIOD_ACTIVITY from (customer, collector, document type, movement, cents)."""
    frame = pd.DataFrame(rows, columns=["customer_id", "collector", "doc_type", "movement", "base_amount_cents"])
    frame["date"], frame["doc_no"] = pd.Timestamp("2026-10-15"), "1"
    frame["customer_name"] = frame["company"] = ""
    return frame[list(PERIOD_ACTIVITY)].astype(PERIOD_ACTIVITY)


def test_each_movement_goes_to_its_line_and_the_rest_is_unexplained():
    opening = _items(("A", "Ann", 100_00), ("B", "", 50_00))
    closing = _items(("A", "Ann", 130_00), ("C", "Ann", 5_00))
    activity = _activity(
        ("A", "Ann", "INV", "Posted", 80_00), ("A", "Ann", "INV", "Applied", -60_00),
        ("A", "Ann", "CM", "Posted", -10_00), ("A", "Ann", "CM", "Applied", 10_00),
        ("A", "Ann", "DM", "Posted", 5_00), ("A", "Ann", "DM", "Applied", -5_00),
        ("A", "Ann", "PAY", "Posted", -20_00), ("A", "Ann", "PAY", "Applied", 20_00),
        ("B", "", "INV", "Applied", -50_00),
        ("C", "Ann", "INV", "Posted", 7_00),  # 2.00 of C's movement is missing: unexplained
    )
    by_customer = rollforward.rollforward(opening, closing, activity, "customer_id").set_index("key")
    assert by_customer.loc["A"].to_dict() == {
        "opening_cents": 100_00, "invoices_cents": 80_00, "debit_memos_cents": 5_00, "credit_memos_cents": -10_00,
        "unapplied_cash_cents": -20_00, "cash_applied_cents": -65_00, "credits_used_cents": 30_00,
        "closing_cents": 130_00, "unexplained_cents": 10_00}
    b = by_customer.loc["B"]
    assert [b["opening_cents"], b["cash_applied_cents"], b["closing_cents"], b["unexplained_cents"]] == [50_00, -50_00,
                                                                                                      0, 0]
    assert by_customer.loc["C", "unexplained_cents"] == -2_00
    by_collector = rollforward.rollforward(opening, closing, activity, "collector").set_index("key")
    assert list(by_collector.index) == ["Ann", NO_COLLECTOR]
    total = rollforward.rollforward(opening, closing, activity, None)
    assert total["unexplained_cents"].tolist() == [8_00]


@pytest.fixture(scope="module")
def frames():
    return ledger.generate(300, 11, TODAY)


def test_the_rollforward_ties_both_ends_to_the_agings_and_explains_every_cent(any_erp, frames):
    kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    demo.load(erp, frames)
    found = fetch.period(erp, *OCTOBER)
    opening, opening_total = fetch.open_items(erp, dt.date(2026, 9, 30))
    closing, closing_total = fetch.open_items(erp, dt.date(2026, 10, 31))
    rolled = rollforward.of_period(found.opening, found.closing, found.activity)
    total = rolled.total.iloc[0]
    assert (total["opening_cents"], found.opening_total_cents) == (opening["base_balance_cents"].sum(), opening_total)
    assert (total["closing_cents"], found.closing_total_cents) == (closing["base_balance_cents"].sum(), closing_total)
    assert total["opening_cents"] == opening_total and total["closing_cents"] == closing_total
    for view in (rolled.total, rolled.by_collector, rolled.by_customer):
        assert (view["unexplained_cents"] == 0).all(), kind
        assert view.drop(columns="key").sum().equals(rolled.total.drop(columns="key").sum())
    head, detail = frames["Erp.InvcHead"], frames["Erp.CashDtl"]
    dated = head["Posted"].astype(bool) & head["InvoiceDate"].between(*OCTOBER)
    assert total["invoices_cents"] == round(head.loc[dated & (head["InvoiceSuffix"] == ""), "InvoiceAmt"]
                                            .astype(float).sum() * 100)
    applied = detail[detail["TranDate"].between(*OCTOBER)]
    assert total["cash_applied_cents"] + total["credits_used_cents"] == -round(applied["TranAmt"].astype(float)
                                                                                .sum() * 100)
    assert total["invoices_cents"] > 0 and total["cash_applied_cents"] < 0


def test_the_month_end_workbook_validates_and_libreoffice_computes_ardesks_figures(sqlite_erp, frames, tmp_path):
    erp = ErpSettings(connect=sqlite_erp)
    demo.load(erp, frames)
    found = fetch.period(erp, *OCTOBER)
    rolled = rollforward.of_period(found.opening, found.closing, found.activity)
    # The workbook caches 0 for every movement: what LibreOffice shows it computed from the Activity table.
    blank = rollforward.Rollforward(*(view.assign(**dict.fromkeys(LINES.values(), 0), unexplained_cents=0)
                                      for view in (rolled.total, rolled.by_collector, rolled.by_customer)))
    path = write_month_end(tmp_path / "month-end.xlsx", blank, found.activity, {},
                           (found.opening_total_cents, found.closing_total_cents), *OCTOBER, base_currency="USD")
    assert validation_errors(path) == {}
    computed = lo.computed_values(lo.recalculate([path], tmp_path)[0])
    sheet = computed[SHEET]
    assert list(sheet[HEADER - 1][2:3 + len(LINES) + 2]) == ["Opening", *LINES, "Closing", "Unexplained"]
    blocks = {"By collector": rolled.by_collector, "By customer": rolled.by_customer}
    rows, seen = {"Total": rolled.total.iloc[0]}, 0  # the rows of the block being read, by key
    for cells in sheet[HEADER:]:
        if cells[0] in blocks:
            rows = {key: row for key, row in blocks[cells[0]].set_index("key", drop=False).iterrows()}
            continue
        if cells[0] not in rows:
            continue
        figures = rows[cells[0]]
        shown = [round(value * 100) for value in cells[2:3 + len(LINES) + 2]]
        assert shown == [int(figures[c]) for c in ["opening_cents", *LINES.values(), "closing_cents",
                                                   "unexplained_cents"]], cells[0]
        seen += 1
    assert seen == 1 + len(rolled.by_collector) + len(rolled.by_customer)
    assert len(computed[ACTIVITY_SHEET]) == len(found.activity) + 1


def test_ardesk_close_writes_the_workbook_and_refuses_a_month_not_ended(sqlite_erp, frames, tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), frames)

    def close(*args):
        return subprocess.run([sys.executable, "-m", "ardesk", "close", "--connect", sqlite_erp, *args],
                              capture_output=True, text=True, cwd=tmp_path)

    done = close("--period", "2026-10")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "month-end-2026-10.xlsx")
    later = dt.date.today().replace(day=1) + dt.timedelta(days=40)
    refused = close("--period", f"{later:%Y-%m}")
    assert refused.returncode == 1 and "close a month that has ended" in refused.stderr
    assert "Traceback" not in refused.stderr
    typo = close("--period", "2026-13")
    assert typo.returncode == 2 and "is not a month: write it as YYYY-MM" in typo.stderr
