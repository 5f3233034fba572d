"""Escalation: the accounts past what a collector's letters and calls can do, to place with a collection agency or
an attorney, with the evidence; the accounts placed, closed or written off, with what came back.

The placement rule ([escalation] settings): the oldest past-due item not in dispute is at least `days_past_due`
days past due, the final demand (the last [dunning] level, a Letter note) went at least `final_demand_days` ago,
and no promise not yet due nor a payment plan being kept protects the account. An account already placed is not
listed again.

A placement is a collection note in the ERP ("Placed with Acme Recovery (collection agency): ..."), so everyone
working the ERP sees it; from then on the account leaves the collector's worklist (ardesk.ar.worklist). Its note
ID comes from the company, the customer and whom it was placed with, so placing it twice logs it once.
"""
import datetime as dt
import re
import uuid

import numpy as np
import pandas as pd

from ardesk.ar import dunning
from ardesk.ar.accounts import amount_text, delinquent, shaped
from ardesk.ar.notes import broken_by_customer, promises
from ardesk.ar.plans import records_plan
from ardesk.settings import DunningLevel, EscalationSettings

KINDS = {"agency": "collection agency", "attorney": "attorney"}
"""Whom an account is placed with -> how the note says it."""
_PLACED = re.compile(r"^Placed with (.+) \((collection agency|attorney)\):")
_NOTES = uuid.UUID("0f6d2c3a-4b1e-4f5a-8c7d-9e2b1a3c5d70")

CANDIDATES = {
    "customer_id": "string",
    "customer_name": "string",
    "collector": "string",
    "past_due_cents": "int64",  # past due without the disputed items
    "oldest_doc": "string",
    "oldest_days": "int64",
    "final_demand": "datetime64[s]",  # when the final demand (the last dunning level) went
    "broken_promises": "int64",
    "last_contact": "datetime64[s]",  # the latest note of any kind
    "why": "string",
}
"""The accounts that meet the placement rule, most past due first."""

PLACED = {
    "customer_id": "string",
    "customer_name": "string",
    "status": "string",  # Placed (something still open), Closed (nothing open), Written off
    "placed": "datetime64[s]",  # NaT: written off without a placement
    "placed_with": "string",
    "kind": "string",  # collection agency, attorney
    "open_cents": "int64",  # what is open today
    "paid_since_cents": "int64",  # received since the placement (or the first write-off)
    "written_off_cents": "int64",
    "recovered_cents": "int64",  # write-offs put back (recoveries), a positive amount
}
"""The accounts placed or written off, by customer_id."""


def placement_text(placed_with: str, kind: str, past_due_cents: int) -> str:
    """The note's text: whom the account went to, and how much was past due then."""
    return f"Placed with {placed_with} ({KINDS[kind]}): {amount_text(past_due_cents)} past due."


def placement_note_id(company: str, customer_id: str, placed_with: str) -> str:
    """The same for everyone placing this customer with this agency or attorney: the ERP takes the note once."""
    return str(uuid.uuid5(_NOTES, f"{company}\x1f{customer_id}\x1f{' '.join(placed_with.casefold().split())}"))


def placements(notes: pd.DataFrame) -> pd.DataFrame:
    """Per customer placed (its first placement note): customer_id, placed, placed_with, kind."""
    said = notes["text"].astype("string").fillna("").str.extract(_PLACED)
    found = notes.assign(placed_with=said[0], kind=said[1])[said[0].notna().to_numpy()]
    first = found.sort_values("written", kind="stable").groupby("customer_id", sort=True).head(1)
    return pd.DataFrame({"customer_id": first["customer_id"].astype("string"),
                         "placed": first["written"].astype("datetime64[s]"),
                         "placed_with": first["placed_with"].astype("string"),
                         "kind": first["kind"].astype("string")}).sort_values("customer_id").reset_index(drop=True)


def candidates(aged: pd.DataFrame, held: pd.Series, notes: pd.DataFrame, payments: pd.DataFrame,
               plans: pd.DataFrame, status: pd.DataFrame, as_of: dt.date, rule: EscalationSettings,
               levels: tuple[DunningLevel, ...], grace_days: int) -> pd.DataFrame:
    """CANDIDATES from AGED, `held` (ardesk.ar.disputes.in_dispute per AGED row), NOTES, PAYMENTS, PLAN_ROWS and
    ardesk.ar.contacts.latest_by_customer's STATUS."""
    today = pd.Timestamp(as_of)
    table = delinquent(aged[dunning.dunned(aged, held)])
    table = table[table["oldest_days"] >= rule.days_past_due]
    letters = dunning.sent(notes)
    finals = letters[letters["level"] == len(levels)].groupby("customer_id")["written"].max()
    table = table.join(finals.rename("final_demand"), how="inner")
    table = table[(today.normalize() - table["final_demand"].dt.normalize()).dt.days >= rule.final_demand_days]
    status = status.set_index("customer_id")
    promised = set(status.index[status["promise_cents"].notna()])
    table = table[~table.index.isin(promised | dunning.plans_kept(plans) | set(placements(notes)["customer_id"]))]
    own = notes[~records_plan(notes)]
    table["broken_promises"] = broken_by_customer(promises(own, payments, as_of, grace_days)).reindex(
        table.index, fill_value=0)
    table["last_contact"] = status["last_contact"].reindex(table.index)
    table["why"] = [f"{amount_text(int(c.past_due_cents))} past due, oldest {c.oldest_days} days; "
                    f"{levels[-1].name} sent {c.final_demand:%Y-%m-%d}"
                    + (f"; {c.broken_promises} broken promise{'s' * (c.broken_promises != 1)}"
                       if c.broken_promises else "") for c in table.itertuples()]
    table = table.sort_values(["past_due_cents"], ascending=False, kind="stable").reset_index(names="customer_id")
    return shaped(table, CANDIDATES)


def placed_accounts(aged: pd.DataFrame, notes: pd.DataFrame, payments: pd.DataFrame,
                    write_offs: pd.DataFrame) -> pd.DataFrame:
    """PLACED: every account placed (NOTES) or with something written off (WRITE_OFFS), with what is open (AGED),
    paid since and recovered."""
    placed = placements(notes).set_index("customer_id")
    amount = write_offs["base_amount_cents"].to_numpy(np.int64)
    off = write_offs[amount > 0].groupby("customer_id")
    back = write_offs[amount < 0].groupby("customer_id")["base_amount_cents"].sum()
    who = pd.concat([aged[["customer_id", "customer_name"]], write_offs[["customer_id", "customer_name"]]])
    names = who.astype("string").drop_duplicates("customer_id").set_index("customer_id")["customer_name"]
    table = pd.DataFrame(index=pd.Index(sorted(set(placed.index) | set(off.groups)), name="customer_id"))
    table = table.join(placed)
    table["customer_name"] = names.reindex(table.index).fillna("")
    table["open_cents"] = aged.groupby("customer_id")["base_balance_cents"].sum().reindex(table.index, fill_value=0)
    table["written_off_cents"] = off["base_amount_cents"].sum().reindex(table.index, fill_value=0)
    table["recovered_cents"] = -back.reindex(table.index, fill_value=0)
    since = table["placed"].fillna(off["date"].min().reindex(table.index)).dt.normalize()
    paid = payments[payments["customer_id"].isin(table.index).to_numpy()]
    after = paid["paid"].to_numpy("datetime64[s]") >= since.reindex(paid["customer_id"]).to_numpy("datetime64[s]")
    table["paid_since_cents"] = paid[after].groupby("customer_id")["amount_cents"].sum().reindex(
        table.index, fill_value=0)
    closed = table["open_cents"] <= 0
    table["status"] = np.where(closed & (table["written_off_cents"] > 0), "Written off",
                               np.where(closed, "Closed", np.where(table["placed"].notna(), "Placed", "Written off")))
    table[["placed_with", "kind"]] = table[["placed_with", "kind"]].fillna("")
    return shaped(table.reset_index(), PLACED)


def still_worked(customer_ids: pd.Index, notes: pd.DataFrame) -> np.ndarray:
    """Mask of `customer_ids` still for a collector to work: those not placed with an agency or attorney."""
    return ~customer_ids.isin(set(placements(notes)["customer_id"]))
