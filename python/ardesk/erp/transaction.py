"""One write to ardesk's tables in the ERP as one transaction, tried again when another writer collides with it.

Writes that must happen once (staged applications, bureau reports) look up which of their keys the ERP has, insert
the others and commit. Two writers at once both find a key missing; the primary key lets one insert it, and the
other's insert fails when the first commits: its transaction rolls back whole, and the write runs again on a fresh
connection, now finding the key and inserting only what is still missing.
"""
from collections.abc import Callable
from typing import TypeVar

import pyodbc

from ardesk.erp.migrations import require
from ardesk.erp.odbc import check_tables, collided, connect, dialect_of, translate
from ardesk.errors import ArdeskError
from ardesk.settings import ErpSettings

RETRIES = 5
T = TypeVar("T")


def once(erp: ErpSettings, command: str, tables: list[str], profile: str, write: Callable[[pyodbc.Connection, str], T],
         busy: str) -> T:
    """`write(connection, dialect)` in one transaction, committed, for `command` (as typed, for the sentence that
    refuses an ERP to migrate), after checking `tables` of the ERP `profile` exist; again on a collision, and
    `busy` (one sentence) when it keeps colliding."""
    for _ in range(RETRIES):
        with connect(erp, autocommit=False) as conn:
            dialect = dialect_of(conn)
            require(conn, command)
            check_tables(conn, tables, profile, dialect)
            try:
                done = write(conn, dialect)
                conn.commit()
                return done
            except pyodbc.Error as exc:
                conn.rollback()
                if not collided(exc):
                    raise translate(exc, erp) from None
    raise ArdeskError(busy)
