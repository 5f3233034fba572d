"""The one writer of every write-back: a batch is one JSON document bound to one statement, rendered per database;
text and money arrive exactly, through real ODBC drivers."""
import datetime as dt
from decimal import Decimal

import numpy as np
import pyodbc
import pytest

from ardesk.erp import profile as profiles, writer
from ardesk.erp.dialect import dialect_of_dbms, render
from ardesk.erp.odbc import connect
from ardesk.money import decimal_text, decimal_texts
from ardesk.settings import ErpSettings

INSERT = """INSERT INTO ardesk.t (Name, Qty, Amt, At)
SELECT j.name, j.qty, j.amt, j.at
FROM JSON_TABLE(?, '$[*]' COLUMNS (
  name LONGTEXT PATH '$.name', qty INT PATH '$.qty', amt DECIMAL(20, 2) PATH '$.amt', at DATETIME PATH '$.at'
)) AS j"""

RENDERED = {
    "postgres": "INSERT INTO ardesk.t (Name, Qty, Amt, At) SELECT j.name, j.qty, j.amt, j.at FROM (SELECT "
                "CAST(r ->> 0 AS TEXT) AS name, CAST(r ->> 1 AS INT) AS qty, CAST(r ->> 2 AS DECIMAL(20, 2)) AS amt, "
                "CAST(r ->> 3 AS TIMESTAMP) AS at FROM JSONB_ARRAY_ELEMENTS(CAST(? AS JSONB)) AS r) AS j",
    "mysql": "INSERT INTO t (Name, Qty, Amt, At) SELECT j.name, j.qty, j.amt, j.at FROM JSON_TABLE(?, '$[*]' "
             "COLUMNS(name LONGTEXT PATH '$[0]', qty INT PATH '$[1]', amt DECIMAL(20, 2) PATH '$[2]', "
             "at DATETIME PATH '$[3]')) AS j",
    "sqlite": "INSERT INTO t (Name, Qty, Amt, At) SELECT j.name, j.qty, j.amt, j.at FROM (SELECT "
              "JSON_EXTRACT(value, '$[0]') AS name, JSON_EXTRACT(value, '$[1]') AS qty, "
              "JSON_EXTRACT(value, '$[2]') AS amt, JSON_EXTRACT(value, '$[3]') AS at FROM JSON_EACH(?)) AS j",
    "tsql": "INSERT INTO ardesk.t (Name, Qty, Amt, At) SELECT j.name, j.qty, j.amt, j.at FROM OPENJSON(?) WITH "
            "(name NVARCHAR(MAX) '$[0]', qty INTEGER '$[1]', amt NUMERIC(20, 2) '$[2]', at DATETIME '$[3]') AS j",
}
"""The canonical statement names each row's fields; every database reads the row arrays by position."""

TEXTS = ["plain", "it's \"quoted\" \\ back\\slashed", "Emoji 😀🧾💸 and ØÙÚÛ", "שלום — مرحبا بالعالم",
         "line\r\nbreak\ttab\x01", "x" * 31_990 + "😀 end"]


@pytest.mark.parametrize("dialect", sorted(RENDERED))
def test_one_json_insert_renders_to_each_databases_row_expander(dialect):
    assert render(INSERT, dialect) == RENDERED[dialect]


def test_the_document_holds_the_fields_the_statement_reads_in_its_order_money_as_text_and_refuses_floats():
    rows = [{"at": dt.datetime(2026, 11, 24, 9, 5), "name": "a\"b", "qty": 3, "amt": "1234.50", "extra": "left out"}]
    assert writer.fields(INSERT) == ("name", "qty", "amt", "at")
    assert writer.document(INSERT, rows) == '[["a\\"b",3,"1234.50","2026-11-24 09:05:00"]]'
    with pytest.raises(TypeError, match="exact decimal text"):
        writer.document(INSERT, [{**rows[0], "amt": 1234.5}])


FIELDS = {
    "note_key_insert": ("note_id", "company", "customer_key", "sequence", "pushed", "written_at", "invoices",
                        "contact_person", "promise_amount", "promise_date", "dispute_amount", "follow_up"),
    "note_insert": ("company", "customer_key", "sequence", "contact_type", "subject", "body", "invoice", "sales_rep",
                    "author", "written"),
    "application_insert": ("application_id", "company", "customer_id", "credit_doc", "invoice_customer_id",
                           "invoice_doc", "kind", "currency", "amount", "rule", "approver", "staged"),
}


@pytest.mark.parametrize("query", sorted(FIELDS))
def test_every_profile_insert_binds_one_json_document_of_named_fields(query):
    profile = profiles.load("epicor")
    assert profile.parameters(query, {"rows": "[]"}) == ["[]"]
    assert writer.fields(profile.query(query)) == FIELDS[query]


def test_text_and_money_round_trip_exactly(any_erp):
    kind, connect_string = any_erp
    erp = ErpSettings(connect=connect_string)
    with connect(erp) as conn:
        dialect = dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
        if dialect == "postgres":
            conn.execute("CREATE SCHEMA ardesk")
        table = "ardesk.t" if dialect == "postgres" else "t"
        long_text = "LONGTEXT" if dialect == "mysql" else "TEXT"
        conn.execute(f"CREATE TABLE {table} (Name {long_text}, Qty INT, Amt DECIMAL(20, 2), At "
                     f"{'TIMESTAMP' if dialect == 'postgres' else 'DATETIME'})")
        conn.commit()

        class Profile:  # the writer reads only these two of a profile
            def query(self, _name):
                return INSERT

            def parameters(self, _name, values):
                return [values["rows"]]

        rows = [{"name": text, "qty": n, "amt": f"{n}2345678901.2{n}", "at": dt.datetime(2026, 11, 24, 9, n)}
                for n, text in enumerate(TEXTS)]
        writer.execute(conn.cursor(), Profile(), "insert", dialect, rows)
        conn.commit()
        back = conn.execute(f"SELECT Name, Qty, CAST(Amt AS CHAR(30)) FROM {table} ORDER BY Qty"
                            if dialect == "mysql" else
                            f"SELECT Name, Qty, CAST(Amt AS VARCHAR(30)) FROM {table} ORDER BY Qty").fetchall()
    assert [row[0] for row in back] == TEXTS
    assert [Decimal(row[2]) for row in back] == [Decimal(f"{n}2345678901.2{n}") for n in range(len(TEXTS))]


def test_many_amounts_become_the_same_exact_text_as_one_at_a_time():
    cents = np.concatenate([np.arange(-1_005, 1_005), [10**15 + 7, -(10**15) - 99, 2**62]])
    assert decimal_texts(cents) == [decimal_text(int(value)) for value in cents]
    assert decimal_texts(np.array([-5, 120_034], dtype=np.int64)) == ["-0.05", "1200.34"]
