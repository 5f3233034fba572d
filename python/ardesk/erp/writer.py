"""Writing rows to the ERP, and looking up many keys: a batch is one JSON document bound to one statement.

Every write-back (notes and their keys, staged applications, and the write-offs, limits and holds to come) is an
`INSERT ... SELECT ... FROM JSON_TABLE(?, '$[*]' COLUMNS (...))` under sql/<profile>/, rendered per database like
every other query (erp/dialect.py spells JSON_TABLE as PostgreSQL's jsonb_array_elements, SQLite's json_each and
SQL Server's OPENJSON). Each column's path names the field of a row it reads; the document sends each row as the
array of those fields' values in the columns' order, and the rendered statement reads them by position. Binding
23 values per note cost about 14 us of client time per note inside pyodbc, which also lets go of Python's lock
for every value and so kept preparing and sending from overlapping; one document of 500 notes is built by
json.dumps in a few milliseconds and bound as one value (measured, bench/bench_push.py).

The lookups that ask which of a push's notes or invoices the ERP has bind their keys the same way: one statement
for thousands of keys, where a list of `?` took one statement per 200.

Values never enter the SQL: text goes as JSON strings (exact, whatever its characters), whole numbers as JSON
numbers, money as exact decimal text ("1234.50", never a binary float), times and days as ISO text.
"""
import datetime as dt
import json
import re
from decimal import Decimal
from functools import lru_cache
from itertools import chain

from ardesk.erp.dialect import render
from ardesk.erp.profile import Profile

MAX_TEXT = 32_000
"""Characters of one text value ardesk writes (a note's text): a longer one is refused with a sentence, never
cut. Epicor keeps CallText as nvarchar(max); the limit keeps one note far below a batch's size."""

_PATH = re.compile(r"PATH\s+'\$\.(\w+)'", re.IGNORECASE)


@lru_cache(maxsize=64)
def fields(canonical: str) -> tuple[str, ...]:
    """The row fields a canonical insert reads: the paths of its JSON_TABLE's columns, in order."""
    names = tuple(_PATH.findall(canonical))
    if not names:
        raise ValueError("the statement reads no JSON_TABLE columns")
    return names


def _value(value):
    """A value json.dumps cannot write as it stands: ISO text for times and days, exact text for decimals."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    raise TypeError(f"ardesk writes no {type(value).__name__} to the ERP")


def document(canonical: str, rows: list[dict]) -> str:
    """The JSON array of `rows`, each the array of the values of the fields `canonical` reads, in its columns'
    order; floats are refused (money is exact)."""
    names = fields(canonical)
    values = [[row[name] for name in names] for row in rows]
    if float in set(map(type, chain.from_iterable(values))):
        raise TypeError("money goes to the ERP as exact decimal text, not as a float")
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"), default=_value)


def execute(cursor, profile: Profile, query: str, dialect: str, rows: list[dict], *, into: str = "rows",
            **values):
    """Run the profile's `query` binding `rows` as one document to its parameter `into` (an insert's rows, or
    the keys a lookup looks up) and `values` to the others, in the cursor's transaction; returns the cursor."""
    canonical = profile.query(query)
    return cursor.execute(render(canonical, dialect),
                          profile.parameters(query, {**values, into: document(canonical, rows)}))
