"""The demo ERP's tables as sql/demo/schema.sql declares them: their columns and the indexes beside their keys."""
from functools import lru_cache
from importlib import resources

import sqlglot
from sqlglot import exp

from ardesk.sql import CANONICAL


def schema_text() -> str:
    """sql/demo/schema.sql, in the canonical dialect."""
    return resources.files("ardesk.sql").joinpath("demo", "schema.sql").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _statements() -> tuple[exp.Expression, ...]:
    return tuple(tree for tree in sqlglot.parse(schema_text(), read=CANONICAL) if tree is not None)


@lru_cache(maxsize=1)
def schema() -> dict[str, tuple[str, ...]]:
    """Canonical table name -> its columns, in the order schema.sql creates them."""
    tables = {}
    for tree in _statements():
        if isinstance(tree, exp.Create) and tree.kind == "TABLE":
            table = tree.find(exp.Table)
            tables[f"{table.db}.{table.name}"] = tuple(
                column.name for column in tree.this.expressions if isinstance(column, exp.ColumnDef))
    return tables


@lru_cache(maxsize=1)
def indexes() -> dict[str, tuple[str, ...]]:
    """Canonical table name -> the names of the indexes schema.sql creates on it (besides its keys)."""
    found: dict[str, tuple[str, ...]] = {}
    for tree in _statements():
        if isinstance(tree, exp.Create) and tree.kind == "INDEX":
            table = tree.find(exp.Table)
            name = f"{table.db}.{table.name}"
            found[name] = (*found.get(name, ()), tree.this.name)
    return found
