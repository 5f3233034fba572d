"""Returned payments (issue 17 part 4): the demo ERP's reversed receipts, read back on every database, the aging as
of the day before and the day of a return to the cent, the Returned Payments sheet, the Credit Hold reason, and the
notice letters logged once. Expected figures are worked out here from the demo's frames, without SQL."""
import datetime as dt
import email
import email.policy

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from docx import Document

from ardesk.ar import returns as ar_returns
from ardesk.book.file_handle import WorkbookFile
from ardesk.demo import ledger, returns
from ardesk.erp import demo, fetch
from ardesk.frames import AGED, RETURNED_PAYMENTS
from ardesk.jobs import returns as jobs
from ardesk.jobs import workbook
from ardesk.money import cents_from_arrow
from ardesk.settings import ErpSettings, ReturnsSettings, Settings

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def frames():
    return ledger.generate(300, 11, TODAY)


def _cents(column) -> np.ndarray:
    return cents_from_arrow(pa.array(column))


def _reversals(frames) -> pd.DataFrame:
    head = frames["Erp.CashHead"]
    return head[(head["ReverseRef"] != 0).to_numpy(bool)]


def test_about_one_receipt_in_a_hundred_and_fifty_comes_back_some_customers_several_times(frames):
    head = frames["Erp.CashHead"]
    back = _reversals(frames)
    share = len(back) / int((head["ReverseRef"] == 0).sum())
    assert 0.003 < share < 0.01, share
    year = back[back["TranDate"] > TODAY - dt.timedelta(days=365)]
    assert year["CustNum"].value_counts().max() >= 2
    original = head.set_index("HeadNum").loc[back["ReverseRef"]]
    assert (_cents(back["TranAmt"]) == -_cents(original["TranAmt"])).all()
    assert ((back["TranDate"].to_numpy() - original["TranDate"].to_numpy()) == np.timedelta64(7, "D")).all()
    lines = frames["Erp.CashDtl"].merge(back[["HeadNum"]], on="HeadNum")
    assert set(lines["ReasonCode"]) <= {r[0] for r in returns.REASONS} and (lines["ReasonCode"] != "").all()


def test_which_receipts_come_back_depends_on_the_receipt_and_the_seed_only(frames):
    """Built as of an earlier day, the returns are those of the later build up to that day, row for row."""
    base = {name: frames[name] for name in frames}
    base["Erp.CashHead"] = frames["Erp.CashHead"][(frames["Erp.CashHead"]["HeadNum"] < returns.REVERSALS).to_numpy()]
    base["Erp.CashDtl"] = frames["Erp.CashDtl"][(frames["Erp.CashDtl"]["HeadNum"] < returns.REVERSALS).to_numpy()]
    late_day, early_day = (d.toordinal() - dt.date(1970, 1, 1).toordinal() for d in (TODAY, TODAY - dt.timedelta(60)))

    def added(seed: int, day: int) -> pd.DataFrame:
        head = returns.returned(base, seed, day, ledger.GL_ACCOUNT)["Erp.CashHead"]
        return head[(head["HeadNum"] >= returns.REVERSALS).to_numpy()].reset_index(drop=True)

    late, early = added(11, late_day), added(11, early_day)
    cut = late[(late["TranDate"] <= TODAY - dt.timedelta(60)).to_numpy()].reset_index(drop=True)
    assert len(cut) > 0 and early.equals(cut)
    assert set(added(12, late_day)["ReverseRef"]) != set(late["ReverseRef"])


def _not_made_good(frames) -> tuple[pd.Series, pd.DataFrame]:
    """A reversal whose invoices are still open today, and its lines."""
    detail, head = frames["Erp.CashDtl"], frames["Erp.InvcHead"]
    open_now = set(head.loc[head["OpenInvoice"].to_numpy(bool), "InvoiceNum"])
    for reversal in _reversals(frames).itertuples():
        lines = detail[(detail["HeadNum"] == reversal.HeadNum).to_numpy()]
        if set(lines["InvoiceNum"]) <= open_now and reversal.TranDate > TODAY - dt.timedelta(300):
            return reversal, lines
    raise AssertionError("the demo has no return still owed")


def test_the_aging_reopens_what_a_return_had_paid_from_its_day_and_the_erp_total_ties(any_erp, frames):
    kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    demo.load(erp, frames)
    reversal, lines = _not_made_good(frames)
    day = reversal.TranDate
    before, before_total = fetch.open_items(erp, day - dt.timedelta(days=1))
    after, after_total = fetch.open_items(erp, day)
    for items, total in ((before, before_total), (after, after_total)):
        assert int(items["base_balance_cents"].sum()) == total, kind
    reopened = {str(n): -int(c) for n, c in zip(lines["InvoiceNum"], _cents(lines["TranAmt"]))}
    was = before.set_index("doc_no")["base_balance_cents"].reindex(list(reopened), fill_value=0)
    now = after.set_index("doc_no")["base_balance_cents"].reindex(list(reopened), fill_value=0)
    assert (now - was).to_dict() == reopened, kind  # each invoice owes again exactly what the receipt had paid it

    found = fetch.receivables(erp, TODAY, dt.date(2025, 10, 31))
    back = found.returned.set_index("reversal").loc[str(reversal.HeadNum)]
    assert back["returned_on"] == pd.Timestamp(day) and back["amount_cents"] == -_cents([reversal.TranAmt])[0]
    assert back["receipt"] == str(reversal.ReverseRef) and back["reason"] in {r[1] for r in returns.REASONS}
    assert sorted(back["invoices"].split(", ")) == sorted(reopened)
    window = _reversals(frames)
    window = window[(window["TranDate"] > dt.date(2025, 10, 31)).to_numpy()]
    assert len(found.returned) == len(window)
    assert int(found.returned["amount_cents"].sum()) == -int(_cents(window["TranAmt"]).sum())


def _returned(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["customer_id", "returned_on", "amount_cents", "receipt", "invoices"])
    frame = frame.assign(returned_on=pd.to_datetime(frame["returned_on"]), reason="Insufficient funds",
                         customer_name="Acme", reason_code="NSF", reversal="9" + frame["receipt"],
                         received_on=pd.to_datetime(frame["returned_on"]) - pd.Timedelta(days=7), check_ref="123456",
                         company="EPIC06")
    return frame[list(RETURNED_PAYMENTS)].astype(RETURNED_PAYMENTS)


def test_history_counts_the_window_proposes_the_fee_and_flags_cash_in_advance():
    returned = _returned([
        ("C1", "2025-11-24", 500_00, "10", "12, 9"),  # 12 months ago to the day: out of the window
        ("C1", "2026-03-02", 200_00, "11", "30"),
        ("C2", "2026-10-01", 150_00, "12", "40"),
        ("C1", "2026-11-20", 120_00, "13", "41, 42"),
    ])
    aged = pd.DataFrame({"customer_id": ["C1", "C1", "C2"], "doc_no": ["41", "42", "40"],
                         "base_balance_cents": [100_00, 20_00, 0]}).reindex(columns=list(AGED)).astype(
        {"customer_id": "string", "doc_no": "string", "base_balance_cents": "int64"})
    table = ar_returns.history(returned, aged, TODAY, ReturnsSettings(fee="25.00", cash_in_advance_after=2))
    assert table[["customer_id", "receipt", "returns", "open_cents", "fee_cents", "cash_in_advance"]].values.tolist() == [
        ["C1", "11", 2, 0, 25_00, True], ["C1", "13", 2, 120_00, 25_00, True], ["C2", "12", 1, 0, 25_00, False]]
    assert table["invoices"].tolist() == ["30", "41, 42", "40"]
    assert ar_returns.cash_in_advance(table, 12).to_dict() == {"C1": "2 returned payments in 12 months: cash in advance"}
    never = ar_returns.history(returned, aged, TODAY, ReturnsSettings(cash_in_advance_after=0))
    assert not never["cash_in_advance"].any()


def test_the_sheet_lists_each_customers_returns_and_credit_hold_gives_the_reason(sqlite_erp, frames, tmp_path):
    erp = ErpSettings(connect=sqlite_erp)
    demo.load(erp, frames)
    path = tmp_path / "aging.xlsx"
    workbook.build_workbook(WorkbookFile(path), Settings(erp=erp), TODAY)
    found = fetch.receivables(erp, TODAY, dt.date(2025, 10, 31))
    year = found.returned[(found.returned["returned_on"] > pd.Timestamp("2025-11-24")).to_numpy()]
    book = openpyxl.load_workbook(path)
    sheet = list(book["Returned Payments"].iter_rows(min_row=5, values_only=True))
    shown = [row for row in sheet if isinstance(row[0], dt.datetime)]
    assert len(shown) == len(year) > 0
    assert sorted(round(row[6] * 100) for row in shown) == sorted(year["amount_cents"])
    assert all(row[8] == 25 for row in shown)
    counts = year["customer_id"].value_counts()
    flagged = sorted(counts[counts >= 2].index)
    headings = [row[0] for row in sheet if isinstance(row[0], str) and row[0].endswith(": cash in advance")]
    assert sorted(h.split()[0] for h in headings) == flagged and flagged
    hold = {row[0]: row[5] for row in book["Credit Hold"].iter_rows(min_row=2, values_only=True)}
    for customer in set(flagged) & set(hold):
        assert f"{counts[customer]} returned payments in 12 months: cash in advance." in hold[customer]


def test_notices_are_written_with_their_figures_and_logged_once(any_erp, frames, tmp_path):
    kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    demo.load(erp, frames)
    settings = Settings(erp=erp)
    handle = WorkbookFile(tmp_path / "aging.xlsx")
    noticed = jobs.notices(handle, settings, TODAY, kept="docx")
    assert len(noticed.letters) > 0 and (noticed.letters["status"] == "Sent").all(), noticed.letters
    again = jobs.notices(handle, settings, TODAY, kept="docx")
    assert again.folder is None and again.letters.empty  # logged once: nothing is due a second time
    notes = fetch.notes(erp, dt.date(2100, 1, 1), dt.date(2000, 1, 1))
    logged = notes[notes["text"].str.contains(ar_returns.NOTICE)]
    assert len(logged) == len(noticed.letters)

    found = fetch.receivables(erp, TODAY, dt.date(2025, 10, 31))
    first = noticed.letters.iloc[0]
    back = found.returned.set_index("receipt").loc[first["receipt"]]
    text = "\n".join(p.text for p in Document(noticed.folder / first["files"]).paragraphs)
    amount = f"{back['amount_cents'] // 100:,}.{back['amount_cents'] % 100:02d}"
    assert f"Your payment of USD {amount} of {back['received_on']:%Y-%m-%d}" in text
    assert f"returned to us unpaid by your bank on {back['returned_on']:%Y-%m-%d}" in text
    assert "A returned-payment fee of USD 25.00 will be charged" in text
    if first["draft"]:
        draft = email.message_from_bytes((noticed.folder / first["draft"]).read_bytes(), policy=email.policy.default)
        assert draft["Subject"].startswith(f"Returned payment: USD {amount}")
        assert draft["X-Unsent"] == "1" and draft.get_body(("plain",)).get_content().startswith("Dear ")
