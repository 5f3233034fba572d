"""Closing and after (issue 15, part 5): the first close of a period freezes it in the ERP; a later run compares the
ERP's history with it and lists the documents a back-dated entry changed, keeping the frozen figures until
--reclose; two closes at once freeze once; the Summary's trend shows closed month-ends as they were frozen."""
import datetime as dt
import subprocess
import sys
import time

import pandas as pd
import pyodbc
import pytest

import lo
from ardesk.ar import aging, closing
from ardesk.ar.summary import summarize
from ardesk.book import changes_sheet
from ardesk.book.file_handle import WorkbookFile
from ardesk.demo import ledger
from ardesk.erp import demo, fetch
from ardesk.erp.dialect import render
from ardesk.erp.odbc import dialect_of
from ardesk.frames import CLOSE_DOCUMENTS
from ardesk.jobs import close as job
from ardesk.settings import AgingSettings, CloseSettings, ErpSettings, ReportSettings, Settings

TODAY = dt.date(2026, 11, 24)
OCTOBER = dt.date(2026, 10, 1)
OCTOBER_END = dt.date(2026, 10, 31)
PAID = 12_34
"""The back-dated payment: 12.34 received today, entered as of 2026-10-20."""


@pytest.fixture(scope="module")
def frames():
    return ledger.generate(300, 11, TODAY)


def _close(erp: ErpSettings, path, **options) -> job.Closed:
    return job.close(WorkbookFile(path), Settings(erp=erp), TODAY, period=OCTOBER, **options)


def _frozen(erp: ErpSettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    frozen = fetch.closed(erp, OCTOBER_END)
    return frozen.close, frozen.documents


def _pay_back_dated(connect: str, frames) -> str:
    """Apply PAID to an invoice open at October's end and still open, dated 2026-10-20 (a receipt entered late):
    its balance today drops as the ERP's would. The invoice's number."""
    head = frames["Erp.InvcHead"]
    candidates = head[head["OpenInvoice"].astype(bool) & ~head["CreditMemo"].astype(bool)
                      & (head["InvoiceDate"] <= dt.date(2026, 10, 1)) & (head["InvoiceBal"] > 100)
                      & (head["CurrencyCode"] == "USD")]
    invoice = int(candidates["InvoiceNum"].iloc[0])
    with pyodbc.connect(connect, autocommit=False) as conn:
        dialect = dialect_of(conn)
        conn.execute(render("UPDATE Erp.InvcHead SET InvoiceBal = InvoiceBal - 12.34, "
                            "DocInvoiceBal = DocInvoiceBal - 12.34 WHERE Company = 'EPIC06' AND InvoiceNum = ?",
                            dialect), invoice)
        conn.execute(render("INSERT INTO Erp.CashDtl (Company, HeadNum, DtlNum, InvoiceNum, TranType, TranDate, "
                            "TranAmt, DocTranAmt) VALUES ('EPIC06', 0, 999999, ?, 'PayInv', '2026-10-20', 12.34, "
                            "12.34)", dialect), invoice)
        conn.commit()
    return str(invoice)


def test_documents_and_changes_compare_each_documents_three_figures():
    then = pd.DataFrame({"company": ["E", "E", "E"], "doc_no": ["1", "2", "3"], "customer_id": ["A", "A", "B"],
                         "doc_type": ["INV", "INV", "CM"], "closing_cents": [100, 0, -5],
                         "posted_cents": [0, 50, -5], "applied_cents": [0, -50, 0]})
    now = then.copy()
    now.loc[1, "applied_cents"] = -40  # a change that nets elsewhere still shows on its document
    now.loc[1, "closing_cents"] = 10
    now = pd.concat([now.iloc[[0, 1]], pd.DataFrame({"company": ["E"], "doc_no": ["4"], "customer_id": ["C"],
                                                     "doc_type": ["INV"], "closing_cents": [7], "posted_cents": [7],
                                                     "applied_cents": [0]})], ignore_index=True)
    changes = closing.changes(then.astype(CLOSE_DOCUMENTS), now.astype(CLOSE_DOCUMENTS))
    assert changes["doc_no"].tolist() == ["2", "3", "4"]  # by customer: A's 2, B's 3 (gone), C's 4 (new)
    assert changes.iloc[0][["closing_then_cents", "closing_now_cents", "applied_then_cents",
                            "applied_now_cents"]].tolist() == [0, 10, -50, -40]
    assert changes.iloc[1][["closing_then_cents", "closing_now_cents", "posted_now_cents"]].tolist() == [-5, 0, 0]
    assert changes.iloc[2][["customer_id", "closing_then_cents", "closing_now_cents"]].tolist() == ["C", 0, 7]
    assert closing.changes(then.astype(CLOSE_DOCUMENTS), then.astype(CLOSE_DOCUMENTS)).empty


def test_a_closed_month_end_shows_its_frozen_figures_in_the_summary_trend():
    aged = pd.DataFrame({"days_past_due": [0], "base_balance_cents": [500], "customer_id": ["A"]})
    history = pd.DataFrame({"doc_type": ["INV"], "doc_date": [pd.Timestamp("2026-09-15")],
                            "due_date": [pd.Timestamp("2026-10-15")], "closed_date": [pd.NaT],
                            "base_amount_cents": [500], "base_balance_cents": [500], "customer_id": ["A"]})
    applications = pd.DataFrame({"doc_date": pd.Series([], dtype="datetime64[s]"),
                                 "due_date": pd.Series([], dtype="datetime64[s]"),
                                 "applied": pd.Series([], dtype="datetime64[s]"),
                                 "base_amount_cents": pd.Series([], dtype="int64")})
    closes = pd.DataFrame({"period_end": [pd.Timestamp("2026-10-31")], "closed": [pd.Timestamp("2026-11-02 09:30")],
                           "closing_cents": [777], "current_cents": [700], "over_90_cents": [7]})
    reports = ReportSettings()
    rebuilt = summarize(aged, history, applications, TODAY, reports).snapshots.set_index("month_end")
    frozen = summarize(aged, history, applications, TODAY, reports, closes).snapshots.set_index("month_end")
    october, september = pd.Timestamp("2026-10-31"), pd.Timestamp("2026-09-30")
    assert rebuilt.loc[october, "ar_cents"] == 500 and pd.isna(rebuilt.loc[october, "closed"])
    assert frozen.loc[october, ["ar_cents", "current_cents", "over_90_cents"]].tolist() == [777, 700, 7]
    assert frozen.loc[october, "closed"] == pd.Timestamp("2026-11-02 09:30")
    assert frozen.loc[september].equals(rebuilt.loc[september]) and pd.isna(frozen.loc[september, "closed"])


def test_the_first_close_freezes_and_a_back_dated_entry_is_found_on_its_document(any_erp, frames, tmp_path):
    kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    demo.load(erp, frames)
    draft = _close(erp, tmp_path / "draft.xlsx", draft=True)
    assert draft.state == job.DRAFT and draft.frozen.empty and _frozen(erp)[0].empty
    first = _close(erp, tmp_path / "first.xlsx")
    assert first.state == job.FROZEN and first.changes.empty
    row, documents = _frozen(erp)
    found = fetch.period(erp, OCTOBER, OCTOBER_END)
    expected = closing.documents(found.opening, found.closing, found.activity)
    assert documents.sort_values(["company", "doc_no"]).reset_index(drop=True).equals(expected)
    assert row["closing_cents"].tolist() == [int(found.closing["base_balance_cents"].sum())] == \
        [found.closing_total_cents]
    assert row["opening_cents"].tolist() == [found.opening_total_cents]
    assert row["gl_cents"].isna().all()  # not tied: no control account set
    assert _close(erp, tmp_path / "again.xlsx").state == job.UNCHANGED

    invoice = _pay_back_dated(connect, frames)
    changed = _close(erp, tmp_path / "changed.xlsx")
    assert changed.state == job.CHANGED
    assert changed.changes["doc_no"].tolist() == [invoice]
    shown = changed.changes.iloc[0]
    assert shown["closing_then_cents"] - shown["closing_now_cents"] == PAID
    assert shown["applied_then_cents"] - shown["applied_now_cents"] == PAID
    assert _frozen(erp)[0].equals(row)  # what was frozen stays until --reclose
    read = fetch.receivables(erp, TODAY, dt.date(2025, 10, 31))
    aged = aging.age(read.items, TODAY, AgingSettings())
    trend = {closes is None: summarize(aged, read.history, read.applications, TODAY, ReportSettings(),
                                       closes).snapshots.set_index("month_end").loc[pd.Timestamp(OCTOBER_END)]
             for closes in (None, read.closes)}
    assert trend[False]["ar_cents"] == row["closing_cents"].iloc[0]  # as closed, in the Summary's trend
    assert trend[True]["ar_cents"] == row["closing_cents"].iloc[0] - PAID  # as the changed history rebuilds it

    reclosed = _close(erp, tmp_path / "reclosed.xlsx", again=True)
    assert reclosed.state == job.AGAIN and reclosed.changes.empty
    assert _frozen(erp)[0]["closing_cents"].tolist() == [row["closing_cents"].iloc[0] - PAID]
    assert _close(erp, tmp_path / "after.xlsx").state == job.UNCHANGED


def test_a_close_that_does_not_tie_to_the_gl_is_not_frozen(sqlite_erp, frames, tmp_path):
    erp = ErpSettings(connect=sqlite_erp)
    demo.load(erp, frames)
    settings = Settings(erp=erp, close=CloseSettings(ar_accounts=("1200",)))
    with pyodbc.connect(sqlite_erp, autocommit=True) as conn:
        conn.execute("INSERT INTO GLJrnDtl VALUES ('EPIC06', 'AR', 9999, 1, '1200', '2026-10-20', 'AR', "
                     "'Posted twice', 0, 10.00)")
    untied = job.close(WorkbookFile(tmp_path / "m.xlsx"), settings, TODAY, period=OCTOBER)
    assert untied.state == job.UNTIED and untied.tie.residual_cents == 10_00
    assert _frozen(erp)[0].empty


def test_ardesk_close_says_what_changed_since_the_close_and_exits_1(sqlite_erp, frames, tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), frames)
    run = [sys.executable, "-m", "ardesk", "close", "--period", "2026-10", "--connect", sqlite_erp]
    first = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == "Closed: the period is frozen in the ERP."
    invoice = _pay_back_dated(sqlite_erp, frames)
    changed = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path)
    assert changed.returncode == 1 and "Traceback" not in changed.stderr
    closed_on = _frozen(ErpSettings(connect=sqlite_erp))[0]["closed"].iloc[0]
    assert changed.stderr.strip() == (
        f"ardesk: The ERP's history of the period changed since it was closed on {closed_on:%Y-%m-%d} by "
        f"{_frozen(ErpSettings(connect=sqlite_erp))[0]['closed_by'].iloc[0]}: 1 document differ, listed on the "
        "Changes Since Close sheet of month-end-2026-10.xlsx; the close stays as frozen until you run ardesk close "
        "again with --reclose.")
    computed = lo.computed_values(tmp_path / "month-end-2026-10.xlsx")
    assert [cells[1] for cells in computed[changes_sheet.SHEET][1:]] == [invoice]
    built = subprocess.run([sys.executable, "-m", "ardesk", "workbook", "--connect", sqlite_erp, "--as-of",
                            "2026-11-24", "--output", "aging.xlsx"], capture_output=True, text=True, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    summary = lo.computed_values(tmp_path / "aging.xlsx")["Summary"]
    header = next(n for n, cells in enumerate(summary) if "Closed on" in cells)
    column = summary[header].index("Closed on")
    closed = {}
    for cells in summary[header + 1:]:  # the snapshots, up to the empty row under them (more tables follow)
        if len(cells) <= column - 7 or cells[column - 7] is None:
            break
        closed[cells[column - 7]] = cells[column] if len(cells) > column else None
    assert closed[dt.datetime(2026, 10, 31)] == dt.datetime.combine(closed_on.date(), dt.time())
    assert [day for day, on in closed.items() if on is not None] == [dt.datetime(2026, 10, 31)]
    both = subprocess.run(run + ["--draft", "--reclose"], capture_output=True, text=True, cwd=tmp_path)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
    again = subprocess.run(run + ["--reclose"], capture_output=True, text=True, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1] == "Closed again: the period's frozen figures are today's."


CLOSER = """
import datetime as dt, pathlib, sys, time
from ardesk.book.file_handle import WorkbookFile
from ardesk.jobs import close
from ardesk.settings import ErpSettings, Settings
go = pathlib.Path(sys.argv[2])
pathlib.Path(f"{go}.{pathlib.Path(sys.argv[3]).stem}.ready").touch()
while not go.exists():
    time.sleep(0.005)
done = close.close(WorkbookFile(pathlib.Path(sys.argv[3])), Settings(erp=ErpSettings(connect=sys.argv[1])),
                   dt.date(2026, 11, 24), period=dt.date(2026, 10, 1))
print(done.state)
"""


def test_two_closes_at_once_freeze_the_period_once(any_erp, frames, tmp_path):
    kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    demo.load(erp, frames)
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", CLOSER, connect, str(go), str(tmp_path / f"{n}.xlsx")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in "ab"]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("go.*.ready"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    states = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        states.append(out.strip())
    assert sorted(states) == [job.FROZEN, job.UNCHANGED]  # one froze it; the other found it frozen, the same
    row, documents = _frozen(erp)
    assert len(row) == 1
    found = fetch.period(erp, OCTOBER, OCTOBER_END)
    assert len(documents) == len(closing.documents(found.opening, found.closing, found.activity))
