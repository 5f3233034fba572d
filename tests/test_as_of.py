"""Aging as of a past day (issue 15, part 1): a document's balance then is its amount less what was applied to it
by then, and the ERP's own total, worked out the other way round, ties to the items to the cent on every database.
The expected figures are worked out here from the demo's frames, in Python, without SQL."""
import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from ardesk.demo import ledger, returns
from ardesk.ar import summary
from ardesk.erp import demo, fetch
from ardesk.money import cents_from_arrow
from ardesk.settings import ErpSettings

TODAY = dt.date(2026, 11, 24)
DAYS = (TODAY, dt.date(2026, 10, 31), dt.date(2026, 6, 30), dt.date(2025, 12, 31))
"""Today, the month-end a close is run for a few days late, and older month-ends."""


@pytest.fixture(scope="module")
def frames():
    return ledger.generate(300, 11, TODAY)


def _cents(column: pd.Series) -> np.ndarray:
    return cents_from_arrow(pa.array(column))


def _as_of(frames: dict, day: dt.date) -> pd.DataFrame:
    """Per document open on `day`: its number, balance and base balance in cents, from the frames alone."""
    head, detail = frames["Erp.InvcHead"], frames["Erp.CashDtl"]
    applied = detail[detail["TranDate"] <= day]
    by_doc = pd.DataFrame({"doc": applied["InvoiceNum"].to_numpy(), "base": _cents(applied["TranAmt"]),
                           "amount": _cents(applied["DocTranAmt"])}).groupby("doc").sum()
    docs = pd.DataFrame({
        "doc": head["InvoiceNum"].to_numpy(), "posted": head["Posted"].astype(bool).to_numpy(),
        "dated": head["InvoiceDate"].to_numpy() <= day,
        "balance": _cents(head["DocInvoiceAmt"]), "base": _cents(head["InvoiceAmt"]),
    }).set_index("doc")
    docs["balance"] -= by_doc["amount"].reindex(docs.index, fill_value=0)
    docs["base"] -= by_doc["base"].reindex(docs.index, fill_value=0)
    return docs[docs["posted"] & docs["dated"] & (docs["balance"] != 0)][["balance", "base"]]


def test_every_documents_balance_today_is_its_amount_less_its_applications(frames):
    today = _as_of(frames, TODAY)
    head = frames["Erp.InvcHead"]
    open_now = head[head["Posted"].astype(bool) & head["OpenInvoice"].astype(bool)]
    assert sorted(today.index) == sorted(open_now["InvoiceNum"])
    expected = pd.DataFrame({"balance": _cents(open_now["DocInvoiceBal"]), "base": _cents(open_now["InvoiceBal"])},
                            index=open_now["InvoiceNum"].to_numpy())
    assert today.sort_index().equals(expected.sort_index())


def test_applications_fall_between_their_documents_date_and_today(frames):
    detail = frames["Erp.CashDtl"].merge(frames["Erp.InvcHead"][["InvoiceNum", "InvoiceDate", "CreditMemo"]],
                                         on="InvoiceNum", validate="many_to_one")
    assert (detail["TranDate"] >= detail["InvoiceDate"]).all() and (detail["TranDate"] <= TODAY).all()
    assert set(detail["TranType"]) == {"PayInv", "CMApply", "Adjust"}  # Adjust: write-offs and recoveries
    assert (detail["TranType"] == "CMApply").eq(detail["CreditMemo"].astype(bool)).all()


def test_the_same_seed_gives_the_same_applications(frames):
    again = ledger.generate(300, 11, TODAY)["Erp.CashDtl"]
    assert again.equals(frames["Erp.CashDtl"])


def test_aging_as_of_any_day_is_right_to_the_cent_and_ties_to_the_erps_own_total(any_erp, frames):
    kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    demo.load(erp, frames)
    for day in DAYS:
        items, total = fetch.open_items(erp, day)
        expected = _as_of(frames, day)
        got = pd.DataFrame({"balance": items["balance_cents"].to_numpy(),
                            "base": items["base_balance_cents"].to_numpy()},
                           index=items["doc_no"].astype(int).to_numpy())
        assert got.sort_index().equals(expected.sort_index()), (kind, day)
        assert total == int(expected["base"].sum()) == int(items["base_balance_cents"].sum()), (kind, day)


def test_an_invoice_paid_since_is_in_the_aging_of_the_day_before_it_was_paid(sqlite_erp, frames):
    erp = ErpSettings(connect=sqlite_erp)
    demo.load(erp, frames)
    head, detail = frames["Erp.InvcHead"], frames["Erp.CashDtl"]
    returned = detail.loc[detail["ReasonCode"].isin([code for code, _name in returns.REASONS]), "InvoiceNum"]
    paid = head[~head["OpenInvoice"].astype(bool) & (head["ClosedDate"] > dt.date(2026, 10, 31))
                & (head["InvoiceDate"] <= dt.date(2026, 10, 31))
                & ~head["InvoiceNum"].isin(returned)]  # one paid by Oct 31, its payment returned since, was not open
    assert len(paid) > 10
    items, _total = fetch.open_items(erp, dt.date(2026, 10, 31))
    october = items.set_index(items["doc_no"].astype(int))
    assert set(paid["InvoiceNum"]) <= set(october.index)
    owed = _as_of(frames, dt.date(2026, 10, 31))["balance"]  # the amount, less a first part paid by then
    assert (october.loc[paid["InvoiceNum"], "balance_cents"].to_numpy() == owed[paid["InvoiceNum"]].to_numpy()).all()
    assert (owed[paid["InvoiceNum"]].to_numpy() == _cents(paid["DocInvoiceAmt"])).mean() > 0.8
    now, _total = fetch.open_items(erp, TODAY)
    assert not set(paid["InvoiceNum"]) & set(now["doc_no"].astype(int))


def test_the_summarys_month_ends_are_the_agings_of_those_days(sqlite_erp, frames):
    erp = ErpSettings(connect=sqlite_erp)
    demo.load(erp, frames)
    found = fetch.receivables(erp, TODAY, dt.date(2025, 10, 31))
    month_ends = [dt.date(2026, 10, 31), dt.date(2026, 6, 30), dt.date(2025, 12, 31)]
    snapshots = summary.rebuild(found.history, found.applications, month_ends)
    for day, ar in zip(month_ends, snapshots["ar_cents"]):
        items, total = fetch.open_items(erp, day)
        assert ar == total == items["base_balance_cents"].sum(), day


def test_each_collectors_month_end_is_the_aging_of_that_day_for_its_customers(any_erp, frames):
    """Applications come with their document's customer, so the Summary rebuilds a collector's AR at a month-end
    from its own customers' documents: the aging of that day, summed over them, on every database."""
    kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    demo.load(erp, frames)
    found = fetch.receivables(erp, TODAY, dt.date(2025, 10, 31))
    day = dt.date(2026, 10, 31)
    items, _total = fetch.open_items(erp, day)
    collectors = found.customers.groupby("collector")["customer_id"]
    assert len(collectors) > 2
    for name, customers in collectors:
        history = found.history[found.history["customer_id"].isin(customers).to_numpy()]
        applied = found.applications[found.applications["customer_id"].isin(customers).to_numpy()]
        ar = summary.rebuild(history, applied, [day])["ar_cents"].iat[0]
        assert ar == items.loc[items["customer_id"].isin(customers).to_numpy(), "base_balance_cents"].sum(), (kind, name)
    assert found.applications["customer_id"].isin(found.customers["customer_id"]).all()
