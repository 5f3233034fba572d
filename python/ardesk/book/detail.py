"""The Detail sheet: every open item as one row of an Excel Table, written column-wise for speed.

The ERP's columns come first, then the item's latest note, next follow-up, its customer's open promise to pay
and its dispute (the reasons of the disputes that keep it out of the dunning: the Summary lists those amounts
apart), then the user columns people type into (DETAIL_USER), all inside the OpenItems Table so that filters,
sorts and the pivots see them.

Rows go out in chunks of CHUNK_ROWS, each built column by column (columns.rows): 100,000 items with their
28 columns take about 1 s of CPU.
"""
from collections.abc import Iterator

import pandas as pd

from ardesk.ar.summary import OVER_DAYS
from ardesk.book import styles, typed
from ardesk.book.cells import SharedStrings, column_letter, row
from ardesk.book.columns import DATE, INTEGER, MONEY, TEXT, Column, typed_columns, width
from ardesk.book.columns import rows as columns_rows
from ardesk.book.sheet import Layout
from ardesk.book.tables import TABLE_LINK, TableSheet, letters, table_range, table_xml
from ardesk.book.userdata import DETAIL_USER, YES_NO
from ardesk.xlsx.text import xml_text

SHEET = "Detail"
TABLE = "OpenItems"
"""The Excel Table's name, used by the pivot cache and the Check formulas."""
CHUNK_ROWS = 8192
"""Rows built and handed to the zip at a time: bounds memory for 100,000-row workbooks."""
AMBER_AFTER = 60
"""Items more than this many days past due (up to OVER_DAYS) are shaded amber; beyond OVER_DAYS, red."""
DISPUTED = "Disputed"
IN_DISPUTE = "In Dispute"
"""An item is set in italics while out of the dunning: Yes typed in the Disputed user column, or a dispute named
in In Dispute."""


def columns(base_currency: str) -> tuple[Column, ...]:
    """The Detail table's columns, in sheet order: the ERP's, the notes', then the user columns."""
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
        Column("Latest Note", "latest_note", TEXT),
        Column("Next Follow-up", "next_follow_up", DATE),
        Column("Open Promise", "open_promise", TEXT),
        Column(IN_DISPUTE, "in_dispute", TEXT),
        *typed_columns(DETAIL_USER),
    )


def frame(aged: pd.DataFrame, item_notes: pd.DataFrame, in_dispute: pd.Series,
          typed_detail: pd.DataFrame) -> pd.DataFrame:
    """The Detail rows: AGED, ITEM_NOTES, what keeps each item out of the dunning (ardesk.ar.disputes.in_dispute)
    and the typed user columns side by side (all aligned row for row)."""
    parts = (aged, item_notes, in_dispute.rename("in_dispute"), typed_detail)
    return pd.concat([p.reset_index(drop=True) for p in parts], axis=1)


def rows(detail: pd.DataFrame, cols: tuple[Column, ...], strings: SharedStrings) -> Iterator[str]:
    """The sheet's `<row>` elements: the header, then the items in chunks of CHUNK_ROWS."""
    yield row(1, [c.header for c in cols], strings, styles.BOLD)
    for start in range(0, len(detail), CHUNK_ROWS):
        chunk = detail.iloc[start : start + CHUNK_ROWS]
        yield "".join(columns_rows(cols, chunk, range(start + 2, start + 2 + len(chunk)), strings))


def conditional_formats(cols: tuple[Column, ...], items: int) -> tuple[str, ...]:
    """Whole rows shaded red beyond OVER_DAYS days past due, amber from AMBER_AFTER + 1 to OVER_DAYS, and set in
    italics while in dispute: formulas on the row's own cells, so a sorted or filtered table keeps them right."""
    at = letters(cols)
    days = f"${at['Days Past Due']}2"
    rules = (
        (f"{days}>{OVER_DAYS}", styles.OVERDUE_90),
        (f"AND({days}>{AMBER_AFTER},{days}<={OVER_DAYS})", styles.OVERDUE_61_90),
        (f'OR(${at[DISPUTED]}2="{YES_NO[0]}",${at[IN_DISPUTE]}2<>"")', styles.DISPUTED),
    )
    rows = f"A2:{column_letter(len(cols) - 1)}{max(items, 1) + 1}"
    return tuple(
        f'<conditionalFormatting sqref="{rows}">'
        f'<cfRule type="expression" dxfId="{look}" priority="{n}"><formula>{xml_text(rule)}</formula></cfRule>'
        "</conditionalFormatting>"
        for n, (rule, look) in enumerate(rules, 1)
    )


def sheet(detail: pd.DataFrame, cols: tuple[Column, ...], number: int, strings: SharedStrings,
          selected: bool) -> TableSheet:
    """The Detail sheet: its rows (streamed in chunks), layout and the OpenItems Table (number `number`)."""
    headers = [c.header for c in cols]
    return TableSheet(rows(detail, cols, strings), layout(detail, cols, selected), number,
                      table_xml(number, TABLE, headers, len(detail)))


def layout(detail: pd.DataFrame, cols: tuple[Column, ...], selected: bool) -> Layout:
    """Header row frozen, linked to its Table, rows shaded by age, the user columns checked."""
    items = len(detail)
    return Layout(
        [width(c, detail[c.source]) for c in cols],
        table_range(len(cols), items),
        frozen_rows=1,
        selected=selected,
        table_rel=TABLE_LINK,
        conditional_formats=conditional_formats(cols, items),
        validations=typed.validations(DETAIL_USER, letters(cols), 2, max(items, 1) + 1),
    )
