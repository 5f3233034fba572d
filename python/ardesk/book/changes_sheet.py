"""The Month-End workbook's record of the freeze: a line under the Rollforward's title saying whether and when the
period was closed, and the Changes Since Close sheet listing each document whose figures in the ERP differ from
those frozen at the close, then and now side by side (ardesk.ar.closing)."""
import pandas as pd

from ardesk.book.columns import MONEY, TEXT, Column
from ardesk.book.cells import SharedStrings
from ardesk.book.tables import TableSheet, table_sheet

SHEET = "Changes Since Close"
TABLE = "Changes"
COLUMNS = (
    Column("Customer ID", "customer_id", TEXT),
    Column("Document", "doc_no", TEXT),
    Column("Type", "doc_type", TEXT),
    Column("Company", "company", TEXT),
    Column("Closing as closed", "closing_then_cents", MONEY),
    Column("Closing now", "closing_now_cents", MONEY),
    Column("Posted as closed", "posted_then_cents", MONEY),
    Column("Posted now", "posted_now_cents", MONEY),
    Column("Applied as closed", "applied_then_cents", MONEY),
    Column("Applied now", "applied_now_cents", MONEY),
)


def status(frozen: pd.DataFrame, changes: pd.DataFrame) -> str:
    """One line: when the period was closed and by whom, and what has changed since; or that it is not closed."""
    if frozen.empty:
        return "Not closed: this period is not frozen in the ERP (a draft, or a close whose GL tie-out did not tie)."
    close = frozen.iloc[0]
    said = f"Closed {close['closed']:%Y-%m-%d %H:%M} by {close['closed_by']}: frozen in the ERP."
    if changes.empty:
        return f"{said} The ERP's history of the period is as it was then."
    return (f"{said} {len(changes)} document{'s' * (len(changes) != 1)} in the ERP changed since: see the {SHEET} "
            "sheet; the figures here are today's.")


def table(changes: pd.DataFrame, number: int, strings: SharedStrings) -> TableSheet:
    """CHANGES as Table `number`."""
    return table_sheet(number, TABLE, COLUMNS, changes, strings)
