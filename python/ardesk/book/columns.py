"""A sheet's columns and the one column-wise writer of their cells.

A Column names a header, the frame column it shows and the kind of its values. `cells` turns one frame column
into `<c>` elements for given sheet rows in one comprehension (numbers become text through numpy, text goes
through the shared-string table), which is what keeps a 100,000-row Detail fast; `rows` joins the columns into
`<row>` elements. Money columns hold integer cents and become an amount only here, at the cell. Typed columns
(object dtype: what people typed, any type, mostly empty) go value by value through typed.cell.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import pandas as pd

from ardesk.book import styles, typed
from ardesk.book.cells import SharedStrings, column_letter
from ardesk.book.userdata import CHOICE, DATE, MONEY, TEXT, UserColumn

INTEGER = "integer"
LIMIT = "limit"
"""A credit limit in cents: money, but 0 means unlimited and reads so."""
PERCENT = "percent"
"""A share (0.93), shown as a percentage (93%)."""
__all__ = ["CHOICE", "DATE", "INTEGER", "LIMIT", "MONEY", "PERCENT", "TEXT", "Column", "cells", "number_style", "rows",
           "typed_columns", "width"]
_EXCEL_EPOCH = np.datetime64("1899-12-30", "s")


@dataclass(frozen=True)
class Column:
    header: str
    source: str
    """The frame column it shows."""
    kind: str
    """TEXT, DATE, INTEGER, MONEY, LIMIT, PERCENT, or for typed columns their UserColumn kind (CHOICE among them)."""


def typed_columns(user: tuple[UserColumn, ...]) -> tuple[Column, ...]:
    """Columns for user-typed values, found in a frame under their headers."""
    return tuple(Column(u.header, u.header, u.kind) for u in user)


def number_style(kind: str) -> int:
    """The cell format of a number in a column of this kind."""
    return {MONEY: styles.MONEY, LIMIT: styles.LIMIT, PERCENT: styles.PERCENT}.get(kind, styles.PLAIN)


def _number_texts(values: np.ndarray) -> list[str]:
    """Numbers as `<v>` text; integral floats (whole days, whole amounts) without the trailing `.0`. Python's
    str gives the same text as numpy's astype(str), the shortest that reads back as the same number, in about
    60% of the time."""
    if values.dtype.kind == "f" and np.array_equal(values, np.round(values)):
        values = values.astype(np.int64)
    return list(map(str, values.tolist()))


def cells(column: Column, letter: str, numbers: list[str], values: pd.Series, strings: SharedStrings) -> list[str]:
    """The `<c>` elements of one column at the given sheet rows ("" where a cell is left empty)."""
    if column.kind == TEXT and values.dtype != object:
        ids, quoted = strings.add_column(values)
        plain, prefixed = '" t="s"><v>', f'" s="{styles.QUOTED}" t="s"><v>'
        return [
            f'<c r="{letter}{r}{prefixed if q else plain}{i}</v></c>' if i >= 0 else ""
            for r, i, q in zip(numbers, ids.tolist(), quoted.tolist())
        ]
    missing = values.isna().tolist()
    if values.dtype == object:
        style = number_style(column.kind)
        return [typed.cell(f"{letter}{r}", v, style, strings) if not m else ""
                for r, v, m in zip(numbers, values.tolist(), missing)]
    if column.kind == DATE:
        texts = _number_texts((values.to_numpy("datetime64[s]") - _EXCEL_EPOCH) / np.timedelta64(1, "D"))
        style = styles.DATE
    elif column.kind == PERCENT:
        texts = _number_texts(values.astype("Float64").fillna(0).to_numpy(np.float64))
        style = styles.PERCENT
    else:
        whole = values.fillna(0).to_numpy(np.int64)
        texts = _number_texts(whole / 100 if column.kind in (MONEY, LIMIT) else whole)
        style = number_style(column.kind)
    head = f' s="{style}"><v>' if style else "><v>"
    return [f'<c r="{letter}{r}"{head}{t}</v></c>' if not m else ""
            for r, t, m in zip(numbers, texts, missing)]


def rows(columns: tuple[Column, ...], frame: pd.DataFrame, numbers: Iterable[int], strings: SharedStrings) -> list[str]:
    """One `<row>` element per record of `frame`, at the given sheet row numbers, built column by column."""
    texts = [str(n) for n in numbers]
    parts = [cells(c, column_letter(i), texts, frame[c.source], strings) for i, c in enumerate(columns)]
    return ["".join(p) for p in zip([f'<row r="{n}">' for n in texts], *parts, repeat("</row>"))]


def width(column: Column, values: pd.Series) -> float:
    """A width in characters that fits the header and the widest value shown, within 8 to 50."""
    if values.dtype == object:
        longest = max((len(v) if isinstance(v, str) else 12 for v in values.dropna()), default=0)
    elif column.kind == TEXT:
        longest = int(values.astype("string").fillna("").str.len().max()) if len(values) else 0
    elif column.kind in (MONEY, LIMIT):
        largest = int(np.abs(values.fillna(0).to_numpy(np.int64)).max(initial=0)) // 100
        longest = len(f"{largest:,}") + 5
    else:
        longest = 10
    return float(min(max(len(column.header) + 3, longest + 2, 8), 50))
