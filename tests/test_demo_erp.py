"""The demo ERP: realistic, seeded, exact (ardesk.demo), and loadable into SQLite, PostgreSQL and MariaDB
(ardesk.erp.demo)."""
import datetime as dt
import re
import subprocess
import sys
import uuid
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyodbc
import pytest

from ardesk.demo import ledger
from ardesk.demo.schema import schema
from ardesk.erp import demo, dialect
from ardesk.erp.odbc import connect
from ardesk.errors import ArdeskError
from ardesk.money import cents_from_arrow, cents_from_decimal
from ardesk.settings import ErpSettings

AS_OF = dt.date(2026, 11, 30)
AS_OF_DAY = (AS_OF - dt.date(1970, 1, 1)).days
BUCKETS = ("Current", "1-30", "31-60", "61-90", "91-120", "Over 120")


@pytest.fixture(scope="module")
def frames():
    return ledger.generate(1500, 7, AS_OF)


@pytest.fixture(scope="module")
def small():
    """Few customers, so loading stays quick; still has every kind of document."""
    return ledger.generate(300, 11, AS_OF)


def _days(column: pd.Series) -> pd.Series:
    """A date column as days since the epoch (nulls NaN)."""
    return column.astype("datetime64[s]").astype("int64").where(column.notna()) // 86_400


def _cents(column: pd.Series) -> np.ndarray:
    return cents_from_arrow(pa.array(column))


def _open(inv: pd.DataFrame) -> pd.DataFrame:
    return inv[inv["Posted"] & inv["OpenInvoice"]]


def _bucket(inv: pd.DataFrame) -> pd.Series:
    past_due = AS_OF_DAY - _days(inv["DueDate"])
    return pd.cut(past_due, [-np.inf, 0, 30, 60, 90, 120, np.inf], labels=BUCKETS)


# ---------------------------------------------------------------- generation


def test_frames_have_exactly_the_schema_tables_and_columns(frames):
    assert list(frames) == list(schema())
    for table, columns in schema().items():
        assert tuple(frames[table].columns) == columns, table
        assert (frames[table]["Company"] == ledger.COMPANY).all(), table


def test_same_arguments_give_identical_frames_and_another_seed_differs(frames):
    again = ledger.generate(1500, 7, AS_OF)
    for table in frames:
        pd.testing.assert_frame_equal(frames[table], again[table])
    other = ledger.generate(1500, 8, AS_OF)
    assert not frames["Erp.InvcHead"].equals(other["Erp.InvcHead"])
    assert not frames["Erp.Customer"]["Name"].equals(other["Erp.Customer"]["Name"])


def test_primary_keys_are_unique(frames):
    keys = {"Erp.Currency": ["CurrencyCode"], "Erp.CurrExRate": ["SourceCurrCode", "TargetCurrCode", "EffectiveDate"],
            "Erp.Terms": ["TermsCode"], "Erp.TermsSched": ["TermsCode", "PaySeq"], "Erp.SalesRep": ["SalesRepCode"],
            "Erp.Customer": ["CustNum"], "Erp.CustCnt": ["CustNum", "ShipToNum", "ConNum"],
            "Erp.InvcHead": ["InvoiceNum"], "Erp.CashHead": ["HeadNum"],
            "Erp.CashDtl": ["DtlNum"], "Erp.GLJrnDtl": ["JournalCode", "JournalNum", "JournalLine"],
            "Erp.OrderHed": ["OrderNum"], "Erp.CRMCall": ["Key1", "CallSeqNum"],
            "Erp.Reason": ["ReasonType", "ReasonCode"],
            "ardesk.ardesk_collector": ["CustNum"], "ardesk.ardesk_note": ["NoteID"],
            "ardesk.ardesk_application": ["ApplicationID"], "ardesk.ardesk_close": ["Company", "PeriodEnd"],
            "ardesk.ardesk_close_doc": ["Company", "PeriodEnd", "DocCompany", "DocNo"],
            "ardesk.ardesk_bureau_report": ["ReportID"],
            "ardesk.ardesk_credit_limit": ["LimitID"]}
    assert set(keys) == set(frames)
    for table, key in keys.items():
        assert not frames[table].duplicated(key).any(), table


def test_nothing_is_dated_after_as_of(frames):
    """Only due dates lie ahead (that is what makes an item current), and the GL date of the month's one invoice
    entered late (AS_OF being a month-end, it posts to the GL tomorrow)."""
    checked = 0
    for table, frame in frames.items():
        for column in frame.columns:
            if "date32" in str(frame[column].dtype) and column not in ("DueDate", "ApplyDate"):
                assert frame[column].dropna().max() <= AS_OF, (table, column)
                checked += 1
    assert checked == 10
    assert frames["Erp.InvcHead"]["DueDate"].max() <= AS_OF + dt.timedelta(days=90)
    apply = frames["Erp.InvcHead"]["ApplyDate"]
    assert apply.max() == AS_OF + dt.timedelta(days=1) and (apply > AS_OF).sum() == 1


def test_customers_look_like_an_epicor_customer_list(frames):
    cust = frames["Erp.Customer"]
    assert cust["CustID"].str.fullmatch(r"C\d{6}").all() and cust["CustID"].is_unique
    names = cust["Name"]
    assert names.str.contains("'").any()
    assert (~names.map(str.isascii)).any()
    assert names.str.match(r"[=+\-@]").any()  # ERP text that a spreadsheet would read as a formula
    assert names.str.len().max() <= 50
    share = cust["CurrencyCode"].value_counts(normalize=True)
    assert 0.07 < share["EUR"] < 0.13 and 0.03 < share["GBP"] < 0.07
    limit = _cents(cust["CreditLimit"])
    assert 0.05 < (limit == 0).mean() < 0.15 and (limit > 0).mean() > 0.8
    held = cust["CreditHold"].to_numpy(dtype=bool)
    assert 0 < held.sum() < len(cust) * 0.2
    assert cust["CreditHoldDate"][held].notna().all() and cust["CreditHoldDate"][~held].isna().all()
    source = cust["CreditHoldSource"]
    assert source[held].isin(["MANUAL", "CREDIT"]).all() and (source[~held] == "").all()
    assert 0.5 < cust["CreditIncludeOrders"].mean() < 0.9
    assert cust["EMailAddress"].str.contains("@").mean() > 0.9
    assert set(cust["SalesRepCode"]) <= set(frames["Erp.SalesRep"]["SalesRepCode"])


def test_terms_reps_and_collectors(frames):
    terms = frames["Erp.Terms"].set_index("TermsCode")
    descriptions = set(terms["Description"])
    assert {"Net 30", "Net 45", "Net 60", "2% 10 Net 30", "Due on receipt"} <= descriptions
    discount = terms[terms["Description"] == "2% 10 Net 30"].iloc[0]
    assert discount["DiscountPercent"] == Decimal(2) and discount["DiscountDays"] == 10
    sched = frames["Erp.TermsSched"].set_index("TermsCode")["PayDays"]
    assert sched[terms.index[terms["Description"] == "Due on receipt"][0]] == 0
    reps = frames["Erp.SalesRep"]
    assert len(reps) == 12 and reps["EMailAddress"].str.contains("@").all()
    collectors = frames["ardesk.ardesk_collector"]
    assert collectors["CustNum"].tolist() == frames["Erp.Customer"]["CustNum"].tolist()
    assert collectors["CollectorID"].nunique() == 5 == collectors["CollectorName"].nunique()


def test_due_date_is_invoice_date_plus_the_customers_terms(frames):
    inv = frames["Erp.InvcHead"]
    invoices = inv[inv["InvoiceSuffix"].isin(["", "DN"])]
    pay_days = frames["Erp.TermsSched"].set_index("TermsCode")["PayDays"]
    customer_terms = frames["Erp.Customer"].set_index("CustNum")["TermsCode"]
    assert (invoices["TermsCode"].to_numpy() == customer_terms[invoices["CustNum"]].to_numpy()).all()
    expected = _days(invoices["InvoiceDate"]) + pay_days[invoices["TermsCode"]].to_numpy()
    assert (_days(invoices["DueDate"]) == expected).all()


def test_open_items_fill_every_aging_bucket_and_are_skewed(frames):
    open_items = _open(frames["Erp.InvcHead"])
    per_customer = open_items.groupby("CustNum").size()
    assert 15 < len(open_items) / 1500 < 25
    assert per_customer.max() > 8 * per_customer.median()  # many small accounts, a few big ones
    invoices = open_items[open_items["InvoiceSuffix"] == ""]
    counts = _bucket(invoices).value_counts()
    assert all(counts[b] >= 50 for b in BUCKETS), counts
    cents = pd.Series(_cents(invoices["InvoiceBal"]), index=invoices.index)
    balance = cents.groupby(_bucket(invoices), observed=False).sum()
    assert 0.45 < balance["Current"] / balance.sum() < 0.8 and balance["Over 120"] / balance.sum() > 0.03
    over_a_year = AS_OF_DAY - _days(invoices["DueDate"]) > 365
    assert over_a_year.sum() >= 5


def test_partials_credits_unapplied_cash_debit_notes_and_unposted(frames):
    inv = frames["Erp.InvcHead"]
    open_items = _open(inv)
    amount, balance = _cents(open_items["InvoiceAmt"]), _cents(open_items["InvoiceBal"])
    suffix = open_items["InvoiceSuffix"].to_numpy()
    invoice = suffix == ""
    assert (invoice & (balance > 0) & (balance < amount)).sum() > 100
    assert ((amount > 0) & (balance > 0))[invoice | (suffix == "DN")].all()
    cm, ur = suffix == "CM", suffix == "UR"
    assert cm.sum() > 100 and ur.sum() > 100 and (suffix == "DN").sum() > 20
    assert ((amount < 0) & (balance < 0))[cm | ur].all()
    credit_memo, unapplied = (open_items[k].to_numpy(dtype=bool) for k in ("CreditMemo", "UnappliedCash"))
    assert credit_memo[cm | ur].all() and not credit_memo[invoice].any()
    assert unapplied[ur].all() and not unapplied[cm].any()
    unposted = inv[~inv["Posted"].astype(bool)]
    assert 3 <= len(unposted) <= 50 and unposted["OpenInvoice"].all()


def test_unapplied_cash_rows_are_named_by_their_receipts(frames):
    """Every unapplied-cash document is its receipt's CreditMemoNum; what of it is still unapplied is its balance."""
    ur = frames["Erp.InvcHead"].query("InvoiceSuffix == 'UR'").set_index("InvoiceNum")
    cash = frames["Erp.CashHead"]
    naming = cash[cash["CreditMemoNum"] > 0]
    assert naming["CreditMemoNum"].is_unique and set(naming["CreditMemoNum"]) == set(ur.index)
    linked = ur.loc[naming["CreditMemoNum"]]
    assert (_cents(linked["InvoiceBal"]) == -_cents(naming["UnAppliedAmt"])).all()
    assert (_cents(linked["InvoiceAmt"]) == -_cents(naming["TranAmt"])).all()
    assert (linked["CustNum"].to_numpy() == naming["CustNum"].to_numpy()).all()
    assert (linked["InvoiceDate"].to_numpy() == naming["TranDate"].to_numpy()).all()
    assert (_cents(naming["UnAppliedAmt"]) > 0).sum() > 100 and (_cents(naming["UnAppliedAmt"]) == 0).sum() > 100
    assert (_cents(cash.loc[cash["CreditMemoNum"] == 0, "UnAppliedAmt"]) == 0).all()
    assert (_cents(cash["TranAmt"]) == _cents(cash["AppliedAmt"]) + _cents(cash["UnAppliedAmt"])).all()


def test_base_amounts_are_document_amounts_at_the_documents_rate(frames):
    inv = frames["Erp.InvcHead"]
    foreign = inv[inv["CurrencyCode"] != "USD"]
    assert len(foreign) > 1000 and (inv.loc[inv["CurrencyCode"] == "USD", "ExchangeRate"] == Decimal(1)).all()
    cent = Decimal("0.01")
    for doc, base in (("DocInvoiceAmt", "InvoiceAmt"), ("DocInvoiceBal", "InvoiceBal")):
        expected = [(d * r).quantize(cent, ROUND_HALF_UP) for d, r in zip(foreign[doc], foreign["ExchangeRate"])]
        assert foreign[base].tolist() == expected
    rates = frames["Erp.CurrExRate"]
    month = foreign["InvoiceDate"].astype("datetime64[s]").dt.to_period("M").dt.to_timestamp()
    table = rates.assign(month=rates["EffectiveDate"].astype("datetime64[s]")).set_index(["SourceCurrCode", "month"])
    looked_up = table.loc[list(zip(foreign["CurrencyCode"], month)), "CurrentRate"]
    assert looked_up.tolist() == foreign["ExchangeRate"].tolist()


def test_paid_history_is_closed_and_begins_with_the_first_month(frames):
    """Documents settled before the demo's first day were not migrated; those open then were, dated earlier."""
    inv = frames["Erp.InvcHead"]
    detail = frames["Erp.CashDtl"]
    written_off = detail.loc[detail["TranType"] == "Adjust", ["InvoiceNum", "TranDate"]].drop_duplicates("InvoiceNum")
    bad = inv.merge(written_off, on="InvoiceNum")  # closed the day they were written off (a recovery keeps that)
    bad = bad[~bad["OpenInvoice"].astype(bool)]
    assert len(bad) > 0 and (bad["ClosedDate"] == bad["TranDate"]).all() and (_cents(bad["InvoiceBal"]) == 0).all()
    closed = inv[~inv["OpenInvoice"].astype(bool)]
    assert len(closed) > 10_000
    assert (_cents(closed["InvoiceBal"]) == 0).all() and (_cents(closed["DocInvoiceBal"]) == 0).all()
    assert closed["ClosedDate"].notna().all() and inv.loc[inv["OpenInvoice"].astype(bool), "ClosedDate"].isna().all()
    assert (_days(closed["ClosedDate"]) >= _days(closed["InvoiceDate"])).all()  # due on receipt: the same day
    assert (closed["ClosedDate"] >= ledger.FIRST_DAY).all() and (closed["ClosedDate"] <= AS_OF).all()
    migrated = inv[inv["InvoiceDate"] < ledger.FIRST_DAY]
    assert 0 < len(migrated) < 0.1 * len(inv)
    assert migrated["InvoiceDate"].min() > ledger.FIRST_DAY - dt.timedelta(days=366)


def test_monthly_sales_run_level_up_to_the_as_of_date(frames):
    """All invoices of a month, paid or not: no ramp at either end for DSO to mistake for a trend."""
    inv = frames["Erp.InvcHead"]
    invoices = inv[(inv["InvoiceSuffix"] == "") & inv["Posted"].astype(bool)]
    month = invoices["InvoiceDate"].astype("datetime64[s]").dt.to_period("M")
    by_month = pd.Series(_cents(invoices["InvoiceAmt"]), index=month.to_numpy()).groupby(level=0).sum()
    whole = by_month[(by_month.index >= pd.Period(ledger.FIRST_DAY, "M")) & (by_month.index <= pd.Period(AS_OF, "M"))]
    assert len(whole) == 16  # the whole months of the history, AS_OF being a month-end
    assert whole.max() < 1.5 * whole.min()
    assert 0.8 < whole.tail(3).mean() / whole.head(12).mean() < 1.25


def test_the_portfolio_follows_published_b2b_payment_practice(frames):
    """The bands of docs/demo.md, measured on the year before AS_OF: about half the invoices paid late, 8-15 days
    beyond terms on average (by count; 10-20 weighted by amount), 5-10% of the invoices' balances over 90 days past
    due, 0.8-1.6% of sales written off, limits of 1.5-3 months of sales, and no customer owing a fortune."""
    inv = frames["Erp.InvcHead"]
    invoices = inv[(inv["InvoiceSuffix"] == "") & inv["Posted"].astype(bool)]
    year = AS_OF - dt.timedelta(days=365)
    adjusted = frames["Erp.CashDtl"].query("TranType == 'Adjust'")
    paid = invoices[~invoices["OpenInvoice"].astype(bool) & (invoices["ClosedDate"] > year)
                    & ~invoices["InvoiceNum"].isin(adjusted["InvoiceNum"])]
    beyond = (_days(paid["ClosedDate"]) - _days(paid["DueDate"])).clip(lower=0).to_numpy()
    amount = _cents(paid["InvoiceAmt"])
    assert 0.4 < (beyond > 0).mean() < 0.6
    assert 8 < beyond.mean() < 15 and 10 < (beyond * amount).sum() / amount.sum() < 20
    owed = _open(inv)[_open(inv)["InvoiceSuffix"].isin(["", "DN"])]
    over_90 = (AS_OF_DAY - _days(owed["DueDate"]) > 90).to_numpy()
    assert 0.05 < _cents(owed["InvoiceBal"])[over_90].sum() / _cents(owed["InvoiceBal"]).sum() < 0.1
    sales = _cents(invoices.loc[invoices["InvoiceDate"] > year, "InvoiceAmt"]).sum()
    assert 0.008 < _cents(adjusted.loc[adjusted["TranDate"] > year, "TranAmt"]).sum() / sales < 0.016
    cust = frames["Erp.Customer"].set_index("CustNum")
    monthly = pd.Series(_cents(invoices["InvoiceAmt"]), index=invoices["CustNum"].to_numpy())[
        (invoices["InvoiceDate"] > year).to_numpy()].groupby(level=0).sum() / 12
    limit = pd.Series(_cents(cust["CreditLimit"]), index=cust.index)
    months = (limit / monthly.reindex(cust.index))[limit > 0].dropna()
    assert 1.5 < months.median() < 3
    balance = pd.Series(_cents(_open(inv)["InvoiceBal"]), index=_open(inv)["CustNum"].to_numpy()).groupby(level=0).sum()
    assert balance.max() < 0.05 * balance.sum() and (balance > limit.reindex(balance.index))[limit > 0].mean() < 0.25


def test_orders_and_references_link_up(frames):
    inv, orders = frames["Erp.InvcHead"], frames["Erp.OrderHed"]
    invoices = inv[inv["InvoiceSuffix"] == ""]
    assert set(invoices["InvoiceType"]) == {"SHP", "MIS"}
    assert (invoices["OrderNum"] > 0).mean() > 0.7
    linked = invoices[invoices["OrderNum"] > 0]
    assert set(linked["OrderNum"]) <= set(orders["OrderNum"])
    order_po = orders.set_index("OrderNum")["PONum"]
    assert (order_po[linked["OrderNum"]].to_numpy() == linked["PONum"].to_numpy()).all()
    open_orders = orders[orders["OpenOrder"].astype(bool)]
    assert 0.2 < open_orders["CustNum"].nunique() / 1500 < 0.4
    customer_of = inv.set_index("InvoiceNum")["CustNum"]
    credits = inv[inv["InvoiceSuffix"] == "CM"]
    quoted = credits["InvoiceRef"].str.extract(r"(\d{5,})", expand=False).dropna().astype(int)
    assert len(quoted) > 0.5 * len(credits)
    assert (customer_of[quoted].to_numpy() == credits.loc[quoted.index, "CustNum"].to_numpy()).all()
    for style in (r"^INV-0\d+$", r"^inv \d+$", r"^#\d+$"):
        assert credits["InvoiceRef"].str.contains(style).any(), style


def test_collection_notes(frames):
    calls, inv = frames["Erp.CRMCall"], frames["Erp.InvcHead"]
    assert (calls["RelatedToFile"] == "Customer").all() and (calls["Key2"] == "").all() and (calls["Key3"] == "").all()
    assert (calls["Key1"] == calls["CallCustNum"].astype(str)).all() and calls["CallSeqNum"].is_unique
    assert {"CALL", "EMAIL", "PROMISE", "DISPUTE"} == set(calls["CallTypeCode"])
    assert 1 < len(calls) / 1500 < 6 and (calls["CallText"].str.len() > 20).all()
    about = calls[calls["CallInvoiceNum"] > 0]
    customer_of = inv.set_index("InvoiceNum")["CustNum"]
    assert (customer_of[about["CallInvoiceNum"]].to_numpy() == about["CallCustNum"].to_numpy()).all()
    assert about.apply(lambda call: str(call["CallInvoiceNum"]) in call["CallText"], axis=1).all()


def test_fifty_thousand_customers_make_about_a_million_open_items():
    inv = ledger.generate(50_000, 7, AS_OF)["Erp.InvcHead"]
    assert 900_000 < len(_open(inv)) < 1_100_000


def test_no_customers_is_a_clear_error():
    with pytest.raises(ArdeskError, match="at least one customer"):
        ledger.generate(0)


# ---------------------------------------------------------------- loading


def _query(conn: str, sql: str):
    with connect(ErpSettings(connect=conn)) as c:
        name = dialect.dialect_of_dbms(c.getinfo(pyodbc.SQL_DBMS_NAME))
        if name == "mysql":  # MariaDB's driver drops a character for each Ø Ù Ú Û it reads as UTF-16: read UTF-8
            c.setdecoding(pyodbc.SQL_WCHAR, encoding="utf-8", ctype=pyodbc.SQL_CHAR)
        return c.cursor().execute(dialect.render(sql, name)).fetchall()


def test_load_writes_every_row_and_the_open_total_to_the_cent(any_erp, small):
    kind, conn = any_erp
    batches = []
    demo.load(ErpSettings(connect=conn), small, on_rows=batches.append)
    assert sum(batches) == sum(len(f) for f in small.values())
    assert max(batches) <= 500
    for table, frame in small.items():
        assert _query(conn, f"SELECT COUNT(*) FROM {table}")[0][0] == len(frame), (kind, table)
    (total,), = _query(conn, "SELECT SUM(InvoiceBal) FROM Erp.InvcHead WHERE Posted AND OpenInvoice")
    assert cents_from_decimal(str(total)) == _cents(_open(small["Erp.InvcHead"])["InvoiceBal"]).sum()
    (unposted,), = _query(conn, "SELECT COUNT(*) FROM Erp.InvcHead WHERE NOT Posted")
    assert unposted == (~small["Erp.InvcHead"]["Posted"].astype(bool)).sum()
    names = dict(_query(conn, "SELECT CustNum, Name FROM Erp.Customer"))
    assert names == dict(zip(small["Erp.Customer"]["CustNum"], small["Erp.Customer"]["Name"]))
    span = _query(conn, "SELECT MIN(InvoiceDate), MAX(InvoiceDate) FROM Erp.InvcHead")[0]
    dates = [dt.date.fromisoformat(str(day)) for day in span]  # SQLite's driver gives aggregates back as text
    assert dates == [small["Erp.InvcHead"]["InvoiceDate"].min(), small["Erp.InvcHead"]["InvoiceDate"].max()]


def test_text_is_stored_exactly_whatever_its_characters(any_erp):
    """Accents, apostrophes, formula-like text and Ø Ù Ú Û (which MariaDB's driver mangles as UTF-16)."""
    kind, conn = any_erp
    tables = ledger.generate(12, 3, AS_OF)
    names = ["Ødegaard Ùbersee Úlfarsson Ûrkéz A/S", "=SUM(A1) O'Brien & Søn", "Łódź Naïve Café 中文 €"]
    tables["Erp.Customer"].loc[:2, "Name"] = names
    demo.load(ErpSettings(connect=conn), tables)
    lengths = dict(_query(conn, "SELECT CustNum, CHAR_LENGTH(Name) FROM Erp.Customer"))
    assert [lengths[num] for num in (1, 2, 3)] == [len(name) for name in names], kind
    (found,), = _query(conn, "SELECT COUNT(*) FROM Erp.Customer WHERE Name = '=SUM(A1) O''Brien & Søn'")
    assert found == 1, kind


def test_loading_over_a_demo_erp_needs_replace(any_erp):
    kind, conn = any_erp
    tables = ledger.generate(40, 3, AS_OF)
    erp = ErpSettings(connect=conn)
    assert not demo.exists(conn)
    demo.load(erp, tables)
    assert demo.exists(conn)
    with pytest.raises(ArdeskError, match=r"Erp\.Currency already exists.*--replace"):
        demo.load(erp, tables)
    demo.load(erp, tables, replace=True)
    assert _query(conn, "SELECT COUNT(*) FROM Erp.InvcHead")[0][0] == len(tables["Erp.InvcHead"])


def test_tables_of_the_same_name_elsewhere_are_not_ours(postgres_erp, mariadb_erp):
    with connect(ErpSettings(connect=postgres_erp), autocommit=True) as c:
        c.execute("CREATE TABLE public.invchead (x INT)")  # another schema of the same database
    other = f"ardesk_t_{uuid.uuid4().hex[:12]}"
    with connect(ErpSettings(connect=mariadb_erp), autocommit=True) as c:
        c.execute(f"CREATE DATABASE {other}")
        try:
            c.execute(f"CREATE TABLE {other}.InvcHead (x INT)")  # another database on the same server
            tables = ledger.generate(20, 3, AS_OF)
            for conn in (postgres_erp, mariadb_erp):
                demo.load(ErpSettings(connect=conn), tables)
                assert _query(conn, "SELECT COUNT(*) FROM Erp.Customer")[0][0] == 20
        finally:
            c.execute(f"DROP DATABASE {other}")


def test_build_defaults_to_an_sqlite_file_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    used = demo.build(customers=30, as_of=AS_OF)
    assert used == demo.default_connect()
    assert (tmp_path / "ardesk" / "demo-erp.sqlite").exists()
    assert _query(used, "SELECT COUNT(*) FROM Erp.Customer")[0][0] == 30
    with pytest.raises(ArdeskError, match="--replace"):
        demo.build(customers=30, as_of=AS_OF)


def test_build_returns_the_connection_string_without_the_password(sqlite_erp):
    used = demo.build(f"{sqlite_erp};PWD=hunter2", customers=10, as_of=AS_OF)
    assert "hunter2" not in used and used.startswith(sqlite_erp)
    assert re.search(r"PWD=\*\*\*", used)


def test_exists_only_when_every_demo_table_is_there(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    default = demo.default_connect()
    assert not demo.exists(default)
    assert not (tmp_path / "ardesk").exists()  # looking does not create the file or its folder
    demo.build(default, customers=10, as_of=AS_OF)  # the default file, named explicitly, as `ardesk demo` does
    assert demo.exists(default)
    with connect(ErpSettings(connect=default), autocommit=True) as c:
        c.execute("DROP TABLE CRMCall")
    assert not demo.exists(default)


_DROP_INDEX = {"sqlite": "DROP INDEX CashHead_CreditMemo", "postgres": "DROP INDEX erp.cashhead_creditmemo",
               "mariadb": "DROP INDEX CashHead_CreditMemo ON CashHead"}


def test_exists_not_when_an_older_ardesk_made_it_without_an_index(any_erp):
    """Without CashHead_CreditMemo a refresh of the demo took 16-20 s on SQLite: `ardesk demo` builds it again."""
    kind, conn = any_erp
    demo.load(ErpSettings(connect=conn), ledger.generate(20, 3, AS_OF))
    assert demo.exists(conn)
    with connect(ErpSettings(connect=conn), autocommit=True) as c:
        c.execute(_DROP_INDEX[kind])
    assert not demo.exists(conn), kind


def test_the_generator_needs_no_database():
    """ardesk.demo is pure: importing the generator loads neither pyodbc nor ardesk's ODBC connection."""
    probe = ("import sys, ardesk.demo.ledger; "
             "print(sorted({'pyodbc', 'arrow_odbc', 'ardesk.erp.odbc'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
