"""The demo ledger's history as a forward simulation: month by month from a fixed first month, each month drawing
its documents from a random stream of its own (keyed by the seed and the month), and everything that will ever
happen to a document (its payments, credit memo, dispute, write-off, recovery, collection notes) drawn when it is
created. A ledger built as of a day is this history cut at that day, so one built later holds exactly the same
rows up to any earlier day: later months only add.

Payment behaviour follows published B2B payment-practice figures (docs/demo.md): about half of the invoices paid
late, 10-15 days beyond terms on average, a few percent stuck in disputes, about 1% of sales written off.
"""
import numpy as np
import pandas as pd

from ardesk.demo.arrays import NO_DATE

FIRST_MONTH = np.datetime64("2025-08", "M")
"""The demo company's first month on this ERP: its history grows from here with the build date (16 months on
2026-12-07). What was still open then was migrated, dated as in the old system."""
WARM_UP = 12
"""Months simulated before FIRST_MONTH so that the migrated open items have the ages of a running ledger."""
GO_LIVE = np.datetime64("2026-10", "M")
"""From this month on every invoice is a row; before it, one row stands for HISTORY_SIZE invoices of the same
sales (the old system's history came across summarised), so 1,500 customers still load in seconds."""
HISTORY_SIZE = 10.0
INV, CM, UR, DN = range(4)
INVOICES = 0.905
"""Share of the open items that are invoices, which sets each customer's pace of invoicing."""

HABITS = (  # payment habit: share of customers, chance an invoice is paid late, typical days late when it is,
    (0.40, 0.25, 6, 0.003),  # chance a month puts the customer on credit hold
    (0.30, 0.50, 12, 0.01),
    (0.20, 0.70, 24, 0.03),
    (0.10, 0.85, 50, 0.10),
)
_STUCK, _STUCK_DAYS = 0.025, (30, 150)
"""Invoices held up by a dispute or a lost invoice, paid this many days later than the habit alone."""
_FORGOTTEN = 0.0015
"""Invoices disputed long ago and never cleared: open for a year or two, until someone writes them off."""
BAD_DEBT = 0.014
"""Chance an invoice is never paid and written off 90-300 days past due (times the habit's risk, _HABIT_RISK)."""
_HABIT_RISK = (0.2, 0.5, 1.0, 4.0)
_RECOVERED = 0.15
"""Share of write-offs the customer pays after all, 20-120 days later."""
_PARTIAL, _SHORT = 0.07, 0.4
"""Invoices paid in two parts; of those, the share short-paid (a deduction: a small balance left behind)."""
_CREDITED, _DEBITED, _VIA_CASH, _ON_ACCOUNT = 0.06, 0.017, 0.03, 0.006
"""Chance an invoice gets a credit memo, a debit note, is paid by cash nobody applies for a while, or is followed
by a payment on account."""
NOTE_CHANCE = 0.015
"""Chance a collector writes notes about an invoice paid late (in the summarised history: HISTORY_SIZE times)."""
_STATEMENT_NOTE = 0.02
"""Chance a month has a statement e-mailed to a customer, noted."""
LEAD_DAYS = 3
"""An order is placed up to this many days before its first shipment."""
_HELD_PER_CUSTOMERS = 3000
"""Each month enters one invoice for every this many customers (at least one) into a group held unposted."""


def stream(seed: int, *key: int) -> np.random.Generator:
    """The random stream of one part of the history: the same (seed, key) always draws the same numbers."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def month_start(month) -> int:
    return int(np.datetime64(month, "M").astype("datetime64[D]").astype(np.int64))


def months(today: int, ahead: int) -> np.ndarray:
    """The months simulated for a ledger as of `today`: the warm-up, then through the month `ahead` days after
    today (the shipments of the orders placed by today)."""
    last = np.datetime64(int(today) + ahead, "D").astype("datetime64[M]")
    return np.arange(FIRST_MONTH - WARM_UP, last + 1)


def month_of(seed: int, cust: pd.DataFrame, month: np.datetime64) -> tuple[dict, dict, float]:
    """One month's documents with their fates, its customers' events (statements noted, credit holds) and its
    exchange-rate step, all drawn from the month's own stream."""
    rng = stream(seed, 1, int(month.astype(np.int64)))
    step = float(rng.normal(0, 0.015))
    first, days = month_start(month), month_start(month + 1) - month_start(month)
    size = HISTORY_SIZE if month < GO_LIVE else 1.0
    n_cust = len(cust)
    buying = cust["buys_until"].to_numpy() > first
    c = np.repeat(np.arange(n_cust), rng.poisson(cust["per_day"].to_numpy() * buying * days / size))
    c = c[rng.permutation(len(c))]
    date = first + rng.integers(0, days, len(c))
    pay = cust["pay_days"].to_numpy()[c]
    amount = invoice_amounts(cust, c, rng, size)
    inv = _payable(cust, c, date, pay, amount, INV, size, rng)
    inv["shipped"] = rng.random(len(c)) < 0.85
    _designate(inv, cust, first, days, rng)
    pool = np.flatnonzero(inv["wo_day"] == NO_DATE)
    held = rng.choice(pool, min(len(pool), max(1, n_cust // _HELD_PER_CUSTOMERS)), replace=False)
    inv["held"] = np.zeros(len(c), dtype=bool)
    inv["held"][held] = True
    for k in ("p1_day", "p2_day", "wo_day", "rec_day"):
        inv[k][held] = NO_DATE
    for k in ("p1_amt", "p2_amt", "wo_amt"):
        inv[k][held] = 0
    late = np.flatnonzero((inv["date"] >= first + days - 3) & ~inv["held"])
    inv["apply"] = inv["date"].copy()
    if len(late):  # entered late: posted to the GL on the first of the next month, the close's timing difference
        inv["apply"][rng.choice(late)] = first + days
    parts = [inv, *_children(cust, inv, size, rng)]
    docs = {k: np.concatenate([part[k] for part in parts]) for k in inv}
    n = len(docs["c"])
    docs.update(key=rng.integers(0, 2**62, n), draw=rng.integers(10_000, 99_999_999, n), order_u=rng.random(n),
                lead=rng.integers(1, LEAD_DAYS + 1, n))
    return docs, _customer_events(cust, first, days, rng), step


def invoice_amounts(cust: pd.DataFrame, c: np.ndarray, rng: np.random.Generator, size: float = 1.0) -> np.ndarray:
    """Invoice amounts in document-currency cents around each customer's typical size (times `size`)."""
    cents = size * cust["invoice_size"].to_numpy()[c] * rng.lognormal(0, 0.7, len(c))
    return np.maximum(np.round(cents), 25_00).astype(np.int64)


def _payable(cust: pd.DataFrame, c: np.ndarray, date: np.ndarray, pay: np.ndarray, amount: np.ndarray, kind: int,
             size: float, rng: np.random.Generator) -> dict:
    """Invoices or debit notes and their fates: paid on the customer's check-run day on time or late (its habit),
    held up, never paid, written off (some recovered), or paid in two parts (some short, the rest written off)."""
    n = len(c)
    due = date + pay
    habit = cust["habit"].to_numpy()[c]
    late = rng.random(n) < np.array([h[1] for h in HABITS])[habit]
    days_late = 1 + rng.gamma(1.5, cust["lateness"].to_numpy()[c] / 1.5)
    stuck = rng.random(n) < _STUCK
    days_late = np.where(stuck, days_late + rng.integers(*_STUCK_DAYS, n), days_late).astype(np.int64)
    cadence, offset = cust["cadence"].to_numpy()[c], cust["run_offset"].to_numpy()[c]
    intended = np.maximum(np.where(late | stuck, due + days_late, due - cadence), date)
    paid = intended + (offset - intended) % cadence  # the first check run on or after it
    bad = rng.random(n) < BAD_DEBT * np.array(_HABIT_RISK)[habit]
    never = ~bad & (rng.random(n) < _FORGOTTEN)
    partial = ~bad & ~never & (rng.random(n) < _PARTIAL)
    short = partial & (rng.random(n) < _SHORT)
    first_part = np.round(amount * rng.uniform(0.2, 0.8, n)).astype(np.int64)
    left = np.where(short, np.minimum(amount // 2, rng.integers(5_00, 250_00, n)), 0)
    written = due + rng.integers(90, 300, n)
    recovered = bad & (rng.random(n) < _RECOVERED)
    small_written = short & (rng.random(n) < 0.7)
    return {
        "c": c, "kind": np.full(n, kind), "date": date, "due": due, "doc_amt": amount, "size": np.full(n, size),
        "p1_day": np.where(partial, date + ((paid - date) * rng.uniform(0.2, 0.9, n)).astype(np.int64), NO_DATE),
        "p1_amt": np.where(partial, first_part, 0),
        "p2_day": np.where(bad | never, NO_DATE, paid),
        "p2_amt": np.where(bad | never, 0, amount - np.where(partial, first_part, 0) - left),
        "wo_day": np.select([bad, never, small_written], [written, due + rng.integers(365, 700, n),
                                                          paid + rng.integers(60, 240, n)], NO_DATE),
        "wo_amt": np.where(bad | never, amount, np.where(small_written, left, 0)),
        "reason": np.select([bad, never], [rng.choice(3, n, p=[0.3, 0.5, 0.2]), 1], 3),
        "rec_day": np.where(recovered, written + rng.integers(20, 120, n), NO_DATE),
        "stuck": stuck | never, "parent": np.full(n, -1), "via": np.full(n, -1), "use_day": np.full(n, NO_DATE),
        "use_amt": np.zeros(n, dtype=np.int64), "note_u": rng.random(n), "note_kind": rng.random(n),
        "note_detail": rng.integers(0, 1000, n),
    }


def _designate(inv: dict, cust: pd.DataFrame, first: int, days: int, rng: np.random.Generator) -> None:
    """Make every month's close have write-offs to show: of this month's invoices (terms up to 60 days) two are
    written off four months on and one three months on, recovered the month after."""
    pool = np.flatnonzero((cust["pay_days"].to_numpy()[inv["c"]] <= 60) & (inv["p1_day"] == NO_DATE))
    if len(pool) < 3:
        return
    chosen = rng.choice(pool, 3, replace=False)
    start = [month_start(np.datetime64(first, "D").astype("datetime64[M]") + k) for k in (4, 5, 3, 4, 5)]
    written = [start[0] + rng.integers(0, start[1] - start[0]) for _ in range(2)]
    written.append(start[2] + rng.integers(0, start[3] - start[2]))
    recovered = max(written[2] + 20, start[3] + int(rng.integers(0, start[4] - start[3])))
    inv["p2_day"][chosen], inv["p2_amt"][chosen] = NO_DATE, 0
    inv["wo_day"][chosen], inv["wo_amt"][chosen] = written, inv["doc_amt"][chosen]
    inv["reason"][chosen] = rng.choice(3, 3, p=[0.3, 0.5, 0.2])
    inv["rec_day"][chosen] = [NO_DATE, NO_DATE, min(recovered, start[4] - 1)]


def _children(cust: pd.DataFrame, inv: dict, size: float, rng: np.random.Generator) -> list[dict]:
    """What follows some invoices, drawn with them: credit memos (used in full, in part or not yet), debit notes
    (payable themselves), the cash that paid an invoice and sat unapplied until a clerk applied it (the invoice
    stays open till then: what the credit matcher finds), and payments on account."""
    n = len(inv["c"])
    c, date, amount = inv["c"], inv["date"], inv["doc_amt"]
    posted = ~inv["held"]
    cm = np.flatnonzero(posted & (rng.random(n) < _CREDITED))
    share = np.where(rng.random(len(cm)) < 0.4, 1.0, rng.uniform(0.05, 0.3, len(cm)))
    cm_amt = -np.maximum(np.round(amount[cm] * share), 10_00).astype(np.int64)
    use = rng.random(len(cm))
    used = np.where(use < 0.55, cm_amt, np.where(use < 0.75, np.round(cm_amt * rng.uniform(0.2, 0.9, len(cm))), 0))
    cm_date = date[cm] + rng.integers(0, 15, len(cm))
    credits = _bare(c[cm], CM, cm_date, cm_date, cm_amt, size)
    credits["parent"] = np.where(rng.random(len(cm)) < 0.85, cm, -1)
    credits["use_day"] = np.where(used != 0, cm_date + rng.integers(5, 90, len(cm)), NO_DATE)
    credits["use_amt"] = used.astype(np.int64)

    dn = np.flatnonzero(posted & (rng.random(n) < _DEBITED))
    dn_date = date[dn] + rng.integers(0, 15, len(dn))
    pay = cust["pay_days"].to_numpy()[c[dn]]
    debits = _payable(cust, c[dn], dn_date, pay, rng.integers(25_00, 400_00, len(dn)), DN, size, rng)
    debits["parent"] = np.where(rng.random(len(dn)) < 0.7, dn, -1)

    simple = posted & (inv["p1_day"] == NO_DATE) & (inv["p2_day"] != NO_DATE) & (inv["wo_day"] == NO_DATE)
    via = np.flatnonzero(simple & (rng.random(n) < _VIA_CASH))
    paid_on = inv["p2_day"][via]
    unapplied = _bare(c[via], UR, paid_on, paid_on, -inv["p2_amt"][via], size)
    applied_on = paid_on + 1 + np.minimum(rng.exponential(30, len(via)), 150).astype(np.int64)
    unapplied["parent"], unapplied["use_day"] = via, applied_on
    unapplied["use_amt"] = np.where(applied_on == NO_DATE, 0, unapplied["doc_amt"])
    at = n + len(credits["c"]) + len(debits["c"])
    inv["p2_day"][via] = applied_on  # the invoice is paid when the cash is applied to it
    inv["via"][via] = at + np.arange(len(via))

    simple[via] = False
    acct = np.flatnonzero(simple & (rng.random(n) < _ON_ACCOUNT))
    acct_on = inv["p2_day"][acct]
    round_sum = -(np.round(amount[acct] * 0.3 / 50_00) * 50_00 + 50_00).astype(np.int64)
    on_account = _bare(c[acct], UR, acct_on, acct_on, round_sum, size)
    on_account["use_day"] = np.where(rng.random(len(acct)) < 0.3, NO_DATE,
                                     acct_on + 1 + rng.exponential(60, len(acct)).astype(np.int64))
    on_account["use_amt"] = np.where(on_account["use_day"] == NO_DATE, 0, round_sum)
    for part in (credits, debits, unapplied, on_account):
        part["shipped"] = part["held"] = np.zeros(len(part["c"]), dtype=bool)
        part["apply"] = part["date"]
    return [credits, debits, unapplied, on_account]


def _bare(c, kind: int, date, due, amount, size: float) -> dict:
    """Credits: documents with no fate of their own but a use (use_day, use_amt)."""
    n = len(c)
    none, zero = np.full(n, NO_DATE), np.zeros(n, dtype=np.int64)
    return {
        "c": c, "kind": np.full(n, kind), "date": date, "due": due, "doc_amt": np.asarray(amount, dtype=np.int64),
        "size": np.full(n, size), "p1_day": none, "p1_amt": zero, "p2_day": none, "p2_amt": zero, "wo_day": none,
        "wo_amt": zero, "reason": zero, "rec_day": none, "stuck": np.zeros(n, dtype=bool), "parent": np.full(n, -1),
        "via": np.full(n, -1), "use_day": none, "use_amt": zero, "note_u": np.ones(n), "note_kind": np.zeros(n),
        "note_detail": zero,
    }


def _customer_events(cust: pd.DataFrame, first: int, days: int, rng: np.random.Generator) -> dict:
    """A month's statements noted (c, day, kind 'statement') and credit holds placed (kind 'hold', until when):
    at least one hold a month, the likeliest customer's."""
    n = len(cust)
    statement = np.flatnonzero(rng.random(n) < _STATEMENT_NOTE)
    chance = np.array([h[3] for h in HABITS])[cust["habit"].to_numpy()]
    roll = rng.random(n)
    hold = roll < chance
    hold[np.argmax(chance - roll)] = True
    held = np.flatnonzero(hold)
    length = rng.integers(15, 120, n)
    manual = rng.random(n) < 0.4
    day = first + rng.integers(0, days, n)
    return {
        "c": np.concatenate([statement, held]),
        "day": np.concatenate([day[statement], day[held]]),
        "hold": np.concatenate([np.zeros(len(statement), dtype=bool), np.ones(len(held), dtype=bool)]),
        "until": np.concatenate([np.full(len(statement), NO_DATE), day[held] + length[held]]),
        "manual": np.concatenate([np.zeros(len(statement), dtype=bool), manual[held]]),
        "detail": rng.integers(0, 1000, len(statement) + len(held)),
    }
