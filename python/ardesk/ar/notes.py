"""Collection notes before they reach the ERP, and what they promise: validation, the text a note becomes,
promises kept or broken (payment plans are ardesk.ar.plans).

Pure: frames and dates in, frames out; today is a parameter. A note is refused for one reason at a time, the
first of: customer, contact type, outcome, invoices, promise, dispute, follow-up, so the person fixing it
reads one sentence. Payments count towards promises earliest promise first, each cent once.
"""
import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from ardesk.ar.accounts import among, amount_text, shaped
from ardesk.frames import CAPTURED_NOTES, CONTACT_TYPES, DISPUTE_REASONS, OUTCOMES, PROMISES, RECORD_TYPES


def spelled(values: Iterable, choices: Iterable[str]) -> list[str]:
    """Values as text, each in the spelling of the choice it matches regardless of case and spacing
    ("left  MESSAGE" -> "Left message"); anything else stays as given, for validation to name."""
    canonical = {_fold(choice): choice for choice in choices}
    texts = ["" if v is None or v is pd.NA else str(v).strip() for v in values]
    return [canonical.get(_fold(text), text) for text in texts]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def invoices_of(doc_no: str) -> list[str]:
    """The invoice numbers a note names: "1001, 1002" -> ["1001", "1002"]; "" -> []."""
    return doc_no.replace(",", " ").replace(";", " ").split()


# --- validation ------------------------------------------------------------------------------------------

def validate(notes: pd.DataFrame, customers: pd.DataFrame, invoices: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Why each note cannot go to the ERP ("" when it can), aligned with `notes` (NOTES columns).

    `customers` holds the ERP's customer_id values, `invoices` its (customer_id, doc_no) pairs. A follow-up
    may not be before the day the note was written (as_of for a note without a date). Choices must be in
    their canonical spelling (see `spelled`).
    """
    reasons = np.full(len(notes), "", dtype=object)
    for mask, reason in reversed(list(_rules(notes.reset_index(drop=True), customers, invoices, as_of))):
        hits = np.flatnonzero(mask)
        reasons[hits] = [reason(int(i)) for i in hits]
    return pd.Series(reasons, index=notes.index, dtype="string")


def _rules(notes: pd.DataFrame, customers: pd.DataFrame, invoices: pd.DataFrame, as_of: dt.date):
    """(mask, reason(row) -> sentence) for every rule, the first rule first."""
    text = {name: notes[name].astype("string").fillna("").str.strip() for name in
            ("customer_id", "doc_no", "contact_type", "outcome", "dispute_reason")}
    customer, outcome, reason = text["customer_id"], text["outcome"], text["dispute_reason"]
    promise_cents, dispute_cents = notes["promise_cents"].astype("Int64"), notes["dispute_cents"].astype("Int64")
    has_amount, has_date = promise_cents.notna().to_numpy(), notes["promise_date"].notna().to_numpy()
    has_dispute = dispute_cents.notna().to_numpy()
    day = notes["written"].dt.normalize().fillna(pd.Timestamp(as_of))
    follow_up = notes["follow_up"]

    yield (customer == "").to_numpy(), lambda i: "The note names no customer: give the customer ID it is about."
    known = customer.isin(set(customers["customer_id"].astype("string")))
    yield ~known.to_numpy() & (customer != "").to_numpy(), \
        lambda i: f"Customer {customer.iat[i]} is not in the ERP: check the customer ID."
    yield (text["contact_type"] == "").to_numpy(), \
        lambda i: f"The note has no contact type: pick one of {', '.join(CONTACT_TYPES)}."
    yield ~text["contact_type"].isin(CONTACT_TYPES + RECORD_TYPES + ("",)).to_numpy(), \
        lambda i: f"Contact type {text['contact_type'].iat[i]!r} is not one of {', '.join(CONTACT_TYPES)}: pick one."
    yield ~outcome.isin(OUTCOMES + ("",)).to_numpy(), \
        lambda i: f"Outcome {outcome.iat[i]!r} is not one of {', '.join(OUTCOMES)}: pick one or leave it empty."
    unknown = _unknown_invoices(customer, text["doc_no"], invoices)
    yield np.array([bool(u) for u in unknown]), \
        lambda i: f"Invoice {unknown[i]} is not an invoice of customer {customer.iat[i]}: check the invoice number."
    yield has_amount & ~has_date, \
        lambda i: f"The promise of {amount_text(promise_cents.iat[i])} has no date: give the date it is promised for."
    yield has_date & ~has_amount, \
        lambda i: f"The promise for {day_text(notes['promise_date'].iat[i])} has no amount: give the promised amount."
    yield (outcome == "Promised").to_numpy() & ~has_amount & ~has_date, \
        lambda i: "The outcome is Promised but no amount or date is given: give the promised amount and date."
    yield has_amount & (promise_cents.fillna(1) <= 0).to_numpy(), \
        lambda i: f"The promised amount {amount_text(promise_cents.iat[i])} is not above 0: give the amount promised."
    yield ~reason.isin(DISPUTE_REASONS + ("",)).to_numpy(), \
        lambda i: f"Dispute reason {reason.iat[i]!r} is not one of {', '.join(DISPUTE_REASONS)}: pick one."
    yield ((outcome == "Disputed").to_numpy() | has_dispute) & (reason == "").to_numpy(), \
        lambda i: f"The dispute has no reason: pick one of {', '.join(DISPUTE_REASONS)}."
    yield has_dispute & (dispute_cents.fillna(1) <= 0).to_numpy(), \
        lambda i: f"The disputed amount {amount_text(dispute_cents.iat[i])} is not above 0: give the amount disputed."
    yield (follow_up < day).fillna(False).to_numpy(dtype=bool), \
        lambda i: (f"The follow-up date {day_text(follow_up.iat[i])} is in the past: give "
                   f"{day_text(day.iat[i])} or later.")


def _unknown_invoices(customer: pd.Series, doc_no: pd.Series, invoices: pd.DataFrame) -> list[str]:
    """Per note, the first invoice it names that is not one of its customer's ("" when all are)."""
    known = set(zip(invoices["customer_id"].astype(str), invoices["doc_no"].astype(str)))
    out = []
    for who, docs in zip(customer.tolist(), doc_no.tolist()):  # plain lists: 4 times faster than the columns
        out.append(next((doc for doc in invoices_of(docs) if (who, doc) not in known), "") if docs else "")
    return out


def day_text(value) -> str:
    """A date as the notes write it: 2026-12-01."""
    return pd.Timestamp(value).strftime("%Y-%m-%d")


# --- the note as the ERP keeps it ------------------------------------------------------------------------

def call_text(notes: pd.DataFrame) -> pd.DataFrame:
    """Each note as a subject and a body, for an ERP that keeps a call's description and text but no fields
    for the rest. Subject: the outcome ("Disputed - Pricing" for a dispute). Body: the note's own text, then
    a blank line and one line per detail it has (other invoices, contact, promise, dispute, follow-up); just
    the text when it has no details, so that the text arrives exactly as typed."""
    column = {name: notes[name].astype("string").fillna("").tolist() for name in
              ("doc_no", "contact_person", "outcome", "dispute_reason", "text")}
    for name in ("promise_cents", "dispute_cents"):
        column[name] = notes[name].astype("Int64").astype(object).tolist()
    for name in ("promise_date", "follow_up"):
        column[name] = notes[name].dt.strftime("%Y-%m-%d").fillna("").tolist()
    subjects, bodies = [], []
    for (doc_no, person, outcome, reason, text, promised, disputed, promise_date,
         follow_up) in zip(*column.values()):
        outcome, reason = outcome.strip(), reason.strip()
        subjects.append(f"{outcome or 'Disputed'} - {reason}" if reason and outcome in ("", "Disputed") else outcome)
        details = []
        invoices = invoices_of(doc_no)
        if len(invoices) > 1:
            details.append(f"Invoices: {', '.join(invoices)}")
        if person.strip():
            details.append(f"Contact: {person.strip()}")
        if promised is not pd.NA:
            details.append(f"Promise: {amount_text(promised)} by {promise_date}")
        if reason:
            details.append(f"Dispute: {reason}" + ("" if disputed is pd.NA else f" {amount_text(disputed)}"))
        if follow_up:
            details.append(f"Follow-up: {follow_up}")
        bodies.append("\n\n".join(part for part in (text, "\n".join(details)) if part))
    return pd.DataFrame({"subject": subjects, "body": bodies}, index=notes.index, dtype="string")


# --- promises ----------------------------------------------------------------------------------------------

def promises(notes: pd.DataFrame, payments: pd.DataFrame, as_of: dt.date, grace_days: int) -> pd.DataFrame:
    """PROMISES: every note with a promised amount and date, Kept once payments made from the day it was
    written to `grace_days` after its date cover the amount, Broken when that day has passed without them,
    Pending before. Each payment counts once, towards its customer's earliest promise first; a payment
    partly used by one promise leaves the rest for the next."""
    is_promise = (notes["promise_cents"].notna() & notes["promise_date"].notna()).to_numpy()
    found = notes[is_promise]
    rows = pd.DataFrame({
        "note_id": found["note_id"] if "note_id" in found else "",
        "customer_id": found["customer_id"],
        "doc_no": found["doc_no"],
        "written": found["written"],
        "promise_cents": found["promise_cents"].astype("int64"),
        "promise_date": found["promise_date"].dt.normalize(),
    }).reset_index(drop=True)
    rows["due_by"] = rows["promise_date"] + pd.Timedelta(days=grace_days)
    paid = _paid_towards(rows, payments[among(payments["customer_id"], rows["customer_id"])])
    rows["paid_cents"] = paid
    kept = rows["paid_cents"] >= rows["promise_cents"]
    late = rows["due_by"] < pd.Timestamp(as_of)
    rows["status"] = np.where(kept, "Kept", np.where(late, "Broken", "Pending"))
    return shaped(rows, PROMISES).set_index(found.index)


def _paid_towards(rows: pd.DataFrame, payments: pd.DataFrame) -> np.ndarray:
    """int64 per promise of `rows` (on a 0..n-1 index): what its customer's `payments` pay towards it, each payment
    counted once, the customer's promises in order of date (then of writing), its payments in order of date.
    Promises and payments are sorted once and each customer's payments found by binary search: sorting them per
    customer took 25 s for 5,000 promises of 50,000 customers (bench/bench_credit_review.py), this takes well
    under one."""
    codes, known = pd.factorize(pd.concat([rows["customer_id"], payments["customer_id"]], ignore_index=True))
    promise_codes, payment_codes = codes[:len(rows)], codes[len(rows):]
    order = np.lexsort((payments["paid"].to_numpy("datetime64[s]"), payment_codes))
    payer = payment_codes[order]
    left = np.maximum(payments["amount_cents"].to_numpy(np.int64)[order], 0)
    days = payments["paid"].dt.normalize().to_numpy("datetime64[s]")[order]
    start = rows["written"].dt.normalize().fillna(pd.Timestamp.min).to_numpy("datetime64[s]")
    due_by = rows["due_by"].to_numpy("datetime64[s]")
    need = rows["promise_cents"].to_numpy(np.int64)
    written_last = rows["written"].to_numpy("datetime64[s]").copy()
    written_last[np.isnat(written_last)] = np.datetime64(np.iinfo(np.int64).max, "s")  # as sort_values: NaT last
    paid = np.zeros(len(rows), dtype=np.int64)
    firsts, ends = np.searchsorted(payer, promise_codes, "left"), np.searchsorted(payer, promise_codes, "right")
    for i in np.lexsort((written_last, rows["promise_date"].to_numpy("datetime64[s]"), promise_codes)):
        first, end = firsts[i], ends[i]
        window = first + np.flatnonzero((days[first:end] >= start[i]) & (days[first:end] <= due_by[i]))
        for j in window:
            take = min(int(left[j]), int(need[i] - paid[i]))
            left[j] -= take
            paid[i] += take
            if paid[i] == need[i]:
                break
    return paid


def broken_by_customer(promised: pd.DataFrame) -> pd.Series:
    """Broken promises per customer_id (PROMISES in): what counts against an account in the worklist."""
    broken = promised[promised["status"] == "Broken"]
    return broken.groupby("customer_id").size().astype("int64").rename("broken_promises")


def logged(note_ids: Sequence[str], customer_ids: Sequence[str], texts: Sequence[str], *, written: pd.Timestamp,
           contact_type: str, author: str | Sequence[str], source: str, contact_person: str = "") -> pd.DataFrame:
    """Notes ardesk writes itself (a letter sent, a hold set, a limit approved, an account placed), as
    CAPTURED_NOTES: each with the ID that makes the ERP record it once, no invoice, outcome, promise, dispute or
    follow-up. `author`: one for all, or one per note."""
    return pd.DataFrame({
        "note_id": list(note_ids), "customer_id": list(customer_ids), "doc_no": "", "written": written,
        "contact_type": contact_type, "contact_person": contact_person, "outcome": "", "promise_cents": pd.NA,
        "promise_date": pd.NaT, "dispute_reason": "", "dispute_cents": pd.NA, "follow_up": pd.NaT,
        "text": list(texts), "author": author if isinstance(author, str) else list(author), "source": source,
    }, index=range(len(note_ids))).astype(CAPTURED_NOTES)
