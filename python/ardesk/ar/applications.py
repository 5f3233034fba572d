"""What an accountant approves on the Reconcile sheet: the matcher's applications, write-offs and short pays as
one list of lines, and which of them start approved.

Only applications at high confidence start approved. Write-offs (they cost money) and short pays (deductions
to investigate) always wait for a person, whatever the confidence of the application beside them. Before
approved lines are written to the ERP they are checked against today's open items: a credit or invoice that
changed since the proposal is reported, not applied.
"""
import hashlib

import pandas as pd

from ardesk.ar.accounts import amount_text, shaped
from ardesk.ar.matching import HIGH, Matches
from ardesk.frames import RECONCILE_LINES

APPLY, WRITE_OFF, SHORT_PAY = "Apply", "Write off", "Short pay"
KINDS = (APPLY, WRITE_OFF, SHORT_PAY)


def lines(matches: Matches) -> pd.DataFrame:
    """RECONCILE_LINES: each credit's applications, then its write-offs and short pays, credits in the
    matcher's order (differences whose credit has no application last)."""
    parts = [frame.assign(kind=kind, order=range(len(frame))) for kind, frame in
             ((APPLY, matches.proposals), (WRITE_OFF, matches.write_offs), (SHORT_PAY, matches.short_pays))]
    table = pd.concat(parts, ignore_index=True)
    credit_order = {key: n for n, key in enumerate(dict.fromkeys(zip(matches.proposals["customer_id"],
                                                                     matches.proposals["credit_doc"])))}
    table["credit_rank"] = [credit_order.get(key, len(credit_order)) for key in
                            zip(table["customer_id"], table["credit_doc"])]
    table["kind_rank"] = table["kind"].map(KINDS.index)
    table = table.sort_values(["credit_rank", "kind_rank", "order"], kind="stable")
    text = [name for name, dtype in RECONCILE_LINES.items() if dtype == "string"]
    table[text] = table[text].astype("string").fillna("")
    return shaped(table, RECONCILE_LINES)


def pre_approved(table: pd.DataFrame) -> pd.Series:
    """True where a line starts approved: a high-confidence application."""
    return (table["kind"] == APPLY) & (table["confidence"] == HIGH)


def keys(table: pd.DataFrame) -> pd.Series:
    """Each line's idempotency key: the same line (customer, credit, invoice, kind, currency, amount) always gets
    the same key, so applying it twice stages it once."""
    fields = table[["customer_id", "credit_doc", "invoice_doc", "kind", "currency"]].astype(str)
    text = fields.agg("\x1f".join, axis=1) + "\x1f" + table["amount_cents"].astype(str)
    return text.map(lambda line: hashlib.sha256(line.encode("utf-8")).hexdigest()[:32]).astype("string")


def check(approved: pd.DataFrame, items: pd.DataFrame) -> pd.Series:
    """Why each approved line (RECONCILE_LINES) cannot be applied to today's open items (OPEN_ITEMS), "" when it
    can: its credit or invoice is no longer open, or the lines approved together take more than is left."""
    open_cents = dict(zip(zip(items["customer_id"], items["doc_no"]), items["balance_cents"].abs()))
    taken: dict[tuple[str, str], int] = {}
    reasons = []
    for line in approved.itertuples():
        credit, invoice = (line.customer_id, line.credit_doc), (line.invoice_customer_id, line.invoice_doc)
        sides = [(invoice, "invoice")] if line.kind != APPLY else [(credit, "credit"), (invoice, "invoice")]
        reason = ""
        for key, what in sides:
            left = open_cents.get(key, 0) - taken.get(key, 0)
            if key not in open_cents:
                reason = f"{what} {key[1]} is no longer open in the ERP (paid, applied or closed meanwhile)"
            elif line.amount_cents > left:
                reason = (f"{what} {key[1]} has {amount_text(left)} open, less than the {amount_text(line.amount_cents)} "
                          "approved")
            if reason:
                break
        if not reason:
            for key, _what in sides:
                taken[key] = taken.get(key, 0) + line.amount_cents
        reasons.append(reason)
    return pd.Series(reasons, index=approved.index, dtype="string")


def companies(lines: pd.DataFrame, items: pd.DataFrame) -> list[str]:
    """The ERP company of each line's invoice, as the open items (OPEN_ITEMS) have it; every line must be one that
    `check` let through (its invoice is open)."""
    company = dict(zip(zip(items["customer_id"], items["doc_no"]), items["company"]))
    return [company[key] for key in zip(lines["invoice_customer_id"], lines["invoice_doc"])]
