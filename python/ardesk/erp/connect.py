"""Opening ODBC connections: credentials, per-driver options and timeouts, and errors people can act on.

A connection string from settings or the command line never carries the password into a log or an
error: the password is added here, at the moment of connecting, from the environment variable named in
settings or from the OS keyring, and every message that leaves this module is passed through `redact`.
"""
import os
import re
from contextlib import contextmanager

import pyodbc

from ardesk.errors import ArdeskError, redact
from ardesk.settings import ErpSettings

_PAIR = re.compile(r"\s*([^=;]+?)\s*=\s*(\{(?:[^}]|\}\})*\}|[^;]*)\s*(?:;|$)")


def parse(conn_str: str) -> dict[str, str]:
    """`"DRIVER={x};Server=y"` -> {"DRIVER": "{x}", "Server": "y"}, keys as written, values as written."""
    return {m.group(1): m.group(2) for m in _PAIR.finditer(conn_str) if m.group(1).strip()}


def _get(pairs: dict[str, str], *keys: str) -> str | None:
    lowered = {k.lower(): v for k, v in pairs.items()}
    for key in keys:
        if key.lower() in lowered:
            return lowered[key.lower()].strip("{}")
    return None


def _brace(value: str) -> str:
    return "{" + value.replace("}", "}}") + "}"


def driver_kind(conn_str: str) -> str:
    """`postgres`, `mariadb`, `sqlite`, `sqlserver` or `` (a DSN, or a driver we add no options for)."""
    driver = (_get(parse(conn_str), "DRIVER") or "").lower()
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
        raise ArdeskError("No ERP connection is set: give --connect \"DRIVER=...\" or set [erp] connect in ardesk.toml.")
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
            "pqopt": _brace(f"connect_timeout={int(erp.connect_timeout)}"),  # psqlODBC refuses ODBC's login timeout
            "ConnSettings": _brace(f"SET statement_timeout={int(erp.query_timeout) * 1000}"),
        }
    elif kind == "mariadb":
        extra = {
            "CONN_TIMEOUT": str(int(erp.connect_timeout)),  # pyodbc's timeout= is ignored by this driver
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
    return ";".join(f"{k}={v}" for k, v in pairs.items())


def describe(erp: ErpSettings) -> str:
    """Where we connect, for messages: the driver and server or database, never a credential."""
    pairs = parse(erp.connect)
    where = _get(pairs, "Server", "Host") or _get(pairs, "Database", "DBQ") or ""
    name = _get(pairs, "DSN")
    label = f"DSN {name}" if name else (_get(pairs, "DRIVER") or "the ERP")
    return f"{label} at {where}" if where else label


def translate(exc: Exception, erp: ErpSettings) -> ArdeskError:
    """One sentence a person can act on for an ODBC failure (pyodbc or arrow-odbc)."""
    text = str(exc)
    state = exc.args[0] if isinstance(exc, pyodbc.Error) and exc.args else ""
    low = text.lower()
    target = describe(erp)
    driver = _get(parse(erp.connect), "DRIVER")
    if "can't open lib" in low or (state == "01000" and "file not found" in low):
        installed = ", ".join(pyodbc.drivers()) or "none"
        message = (f"The ODBC driver {driver!r} is not installed: install it or use one of the installed "
                   f"drivers ({installed}).")
    elif state == "IM002" or "data source name not found" in low:
        name = _get(parse(erp.connect), "DSN")
        message = (f"The ODBC data source {name!r} is not defined: add it to odbc.ini or give a full "
                   "DRIVER=...;Server=... connection string." if name else
                   "The connection string names no driver or data source: start it with DRIVER={...} or DSN=....")
    elif any(s in low for s in ("password authentication failed", "access denied", "login failed",
                                "authentication failed", "no password supplied")):
        message = (f"{target} refused the user name or password: check the user, and the password in "
                   f"${erp.password_env} or the keyring.")
    elif any(s in low for s in ("timeout expired", "statement timeout", "max_statement_time", "hyt00",
                                "timed out", "canceling statement")):
        message = (f"{target} did not answer in time: check that the server is reachable, or raise "
                   "[erp] connect_timeout / query_timeout in ardesk.toml.")
    elif any(s in low for s in ("could not connect", "connection refused", "can't connect", "unable to connect",
                                "server closed the connection", "is the server running", "could not translate host",
                                "unknown server host", "08001", "08s01", "lost connection", "terminating connection")):
        message = f"Cannot reach {target}: check that the database server is running and the address is right."
    elif any(s in low for s in ("unable to open database", "database disk image is malformed", "not a database")):
        message = f"Cannot open {target}: the file is missing or is not an SQLite database."
    else:
        first_line = redact(text.splitlines()[0] if text else type(exc).__name__)
        message = f"{target} reported an error: {first_line}"
    return ArdeskError(redact(message))


@contextmanager
def connect(erp: ErpSettings, *, autocommit: bool = False):
    """A pyodbc connection with timeouts set; closed on exit; ODBC failures become ArdeskError."""
    # Only SQL Server's drivers take ODBC's login and query timeouts; psqlODBC refuses the attributes, so
    # PostgreSQL and MariaDB get theirs from the connection string (see full_connection_string).
    sqlserver = driver_kind(erp.connect) == "sqlserver"
    login = {"timeout": int(erp.connect_timeout)} if sqlserver else {}
    try:
        conn = pyodbc.connect(full_connection_string(erp), autocommit=autocommit, **login)
    except pyodbc.Error as exc:
        raise translate(exc, erp) from None
    try:
        if sqlserver:
            conn.timeout = int(erp.query_timeout)
        yield conn
    except pyodbc.Error as exc:
        raise translate(exc, erp) from None
    finally:
        conn.close()
