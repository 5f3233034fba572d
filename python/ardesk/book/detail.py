"""The Detail sheet: every open item as one row of an Excel Table, written column-wise for speed.

Each column of a chunk of rows becomes a list of `<c>` strings in one comprehension (numbers are turned into
text by numpy), and the rows are joined from those lists: 30,000 items take about half a second.
"""
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np
import pandas as pd

from ardesk.book import styles
from ardesk.book.cells import SharedStrings, column_letter, row, xml_text
from ardesk.book.namespaces import MAIN, XML_DECLARATION
from ardesk.book.sheet import Layout

SHEET = "Detail"
TABLE = "OpenItems"
"""The Excel Table's name, used by the pivot cache and the Check formulas."""
TEXT, DATE, INTEGER, MONEY = "text", "date", "integer", "money"
CHUNK_ROWS = 8192
"""Rows built and handed to the zip at a time: bounds memory for 100,000-row workbooks."""
_EXCEL_EPOCH = np.datetime64("1899-12-30", "s")


@dataclass(frozen=True)
class Column:
    header: str
    source: str
    """The AGED frame column it shows."""
    kind: str


def columns(base_currency: str) -> tuple[Column, ...]:
    """The Detail table's columns, in sheet order."""
    return (
        Column("Customer ID", "customer_id", TEXT),
        Column("Customer Name", "customer_name", TEXT),
        Column("Document", "doc_no", TEXT),
        Column("Type", "doc_type", TEXT),
        Column("Document Date", "doc_date", DATE),
        Column("Due Date", "due_date", DATE),
        Column("Terms", "terms", TEXT),
        Column("Days Past Due", "days_past_due", INTEGER),
        Column("Bucket", "bucket", TEXT),
        Column("Currency", "currency", TEXT),
        Column("Amount", "amount_cents", MONEY),
        Column("Balance", "balance_cents", MONEY),
        Column(f"Balance {base_currency}", "base_balance_cents", MONEY),
        Column("Sales Rep", "sales_rep", TEXT),
        Column("Collector", "collector", TEXT),
        Column("PO", "po_number", TEXT),
        Column("Reference", "reference", TEXT),
    )


def table_range(cols: tuple[Column, ...], items: int) -> str:
    """The Table's range: header plus items (an Excel Table needs at least one data row, even if empty)."""
    return f"A1:{column_letter(len(cols) - 1)}{max(items, 1) + 1}"


def _number_texts(values: np.ndarray) -> list[str]:
    """Numbers as `<v>` text; integral floats (whole days, whole amounts) without the trailing `.0`."""
    if values.dtype.kind == "f" and np.array_equal(values, np.round(values)):
        values = values.astype(np.int64)
    return values.astype(str).tolist()


def _cells(column: Column, letter: str, rows: list[str], values: pd.Series, strings: SharedStrings) -> list[str]:
    """The `<c>` elements of one column for the given row numbers ("" where a cell is left empty)."""
    if column.kind == TEXT:
        ids, quoted = strings.add_column(values)
        plain, prefixed = '" t="s"><v>', f'" s="{styles.QUOTED}" t="s"><v>'
        return [
            f'<c r="{letter}{r}{prefixed if q else plain}{i}</v></c>' if i >= 0 else ""
            for r, i, q in zip(rows, ids.tolist(), quoted.tolist())
        ]
    if column.kind == DATE:
        seconds = values.to_numpy("datetime64[s]")
        missing = np.isnat(seconds).tolist()
        texts = _number_texts((seconds - _EXCEL_EPOCH) / np.timedelta64(1, "D"))
        style = styles.DATE
    elif column.kind == MONEY:
        missing = repeat(False)
        texts = _number_texts(values.to_numpy(np.int64) / 100)
        style = styles.MONEY
    else:
        missing = repeat(False)
        texts = _number_texts(values.to_numpy(np.int64))
        style = styles.PLAIN
    head = f' s="{style}"><v>' if style else "><v>"
    return [f'<c r="{letter}{r}"{head}{t}</v></c>' if not m else "" for r, t, m in zip(rows, texts, missing)]


def rows(aged: pd.DataFrame, cols: tuple[Column, ...], strings: SharedStrings) -> Iterator[str]:
    """The sheet's `<row>` elements: the header, then the items in chunks of CHUNK_ROWS."""
    yield row(1, [c.header for c in cols], strings, styles.BOLD)
    letters = [column_letter(i) for i in range(len(cols))]
    for start in range(0, len(aged), CHUNK_ROWS):
        chunk = aged.iloc[start : start + CHUNK_ROWS]
        numbers = [str(n) for n in range(start + 2, start + 2 + len(chunk))]
        cells = [_cells(c, letter, numbers, chunk[c.source], strings) for c, letter in zip(cols, letters)]
        opening = [f'<row r="{n}">' for n in numbers]
        yield "".join(chain.from_iterable(zip(opening, *cells, repeat("</row>"))))


def layout(aged: pd.DataFrame, cols: tuple[Column, ...], table_rel: str) -> Layout:
    """The first sheet Excel shows, header row frozen, linked to its Table."""
    return Layout(_widths(aged, cols), table_range(cols, len(aged)), frozen_rows=1, selected=True, table_rel=table_rel)


def _widths(aged: pd.DataFrame, cols: tuple[Column, ...]) -> list[float]:
    """Column widths that fit the header and the longest value, within 8 to 50 characters."""
    out = []
    for c in cols:
        if c.kind == TEXT:
            longest = aged[c.source].astype("string").fillna("").str.len().max() if len(aged) else 0
        elif c.kind == MONEY:
            largest = int(np.abs(aged[c.source].to_numpy(np.int64)).max(initial=0)) // 100
            longest = len(f"{largest:,}") + 5
        else:
            longest = 10
        out.append(float(min(max(len(c.header) + 3, int(longest) + 2, 8), 50)))
    return out


def table(cols: tuple[Column, ...], items: int) -> str:
    """xl/tables/table1.xml: the Excel Table over the Detail rows, with its autofilter."""
    ref = table_range(cols, items)
    names = "".join(f'<tableColumn id="{i}" name="{xml_text(c.header)}"/>' for i, c in enumerate(cols, 1))
    return (
        f'{XML_DECLARATION}<table xmlns="{MAIN}" id="1" name="{TABLE}" displayName="{TABLE}" ref="{ref}">'
        f'<autoFilter ref="{ref}"/><tableColumns count="{len(cols)}">{names}</tableColumns>'
        '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" '
        'showColumnStripes="0"/></table>'
    )
