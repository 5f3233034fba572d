"""Dunning: which customers get which letter today, for how much, and who is left out and why.

Rules, fixed here so the sheet, the letters and the tests agree:
- A letter is a collection note of contact type Letter whose text starts "Dunning level N" (`letter_text`): the
  letters already sent are read from the notes, so two collectors working the same ERP see each other's, and a
  level is sent once per cycle.
- A cycle is the run of letters since the customer last had nothing past due (worked out from HISTORY: at a
  moment some document of theirs closed, none dated by then was past due and still open). A customer that is
  current gets no letter, and the next time they fall behind starts again at the first level.
- Dunned items: invoices and debit memos more than 0 days past due with a balance, not in dispute. The level is
  strictly the next one: the first letter is the first level whatever the age (a final demand follows the
  notices before it), and level N+1 goes only when the oldest dunned item is at least its `days` past due and
  its `wait` days have passed since level N's letter.
- Left out, each with its reason: every past-due item in dispute; a payment plan being kept (no installment
  missed); a promise to pay not yet due (a broken promise is no reason); an account in credit overall; the
  oldest item not yet past the next level's days; the wait since the last letter not over; every level sent.
- Interest per item: balance x annual rate / 100 / 365 x days past due, rounded half up to the cent (100.00 at
  10% for 15 days: 0.41); the level's fee once per letter. Dunning amount = interest + fee.
"""
import datetime as dt
import re
import uuid
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from ardesk.ar.accounts import DEBITS, amount_text, first_text, shaped
from ardesk.settings import DunningLevel

LETTER = "Letter"
"""The contact type of a dunning letter's note."""
_SENT = re.compile(r"^Dunning level (\d+)\b")
_NOTES = uuid.UUID("5b0f4a4e-5d3c-4c36-9a55-1f0d2f6c7e21")
"""Namespace of letter notes' IDs: one letter per customer, level and cycle, whoever sends it."""

PROPOSALS = {
    "customer_id": "string",
    "customer_name": "string",
    "collector": "string",
    "level": "int64",  # 1 = the first level of [dunning] levels
    "level_name": "string",
    "items": "int64",  # the dunned items
    "past_due_cents": "int64",  # their balance, base currency
    "oldest_days": "int64",  # days past due of the oldest
    "interest_cents": "int64",
    "fee_cents": "int64",
    "dunning_cents": "int64",  # interest + fee
    "last_level": "Int64",  # the last letter of the cycle; <NA> for none
    "last_sent": "datetime64[s]",
    "cycle_start": "datetime64[s]",  # when the cycle began: the first letter's day, or today's for a first letter
    "why": "string",  # one line: what calls for this letter
}
"""The Dunning sheet's proposals, one row per customer, most past due first."""

LEFT_OUT = {
    "customer_id": "string",
    "customer_name": "string",
    "collector": "string",
    "past_due_cents": "int64",  # every past-due debit, disputed or not
    "reason": "string",
}
"""Customers with something past due who get no letter today, each with the reason."""


def letter_text(level: int, level_name: str, past_due_cents: int, dunning_cents: int) -> str:
    """The text of a letter's note, read back by `sent`: "Dunning level 2 (Second notice): 1,234.56 past due,
    10.41 interest and fees"."""
    return (f"Dunning level {level} ({level_name}): {amount_text(past_due_cents)} past due, "
            f"{amount_text(dunning_cents)} interest and fees")


def letter_note_id(company: str, customer_id: str, level: int, cycle_start: dt.date) -> str:
    """The note ID of a letter: the same for every collector who sends this level to this customer in this cycle,
    so the ERP records it once."""
    return str(uuid.uuid5(_NOTES, f"{company}/{customer_id}/{level}/{cycle_start:%Y-%m-%d}"))


def sent(notes: pd.DataFrame) -> pd.DataFrame:
    """The letters in NOTES: customer_id, level (int) and written, oldest first."""
    level = notes["text"].astype("string").fillna("").str.extract(_SENT, expand=False).to_numpy()
    letter = (notes["contact_type"] == LETTER).to_numpy() & pd.notna(level)
    frame = pd.DataFrame({"customer_id": notes["customer_id"].to_numpy()[letter],
                          "level": level[letter].astype("int64"), "written": notes["written"].to_numpy()[letter]})
    return frame.sort_values("written", kind="stable").reset_index(drop=True)


def current_since(history: pd.DataFrame, customers, as_of: dt.date) -> pd.Series:
    """Per customer of `customers`, the last day up to `as_of` at whose end nothing of theirs was past due and open
    (NaT when HISTORY shows no such day). Only the days a document closed can end a run of being behind."""
    debits = history[history["doc_type"].isin(DEBITS).to_numpy() & history["customer_id"].isin(customers).to_numpy()]
    found = {}
    for customer, own in debits.groupby("customer_id", sort=False):
        due = own["due_date"].fillna(own["doc_date"]).to_numpy("datetime64[D]")
        closed = own["closed_date"].to_numpy("datetime64[D]")
        days = np.unique(closed[~np.isnat(closed) & (closed <= np.datetime64(as_of, "D"))])
        for day in days[::-1]:
            behind = (due < day) & (np.isnat(closed) | (closed > day))
            if not behind.any():
                found[customer] = pd.Timestamp(day)
                break
    return pd.Series(found, dtype="datetime64[s]").reindex(list(customers))


def interest_cents(balance_cents: np.ndarray, days: np.ndarray, rate: Decimal) -> int:
    """The interest on items: each balance x rate / 100 / 365 x its days, rounded half up to the cent, summed."""
    if not rate:
        return 0
    return int(sum((Decimal(int(b)) * rate * int(d) / Decimal(36_500)).quantize(Decimal(1), ROUND_HALF_UP)
                   for b, d in zip(balance_cents, days)))


def propose(aged: pd.DataFrame, held: pd.Series, notes: pd.DataFrame, history: pd.DataFrame, plans: pd.DataFrame,
            status: pd.DataFrame, as_of: dt.date, levels: tuple[DunningLevel, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(PROPOSALS, LEFT_OUT) from AGED, `held` (ardesk.ar.disputes.in_dispute, per AGED row), NOTES, HISTORY,
    PLAN_ROWS and ardesk.ar.contacts.latest_by_customer's STATUS."""
    today = pd.Timestamp(as_of)
    debit = aged["doc_type"].isin(DEBITS).to_numpy() & (aged["base_balance_cents"] > 0).to_numpy()
    late = debit & (aged["days_past_due"] > 0).to_numpy()
    dunned = late & (held == "").to_numpy()
    customers = sorted(set(aged.loc[late, "customer_id"]))
    who = first_text(aged, ("customer_name", "collector"))
    balance = aged["base_balance_cents"].groupby(aged["customer_id"]).sum()
    letters = sent(notes)
    reset = current_since(history, customers, as_of)
    kept = _plans_kept(plans)
    promised = status.set_index("customer_id")
    proposals, left = [], []
    for customer in customers:
        own = aged[(aged["customer_id"] == customer).to_numpy() & dunned]
        past_due = int(aged.loc[(aged["customer_id"] == customer).to_numpy() & late, "base_balance_cents"].sum())
        name, collector = who.loc[customer]

        def leave(reason: str) -> None:
            left.append((customer, name, collector, past_due, reason))

        if own.empty:
            leave("every past-due item is in dispute")
            continue
        if balance[customer] <= 0:
            leave(f"the account is in credit overall ({amount_text(int(balance[customer]))})")
            continue
        if customer in kept:
            leave("on a payment plan that is being kept")
            continue
        if customer in promised.index and not pd.isna(promised.at[customer, "promise_cents"]):
            leave(f"promised {amount_text(int(promised.at[customer, 'promise_cents']))} by "
                  f"{promised.at[customer, 'promise_date']:%Y-%m-%d}")
            continue
        cycle = letters[(letters["customer_id"] == customer).to_numpy()]
        if not pd.isna(reset[customer]):
            cycle = cycle[(cycle["written"] > reset[customer]).to_numpy()]
        done = int(cycle["level"].max()) if len(cycle) else 0
        last_sent = cycle.loc[cycle["level"] == done, "written"].max() if done else pd.NaT
        oldest = int(own["days_past_due"].max())
        if done >= len(levels):
            leave(f"every level has been sent ({levels[-1].name} on {last_sent:%Y-%m-%d}): escalate")
            continue
        level = levels[done]
        if oldest < level.days:
            leave(f"oldest item {oldest} days past due: {level.name} goes at {level.days}")
            continue
        if done and (today.normalize() - last_sent.normalize()).days < level.wait:
            ready = last_sent.normalize() + pd.Timedelta(days=level.wait)
            leave(f"{levels[done - 1].name} sent {last_sent:%Y-%m-%d}: {level.name} may go from {ready:%Y-%m-%d}")
            continue
        cents = own["base_balance_cents"].to_numpy()
        interest = interest_cents(cents, own["days_past_due"].to_numpy(), level.interest)
        start = cycle["written"].min() if done else today
        why = f"{amount_text(int(cents.sum()))} past due on {len(own)} item{'s' * (len(own) != 1)}, oldest {oldest} days"
        why += f"; {levels[done - 1].name} sent {last_sent:%Y-%m-%d}" if done else "; no letter this cycle"
        proposals.append((customer, name, collector, done + 1, level.name, len(own), int(cents.sum()), oldest, interest,
                          level.fee_cents, interest + level.fee_cents, done or pd.NA, last_sent, start, why))
    out = pd.DataFrame(proposals, columns=list(PROPOSALS))
    out = out.sort_values(["past_due_cents", "customer_id"], ascending=[False, True], kind="stable")
    return shaped(out, PROPOSALS), shaped(pd.DataFrame(left, columns=list(LEFT_OUT)), LEFT_OUT)


def _plans_kept(plans: pd.DataFrame) -> set[str]:
    """Customers whose latest payment plan has no missed installment and some still to come or just kept."""
    states = plans.groupby("customer_id")["status"].agg(set)
    return {customer for customer, seen in states.items() if "Missed" not in seen and "Due" in seen}
