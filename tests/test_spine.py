"""The spine end to end: demo ERP in three databases -> aging -> the same numbers, tied to the ERP."""
import datetime as dt

import pandas as pd
import pyodbc
import pytest

from ardesk.ar import aging
from ardesk.erp import demo, fetch
from ardesk.erp.odbc import full_connection_string
from ardesk.errors import ArdeskError
from ardesk.frames import OPEN_ITEMS
from ardesk.settings import AgingSettings, ErpSettings

AS_OF = dt.date(2026, 11, 24)


def read(conn_str):
    demo.build(conn_str, customers=80, seed=11, as_of=AS_OF)
    return fetch.open_items(ErpSettings(connect=conn_str), AS_OF)


def test_same_demo_gives_identical_aging_on_every_database(sqlite_erp, postgres_erp, mariadb_erp):
    results = {kind: read(conn) for kind, conn in
               (("sqlite", sqlite_erp), ("postgres", postgres_erp), ("mariadb", mariadb_erp))}
    frames = {kind: items.sort_values("doc_no", key=lambda s: s.astype(int)).reset_index(drop=True)
              for kind, (items, _total) in results.items()}
    base = frames["sqlite"]
    assert len(base) > 500
    assert list(base.columns) == list(OPEN_ITEMS)
    for kind in ("postgres", "mariadb"):
        pd.testing.assert_frame_equal(frames[kind], base, check_dtype=True, obj=kind)
    for by in aging.GROUPS:
        pivots = [aging.pivot(aging.age(frame, AS_OF, AgingSettings()), by) for frame in frames.values()]
        for other in pivots[1:]:
            pd.testing.assert_frame_equal(other, pivots[0])
    for kind, (items, erp_total) in results.items():
        assert int(items["base_balance_cents"].sum()) == erp_total, kind


def test_grand_total_ties_to_the_databases_own_sum(postgres_erp):
    items, erp_total = read(postgres_erp)
    with pyodbc.connect(full_connection_string(ErpSettings(connect=postgres_erp))) as conn:
        own = conn.execute("SELECT SUM(InvoiceBal) FROM Erp.InvcHead WHERE Posted AND OpenInvoice "
                           "AND InvoiceDate <= ?", AS_OF).fetchone()[0]
    table = aging.pivot(aging.age(items, AS_OF, AgingSettings()), "customer")
    assert int(aging.grand_total(table)["Total"]) == erp_total == int(own * 100)
    assert (items["doc_type"] == "PAY").any() and (items["doc_type"] == "CM").any()
    assert (items.loc[items["doc_type"].isin(["PAY", "CM"]), "base_balance_cents"] < 0).all()
    assert (items["currency"] != "USD").any()


def test_sqlite_numeric_floats_are_quantised_to_the_cent(sqlite_erp):
    items, erp_total = read(sqlite_erp)
    assert items["base_balance_cents"].dtype == "int64"
    assert int(items["base_balance_cents"].sum()) == erp_total


def test_a_missing_table_is_named_with_its_profile(sqlite_erp):
    demo.build(sqlite_erp, customers=5, seed=1, as_of=AS_OF)
    with pyodbc.connect(sqlite_erp, autocommit=True) as conn:
        conn.execute("DROP TABLE ardesk_collector")
    with pytest.raises(ArdeskError, match=r"epicor.*ardesk_collector|ardesk_collector.*epicor"):
        fetch.open_items(ErpSettings(connect=sqlite_erp), AS_OF)


def test_company_filter_is_a_bound_parameter(sqlite_erp):
    demo.build(sqlite_erp, customers=20, seed=2, as_of=AS_OF)
    everything, _ = fetch.open_items(ErpSettings(connect=sqlite_erp), AS_OF)
    one, total = fetch.open_items(ErpSettings(connect=sqlite_erp, company="EPIC06"), AS_OF)
    assert len(everything) > 0 and len(one) == len(everything) and total == int(one["base_balance_cents"].sum())
    with pytest.raises(ArdeskError, match="knows no company"):  # an injection is a company like any other: unknown
        fetch.open_items(ErpSettings(connect=sqlite_erp, company="NOPE' OR '1'='1"), AS_OF)


def test_documents_after_the_as_of_date_are_not_read(sqlite_erp):
    demo.build(sqlite_erp, customers=40, seed=5, as_of=AS_OF)
    now, _ = fetch.open_items(ErpSettings(connect=sqlite_erp), AS_OF)
    earlier_day = AS_OF - dt.timedelta(days=30)
    earlier, total = fetch.open_items(ErpSettings(connect=sqlite_erp), earlier_day)
    assert len(earlier) < len(now)
    assert (earlier["doc_date"] <= pd.Timestamp(earlier_day)).all()
    assert int(earlier["base_balance_cents"].sum()) == total


def test_a_password_never_reaches_the_workbook(sqlite_erp, tmp_path, monkeypatch):
    """Inline or from the environment, the password is used to connect and is in no part of the xlsx."""
    import zipfile

    from ardesk import pipeline
    from ardesk.settings import Settings

    demo.build(sqlite_erp, customers=10, seed=4, as_of=AS_OF)
    monkeypatch.setenv("ARDESK_ERP_PASSWORD", "Env-Secret-42")
    settings = Settings(erp=ErpSettings(connect=sqlite_erp + ";PWD={Inline;Secret=7}"))
    output = pipeline.build(tmp_path / "aging.xlsx", settings, AS_OF).path
    with zipfile.ZipFile(output) as book:
        everything = b"".join(book.read(name) for name in book.namelist())
    assert b"Inline" not in everything and b"Env-Secret-42" not in everything
    assert b"erp.sqlite" in everything  # the connection itself is remembered, for refresh
