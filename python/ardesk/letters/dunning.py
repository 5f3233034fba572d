"""The dunning letter (a reminder, a second notice, a final demand): the fields its templates may name, and each
letter's values of them.

The figures are the Dunning sheet's, to the cent (ardesk.ar.dunning.PROPOSALS): the past-due balance of the dunned
items, the interest on each (ardesk.ar.dunning.item_interest_cents, whose sum is the proposal's interest), the
level's fee, and the total due = past due + dunning amount. Amounts are in the base currency, as the sheet's.
The addressee, dates and text from the ERP are as on every letter (ardesk.letters.addressee).
"""
import datetime as dt

import pandas as pd

from ardesk.ar.accounts import amount_text
from ardesk.ar.dunning import item_interest_cents
from ardesk.letters.addressee import ADDRESSEE, addressee, day, line
from ardesk.letters.statement import DOC_TYPES
from ardesk.letters.template import Fields
from ardesk.settings import DunningLevel

ITEM_FIELDS = frozenset({"doc_no", "doc_type", "doc_date", "due_date", "reference", "po_number", "balance",
                         "days_past_due", "interest"})
FIELDS = Fields(
    kind="dunning letter",
    values=ADDRESSEE | {"as_of", "currency", "level", "level_name", "past_due", "interest", "fee", "dunning_amount",
                        "total_due", "last_level_name", "last_sent"},
    rows={"remit_to": frozenset(), "address": frozenset(), "items": ITEM_FIELDS},
)
"""Every field a dunning letter's template may name (docs/collector.md lists them with what each holds)."""


def context(proposal: dict, items: pd.DataFrame, level: DunningLevel, last_level_name: str, contact: dict,
            remit_to: tuple[str, ...], currency: str, as_of: dt.date) -> dict:
    """The letter's value of every field of FIELDS. `proposal` is its PROPOSALS row, `items` the AGED rows it dunns
    (ardesk.ar.dunning.dunned) oldest first, `level` its level, `last_level_name` the name of the cycle's last
    letter ("" for none), `contact` its customer's CONTACTS row ({} for none)."""
    interest = item_interest_cents(items["base_balance_cents"].to_numpy(), items["days_past_due"].to_numpy(),
                                   level.interest)
    return {
        "as_of": as_of.isoformat(),
        **addressee(proposal["customer_id"], proposal["customer_name"], contact, remit_to),
        "currency": currency,
        "level": str(proposal["level"]),
        "level_name": proposal["level_name"],
        "past_due": amount_text(int(proposal["past_due_cents"])),
        "interest": amount_text(int(proposal["interest_cents"])),
        "fee": amount_text(int(proposal["fee_cents"])),
        "dunning_amount": amount_text(int(proposal["dunning_cents"])),
        "total_due": amount_text(int(proposal["past_due_cents"]) + int(proposal["dunning_cents"])),
        "last_level_name": last_level_name,
        "last_sent": day(proposal["last_sent"]),
        "items": [{
            "doc_no": line(doc_no), "doc_type": DOC_TYPES.get(kind, kind), "doc_date": day(doc_date),
            "due_date": day(due_date), "reference": line(reference), "po_number": line(po_number),
            "balance": amount_text(balance), "days_past_due": str(days), "interest": amount_text(cents),
        } for doc_no, kind, doc_date, due_date, reference, po_number, balance, days, cents in zip(
            items["doc_no"], items["doc_type"], items["doc_date"], items["due_date"], items["reference"],
            items["po_number"], items["base_balance_cents"].tolist(), items["days_past_due"].tolist(), interest)],
    }
