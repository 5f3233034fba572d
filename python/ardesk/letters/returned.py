"""The returned-payment notice: the fields its template may name, and each notice's values of them.

The figures are the Returned Payments sheet's (ardesk.ar.returns.RETURN_HISTORY), in the base currency: what came
back, what its invoices still owe, the fee proposed, and the total due = still owed + fee. The addressee, dates and
text from the ERP are as on every letter (ardesk.letters.addressee).
"""
import datetime as dt

import pandas as pd

from ardesk.ar.accounts import amount_text
from ardesk.letters.addressee import ADDRESSEE, addressee, day, line
from ardesk.letters.template import Fields

FIELDS = Fields(
    kind="returned-payment notice",
    values=ADDRESSEE | {"as_of", "currency", "receipt", "check_ref", "received_on", "returned_on", "reason", "amount",
                        "open_amount", "fee", "total_due", "returns", "months", "cash_in_advance"},
    rows={"remit_to": frozenset(), "address": frozenset(),
          "items": frozenset({"doc_no", "doc_date", "due_date", "balance"})},
)
"""Every field a returned-payment notice's template may name (docs/collector.md lists them)."""


def context(returned: dict, items: pd.DataFrame, months: int, contact: dict, remit_to: tuple[str, ...],
            currency: str, as_of: dt.date) -> dict:
    """The notice's value of every field of FIELDS. `returned` is its RETURN_HISTORY row, `items` the AGED rows of
    the invoices it had paid that are open (oldest first), `contact` its customer's CONTACTS row ({} for none)."""
    open_cents = int(returned["open_cents"])
    return {
        "as_of": as_of.isoformat(),
        **addressee(returned["customer_id"], returned["customer_name"], contact, remit_to),
        "currency": currency,
        "receipt": line(returned["receipt"]),
        "check_ref": line(returned["check_ref"]),
        "received_on": day(returned["received_on"]),
        "returned_on": day(returned["returned_on"]),
        "reason": line(returned["reason"]),
        "amount": amount_text(int(returned["amount_cents"])),
        "open_amount": amount_text(open_cents),
        "fee": amount_text(int(returned["fee_cents"])),
        "total_due": amount_text(open_cents + int(returned["fee_cents"])),
        "returns": str(int(returned["returns"])),
        "months": str(months),
        "cash_in_advance": "yes" if returned["cash_in_advance"] else "",
        "items": [{"doc_no": line(doc_no), "doc_date": day(doc_date), "due_date": day(due_date),
                   "balance": amount_text(balance)}
                  for doc_no, doc_date, due_date, balance in zip(items["doc_no"], items["doc_date"], items["due_date"],
                                                                 items["base_balance_cents"].tolist())],
    }
