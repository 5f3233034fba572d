"""The collector's worklist: the accounts to work today, in the order a contact today is worth most, and why.

An account is on it when its past due without the disputed items is above zero, or a follow-up falls due today.
Each collector's accounts (accounts without one last) come in three runs, ranked 1, 2, ... through all three:

1. a follow-up due today: the collector said they would call;
2. the accounts to work, by what a contact today is worth:
       at risk x (1 + oldest days / 30) x (1 + days late / 30) x (1 + broken promises + missed installments)
   - at risk: the past due that no promise or payment plan covers. A promise or plan covers its own amount, not
     the account: a 551.90 promise leaves the rest of a 151,000.00 past due at risk;
   - oldest days: the age of the oldest past-due item left uncovered (coverage takes the oldest items first,
     as a customer's payment is usually applied);
   - days late: how late the customer pays, the amount-weighted mean of (closed - due) over its invoices and
     debit memos closed in the history read (`days_late`); 0 when it pays on time or there is no history;
   - broken promises (ardesk.ar.notes.promises) and missed installments of its latest plan (ardesk.ar.plans).
   Every 30 days of age, or of habitual lateness, adds the amount at risk once more; every broken word too;
3. parked accounts, soonest back first: nothing is due from the collector before a date.

Coverage: a promise still Pending covers what is left to pay of it; the latest payment plan, while none of its
installments is missed, covers what is left of its installments. A note that records a plan counts as the
plan, not as a promise of the plan's whole amount, and its follow-up (the first installment's day) parks nothing:
the plan covers what it covers.

Parking: a follow-up date after today parks the account until that date, unless something happened after the
day of the note that set it: a promise broken or a plan installment missed since (its last day with the grace
days ended), an item fallen past due since (due on or after that day), or a payment returned since (a negative
receipt, which is how the ERP records a reversed, bounced receipt; the invoice it had paid opens again). A
past due covered in full parks the account until the first day a covering promise or installment falls due.
Parked accounts stay on the list, last and marked, so that the list still holds every past-due account.

Accounts placed with a collection agency or an attorney (ardesk.ar.escalation) leave the list from then on.

Disputed items leave the dunning: a past-due item in dispute (ardesk.ar.disputes.in_dispute: an open or valid
dispute names it, or it is marked Disputed on the Detail sheet) counts in `disputed_cents`, not in the past due
(nor the oldest days) that rank the account.
"""
import datetime as dt

import numpy as np
import pandas as pd

from ardesk.ar.accounts import DEBITS, amount_text, balance_by_customer, by_owner, debts, delinquent, shaped
from ardesk.ar.escalation import still_worked
from ardesk.ar.notes import broken_by_customer, day_text, promises
from ardesk.ar.plans import records_plan
from ardesk.frames import WORKLIST

AGE_MONTH = 30
"""Days past due, or days the customer pays late on average, that add the amount at risk once more."""

EVENTS = {"broken_since": ("promise", "broken"), "missed_since": ("installment", "missed"),
          "fallen_since": ("item", "fallen past due"), "returned_since": ("payment", "returned")}
"""What ends a follow-up's parking when it happens after the note that set it: column -> (what, what befell it)."""

_ONE_DAY = pd.Timedelta(days=1)
_SAID = ("next_follow_up", "parked_until", "set_on", *EVENTS, "past_due_cents", "at_risk_cents", "oldest_days",
         "uncovered_days", "days_late", "broken_promises", "missed_installments", "disputed_cents", "promises",
         "promised_left", "promise_due", "planned_left", "next_installment")
"""The columns a row's reason reads."""


def worklist(aged: pd.DataFrame, notes: pd.DataFrame, status: pd.DataFrame, payments: pd.DataFrame,
             history: pd.DataFrame, as_of: dt.date, grace_days: int, disputed: np.ndarray,
             plans: pd.DataFrame) -> pd.DataFrame:
    """AGED + NOTES + their STATUS (ardesk.ar.contacts.latest_by_customer) + PAYMENTS + HISTORY -> WORKLIST;
    `disputed` is the mask of AGED rows in dispute, `plans` the customers' latest payment plans (PLAN_ROWS)."""
    today = pd.Timestamp(as_of)
    late = (aged["days_past_due"] > 0).to_numpy()
    in_dunning = aged[~disputed]
    dunned = delinquent(in_dunning)[["past_due_cents", "oldest_days"]]
    table = delinquent(aged).drop(columns=list(dunned)).join(dunned)
    table["disputed_cents"] = balance_by_customer(aged, disputed & late).reindex(table.index, fill_value=0)
    status = status.set_index("customer_id")
    due_today = status.index[status["next_follow_up"] == today]
    extra = pd.Index(due_today).difference(table.index)
    table = pd.concat([table, pd.DataFrame(index=extra)]).join(status)
    who = aged.groupby("customer_id")[["customer_name", "collector"]].first()
    for column in ("customer_name", "collector"):
        table[column] = table[column].fillna(who[column].reindex(table.index)).fillna("")
    for column in ("past_due_cents", "disputed_cents", "oldest_days"):
        table[column] = table[column].fillna(0).astype(np.int64)
    own = notes[~records_plan(notes)]
    promised = promises(own, payments, as_of, grace_days)
    missed = plans[(plans["status"] == "Missed").to_numpy()]
    table["broken_promises"] = _count(broken_by_customer(promised), table.index)
    table["missed_installments"] = _count(missed.groupby("customer_id").size(), table.index)
    table = table.join(_coverage(promised, plans, missed))
    table[["promised_left", "planned_left", "promises"]] = table[["promised_left", "planned_left", "promises"]
                                                                 ].fillna(0).astype(np.int64)
    covered = table["promised_left"] + table["planned_left"]
    table["at_risk_cents"] = (table["past_due_cents"] - covered).clip(lower=0)
    table["uncovered_days"] = _oldest_uncovered(in_dunning, covered).reindex(table.index, fill_value=0)
    table["days_late"] = _count(days_late(history), table.index)
    set_on = _set_on(own, status, today)
    table["set_on"] = set_on.reindex(table.index)
    events = _events_since(set_on, promised, missed, in_dunning, payments, grace_days)
    table[list(EVENTS)] = events.reindex(table.index, fill_value=0)
    table = table[((table["past_due_cents"] > 0) | table.index.isin(due_today)) & still_worked(table.index, notes)]
    return shaped(_ranked(table, today), WORKLIST)


def days_late(history: pd.DataFrame) -> pd.Series:
    """int64 days per customer_id: how late it pays, the amount-weighted mean of (closed - due) over its debts
    closed in HISTORY, rounded, 0 when it pays on time on average (customers with no closed debt are left out)."""
    paid = history[history["doc_type"].isin(DEBITS).to_numpy() & (history["base_amount_cents"] > 0).to_numpy()
                   & history["closed_date"].notna().to_numpy() & history["due_date"].notna().to_numpy()]
    days = (paid["closed_date"] - paid["due_date"]).dt.days.to_numpy(np.int64)
    amount = paid["base_amount_cents"].to_numpy(np.int64)
    sums = pd.DataFrame({"weighted": days * amount, "amount": amount}).groupby(paid["customer_id"].to_numpy()).sum()
    return (sums["weighted"] / sums["amount"]).round().clip(lower=0).astype(np.int64)


def _count(values: pd.Series, index: pd.Index) -> np.ndarray:
    return values.reindex(index, fill_value=0).astype(np.int64).to_numpy()


def _coverage(promised: pd.DataFrame, plans: pd.DataFrame, missed: pd.DataFrame) -> pd.DataFrame:
    """Per customer: promised_left (what is left of its Pending promises), promises (how many), promise_due (the
    first one's date), planned_left (what is left of its latest plan's installments while none is missed),
    next_installment, and covered_until (the first of those dates)."""
    pending = promised[(promised["status"] == "Pending").to_numpy()]
    by = pending.groupby("customer_id")
    frame = pd.DataFrame({"promised_left": (pending["promise_cents"] - pending["paid_cents"]).groupby(
        pending["customer_id"]).sum(), "promises": by.size(), "promise_due": by["promise_date"].min()})
    kept = plans[~plans["customer_id"].isin(set(missed["customer_id"])).to_numpy()
                 & (plans["status"] == "Due").to_numpy()]
    left = (kept["amount_cents"] - kept["paid_cents"]).groupby(kept["customer_id"]).sum().rename("planned_left")
    frame = frame.join(left, how="outer").join(kept.groupby("customer_id")["due_date"].min().rename(
        "next_installment"), how="outer")
    frame["covered_until"] = frame[["promise_due", "next_installment"]].min(axis=1)
    return frame


def _oldest_uncovered(items: pd.DataFrame, covered: pd.Series) -> pd.Series:
    """Per customer, the days past due of its oldest past-due debt that `covered` (cents per customer, taking
    the oldest debts first) does not pay off; customers covered in full are left out."""
    days = items["days_past_due"].to_numpy()
    rows = items.loc[debts(items, days, 0), ["customer_id", "days_past_due", "base_balance_cents"]]
    rows = rows.sort_values(["customer_id", "days_past_due"], ascending=[True, False], kind="stable")
    reach = rows.groupby("customer_id")["base_balance_cents"].cumsum().to_numpy()
    left = reach > covered.reindex(rows["customer_id"], fill_value=0).to_numpy()
    return rows[left].groupby("customer_id")["days_past_due"].first().astype(np.int64)


def _set_on(notes: pd.DataFrame, status: pd.DataFrame, today: pd.Timestamp) -> pd.Series:
    """Per customer whose next follow-up is after today, the day of the latest note setting that follow-up
    (1900-01-01 for an undated note: anything that happened counts as after it)."""
    ahead = status["next_follow_up"][status["next_follow_up"] > today]
    setting = notes[["customer_id", "written", "follow_up"]].merge(
        ahead.rename("next").rename_axis("customer_id").reset_index(), on="customer_id")
    setting = setting[(setting["follow_up"] == setting["next"]).to_numpy()]
    day = setting["written"].dt.normalize().fillna(pd.Timestamp("1900-01-01"))
    return day.groupby(setting["customer_id"].to_numpy()).max()


def _events_since(set_on: pd.Series, promised: pd.DataFrame, missed: pd.DataFrame, items: pd.DataFrame,
                  payments: pd.DataFrame, grace_days: int) -> pd.DataFrame:
    """Per customer of `set_on`, how many of each of EVENTS happened after its day: the first day a broken
    promise, a missed installment, a past-due item or a returned payment was so."""
    broken = promised[(promised["status"] == "Broken").to_numpy()]
    debt = debts(items, items["days_past_due"], 0)
    returned = payments[(payments["amount_cents"] < 0).to_numpy()]
    happened = (
        (broken["customer_id"], broken["due_by"] + _ONE_DAY),
        (missed["customer_id"], missed["due_date"] + pd.Timedelta(days=grace_days) + _ONE_DAY),
        (items["customer_id"][debt], items["due_date"][debt] + _ONE_DAY),
        (returned["customer_id"], returned["paid"].dt.normalize()),
    )
    counts = {}
    for name, (who, day) in zip(EVENTS, happened):
        after = (day.to_numpy() > set_on.reindex(who).to_numpy())
        counts[name] = pd.Series(after).groupby(who.to_numpy()).sum()
    return pd.DataFrame(counts).reindex(set_on.index).fillna(0).astype(np.int64)


def _ranked(table: pd.DataFrame, today: pd.Timestamp) -> pd.DataFrame:
    """The rows in the module's three runs (a follow-up due today, to work by worth, parked by day), each with
    its reason, grouped by collector (accounts without one last) and ranked within it."""
    due = (table["next_follow_up"] == today).to_numpy()
    overtaken = table[list(EVENTS)].sum(axis=1).to_numpy() > 0
    follow_up = table["next_follow_up"].where(table["set_on"].notna().to_numpy() & ~overtaken)
    covered = table["covered_until"].where((table["at_risk_cents"] == 0).to_numpy()
                                           & (table["covered_until"] > today).to_numpy())
    parked = pd.concat([follow_up, covered], axis=1).min(axis=1).where(~due)
    failed = table["broken_promises"] + table["missed_installments"]
    weight = (table["at_risk_cents"] * (1 + table["uncovered_days"] / AGE_MONTH) * (1 + table["days_late"] / AGE_MONTH)
              * (1 + failed))
    table = table.assign(parked_until=parked, _tier=np.where(due, 0, np.where(parked.notna(), 2, 1)),
                         _weight=-weight.to_numpy()).reset_index(names="customer_id")
    table = table.sort_values(["_tier", "parked_until", "_weight", "customer_id"], kind="stable")
    table["why"] = [_why(row, today) for row in table[list(_SAID)].itertuples(index=False)]
    table = by_owner(table.assign(_order=np.arange(len(table))), "collector")
    table = table.sort_values(["_unowned", "collector", "_order"], kind="stable")
    table["rank"] = table.groupby("collector", sort=False).cumcount() + 1
    return table


def _why(row, today: pd.Timestamp) -> str:
    """The row's one line: why it is on the list at this rank, in the order the ranking weighs it."""
    parts = []
    if row.next_follow_up == today:
        parts.append("follow-up due today")
    elif not pd.isna(row.parked_until):
        parts.append(f"parked until {day_text(row.parked_until)}"
                     + (" (follow-up)" if row.parked_until == row.next_follow_up else ""))
    elif not pd.isna(row.set_on):
        happened = [f"{count} {what}{'s' if count > 1 else ''} {befell}" for (what, befell), count in
                    ((words, getattr(row, column)) for column, words in EVENTS.items()) if count]
        parts.append(f"follow-up of {day_text(row.next_follow_up)} overtaken: since the note of "
                     f"{day_text(row.set_on)}, {', '.join(happened)}")
    if row.past_due_cents > 0:
        parts.append(_money_line(row))
    if row.days_late:
        parts.append(f"pays {row.days_late} days late on average")
    if row.broken_promises:
        parts.append(f"{row.broken_promises} broken promise{'s' if row.broken_promises > 1 else ''}")
    if row.missed_installments:
        parts.append(f"{row.missed_installments} missed plan installment{'s' if row.missed_installments > 1 else ''}")
    if row.disputed_cents:
        parts.append(f"{amount_text(row.disputed_cents)} in dispute, out of dunning")
    line = "; ".join(parts)
    return line[:1].upper() + line[1:]


def _money_line(row) -> str:
    """"150,348.10 past due not covered by the promise of 551.90 by 2026-12-01, oldest 94 days"."""
    by = []
    if row.promises == 1:
        by.append(f"the promise of {amount_text(row.promised_left)} by {day_text(row.promise_due)}")
    elif row.promises:
        by.append(f"{row.promises} promises of {amount_text(row.promised_left)} from {day_text(row.promise_due)}")
    if row.planned_left:
        by.append(f"the payment plan's {amount_text(row.planned_left)} from {day_text(row.next_installment)}")
    if not by:
        return f"{amount_text(row.past_due_cents)} past due, oldest {row.oldest_days} days"
    if row.at_risk_cents == 0:
        return f"{amount_text(row.past_due_cents)} past due, all covered by {' and '.join(by)}"
    return (f"{amount_text(row.at_risk_cents)} of {amount_text(row.past_due_cents)} past due not covered by "
            f"{' and '.join(by)}, oldest {row.uncovered_days} days")
