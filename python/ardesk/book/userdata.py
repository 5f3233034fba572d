"""What people type into the workbook: the user columns, the Notes sheet, and the Archive that keeps both.

`ardesk refresh` reads these back from the workbook as Excel (or openpyxl) saved it and writes them again
beside the fresh ERP data, matched by key, so a refresh never loses a typed value. The headers here are the
contract between the writer (book.workbook) and that reader (book.carry).
"""
from dataclasses import dataclass, field

import pandas as pd

from ardesk.frames import CONTACT_TYPES, DISPUTE_REASONS, DISPUTE_STATES, OUTCOMES

TEXT, DATE, MONEY, CHOICE = "text", "date", "money", "choice"
YES_NO = ("Yes", "No")


@dataclass(frozen=True)
class UserColumn:
    header: str
    kind: str
    choices: tuple[str, ...] = ()
    """The dropdown's entries for CHOICE columns."""


DETAIL_KEY = ("Customer ID", "Document")
DETAIL_USER = (
    UserColumn("Next Action", TEXT),
    UserColumn("Comment", TEXT),
    UserColumn("Follow-up Date", DATE),
    UserColumn("Promise Amount", MONEY),
    UserColumn("Promise Date", DATE),
    UserColumn("Disputed", CHOICE, YES_NO),
    UserColumn("Approve Write-off", CHOICE, YES_NO),
)
"""Typed by collectors beside each open item, after the ERP's columns of the Detail table."""

HOLD_KEY = ("Customer ID",)
HOLD_USER = (
    UserColumn("Approve Hold", CHOICE, YES_NO),
    UserColumn("Hold Comment", TEXT),
)
"""Typed by the credit manager beside each Credit Hold row."""

CREDIT_REVIEW_SHEET = "Credit Review"
REVIEW_KEY = ("Customer ID",)
REVIEW_USER = (UserColumn("Approve", TEXT), UserColumn("Approved Limit", MONEY))
"""Typed by the credit manager beside each Credit Review row: their name ([credit] approvers) approves the limit
typed in Approved Limit, or the recommended one when that is empty; `ardesk credit limits` stages it in the ERP."""

RECONCILE_SHEET = "Reconcile"
RECONCILE_KEY = ("Customer ID", "Credit", "Invoice", "Kind")
RECONCILE_USER = (UserColumn("Approve", CHOICE, YES_NO),)
"""Typed by the accountant beside each proposed application, write-off and short pay."""

DUNNING_SHEET = "Dunning"
DUNNING_KEY = ("Customer ID", "Level")
DUNNING_USER = (UserColumn("Approve", CHOICE, YES_NO),)
"""Typed by the collector beside each proposed dunning letter: Yes sends it."""

DISPUTES_SHEET = "Disputes"
DISPUTE_KEY = ("Customer ID", "Invoice", "Reason")
DISPUTE_USER = (
    UserColumn("Dispute Status", CHOICE, DISPUTE_STATES),
    UserColumn("Resolution", TEXT),
)
"""Typed beside each dispute of the log by whoever works it: where it stands (empty reads as Open), what was done."""

ALLOWANCE_SHEET = "Allowance"
ALLOWANCE_KEY = ("Customer ID",)
ALLOWANCE_USER = (UserColumn("Specific Reserve", MONEY), UserColumn("Reserve Note", TEXT))
"""Typed by the accountant beside a customer on the Month-End workbook's Allowance sheet: a reserve judged for
that customer, replacing the matrix's, and why."""

WRITE_OFFS_SHEET = "Write-Offs"
WRITE_OFF_KEY = ("Customer ID", "Document")
WRITE_OFF_USER = (UserColumn("Approve", TEXT),)
"""Typed beside each proposed write-off of the Month-End workbook: the approver's name ([writeoffs] approvers)."""

NOTES_SHEET = "Notes"
NOTES_COLUMNS = (
    UserColumn("Customer ID", TEXT),
    UserColumn("Invoice", TEXT),
    UserColumn("Contact Type", CHOICE, CONTACT_TYPES),
    UserColumn("Contact Person", TEXT),
    UserColumn("Outcome", CHOICE, OUTCOMES),
    UserColumn("Promise Amount", MONEY),
    UserColumn("Promise Date", DATE),
    UserColumn("Dispute Reason", CHOICE, DISPUTE_REASONS),
    UserColumn("Dispute Amount", MONEY),
    UserColumn("Follow-up Date", DATE),
    UserColumn("Text", TEXT),
    UserColumn("Author", TEXT),
    UserColumn("Written", DATE),
    UserColumn("Note ID", TEXT),
    UserColumn("Status", TEXT),
)
"""The Notes input table, every row of which survives refreshes. Note ID (the note's idempotency key) and Status
(Pushed, Invalid with what to fix, Queued) are ardesk's: `ardesk notes push` fills them in."""

ARCHIVE_SHEET = "Archive"
ARCHIVE_LEAD = ("Archived On", "Sheet", "Customer ID", "Document", "Customer Name")
"""The Archive's first columns; the user columns of DETAIL_USER, HOLD_USER, DISPUTE_USER and REVIEW_USER follow
(by header, once each). A dispute's invoices are its Document."""


@dataclass(frozen=True)
class Typed:
    """Typed values carried into a new workbook. Cells hold what the reader gave (str, float, int, datetime,
    bool) or None where empty; columns are the headers above."""

    detail: pd.DataFrame
    """One row per AGED row, in the same order: DETAIL_USER headers."""
    hold: pd.DataFrame
    """One row per CREDIT_HOLD row, in the same order: HOLD_USER headers."""
    notes: pd.DataFrame
    """Every Notes row as typed: NOTES_COLUMNS headers."""
    archive: pd.DataFrame
    """Every archived row (earlier ones first): ARCHIVE_LEAD then the user headers."""
    reconcile: pd.DataFrame | None = None
    """One row per Reconcile line, in the same order: RECONCILE_USER headers; None without a Reconcile sheet."""
    disputes: pd.DataFrame = field(default_factory=lambda: blank([c.header for c in DISPUTE_USER], 0))
    """One row per dispute of the log (DISPUTES), in the same order: DISPUTE_USER headers."""
    credit_review: pd.DataFrame = field(default_factory=lambda: blank([c.header for c in REVIEW_USER], 0))
    """One row per Credit Review row (CREDIT_REVIEW), in the same order: REVIEW_USER headers."""


ARCHIVED_USER = DETAIL_USER + HOLD_USER + DISPUTE_USER + REVIEW_USER
"""The user columns whose values the Archive keeps when their row leaves the workbook."""


def archive_headers() -> tuple[str, ...]:
    return ARCHIVE_LEAD + tuple(dict.fromkeys(c.header for c in ARCHIVED_USER))


def blank(headers, rows: int) -> pd.DataFrame:
    """`rows` rows of nothing typed under `headers` (a first build, or a new item)."""
    return pd.DataFrame({h: pd.Series([None] * rows, dtype=object) for h in headers})


def nothing_typed(items: int, holds: int, lines: int | None = None, disputes: int = 0, reviews: int = 0) -> Typed:
    """A fresh workbook's Typed: empty user columns, no notes, an empty archive; `lines` Reconcile lines
    without approvals (None: no Reconcile sheet)."""
    return Typed(
        detail=blank([c.header for c in DETAIL_USER], items),
        hold=blank([c.header for c in HOLD_USER], holds),
        notes=blank([c.header for c in NOTES_COLUMNS], 0),
        archive=blank(archive_headers(), 0),
        reconcile=None if lines is None else blank([c.header for c in RECONCILE_USER], lines),
        disputes=blank([c.header for c in DISPUTE_USER], disputes),
        credit_review=blank([c.header for c in REVIEW_USER], reviews),
    )
