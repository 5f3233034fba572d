"""The demo ERP is a timeline (issue 15, part 1): with the same customers and seed, a ledger built as of a later day
holds exactly the same rows up to any earlier day, so `ardesk aging --as-of D` and the ERP's own total are the
same to the cent on a ledger built as of D and on one built months later, on SQLite, PostgreSQL and MariaDB."""
import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

from ardesk.demo import ledger
from ardesk.erp import demo, fetch
from ardesk.errors import ArdeskError
from ardesk.settings import ErpSettings

CUSTOMERS, SEED = 40, 5
LATER = dt.date(2026, 11, 24)
DAYS = (dt.date(2025, 8, 31), dt.date(2026, 2, 14), dt.date(2026, 9, 30), dt.date(2026, 10, 31))
"""The first month's end, a mid-month day, the month before the history is kept invoice by invoice, a month-end
whose last invoice posts to the GL the next day."""
DATED = {  # table: the column that dates a row, the columns fixed when it is written (None: all of them)
    "Erp.InvcHead": ("InvoiceDate", ["InvoiceNum", "InvoiceSuffix", "CustNum", "InvoiceType", "CreditMemo",
                                     "UnappliedCash", "Posted", "InvoiceDate", "ApplyDate", "DueDate", "TermsCode",
                                     "InvoiceAmt", "DocInvoiceAmt", "CurrencyCode", "ExchangeRate", "SalesRepList",
                                     "OrderNum", "PONum", "InvoiceRef"]),
    "Erp.CashHead": ("TranDate", ["GroupID", "HeadNum", "Posted", "TranType", "CheckRef", "CustNum", "TranDate",
                                  "CurrencyCode", "TranAmt", "CreditMemoNum", "ReverseRef"]),
    "Erp.CashDtl": ("TranDate", None),
    "Erp.GLJrnDtl": ("JEDate", None),
    "Erp.CRMCall": ("OrigDate", None),
    "Erp.OrderHed": ("OrderDate", ["OrderNum", "CustNum", "OrderDate", "CurrencyCode", "OrderAmt", "DocOrderAmt",
                                   "PONum"]),
    "Erp.CurrExRate": ("EffectiveDate", None),
}
"""What a later day changes of a row written earlier is its state as of today (a balance, OpenInvoice and
ClosedDate, a receipt's applied and unapplied parts, an order still open): never what it was."""
UNDATED = ("Erp.Currency", "Erp.Terms", "Erp.TermsSched", "Erp.SalesRep", "Erp.CustCnt", "Erp.Reason",
           "ardesk.ardesk_collector", "ardesk.ardesk_note", "ardesk.ardesk_application", "ardesk.ardesk_close",
           "ardesk.ardesk_close_doc", "ardesk.ardesk_bureau_report", "ardesk.ardesk_credit_limit")
"""Tables the same whatever the day (Erp.Customer too, but for its credit hold and review, which are today's)."""


@pytest.fixture(scope="module")
def later():
    return ledger.generate(CUSTOMERS, SEED, LATER)


@pytest.fixture(scope="module")
def builds(later):
    return {day: ledger.generate(CUSTOMERS, SEED, day) for day in DAYS}


def _up_to(frames: dict, table: str, day: dt.date) -> pd.DataFrame:
    column, fixed = DATED[table]
    frame = frames[table][frames[table][column] <= day]
    return frame[fixed or list(frame.columns)].reset_index(drop=True)


def test_a_ledger_built_later_holds_the_same_rows_up_to_each_earlier_day(builds, later):
    assert set(DATED) | set(UNDATED) | {"Erp.Customer"} == set(later)  # a new table must say which it is
    for day, early in builds.items():
        for table in UNDATED:
            pd.testing.assert_frame_equal(early[table], later[table], obj=table)
        for table in DATED:
            then, now = _up_to(early, table, day), _up_to(later, table, day)
            pd.testing.assert_frame_equal(then, now, obj=f"{table} up to {day}")
        assert len(early["Erp.InvcHead"]) == len(_up_to(early, "Erp.InvcHead", day))  # nothing dated later
        static = [c for c in early["Erp.Customer"].columns if not c.startswith("Credit") or c == "CreditLimit"]
        pd.testing.assert_frame_equal(early["Erp.Customer"][static], later["Erp.Customer"][static])
    grown = [len(builds[day]["Erp.InvcHead"]) for day in DAYS] + [len(later["Erp.InvcHead"])]
    assert grown == sorted(grown) and grown[0] < grown[-1] / 2


def test_every_month_has_its_timing_difference_manual_entry_write_offs_and_recovery(later):
    head, detail, journal = later["Erp.InvcHead"], later["Erp.CashDtl"], later["Erp.GLJrnDtl"]
    late = head[(head["ApplyDate"] != head["InvoiceDate"]) & (head["InvoiceDate"] >= ledger.FIRST_DAY)]
    months = pd.period_range(ledger.FIRST_DAY, LATER, freq="M")
    assert list(late["InvoiceDate"].astype("datetime64[s]").dt.to_period("M")) == list(months[:-1])
    typed = journal[(journal["SourceModule"] == "GL") & (journal["GLAccount"] == ledger.GL_ACCOUNT)]
    assert list(typed["JEDate"].astype("datetime64[s]").dt.to_period("M")) == list(months)
    adjusted = detail[detail["TranType"] == "Adjust"]
    month = adjusted["TranDate"].astype("datetime64[s]").dt.to_period("M")
    since = months[4:-1]  # the designated ones begin four months in; the build's own month is not over
    written = adjusted[adjusted["ReasonCode"] != "RECOV"].groupby(month).size()
    recovered = adjusted[adjusted["ReasonCode"] == "RECOV"].groupby(month).size()
    assert (written.reindex(since, fill_value=0) >= 2).all() and (recovered.reindex(since, fill_value=0) >= 1).all()


def test_a_day_before_the_first_month_is_refused():
    with pytest.raises(ArdeskError, match=r"begins on 2025-08-01: pass --as-of 2025-08-01 or later"):
        ledger.generate(5, 1, dt.date(2025, 7, 31))


def _aging(connect: str, day: dt.date) -> str:
    done = subprocess.run([sys.executable, "-m", "ardesk", "aging", "--connect", connect, "--as-of", f"{day}",
                           "--format", "csv"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_aging_as_of_a_day_is_the_same_on_a_ledger_built_then_and_on_one_built_later(any_erp, builds, later):
    kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    then = {}
    for day in DAYS[1:]:
        demo.load(erp, builds[day], replace=True)
        items, total = fetch.open_items(erp, day)
        then[day] = (items, total, _aging(connect, day) if day == DAYS[-1] else None)
    demo.load(erp, later, replace=True)
    for day, (items, total, printed) in then.items():
        now, now_total = fetch.open_items(erp, day)
        assert total == now_total == int(now["base_balance_cents"].sum()) != 0, (kind, day)
        pd.testing.assert_frame_equal(items, now, obj=f"{kind} {day}")
        if printed is not None:
            assert printed == _aging(connect, day), (kind, day)
