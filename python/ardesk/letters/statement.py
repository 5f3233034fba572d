"""The statement of account as a letter: the fields its template may name, and each statement's values of them.

Values are text as the letter shows them: amounts exact to the cent with thousands separators (from integer
cents, never a float); the addressee, dates and text from the ERP as every letter has them
(ardesk.letters.addressee).
"""
import datetime as dt

from ardesk.ar.accounts import amount_text
from ardesk.ar.statements import Statement
from ardesk.letters.addressee import ADDRESSEE, addressee, day, line
from ardesk.letters.template import Fields

ITEM_FIELDS = frozenset({"doc_no", "doc_type", "doc_date", "due_date", "reference", "po_number", "amount", "balance",
                         "running_balance", "days_past_due"})
FIELDS = Fields(
    kind="statement",
    values=ADDRESSEE | {"as_of", "currency", "total_due", "past_due"},
    rows={"remit_to": frozenset(), "address": frozenset(), "items": ITEM_FIELDS,
          "aging": frozenset({"label", "amount"})},
)
"""Every field a statement template may name (docs/collector.md lists them with what each holds)."""

DOC_TYPES = {"INV": "Invoice", "CM": "Credit memo", "PAY": "Payment", "DM": "Debit memo"}


def context(statement: Statement, contact: dict, remit_to: tuple[str, ...], as_of: dt.date) -> dict:
    """The statement's value of every field of FIELDS; `contact` is its customer's CONTACTS row ({} for none)."""
    lines = statement.lines
    return {
        "as_of": as_of.isoformat(),
        **addressee(statement.customer_id, statement.customer_name, contact, remit_to),
        "currency": statement.currency,
        "items": [{
            "doc_no": doc_no, "doc_type": DOC_TYPES.get(kind, kind), "doc_date": day(doc_date),
            "due_date": day(due_date), "reference": line(reference), "po_number": line(po_number),
            "amount": amount_text(amount), "balance": amount_text(balance), "running_balance": amount_text(running),
            "days_past_due": str(days) if days > 0 else "",
        } for doc_no, kind, doc_date, due_date, reference, po_number, amount, balance, running, days in zip(
            lines["doc_no"], lines["doc_type"], lines["doc_date"], lines["due_date"], lines["reference"],
            lines["po_number"], lines["amount_cents"].tolist(), lines["balance_cents"].tolist(),
            lines["running_cents"].tolist(), lines["days_past_due"].tolist())],
        "aging": [{"label": label, "amount": amount_text(cents)} for label, cents in statement.aging],
        "total_due": amount_text(statement.total_cents),
        "past_due": amount_text(statement.past_due_cents),
    }

