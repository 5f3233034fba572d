"""The month-end close (issue 15, part 2): the receivables rollforward of a period, opening and closing tied to the
agings of both ends to the cent, every line the sum of its documents, written as the Month-End workbook that
validates and that LibreOffice recomputes to ardesk's own figures."""
import datetime as dt
import re
import subprocess
import sys

import pandas as pd
import pytest

import lo
from ardesk.ar import closing, rollforward
from ardesk.ar.accounts import shaped
from ardesk.ar.rollforward import LINES, NO_COLLECTOR
from ardesk.ar.tie_out import tie_out
from ardesk.book import changes_sheet, tie_out_sheet, write_month_end
from ardesk.book.rollforward_sheet import ACTIVITY_SHEET, HEADER, SHEET
from ardesk.demo import ledger
from ardesk.erp import demo, fetch, ledger as gl
from ardesk.frames import CLOSES, OPEN_ITEMS, PERIOD_ACTIVITY
from ardesk.settings import ErpSettings
from ooxml import validation_errors

TODAY = dt.date(2026, 11, 24)
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
ACCOUNTS = (ledger.GL_ACCOUNT,)


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
        ("A", "Ann", "INV", "Written off", -7_00), ("A", "Ann", "INV", "Written off", 2_00),  # a recovery
        ("A", "Ann", "INV", "Applied", -2_00),  # ... paid the same day
        ("B", "", "INV", "Applied", -50_00),
        ("C", "Ann", "INV", "Posted", 7_00),  # 2.00 of C's movement is missing: unexplained
    )
    by_customer = rollforward.rollforward(opening, closing, activity, "customer_id").set_index("key")
    assert by_customer.loc["A"].to_dict() == {
        "opening_cents": 100_00, "invoices_cents": 80_00, "debit_memos_cents": 5_00, "credit_memos_cents": -10_00,
        "unapplied_cash_cents": -20_00, "cash_applied_cents": -67_00, "credits_used_cents": 30_00,
        "write_offs_cents": -5_00, "closing_cents": 130_00, "unexplained_cents": 17_00}
    b = by_customer.loc["B"]
    assert [b["opening_cents"], b["cash_applied_cents"], b["closing_cents"], b["unexplained_cents"]] == [50_00, -50_00,
                                                                                                      0, 0]
    assert by_customer.loc["C", "unexplained_cents"] == -2_00
    by_collector = rollforward.rollforward(opening, closing, activity, "collector").set_index("key")
    assert list(by_collector.index) == ["Ann", NO_COLLECTOR]
    total = rollforward.rollforward(opening, closing, activity, None)
    assert total["unexplained_cents"].tolist() == [15_00]
    nothing = rollforward.rollforward(opening.iloc[:0], closing.iloc[:0], activity.iloc[:0], None)
    assert nothing.drop(columns="key").sum().sum() == 0 and nothing["key"].tolist() == ["Total"]


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
    moved = total["cash_applied_cents"] + total["credits_used_cents"] + total["write_offs_cents"]
    assert moved == -round(applied["TranAmt"].astype(float).sum() * 100)
    written_off = applied[applied["TranType"] == "Adjust"]
    assert total["write_offs_cents"] == -round(written_off["TranAmt"].astype(float).sum() * 100) != 0
    assert total["invoices_cents"] > 0 and total["cash_applied_cents"] < 0


def test_the_month_end_workbook_validates_and_libreoffice_computes_ardesks_figures(sqlite_erp, frames, tmp_path):
    erp = ErpSettings(connect=sqlite_erp)
    demo.load(erp, frames)
    found = fetch.period(erp, *OCTOBER)
    rolled = rollforward.of_period(found.opening, found.closing, found.activity)
    # The workbook caches 0 for every movement: what LibreOffice shows it computed from the Activity table.
    blank = rollforward.Rollforward(*(view.assign(**dict.fromkeys(LINES.values(), 0), unexplained_cents=0)
                                      for view in (rolled.total, rolled.by_collector, rolled.by_customer)))
    read = gl.read(erp, OCTOBER[1], ACCOUNTS)
    tie = tie_out(OCTOBER[1], ACCOUNTS, int(rolled.total["closing_cents"].iloc[0]), read.balance_cents, read.timing,
                  read.entries, read.unposted)
    documents = closing.documents(found.opening, found.closing, found.activity)
    then = documents.assign(closing_cents=documents["closing_cents"] + (documents.index == 0))  # 0.01 more then
    frozen = shaped(pd.DataFrame([{"period_end": OCTOBER[1], "closed": dt.datetime(2026, 11, 2, 9, 30),
                                   "closed_by": "ann", "opening_cents": 0, "closing_cents": 0, "current_cents": 0,
                                   "over_90_cents": 0, "gl_cents": None, "residual_cents": None}]), CLOSES)
    path = write_month_end(tmp_path / "month-end.xlsx", blank, found.activity, {},
                           (found.opening_total_cents, found.closing_total_cents), tie, *OCTOBER,
                           base_currency="USD", frozen=frozen, changes=closing.changes(then, documents))
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
    figures = {cells[0]: cells[1] for cells in computed[tie_out_sheet.SHEET] if cells and cells[0]}
    assert round(figures["Difference"] * 100) == tie.difference_cents != 0
    assert round(figures["Residual: what nothing above explains"] * 100) == 0
    assert sheet[2][0].startswith("Closed 2026-11-02 09:30 by ann: frozen in the ERP. 1 document in the ERP changed")
    changed = computed[changes_sheet.SHEET]
    assert len(changed) == 2 and changed[1][1] == documents["doc_no"].iloc[0]
    assert [round(value * 100) for value in changed[1][4:6]] == [documents["closing_cents"].iloc[0] + 1,
                                                               documents["closing_cents"].iloc[0]]


def _late(frames) -> pd.Series:
    """The one invoice of the demo dated in October and posted to the GL in November (every month has one)."""
    head = frames["Erp.InvcHead"]
    late = head[(head["ApplyDate"] != head["InvoiceDate"]) & head["InvoiceDate"].between(*OCTOBER)]
    assert len(late) == 1 and late["ApplyDate"].iloc[0] == OCTOBER[1] + dt.timedelta(days=1)
    return late.iloc[0]


def _typed(frames) -> pd.DataFrame:
    """The journal entries typed into the receivables account by October's end: one in the middle of each month."""
    journal = frames["Erp.GLJrnDtl"]
    typed = journal[(journal["GLAccount"] == ledger.GL_ACCOUNT) & (journal["SourceModule"] == "GL")]
    return typed[typed["JEDate"] <= OCTOBER[1]]


@pytest.fixture(scope="module")
def late(frames):
    return _late(frames)


def test_the_demo_ledger_posts_everything_to_the_gl_but_a_late_invoice_and_a_journal_entry_a_month(frames, late):
    journal = frames["Erp.GLJrnDtl"]
    journal = journal[journal["GLAccount"] == ledger.GL_ACCOUNT]  # the allowance account has its own entries
    typed = _typed(frames)
    months = pd.period_range(ledger.FIRST_DAY, OCTOBER[1], freq="M")
    assert list(typed["JEDate"].astype("datetime64[s]").dt.to_period("M")) == list(months)
    assert typed["JEDate"].iloc[-1] == dt.date(2026, 10, 16)
    assert (typed["CreditAmount"].astype(float).round(2) * 100 == ledger.MANUAL_ENTRY_CENTS).all()
    head = frames["Erp.InvcHead"]
    posted = head[head["Posted"].astype(bool)]
    by_module = journal[journal["SourceModule"] == "AR"]
    gl = (by_module["DebitAmount"].astype(float) - by_module["CreditAmount"].astype(float)).sum()
    ledger_total = posted["InvoiceAmt"].astype(float).sum() - frames["Erp.CashDtl"]["TranAmt"].astype(float).sum()
    assert round(gl * 100) == round(ledger_total * 100)


def test_the_tie_out_finds_exactly_the_late_invoice_and_the_months_journal_entries(any_erp, frames, late):
    kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    demo.load(erp, frames)
    read = gl.read(erp, OCTOBER[1], ACCOUNTS)
    _items, aging_total = fetch.open_items(erp, OCTOBER[1])
    tie = tie_out(OCTOBER[1], ACCOUNTS, aging_total, read.balance_cents, read.timing, read.entries, read.unposted)
    assert read.timing[["doc_no", "doc_date", "gl_date"]].values.tolist() == [
        [str(late["InvoiceNum"]), late["InvoiceDate"], late["ApplyDate"]]], kind
    typed = len(_typed(frames))
    assert read.entries["amount_cents"].tolist() == [-ledger.MANUAL_ENTRY_CENTS] * typed
    assert tie.difference_cents == round(float(late["InvoiceAmt"]) * 100) + ledger.MANUAL_ENTRY_CENTS * typed
    assert tie.residual_cents == 0
    head = frames["Erp.InvcHead"]
    unposted = head[~head["Posted"].astype(bool) & (head["InvoiceDate"] <= OCTOBER[1])]
    assert sorted(read.unposted["doc_no"]) == sorted(unposted["InvoiceNum"].astype(str))


def test_a_gl_line_nothing_explains_makes_the_close_say_so_and_exit_1(sqlite_erp, frames, tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), frames)
    (tmp_path / "ardesk.toml").write_text('[close]\nar_accounts = ["1200"]\n', encoding="utf-8")
    run = [sys.executable, "-m", "ardesk", "close", "--period", "2026-10", "--connect", sqlite_erp]
    tied = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert tied.returncode == 0, tied.stderr
    assert tied.stdout.splitlines()[1].endswith("residual 0.00.")
    import pyodbc
    with pyodbc.connect(sqlite_erp, autocommit=True) as conn:
        conn.execute("INSERT INTO GLJrnDtl VALUES ('EPIC06', 'AR', 9999, 1, '1200', '2026-10-20', 'AR', "
                     "'Posted twice', 0, 10.00)")
    off = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert off.returncode == 1 and "Traceback" not in off.stderr
    assert off.stderr.strip() == ("ardesk: The GL tie-out leaves 10.00 that nothing explains: see the GL Tie-Out "
                                  "sheet of month-end-2026-10.xlsx.")
    assert (tmp_path / "month-end-2026-10.xlsx").exists()


def test_ardesk_close_writes_the_workbook_and_refuses_a_month_not_ended(sqlite_erp, frames, tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), frames)

    def close(*args):
        return subprocess.run([sys.executable, "-m", "ardesk", "close", "--connect", sqlite_erp, *args],
                              capture_output=True, text=True, cwd=tmp_path)

    done = close("--period", "2026-10")
    assert done.returncode == 0, done.stderr
    said = done.stdout.splitlines()
    assert said[:2] == [str(tmp_path / "month-end-2026-10.xlsx"),
                        "Not tied to the general ledger: set [close] ar_accounts in ardesk.toml."]
    assert said[2].startswith("Allowance required ") and said[2].endswith(
        "(not compared with the general ledger: set [close] allowance_accounts in ardesk.toml).")
    assert re.fullmatch(r"\d+ write-offs? proposed, [\d,]+\.\d\d: approve them on the Write-Offs sheet\.", said[3])
    assert said[4:] == ["Closed: the period is frozen in the ERP."]
    later = dt.date.today().replace(day=1) + dt.timedelta(days=40)
    refused = close("--period", f"{later:%Y-%m}")
    assert refused.returncode == 1 and "close a month that has ended" in refused.stderr
    assert "Traceback" not in refused.stderr
    typo = close("--period", "2026-13")
    assert typo.returncode == 2 and "is not a month: write it as YYYY-MM" in typo.stderr
    early = close("--period", "1899-12")
    assert early.returncode == 2 and "before 1900" in early.stderr
    nothing = close("--period", "1990-01", "--output", "nothing.xlsx")  # before the ledger's first document
    assert nothing.returncode == 0, nothing.stderr
