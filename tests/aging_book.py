"""Aging workbooks to test: a realistic AGED frame, notes and customers, and the Contents the ar engine makes
of them (the same functions the jobs use), with or without what people typed."""
import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd

from ardesk.ar import (contacts, credit, credit_review, disputes, exception_report, hitlist, meeting, plans, reach,
                       worklist)
from ardesk.ar.summary import summarize
from ardesk.book import Contents
from ardesk.book.carry import said_yes
from ardesk.book.userdata import REVIEW_USER, Typed, blank, nothing_typed
from ardesk.frames import (APPLICATIONS, BUREAU_REPORTS, CAPTURED_NOTES, CONTACTS, HISTORY, PAYMENTS, PROMISES,
                           RETURNED_PAYMENTS, empty)
from ardesk.settings import DEPARTMENTS, CreditSettings
from ardesk.settings import ReportSettings

AS_OF = dt.date(2024, 6, 30)
THRESHOLDS = (30, 60, 90, 120)
RATES = {"USD": 1.0, "EUR": 1.0852, "GBP": 1.2641, "CAD": 0.7309}
HYPERLINK = '=HYPERLINK("http://x","click")'
REPORTS = ReportSettings()


def text(values) -> pd.arrays.StringArray:
    return pd.array(values, dtype="string")


def cents(amount) -> int:
    """A cell's amount (None when empty) in cents."""
    return round((amount or 0) * 100)


def bucket_labels(thresholds):
    lows = (0,) + thresholds[:-1]
    return ["Current"] + [f"{lo + 1}-{hi}" for lo, hi in zip(lows, thresholds)] + [f"Over {thresholds[-1]}"]


def aged_frame(n_items: int, n_customers: int, seed: int = 7) -> pd.DataFrame:
    """A realistic AGED frame: many customers, a few collectors (one blank), invoices and negative credits in
    four currencies, names with markup and formula-looking text, dates spread over eight months."""
    rng = np.random.default_rng(seed)
    words = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Müller", "O'Brien", "Smith & Sons", "<Atlas>"]
    kinds = ["Inc", "GmbH", "Ltd", "LLC", "S.A."]
    picks = rng.integers(0, [len(words), len(words), len(kinds)], (n_customers, 3))
    names = np.array([f"{words[a]} {words[b]} {kinds[c]}" for a, b, c in picks], dtype=object)
    names[0] = HYPERLINK
    collectors = np.array(["Ana Ruiz", "Ben Okafor", "Chloé Martin", "Dev Patel", "Eve Zhang", "", "+Ops desk"])
    customer_collector = collectors[rng.integers(0, len(collectors), n_customers)]
    customer = rng.integers(0, n_customers, n_items)
    customer[: min(n_items, n_customers)] = np.arange(min(n_items, n_customers))
    doc_type = rng.choice(["INV", "CM", "PAY", "DM"], n_items, p=[0.86, 0.07, 0.04, 0.03])
    currency = rng.choice(list(RATES), n_items, p=[0.8, 0.1, 0.05, 0.05])
    amount = np.round(rng.lognormal(10, 1.2, n_items)).astype(np.int64) + 100
    balance = np.where(rng.random(n_items) < 0.15, amount // 3, amount)
    sign = np.where(np.isin(doc_type, ["CM", "PAY"]), -1, 1)
    amount, balance = amount * sign, balance * sign
    base = np.round(balance * np.array([RATES[c] for c in currency])).astype(np.int64)
    doc_date = np.datetime64(AS_OF, "D") - rng.integers(0, 240, n_items).astype("timedelta64[D]")
    terms_days = rng.choice([0, 10, 30, 45, 60], n_items)
    due = doc_date + terms_days.astype("timedelta64[D]")
    days = (np.datetime64(AS_OF, "D") - due).astype(np.int64)
    bucket = np.searchsorted(np.array((0,) + THRESHOLDS), days, side="left")
    return pd.DataFrame({
        "customer_id": text([f"C{i + 1:05d}" for i in customer]),
        "customer_name": text(names[customer]),
        "doc_no": text([f"{t}-{i:07d}" for i, t in enumerate(doc_type, 1)]),
        "doc_type": text(doc_type),
        "doc_date": doc_date.astype("datetime64[s]"),
        "due_date": due.astype("datetime64[s]"),
        "currency": text(currency),
        "amount_cents": amount,
        "balance_cents": balance,
        "base_balance_cents": base,
        "terms": text(np.where(terms_days == 0, "COD", np.char.add("Net ", terms_days.astype(str)))),
        "sales_rep": text(rng.choice(["J. Doe", "K. Lee", "-"], n_items)),
        "collector": text(customer_collector[customer]),
        "reference": text(np.where(rng.random(n_items) < 0.1, "@ref 7", "")),
        "po_number": text([f"PO{v}" if v % 3 else "" for v in rng.integers(0, 99_999, n_items)]),
        "credit_limit_cents": np.zeros(n_items, dtype=np.int64),
        "days_past_due": days,
        "bucket": pd.Categorical.from_codes(bucket, categories=bucket_labels(THRESHOLDS), ordered=True),
    })


def notes_frame(aged: pd.DataFrame, count: int, seed: int = 3) -> pd.DataFrame:
    """CAPTURED_NOTES: `count` notes on the first customers' accounts and documents, some with promises, disputes and
    follow-ups after the as-of date."""
    rng = np.random.default_rng(seed)
    picked = aged.iloc[rng.integers(0, min(len(aged), 200), count)]
    on_document = rng.random(count) < 0.6
    written = np.datetime64(AS_OF, "D") - rng.integers(0, 60, count).astype("timedelta64[D]")
    follow_up = np.datetime64(AS_OF, "D") + rng.integers(-10, 30, count).astype("timedelta64[D]")
    outcome = rng.choice(["Reached", "Promised", "Disputed", "Left message"], count)
    promised = outcome == "Promised"
    disputed = outcome == "Disputed"
    return pd.DataFrame({
        "note_id": "",
        "customer_id": picked["customer_id"].to_numpy(),
        "doc_no": np.where(on_document, picked["doc_no"].to_numpy(), ""),
        "written": written.astype("datetime64[s]"),
        "contact_type": rng.choice(["Call", "Email"], count),
        "contact_person": "A. P. Clerk",
        "outcome": outcome,
        "promise_cents": pd.Series(rng.integers(100, 500_000, count), dtype="Int64").where(promised, pd.NA),
        "promise_date": np.where(promised, follow_up, np.datetime64("NaT")).astype("datetime64[s]"),
        "dispute_reason": np.where(disputed, "Pricing", ""),
        "dispute_cents": pd.Series(12_345, index=range(count), dtype="Int64").where(disputed, pd.NA),
        "follow_up": follow_up.astype("datetime64[s]"),
        "text": rng.choice(["Will pay Friday", "=SUM(A1)", "Asked for a copy of the invoice"], count),
        "author": "ana",
        "source": "ERP",
    }).astype(CAPTURED_NOTES)


def customers_frame(aged: pd.DataFrame) -> pd.DataFrame:
    """CUSTOMERS from the items, with credit limits on every third customer, some held and some open orders."""
    customers = credit.customers_from_items(aged)
    n = len(customers)
    every = np.arange(n)
    customers["credit_limit_cents"] = np.where(every % 3 == 0, 2_000_000, 0)
    customers["credit_hold"] = every % 11 == 5
    customers["open_orders_cents"] = np.where(every % 4 == 1, 1_500_000, 0)
    return customers


def contents(aged: pd.DataFrame, *, notes: pd.DataFrame | None = None, customers: pd.DataFrame | None = None,
             typed: Typed | None = None, erp_total_cents: int | None = None,
             people: pd.DataFrame | None = None) -> Contents:
    """What jobs would hand the writer for `aged`: every report by the ar engine, nothing typed by default
    (`people`: CONTACTS; by default nobody has any)."""
    notes = empty(CAPTURED_NOTES) if notes is None else notes
    customers = credit.customers_from_items(aged) if customers is None else customers
    hold = credit.credit_hold(aged, customers, AS_OF, REPORTS)
    logged = disputes.log(aged, notes, AS_OF, DEPARTMENTS)
    review = credit_review.review(aged, customers, empty(HISTORY), empty(PROMISES), empty(RETURNED_PAYMENTS),
                                  empty(BUREAU_REPORTS), AS_OF, CreditSettings())
    typed = typed or nothing_typed(len(aged), len(hold), disputes=len(logged))
    if len(typed.credit_review) != len(review):
        typed = replace(typed, credit_review=blank([c.header for c in REVIEW_USER], len(review)))
    holding = disputes.holding(logged, typed.disputes["Dispute Status"])
    held = disputes.in_dispute(aged, holding, typed.detail["Disputed"].map(said_yes))
    planned = plans.latest_plans(aged, notes, empty(PAYMENTS), AS_OF, 3)
    status = contacts.latest_by_customer(notes, AS_OF)
    people = reach.checked(empty(CONTACTS) if people is None else people)
    return Contents(
        aged=aged,
        item_notes=contacts.item_notes(aged, notes, status, AS_OF),
        summary=summarize(aged, empty(HISTORY), empty(APPLICATIONS), AS_OF, REPORTS),
        exceptions=exception_report.exceptions(aged, AS_OF, REPORTS),
        credit_hold=hold,
        hit_list=reach.beside(hitlist.hit_list(aged, status, customers, AS_OF, REPORTS.released_shown_days), people),
        meeting=reach.beside(meeting.meeting(aged, status, disputes.by_customer(holding)), people),
        worklist=reach.beside(worklist.worklist(aged, notes, status, empty(PAYMENTS), empty(HISTORY), AS_OF, 3,
                                                (held != "").to_numpy(), planned), people),
        in_dispute=held,
        disputes=logged,
        plans=planned,
        notes=notes,
        typed=typed,
        customer_ids=tuple(customers["customer_id"]),
        erp_total_cents=erp_total_cents,
        credit_review=review,
    )


def tampered_first_balance(aged: pd.DataFrame) -> pd.DataFrame:
    """`aged` as a tampered copy's Detail sheet has it: the first item's base balance is 1,000,000.00."""
    frame = aged.copy()
    frame.loc[0, "base_balance_cents"] = 100_000_000
    return frame
