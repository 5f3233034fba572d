"""The Reconcile sheet (a Table of the proposed lines with an Approve dropdown) and the credits left to place by
hand, for the accountant at month-end."""
import datetime as dt

import pandas as pd

from ardesk.book.cells import SharedStrings
from ardesk.book.columns import MONEY, TEXT, Column, typed_columns
from ardesk.book.lists import Report, groups
from ardesk.book.tables import TableSheet, typed_table
from ardesk.book.userdata import RECONCILE_USER

TABLE = "Reconcile"
REVIEW_SHEET = "Credits to Review"


def reconcile(lines: pd.DataFrame, approvals: pd.DataFrame, number: int, strings: SharedStrings) -> TableSheet:
    """RECONCILE_LINES as Table `number`, Approve first; amounts in each credit's own currency."""
    columns = (
        *typed_columns(RECONCILE_USER),
        Column("Kind", "kind", TEXT),
        Column("Customer ID", "customer_id", TEXT),
        Column("Credit", "credit_doc", TEXT),
        Column("Credit Type", "credit_type", TEXT),
        Column("Invoice", "invoice_doc", TEXT),
        Column("Invoice Customer", "invoice_customer_id", TEXT),
        Column("Currency", "currency", TEXT),
        Column("Amount", "amount_cents", MONEY),
        Column("Rule", "rule", TEXT),
        Column("Confidence", "confidence", TEXT),
        Column("Matched", "matched", TEXT),
        Column("Reference", "reference", TEXT),
        Column("Evidence", "evidence", TEXT),
    )
    return typed_table(number, TABLE, columns, lines, approvals, RECONCILE_USER, strings)


def review(frame: pd.DataFrame, as_of: dt.date) -> Report:
    """REVIEW grouped by reason: what the matcher could not place, with the candidates it saw."""
    columns = (
        Column("Customer ID", "customer_id", TEXT),
        Column("Credit", "credit_doc", TEXT),
        Column("Type", "credit_type", TEXT),
        Column("Currency", "currency", TEXT),
        Column("Credit Amount", "credit_cents", MONEY),
        Column("Left", "left_cents", MONEY),
        Column("Candidates", "candidates", TEXT),
        Column("Reference", "reference", TEXT),
        Column("Evidence", "evidence", TEXT),
    )
    rank = frame["reason"].map(_REASON_ORDER)
    ordered = frame.assign(rank=rank).sort_values(["rank", "currency"], kind="stable")
    ordered = ordered.assign(group=ordered["reason"] + " (" + ordered["currency"] + ")")
    return Report("Credits to review", "Credits the matcher did not place, by reason and currency, as of "
                  f"{as_of.isoformat()}.", columns, groups(ordered, "group"))


_REASON_ORDER = {reason: n for n, reason in enumerate(
    ("ambiguous", "contested", "gave up", "reference not open", "left over", "no match"))}
"""The reasons a person can most often settle first."""
