"""Credit review benchmark (issue 17, part 6): the Credit Review of 50,000 customers with 12 months of history
(ardesk.ar.credit_review.review, with the broken promises counted from the notes by ardesk.ar.notes.promises, as the
workbook does), median of several runs; target < 10 s.

The inputs are synthetic frames of the contracts the review reads, seeded: per customer about 12 invoices over 13
months (a third paid late, some still open), an open item or two, open orders for a quarter of them, one promise to
pay in ten customers, a returned payment in fifty, a bureau report (two bureaus) for half of them.

    .venv/bin/python bench/bench_credit_review.py --runs 5 [--customers 50000]
"""
import argparse
import datetime as dt
import statistics
import time

import numpy as np
import pandas as pd

from ardesk.ar.aging import age
from ardesk.ar.credit_review import review
from ardesk.ar.notes import promises
from ardesk.frames import CUSTOMERS, HISTORY, NOTES, conform
from ardesk.settings import AgingSettings, CreditSettings

AS_OF = dt.date(2026, 11, 24)
TARGET_SECONDS = 10.0


def inputs(customers: int, seed: int = 17) -> dict[str, pd.DataFrame]:
    """The review's inputs for `customers` customers (see the module's notes)."""
    rng = np.random.default_rng(seed)
    today = np.datetime64(AS_OF, "s")
    day = np.timedelta64(1, "D")
    ids = np.array([f"C{n:06d}" for n in range(customers)], dtype=object)
    people = pd.DataFrame({
        "customer_id": ids, "customer_name": ids + " Ltd", "sales_rep": "Rep", "collector": "Collector",
        "terms": "Net 30", "credit_limit_cents": rng.integers(0, 50, customers) * 1_000_00,
        "credit_hold": rng.random(customers) < 0.05,
        "open_orders_cents": np.where(rng.random(customers) < 0.25, rng.integers(1, 2_000_000, customers), 0),
        "credit_hold_date": np.datetime64("NaT", "s"), "credit_hold_source": "",
        "credit_review_date": np.where(rng.random(customers) < 0.85, today - rng.integers(0, 500, customers) * day,
                                       np.datetime64("NaT")).astype("datetime64[s]"),
    }).astype(CUSTOMERS)
    count = rng.poisson(12, customers)
    who = np.repeat(ids, count)
    n = len(who)
    dated = today - rng.integers(0, 395, n) * day
    due = dated + 30 * day
    late = np.where(rng.random(n) < 0.33, rng.integers(1, 90, n), rng.integers(-10, 1, n))
    closed = due + late * day
    still_open = closed > today
    amount = rng.integers(100_00, 5_000_000, n)
    history = pd.DataFrame({
        "customer_id": who, "doc_type": "INV", "doc_date": dated, "due_date": due,
        "closed_date": np.where(still_open, np.datetime64("NaT"), closed).astype("datetime64[s]"),
        "base_amount_cents": amount, "base_balance_cents": np.where(still_open, amount, 0)}).astype(HISTORY)
    opened = history[still_open]
    items = pd.DataFrame({
        "customer_id": opened["customer_id"], "customer_name": opened["customer_id"] + " Ltd",
        "doc_no": np.arange(len(opened)).astype(str), "doc_type": "INV", "doc_date": opened["doc_date"],
        "due_date": opened["due_date"], "currency": "USD", "amount_cents": opened["base_amount_cents"],
        "balance_cents": opened["base_amount_cents"], "base_balance_cents": opened["base_amount_cents"],
        "terms": "Net 30", "sales_rep": "Rep", "collector": "Collector", "credit_limit_cents": 0})
    promised_by = rng.choice(ids, customers // 10, replace=False)
    promise_day = today - rng.integers(0, 365, len(promised_by)) * day
    notes = pd.DataFrame({name: pd.Series([None] * len(promised_by)) for name in NOTES}).assign(
        customer_id=promised_by, doc_no="", written=promise_day - 7 * day, contact_type="Call", contact_person="",
        outcome="Promised", promise_cents=100_000, promise_date=promise_day, dispute_reason="", text="", author="",
        source="ERP").astype(NOTES)
    payments = pd.DataFrame({"customer_id": promised_by[::2], "paid": promise_day[::2],
                             "amount_cents": 100_000}).astype({"customer_id": "string", "paid": "datetime64[s]"})
    returned_by = rng.choice(ids, customers // 50, replace=False)
    returned = pd.DataFrame({"customer_id": returned_by, "returned_on": today - rng.integers(0, 400, len(returned_by))
                             * day, "amount_cents": 50_000, "reason": "NSF"})
    reported = rng.choice(ids, customers, replace=True)[: customers]
    bureau = pd.DataFrame({
        "customer_id": reported, "bureau": np.where(rng.random(customers) < 0.5, "Acme", "Beta"),
        "score": rng.integers(1, 100, customers), "risk_class": "Medium",
        "recommended_limit_cents": rng.integers(0, 100, customers) * 1_000_00, "days_beyond_terms": 5,
        "report_date": today - rng.integers(0, 300, customers) * day}).astype(
        {"score": "Int64", "recommended_limit_cents": "Int64", "days_beyond_terms": "Int64"})
    return {"aged": age(conform(items), AS_OF, AgingSettings()), "customers": people, "history": history,
            "notes": notes, "payments": payments, "returned": returned, "bureau": bureau}


def credit_review_seconds(given: dict[str, pd.DataFrame]) -> tuple[float, int]:
    """(seconds, rows) of one review: the promises from the notes, then the review."""
    start = time.perf_counter()
    promised = promises(given["notes"], given["payments"], AS_OF, 3)
    table = review(given["aged"], given["customers"], given["history"], promised, given["returned"],
                   given["bureau"], AS_OF, CreditSettings())
    return time.perf_counter() - start, len(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--customers", type=int, default=50_000)
    args = parser.parse_args()
    given = inputs(args.customers)
    timings = [credit_review_seconds(given) for _ in range(args.runs)]
    seconds = statistics.median(t for t, _ in timings)
    print(f"credit review, {args.customers:,} customers, {len(given['history']):,} invoices of 12 months: "
          f"{seconds:.2f} s (median of {args.runs}; target < {TARGET_SECONDS:.0f} s); {timings[0][1]:,} rows")


if __name__ == "__main__":
    main()
