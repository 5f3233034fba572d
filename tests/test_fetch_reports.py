"""Customers, history and notes read from the demo ERP in three databases: contract dtypes, the same frames
everywhere, every count and sum tied to the database's own SQL; and every profile.toml mistake named in one
sentence."""
import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyodbc
import pytest
import sqlglot
from sqlglot import exp

from ardesk.demo.ledger import COMPANY
from ardesk.demo.schema import schema
from ardesk.erp import demo, dialect, fetch
from ardesk.erp import profile as profiles
from ardesk.erp.odbc import connect
from ardesk.errors import ArdeskError
from ardesk.frames import CAPTURED_NOTES, CUSTOMERS, HISTORY, OPEN_ITEMS
from ardesk.money import cents_from_decimal
from ardesk.settings import ErpSettings

AS_OF = dt.date(2026, 11, 24)
SINCE = dt.date(2025, 10, 31)
CONTRACTS = {"items": OPEN_ITEMS, "customers": CUSTOMERS, "history": HISTORY, "notes": CAPTURED_NOTES}


def _build(conn_str: str, customers: int = 30) -> ErpSettings:
    demo.build(conn_str, customers=customers, seed=5, as_of=AS_OF)
    return ErpSettings(connect=conn_str)


def _frames(got: fetch.Receivables) -> dict[str, pd.DataFrame]:
    return {name: getattr(got, name) for name in CONTRACTS}


def _sql(erp: ErpSettings, sql: str, *params):
    """The first value of a canonical statement's first row, run on the ERP itself."""
    with connect(erp) as conn:
        rendered = dialect.render(sql, dialect.dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME)))
        return conn.execute(rendered, *params).fetchone()[0]


def _cents(value) -> int:
    """A SUM as the drivers return it (Decimal, float on SQLite, NULL for no rows) in cents."""
    return cents_from_decimal(Decimal(str(value or 0)))


def test_every_frame_has_its_contract_and_is_the_same_on_every_database(sqlite_erp, postgres_erp, mariadb_erp):
    results = {kind: _frames(fetch.receivables(_build(conn), AS_OF, SINCE))
               for kind, conn in (("sqlite", sqlite_erp), ("postgres", postgres_erp), ("mariadb", mariadb_erp))}
    base = results["sqlite"]
    for name, contract in CONTRACTS.items():
        assert len(base[name]) > 0, name
        assert dict(base[name].dtypes.astype(str)) == contract, name
        for kind in ("postgres", "mariadb"):
            pd.testing.assert_frame_equal(results[kind][name], base[name], obj=f"{kind} {name}")


def test_reports_tie_to_the_databases_own_counts_and_sums(any_erp):
    kind, conn = any_erp
    erp = _build(conn)
    got = fetch.receivables(erp, AS_OF, SINCE)
    customers = got.customers.set_index("customer_id")

    assert len(customers) == _sql(erp, "SELECT COUNT(*) FROM Erp.Customer"), kind
    assert set(got.items["customer_id"]) < set(customers.index)  # some customers owe nothing and are still listed
    assert int(customers["open_orders_cents"].sum()) == _cents(
        _sql(erp, "SELECT SUM(OrderAmt) FROM Erp.OrderHed WHERE OpenOrder AND OrderDate <= CAST(? AS DATE)",
             AS_OF.isoformat())), kind
    no_orders = _sql(erp, "SELECT MIN(c.CustID) FROM Erp.Customer AS c WHERE NOT EXISTS "
                          "(SELECT 1 FROM Erp.OrderHed AS o WHERE o.CustNum = c.CustNum AND o.OpenOrder)")
    assert customers.loc[no_orders, "open_orders_cents"] == 0
    assert (customers["open_orders_cents"] > 0).any() and customers["credit_hold"].any()
    assert int(customers["credit_hold"].sum()) == _sql(erp, "SELECT COUNT(*) FROM Erp.Customer WHERE CreditHold")

    history = got.history
    still_open = history[history["closed_date"].isna()]
    assert len(still_open) == len(got.items) and int(still_open["base_balance_cents"].sum()) == got.erp_total_cents
    window = history["doc_date"] > pd.Timestamp(SINCE)
    assert int(history.loc[window, "base_amount_cents"].sum()) == _cents(
        _sql(erp, "SELECT SUM(InvoiceAmt) FROM Erp.InvcHead WHERE Posted AND InvoiceDate > CAST(? AS DATE) "
                  "AND InvoiceDate <= CAST(? AS DATE)", SINCE.isoformat(), AS_OF.isoformat())), kind
    assert (window | history["closed_date"].isna() | (history["closed_date"] > pd.Timestamp(SINCE))).all()
    assert (history.loc[history["closed_date"].notna(), "base_balance_cents"] == 0).all()

    notes = got.notes
    assert len(notes) == _sql(erp, "SELECT COUNT(*) FROM Erp.CRMCall WHERE RelatedToFile = 'Customer' "
                                   "AND OrigDate > CAST(? AS DATE) AND OrigDate <= CAST(? AS DATE)",
                              SINCE.isoformat(), AS_OF.isoformat()), kind
    assert (notes["doc_no"] == "").sum() == _sql(erp, "SELECT COUNT(*) FROM Erp.CRMCall WHERE CallInvoiceNum = 0 "
                                                      "AND OrigDate > CAST(? AS DATE) AND OrigDate <= CAST(? AS DATE)",
                                                 SINCE.isoformat(), AS_OF.isoformat())  # the demo notes all its history
    assert (notes["source"] == "ERP").all() and (notes["author"] != "").all()


def test_contact_types_outcomes_and_dispute_reasons_come_from_the_call(sqlite_erp):
    notes = fetch.receivables(_build(sqlite_erp, customers=60), AS_OF, SINCE).notes
    assert set(notes["contact_type"]) == {"Call", "Email", "PROMISE", "DISPUTE"}
    outcome = {kind: set(values) for kind, values in notes.groupby("contact_type")["outcome"]}
    assert outcome["PROMISE"] == {"Promised"} and outcome["DISPUTE"] == {"Disputed"} and outcome["Call"] == {""}
    disputes = notes[notes["contact_type"] == "DISPUTE"]
    assert set(disputes["dispute_reason"]) <= {"Pricing", "Shortage", "Damage"} and len(disputes) > 0
    assert (notes.loc[notes["contact_type"] != "DISPUTE", "dispute_reason"] == "").all()
    assert notes["text"].str.startswith(("Past-due follow-up: ", "Reminder sent: ", "Statement sent: ",
                                         "Promise to pay: ", "Dispute - ")).all()
    assert notes["promise_cents"].isna().all() and notes["follow_up"].isna().all()


def test_a_document_closed_after_the_as_of_date_was_open_then(sqlite_erp):
    erp = _build(sqlite_erp)
    earlier = AS_OF - dt.timedelta(days=60)
    history = fetch.receivables(erp, earlier, SINCE).history
    assert (history["doc_date"] <= pd.Timestamp(earlier)).all()
    open_then = history["closed_date"].isna() | (history["closed_date"] > pd.Timestamp(earlier))
    assert (history["closed_date"] > pd.Timestamp(earlier)).any()
    day = earlier.isoformat()
    assert open_then.sum() == _sql(erp, "SELECT COUNT(*) FROM Erp.InvcHead WHERE Posted "
                                        "AND InvoiceDate <= CAST(? AS DATE) "
                                        "AND (OpenInvoice OR ClosedDate > CAST(? AS DATE))", day, day)


def _copy_customer_to(erp: ErpSettings, company: str, cust_num: int) -> None:
    """Add a second company holding every sales rep and one customer's rows of each table that names one."""
    customer_key = {"Erp.SalesRep": None, "Erp.Customer": "CustNum", "Erp.InvcHead": "CustNum",
                    "Erp.OrderHed": "CustNum", "Erp.CRMCall": "CallCustNum", "ardesk.ardesk_collector": "CustNum"}
    with connect(erp) as conn:
        name = dialect.dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
        for table, key in customer_key.items():
            columns = schema()[table]
            values = ", ".join("?" if c == "Company" else c for c in columns)
            where, params = (f" WHERE {key} = ?", [cust_num]) if key else ("", [])
            insert = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} FROM {table}{where}"
            conn.execute(dialect.render(insert, name), company, *params)
        conn.commit()


def test_company_filter_is_a_bound_parameter(sqlite_erp):
    _copy_customer_to(_build(sqlite_erp, customers=12), "OTHER", 3)
    read = {company: fetch.receivables(ErpSettings(connect=sqlite_erp, company=company), AS_OF, SINCE)
            for company in ("", COMPANY, "OTHER")}
    everything, demo_only, other = read.values()
    assert len(demo_only.customers) == 12 and len(everything.customers) == 13
    assert other.customers["customer_id"].tolist() == ["C000003"]
    for name in ("items", "customers", "history", "notes"):
        assert len(getattr(demo_only, name)) + len(getattr(other, name)) == len(getattr(everything, name)), name
        mine = getattr(demo_only, name)
        copied = mine[mine["customer_id"] == "C000003"].reset_index(drop=True)
        if "company" in copied:  # the copies are in the other company, and say so
            copied["company"] = pd.array(["OTHER"] * len(copied), dtype="string")
        pd.testing.assert_frame_equal(getattr(other, name), copied, obj=name)
    with pytest.raises(ArdeskError, match="knows no company \"NOPE' OR '1'='1\""):  # refused, not read
        fetch.receivables(ErpSettings(connect=sqlite_erp, company="NOPE' OR '1'='1"), AS_OF, SINCE)


def test_open_items_alone_reads_what_receivables_reads(sqlite_erp):
    erp = _build(sqlite_erp, customers=10)
    items, total = fetch.open_items(erp, AS_OF)
    got = fetch.receivables(erp, AS_OF, SINCE)
    pd.testing.assert_frame_equal(items, got.items)
    assert total == got.erp_total_cents


def _epicor_with(sections: dict) -> profiles.Profile:
    """The shipped epicor profile with its profile.toml sections replaced."""
    return replace(profiles.load("epicor"), sections=sections)


def test_a_profile_without_a_section_is_named():
    sections = profiles.load("epicor").sections
    no_parameters = _epicor_with({k: v for k, v in sections.items() if k != "parameters"})
    with pytest.raises(ArdeskError, match=r"'epicor'.*\[parameters\]"):
        no_parameters.parameters("total", {"as_of": "2026-11-24", "company": ""})
    no_notes = _epicor_with({k: v for k, v in sections.items() if k != "notes"})
    with pytest.raises(ArdeskError, match=r"'epicor'.*\[notes\]"):
        no_notes.columns("notes")
    assert no_notes.columns("history") == profiles.load("epicor").columns("history")


def test_a_profile_that_binds_what_ardesk_does_not_supply_is_named():
    profile = profiles.load("epicor")
    with pytest.raises(ArdeskError, match=r"'epicor' binds 'since' in its history query.*as_of, company"):
        profile.parameters("history", {"as_of": "2026-11-24", "company": ""})
    assert profile.parameters("notes", {"as_of": "A", "since": "S", "company": "C"}) == ["S", "A", "C", "C"]


def test_open_items_must_map_what_aging_needs():
    columns = {k: v for k, v in profiles.load("epicor").sections["open_items"].items() if k != "due_date"}
    with pytest.raises(ArdeskError, match=r"'epicor' maps no column to 'due_date': add it under \[open_items\]"):
        _epicor_with({"open_items": columns}).columns("open_items")


def test_driver_types_become_the_contract_dtypes():
    """Booleans as text (psqlODBC), money as text or NULL (SQLite), and a nullable promised amount."""
    profile = _epicor_with({"notes": {"customer_id": "Cust", "written": "Day", "promise": "Promised", "text": "Note"},
                            "customers": {"customer_id": "Cust", "credit_hold": "Hold", "open_orders": "Orders"}})
    table = pa.table({"CUST": ["C1", "C2", "C3"], "day": ["2026-11-02", None, "2026-01-31"],
                      "Promised": pa.array([Decimal("12.345"), None, Decimal("-0.004")], pa.decimal128(10, 3)),
                      "Note": ["a", None, "=b"], "Hold": ["1", "0", None], "Orders": ["10.005", None, "7"]})
    notes = fetch._to_frame(table, profile, "notes")
    assert dict(notes.dtypes.astype(str)) == CAPTURED_NOTES
    assert notes["promise_cents"].tolist() == [1235, pd.NA, 0] and notes["text"].tolist() == ["a", "", "=b"]
    assert notes["written"].isna().tolist() == [False, True, False] and (notes["outcome"] == "").all()
    customers = fetch._to_frame(table, profile, "customers")
    assert dict(customers.dtypes.astype(str)) == CUSTOMERS
    assert customers["credit_hold"].tolist() == [True, False, False]
    assert customers["open_orders_cents"].tolist() == [1001, 0, 700] and (customers["credit_limit_cents"] == 0).all()


def test_a_column_the_frame_lacks_is_named():
    profile = _epicor_with({"history": {"customer_id": "CustID", "amout": "X"}})
    with pytest.raises(ArdeskError, match=r"'amout' under \[history\].*base_amount"):
        fetch._to_frame(pa.table({"CustID": ["C1"], "X": [1]}), profile, "history")


def test_a_column_the_query_lacks_is_named():
    profile = _epicor_with({"history": {"customer_id": "CustNum"}})
    with pytest.raises(ArdeskError, match=r"'epicor' expects a column 'CustNum' that its history query did not"):
        fetch._to_frame(pa.table({"CustID": ["C1"]}), profile, "history")


@pytest.mark.parametrize("query", list(profiles.QUERIES))
def test_sqlite_finds_every_joined_row_by_an_index(sqlite_erp, query):
    """Each table a profile query joins is searched by an index, never scanned per row of the table it joins to:
    open_items scanned every receipt for each open item (8.2 s of the demo's refresh) before CashHead_CreditMemo.
    A query of one table searches it by an index too (ardesk's closes, by company and period)."""
    erp = _build(sqlite_erp)
    profile = profiles.load("epicor")
    sql = dialect.render(profile.query(query), "sqlite")
    tree = sqlglot.parse_one(sql, read="sqlite")
    joined = [join.this.alias_or_name for join in tree.find_all(exp.Join)] or [tree.find(exp.From).this.alias_or_name]
    values = {"as_of": AS_OF.isoformat(), "since": SINCE.isoformat(), "company": ""}
    with connect(erp) as conn:
        plan = [row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", *profile.parameters(query, values))]
    assert joined
    for alias in joined:
        assert any(step.startswith(f"SEARCH {alias} USING") for step in plan), (alias, plan)
