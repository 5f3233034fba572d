"""The collector's worklist: who to call first and why, disputed items out of the dunning, broken promises up."""
import datetime as dt

import numpy as np
import pandas as pd

from ardesk.ar import aging
from ardesk.ar import disputes
from ardesk.ar.contacts import latest_by_customer
from ardesk.ar.worklist import worklist
from ardesk.frames import CAPTURED_NOTES, OPEN_ITEMS, PAYMENTS, PLAN_ROWS, empty
from ardesk.settings import DEPARTMENTS, AgingSettings

AS_OF = dt.date(2026, 11, 24)


def items(*rows):
    """(customer, collector, document, days past due, base balance in cents) -> AGED."""
    frame = pd.DataFrame([{
        "customer_id": c, "customer_name": f"{c} Ltd", "doc_no": d, "doc_type": "INV",
        "doc_date": pd.Timestamp(AS_OF - dt.timedelta(days=days + 30)),
        "due_date": pd.Timestamp(AS_OF - dt.timedelta(days=days)), "currency": "USD", "amount_cents": cents,
        "balance_cents": cents, "base_balance_cents": cents, "terms": "Net 30", "sales_rep": "", "collector": who,
        "reference": "", "po_number": "", "credit_limit_cents": 0, "company": "EPIC06"}
        for c, who, d, days, cents in rows])
    return aging.age(frame.astype(OPEN_ITEMS), AS_OF, AgingSettings())


def notes(*rows):
    """(customer, document, written, outcome, promise cents, promise date, follow-up) -> CAPTURED_NOTES."""
    return pd.DataFrame([{
        "note_id": "", "customer_id": c, "doc_no": d, "written": pd.Timestamp(w), "contact_type": "Call",
        "contact_person": "", "outcome": o, "promise_cents": p, "promise_date": pd.Timestamp(pd_) if pd_ else pd.NaT,
        "dispute_reason": "", "dispute_cents": pd.NA, "follow_up": pd.Timestamp(f) if f else pd.NaT, "text": o,
        "author": "ana", "source": "ERP"} for c, d, w, o, p, pd_, f in rows], columns=list(CAPTURED_NOTES)
    ).astype(CAPTURED_NOTES)


def payments(*rows):
    return pd.DataFrame([{"customer_id": c, "paid": pd.Timestamp(d), "amount_cents": a} for c, d, a in rows],
                        columns=list(PAYMENTS)).astype(PAYMENTS)


LEDGER = items(
    ("BIG", "Ana", "1", 10, 500_000),  # 5,000.00, 10 days late
    ("OLD", "Ana", "2", 200, 100_000),  # 1,000.00, 200 days late: weight 1,000 x 7.67 = 7,667 > 5,000 x 1.33
    ("DISP", "Ana", "3", 60, 900_000),  # in dispute: out of the dunning
    ("DISP", "Ana", "4", 5, 1_000),
    ("CALL", "Ana", "5", -10, 50_000),  # not yet due, but a follow-up falls due today
    ("WAIT", "Ana", "6", 40, 800_000),  # promised for next week
    ("LIAR", "Ana", "7", 20, 100_000),  # broke a promise: weight doubled
    ("NONE", "", "8", 15, 10_000),
)
NOTES = notes(
    ("DISP", "3", "2026-11-01", "Disputed", pd.NA, None, None),
    ("CALL", "", "2026-11-20", "Reached", pd.NA, None, "2026-11-24"),
    ("WAIT", "", "2026-11-20", "Promised", 800_000, "2026-12-01", None),
    ("LIAR", "", "2026-10-01", "Promised", 100_000, "2026-10-15", None),
)
PAID = payments(("LIAR", "2026-10-10", 40_000), ("BIG", "2026-11-01", 5))
NO_PLANS = empty(PLAN_ROWS)
STATUS = latest_by_customer(NOTES, AS_OF)


def disputed_items(ledger, notes, marked=None):
    """The mask of items out of the dunning: every dispute Open (nothing typed), or `marked` on Detail."""
    logged = disputes.log(ledger, notes, AS_OF, DEPARTMENTS)
    held = disputes.holding(logged, pd.Series([None] * len(logged), dtype=object))
    return (disputes.in_dispute(ledger, held, marked) != "").to_numpy()


def test_order_reasons_and_disputes():
    table = worklist(LEDGER, NOTES, STATUS, PAID, AS_OF, 3, disputed_items(LEDGER, NOTES), NO_PLANS)
    assert list(zip(table["collector"], table["rank"], table["customer_id"])) == [
        ("Ana", 1, "CALL"), ("Ana", 2, "OLD"), ("Ana", 3, "BIG"), ("Ana", 4, "LIAR"), ("Ana", 5, "DISP"),
        ("Ana", 6, "WAIT"), ("", 1, "NONE")]
    why = dict(zip(table["customer_id"], table["why"]))
    assert why["CALL"] == "Follow-up due today"
    assert why["LIAR"] == "1,000.00 past due, oldest 20 days; 1 broken promise"
    assert why["DISP"] == "10.00 past due, oldest 5 days; 9,000.00 in dispute, out of dunning"
    assert why["WAIT"] == "8,000.00 past due, oldest 40 days; promised 8,000.00 by 2026-12-01"
    disp = table.set_index("customer_id").loc["DISP"]
    assert (disp["past_due_cents"], disp["disputed_cents"]) == (1_000, 900_000)


def test_a_paid_note_closes_a_dispute_and_a_marked_row_opens_one():
    closed = pd.concat([NOTES, notes(("DISP", "3", "2026-11-10", "Paid", pd.NA, None, None))], ignore_index=True)
    assert not disputed_items(LEDGER, closed)[2]
    marked = pd.Series([False, False, False, False, False, False, False, True])
    assert disputed_items(LEDGER, closed, marked).tolist() == [False] * 7 + [True]
    table = worklist(LEDGER, closed, latest_by_customer(closed, AS_OF), PAID, AS_OF, 3,
                     disputed_items(LEDGER, closed, marked), NO_PLANS)
    assert "NONE" not in set(table["customer_id"])  # its only item is disputed: nothing left to dun
    assert np.array_equal(table.loc[table["customer_id"] == "DISP", "past_due_cents"], [901_000])


def test_a_missed_plan_installment_counts_against_the_account_like_a_broken_promise():
    plan = pd.DataFrame({"customer_id": "WAIT", "customer_name": "WAIT Ltd", "collector": "Ana",
                         "agreed": pd.Timestamp("2026-10-01"), "installment": [1, 2],
                         "due_date": pd.to_datetime(["2026-11-01", "2026-12-01"]), "amount_cents": [400_000] * 2,
                         "paid_cents": [0, 0], "status": ["Missed", "Due"]}).astype(PLAN_ROWS)
    table = worklist(LEDGER, NOTES, STATUS, PAID, AS_OF, 3, disputed_items(LEDGER, NOTES), plan)
    wait = table.set_index("customer_id").loc["WAIT"]
    assert (wait["missed_installments"], wait["rank"]) == (1, 2)
    assert wait["why"] == ("8,000.00 past due, oldest 40 days; 1 missed plan installment; promised 8,000.00 by "
                           "2026-12-01")
    # no longer waiting for its promise: 8,000 x (1 + 40/30) x 2 = 37,333 outweighs every other account
    assert list(table["customer_id"][:2]) == ["CALL", "WAIT"]
