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


def current_since(history: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Per customer_id, the last day up to `as_of` at whose end nothing of theirs was past due and open (absent
    when HISTORY shows no such day). A debit is behind from the day after its due date until the day it closed;
    only a day one closed can end a run of being behind, so only those days are looked at."""
    debits = history[history["doc_type"].isin(DEBITS).to_numpy()]
    behind_from = debits["due_date"].fillna(debits["doc_date"]).to_numpy("datetime64[D]") + np.timedelta64(1, "D")
    closed = debits["closed_date"].to_numpy("datetime64[D]")
    ends = ~np.isnat(closed) & (closed >= behind_from)
    customer = debits["customer_id"].to_numpy(object)
    events = pd.DataFrame({
        "customer_id": np.concatenate([customer, customer[ends]]),
        "day": np.concatenate([behind_from, closed[ends]]),
        "change": np.concatenate([np.ones(len(customer), np.int64), -np.ones(int(ends.sum()), np.int64)]),
        "closing": np.concatenate([np.zeros(len(customer), bool), np.ones(int(ends.sum()), bool)]),
    })
    daily = events.groupby(["customer_id", "day"], sort=True).agg(change=("change", "sum"), closing=("closing", "any"))
    behind = daily["change"].groupby(level="customer_id").cumsum()
    clear = daily[(behind == 0).to_numpy() & daily["closing"].to_numpy()
                  & (daily.index.get_level_values("day") <= np.datetime64(as_of, "D"))]
    days = clear.reset_index().groupby("customer_id")["day"].max()
    return days.astype("datetime64[s]")


def item_interest_cents(balance_cents: np.ndarray, days: np.ndarray, rate: Decimal) -> list[int]:
    """The interest on each item: its balance x rate / 100 / 365 x its days, rounded half up to the cent."""
    if not rate:
        return [0] * len(balance_cents)
    return [int((Decimal(int(b)) * rate * int(d) / Decimal(36_500)).quantize(Decimal(1), ROUND_HALF_UP))
            for b, d in zip(balance_cents, days)]


def interest_cents(balance_cents: np.ndarray, days: np.ndarray, rate: Decimal) -> int:
    """The interest on items: each item's (item_interest_cents), summed."""
    return sum(item_interest_cents(balance_cents, days, rate))


def dunned(aged: pd.DataFrame, held: pd.Series) -> np.ndarray:
    """Per AGED row, whether a letter dunns it: a debit more than 0 days past due with a balance, not in dispute
    (`held`, ardesk.ar.disputes.in_dispute, "" for none)."""
    return _late(aged) & (held == "").to_numpy()


def _late(aged: pd.DataFrame) -> np.ndarray:
    return (aged["doc_type"].isin(DEBITS).to_numpy() & (aged["base_balance_cents"].to_numpy(np.int64) > 0)
            & (aged["days_past_due"].to_numpy(np.int64) > 0))


def propose(aged: pd.DataFrame, held: pd.Series, notes: pd.DataFrame, history: pd.DataFrame, plans: pd.DataFrame,
            status: pd.DataFrame, as_of: dt.date,
            levels: tuple[DunningLevel, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(PROPOSALS, LEFT_OUT) from AGED, `held` (ardesk.ar.disputes.in_dispute, per AGED row), NOTES, HISTORY,
    PLAN_ROWS and ardesk.ar.contacts.latest_by_customer's STATUS. The figures are worked out per customer with
    whole-column operations; only the sentences are written one customer at a time."""
    today = pd.Timestamp(as_of)
    balance = aged["base_balance_cents"].to_numpy(np.int64)
    days = aged["days_past_due"].to_numpy(np.int64)
    late = _late(aged)
    chased = dunned(aged, held)
    customer = aged["customer_id"].to_numpy(object)
    per = pd.DataFrame({"customer_id": customer, "past_due": np.where(late, balance, 0),
                        "dunned": np.where(chased, balance, 0), "items": chased.astype(np.int64),
                        "oldest": np.where(chased, days, 0), "balance": balance})
    per = per.groupby("customer_id", sort=True).sum(numeric_only=True).assign(
        oldest=per.groupby("customer_id", sort=True)["oldest"].max())
    per = per[per["past_due"] > 0]
    items = pd.Series(np.flatnonzero(chased)).groupby(customer[chased]).indices
    rows = np.flatnonzero(chased)
    cycle = _cycles(sent(notes), current_since(history, as_of))
    who = first_text(aged, ("customer_name", "collector"))
    names, collectors = who["customer_name"].to_dict(), who["collector"].to_dict()
    kept = plans_kept(plans)
    promised = status.dropna(subset=["promise_cents"]).set_index("customer_id")
    proposals, left = [], []
    for c in per.itertuples():
        name, collector = names[c.Index], collectors[c.Index]
        done, last_sent, start = cycle.get(c.Index, (0, pd.NaT, pd.NaT))
        reason = None
        if not c.items:
            reason = "every past-due item is in dispute"
        elif c.balance <= 0:
            reason = f"the account is in credit overall ({amount_text(int(c.balance))})"
        elif c.Index in kept:
            reason = "on a payment plan that is being kept"
        elif c.Index in promised.index:
            reason = (f"promised {amount_text(int(promised.at[c.Index, 'promise_cents']))} by "
                      f"{promised.at[c.Index, 'promise_date']:%Y-%m-%d}")
        elif done >= len(levels):
            reason = f"every level has been sent ({levels[-1].name} on {last_sent:%Y-%m-%d}): escalate"
        elif c.oldest < levels[done].days:
            reason = f"oldest item {c.oldest} days past due: {levels[done].name} goes at {levels[done].days}"
        elif done and (today.normalize() - last_sent.normalize()).days < levels[done].wait:
            ready = last_sent.normalize() + pd.Timedelta(days=levels[done].wait)
            reason = (f"{levels[done - 1].name} sent {last_sent:%Y-%m-%d}: {levels[done].name} may go from "
                      f"{ready:%Y-%m-%d}")
        if reason:
            left.append((c.Index, name, collector, c.past_due, reason))
            continue
        level = levels[done]
        own = rows[items[c.Index]]
        interest = interest_cents(balance[own], days[own], level.interest)
        why = (f"{amount_text(int(c.dunned))} past due on {c.items} item{'s' * (c.items != 1)}, oldest {c.oldest} days"
               + (f"; {levels[done - 1].name} sent {last_sent:%Y-%m-%d}" if done else "; no letter this cycle"))
        proposals.append((c.Index, name, collector, done + 1, level.name, c.items, c.dunned, c.oldest, interest,
                          level.fee_cents, interest + level.fee_cents, done or pd.NA, last_sent,
                          start if done else today, why))
    out = pd.DataFrame(proposals, columns=list(PROPOSALS))
    out = out.sort_values(["past_due_cents", "customer_id"], ascending=[False, True], kind="stable")
    return shaped(out, PROPOSALS), shaped(pd.DataFrame(left, columns=list(LEFT_OUT)), LEFT_OUT)


def _cycles(letters: pd.DataFrame, reset: pd.Series) -> dict[str, tuple[int, pd.Timestamp, pd.Timestamp]]:
    """Per customer with letters in the current cycle (those written after the day in `reset`, or all): the
    highest level sent, when it was sent, and when the cycle's first letter was."""
    since = reset.reindex(letters["customer_id"].to_numpy(object)).to_numpy("datetime64[s]")
    current = letters[np.isnat(since) | (letters["written"].to_numpy("datetime64[s]") > since)]
    found = {}
    for customer, own in current.groupby("customer_id", sort=False):
        top = int(own["level"].max())
        found[customer] = (top, own.loc[own["level"] == top, "written"].max(), own["written"].min())
    return found


def plans_kept(plans: pd.DataFrame) -> set[str]:
    """Customers whose latest payment plan has no missed installment and some still to come or just kept."""
    states = plans.groupby("customer_id")["status"].agg(set)
    return {customer for customer, seen in states.items() if "Missed" not in seen and "Due" in seen}
