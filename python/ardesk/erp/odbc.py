"""Talking to the ERP over ODBC: credentials, per-driver options and timeouts, and errors people can act on.

A connection string from settings or the command line never carries the password into a log or an
error: the password is added here, at the moment of connecting, from the environment variable named in
settings or from the OS keyring, and every message that leaves this module has the password taken out
(whether it came from there or was typed inline as `Pwd=...`).

Two ways to read: `connect` (pyodbc) for small statements and writes, `read_arrow` (arrow-odbc, column-wise,
about three times faster here) for bulk reads. Both fail with the same sentences from `translate`.
"""
import os
import re
from contextlib import contextmanager

import arrow_odbc
import pyarrow as pa
import pyodbc

from ardesk.erp.dialect import dialect_of_dbms, render
from ardesk.errors import ArdeskError, redact
from ardesk.settings import ErpSettings

_PAIR = re.compile(r"\s*([^=;]+?)\s*=\s*(\{(?:[^}]|\}\})*\}|[^;]*)\s*(?:;|$)")

BATCH_ROWS = 10_000
"""Rows per Arrow batch. arrow-odbc allocates batch rows x column width for every text column (up to
MAX_TEXT_BYTES): 50,000 rows made the 1,500-customer read 7x slower than 10,000 (measured, bench/)."""
MAX_TEXT_BYTES = 4096
"""Buffer per value of an unbounded text column (PostgreSQL text, VARCHAR(MAX)); ERP codes and names fit."""
MAX_BATCH_BYTES = 16 << 20
"""Cap on one batch's buffers: a query with wide text columns (notes) gets fewer rows per batch. Measured
on the 1,500-customer demo: the read of items, customers, history and notes peaks at 240 MB instead of
460 MB (arrow-odbc's default of 512 MB per batch, fetched twice over), and takes no longer."""


def parse(conn_str: str) -> dict[str, str]:
    """`"DRIVER={x};Server=y"` -> {"DRIVER": "{x}", "Server": "y"}, keys as written, values as written."""
    return {m.group(1): m.group(2) for m in _PAIR.finditer(conn_str) if m.group(1).strip()}


def _get(pairs: dict[str, str], *keys: str) -> str | None:
    lowered = {k.lower(): v for k, v in pairs.items()}
    for key in keys:
        if key.lower() in lowered:
            return lowered[key.lower()].strip("{}")
    return None


def _join(pairs: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in pairs.items())


def _brace(value: str) -> str:
    return "{" + value.replace("}", "}}") + "}"


def without_password(conn_str: str) -> str:
    """The connection string minus any PWD= or Password=: safe to store, say in a workbook's settings."""
    return _join({k: v for k, v in parse(conn_str).items() if k.lower() not in ("pwd", "password")})


def _driver(pairs: dict[str, str]) -> str:
    """The driver's name: DRIVER=..., or the driver a DSN=... is registered with."""
    driver = _get(pairs, "DRIVER")
    if driver:
        return driver
    dsn = (_get(pairs, "DSN") or "").lower()
    registered = {name.lower(): driver for name, driver in pyodbc.dataSources().items()}
    return registered.get(dsn, "") if dsn else ""


def driver_kind(conn_str: str) -> str:
    """`postgres`, `mariadb`, `sqlite`, `sqlserver` or `` (a driver we add no options for)."""
    driver = _driver(parse(conn_str)).lower()
    for needle, kind in (("postgres", "postgres"), ("mariadb", "mariadb"), ("mysql", "mariadb"),
                         ("sqlite", "sqlite"), ("sql server", "sqlserver"), ("freetds", "sqlserver")):
        if needle in driver:
            return kind
    return ""


def _password(erp: ErpSettings, pairs: dict[str, str]) -> str | None:
    secret = os.environ.get(erp.password_env)
    if secret:
        return secret
    user = _get(pairs, "UID", "User", "Username")
    if not user:
        return None
    try:
        import keyring  # the OS keyring is optional: no backend means no stored password

        return keyring.get_password(erp.keyring_service, user)
    except Exception:  # noqa: BLE001 - any keyring backend failure means "no stored password"
        return None


def full_connection_string(erp: ErpSettings) -> str:
    """The connection string with the password and this driver's timeout and fetch options added.

    Options already present in the user's string win. The result holds the password: hand it to a
    driver, never to a log.
    """
    if not erp.connect.strip():
        raise ArdeskError("No ERP connection is set: give --connect \"DRIVER=...\" or set [erp] connect in "
                          "ardesk.toml.")
    pairs = parse(erp.connect)
    extra: dict[str, str] = {}
    kind = driver_kind(erp.connect)
    if kind == "postgres":
        extra = {
            "UseDeclareFetch": "1",  # stream results instead of buffering the whole result in the driver
            "Fetch": "10000",
            "CommLog": "0",  # Debian registers psqlODBC with CommLog=1: no protocol logs in /tmp
            "Debug": "0",
            "Protocol": "7.4-0",  # all-or-nothing transactions (the default rolls back one statement only)
            "pqopt": _brace(f"connect_timeout={int(erp.connect_timeout)}"),
            "ConnSettings": _brace(f"SET statement_timeout={int(erp.query_timeout) * 1000}"),
        }
    elif kind == "mariadb":
        extra = {
            "CONN_TIMEOUT": str(int(erp.connect_timeout)),
            "INITSTMT": _brace(f"SET SESSION max_statement_time={int(erp.query_timeout)}"),
        }
    elif kind == "sqlite":
        extra = {"Timeout": "2000"}  # wait up to 2 s on a locked database file
    existing = {k.lower() for k in pairs}
    for key, value in extra.items():
        if key.lower() not in existing:
            pairs[key] = value
    if _get(pairs, "PWD", "Password") is None:
        secret = _password(erp, pairs)
        if secret is not None:
            pairs["PWD"] = _brace(secret)
    return _join(pairs)


def _odbc_timeouts(erp: ErpSettings) -> tuple[int, int] | None:
    """(login, query) seconds for ODBC's own timeout attributes, or None where the string carries them.

    Only SQL Server's drivers (Microsoft's and FreeTDS) honour both attributes. psqlODBC refuses pyodbc's
    connection timeout and, given its own pqopt connect_timeout, arrow-odbc's login timeout; MariaDB
    ignores the query timeout. So PostgreSQL and MariaDB get theirs from full_connection_string.
    """
    if driver_kind(erp.connect) != "sqlserver":
        return None
    return int(erp.connect_timeout), int(erp.query_timeout)


def describe(erp: ErpSettings) -> str:
    """Where we connect, for messages: the driver and server (with port) or database file, never a credential."""
    pairs = parse(erp.connect)
    server = _get(pairs, "Server", "Host")
    port = _get(pairs, "Port")
    where = (f"{server}:{port}" if server and port else server) or _get(pairs, "Database", "DBQ") or ""
    name = _get(pairs, "DSN")
    label = f"DSN {name}" if name else (_get(pairs, "DRIVER") or "the ERP")
    return f"{label} at {where}" if where else label


def identity(erp: ErpSettings) -> str:
    """Which ERP `erp` names, the same however its connection string is written (case, order, spacing, options,
    password): driver or DSN, server and port, database (an SQLite file by its absolute path) and company. The
    outbox keys each note by it, so that a note only ever goes to the ERP it was written for."""
    pairs = parse(erp.connect)
    database = _get(pairs, "Database", "DBQ") or ""
    if database and driver_kind(erp.connect) == "sqlite":
        database = os.path.abspath(database)
    dsn = _get(pairs, "DSN")
    source = f"dsn={dsn.lower()}" if dsn else f"driver={(_get(pairs, 'DRIVER') or '').lower()}"
    server = (_get(pairs, "Server", "Host") or "").lower()
    return f"{source};server={server}:{_get(pairs, 'Port') or ''};database={database};company={erp.company}"


# --- errors ----------------------------------------------------------------------------------------------

_ARROW_ODBC = re.compile(  # "ODBC emitted an error calling 'SQLDriverConnect':\nState: 08001, Native error: ..."
    r"calling '(?P<call>\w+)':\s*State: (?P<state>\w{5}), Native error: -?\d+, Message: (?P<text>.*)", re.DOTALL)
_PYODBC_TAIL = re.compile(r"(\s*\(-?\d+\))*\s*\((?P<call>SQL\w+)\)\s*$")
_VENDOR_TAGS = re.compile(r"^\s*(\[[^\]]*\]\s*)+")

_AUTH = ("28000", "28P01")
_TIMEOUT = ("HYT00", "HYT01", "57014")
_UNREACHABLE = ("08001", "08S01", "08004")
_DENIED = ("42501",)
_AUTH_TEXT = ("password authentication failed", "(using password:", "login failed", "authentication failed",
              "no password supplied")
_TIMEOUT_TEXT = ("timeout expired", "timed out", "statement timeout", "max_statement_time",
                 "system error: 110", "system error: 10060")  # ETIMEDOUT on Linux and Windows
_UNREACHABLE_TEXT = ("could not connect", "connection refused", "can't connect", "unable to connect",
                     "server closed the connection", "is the server running", "could not translate host",
                     "unknown server host", "lost connection", "terminating connection")
_MISSING = re.compile(r'(?i)(?P<kind>database|role) "(?P<name>[^"]+)" does not exist')
"""PostgreSQL's words for a database or role it does not have (MariaDB tells only a user allowed to see it)."""
_DENIED_TEXT = ("permission denied", "command denied", "permission was denied", "access denied for user")


def _diagnostics(exc: Exception) -> tuple[str, str, str]:
    """(SQLSTATE, driver message, ODBC call) from a pyodbc or arrow-odbc error; blanks where unknown."""
    text = str(exc)
    arrow = _ARROW_ODBC.search(text)
    if isinstance(exc, arrow_odbc.Error) and arrow:
        return arrow["state"], arrow["text"].strip(), arrow["call"]
    if isinstance(exc, pyodbc.Error) and len(exc.args) == 2:
        state, message = exc.args
        tail = _PYODBC_TAIL.search(message)
        return state, _PYODBC_TAIL.sub("", message).strip(), tail["call"] if tail else ""
    return "", text, ""


def _first_line(text: str) -> str:
    """The driver's own words: `[vendor][driver]ERROR: x;` -> `x`."""
    line = _VENDOR_TAGS.sub("", text.strip().split("\n")[0]).strip()
    return re.sub(r"^ERROR:\s*", "", line).rstrip(" ;.")


def _scrub(text: str, erp: ErpSettings) -> str:
    """`text` without any password: `Pwd=` values, and the inline, environment and keyring secrets anywhere."""
    pairs = parse(erp.connect)
    for secret in (_get(pairs, "PWD", "Password"), _password(erp, pairs)):
        if secret:
            text = text.replace(secret, "***")
    return redact(text)


def translate(exc: Exception, erp: ErpSettings) -> ArdeskError:
    """One sentence a person can act on for an ODBC failure (pyodbc or arrow-odbc)."""
    state, text, call = _diagnostics(exc)
    low = text.lower()
    target = describe(erp)
    pairs = parse(erp.connect)
    driver, dsn = _get(pairs, "DRIVER"), _get(pairs, "DSN")
    connecting = call.startswith("SQLDriverConnect") or call.startswith("SQLConnect")
    if "can't open lib" in low or (state == "IM002" and driver and not dsn):
        installed = ", ".join(pyodbc.drivers()) or "none"
        message = (f"The ODBC driver {driver or _driver(pairs)!r} is not installed: install it or use one of the "
                   f"installed drivers ({installed}).")
    elif state == "IM002":
        message = (f"The ODBC data source {dsn!r} is not defined: add it in the ODBC Data Sources administrator "
                   "(odbc.ini) or give a full DRIVER=...;Server=... connection string." if dsn else
                   "The connection string names no driver or data source: start it with DRIVER={...} or DSN=....")
    elif missing := _MISSING.search(text):
        kind, name = missing.group("kind").lower(), missing.group("name")
        message = (f"{target} has no {kind} {name!r}: check the "
                   f"{'database name' if kind == 'database' else 'user name (Uid)'} in --connect or [erp] connect.")
    elif state in _AUTH or any(s in low for s in _AUTH_TEXT):
        message = (f"{target} refused the user name or password: check the user, and the password in the "
                   f"environment variable {erp.password_env} or the keyring.")
    elif state in _TIMEOUT or any(s in low for s in _TIMEOUT_TEXT):
        message = (f"{target} did not answer within {int(erp.connect_timeout)} s: check that the server is running "
                   "and reachable, or raise [erp] connect_timeout in ardesk.toml." if connecting else
                   f"{target} did not finish the query within {int(erp.query_timeout)} s: raise [erp] query_timeout "
                   "in ardesk.toml, or run it when the server is less busy.")
    elif state in _DENIED or any(s in low for s in _DENIED_TEXT):
        message = (f"{target} refused access ({_first_line(text)}): ask the database administrator to let this user "
                   "read the ERP tables.")
    elif state in _UNREACHABLE or any(s in low for s in _UNREACHABLE_TEXT):
        message = (f"Cannot reach {target}: check that the database server is running and the address and port "
                   "are right.")
    elif "without truncation" in low:  # arrow-odbc refuses to cut a value longer than its buffer
        message = (f"{target} returned a text value longer than {MAX_TEXT_BYTES} bytes: shorten that column in the "
                   "profile's query, for example with LEFT(column, 1000).")
    elif (driver_kind(erp.connect) == "sqlite" and connecting) or "not a database" in low:
        message = f"Cannot open {target}: the file is missing, locked or not an SQLite database."
    else:
        message = f"{target} reported an error: {_first_line(text) or type(exc).__name__}."
    return ArdeskError(_scrub(message, erp))


# --- reading ---------------------------------------------------------------------------------------------

@contextmanager
def connect(erp: ErpSettings, *, autocommit: bool = False):
    """A pyodbc connection with timeouts set; closed on exit; ODBC failures become ArdeskError.

    MariaDB's driver corrupts UTF-16 text holding U+00D8-U+00DB (Ø Ù Ú Û), so text goes both ways as UTF-8 there.
    """
    timeouts = _odbc_timeouts(erp)
    login = {"timeout": timeouts[0]} if timeouts else {}
    try:
        conn = pyodbc.connect(full_connection_string(erp), autocommit=autocommit, **login)
    except pyodbc.Error as exc:
        raise translate(exc, erp) from None
    try:
        if timeouts:
            conn.timeout = timeouts[1]
        if driver_kind(erp.connect) == "mariadb":
            conn.setencoding(encoding="utf-8")
            conn.setdecoding(pyodbc.SQL_WCHAR, encoding="utf-8", ctype=pyodbc.SQL_CHAR)
        yield conn
    except pyodbc.Error as exc:
        raise translate(exc, erp) from None
    finally:
        conn.close()


def read_arrow(erp: ErpSettings, sql: str, params: list[str]) -> pa.Table:
    """Run one query (`?` placeholders bound to `params`, sent as text) and collect its rows as an Arrow table.

    Types come back as the driver reports them: DECIMAL as decimal128 on PostgreSQL and MariaDB, but
    SQLite's NUMERIC as float64; quantise money with ardesk.money.cents_from_arrow.
    """
    timeouts = _odbc_timeouts(erp)
    try:
        reader = arrow_odbc.read_arrow_batches_from_odbc(
            query=sql,
            connection_string=full_connection_string(erp),
            parameters=params,
            batch_size=BATCH_ROWS,
            max_text_size=MAX_TEXT_BYTES,
            max_bytes_per_batch=MAX_BATCH_BYTES,
            login_timeout_sec=timeouts[0] if timeouts else None,
            query_timeout_sec=timeouts[1] if timeouts else None,
        )
        return pa.Table.from_batches(list(reader), schema=reader.schema)
    except arrow_odbc.Error as exc:
        raise translate(exc, erp) from None


_CONFLICT_STATES = ("23505", "40001", "40P01")
_CONFLICT_TEXT = ("duplicate key", "duplicate entry", "unique constraint", "deadlock", "lock wait timeout",
                  "database is locked", "could not serialize", "primary key must be unique", "is not unique")


def collided(exc: pyodbc.Error) -> bool:
    """Whether a write failed by colliding with another writer (a key taken first, a deadlock, a lock held too
    long): the transaction, rolled back, is worth trying again."""
    state = exc.args[0] if exc.args else ""
    text = str(exc).lower()
    return state in _CONFLICT_STATES or any(needle in text for needle in _CONFLICT_TEXT)


_MISSING_TABLE = ("42S02", "42P01", "3F000")  # no such table (ODBC), relation or schema (PostgreSQL)


def dialect_of(conn) -> str:
    """The canonical SQL's dialect for the database behind `conn`; a database ardesk does not speak is said in
    one sentence."""
    try:
        return dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
    except ValueError as exc:
        raise ArdeskError(f"{exc}; connect to one of those.") from None


def check_tables(conn, tables: list[str], profile: str, dialect: str) -> None:
    """Raise an ArdeskError naming `profile` and the first of `tables` the database lacks.

    `tables` are canonical names such as Erp.InvcHead. Each is probed with a query that returns no rows,
    rendered exactly like the profile's own queries, so a table is found the way they will find it
    (PostgreSQL folds the unquoted schema and name to lower case; SQLite and MariaDB drop the schema). The
    ODBC catalog would need each driver's case and schema rules spelled out again.
    """
    for table in tables:
        cursor = conn.cursor()
        try:
            cursor.execute(render(f"SELECT 1 FROM {table} WHERE 1 = 0", dialect))
        except pyodbc.Error as exc:
            state, text, _ = _diagnostics(exc)
            if state not in _MISSING_TABLE and "no such table" not in text.lower():
                raise
            conn.rollback()  # PostgreSQL refuses every later statement of a failed transaction
            raise ArdeskError(f"The ERP database has no table {table}, which the {profile} profile reads: connect to "
                              f"the {profile} database or choose the profile that matches your ERP.") from None
        finally:
            cursor.close()
