"""The sheets that hold only what people typed: Notes (the collectors' input table), Archive (typed values of
items, holds and disputes that have left the workbook), and the hidden `_lists` sheet behind the Customer ID dropdown.

Notes and Archive are Excel Tables that always exist, with one blank row when empty, so a refresh reads them
back (book.carry) from a known place. Notes' checks reach SPARE_ROWS below the table, so rows typed under it
are checked too.
"""
import pandas as pd

from ardesk.book.cells import SharedStrings
from ardesk.book.columns import DATE, TEXT, Column, typed_columns
from ardesk.book.columns import rows as columns_rows
from ardesk.book.tables import TableSheet, table_sheet
from ardesk.book.userdata import ARCHIVE_LEAD, ARCHIVED_USER, NOTES_COLUMNS, archive_headers

NOTES_TABLE = "Notes"
ARCHIVE_TABLE = "Archive"
SPARE_ROWS = 1_000
LISTS_SHEET = "_lists"
CUSTOMERS = "CustomerIDs"
"""The defined name of the customer IDs on `_lists`, the Notes sheet's Customer ID dropdown."""


def notes(frame: pd.DataFrame, number: int, strings: SharedStrings, customers: bool) -> TableSheet:
    """Table `number` of the typed notes; dropdowns for the choices (and the customer IDs when `customers`)."""
    sources = {"Customer ID": CUSTOMERS} if customers else {}
    return table_sheet(number, NOTES_TABLE, typed_columns(NOTES_COLUMNS), frame, strings, checked=NOTES_COLUMNS,
                       sources=sources, spare_rows=SPARE_ROWS)


def archive(frame: pd.DataFrame, number: int, strings: SharedStrings) -> TableSheet:
    """Table `number` of the archived typed rows: a record, so no checks."""
    kinds = {c.header: c.kind for c in ARCHIVED_USER} | {h: TEXT for h in ARCHIVE_LEAD}
    kinds[ARCHIVE_LEAD[0]] = DATE
    columns = tuple(Column(h, h, kinds[h]) for h in archive_headers())
    return table_sheet(number, ARCHIVE_TABLE, columns, frame, strings)


def customer_list(customer_ids: tuple[str, ...], strings: SharedStrings) -> tuple[list[str], str | None]:
    """The `_lists` rows (one customer ID a row in column A) and what the CUSTOMERS name refers to (None
    when there are no customers)."""
    column = Column("Customer ID", "customer_id", TEXT)
    ids = pd.DataFrame({"customer_id": pd.Series(customer_ids, dtype="string")})
    rows = ["".join(columns_rows((column,), ids, range(1, len(ids) + 1), strings))]
    return rows, f"'{LISTS_SHEET}'!$A$1:$A${len(customer_ids)}" if customer_ids else None
