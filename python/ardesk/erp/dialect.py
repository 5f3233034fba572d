"""SQL written once, rendered per database.

Every statement under sql/ is written in one canonical dialect (MySQL syntax: `DATEDIFF(?, d)`,
`DATE_ADD`, `?` placeholders, tables qualified by their SQL Server schema such as `Erp.InvcHead`) and
rendered here with sqlglot for SQLite, PostgreSQL, MariaDB and SQL Server. Databases that keep one ERP per
database rather than per schema (SQLite, MariaDB) get the tables unqualified.
"""
import re
from functools import lru_cache

import sqlglot
from sqlglot import exp

from ardesk.sql import CANONICAL

DIALECTS = ("sqlite", "postgres", "mysql", "tsql")
SCHEMALESS = frozenset({"sqlite", "mysql"})

_DBMS_PREFIXES = (  # SQL_DBMS_NAME as the drivers report it -> sqlglot dialect
    ("sqlite", "sqlite"),
    ("postgresql", "postgres"),
    ("mariadb", "mysql"),
    ("mysql", "mysql"),
    ("microsoft sql server", "tsql"),
)


def dialect_of_dbms(dbms_name: str) -> str:
    """The sqlglot dialect for a connection's SQL_DBMS_NAME; ValueError for a database we do not speak."""
    name = dbms_name.strip().lower()
    for prefix, dialect in _DBMS_PREFIXES:
        if name.startswith(prefix):
            return dialect
    raise ValueError(f"ardesk does not speak {dbms_name!r}: it reads SQLite, PostgreSQL, MariaDB/MySQL and SQL Server")


def _json_columns(table: exp.Table, dialect: str) -> list[tuple[str, str, str]]:
    """(name, type in `dialect`, path) of each column a canonical JSON_TABLE reads."""
    columns = table.this.args["schema"].expressions
    return [(c.name, c.args["kind"].sql(dialect=dialect), c.args["path"].name) for c in columns]


def _national(sql_type: str) -> str:
    """SQL Server keeps text outside Latin-1 only in NVARCHAR."""
    return re.sub(r"^N?(VARCHAR|TEXT)\b(\([^)]*\))?", lambda m: f"NVARCHAR{m[2] or '(MAX)'}", sql_type)


_JSON_ROWS = {  # sqlglot dialect -> the FROM item expanding one bound JSON array of objects into rows
    "postgres": lambda alias, columns: (
        f"JSONB_TO_RECORDSET(CAST(? AS JSONB)) AS {alias}({', '.join(f'{n} {t}' for n, t, _ in columns)})"),
    "sqlite": lambda alias, columns: (
        f"(SELECT {', '.join(f'JSON_EXTRACT(value, {p!r}) AS {n}' for n, _, p in columns)} FROM JSON_EACH(?)) "
        f"AS {alias}"),
    "tsql": lambda alias, columns: (
        f"OPENJSON(?) WITH ({', '.join(f'{n} {_national(t)} {p!r}' for n, t, p in columns)}) AS {alias}"),
}
"""MariaDB (10.6+) reads the canonical JSON_TABLE as written. sqlglot writes JSON_TABLE unchanged for every
dialect (30.x), so the others' equivalents are spelled here; each column's path names the object's field."""


def _localise(node: exp.Expression, dialect: str) -> exp.Expression:
    if isinstance(node, exp.Table) and isinstance(node.this, exp.JSONTable) and dialect in _JSON_ROWS:
        return exp.Var(this=_JSON_ROWS[dialect](node.alias, _json_columns(node, dialect)))
    if isinstance(node, exp.Placeholder):
        return exp.Var(this="?")  # keep ODBC's `?` (the postgres writer would print %s)
    if dialect in SCHEMALESS and isinstance(node, exp.Table) and node.args.get("db"):
        node = node.copy()
        node.set("db", None)
    return node


@lru_cache(maxsize=256)
def render(sql: str, dialect: str) -> str:
    """One canonical statement in `dialect`, placeholders kept as `?`.

    Comments are dropped: SQLite's ODBC driver counts a `?` after an apostrophe in a comment wrongly.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    tree = sqlglot.parse_one(sql, read=CANONICAL)
    return tree.transform(_localise, dialect).sql(dialect=dialect, comments=False)


def render_script(script: str, dialect: str) -> list[str]:
    """A canonical script (statements separated by `;`) as a list of statements in `dialect`.

    `CREATE SCHEMA` is dropped where the dialect keeps tables unqualified.
    """
    statements = []
    for tree in sqlglot.parse(script, read=CANONICAL):
        if tree is None:
            continue
        if dialect in SCHEMALESS and isinstance(tree, exp.Create) and tree.kind == "SCHEMA":
            continue
        statements.append(tree.transform(_localise, dialect).sql(dialect=dialect, comments=False))
    return statements


def repeat_rows(statement: str, rows: int) -> str:
    """A rendered one-row `INSERT ... VALUES (...)` as an insert of `rows` rows.

    Repeating the rendered row is instant where rendering thousands of placeholders with sqlglot is not.
    """
    head, group = statement.rsplit(" VALUES ", 1)
    return f"{head} VALUES {', '.join([group] * rows)}"


def repeat_list(statement: str, items: int) -> str:
    """A rendered statement with one `IN (?)` as one that binds `items` values there."""
    if statement.count("IN (?)") != 1:
        raise ValueError("the statement needs exactly one `IN (?)` to repeat")
    return statement.replace("IN (?)", f"IN ({', '.join('?' * items)})")
