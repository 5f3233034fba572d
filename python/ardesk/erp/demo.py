"""The demo ERP in a database: the generated ledgers (ardesk.demo.ledger) loaded over ODBC.

`ardesk demo` builds it in an SQLite file and the tests build it in SQLite, PostgreSQL and MariaDB, so every
other part of ardesk has something a collector would recognise to work on. `load` writes the frames with bound
multi-row INSERTs; `exists` tells whether a database already holds the demo as this ardesk makes it.
"""
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyodbc

from ardesk.demo.ledger import generate
from ardesk.demo.schema import indexes, schema, schema_text
from ardesk.erp import dialect, migrations
from ardesk.erp.odbc import connect as open_connection
from ardesk.erp.odbc import describe, dialect_of, driver_kind, parse
from ardesk.errors import ArdeskError, redact
from ardesk.settings import ErpSettings, data_dir

_ROWS_PER_INSERT = 500
_PARAMS_PER_INSERT = 30_000  # stays under every driver's limit on bound parameters per statement

_ANALYZE = {"sqlite": "ANALYZE {}", "postgres": "ANALYZE {}", "mysql": "ANALYZE TABLE {}"}
"""Statistics for the query planner after a bulk load. Without them MariaDB looked up every customer's
invoices by company alone and read a 1,500-customer ledger in a minute instead of a second; PostgreSQL waits
for autovacuum. SQL Server builds its statistics on first use."""


def load(erp: ErpSettings, tables: dict[str, pd.DataFrame], *, replace: bool = False,
         on_rows: Callable[[int], None] | None = None) -> None:
    """Create the demo schema and insert the frames, all in one transaction (MariaDB commits DDL on its own),
    then gather the tables' statistics, as a live ERP has them.

    Refuses to touch existing demo tables unless `replace`, which drops them first.
    """
    unknown = sorted(set(tables) - set(schema()))
    if unknown:
        raise ValueError(f"{unknown[0]} is not a demo ERP table")
    with open_connection(erp) as conn:
        name = dialect_of(conn)
        cursor = conn.cursor()
        try:
            present = _present(conn, name)
            if present and not replace:
                raise ArdeskError(f"The demo ERP table {present[0]} already exists in {describe(erp)}: "
                                  "pass --replace to drop the demo tables and build them again.")
            for table in reversed(present):
                cursor.execute(dialect.render(f"DROP TABLE {table}", name))
            for statement in dialect.render_script(schema_text(), name):
                cursor.execute(statement)
            for table in schema():
                if table in tables:
                    _insert(cursor, name, table, tables[table], on_rows)
            conn.commit()
            migrations.upgrade(conn, dt.datetime.now())  # adopts the tables just made: nothing to migrate
            if name in _ANALYZE:
                for table in schema():
                    cursor.execute(dialect.render(_ANALYZE[name].format(table), name))
                conn.commit()
        except BaseException:
            conn.rollback()
            raise


def _present(conn: pyodbc.Connection, name: str) -> list[str]:
    """The demo tables that already exist in the connection's database, in schema order."""
    catalog = _catalog(conn, name)
    return [table for table in schema() if _key(table, name) in catalog]


def _catalog(conn: pyodbc.Connection, name: str) -> dict[tuple[str, str], tuple[str | None, str]]:
    """The tables of the connection's database: (schema, table) in lower case -> as the catalog spells them.

    Names compare without case, but the catalog functions want them spelled as stored (PostgreSQL folds them to
    lower case, MariaDB keeps them); the schema counts only where the database has them.
    """
    database = conn.getinfo(pyodbc.SQL_DATABASE_NAME)
    schemaless = name in dialect.SCHEMALESS
    return {("" if schemaless else (row.table_schem or "").lower(), row.table_name.lower()):
            (row.table_schem, row.table_name)
            for row in conn.cursor().tables(tableType="TABLE") if row.table_cat in (None, "", database)}


def _key(table: str, name: str) -> tuple[str, str]:
    """A canonical table name (`Erp.InvcHead`) as a key of _catalog."""
    schema_name, table_name = table.split(".")
    return "" if name in dialect.SCHEMALESS else schema_name.lower(), table_name.lower()


def _insert(cursor: pyodbc.Cursor, name: str, table: str, frame: pd.DataFrame,
            on_rows: Callable[[int], None] | None) -> None:
    """Multi-row INSERTs of bound parameters, ~500 rows each (fewer for wide tables).

    Decimals are bound as their exact text, dates as datetime.date, booleans as bool: all three drivers
    take these (fast_executemany is not an option: it crashes the SQLite driver and exhausts MariaDB's).
    """
    columns = schema()[table]
    rows = max(1, min(_ROWS_PER_INSERT, _PARAMS_PER_INSERT // len(columns)))
    data = pa.Table.from_pandas(frame[list(columns)], preserve_index=False).combine_chunks()
    data = pa.table([pc.cast(col, pa.string()) if pa.types.is_decimal(col.type) else col for col in data.columns],
                    names=list(columns))
    one_row = dialect.render(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             name)
    full = dialect.repeat_rows(one_row, rows)  # one object: pyodbc prepares again for a new string
    for batch in data.to_batches(max_chunksize=rows):
        values = [column.to_pylist() for column in batch.columns]
        statement = full if batch.num_rows == rows else dialect.repeat_rows(one_row, batch.num_rows)
        cursor.execute(statement, [value for row in zip(*values) for value in row])
        if on_rows:
            on_rows(batch.num_rows)


# ---------------------------------------------------------------- the default demo database


def default_connect() -> str:
    """The connection string of the default demo ERP: an SQLite file in ardesk's data directory."""
    return f"DRIVER={{{_sqlite_driver()}}};Database={data_dir() / 'demo-erp.sqlite'}"


def _sqlite_driver() -> str:
    """unixODBC registers the SQLite ODBC driver as `SQLite3`, its Windows installer as `SQLite3 ODBC Driver`."""
    return next((d for d in pyodbc.drivers() if "sqlite3" in d.lower()), "SQLite3")


def exists(connect: str) -> bool:
    """Whether the database behind `connect` already holds the demo as this ardesk makes it: ardesk's tables at the
    latest migration, every table with every column and every index (a missing SQLite file does not: looking must not
    create it)."""
    if driver_kind(connect) == "sqlite":
        options = {key.lower(): value for key, value in parse(connect).items()}
        if not Path(options.get("database", "").strip("{}")).is_file():
            return False
    with open_connection(ErpSettings(connect=connect)) as conn:
        name = dialect_of(conn)
        if migrations.current(conn) < migrations.latest() or \
                not all(_has_columns(conn, name, table, columns) for table, columns in schema().items()):
            return False
        catalog = _catalog(conn, name)
        return all(_has_indexes(conn, catalog[_key(table, name)], wanted) for table, wanted in indexes().items())


def _has_columns(conn: pyodbc.Connection, name: str, table: str, columns: tuple[str, ...]) -> bool:
    """Whether `table` exists with every one of `columns` (an older ardesk may have made it with fewer, or not
    at all), probed as the profile's queries will find it."""
    try:
        conn.cursor().execute(dialect.render(f"SELECT {', '.join(columns)} FROM {table} WHERE 1 = 0", name)).fetchall()
        return True
    except pyodbc.Error:
        conn.rollback()
        return False


def _has_indexes(conn: pyodbc.Connection, stored: tuple[str | None, str], wanted: tuple[str, ...]) -> bool:
    """Whether the table (schema and name as the catalog spells them) has every index of `wanted`: an older ardesk
    made the demo without CashHead_CreditMemo, and its open_items query then took 8.2 s on SQLite instead of 0.4."""
    table_schema, table = stored
    found = {row.index_name.lower() for row in conn.cursor().statistics(table, schema=table_schema) if row.index_name}
    return all(index.lower() in found for index in wanted)


def build(connect: str | None = None, *, customers: int = 1500, seed: int = 7, as_of: dt.date | None = None,
          replace: bool = False, on_rows: Callable[[int], None] | None = None,
          tables: dict[str, pd.DataFrame] | None = None) -> str:
    """Load the demo ERP (by default into the SQLite file): `tables` as generated already, else generated from
    `customers`, `seed` and `as_of`; returns the connection string."""
    connect = connect or default_connect()
    if connect == default_connect():
        data_dir().mkdir(parents=True, exist_ok=True)
    tables = tables if tables is not None else generate(customers, seed, as_of)
    load(ErpSettings(connect=connect), tables, replace=replace, on_rows=on_rows)
    return redact(connect)
