"""Everything one aging workbook shows, computed before a byte is written."""
from dataclasses import dataclass

import pandas as pd

from ardesk.ar.summary import Summary
from ardesk.book.userdata import Typed


@dataclass(frozen=True)
class Contents:
    aged: pd.DataFrame
    """AGED: the Detail rows and the pivots' source."""
    item_notes: pd.DataFrame
    """ITEM_NOTES, aligned with `aged`."""
    summary: Summary
    exceptions: pd.DataFrame
    """EXCEPTIONS."""
    credit_hold: pd.DataFrame
    """CREDIT_HOLD."""
    hit_list: pd.DataFrame
    """HIT_LIST (bucket columns named by label)."""
    meeting: pd.DataFrame
    """MEETING."""
    worklist: pd.DataFrame
    """WORKLIST."""
    in_dispute: pd.Series
    """Aligned with `aged`: the reasons of the disputes keeping each item out of the dunning, "" for none."""
    disputes: pd.DataFrame
    """DISPUTES: the dispute log (what was typed about each is in typed.disputes)."""
    plans: pd.DataFrame
    """PLAN_ROWS: each customer's latest payment plan, installment by installment."""
    notes: pd.DataFrame
    """CAPTURED_NOTES the reports counted (the ERP's and those typed into the workbook), kept for the worksheet
    functions' snapshot."""
    typed: Typed
    """What people typed, carried over from the workbook being refreshed (or nothing, on a first build)."""
    customer_ids: tuple[str, ...]
    """Every customer of the ledger, for the Notes sheet's Customer ID dropdown."""
    erp_total_cents: int | None = None
    """The ERP's own total of the open items, for the Check sheet; None for an export file."""
    escalation: pd.DataFrame | None = None
    """ardesk.ar.escalation.CANDIDATES for the Escalation sheet (None: no Escalation sheets)."""
    placed: pd.DataFrame | None = None
    """ardesk.ar.escalation.PLACED for the Placed Accounts sheet."""
    reconcile: pd.DataFrame | None = None
    """RECONCILE_LINES for the Reconcile sheet (approvals in typed.reconcile); None: no Reconcile sheets."""
    review: pd.DataFrame | None = None
    """REVIEW: the credits the matcher left for a person, with `reconcile`."""
    returned: pd.DataFrame | None = None
    """RETURN_HISTORY for the Returned Payments sheet; None: no such sheet."""
    returned_months: int = 12
    """The window of `returned`, in months."""
    credit_review: pd.DataFrame | None = None
    """CREDIT_REVIEW for the Credit Review sheet (what was typed there is in typed.credit_review); None: no sheet."""
