"""The Dunning workbook: the letters proposed today (a Table with an Approve dropdown, most past due first) and
the customers with something past due who get none, each with the reason (ardesk.ar.dunning)."""
import pandas as pd

from ardesk.book.cells import SharedStrings
from ardesk.book.columns import DATE, INTEGER, MONEY, TEXT, Column, typed_columns
from ardesk.book.tables import TableSheet, table_sheet, typed_table
from ardesk.book.userdata import DUNNING_SHEET, DUNNING_USER

SHEET = DUNNING_SHEET
LEFT_OUT_SHEET = "Not Dunned"
COLUMNS = (
    *typed_columns(DUNNING_USER),
    Column("Customer ID", "customer_id", TEXT),
    Column("Name", "customer_name", TEXT),
    Column("Collector", "collector", TEXT),
    Column("Level", "level", INTEGER),
    Column("Letter", "level_name", TEXT),
    Column("Items", "items", INTEGER),
    Column("Past Due", "past_due_cents", MONEY),
    Column("Oldest Days", "oldest_days", INTEGER),
    Column("Interest", "interest_cents", MONEY),
    Column("Fee", "fee_cents", MONEY),
    Column("Dunning Amount", "dunning_cents", MONEY),
    Column("Last Letter Sent", "last_sent", DATE),
    Column("Why", "why", TEXT),
)
LEFT_OUT_COLUMNS = (
    Column("Customer ID", "customer_id", TEXT),
    Column("Name", "customer_name", TEXT),
    Column("Collector", "collector", TEXT),
    Column("Past Due", "past_due_cents", MONEY),
    Column("Why Not", "reason", TEXT),
)


def proposals(frame: pd.DataFrame, approvals: pd.DataFrame, number: int, strings: SharedStrings) -> TableSheet:
    """ardesk.ar.dunning.PROPOSALS as Table `number`, Approve first, with what was typed there (`approvals`)."""
    return typed_table(number, "Dunning", COLUMNS, frame, approvals, DUNNING_USER, strings)


def left_out(frame: pd.DataFrame, number: int, strings: SharedStrings) -> TableSheet:
    """ardesk.ar.dunning.LEFT_OUT as Table `number`."""
    return table_sheet(number, "NotDunned", LEFT_OUT_COLUMNS, frame, strings)
