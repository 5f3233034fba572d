"""The statement of account as a letter: the fields its template may name, and each statement's values of them.

Values are text as the letter shows them: amounts exact to the cent with thousands separators (from integer
cents, never a float), dates as YYYY-MM-DD (read the same way by a customer in Chicago and one in Munich), and
text from the ERP on one line (a line break typed into an address is a space here).
"""
import datetime as dt

import pandas as pd

from ardesk.ar.accounts import amount_text
from ardesk.ar.statements import Statement
from ardesk.letters.template import Fields

ITEM_FIELDS = frozenset({"doc_no", "doc_type", "doc_date", "due_date", "reference", "po_number", "amount", "balance",
                         "running_balance", "days_past_due"})
FIELDS = Fields(
    kind="statement",
    values=frozenset({"as_of", "customer_id", "customer_name", "contact_name", "contact_phone", "contact_email",
                      "currency", "total_due", "past_due"}),
    rows={"remit_to": frozenset(), "address": frozenset(), "items": ITEM_FIELDS,
          "aging": frozenset({"label", "amount"})},
)
"""Every field a statement template may name (docs/collector.md lists them with what each holds)."""

DOC_TYPES = {"INV": "Invoice", "CM": "Credit memo", "PAY": "Payment", "DM": "Debit memo"}


def context(statement: Statement, contact: dict, remit_to: tuple[str, ...], as_of: dt.date) -> dict:
    """The statement's value of every field of FIELDS; `contact` is its customer's CONTACTS row ({} for none)."""
    lines = statement.lines
    said = {name: _line(contact.get(name, "")) for name in ("customer_name", "address", "city", "state",
                                                             "postal_code", "country", "contact_name", "phone", "email")}
    city = " ".join(part for part in (said["city"], said["state"], said["postal_code"]) if part)
    return {
        "as_of": as_of.isoformat(),
        "remit_to": [_line(line) for line in remit_to],
        "customer_id": statement.customer_id,
        "customer_name": said["customer_name"] or _line(statement.customer_name),
        "address": [line for line in (said["address"], city, said["country"]) if line],
        "contact_name": said["contact_name"],
        "contact_phone": said["phone"],
        "contact_email": said["email"],
        "currency": statement.currency,
        "items": [{
            "doc_no": doc_no, "doc_type": DOC_TYPES.get(kind, kind), "doc_date": _day(doc_date),
            "due_date": _day(due_date), "reference": _line(reference), "po_number": _line(po_number),
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


def _line(text) -> str:
    return " ".join(str(text).split())


def _day(value) -> str:
    return "" if pd.isna(value) else f"{value:%Y-%m-%d}"
