"""The Month-End workbook's Write-Offs sheet: a Table of the proposed write-offs with an Approve column, where the
approver types their name; `ardesk writeoffs apply` stages the approved ones in the ERP."""
import pandas as pd

from ardesk.book.cells import SharedStrings
from ardesk.book.columns import DATE, INTEGER, MONEY, TEXT, Column, typed_columns
from ardesk.book.tables import TableSheet, typed_table
from ardesk.book.userdata import WRITE_OFF_USER, WRITE_OFFS_SHEET

SHEET = WRITE_OFFS_SHEET
TABLE = "WriteOffs"
COLUMNS = (
    *typed_columns(WRITE_OFF_USER),
    Column("Customer ID", "customer_id", TEXT),
    Column("Customer Name", "customer_name", TEXT),
    Column("Collector", "collector", TEXT),
    Column("Document", "doc_no", TEXT),
    Column("Type", "doc_type", TEXT),
    Column("Date", "doc_date", DATE),
    Column("Due", "due_date", DATE),
    Column("Last Activity", "last_activity", DATE),
    Column("Idle Days", "idle_days", INTEGER),
    Column("Currency", "currency", TEXT),
    Column("Balance", "balance_cents", MONEY),
    Column("Base Balance", "base_balance_cents", MONEY),
    Column("Reason Code", "reason_code", TEXT),
    Column("Why", "why", TEXT),
)


def table(proposals: pd.DataFrame, approvers: pd.Series, number: int, strings: SharedStrings) -> TableSheet:
    """ar.write_offs.PROPOSALS as Table `number`, the names typed beside them (`approvers`, aligned) first."""
    typed = pd.DataFrame({WRITE_OFF_USER[0].header: approvers.to_numpy(object)}, dtype=object)
    return typed_table(number, TABLE, COLUMNS, proposals, typed, WRITE_OFF_USER, strings)
