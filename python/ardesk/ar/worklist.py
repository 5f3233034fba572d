"""The collector's worklist: which accounts to work today, most pressing first, and why.

An account is on it when its past due without the disputed items is above zero, or a follow-up falls due
today. Within each collector (accounts without one last) the order is:

1. a follow-up due today (the collector said they would call);
2. then by weight = past due x (1 + oldest days / 30) x (1 + broken promises + missed installments): money,
   age, and a customer who has broken promises before (ardesk.ar.notes.promises) or missed an installment of
   its payment plan (ardesk.ar.plans) move up;
3. an account whose promise to pay is still ahead and has broken no promise nor missed an installment waits
   below the others: check it on the promised date.

Disputed items leave the dunning: a past-due item in dispute (ardesk.ar.disputes.in_dispute: an open or valid
dispute names it, or it is marked Disputed on the Detail sheet) counts in `disputed_cents`, not in the past due
(nor the oldest days) that rank the account.
"""
import datetime as dt

import numpy as np
import pandas as pd

from ardesk.ar.accounts import amount_text, balance_by_customer, by_owner, delinquent, shaped
from ardesk.ar.contacts import promise_text
from ardesk.ar.notes import broken_by_customer, promises
from ardesk.frames import WORKLIST

AGE_MONTH = 30
"""Days past due that double an account's weight."""


def worklist(aged: pd.DataFrame, notes: pd.DataFrame, status: pd.DataFrame, payments: pd.DataFrame, as_of: dt.date,
             grace_days: int, disputed: np.ndarray, plans: pd.DataFrame) -> pd.DataFrame:
    """AGED + NOTES + their STATUS (ardesk.ar.contacts.latest_by_customer) + PAYMENTS -> WORKLIST; `disputed` is
    the mask of AGED rows in dispute, `plans` the customers' latest payment plans (PLAN_ROWS)."""
    late = (aged["days_past_due"] > 0).to_numpy()
    in_dunning = aged[~disputed]
    dunned = delinquent(in_dunning)[["past_due_cents", "oldest_days"]]
    table = delinquent(aged).drop(columns=list(dunned)).join(dunned)
    table["disputed_cents"] = balance_by_customer(aged, disputed & late).reindex(table.index, fill_value=0)
    status = status.set_index("customer_id")
    due_today = status.index[status["next_follow_up"] == pd.Timestamp(as_of)]
    extra = pd.Index(due_today).difference(table.index)
    table = pd.concat([table, pd.DataFrame(index=extra)]).join(status)
    who = aged.groupby("customer_id")[["customer_name", "collector"]].first()
    for column in ("customer_name", "collector"):
        table[column] = table[column].fillna(who[column].reindex(table.index)).fillna("")
    for column in ("past_due_cents", "disputed_cents", "oldest_days"):
        table[column] = table[column].fillna(0).astype(np.int64)
    table["broken_promises"] = broken_by_customer(promises(notes, payments, as_of, grace_days)).reindex(
        table.index, fill_value=0).astype(np.int64)
    missed = plans[(plans["status"] == "Missed").to_numpy()].groupby("customer_id").size()
    table["missed_installments"] = missed.reindex(table.index, fill_value=0).astype(np.int64)
    table = table[(table["past_due_cents"] > 0) | table.index.isin(due_today)]
    return shaped(_ranked(table, pd.Timestamp(as_of)), WORKLIST)


def _ranked(table: pd.DataFrame, today: pd.Timestamp) -> pd.DataFrame:
    due = (table["next_follow_up"] == today).to_numpy()
    failed = table["broken_promises"] + table["missed_installments"]
    waiting = ((table["promise_date"] > today) & (failed == 0)).to_numpy()
    weight = table["past_due_cents"] * (1 + table["oldest_days"] / AGE_MONTH) * (1 + failed)
    table = table.assign(_tier=np.where(due, 0, np.where(waiting, 2, 1)), _weight=-weight.to_numpy(),
                         past_due_cents=table["past_due_cents"]).reset_index()
    table = table.sort_values(["_tier", "_weight", "customer_id"], kind="stable")
    table["why"] = [_why(row, today) for row in table.itertuples()]
    table = by_owner(table.assign(_order=np.arange(len(table))), "collector")
    table = table.sort_values(["_unowned", "collector", "_order"], kind="stable")
    table["rank"] = table.groupby("collector", sort=False).cumcount() + 1
    return table


def _why(row, today: pd.Timestamp) -> str:
    parts = ["follow-up due today"] if row.next_follow_up == today else []
    if row.past_due_cents > 0:
        parts.append(f"{amount_text(row.past_due_cents)} past due, oldest {row.oldest_days} days")
    if row.broken_promises:
        parts.append(f"{row.broken_promises} broken promise{'s' if row.broken_promises > 1 else ''}")
    if row.missed_installments:
        parts.append(f"{row.missed_installments} missed plan installment{'s' if row.missed_installments > 1 else ''}")
    if not pd.isna(row.promise_cents) and row.promise_date > today:
        parts.append(f"promised {promise_text(row.promise_cents, row.promise_date)}")
    if row.disputed_cents:
        parts.append(f"{amount_text(row.disputed_cents)} in dispute, out of dunning")
    line = "; ".join(parts)
    return line[:1].upper() + line[1:]
