"""The aging workbook's Escalation sheet (the accounts that meet the placement rule, with the evidence) and Placed
Accounts sheet (those placed, closed or written off, with what came back): ardesk.ar.escalation's frames as
Tables."""
import pandas as pd

from ardesk.book.cells import SharedStrings
from ardesk.book.columns import DATE, INTEGER, MONEY, TEXT, Column
from ardesk.book.tables import TableSheet, table_sheet

SHEET = "Escalation"
PLACED_SHEET = "Placed Accounts"
COLUMNS = (
    Column("Customer ID", "customer_id", TEXT),
    Column("Name", "customer_name", TEXT),
    Column("Collector", "collector", TEXT),
    Column("Past Due", "past_due_cents", MONEY),
    Column("Oldest Item", "oldest_doc", TEXT),
    Column("Oldest Days", "oldest_days", INTEGER),
    Column("Final Demand", "final_demand", DATE),
    Column("Broken Promises", "broken_promises", INTEGER),
    Column("Last Contact", "last_contact", DATE),
    Column("Why", "why", TEXT),
)
PLACED_COLUMNS = (
    Column("Customer ID", "customer_id", TEXT),
    Column("Name", "customer_name", TEXT),
    Column("Status", "status", TEXT),
    Column("Placed", "placed", DATE),
    Column("Placed With", "placed_with", TEXT),
    Column("Kind", "kind", TEXT),
    Column("Open", "open_cents", MONEY),
    Column("Paid Since", "paid_since_cents", MONEY),
    Column("Written Off", "written_off_cents", MONEY),
    Column("Recovered", "recovered_cents", MONEY),
)


def escalation(frame: pd.DataFrame, number: int, strings: SharedStrings) -> TableSheet:
    """ardesk.ar.escalation.CANDIDATES as Table `number`."""
    return table_sheet(number, "Escalation", COLUMNS, frame, strings)


def placed(frame: pd.DataFrame, number: int, strings: SharedStrings) -> TableSheet:
    """ardesk.ar.escalation.PLACED as Table `number`."""
    return table_sheet(number, "PlacedAccounts", PLACED_COLUMNS, frame, strings)
