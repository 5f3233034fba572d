"""Connecting to the ERP: every failure a user can cause ends in one sentence, the same through pyodbc and
arrow-odbc, and no password ever shows in a message, in describe() or in anything written to logs or the
terminal. Real drivers, real servers; the slow cases use a 1-second timeout."""
import logging
import socket
import threading
from dataclasses import replace
from datetime import date
from decimal import Decimal

import keyring
import keyring.backend
import pyarrow as pa
import pyodbc
import pytest

from ardesk.erp.odbc import (check_tables, connect, describe, driver_kind, full_connection_string, parse,
                                read_arrow, without_password)
from ardesk.erp.dialect import dialect_of_dbms, render, render_script
from ardesk.errors import ArdeskError
from ardesk.money import cents_from_arrow
from ardesk.settings import ErpSettings
from tests.conftest import MARIADB_ADMIN

SECRET = "Sekr3t-ardesk-7Qz"
"""The MariaDB test user's password, and the password given to every other connection: it must never show."""
WRONG = "Wr0ng-ardesk-4Kp"
PASSWORD_ENV = "ARDESK_TEST_ERP_PASSWORD"
USER = "ardesk_pw_test"
PG = "DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=%d;Database=postgres;Uid=postgres"
MARIADB = "DRIVER={MariaDB Unicode};Server=127.0.0.1;Port=%d;Uid=" + USER
FREETDS = "DRIVER={FreeTDS};Server=127.0.0.1;Port=%d;TDS_Version=7.4;Uid=sa"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend held in memory: no OS keyring (Secret Service, Keychain) runs headless here."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(params=["env", "keyring", "inline"])
def with_password(request, monkeypatch, memory_keyring):
    """settings(conn_str, password, **options): ErpSettings whose password arrives by one of the three routes."""
    monkeypatch.delenv(PASSWORD_ENV, raising=False)

    def settings(conn_str: str, password: str, **options) -> ErpSettings:
        erp = ErpSettings(connect=conn_str, password_env=PASSWORD_ENV, **options)
        if request.param == "env":
            monkeypatch.setenv(PASSWORD_ENV, password)
        elif request.param == "keyring":
            memory_keyring.set_password(erp.keyring_service, parse(conn_str)["Uid"], password)
        else:
            erp = replace(erp, connect=f"{conn_str};Pwd={{{password}}}")
        return erp

    return settings


@pytest.fixture(scope="module")
def mariadb_user():
    """A MariaDB user whose password is SECRET (root has none), dropped afterwards."""
    admin = pyodbc.connect(MARIADB_ADMIN, autocommit=True)
    hosts = ("127.0.0.1", "localhost")
    for host in hosts:
        admin.execute(f"DROP USER IF EXISTS '{USER}'@'{host}'")
        admin.execute(f"CREATE USER '{USER}'@'{host}' IDENTIFIED BY '{SECRET}'")
    yield USER
    for host in hosts:
        admin.execute(f"DROP USER IF EXISTS '{USER}'@'{host}'")
    admin.close()


@pytest.fixture(scope="module")
def ports():
    """(a port nothing listens on, a port that accepts connections and never says a word)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    closed = probe.getsockname()[1]
    probe.close()
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    held = []

    def accept_forever():
        while True:
            try:
                held.append(silent.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept_forever, daemon=True).start()
    yield closed, silent.getsockname()[1]
    silent.close()
    for conn in held:
        conn.close()


def failures(erp: ErpSettings, sql: str) -> list[str]:
    """The messages from running `sql` through pyodbc and through arrow-odbc (each must fail)."""
    messages = []
    with pytest.raises(ArdeskError) as caught:
        with connect(erp) as conn:
            conn.execute(sql).fetchall()
    messages.append(str(caught.value))
    with pytest.raises(ArdeskError) as caught:
        read_arrow(erp, sql, [])
    messages.append(str(caught.value))
    return messages


INSTALLED = ", ".join(pyodbc.drivers())
SCENARIOS = {  # name: (connection string with %d for the port, port: closed|silent|real, sql, the sentence)
    "driver not installed": (
        "DRIVER={No Such Driver};Server=127.0.0.1;Port=%d;Uid=u", "closed", "SELECT 1",
        f"The ODBC driver 'No Such Driver' is not installed: install it or use one of the installed drivers "
        f"({INSTALLED})."),
    "unknown DSN": (
        "DSN=ardesk_no_such_dsn;Port=%d;Uid=u", "closed", "SELECT 1",
        "The ODBC data source 'ardesk_no_such_dsn' is not defined: add it in the ODBC Data Sources administrator "
        "(odbc.ini) or give a full DRIVER=...;Server=... connection string."),
    "wrong password": (
        MARIADB, 3306, "SELECT 1",
        "MariaDB Unicode at 127.0.0.1:3306 refused the user name or password: check the user, and the password "
        f"in the environment variable {PASSWORD_ENV} or the keyring."),
    "PostgreSQL down": (
        PG, "closed", "SELECT 1",
        "Cannot reach PostgreSQL Unicode at 127.0.0.1:{port}: check that the database server is running and the "
        "address and port are right."),
    "MariaDB down": (
        MARIADB, "closed", "SELECT 1",
        "Cannot reach MariaDB Unicode at 127.0.0.1:{port}: check that the database server is running and the "
        "address and port are right."),
    "SQL Server down": (
        FREETDS, "closed", "SELECT 1",
        "Cannot reach FreeTDS at 127.0.0.1:{port}: check that the database server is running and the address "
        "and port are right."),
    "PostgreSQL database missing": (
        "DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=%d;Database=ardesk_no_such_db;Uid=postgres", 5432,
        "SELECT 1",
        "PostgreSQL Unicode at 127.0.0.1:5432 has no database 'ardesk_no_such_db': check the database name in "
        "--connect or [erp] connect."),
    "PostgreSQL role missing": (
        "DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=%d;Database=postgres;Uid=ardesk_no_such_role", 5432,
        "SELECT 1",
        "PostgreSQL Unicode at 127.0.0.1:5432 has no role 'ardesk_no_such_role': check the user name (Uid) in "
        "--connect or [erp] connect."),
    "PostgreSQL connect timeout": (
        PG, "silent", "SELECT 1",
        "PostgreSQL Unicode at 127.0.0.1:{port} did not answer within 1 s: check that the server is running and "
        "reachable, or raise [erp] connect_timeout in ardesk.toml."),
    "MariaDB connect timeout": (
        MARIADB, "silent", "SELECT 1",
        "MariaDB Unicode at 127.0.0.1:{port} did not answer within 1 s: check that the server is running and "
        "reachable, or raise [erp] connect_timeout in ardesk.toml."),
    "SQL Server connect timeout": (
        FREETDS, "silent", "SELECT 1",
        "FreeTDS at 127.0.0.1:{port} did not answer within 1 s: check that the server is running and reachable, "
        "or raise [erp] connect_timeout in ardesk.toml."),
    "PostgreSQL query timeout": (
        PG, 5432, "SELECT pg_sleep(3)",
        "PostgreSQL Unicode at 127.0.0.1:5432 did not finish the query within 1 s: raise [erp] query_timeout in "
        "ardesk.toml, or run it when the server is less busy."),
    "MariaDB query timeout": (
        MARIADB, 3306, "SELECT SLEEP(3)",
        "MariaDB Unicode at 127.0.0.1:3306 did not finish the query within 1 s: raise [erp] query_timeout in "
        "ardesk.toml, or run it when the server is less busy."),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_failure_is_one_sentence_without_the_password(name, with_password, mariadb_user, ports, caplog, capfd):
    template, where, sql, expected = SCENARIOS[name]
    port = {"closed": ports[0], "silent": ports[1]}.get(where, where)
    password = WRONG if name == "wrong password" else SECRET
    caplog.set_level(logging.DEBUG)
    erp = with_password(template % port, password, connect_timeout=1, query_timeout=1)
    assert failures(erp, sql) == [expected.format(port=port)] * 2
    written = capfd.readouterr()
    for text in (describe(erp), caplog.text, written.out, written.err):
        assert password not in text
    assert password in full_connection_string(erp)  # it did reach the driver


def test_the_right_password_arrives_by_each_route(with_password, mariadb_user):
    erp = with_password(MARIADB % 3306, SECRET)
    with connect(erp) as conn:
        assert conn.execute("SELECT CURRENT_USER()").fetchval().startswith(f"{USER}@")
    assert read_arrow(erp, "SELECT ? AS echo", ["ok"]).to_pydict() == {"echo": ["ok"]}


def test_a_password_anywhere_in_a_driver_message_is_taken_out(monkeypatch, tmp_path):
    """SQLite's message names the database path; were the password in it, the sentence still hides it."""
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    erp = ErpSettings(connect=f"DRIVER={{SQLite3}};Database={tmp_path}/{SECRET}/erp.sqlite", password_env=PASSWORD_ENV)
    assert failures(erp, "SELECT 1") == [f"Cannot open SQLite3 at {tmp_path}/***/erp.sqlite: the file is missing, "
                                         "locked or not an SQLite database."] * 2


@pytest.mark.parametrize("inline", [f"Pwd={{{SECRET}}}", f"PASSWORD={SECRET}", f"pwd = {{{SECRET};x}}}}}}"])
def test_describe_names_the_server_never_the_password(inline):
    erp = ErpSettings(connect=f"DRIVER={{MariaDB Unicode}};{inline};Server=db.example;Port=3307;Uid=ar")
    assert describe(erp) == "MariaDB Unicode at db.example:3307"
    assert describe(ErpSettings(connect=f"DSN=erp;{inline}")) == "DSN erp"


def test_a_stored_connection_string_keeps_everything_but_the_password():
    stored = without_password(f"DRIVER={{MariaDB Unicode}};Server=db;PWD={{{SECRET};x}};Uid=ar;password={SECRET}")
    assert stored == "DRIVER={MariaDB Unicode};Server=db;Uid=ar"


def test_user_options_win_and_the_password_is_braced(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "a;b}c")
    erp = ErpSettings(connect="DRIVER={PostgreSQL Unicode};Server=h;Uid=u;fetch=99", password_env=PASSWORD_ENV,
                      connect_timeout=7, query_timeout=2)
    pairs = {k.lower(): v for k, v in parse(full_connection_string(erp)).items()}
    assert pairs["fetch"] == "99" and pairs["pqopt"] == "{connect_timeout=7}"
    assert pairs["connsettings"] == "{SET statement_timeout=2000}" and pairs["pwd"] == "{a;b}}c}"


def test_a_dsn_gets_its_drivers_options(tmp_path, monkeypatch):
    """A DSN (how most Windows desktops connect) is looked up, so its timeouts apply like DRIVER=...'s."""
    ini = tmp_path / "odbc.ini"
    ini.write_text("[ardesk_test_pg]\nDriver=PostgreSQL Unicode\nServer=127.0.0.1\nPort=5432\n"
                   "Database=postgres\nUid=postgres\n")
    monkeypatch.setenv("ODBCINI", str(ini))
    erp = ErpSettings(connect="DSN=ardesk_test_pg", query_timeout=1)
    assert driver_kind(erp.connect) == "postgres"
    assert read_arrow(erp, "SELECT 2 AS two", []).to_pydict() == {"two": [2]}
    assert failures(erp, "SELECT pg_sleep(3)") == [
        "DSN ardesk_test_pg did not finish the query within 1 s: raise [erp] query_timeout in ardesk.toml, or run "
        "it when the server is less busy."] * 2


TABLES = """CREATE SCHEMA IF NOT EXISTS Erp;
CREATE TABLE Erp.InvcHead (InvoiceNum INT);
CREATE TABLE Erp.SalesRep (SalesRepCode VARCHAR(8))"""


def test_check_tables_names_the_profile_and_the_first_missing_table(any_erp):
    _, conn_str = any_erp
    with connect(ErpSettings(connect=conn_str)) as conn:
        dialect = dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
        for statement in render_script(TABLES, dialect):
            conn.execute(statement)
        conn.commit()
        check_tables(conn, ["Erp.InvcHead", "Erp.SalesRep"], "epicor", dialect)
        with pytest.raises(ArdeskError) as caught:
            check_tables(conn, ["Erp.InvcHead", "Erp.Customer", "ardesk.ardesk_collector"], "epicor", dialect)
        assert str(caught.value) == ("The ERP database has no table Erp.Customer, which the epicor profile reads: "
                                     "connect to the epicor database or choose the profile that matches your ERP.")
        assert conn.execute(render("SELECT COUNT(*) FROM Erp.InvcHead", dialect)).fetchval() == 0  # still usable


def test_a_table_the_user_may_not_read_is_not_called_missing(postgres_erp):
    """PostgreSQL here trusts every local role, so a role without grants is enough to be refused."""
    with connect(ErpSettings(connect=postgres_erp), autocommit=True) as conn:
        for statement in render_script(TABLES, "postgres"):
            conn.execute(statement)
        conn.execute("DROP ROLE IF EXISTS ardesk_no_grants")
        conn.execute("CREATE ROLE ardesk_no_grants LOGIN")
    try:
        erp = ErpSettings(connect=postgres_erp.replace("Uid=postgres", "Uid=ardesk_no_grants"))
        with pytest.raises(ArdeskError) as caught:
            with connect(erp) as conn:
                check_tables(conn, ["Erp.InvcHead"], "epicor", "postgres")
        assert str(caught.value) == (f"{describe(erp)} refused access (permission denied for schema erp): ask the "
                                     "database administrator to let this user read the ERP tables.")
    finally:
        with connect(ErpSettings(connect=postgres_erp), autocommit=True) as conn:
            conn.execute("DROP OWNED BY ardesk_no_grants")
            conn.execute("DROP ROLE ardesk_no_grants")


def test_a_database_the_user_may_not_open_is_not_a_wrong_password(mariadb_erp, mariadb_user, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, SECRET)
    erp = ErpSettings(connect=mariadb_erp.replace("Uid=root", f"Uid={USER}"), password_env=PASSWORD_ENV)
    database = parse(mariadb_erp)["Database"]
    assert failures(erp, "SELECT 1") == [
        f"MariaDB Unicode at 127.0.0.1:3306 refused access (Access denied for user '{USER}'@'127.0.0.1' to database "
        f"'{database}'): ask the database administrator to let this user read the ERP tables."] * 2


SAMPLE = "CREATE TABLE sample (id INT, amount DECIMAL(18, 2), due DATE, name VARCHAR(100))"
ROWS = [(1, "1234567.89", "2024-01-05", 'Zoë "Q" O\'Brien, 日本'), (2, "-0.01", None, None),
        (3, "0.10", "2024-02-29", "")]
AMOUNT_TYPE = {"sqlite": pa.string(), "postgres": pa.decimal128(18, 2), "mariadb": pa.decimal128(18, 2)}


def sample_table(conn_str: str) -> ErpSettings:
    erp = ErpSettings(connect=conn_str)
    with connect(erp) as conn:
        conn.execute(SAMPLE)
        conn.cursor().executemany("INSERT INTO sample VALUES (?, ?, ?, ?)", ROWS)
        conn.commit()
    return erp


def test_read_arrow_returns_the_rows_with_the_drivers_types(any_erp):
    kind, conn_str = any_erp
    erp = sample_table(conn_str)
    table = read_arrow(erp, "SELECT id, amount, due, name FROM sample WHERE id >= ? ORDER BY id", ["1"])
    assert table.schema.field("amount").type == AMOUNT_TYPE[kind]
    assert table.schema.field("due").type == pa.date32()
    assert table.column("amount").to_pylist() == (
        ["1234567.89", "-0.01", "0.1"] if kind == "sqlite"  # SQLite's driver hands DECIMAL over as text
        else [Decimal("1234567.89"), Decimal("-0.01"), Decimal("0.10")])
    assert table.column("due").to_pylist() == [date(2024, 1, 5), None, date(2024, 2, 29)]
    assert table.column("name").to_pylist() == ['Zoë "Q" O\'Brien, 日本', None, ""]
    nothing = read_arrow(erp, "SELECT id FROM sample WHERE id > ?", ["9"])
    assert nothing.num_rows == 0 and nothing.schema.names == ["id"]


def test_a_text_longer_than_the_buffer_is_refused_not_cut(postgres_erp):
    erp = ErpSettings(connect=postgres_erp)
    with pytest.raises(ArdeskError) as caught:
        read_arrow(erp, "SELECT repeat(?, 5000)::text AS note", ["x"])
    assert str(caught.value) == (f"{describe(erp)} returned a text value longer than 4096 bytes: shorten that column "
                                 "in the profile's query, for example with LEFT(column, 1000).")


def test_amounts_read_by_arrow_quantise_to_exact_cents(any_erp):
    _, conn_str = any_erp
    table = read_arrow(sample_table(conn_str), "SELECT amount FROM sample ORDER BY id", [])
    assert cents_from_arrow(table.column("amount")).tolist() == [123456789, -1, 10]
