"""ardesk's own tables in the ERP, brought from whatever layout an earlier ardesk left to today's.

The steps are sql/migrations/NNNN_name.sql, in the canonical dialect, applied in the order of their numbers and
rendered for the ERP's database. The ERP records each step applied in ardesk.ardesk_schema (step 1 creates it),
so a second run applies nothing and a command that writes ardesk's tables can tell an ERP that needs migrating.

Each step is one transaction where the database allows it (SQLite, PostgreSQL, SQL Server). MariaDB commits each
DDL statement on its own, so a step cut short there leaves part of it done: every statement is therefore safe to
repeat, because a CREATE TABLE whose table exists and an ADD COLUMN whose column exists are skipped, and the step
is recorded only after its last statement. The same skipping adopts an ERP whose tables someone created by hand
from an earlier ardesk's DDL.
"""
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pyodbc
import sqlglot
from sqlglot import exp

from ardesk import __version__
from ardesk.erp.dialect import render, render_script
from ardesk.erp.odbc import connect, dialect_of
from ardesk.errors import ArdeskError
from ardesk.settings import ErpSettings
from ardesk.sql import CANONICAL

BY = f"ardesk {__version__}"
"""What ardesk_schema.AppliedBy records: which ardesk applied the step."""

_FILE = re.compile(r"^(\d{4})_(\w+)\.sql$")
_VERSION = "SELECT MAX(Version) FROM ardesk.ardesk_schema"
_RECORD = "INSERT INTO ardesk.ardesk_schema (Version, Name, Applied, AppliedBy) VALUES (?, ?, ?, ?)"


@dataclass(frozen=True)
class Step:
    """One migration: its number, its name and its statements (canonical, or rendered for one database)."""

    version: int
    name: str
    statements: tuple[str, ...]


@dataclass(frozen=True)
class Migration:
    """What `migrate` did, or would do: the ERP's version before and after, and each step with the statements it
    ran (only those not already done)."""

    before: int
    after: int
    steps: tuple[Step, ...]
    dry_run: bool


@lru_cache(maxsize=1)
def steps() -> tuple[Step, ...]:
    """Every step under sql/migrations/, in order; each statement canonical."""
    found = []
    for entry in _folder().iterdir():
        match = _FILE.match(entry.name)
        if match:
            trees = sqlglot.parse(entry.read_text(encoding="utf-8"), read=CANONICAL)
            found.append(Step(int(match[1]), match[2],
                              tuple(tree.sql(dialect=CANONICAL) for tree in trees if tree is not None)))
    return tuple(sorted(found, key=lambda step: step.version))


def latest() -> int:
    """The version this ardesk writes ardesk's tables at: the last step's number, from the file names (every read
    of the ERP asks, and parsing the steps would cost it 24 ms)."""
    return max(int(match[1]) for entry in _folder().iterdir() if (match := _FILE.match(entry.name)))


def _folder():
    return resources.files("ardesk.sql").joinpath("migrations")


def migrate(erp: ErpSettings, when: dt.datetime, *, dry_run: bool = False) -> Migration:
    """Bring ardesk's tables in the ERP of `erp` to the latest version (`dry_run`: say how, write nothing)."""
    with connect(erp) as conn:
        return upgrade(conn, when, dry_run=dry_run)


def upgrade(conn: pyodbc.Connection, when: dt.datetime, *, dry_run: bool = False) -> Migration:
    """`migrate` on an open connection (the demo loader's, after its tables are in)."""
    dialect = dialect_of(conn)
    before = current(conn)
    done = []
    for step in steps():
        if step.version > before:
            todo = _pending(conn, dialect, step)
            if not dry_run:
                _apply(conn, dialect, todo, when)
            done.append(todo)
    return Migration(before, before if dry_run or not done else done[-1].version, tuple(done), dry_run)


def current(conn: pyodbc.Connection) -> int:
    """The ERP's version of ardesk's tables: 0 before any step (no ardesk_schema yet). Ends the read's
    transaction, so a caller's writes start on a fresh view."""
    dialect = dialect_of(conn)
    try:
        version = conn.cursor().execute(render(_VERSION, dialect)).fetchone()[0]
    except pyodbc.Error:
        version = None
    conn.rollback()
    return int(version or 0)


def require(conn: pyodbc.Connection, command: str | None = None) -> None:
    """Refuse `command` (as typed: "notes push"; None: reading the ERP) with one sentence when the ERP's ardesk
    tables are older than this ardesk writes and reads: called by every path that writes them, before it writes
    anything, and by the read, whose notes query reads the columns the later steps add."""
    have = current(conn)
    if have < latest():
        needs = f"`ardesk {command}` needs" if command else f"ardesk {__version__} reads"
        raise ArdeskError(f"{needs} ardesk's tables in the ERP at version {latest()}, and they are at version {have}: "
                          "run `ardesk erp migrate` (with the same --connect) first.")


def _pending(conn: pyodbc.Connection, dialect: str, step: Step) -> Step:
    """`step` rendered for `dialect`, without the statements the ERP has done already."""
    todo = []
    for statement in step.statements:
        probe = _probe(sqlglot.parse_one(statement, read=CANONICAL))
        if probe is None or not _succeeds(conn, render(probe, dialect)):
            todo += render_script(statement, dialect)
    conn.rollback()
    return Step(step.version, step.name, tuple(todo))


def _probe(tree: exp.Expression) -> str | None:
    """A query that succeeds once `tree` has been run: a SELECT of the table a CREATE TABLE makes, or of the column
    an ADD COLUMN adds. None for a statement that is safe to repeat as written (CREATE SCHEMA IF NOT EXISTS)."""
    table = tree.find(exp.Table)
    if isinstance(tree, exp.Create) and tree.kind == "TABLE":
        return f"SELECT 1 FROM {table.db}.{table.name} WHERE 1 = 0"
    column = tree.find(exp.ColumnDef) if isinstance(tree, exp.Alter) else None
    return None if column is None else f"SELECT {column.name} FROM {table.db}.{table.name} WHERE 1 = 0"


def _succeeds(conn: pyodbc.Connection, query: str) -> bool:
    try:
        conn.cursor().execute(query).fetchall()
        return True
    except pyodbc.Error:
        conn.rollback()  # PostgreSQL refuses every statement after a failed one until the transaction ends
        return False


def _apply(conn: pyodbc.Connection, dialect: str, step: Step, when: dt.datetime) -> None:
    """The step's statements and its record in one transaction (on MariaDB the DDL commits itself)."""
    cursor = conn.cursor()
    try:
        for statement in step.statements:
            cursor.execute(statement)
        cursor.execute(render(_RECORD, dialect), step.version, step.name, when.replace(microsecond=0), BY)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
