"""The collector's worklist: who to call first and why, disputed items out of the dunning, broken promises up; a
promise or plan covering its own amount only; a follow-up parking the account until its day unless something new
happens; every value hand-worked."""
import datetime as dt

import numpy as np
import pytest
import pandas as pd

from ardesk import receivables, reports
from ardesk.ar import aging
from ardesk.ar import disputes
from ardesk.ar import worklist as worklists
from ardesk.ar.accounts import amount_text
from ardesk.ar.contacts import latest_by_customer
from ardesk.ar.plans import latest_plans, payment_plan, plan_note
from ardesk.frames import CAPTURED_NOTES, HISTORY, OPEN_ITEMS, PAYMENTS, PLAN_ROWS, empty
from ardesk.demo.ledger import COMPANY
from ardesk.erp import demo
from ardesk.erp.dialect import render
from ardesk.erp.odbc import connect, dialect_of
from ardesk.jobs.notes import push_captured
from ardesk.progress import QUIET
from ardesk.settings import DEPARTMENTS, AgingSettings, ErpSettings, Settings

AS_OF = dt.date(2026, 11, 24)


def items(*rows, as_of=AS_OF):
    """(customer, collector, document, days past due on AS_OF, base balance in cents) -> AGED as of `as_of`."""
    frame = pd.DataFrame([{
        "customer_id": c, "customer_name": f"{c} Ltd", "doc_no": d, "doc_type": "INV",
        "doc_date": pd.Timestamp(AS_OF - dt.timedelta(days=days + 30)),
        "due_date": pd.Timestamp(AS_OF - dt.timedelta(days=days)), "currency": "USD", "amount_cents": cents,
        "balance_cents": cents, "base_balance_cents": cents, "terms": "Net 30", "sales_rep": "", "collector": who,
        "reference": "", "po_number": "", "credit_limit_cents": 0, "company": "EPIC06"}
        for c, who, d, days, cents in rows])
    return aging.age(frame.astype(OPEN_ITEMS), as_of, AgingSettings())


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
NO_HISTORY = empty(HISTORY)
STATUS = latest_by_customer(NOTES, AS_OF)


def worklist(ledger, notes_, paid, disputed, plans=NO_PLANS, history=NO_HISTORY, as_of=AS_OF):
    """The worklist of `ledger` as of `as_of` with 3 grace days."""
    return worklists.worklist(ledger, notes_, latest_by_customer(notes_, as_of), paid, history, as_of, 3, disputed,
                              plans)


def disputed_items(ledger, notes, marked=None):
    """The mask of items out of the dunning: every dispute Open (nothing typed), or `marked` on Detail."""
    logged = disputes.log(ledger, notes, AS_OF, DEPARTMENTS)
    held = disputes.holding(logged, pd.Series([None] * len(logged), dtype=object))
    return (disputes.in_dispute(ledger, held, marked) != "").to_numpy()


def test_order_reasons_and_disputes():
    table = worklist(LEDGER, NOTES, PAID, disputed_items(LEDGER, NOTES))
    assert list(zip(table["collector"], table["rank"], table["customer_id"])) == [
        ("Ana", 1, "CALL"), ("Ana", 2, "OLD"), ("Ana", 3, "BIG"), ("Ana", 4, "LIAR"), ("Ana", 5, "DISP"),
        ("Ana", 6, "WAIT"), ("", 1, "NONE")]
    why = dict(zip(table["customer_id"], table["why"]))
    assert why["CALL"] == "Follow-up due today"
    assert why["LIAR"] == "1,000.00 past due, oldest 20 days; 1 broken promise"
    assert why["DISP"] == "10.00 past due, oldest 5 days; 9,000.00 in dispute, out of dunning"
    assert why["WAIT"] == ("Parked until 2026-12-01; 8,000.00 past due, all covered by the promise of 8,000.00 by "
                           "2026-12-01")
    assert why["OLD"] == "1,000.00 past due, oldest 200 days"
    disp = table.set_index("customer_id").loc["DISP"]
    assert (disp["past_due_cents"], disp["disputed_cents"]) == (1_000, 900_000)


def test_a_paid_note_closes_a_dispute_and_a_marked_row_opens_one():
    closed = pd.concat([NOTES, notes(("DISP", "3", "2026-11-10", "Paid", pd.NA, None, None))], ignore_index=True)
    assert not disputed_items(LEDGER, closed)[2]
    marked = pd.Series([False, False, False, False, False, False, False, True])
    assert disputed_items(LEDGER, closed, marked).tolist() == [False] * 7 + [True]
    table = worklist(LEDGER, closed, PAID, disputed_items(LEDGER, closed, marked))
    assert "NONE" not in set(table["customer_id"])  # its only item is disputed: nothing left to dun
    assert np.array_equal(table.loc[table["customer_id"] == "DISP", "past_due_cents"], [901_000])


def plan_rows(customer, agreed, every, start, amount_cents, installments, paid=()):
    """The customer's plan as latest_plans reads it back from the note that records it, with `paid` payments."""
    note = plan_note(customer, payment_plan(amount_cents, installments, every, start), every,
                     written=pd.Timestamp(agreed).to_pydatetime(), author="ana").assign(note_id="")
    note = note.astype(CAPTURED_NOTES)[list(CAPTURED_NOTES)]
    return note, latest_plans(LEDGER, note, payments(*paid), AS_OF, 3)


def ranks(table):
    return dict(zip(table["customer_id"], table["rank"]))


def test_a_missed_plan_installment_counts_against_the_account_and_the_plan_covers_nothing():
    note, plan = plan_rows("WAIT", "2026-10-01", "1m", dt.date(2026, 11, 1), 800_000, 2)
    assert list(plan["status"]) == ["Missed", "Due"]  # nothing paid by 2026-11-01 + 3 grace days
    table = worklist(LEDGER, pd.concat([NOTES[NOTES["customer_id"] != "WAIT"], note]), PAID,
                     disputed_items(LEDGER, NOTES), plan).set_index("customer_id")
    wait = table.loc["WAIT"]
    # the plan's note is the plan, not a promise of its 8,000.00: no promise broken, no promise covering
    assert (wait["missed_installments"], wait["broken_promises"], wait["at_risk_cents"]) == (1, 0, 800_000)
    assert wait["why"] == "8,000.00 past due, oldest 40 days; 1 missed plan installment"
    # 8,000 x (1 + 40/30) x 2 = 37,333 outweighs every other account; CALL's follow-up is due today
    assert (wait["rank"], table.loc["CALL", "rank"], table.loc["OLD", "rank"]) == (2, 1, 3)


# --- issue 16, section 5: what a new user found --------------------------------------------------------------

def crowd(n=50):
    """`n` smaller accounts of Ana's, 1,000.00 to 3,450.00 past due, 30 days late."""
    return [(f"C{k:02d}", "Ana", f"c{k}", 30, 100_000 + 5_000 * k) for k in range(n)]


def test_a_small_promise_leaves_the_rest_of_a_big_past_due_at_rank_one():
    ledger = items(("BIG", "Ana", "b1", 94, 10_000_000), ("BIG", "Ana", "b2", 40, 5_100_000), *crowd())
    promised = notes(("BIG", "", "2026-11-23 10:00", "Promised", 55_190, "2026-12-01", None))
    table = worklist(ledger, promised, empty(PAYMENTS), np.zeros(len(ledger), bool)).set_index("customer_id")
    big = table.loc["BIG"]
    assert (big["rank"], big["past_due_cents"], big["at_risk_cents"]) == (1, 15_100_000, 15_044_810)
    assert pd.isna(big["parked_until"])
    assert big["why"] == ("150,448.10 of 151,000.00 past due not covered by the promise of 551.90 by 2026-12-01, "
                          "oldest 94 days")


def test_a_payment_plan_covers_its_own_installments_and_the_rest_still_ranks_first():
    ledger = items(("PLAN", "Ana", "p1", 120, 12_000_000), ("PLAN", "Ana", "p2", 60, 7_400_000), *crowd())
    note, plan = plan_rows("PLAN", "2026-11-20", "1m", dt.date(2026, 12, 1), 3_000_000, 3)
    plan = latest_plans(ledger, note, empty(PAYMENTS), AS_OF, 3)
    assert list(plan["status"]) == ["Due"] * 3
    table = worklist(ledger, note, empty(PAYMENTS), np.zeros(len(ledger), bool), plan).set_index("customer_id")
    row = table.loc["PLAN"]
    assert (row["rank"], row["at_risk_cents"], row["broken_promises"]) == (1, 16_400_000, 0)
    # 30,000.00 covers the oldest 120,000.00 item in part: that item is still the oldest left uncovered
    assert row["why"] == ("164,000.00 of 194,000.00 past due not covered by the payment plan's 30,000.00 from "
                          "2026-12-01, oldest 120 days")


def test_a_plan_and_promises_covering_everything_park_the_account_until_the_first_date():
    ledger = items(("FULL", "Ana", "f1", 20, 300_000), ("OPEN", "Ana", "o1", 10, 100_000))
    promised = notes(("FULL", "", "2026-11-20 09:00", "Promised", 100_000, "2026-12-04", None),
                     ("FULL", "", "2026-11-21 09:00", "Promised", 50_000, "2026-12-02", None))
    note, plan = plan_rows("FULL", "2026-11-22", "2w", dt.date(2026, 12, 8), 150_000, 2)
    plan = latest_plans(ledger, note, empty(PAYMENTS), AS_OF, 3)
    table = worklist(ledger, pd.concat([promised, note]), empty(PAYMENTS), np.zeros(2, bool), plan)
    assert list(table["customer_id"]) == ["OPEN", "FULL"]
    full = table.set_index("customer_id").loc["FULL"]
    assert (full["at_risk_cents"], full["parked_until"]) == (0, pd.Timestamp("2026-12-02"))
    assert full["why"] == ("Parked until 2026-12-02; 3,000.00 past due, all covered by 2 promises of 1,500.00 from "
                           "2026-12-02 and the payment plan's 1,500.00 from 2026-12-08")


FOLLOW = items(("A", "Ana", "a1", 60, 900_000), ("B", "Ana", "b1", 45, 800_000), ("C", "Ana", "c1", 30, 300_000))


def test_a_follow_up_three_days_out_parks_the_account_until_that_day():
    before = worklist(FOLLOW, empty(CAPTURED_NOTES), empty(PAYMENTS), np.zeros(3, bool))
    assert list(before["customer_id"]) == ["A", "B", "C"]
    called = notes(("B", "", "2026-11-23 15:00", "Reached", pd.NA, None, "2026-11-26"))  # the day before AS_OF
    table = worklist(FOLLOW, called, empty(PAYMENTS), np.zeros(3, bool))
    assert list(zip(table["rank"], table["customer_id"])) == [(1, "A"), (2, "C"), (3, "B")]
    b = table.set_index("customer_id").loc["B"]
    assert b["parked_until"] == pd.Timestamp("2026-11-26")
    assert b["why"] == "Parked until 2026-11-26 (follow-up); 8,000.00 past due, oldest 45 days"
    on_the_day = dt.date(2026, 11, 26)
    back = worklist(items(*[(c, "Ana", d, days, cents) for c, d, days, cents in (
        ("A", "a1", 60, 900_000), ("B", "b1", 45, 800_000), ("C", "c1", 30, 300_000))], as_of=on_the_day),
        called, empty(PAYMENTS), np.zeros(3, bool), as_of=on_the_day)
    assert list(back["customer_id"]) == ["B", "A", "C"]
    assert back["why"].iat[0] == "Follow-up due today; 8,000.00 past due, oldest 47 days"


@pytest.mark.parametrize(("ledger", "happened", "paid", "parked", "says"), [
    # a promise of 2026-11-19 with 3 grace days is broken from 2026-11-23, after the note of 2026-11-20
    ((), [("B", "", "2026-11-10", "Promised", 100_000, "2026-11-19", None)], (), False, "1 promise broken"),
    # broken from 2026-11-20, the note's own day: the collector knew when setting the follow-up
    ((), [("B", "", "2026-11-10", "Promised", 100_000, "2026-11-16", None)], (), True, ""),
    # due 2026-11-21 (3 days past due on AS_OF): fell past due after the note; due 2026-11-19: before it
    ([("B", "Ana", "b2", 3, 50_000), ("B", "Ana", "b3", 2, 20_000)], [], (), False, "2 items fallen past due"),
    ([("B", "Ana", "b2", 5, 50_000)], [], (), True, ""),
    # a receipt reversed (a negative payment) after the note, and one reversed on the note's own day
    ((), [], [("B", "2026-11-22", -40_000)], False, "1 payment returned"),
    ((), [], [("B", "2026-11-20", -40_000)], True, ""),
])
def test_something_new_after_the_note_ends_the_parking(ledger, happened, paid, parked, says):
    rows = (("A", "Ana", "a1", 60, 900_000), ("B", "Ana", "b1", 45, 800_000), *ledger)
    logged = notes(("B", "", "2026-11-20 16:00", "Reached", pd.NA, None, "2026-12-01"), *happened)
    table = worklist(items(*rows), logged, payments(*paid), np.zeros(len(rows), bool)).set_index("customer_id")
    b = table.loc["B"]
    assert (pd.notna(b["parked_until"]), b["rank"]) == ((True, 2) if parked else (False, b["rank"]))
    if parked:
        assert b["why"].startswith("Parked until 2026-12-01 (follow-up); ")
    else:
        assert b["why"].startswith(f"Follow-up of 2026-12-01 overtaken: since the note of 2026-11-20, {says}; ")


def test_how_late_a_customer_pays_weighs_and_is_said():
    history = pd.DataFrame({
        "customer_id": ["SLOW", "SLOW", "FAST", "SLOW"], "doc_type": ["INV", "INV", "INV", "CM"],
        "doc_date": pd.to_datetime(["2026-06-01"] * 4), "due_date": pd.to_datetime(["2026-07-01"] * 4),
        "closed_date": pd.to_datetime(["2026-07-11", "2026-07-31", "2026-06-25", "2026-09-30"]),
        "base_amount_cents": [100_000, 300_000, 500_000, -900_000], "base_balance_cents": 0}).astype(HISTORY)
    # (10 x 1,000 + 30 x 3,000) / 4,000 = 25 days; FAST paid 6 days early: 0; the credit memo does not count
    assert worklists.days_late(history).to_dict() == {"FAST": 0, "SLOW": 25}
    ledger = items(("FAST", "Ana", "f", 30, 200_000), ("SLOW", "Ana", "s", 30, 150_000))
    table = worklist(ledger, empty(CAPTURED_NOTES), empty(PAYMENTS), np.zeros(2, bool), history=history)
    # FAST 2,000 x 2 = 4,000; SLOW 1,500 x 2 x (1 + 25/30) = 5,500
    assert list(table["customer_id"]) == ["SLOW", "FAST"]
    assert table["why"].iat[0] == "1,500.00 past due, oldest 30 days; pays 25 days late on average"


# --- the same findings on the demo ERP, notes pushed to it and read back through the SQLite ODBC driver ---------

def erp_worklist(settings, day):
    """The worklist the aging workbook of `day` would show, read from the ERP, and its contents."""
    shown = reports.contents(settings, receivables.read(settings, day), day)
    return shown.worklist.set_index("customer_id"), shown


def erp_note(customer, written, **fields):
    """One account note (CAPTURED_NOTES columns) as `ardesk notes add` captures it."""
    note = {name: None for name in CAPTURED_NOTES} | {
        "note_id": "", "customer_id": customer, "doc_no": "", "written": pd.Timestamp(written), "contact_type": "Call",
        "outcome": "Reached", "text": "Spoke to accounts payable", "author": "ana", "source": "Workbook"} | fields
    return pd.DataFrame([note]).astype(CAPTURED_NOTES)


def test_on_the_demo_erp_a_small_promise_or_plan_keeps_the_rank_and_a_follow_up_parks(sqlite_erp, tmp_path):
    demo.build(sqlite_erp, customers=60, seed=5, as_of=AS_OF)
    settings = Settings(erp=ErpSettings(connect=sqlite_erp))
    day, next_day = pd.Timestamp(AS_OF), AS_OF + dt.timedelta(days=1)
    before, shown = erp_worklist(settings, next_day)
    aged = shown.aged
    collector = before["collector"].value_counts().index[0]
    mine = before[before["collector"] == collector].sort_values("rank")
    assert mine["parked_until"].isna().all()
    falling = set(aged.loc[(aged["due_date"] == day).to_numpy() & (aged["base_balance_cents"] > 0).to_numpy(),
                           "customer_id"])  # an invoice due on the day of the note falls past due after it
    first, plan_for = mine.index[0], mine.index[-1]
    second, bounced = [c for c in mine.index[1:-1] if c not in falling][:2]
    overtaken = next(c for c in mine.index[1:] if c in falling)
    promise = erp_note(first, day + pd.Timedelta(hours=10), outcome="Promised", promise_cents=55_190,
                       promise_date=day + pd.Timedelta(days=7))
    calls = [erp_note(who, day + pd.Timedelta(hours=11), follow_up=day + pd.Timedelta(days=3))
             for who in (second, overtaken, bounced)]
    planned = int(mine.loc[plan_for, "past_due_cents"]) // 4
    plan = plan_note(plan_for, payment_plan(planned, 2, "1m", AS_OF + dt.timedelta(days=10)), "1m",
                     written=(day + pd.Timedelta(hours=12)).to_pydatetime(), author="ana").assign(note_id="")
    pushed = push_captured(pd.concat([promise, *calls, plan.astype(CAPTURED_NOTES)]), tmp_path / "outbox.sqlite",
                           settings, AS_OF, QUIET)
    assert list(pushed.notes["state"]) == ["Pushed"] * 5
    reverse_a_receipt(settings.erp, bounced, next_day)

    after, now = erp_worklist(settings, next_day)
    # coverage: the four accounts noted today count as contacted this month, whatever they were before
    written = shown.notes["written"].dt.normalize()
    noted = set(shown.notes.loc[(written >= pd.Timestamp("2026-11-01")).to_numpy()
                                & (written <= pd.Timestamp(next_day)).to_numpy(), "customer_id"])
    fresh = len({first, second, overtaken, bounced, plan_for} - noted)
    was, got = (figures.collectors.set_index("collector").loc[collector] for figures in (shown.summary, now.summary))
    assert (got["contacted"], got["to_contact"]) == (was["contacted"] + fresh, was["to_contact"])
    assert fresh > 0 and got["to_contact"] == len(mine)
    top = after.loc[first]
    assert (top["rank"], top["at_risk_cents"]) == (1, before.loc[first, "past_due_cents"] - 55_190)
    assert top["why"].startswith(f"{amount_text(top['at_risk_cents'])} of {amount_text(top['past_due_cents'])} "
                                 f"past due not covered by the promise of 551.90 by {AS_OF + dt.timedelta(days=7)}")
    parked = after.loc[second]
    assert (parked["rank"], parked["parked_until"]) == (len(mine), day + pd.Timedelta(days=3))
    assert parked["why"].startswith(f"Parked until {AS_OF + dt.timedelta(days=3)} (follow-up); ")
    assert pd.isna(after.loc[overtaken, "parked_until"])
    assert after.loc[overtaken, "why"].startswith(f"Follow-up of {AS_OF + dt.timedelta(days=3)} overtaken: since the "
                                                  f"note of {AS_OF}, ")
    assert "fallen past due" in after.loc[overtaken, "why"].split(";")[0]
    assert after.loc[bounced, "why"].startswith(f"Follow-up of {AS_OF + dt.timedelta(days=3)} overtaken: since the "
                                                f"note of {AS_OF}, 1 payment returned; ")
    covered = after.loc[plan_for]
    assert covered["at_risk_cents"] == covered["past_due_cents"] - planned
    assert pd.isna(covered["parked_until"]) and "not covered by the payment plan's" in covered["why"]
    assert covered["rank"] < len(mine)  # three quarters still at risk: ahead of the parked account

    on_the_day, _ = erp_worklist(settings, AS_OF + dt.timedelta(days=3))
    due = on_the_day[on_the_day["collector"] == collector].sort_values("rank")[:3]
    assert set(due.index) == {second, overtaken, bounced}  # the follow-ups fall due: the first three to call
    assert [why.split(";")[0] for why in due["why"]] == ["Follow-up due today"] * 3


def reverse_a_receipt(erp, customer, day):
    """A receipt of the customer's reversed on `day` as Epicor reverses one (a bounced check): a posted CashHead
    row of the negative amount naming the receipt it reverses; payments.sql reads it as a negative payment."""
    with connect(erp) as conn:
        dialect = dialect_of(conn)

        def run(sql, *params):
            return conn.execute(render(sql, dialect), *params)
        number, head, amount, currency = run(
            "SELECT c.CustNum, h.HeadNum, h.TranAmt, h.CurrencyCode FROM Erp.CashHead AS h JOIN Erp.Customer AS c "
            "ON c.Company = h.Company AND c.CustNum = h.CustNum WHERE c.CustID = ? AND h.ReverseRef = 0 "
            "AND h.TranAmt > 0 ORDER BY h.TranDate DESC, h.HeadNum DESC",
            customer).fetchone()
        top = run("SELECT MAX(HeadNum) FROM Erp.CashHead").fetchone()[0]
        run("INSERT INTO Erp.CashHead (Company, GroupID, HeadNum, Posted, TranType, CheckRef, CustNum, TranDate, "
            "CurrencyCode, TranAmt, AppliedAmt, UnAppliedAmt, CreditMemoNum, ReverseRef) VALUES (?, 'REVERSAL', ?, "
            "TRUE, 'PayInv', 'NSF', ?, CAST(? AS DATE), ?, ?, ?, 0, 0, ?)", COMPANY, top + 1, number, day.isoformat(),
            currency, -amount, -amount, head)
        conn.commit()
