"""Payment plans: the schedule, the note that records it with the customer (and reading it back from the
ERP's copy), and each installment kept, missed or still due.

Pure: frames and dates in, frames out. A plan is recorded as one Promised note whose text holds the schedule
(`plan_text`), so it reaches the ERP like any note and comes back from it; a customer's latest plan replaces the
ones before it.
"""
import calendar
import datetime as dt
import re

import numpy as np
import pandas as pd

from ardesk.ar.accounts import amount_text, first_text, shaped
from ardesk.ar.notes import day_text
from ardesk.errors import ArdeskError
from ardesk.frames import PLAN, PLAN_ROWS, PLAN_STATUS
from ardesk.money import cents_from_decimal

_EVERY = re.compile(r"^\s*(\d+)\s*(d|day|days|w|wk|week|weeks|m|mo|month|months)\s*$", re.IGNORECASE)


def parse_every(text: str) -> tuple[int, str]:
    """"2w" -> (2, "w"), "1 month" -> (1, "m"), "14d" -> (14, "d"); ArdeskError for anything else."""
    match = _EVERY.match(str(text))
    if not match or int(match.group(1)) < 1:
        raise ArdeskError(f"The interval {text!r} is not a number of days, weeks or months: write it like 14d, 2w "
                          "or 1m.")
    return int(match.group(1)), match.group(2)[0].lower()


def _step(start: dt.date, k: int, count: int, unit: str) -> dt.date:
    """The k-th date `count` `unit`s apart from `start`; months keep the start's day, or the month's last."""
    if unit == "d":
        return start + dt.timedelta(days=k * count)
    if unit == "w":
        return start + dt.timedelta(weeks=k * count)
    months = start.month - 1 + k * count
    year, month = start.year + months // 12, months % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def payment_plan(amount_cents: int, installments: int, every: str, start: dt.date) -> pd.DataFrame:
    """PLAN: `installments` equal payments of `amount_cents` every `every` ("2w", "1m", "14d") from `start`,
    the last one taking what rounding leaves so that they add up to the cent."""
    count, unit = parse_every(every)
    if not isinstance(installments, int) or not 1 <= installments <= 600:
        raise ArdeskError(f"A payment plan of {installments!r} installments is not possible: give 1 to 600.")
    if amount_cents <= 0:
        raise ArdeskError(f"A payment plan for {amount_text(amount_cents)} is not possible: give an amount above 0.")
    each = amount_cents // installments
    if each == 0:
        raise ArdeskError(f"{amount_text(amount_cents)} in {installments} installments is less than a cent each: "
                          "give fewer installments.")
    amounts = [each] * (installments - 1) + [amount_cents - each * (installments - 1)]
    dates = [_step(start, k, count, unit) for k in range(installments)]
    return pd.DataFrame({"installment": range(1, installments + 1), "due_date": pd.to_datetime(dates),
                         "amount_cents": amounts}).astype(PLAN)


_PLAN_LINE = "Payment plan:"
_INSTALLMENT = re.compile(r"(\d{4}-\d{2}-\d{2}) (-?[\d,]+\.\d{2})")
_HEAD = re.compile(r"(\d+) installments every [^,]+, (-?[\d,]+\.\d{2}) in all:")


def plan_text(plan: pd.DataFrame, every: str) -> str:
    """The line a payment plan is recorded by in its note (and read back from with `plan_from_text`)."""
    count, unit = parse_every(every)
    name = {"d": "day", "w": "week", "m": "month"}[unit]
    interval = f"{count} {name}s" if count > 1 else name
    total = int(plan["amount_cents"].sum())
    schedule = "; ".join(f"{day_text(d)} {amount_text(a)}" for d, a in zip(plan["due_date"], plan["amount_cents"]))
    return f"{_PLAN_LINE} {len(plan)} installments every {interval}, {amount_text(total)} in all: {schedule}."


def plan_from_text(text: str) -> pd.DataFrame | None:
    """The PLAN a note's text records (see `plan_text`), or None when it records none, or only part of one (the
    ERP's copy of a note with a long schedule is cut short on reading): never a plan missing installments."""
    at = text.find(_PLAN_LINE)
    if at < 0:
        return None
    line = text[at:].split("\n", 1)[0]
    head, found = _HEAD.search(line), _INSTALLMENT.findall(line[line.find(" in all:") + 1:])
    if not head or not found:
        return None
    amounts = [cents_from_decimal(amount.replace(",", "")) for _, amount in found]
    if len(found) != int(head.group(1)) or sum(amounts) != cents_from_decimal(head.group(2).replace(",", "")):
        return None
    return pd.DataFrame({
        "installment": range(1, len(found) + 1),
        "due_date": pd.to_datetime([day for day, _ in found]),
        "amount_cents": amounts,
    }).astype(PLAN)


def plan_note(customer_id: str, plan: pd.DataFrame, every: str, *, written: dt.datetime, author: str,
              contact_type: str = "Call", contact_person: str = "", text: str = "") -> pd.DataFrame:
    """The note that records a payment plan (NOTES columns, one row): outcome Promised, the whole amount
    promised by the last installment's date, the schedule in its text."""
    line = plan_text(plan, every)
    return pd.DataFrame({
        "customer_id": [customer_id], "doc_no": [""], "written": [pd.Timestamp(written)],
        "contact_type": [contact_type], "contact_person": [contact_person], "outcome": ["Promised"],
        "promise_cents": [int(plan["amount_cents"].sum())], "promise_date": [plan["due_date"].iat[-1]],
        "dispute_reason": [""], "dispute_cents": [pd.NA], "follow_up": [plan["due_date"].iat[0]],
        "text": [f"{text}\n{line}" if text else line], "author": [author], "source": ["Plan"],
    }).astype({"written": "datetime64[s]", "promise_cents": "Int64", "promise_date": "datetime64[s]",
               "dispute_cents": "Int64", "follow_up": "datetime64[s]"})


def plan_status(plan: pd.DataFrame, payments: pd.DataFrame, customer_id: str, since: dt.date, as_of: dt.date,
                grace_days: int) -> pd.DataFrame:
    """PLAN_STATUS: an installment is Kept when the customer's payments from `since` (the day the plan was
    agreed) to its due date plus the grace days cover it and every installment before it; Missed when that
    day has passed without them; Due before. paid_cents: what was paid up to `as_of`, filling the earliest
    installments first (a late payment shows on the installment it was late for)."""
    own = payments[(payments["customer_id"] == customer_id).to_numpy()]
    days = own["paid"].dt.normalize()
    amounts = own["amount_cents"].to_numpy(dtype=np.int64)
    counted = (days >= pd.Timestamp(since)).to_numpy() & (days <= pd.Timestamp(as_of)).to_numpy()
    due_by = plan["due_date"] + pd.Timedelta(days=grace_days)
    on_time = np.array([int(amounts[counted & (days <= limit).to_numpy()].sum()) for limit in due_by], dtype=np.int64)
    owed = plan["amount_cents"].cumsum().to_numpy()
    before = owed - plan["amount_cents"].to_numpy()
    paid = np.clip(int(amounts[counted].sum()) - before, 0, plan["amount_cents"].to_numpy())
    late = (due_by < pd.Timestamp(as_of)).to_numpy()
    status = np.where(on_time >= owed, "Kept", np.where(late, "Missed", "Due"))
    return shaped(plan.assign(paid_cents=paid, status=status), PLAN_STATUS)


def records_plan(notes: pd.DataFrame) -> np.ndarray:
    """Mask of the notes (NOTES) whose text records a payment plan: their promise is the plan's whole amount,
    which the plan's installments already stand for."""
    return notes["text"].astype("string").fillna("").str.contains(_PLAN_LINE, regex=False).to_numpy(dtype=bool)


def latest_plans(aged: pd.DataFrame, notes: pd.DataFrame, payments: pd.DataFrame, as_of: dt.date,
                 grace_days: int) -> pd.DataFrame:
    """PLAN_ROWS: each customer's latest payment plan recorded in `notes` (NOTES), installment by installment,
    kept, missed or due (`plan_status`, counting payments from the day it was agreed); customers by ID."""
    mentioned = notes[records_plan(notes)]
    schedules = pd.Series([plan_from_text(text) for text in mentioned["text"]], index=mentioned.index, dtype=object)
    recorded = mentioned[schedules.notna().to_numpy()]
    latest = recorded.sort_values("written", na_position="first", kind="stable").groupby("customer_id").tail(1)
    who = first_text(aged, ("customer_name", "collector"))
    parts = []
    for note in latest.sort_values("customer_id", kind="stable").itertuples():
        plan = schedules[note.Index]
        agreed = note.written if not pd.isna(note.written) else pd.Timestamp(as_of)
        status = plan_status(plan, payments, note.customer_id, agreed.date(), as_of, grace_days)
        name, collector = who.loc[note.customer_id] if note.customer_id in who.index else ("", "")
        parts.append(status.assign(customer_id=note.customer_id, customer_name=name, collector=collector,
                                   agreed=agreed))
    return shaped(pd.concat(parts) if parts else pd.DataFrame(columns=list(PLAN_ROWS)), PLAN_ROWS)
