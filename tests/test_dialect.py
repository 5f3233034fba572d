"""SQL written once renders correctly for every database, including SQL Server (checked without a server)."""
import datetime as dt
from importlib import resources

import pyodbc
import pytest
import sqlglot
from sqlglot import exp

from ardesk.erp import profile
from ardesk.erp.dialect import DIALECTS, dialect_of_dbms, render, render_script
from ardesk.erp.odbc import connect
from ardesk.settings import ErpSettings

SQL_ROOT = resources.files("ardesk.sql")


def shipped_statements():
    """Every canonical statement ardesk ships: each profile's queries and the demo schema."""
    for name in profile.available():
        for path in (SQL_ROOT / name).iterdir():
            if path.name.endswith(".sql"):
                yield f"{name}/{path.name}", path.read_text(encoding="utf-8")
    yield "demo/schema.sql", (SQL_ROOT / "demo" / "schema.sql").read_text(encoding="utf-8")


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name, sql", list(shipped_statements()), ids=lambda v: v if "/" in str(v) else None)
def test_every_statement_renders_and_parses_back(name, sql, dialect):
    statements = render_script(sql, dialect)
    assert statements
    for statement in statements:
        assert sqlglot.parse_one(statement, read=dialect) is not None
        assert "%s" not in statement  # ODBC placeholders stay `?`
        upper = statement.upper()
        for clock in ("CURRENT_DATE", "NOW()", "GETDATE", "CURRENT_TIMESTAMP", "SYSDATE"):
            assert clock not in upper, f"{name} reads the database clock; the as-of date is a parameter"


def test_open_items_binds_every_value():
    sql = profile.load("epicor").query("open_items")
    for dialect in DIALECTS:
        rendered = render(sql, dialect)
        assert rendered.count("?") == len(profile.load("epicor").parameters("open_items", {"as_of": "", "company": ""}))
        assert "'EPIC" not in rendered


def test_schemas_kept_where_the_database_has_them():
    sql = profile.load("epicor").query("open_items")
    assert "Erp.InvcHead" in render(sql, "postgres") and "Erp.InvcHead" in render(sql, "tsql")
    assert "Erp." not in render(sql, "sqlite") and "Erp." not in render(sql, "mysql")
    assert "ardesk.ardesk_collector" in render(sql, "tsql")


def test_sql_server_rendering():
    sql = "SELECT DATEDIFF(CAST(? AS DATE), i.DueDate) AS d FROM Erp.InvcHead AS i WHERE i.OpenInvoice LIMIT 10"
    tsql = render(sql, "tsql")
    assert "DATEDIFF(DAY, i.DueDate, CAST(? AS DATE))" in tsql
    assert "TOP 10" in tsql and "LIMIT" not in tsql
    assert "i.OpenInvoice <> 0" in tsql  # BIT columns are compared, not used as booleans
    ddl = render_script("CREATE TABLE Erp.T (Flag BOOLEAN NOT NULL, Note TEXT, Amt DECIMAL(20, 3))", "tsql")[0]
    assert "BIT" in ddl and "NUMERIC(20, 3)" in ddl
    tree = sqlglot.parse_one(tsql, read="tsql")
    assert [t.db for t in tree.find_all(exp.Table)] == ["Erp"]


def test_dbms_names():
    assert dialect_of_dbms("SQLite") == "sqlite"
    assert dialect_of_dbms("PostgreSQL") == "postgres"
    assert dialect_of_dbms("MariaDB") == "mysql"
    assert dialect_of_dbms("Microsoft SQL Server") == "tsql"
    with pytest.raises(ValueError, match="does not speak"):
        dialect_of_dbms("Oracle")


def test_date_difference_is_right_on_every_real_database(any_erp):
    """The trap: postgres-style date subtraction passes through sqlglot and gives nonsense on MariaDB."""
    _kind, conn_str = any_erp
    sql = "SELECT DATEDIFF(CAST(? AS DATE), CAST(? AS DATE)) AS d, DATE_ADD(CAST(? AS DATE), INTERVAL 30 DAY) AS e"
    with connect(ErpSettings(connect=conn_str)) as conn:
        dialect = dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
        row = conn.execute(render(sql, dialect), "2026-03-01", "2026-02-28", "2026-01-31").fetchone()
    assert int(row[0]) == 1
    assert str(row[1])[:10] == "2026-03-02"
    assert dt.date.fromisoformat(str(row[1])[:10]) - dt.date(2026, 1, 31) == dt.timedelta(days=30)
