"""The weekly Past-Due Meeting: per collector, each delinquent account and where it stands.

Accounts as on the hit list (past-due balance above zero); rows by collector (accounts without one last), then
past due descending. The status reads the account's notes (ardesk.ar.contacts): last contact, the open
promise, the next step ("Follow up 2026-12-01: " + the latest note's beginning, or "No contact logged"); and
its open disputes from the dispute log (ardesk.ar.disputes: "Pricing 1,234.00").
"""
import pandas as pd

from ardesk.ar.accounts import among, by_owner, delinquent, shaped
from ardesk.ar.contacts import clip
from ardesk.frames import MEETING

NO_CONTACT = "No contact logged"
STEP_CHARS = 80
"""How much of the latest note the next step quotes: a meeting agenda line, not the whole note."""


def meeting(aged: pd.DataFrame, status: pd.DataFrame, disputes: pd.Series) -> pd.DataFrame:
    """AGED + STATUS (ardesk.ar.contacts.latest_by_customer) -> MEETING; `disputes` says each customer's open
    disputes ("Pricing 1,234.00", ardesk.ar.disputes.by_customer)."""
    table = delinquent(aged)
    status = status.set_index("customer_id")
    table = table.join(status).reset_index()
    table["dispute"] = disputes.reindex(table["customer_id"]).fillna("").to_numpy()
    noted = among(table["customer_id"], status.index)
    table["next_step"] = [_next_step(*row) for row in zip(noted, table["next_follow_up"], table["last_note"])]
    table["last_outcome"] = table["last_outcome"].fillna("")
    return shaped(by_owner(table, "collector"), MEETING)


def _next_step(noted: bool, follow_up, note) -> str:
    if not noted:
        return NO_CONTACT
    step = "" if pd.isna(follow_up) else f"Follow up {follow_up:%Y-%m-%d}"
    return ": ".join(part for part in (step, clip(note, STEP_CHARS)) if part)
