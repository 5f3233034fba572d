"""The report sheets: Worklist, Exceptions, Credit Hold, Hit List, Past-Due Meeting, Disputes, Payment Plans.

Worklist, Exceptions, Hit List, Meeting and Payment Plans are lists of titled groups under one header row: a bold
heading (the section, the sales rep, the collector, the plan), the group's rows, and a Total row of its money
columns; an empty group says "None". Totals are SUBTOTAL formulas (which skip other SUBTOTALs, so a grand total
can sum the whole column) cached with the sums in cents. Credit Hold and Disputes are Excel Tables instead,
because people type beside each row: the credit manager an approval, whoever works a dispute its status.
"""
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ardesk.ar.aging import UNASSIGNED
from ardesk.ar.reach import BESIDE
from ardesk.ar.summary import OVER_DAYS
from ardesk.book import styles
from ardesk.book.cells import Formula, SharedStrings, column_letter, row
from ardesk.book.columns import DATE, INTEGER, LIMIT, MONEY, TEXT, Column, typed_columns, width
from ardesk.book.columns import rows as columns_rows
from ardesk.book.sheet import Layout
from ardesk.book.tables import TableSheet, typed_table
from ardesk.book.userdata import DISPUTE_USER, HOLD_USER

EXCEPTIONS_SHEET = "Exceptions"
CREDIT_HOLD_SHEET = "Credit Hold"
CREDIT_HOLD_TABLE = "CreditHold"
HIT_LIST_SHEET = "Hit List"
MEETING_SHEET = "Past-Due Meeting"
WORKLIST_SHEET = "Worklist"
DISPUTES_TABLE = "Disputes"
PLANS_SHEET = "Payment Plans"
HEADER = 4
"""Sheet row of the column headers, under the title and subtitle; frozen, and repeated on printed pages."""
PRINT_TITLES = f"$1:${HEADER}"
NONE = "None"


@dataclass(frozen=True)
class Report:
    """A list of titled groups of rows under one header row."""

    title: str
    subtitle: str
    columns: tuple[Column, ...]
    groups: tuple[tuple[str, pd.DataFrame], ...]
    """(heading, rows) in sheet order."""
    grand_total: bool = False


REACH = tuple(Column(header, source, TEXT) for source, header in BESIDE.items())
"""How to reach the customer (ardesk.ar.reach.beside): the last columns of the lists a collector calls from."""


def groups(frame: pd.DataFrame, key: str, heading: str = "{}", order: Sequence[str] = ()) -> tuple:
    """`frame`'s rows grouped on `key`: the values of `order` first (shown even when they have no rows), then
    the others as they first appear; each headed `heading` with the value (or `(unassigned)` when empty)."""
    keys = frame[key].astype("string").fillna("")
    values = dict.fromkeys([*order, *keys.tolist()])
    return tuple((heading.format(v or UNASSIGNED), frame[(keys == v).to_numpy()]) for v in values)


def rows(report: Report, strings: SharedStrings) -> list[str]:
    """Title, subtitle, header, then each group: heading, rows (or None) and Total; a grand total if asked."""
    cols = report.columns
    money = [(column_letter(i), c) for i, c in enumerate(cols) if c.kind == MONEY]

    def totals(n: int, label: str, first: int, last: int, frame: pd.DataFrame) -> str:
        """SUBTOTALs of the money columns over sheet rows first..last, cached with the sums in cents."""
        at = {letter: Formula(f"SUBTOTAL(9,{letter}{first}:{letter}{last})", _cents(frame, c) / 100)
              for letter, c in money}
        values = [label] + [at.get(column_letter(i)) for i in range(1, len(cols))]
        return row(n, values, strings, [styles.BOLD] + [styles.MONEY_BOLD] * (len(cols) - 1))

    lines: dict[int, str] = {}
    numbers: list[int] = []
    n = HEADER + 1
    if not report.groups:
        lines[n] = row(n, [NONE], strings)
    for heading, frame in report.groups:
        lines[n] = row(n, [heading], strings, styles.BOLD)
        n += 1
        if frame.empty:
            lines[n] = row(n, [NONE], strings)
            n += 2
            continue
        numbers += range(n, n + len(frame))
        n += len(frame)
        lines[n] = totals(n, "Total", n - len(frame), n - 1, frame)
        n += 2
    everything = _every_row(report)
    if report.grand_total and report.groups:
        lines[n] = totals(n, "Grand total", HEADER + 1, n - 1, everything)
    lines |= dict(zip(numbers, columns_rows(cols, everything, numbers, strings)))
    head = [row(1, [report.title], strings, styles.TITLE), row(2, [report.subtitle], strings),
            row(HEADER, [c.header for c in cols], strings, styles.BOLD)]
    return head + ["".join(lines[k] for k in sorted(lines))]


def _every_row(report: Report) -> pd.DataFrame:
    """The groups' rows in sheet order (none: an empty frame of the columns)."""
    if not report.groups:
        return pd.DataFrame({c.source: pd.Series(dtype=object) for c in report.columns})
    return pd.concat([frame for _, frame in report.groups])


def _cents(frame: pd.DataFrame, column: Column) -> int:
    return int(frame[column.source].fillna(0).sum())


def layout(report: Report) -> Layout:
    """Widths that fit headers and values, title and header rows frozen."""
    everything = _every_row(report)
    return Layout([width(c, everything[c.source]) for c in report.columns], frozen_rows=HEADER)


def _subtitle(what: str, base_currency: str, as_of: dt.date) -> str:
    return f"{what}; amounts in {base_currency} as of {as_of.isoformat()}."


def exceptions(frame: pd.DataFrame, sections: Sequence[str] | None, base_currency: str, as_of: dt.date) -> Report:
    """EXCEPTIONS as one group per section: `sections` in order (each shown, "None" when empty), then any
    other section the frame holds; without `sections`, the frame's own, as they first appear."""
    columns = (
        Column("Customer ID", "customer_id", TEXT),
        Column("Customer Name", "customer_name", TEXT),
        Column("Collector", "collector", TEXT),
        Column("Sales Rep", "sales_rep", TEXT),
        Column("Document", "doc_no", TEXT),
        Column("Type", "doc_type", TEXT),
        Column("Document Date", "doc_date", DATE),
        Column("Days", "days", INTEGER),
        Column("Items", "items", INTEGER),
        Column(f"Balance {base_currency}", "balance_cents", MONEY),
    )
    return Report("Exceptions", _subtitle("Thresholds from the settings; days are past due, or a credit's age",
                                          base_currency, as_of),
                  columns, groups(frame, "section", order=sections or ()))


def hit_list(frame: pd.DataFrame, bucket_labels: Sequence[str], base_currency: str, as_of: dt.date,
             title: str = "Hit list") -> Report:
    """HIT_LIST grouped by sales rep, amounts per bucket, with each rep's totals and a grand total."""
    columns = (
        Column("Customer ID", "customer_id", TEXT),
        Column("Customer Name", "customer_name", TEXT),
        Column("Collector", "collector", TEXT),
        *(Column(label, label, MONEY) for label in bucket_labels),
        Column("Past Due", "past_due_cents", MONEY),
        Column("Total", "total_cents", MONEY),
        Column("Oldest Document", "oldest_doc", TEXT),
        Column("Oldest Days", "oldest_days", INTEGER),
        Column("Last Note Date", "last_note_date", DATE),
        Column("Last Note", "last_note", TEXT),
        Column("Credit Hold", "credit_hold", TEXT),
        *REACH,
    )
    return Report(title, _subtitle("Past-due customers, and those on credit hold or lately released, by sales rep",
                                   base_currency, as_of), columns,
                  groups(frame, "sales_rep", "Sales rep: {}"), grand_total=True)


def meeting(frame: pd.DataFrame, base_currency: str, as_of: dt.date) -> Report:
    """MEETING grouped by collector, with each collector's totals and a grand total."""
    columns = (
        Column("Customer ID", "customer_id", TEXT),
        Column("Customer Name", "customer_name", TEXT),
        Column("Past Due", "past_due_cents", MONEY),
        Column(f"Over {OVER_DAYS}", "over_90_cents", MONEY),
        Column("Oldest Days", "oldest_days", INTEGER),
        Column("Last Contact", "last_contact", DATE),
        Column("Last Outcome", "last_outcome", TEXT),
        Column("Promise Amount", "promise_cents", MONEY),
        Column("Promise Date", "promise_date", DATE),
        Column("Dispute", "dispute", TEXT),
        Column("Next Step", "next_step", TEXT),
        *REACH,
    )
    return Report("Past-due meeting", _subtitle("Delinquent accounts by collector", base_currency, as_of), columns,
                  groups(frame, "collector", "Collector: {}"), grand_total=True)


def worklist(frame: pd.DataFrame, base_currency: str, as_of: dt.date) -> Report:
    """WORKLIST grouped by collector, in the order to work the accounts (parked ones last, with the day they come
    back), with each collector's totals."""
    columns = (
        Column("Rank", "rank", INTEGER),
        Column("Customer ID", "customer_id", TEXT),
        Column("Customer Name", "customer_name", TEXT),
        Column("Past Due", "past_due_cents", MONEY),
        Column("In Dispute", "disputed_cents", MONEY),
        Column("At Risk", "at_risk_cents", MONEY),
        Column("Oldest Days", "oldest_days", INTEGER),
        Column("Days Late", "days_late", INTEGER),
        Column("Broken Promises", "broken_promises", INTEGER),
        Column("Missed Installments", "missed_installments", INTEGER),
        Column("Promise Amount", "promise_cents", MONEY),
        Column("Promise Date", "promise_date", DATE),
        Column("Next Follow-up", "next_follow_up", DATE),
        Column("Parked Until", "parked_until", DATE),
        Column("Last Contact", "last_contact", DATE),
        Column("Why", "why", TEXT),
        *REACH,
    )
    return Report("Worklist", _subtitle("Accounts to work today by collector, in the order a contact is worth most; "
                                        "parked accounts last", base_currency, as_of),
                  columns, groups(frame, "collector", "Collector: {}"))


def credit_hold(frame: pd.DataFrame, typed_hold: pd.DataFrame, base_currency: str, number: int,
                strings: SharedStrings) -> TableSheet:
    """CREDIT_HOLD as Table `number` with the exposure (balance plus open orders) beside the credit limit,
    and the credit manager's typed columns (Approve Hold a Yes/No dropdown)."""
    columns = (
        Column("Customer ID", "customer_id", TEXT),
        Column("Customer Name", "customer_name", TEXT),
        Column("Sales Rep", "sales_rep", TEXT),
        Column("Collector", "collector", TEXT),
        Column("Status", "status", TEXT),
        Column("Reasons", "reasons", TEXT),
        Column(f"Balance {base_currency}", "balance_cents", MONEY),
        Column("Orders Waiting", "orders_waiting", TEXT),
        Column("Open Orders", "open_orders_cents", MONEY),
        Column("Exposure", "exposure_cents", MONEY),
        Column("Credit Limit", "credit_limit_cents", LIMIT),
        Column("Max Days Past Due", "max_days_past_due", INTEGER),
        *typed_columns(HOLD_USER),
    )
    orders = frame["open_orders_cents"].to_numpy()
    shown = frame.assign(exposure_cents=frame["balance_cents"].to_numpy() + orders,
                         orders_waiting=np.where(orders > 0, "Yes", "No"))
    return typed_table(number, CREDIT_HOLD_TABLE, columns, shown, typed_hold, HOLD_USER, strings)


def disputes(frame: pd.DataFrame, typed_disputes: pd.DataFrame, base_currency: str, number: int,
             strings: SharedStrings) -> TableSheet:
    """DISPUTES as Table `number`, oldest first, with the typed Dispute Status (a dropdown) and Resolution."""
    columns = (
        Column("Customer ID", "customer_id", TEXT),
        Column("Customer Name", "customer_name", TEXT),
        Column("Collector", "collector", TEXT),
        Column("Invoice", "doc_no", TEXT),
        Column("Reason", "reason", TEXT),
        Column("Department", "department", TEXT),
        Column("Opened", "opened", DATE),
        Column("Age (Days)", "age_days", INTEGER),
        Column("Disputed Amount", "dispute_cents", MONEY),
        Column(f"Open Balance {base_currency}", "open_cents", MONEY),
        Column("Latest Note", "latest_note", TEXT),
        *typed_columns(DISPUTE_USER),
    )
    return typed_table(number, DISPUTES_TABLE, columns, frame, typed_disputes, DISPUTE_USER, strings)


def payment_plans(frame: pd.DataFrame, base_currency: str, as_of: dt.date) -> Report:
    """PLAN_ROWS grouped by plan (one per customer), installment by installment, with each plan's totals."""
    columns = (
        Column("Installment", "installment", INTEGER),
        Column("Due Date", "due_date", DATE),
        Column("Amount", "amount_cents", MONEY),
        Column("Paid", "paid_cents", MONEY),
        Column("Status", "status", TEXT),
        Column("Collector", "collector", TEXT),
    )
    plans = tuple((f"{c} {n}: agreed {a:%Y-%m-%d}".replace("  ", " "), rows)
                  for (c, n, a), rows in frame.groupby(["customer_id", "customer_name", "agreed"], sort=False))
    return Report("Payment plans", _subtitle("Each customer's latest plan; an installment is kept when payments "
                                             "since the plan cover it by its due date plus the grace days",
                                             base_currency, as_of), columns, plans)
