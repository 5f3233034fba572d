"""Fake Epicor ledgers: every demo ERP table as a frame, a pure function of (customers, seed, as_of).

Customers with skewed sizes and payment habits, open items in every aging bucket, credit memos and unapplied cash
to match, 16 months of paid history (sales for DSO), receipts, orders and collection notes: something a collector
would recognise. Nothing is dated after as_of. The frames are pyarrow-backed with the exact columns of
sql/demo/schema.sql: money is decimal128 (sums are exact, no float ever reaches a database), dates are date32.
ardesk.erp.demo loads them into a database.
"""
import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ardesk.demo import addresses, contacts, returns, tax_ids
from ardesk.demo.arrays import EPOCH, NO_DATE, column, concat, dates, decimal, digits, lookup, pick, text, ymd
from ardesk.demo.schema import schema
from ardesk.errors import ArdeskError
from ardesk.money import cents_from_arrow

COMPANY = "EPIC06"
BASE_CURRENCY = "USD"
OPEN_PER_CUSTOMER = 20
"""Average open items per customer; activity is lognormal, so most accounts are small and a few are big."""
HISTORY_DAYS = 480
"""Paid invoices go back about 16 months: the Summary's twelve month-end AR snapshots and the 90 days of
sales before the oldest one."""
HISTORY_SIZE = 10.0
"""Paid invoices are this many times fewer, and larger, than the invoices they stand for: the same sales in
fewer rows, so 50,000 customers still load in a minute."""

INV, CM, UR, DN = range(4)
_SUFFIX = ("", "CM", "UR", "DN")
_INVOICES = 0.905
"""Share of open items that are invoices (the rest credit memos, unapplied cash and debit notes)."""

_CURRENCIES = (  # code, description, share of customers, rate to USD the monthly rate walks around
    ("USD", "US Dollar", 0.85, 1.0),
    ("EUR", "Euro", 0.10, 1.08),
    ("GBP", "Pound Sterling", 0.05, 1.27),
)
_TERMS = (  # code (Epicor keeps four characters), description, pay days, discount %, discount days, share
    ("N30", "Net 30", 30, 0, 0, 0.48),
    ("N45", "Net 45", 45, 0, 0, 0.12),
    ("N60", "Net 60", 60, 0, 0, 0.10),
    ("N15", "Net 15", 15, 0, 0, 0.05),
    ("N90", "Net 90", 90, 0, 0, 0.03),
    ("2N30", "2% 10 Net 30", 30, 2, 10, 0.13),
    ("1N30", "1% 10 Net 30", 30, 1, 10, 0.04),
    ("DUE", "Due on receipt", 0, 0, 0, 0.05),
)
_TERRITORIES = ("EAST", "WEST", "CENTRAL", "SOUTH", "EMEA")
_US_TERRITORY_SHARE = (0.32, 0.24, 0.26, 0.18)
_REPS = (  # code, name, territory
    ("JWALSH", "James Walsh", "EAST"), ("LCHEN", "Linda Chen", "EAST"), ("RPATEL", "Raj Patel", "EAST"),
    ("AMORENO", "Ana Moreno", "WEST"), ("BKIM", "Brian Kim", "WEST"), ("KOKAFOR", "Kemi Okafor", "WEST"),
    ("DMILLER", "Dave Miller", "CENTRAL"), ("SJOHNSON", "Sarah Johnson", "CENTRAL"),
    ("TGARCIA", "Teresa Garcia", "SOUTH"), ("MBROOKS", "Marcus Brooks", "SOUTH"),
    ("HSCHMIDT", "Hanna Schmidt", "EMEA"), ("OBENNETT", "Oliver Bennett", "EMEA"),
)
_COLLECTORS = (  # id, name, the territories of their portfolio (the last one keeps the key accounts)
    ("DKOWALSKI", "Dana Kowalski", ("EAST",)),
    ("MREYES", "Miguel Reyes", ("WEST",)),
    ("PNAIR", "Priya Nair", ("CENTRAL", "SOUTH")),
    ("SFOURNIER", "Sophie Fournier", ("EMEA",)),
    ("TBRADLEY", "Tom Bradley", ()),
)
_KEY_ACCOUNTS = 0.03
"""Share of customers, the most active, that the key-account collector keeps wherever they are."""
_GROUPS = ("DIST", "OEM", "RETL", "SERV", "GOVT")
_HABITS = (  # payment habit: share of customers, typical days late, chance of being on credit hold
    (0.35, 5, 0.01),
    (0.30, 20, 0.03),
    (0.22, 50, 0.10),
    (0.13, 150, 0.35),
)
_CONTACTS = ("Maria", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Susan", "James",
             "Karen", "Carlos", "Aisha", "Tom", "Rachel", "Greg", "Yvonne", "Luis", "Megan", "Ahmed")


def generate(customers: int = 1500, seed: int = 7, as_of: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """Every demo table as a frame; the same (customers, seed, as_of) gives identical frames (as_of: today)."""
    if int(customers) < 1:
        raise ArdeskError(f"The demo ERP needs at least one customer, not {customers}: pass --customers 1 or more.")
    if int(seed) < 0:
        raise ArdeskError(f"The demo seed {seed} is negative: pass --seed 0 or more.")
    today = (as_of or dt.date.today()).toordinal() - EPOCH
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(11)]  # a stream per part
    cust = _customers(int(customers), rng[0])
    docs = _documents(cust, today, rng[1])
    rates = _exchange_rates(np.min(docs["date"].to_numpy(), initial=today - 365), today, rng[2])
    _price(docs, cust, rates)
    receipts, applications = _receipts(docs, cust, today, rng[3])
    cash_details = _cash_details(docs, applications, today, rng[7])
    docs["apply"] = _apply_dates(docs, today, rng[8])
    orders, po = _orders(docs, cust, rates, today, rng[4])
    calls = _calls(docs, po, cust, today, rng[5])
    credit = _credit(cust, docs, today, rng[6])
    people = contacts.contacts(cust["CustNum"].to_numpy(), cust["Name"].tolist(), cust["EMailAddress"].to_numpy(),
                               cust["PhoneNum"].to_numpy(), rng[9])
    bad = _bad_debts(cust, int(np.max(docs["InvoiceNum"].to_numpy(), initial=10_000)) + 1, rates, today, rng[10])
    bad_details = _bad_debt_details(bad, len(receipts["HeadNum"]) + 1, len(cash_details["DtlNum"]) + 1)
    return returns.returned({
        "Erp.Currency": _frame("Erp.Currency", {
            "CurrencyCode": [c[0] for c in _CURRENCIES], "CurrDesc": [c[1] for c in _CURRENCIES],
            "BaseCurr": [c[0] == BASE_CURRENCY for c in _CURRENCIES]}),
        "Erp.CurrExRate": _frame("Erp.CurrExRate", rates),
        "Erp.Terms": _frame("Erp.Terms", _terms()),
        "Erp.TermsSched": _frame("Erp.TermsSched", _terms()),
        "Erp.SalesRep": _frame("Erp.SalesRep", {
            "SalesRepCode": [r[0] for r in _REPS], "Name": [r[1] for r in _REPS],
            "EMailAddress": [r[1].lower().replace(" ", ".") + "@epic06.example.com" for r in _REPS]}),
        "Erp.Customer": _frame("Erp.Customer", {**cust, **credit, **people["Customer"],
                                                "ResaleID": tax_ids.tax_ids(cust["CustID"], cust["Country"])}),
        "Erp.CustCnt": _frame("Erp.CustCnt", people["Erp.CustCnt"]),
        "Erp.InvcHead": _stacked(_invoices(docs, po, cust), _frame("Erp.InvcHead", _bad_debt_invoices(bad, cust))),
        "Erp.CashHead": _stacked(_frame("Erp.CashHead", receipts),
                                 _frame("Erp.CashHead", _recovery_receipts(bad, bad_details, cust))),
        "Erp.CashDtl": _stacked(_frame("Erp.CashDtl", {**cash_details, "ReasonCode": ""}),
                                _frame("Erp.CashDtl", bad_details)),
        "Erp.Reason": _frame("Erp.Reason", {"ReasonType": "W", "ReasonCode": [r[0] for r in REASONS],
                                            "Description": [r[1] for r in REASONS]}),
        "Erp.GLJrnDtl": _stacked(_frame("Erp.GLJrnDtl", _general_ledger(docs, cash_details, today)),
                                 _frame("Erp.GLJrnDtl", _bad_debt_ledger(bad, _opening_allowance(docs), today))),
        "Erp.OrderHed": _frame("Erp.OrderHed", orders),
        "Erp.CRMCall": _frame("Erp.CRMCall", calls),
        "ardesk.ardesk_collector": _frame("ardesk.ardesk_collector", cust),
        "ardesk.ardesk_note": _empty("ardesk.ardesk_note"),  # no note of the demo was pushed by ardesk
        "ardesk.ardesk_application": _empty("ardesk.ardesk_application"),  # nothing applied yet
        "ardesk.ardesk_close": _empty("ardesk.ardesk_close"),  # no period closed yet
        "ardesk.ardesk_close_doc": _empty("ardesk.ardesk_close_doc"),
        "ardesk.ardesk_bureau_report": _empty("ardesk.ardesk_bureau_report"),  # no bureau report imported yet
        "ardesk.ardesk_credit_limit": _empty("ardesk.ardesk_credit_limit"),  # no limit staged yet
    }, seed, today, GL_ACCOUNT)


def _customers(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per customer: the Customer columns plus the habits its documents are drawn from."""
    currency = rng.choice(len(_CURRENCIES), n, p=[c[2] for c in _CURRENCIES])
    territory = np.where(currency == 0, rng.choice(4, n, p=_US_TERRITORY_SHARE), 4)
    rep = np.empty(n, dtype=object)
    for t, name in enumerate(_TERRITORIES):
        here = territory == t
        rep[here] = pick(rng, [r[0] for r in _REPS if r[2] == name], int(here.sum()))
    terms = rng.choice(len(_TERMS), n, p=[t[5] for t in _TERMS])
    habit = rng.choice(len(_HABITS), n, p=[h[0] for h in _HABITS])
    sigma = 1.2
    activity = rng.lognormal(np.log(OPEN_PER_CUSTOMER) - sigma**2 / 2, sigma, n)
    cadence = rng.choice([7, 14, 30], n, p=[0.4, 0.35, 0.25])  # the customer's check run, in days
    key = activity >= np.quantile(activity, 1 - _KEY_ACCOUNTS)
    portfolio = {t: i for i, c in enumerate(_COLLECTORS) for t in c[2]}
    collector = np.where(key, len(_COLLECTORS) - 1, [portfolio[_TERRITORIES[t]] for t in territory])
    cust = pd.DataFrame({
        "CustNum": np.arange(1, n + 1),
        "CustID": [f"C{num:06d}" for num in range(1, n + 1)],
        "TermsCode": np.array([t[0] for t in _TERMS], dtype=object)[terms],
        "SalesRepCode": rep,
        "TerritoryID": np.array(_TERRITORIES, dtype=object)[territory],
        "GroupCode": pick(rng, _GROUPS, n),
        "CurrencyCode": np.array([c[0] for c in _CURRENCIES], dtype=object)[currency],
        "CollectorID": np.array([c[0] for c in _COLLECTORS], dtype=object)[collector],
        "CollectorName": np.array([c[1] for c in _COLLECTORS], dtype=object)[collector],
        "currency": currency,
        "pay_days": np.array([t[2] for t in _TERMS])[terms],
        "habit": habit,
        "lateness": np.array([h[1] for h in _HABITS])[habit] * rng.lognormal(0, 0.3, n),
        "activity": activity,
        "invoice_size": rng.lognormal(np.log(1_800_00), 0.8, n),  # cents, document currency
        "cadence": cadence,
        "run_offset": rng.integers(0, cadence),
        **addresses.name_and_address(np.array([c[0] for c in _CURRENCIES])[currency],
                                     np.array(_TERRITORIES)[territory], rng),
    })
    return cust


def _documents(cust: pd.DataFrame, today: int, rng: np.random.Generator) -> pd.DataFrame:
    """Open items, then the paid history, each by customer; amounts in document-currency cents.
    ref_num and ref2_num hold the invoice numbers a document refers to (0 for none)."""
    docs = pd.concat([_open_items(cust, today, rng), _paid_invoices(cust, today, rng)], ignore_index=True)
    _reference(docs, today, rng)
    number = _numbers_by_date(docs["date"].to_numpy(), 10_001, rng)
    docs["InvoiceNum"] = number
    for ref in ("ref", "ref2"):
        docs[f"{ref}_num"] = np.where(docs[ref] >= 0, number[docs[ref]], 0)
    return docs


def _numbers_by_date(day: np.ndarray, first: int, rng: np.random.Generator) -> np.ndarray:
    """Document numbers from `first` that rise with the date, as an ERP hands them out (ties at random)."""
    shuffle = rng.permutation(len(day))
    since = (day[shuffle] - np.min(day, initial=0)).astype(np.uint16)  # a radix sort: days span < 179 years
    number = np.empty(len(day), dtype=np.int64)
    number[shuffle[np.argsort(since, kind="stable")]] = first + np.arange(len(day))
    return number


def _open_items(cust: pd.DataFrame, today: int, rng: np.random.Generator) -> pd.DataFrame:
    """What is open today. An invoice's age is uniform over the time its customer takes to pay it (terms
    plus that customer's lateness): what a steady stream of invoices leaves open on any given day."""
    c = np.repeat(np.arange(len(cust)), rng.poisson(cust["activity"]))
    n = len(c)
    kind = rng.choice(4, n, p=[_INVOICES, 0.05, 0.03, 0.015])
    pay = cust["pay_days"].to_numpy()[c]
    late = rng.gamma(1.5, cust["lateness"].to_numpy()[c] / 1.5)
    age = np.floor(rng.random(n) * (pay + late)).astype(np.int64)
    stuck = (kind == INV) & (rng.random(n) < 0.07)  # held up by a dispute or a lost invoice
    age[stuck] += rng.integers(30, 300, int(stuck.sum()))
    forgotten = (kind == INV) & (rng.random(n) < 0.004)  # disputed long ago and never cleared
    age[forgotten] += rng.integers(365, 900, int(forgotten.sum()))
    credit = (kind == CM) | (kind == UR)
    age[credit] = np.minimum(rng.exponential(60, int(credit.sum())), 700).astype(np.int64)
    posted = np.ones(n, dtype=bool)
    invoices = np.flatnonzero(kind == INV)
    unposted = rng.choice(invoices, min(len(invoices), max(3, n // 2000)), replace=False)
    posted[unposted] = False  # entered this week and not yet posted: not on the ledger
    age[unposted] = rng.integers(0, 4, len(unposted))
    amount = _invoice_amounts(cust, c, rng)
    amount[kind == DN] = rng.integers(25_00, 400_00, int((kind == DN).sum()))
    balance = amount.copy()
    partial = (kind == INV) & posted & (rng.random(n) < 0.07)
    short_paid = partial & (rng.random(n) < 0.4)  # a deduction: a small balance left behind
    balance[partial] = np.round(amount[partial] * rng.uniform(0.2, 0.8, int(partial.sum())))
    balance[short_paid] = np.minimum(amount[short_paid], rng.integers(5_00, 250_00, int(short_paid.sum())))
    date = today - age
    return pd.DataFrame({
        "c": c, "kind": kind, "date": date, "due": np.where(credit, date, date + pay),
        "doc_amt": amount, "doc_bal": balance, "open": True, "posted": posted, "closed": NO_DATE,
        "shipped": (kind == INV) & (rng.random(n) < 0.85),
    })


def _paid_invoices(cust: pd.DataFrame, today: int, rng: np.random.Generator) -> pd.DataFrame:
    """Invoices of the last HISTORY_DAYS that were paid by today, on the customer's check-run days.

    A customer's open invoices are those of its last pay_days + lateness days, so that is its pace of
    invoicing; the history keeps the pace all the way back, so monthly sales run level up to today (the
    invoices not yet paid drop out here: the open items stand for them)."""
    per_day = cust["activity"].to_numpy() * _INVOICES / (cust["pay_days"] + cust["lateness"]).to_numpy()
    c = np.repeat(np.arange(len(cust)), rng.poisson(per_day * HISTORY_DAYS / HISTORY_SIZE))
    date = today - rng.integers(0, HISTORY_DAYS, len(c))
    pay = cust["pay_days"].to_numpy()[c]
    late = rng.gamma(1.5, cust["lateness"].to_numpy()[c] / 1.5).astype(np.int64)
    cadence, offset = cust["cadence"].to_numpy()[c], cust["run_offset"].to_numpy()[c]
    due_paid = date + pay + late
    closed = due_paid + (offset - due_paid) % cadence  # the first check-run day on or after it
    keep = closed <= today
    c, date, closed, pay = c[keep], date[keep], closed[keep], pay[keep]
    return pd.DataFrame({
        "c": c, "kind": INV, "date": date, "due": date + pay, "doc_amt": _invoice_amounts(cust, c, rng, HISTORY_SIZE),
        "doc_bal": 0, "open": False, "posted": True, "closed": closed, "shipped": rng.random(len(c)) < 0.85,
    })


def _invoice_amounts(cust: pd.DataFrame, c: np.ndarray, rng: np.random.Generator, size: float = 1.0) -> np.ndarray:
    """Invoice amounts in cents around `size` times each customer's typical one, never under 25.00."""
    cents = size * cust["invoice_size"].to_numpy()[c] * rng.lognormal(0, 0.7, len(c))
    return np.maximum(np.round(cents), 25_00).astype(np.int64)


def _same_customer(c: np.ndarray, pool: np.ndarray, pool_c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each customer in c a random row of pool (rows sorted by their customers pool_c); -1 when none."""
    lo, hi = np.searchsorted(pool_c, c, "left"), np.searchsorted(pool_c, c, "right")
    drawn = lo + (rng.random(len(c)) * (hi - lo)).astype(np.int64)
    return np.where(hi > lo, pool[np.minimum(drawn, len(pool) - 1)], -1) if len(pool) else np.full(len(c), -1)


def _reference(docs: pd.DataFrame, today: int, rng: np.random.Generator) -> None:
    """Tie credits, unapplied cash and debit notes to the invoices they concern, and size and date them after those.

    A credit memo credits an open (60%) or a paid (25%) invoice of its customer, in full or in part.
    Unapplied cash is often exactly one open invoice's balance, or two: the customer paid them and nobody
    applied the cash; the rest is a round sum on account. A debit note rebills against an open invoice.
    """
    c, kind = docs["c"].to_numpy(), docs["kind"].to_numpy()
    amount, balance = docs["doc_amt"].to_numpy().copy(), docs["doc_bal"].to_numpy().copy()
    open_inv = np.flatnonzero((kind == INV) & docs["open"].to_numpy() & docs["posted"].to_numpy())
    paid = np.flatnonzero(~docs["open"].to_numpy())  # both come out sorted by customer
    ref, ref2 = np.full(len(docs), -1), np.full(len(docs), -1)

    cm = np.flatnonzero(kind == CM)
    roll = rng.random(len(cm))
    ref[cm] = np.where(roll < 0.60, _same_customer(c[cm], open_inv, c[open_inv], rng),
                       np.where(roll < 0.85, _same_customer(c[cm], paid, c[paid], rng), -1))
    share = np.where(rng.random(len(cm)) < 0.4, 1.0, rng.uniform(0.05, 0.3, len(cm)))
    credited = np.where(ref[cm] >= 0, amount[np.maximum(ref[cm], 0)] * share, amount[cm] * 0.3)
    amount[cm] = -np.maximum(np.round(credited), 10_00).astype(np.int64)
    partly_used = rng.random(len(cm)) < 0.2
    balance[cm] = np.where(partly_used, np.round(amount[cm] * rng.uniform(0.2, 0.9, len(cm))), amount[cm])

    ur = np.flatnonzero(kind == UR)
    roll = rng.random(len(ur))
    ref[ur] = np.where(roll < 0.6, _same_customer(c[ur], open_inv, c[open_inv], rng), -1)
    second = np.where(roll < 0.2, _same_customer(c[ur], open_inv, c[open_inv], rng), -1)
    ref2[ur] = np.where(second == ref[ur], -1, second)
    on_account = np.round(amount[ur] / 50_00) * 50_00 + 50_00
    cash = np.where(ref[ur] >= 0, balance[np.maximum(ref[ur], 0)], on_account)
    cash = cash + np.where(ref2[ur] >= 0, balance[np.maximum(ref2[ur], 0)], 0)
    amount[ur] = balance[ur] = -cash.astype(np.int64)

    dn = np.flatnonzero(kind == DN)
    ref[dn] = np.where(rng.random(len(dn)) < 0.7, _same_customer(c[dn], open_inv, c[open_inv], rng), -1)
    docs["doc_amt"], docs["doc_bal"], docs["ref"], docs["ref2"] = amount, balance, ref, ref2

    date, due = docs["date"].to_numpy(), docs["due"].to_numpy()
    latest = np.maximum(*(np.where(r >= 0, date[np.maximum(r, 0)], NO_DATE) for r in (ref, ref2)))
    after = np.where(ref >= 0, np.minimum(np.maximum(date, latest + rng.integers(0, 15, len(docs))), today), date)
    docs["date"], docs["due"] = after, due + (after - date)


def _exchange_rates(first: int, today: int, rng: np.random.Generator) -> dict:
    """Monthly EUR and GBP rates to USD (a random walk of about 1.5% a month) from the oldest document on."""
    months = np.arange(dates(first).astype("datetime64[M]"), dates(today).astype("datetime64[M]") + 1)
    foreign = [c for c in _CURRENCIES if c[0] != BASE_CURRENCY]
    walk = np.exp(np.cumsum(rng.normal(0, 0.015, (len(foreign), len(months))), axis=1))
    micro = np.round(np.array([c[3] for c in foreign])[:, None] * walk * 1e6).astype(np.int64)
    return {
        "SourceCurrCode": np.repeat([c[0] for c in foreign], len(months)),
        "TargetCurrCode": BASE_CURRENCY,
        "EffectiveDate": np.tile(months.astype("datetime64[D]"), len(foreign)),
        "CurrentRate": decimal(micro.ravel(), 6),
        "micro": np.vstack([np.full(len(months), 1_000_000), micro]),  # [currency, month], base currency first
        "first_month": months[0],
    }


def _rate_on(rates: dict, currency: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The rate in force on each day, in millionths of a dollar per unit (1,000,000 for dollars)."""
    month = (dates(day).astype("datetime64[M]") - rates["first_month"]).astype(np.int64)
    return rates["micro"][currency, month]


def _to_base(doc_cents: np.ndarray, rate_micro: np.ndarray) -> np.ndarray:
    """round(amount * rate) to the cent, half away from zero, in exact integer arithmetic."""
    doc_cents = np.asarray(doc_cents, dtype=np.int64)
    return np.sign(doc_cents) * ((np.abs(doc_cents) * rate_micro + 500_000) // 1_000_000)


def _price(docs: pd.DataFrame, cust: pd.DataFrame, rates: dict) -> None:
    """Each document's exchange rate (that of its date) and its amount and balance in the base currency."""
    docs["rate"] = _rate_on(rates, cust["currency"].to_numpy()[docs["c"]], docs["date"].to_numpy())
    docs["base_amt"] = _to_base(docs["doc_amt"].to_numpy(), docs["rate"].to_numpy())
    docs["base_bal"] = _to_base(docs["doc_bal"].to_numpy(), docs["rate"].to_numpy())


def _receipts(docs: pd.DataFrame, cust: pd.DataFrame, today: int, rng: np.random.Generator
              ) -> tuple[dict, pd.DataFrame]:
    """CashHead: a receipt per customer and day that paid invoices (in full or in part), and one per
    unapplied-cash document, which it names in CreditMemoNum; and what each receipt applied to which document
    (its row in `docs`, the day, the base and document amounts, the receipt's HeadNum)."""
    kind, is_open = docs["kind"].to_numpy(), docs["open"].to_numpy()
    paid = np.flatnonzero(~is_open)
    partial = np.flatnonzero(is_open & (kind == INV) & (docs["doc_bal"] != docs["doc_amt"]).to_numpy())
    partial_date = docs["date"].to_numpy()[partial]
    partial_paid = partial_date + (rng.random(len(partial_date)) * (today - partial_date)).astype(np.int64)
    applications = pd.DataFrame({
        "row": np.concatenate([paid, partial]),
        "c": docs["c"].to_numpy()[np.concatenate([paid, partial])],
        "day": np.concatenate([docs["closed"].to_numpy()[paid], partial_paid]),
        "amount": np.concatenate([docs["base_amt"].to_numpy()[paid],
                                  (docs["base_amt"] - docs["base_bal"]).to_numpy()[partial]]),
        "doc_amount": np.concatenate([docs["doc_amt"].to_numpy()[paid],
                                      (docs["doc_amt"] - docs["doc_bal"]).to_numpy()[partial]]),
    })
    applied = applications.groupby(["c", "day"], as_index=False)["amount"].sum()
    ur = docs[kind == UR]  # a few percent of the rows
    none = np.zeros(len(applied), dtype=np.int64)
    head = pd.DataFrame({
        "c": np.concatenate([applied["c"], ur["c"]]),
        "day": np.concatenate([applied["day"], ur["date"]]),
        "applied": np.concatenate([applied["amount"], np.zeros(len(ur), dtype=np.int64)]),
        "unapplied": np.concatenate([none, -ur["base_bal"].to_numpy()]),
        "memo": np.concatenate([none, ur["InvoiceNum"]]),
        "hint": np.concatenate([none, ur["ref_num"]]),
        "hint2": np.concatenate([none, ur["ref2_num"]]),
    })
    head = head.iloc[np.lexsort((head["c"], head["day"]))].reset_index(drop=True)
    head["HeadNum"] = np.arange(1, len(head) + 1)
    paying = head.loc[head["memo"] == 0, ["c", "day", "HeadNum"]]  # a customer pays once a day
    applications = applications.merge(paying, on=["c", "day"], validate="many_to_one")
    year, month, day = ymd(head["day"])
    return {
        "GroupID": concat("CR", digits((year % 100) * 10_000 + month * 100 + day, 6)),  # a day's receipts
        "HeadNum": head["HeadNum"].to_numpy(),
        "Posted": True,
        "TranType": "PayInv",
        "CheckRef": _check_refs(head, cust["currency"].to_numpy()[head["c"]] == 0, rng),
        "CustNum": cust["CustNum"].to_numpy()[head["c"]],
        "TranDate": dates(head["day"]),
        "CurrencyCode": lookup(cust["CurrencyCode"], head["c"]),
        "TranAmt": decimal(head["applied"] + head["unapplied"], 2),
        "AppliedAmt": decimal(head["applied"], 2),
        "UnAppliedAmt": decimal(head["unapplied"], 2),
        "CreditMemoNum": head["memo"],
        "ReverseRef": 0,
    }, applications


def _cash_details(docs: pd.DataFrame, applications: pd.DataFrame, today: int, rng: np.random.Generator) -> dict:
    """CashDtl: each receipt's application to an invoice, and the part of each credit memo already used (on a
    day between its date and today), in order of day. With them every document's balance as of any day since
    its date is its amount less what was applied by then; as of today that is its balance."""
    kind, date = docs["kind"].to_numpy(), docs["date"].to_numpy()
    used = np.flatnonzero((kind == CM) & (docs["doc_bal"] != docs["doc_amt"]).to_numpy())
    used_on = date[used] + (rng.random(len(used)) * (today - date[used])).astype(np.int64)
    rows = np.concatenate([applications["row"].to_numpy(), used])
    detail = pd.DataFrame({
        "row": rows,
        "head": np.concatenate([applications["HeadNum"].to_numpy(), np.zeros(len(used), dtype=np.int64)]),
        "cm": np.concatenate([np.zeros(len(applications), dtype=bool), np.ones(len(used), dtype=bool)]),
        "day": np.concatenate([applications["day"].to_numpy(), used_on]),
        "amount": np.concatenate([applications["amount"].to_numpy(),
                                  (docs["base_amt"] - docs["base_bal"]).to_numpy()[used]]),
        "doc_amount": np.concatenate([applications["doc_amount"].to_numpy(),
                                      (docs["doc_amt"] - docs["doc_bal"]).to_numpy()[used]]),
    })
    detail = detail.iloc[np.lexsort((rows, detail["head"], detail["day"]))]
    return {
        "HeadNum": detail["head"].to_numpy(),
        "DtlNum": np.arange(1, len(detail) + 1),
        "InvoiceNum": docs["InvoiceNum"].to_numpy()[detail["row"]],
        "TranType": lookup(("PayInv", "CMApply"), detail["cm"].to_numpy().astype(np.int64)),
        "TranDate": dates(detail["day"]),
        "TranAmt": decimal(detail["amount"], 2),
        "DocTranAmt": decimal(detail["doc_amount"], 2),
    }


def _last_month_end(today: int) -> int:
    """The last day of the month before today's."""
    first = dt.date.fromordinal(today + EPOCH).replace(day=1)
    return first.toordinal() - 1 - EPOCH


def _apply_dates(docs: pd.DataFrame, today: int, rng: np.random.Generator) -> np.ndarray:
    """The day each document posts to the GL: its own date, but for one invoice of the last three days of the
    last month, entered late and posted to the GL on the first of the next month (a timing difference for the
    close of that month to find)."""
    apply = docs["date"].to_numpy().copy()
    end = _last_month_end(today)
    late = np.flatnonzero((docs["kind"].to_numpy() == INV) & docs["posted"].to_numpy()
                          & (apply > end - 3) & (apply <= end))
    if len(late):
        apply[rng.choice(late)] = end + 1
    return apply


GL_ACCOUNT = "1200"
"""The demo's receivables control account."""
MANUAL_ENTRY_CENTS = 1_234_56
"""The journal entry typed straight into the receivables account in the middle of the last month (a credit)."""


def _general_ledger(docs: pd.DataFrame, details: dict, today: int) -> dict:
    """GLJrnDtl for the receivables account: one AR journal a day, one line for each of what the module posted
    that day (documents by apply date, debits and credits apart; cash applied; credit memos used), and the one
    general journal entry of the last month (MANUAL_ENTRY_CENTS, credited in the middle of it)."""
    posted = docs["posted"].to_numpy()
    base = docs["base_amt"].to_numpy()[posted]
    detail_cents = cents_from_arrow(details["TranAmt"])
    moves = pd.DataFrame({
        "day": np.concatenate([docs["apply"].to_numpy()[posted], details["TranDate"].astype(np.int64)]),
        "what": np.concatenate([np.where(base > 0, 0, 1), np.where(detail_cents > 0, 2, 3)]),
        "debit": np.concatenate([base, -detail_cents]),
    }).groupby(["day", "what"], as_index=False)["debit"].sum()
    moves["JournalNum"] = moves["day"].rank(method="dense").astype(np.int64)
    moves["JournalLine"] = moves.groupby("day").cumcount() + 1
    debit = moves["debit"].to_numpy()
    middle = _last_month_end(today) - 15
    manual = int(middle >= np.min(moves["day"].to_numpy(), initial=today))
    what = ("Invoices and debit memos posted", "Credit memos and unapplied cash posted", "Cash applied",
            "Credit memos used")
    return {
        "JournalCode": np.array(["AR"] * len(moves) + ["GJ"] * manual, dtype=object),
        "JournalNum": np.concatenate([moves["JournalNum"], [1] * manual]),
        "JournalLine": np.concatenate([moves["JournalLine"], [1] * manual]),
        "GLAccount": GL_ACCOUNT,
        "JEDate": dates(np.concatenate([moves["day"], [middle] * manual])),
        "SourceModule": np.array(["AR"] * len(moves) + ["GL"] * manual, dtype=object),
        "Description": np.array([what[w] for w in moves["what"]]
                                + ["Customer deposit reclassified to unearned revenue"] * manual, dtype=object),
        "DebitAmount": decimal(np.concatenate([np.maximum(debit, 0), [0] * manual]), 2),
        "CreditAmount": decimal(np.concatenate([np.maximum(-debit, 0), [MANUAL_ENTRY_CENTS] * manual]), 2),
    }


ALLOWANCE_ACCOUNT = "1290"
"""The demo's allowance for doubtful accounts (a credit balance); write-offs debit it, provisions credit it."""
BAD_DEBT_ACCOUNT = "6150"
"""The demo's bad-debt expense account: the GL holds no lines of it (only the receivables and the allowance)."""
REASONS = (("BANKR", "Customer bankrupt"), ("UNCOLL", "Uncollectible after collection efforts"),
           ("NOCONT", "Customer cannot be reached"), ("SMALL", "Small balance"),
           ("RECOV", "Recovered after write-off"))
"""Erp.Reason's write-off codes (ReasonType W); RECOV puts back what a customer paid after all."""
_BAD_DEBTORS = 15
"""One bad debt written off in the history for every this many customers, mostly of the slowest payers; each
stands for HISTORY_SIZE invoices, as the paid history's do (so about 1% of sales is lost)."""
_OPENING_ALLOWANCE = 0.06
"""The allowance's first provision, as a share of the receivables open today: what the ledger held before."""
_HABIT_RISK = (0.2, 0.5, 1.0, 4.0)
"""How much likelier a customer of each payment habit (_HABITS) is to leave a bad debt."""
_RECOVERED = 0.15
"""Share of written-off invoices that the customer paid after all, 20-120 days later."""


def _bad_debts(cust: pd.DataFrame, first_number: int, rates: dict, today: int, rng: np.random.Generator
               ) -> pd.DataFrame:
    """Invoices of the history that were never paid and were written off, 90-300 days past due, on days spread
    over HISTORY_DAYS (so the loss of each aging bucket at past month-ends can be measured), a quarter of them
    small balances; a few recovered later. Numbered from `first_number` in the order of their dates."""
    n = max(8, len(cust) // _BAD_DEBTORS)
    risk = np.array(_HABIT_RISK)[cust["habit"].to_numpy()]
    c = np.sort(rng.choice(len(cust), n, p=risk / risk.sum()))
    written = today - rng.integers(1, HISTORY_DAYS, n)
    end = _last_month_end(today)  # the last month writes two off and recovers one: its close has them to show
    written[:2] = end - rng.integers(0, 28, 2)
    written[2] = end - rng.integers(0, 28) - rng.integers(30, 120)
    recovered_on = written + rng.integers(20, 120, n)
    recovered_on[2] = end - (end - written[2] - 30) % 28  # 30 days or more after it, in the last month
    pay = cust["pay_days"].to_numpy()[c]
    first_day = rates["first_month"].astype("datetime64[D]").astype(np.int64)
    date = np.maximum(written - pay - rng.integers(90, 300, n), first_day)
    small = rng.random(n) < 0.25
    amount = _invoice_amounts(cust, c, rng, HISTORY_SIZE)
    amount[small] = rng.integers(5_00, 100_00, int(small.sum()))
    reason = np.where(small, 3, rng.choice(3, n, p=[0.3, 0.5, 0.2]))
    recovered = ((rng.random(n) < _RECOVERED) | (np.arange(n) == 2)) & (recovered_on <= today)
    rate = _rate_on(rates, cust["currency"].to_numpy()[c], date)
    bad = pd.DataFrame({"c": c, "date": date, "due": date + pay, "written": written, "reason": reason,
                        "recovered_on": np.where(recovered, recovered_on, NO_DATE), "doc_amt": amount,
                        "base_amt": _to_base(amount, rate), "rate": rate})
    bad = bad.sort_values(["date", "c"], kind="stable", ignore_index=True)
    bad["InvoiceNum"] = first_number + np.arange(n)
    return bad


def _bad_debt_invoices(bad: pd.DataFrame, cust: pd.DataFrame) -> dict:
    """InvcHead of the written-off invoices: posted, closed the day they were written off, nothing left."""
    c, none = bad["c"].to_numpy(), np.zeros(len(bad), dtype=np.int64)
    return {
        "InvoiceNum": bad["InvoiceNum"], "InvoiceSuffix": "", "CustNum": cust["CustNum"].to_numpy()[c],
        "InvoiceType": "MIS", "CreditMemo": False, "UnappliedCash": False, "Posted": True, "OpenInvoice": False,
        "ClosedDate": dates(bad["written"]), "InvoiceDate": dates(bad["date"]), "ApplyDate": dates(bad["date"]),
        "DueDate": dates(bad["due"]), "TermsCode": lookup(cust["TermsCode"], c),
        "InvoiceAmt": decimal(bad["base_amt"], 2), "InvoiceBal": decimal(none, 2),
        "DocInvoiceAmt": decimal(bad["doc_amt"], 2), "DocInvoiceBal": decimal(none, 2),
        "CurrencyCode": lookup(cust["CurrencyCode"], c), "ExchangeRate": decimal(bad["rate"], 6),
        "SalesRepList": lookup(cust["SalesRepCode"], c), "OrderNum": 0, "PONum": "", "InvoiceRef": "",
    }


def _bad_debt_details(bad: pd.DataFrame, first_head: int, first_line: int) -> dict:
    """CashDtl of the bad debts: each write-off (Adjust, its reason), and for each recovery the write-off put
    back (Adjust RECOV, negative) and the receipt's payment of it (PayInv, receipts numbered from `first_head`),
    the same day. Amounts are the invoices' own: nothing of them was paid before."""
    back = bad[bad["recovered_on"] != NO_DATE]
    heads = first_head + np.arange(len(back))
    rows = pd.DataFrame({
        "head": np.concatenate([np.zeros(len(bad) + len(back), dtype=np.int64), heads]),
        "InvoiceNum": np.concatenate([bad["InvoiceNum"], back["InvoiceNum"], back["InvoiceNum"]]),
        "TranType": ["Adjust"] * (len(bad) + len(back)) + ["PayInv"] * len(back),
        "day": np.concatenate([bad["written"], back["recovered_on"], back["recovered_on"]]),
        "sign": np.concatenate([np.ones(len(bad)), -np.ones(len(back)), np.ones(len(back))]).astype(np.int64),
        "base": np.concatenate([bad["base_amt"], back["base_amt"], back["base_amt"]]),
        "doc": np.concatenate([bad["doc_amt"], back["doc_amt"], back["doc_amt"]]),
        "ReasonCode": np.concatenate([np.array([r[0] for r in REASONS], dtype=object)[bad["reason"]],
                                      [REASONS[-1][0]] * len(back), [""] * len(back)]),
    }).sort_values(["day", "head"], kind="stable", ignore_index=True)
    return {
        "HeadNum": rows["head"].to_numpy(), "DtlNum": first_line + np.arange(len(rows)),
        "InvoiceNum": rows["InvoiceNum"].to_numpy(), "TranType": rows["TranType"].to_numpy(object),
        "TranDate": dates(rows["day"]), "TranAmt": decimal(rows["sign"] * rows["base"], 2),
        "DocTranAmt": decimal(rows["sign"] * rows["doc"], 2), "ReasonCode": rows["ReasonCode"].to_numpy(object),
    }


def _recovery_receipts(bad: pd.DataFrame, details: dict, cust: pd.DataFrame) -> dict:
    """CashHead of the recoveries: the receipt that paid a written-off invoice, applied in full."""
    paying = np.flatnonzero(details["HeadNum"] > 0)
    number = details["InvoiceNum"][paying]
    c = bad.set_index("InvoiceNum").loc[number, "c"].to_numpy()
    day = details["TranDate"][paying].astype(np.int64)
    year, month, dom = ymd(day)
    amount = decimal(cents_from_arrow(details["TranAmt"])[paying], 2)
    return {
        "GroupID": concat("CR", digits((year % 100) * 10_000 + month * 100 + dom, 6)),
        "HeadNum": details["HeadNum"][paying], "Posted": True, "TranType": "PayInv",
        "CheckRef": concat("RECOVERY INV ", text(number)), "CustNum": cust["CustNum"].to_numpy()[c],
        "TranDate": dates(day), "CurrencyCode": lookup(cust["CurrencyCode"], c), "TranAmt": amount,
        "AppliedAmt": amount, "UnAppliedAmt": decimal(np.zeros(len(paying), dtype=np.int64), 2),
        "CreditMemoNum": 0, "ReverseRef": 0,
    }


def _opening_allowance(docs: pd.DataFrame) -> int:
    """The allowance's first provision in cents: _OPENING_ALLOWANCE of the receivables open today."""
    ledger = (docs["open"] & docs["posted"]).to_numpy()
    return int(round(docs["base_bal"].to_numpy()[ledger].sum() * _OPENING_ALLOWANCE))


def _bad_debt_ledger(bad: pd.DataFrame, opening_cents: int, today: int) -> dict:
    """GLJrnDtl of the bad debts, one BD journal each (SourceModule AR): the invoice posted to the receivables
    account, its write-off (receivables credited, allowance debited) and its recovery (both put back, then the
    cash applied); and the allowance's provisions (GJ from 2 on, SourceModule GL) at each month-end that wrote
    off more than it recovered: 110% of the difference, the first one also `opening_cents` on top."""
    back = bad["recovered_on"] != NO_DATE
    base = bad["base_amt"].to_numpy()
    events = [  # (journal, day, account, debit less credit, description)
        (bad.index, bad["date"], GL_ACCOUNT, base, "Invoice posted"),
        (bad.index, bad["written"], GL_ACCOUNT, -base, "Invoice written off"),
        (bad.index, bad["written"], ALLOWANCE_ACCOUNT, base, "Invoice written off"),
        (bad.index[back], bad["recovered_on"][back], GL_ACCOUNT, base[back], "Write-off recovered"),
        (bad.index[back], bad["recovered_on"][back], ALLOWANCE_ACCOUNT, -base[back], "Write-off recovered"),
        (bad.index[back], bad["recovered_on"][back], GL_ACCOUNT, -base[back], "Cash applied"),
    ]
    lines = pd.concat([pd.DataFrame({"journal": j + 1, "day": np.asarray(d), "account": a, "amount": m,
                                     "what": w}) for j, d, a, m, w in events], ignore_index=True)
    lines = lines.sort_values(["journal", "day"], kind="stable", ignore_index=True)
    lines["line"] = lines.groupby("journal").cumcount() + 1
    net = pd.concat([pd.Series(base, index=_month_end(bad["written"])),
                     pd.Series(-base[back], index=_month_end(bad["recovered_on"][back]))]).groupby(level=0).sum()
    ends = net[(net.index <= _last_month_end(today)) & (net > 0)]
    provision = np.round(ends.to_numpy() * 1.1).astype(np.int64)
    if len(provision):
        provision[0] += opening_cents
    n = len(lines)
    return {
        "JournalCode": np.array(["BD"] * n + ["GJ"] * len(provision), dtype=object),
        "JournalNum": np.concatenate([lines["journal"], 2 + np.arange(len(provision))]),
        "JournalLine": np.concatenate([lines["line"], np.ones(len(provision), dtype=np.int64)]),
        "GLAccount": np.concatenate([lines["account"].to_numpy(object), [ALLOWANCE_ACCOUNT] * len(provision)]),
        "JEDate": dates(np.concatenate([lines["day"], ends.index.to_numpy(np.int64)])),
        "SourceModule": np.array(["AR"] * n + ["GL"] * len(provision), dtype=object),
        "Description": np.concatenate([lines["what"].to_numpy(object),
                                       ["Provision for doubtful accounts"] * len(provision)]),
        "DebitAmount": decimal(np.concatenate([np.maximum(lines["amount"], 0), np.zeros(len(provision), np.int64)]), 2),
        "CreditAmount": decimal(np.concatenate([np.maximum(-lines["amount"], 0), provision]), 2),
    }


def _month_end(days) -> np.ndarray:
    """The last day of each day's month."""
    return ((dates(days).astype("datetime64[M]") + 1).astype("datetime64[D]") - 1).astype(np.int64)


def _stacked(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """One table's frame then more rows of it."""
    return pd.concat([first, second], ignore_index=True)


def _check_refs(head: pd.DataFrame, domestic: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Check numbers, ACH and wire references; unapplied cash often carries the remittance text instead."""
    n = len(head)
    number = rng.integers(1000, 999_999, n)
    method = np.where(domestic, rng.choice(3, n, p=[0.6, 0.32, 0.08]), 2)
    hint, hint2 = head["hint"].to_numpy(), head["hint2"].to_numpy()
    remit = (hint > 0) & (rng.random(n) < 0.6)
    style = np.where(remit, np.where(hint2 > 0, 5, 3 + number % 2), method)
    check = digits(number, 6)
    return pc.choose(pa.array(style, pa.int8()),
                     check,
                     concat("ACH ", check),
                     concat("WIRE FT", digits(number, 8)),
                     concat("INV ", text(hint)),
                     concat("INV#", text(hint)),
                     concat("PMT INV ", text(hint), " ", text(hint2)))


def _po_numbers(cust: pd.DataFrame, c: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Purchase-order numbers in the customer's own style (each keeps one; some never send a PO)."""
    number = rng.integers(10_000, 99_999_999, len(c))
    style = cust["CustNum"].to_numpy()[c] * 7919 % 10 // 2
    return pc.choose(pa.array(style, pa.int8()),
                     concat("PO-", text(number % 1_000_000)),
                     concat("45", digits(number, 8)),
                     text(number % 100_000),
                     concat("BLANKET-", text(number % 100)),
                     pa.array(np.full(len(c), ""), pa.string()))


def _orders(docs: pd.DataFrame, cust: pd.DataFrame, rates: dict, today: int,
            rng: np.random.Generator) -> tuple[dict, pa.Array]:
    """OrderHed, and the PO number of every document.

    Shipment invoices are releases of orders: a customer's consecutive shipments, two or three to an order,
    share its number and PO. Miscellaneous invoices carry a PO of their own, credits none. Open orders,
    not shipped yet, come on top for about 30% of customers: they count towards credit exposure.
    """
    c_doc, date_doc = docs["c"].to_numpy(), docs["date"].to_numpy()
    is_shipped = docs["shipped"].to_numpy()
    shipped = np.flatnonzero(is_shipped)
    by_customer = c_doc[shipped] * 65_536 + (date_doc[shipped] - np.min(date_doc, initial=0))
    release = shipped[np.argsort(by_customer, kind="stable")]
    first = np.ones(len(release), dtype=bool)  # a new order: another customer, a month's gap, or by chance
    first[1:] = ((c_doc[release][1:] != c_doc[release][:-1]) | (np.diff(date_doc[release]) > 30)
                 | (rng.random(len(release) - 1) < 0.4))
    starts = np.flatnonzero(first)
    with_open = np.flatnonzero(rng.random(len(cust)) < 0.3)
    c_open = np.repeat(with_open, 1 + rng.poisson(1, len(with_open)))
    open_doc = _invoice_amounts(cust, c_open, rng, 2.0)
    open_base = _to_base(open_doc, _rate_on(rates, cust["currency"].to_numpy()[c_open], np.full(len(c_open), today)))
    c = np.concatenate([c_doc[release][starts], c_open])
    day = np.concatenate([date_doc[release][starts] - rng.integers(1, 21, len(starts)),
                          today - rng.integers(0, 45, len(c_open))])
    number, po = _numbers_by_date(day, 50_001, rng), _po_numbers(cust, c, rng)
    order_of = np.full(len(docs), len(number))  # one past the last order: no order
    order_of[release] = np.cumsum(first) - 1
    docs["OrderNum"] = np.append(number, 0)[order_of]
    miscellaneous = (docs["kind"] == INV).to_numpy() & ~is_shipped
    doc_po = pc.replace_with_mask(pa.concat_arrays([po, pa.array([""])]).take(order_of), pa.array(miscellaneous),
                                  _po_numbers(cust, c_doc[miscellaneous], rng))
    shipped_base, shipped_doc = (np.add.reduceat(docs[k].to_numpy()[release], starts) for k in ("base_amt", "doc_amt"))
    return {
        "OrderNum": number,
        "CustNum": cust["CustNum"].to_numpy()[c],
        "OrderDate": dates(day),
        "OpenOrder": np.arange(len(c)) >= len(starts),
        "CurrencyCode": lookup(cust["CurrencyCode"], c),
        "OrderAmt": decimal(np.concatenate([shipped_base, open_base]), 2),
        "DocOrderAmt": decimal(np.concatenate([shipped_doc, open_doc]), 2),
        "PONum": po,
    }, doc_po


_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}
_CALL_TYPES = ("CALL", "EMAIL", "PROMISE", "DISPUTE")


def _calls(docs: pd.DataFrame, po: pa.Array, cust: pd.DataFrame, today: int, rng: np.random.Generator) -> dict:
    """CRMCall: collection notes of the last 90 days, more where more is past due; some disputes."""
    due_before = docs["open"] & docs["posted"] & (docs["kind"] == INV) & (docs["due"] < today)
    past_due = np.flatnonzero(due_before.to_numpy())  # sorted by customer, as the open items are
    overdue = np.bincount(docs["c"].to_numpy()[past_due], minlength=len(cust))
    count = np.where(overdue > 0, np.minimum(1 + rng.poisson(np.sqrt(overdue)), 8), rng.random(len(cust)) < 0.1)
    c = np.repeat(np.arange(len(cust)), count)
    chosen = _same_customer(c, past_due, docs["c"].to_numpy()[past_due], rng)
    kind = np.where(chosen >= 0, rng.choice(4, len(c), p=[0.45, 0.33, 0.14, 0.08]), 1)
    day = today - rng.integers(0, 91, len(c))
    order = np.lexsort((c, day))
    c, chosen, kind, day = c[order], chosen[order], kind[order], day[order]
    contact, detail = pick(rng, _CONTACTS, len(c)), rng.integers(0, 1000, len(c))
    row = np.maximum(chosen, 0)
    invoice = np.where(chosen >= 0, docs["InvoiceNum"].to_numpy()[row], 0)
    balance = docs["doc_bal"].to_numpy()[row] / 100
    due, later = _date_texts(docs["due"].to_numpy()[row]), _date_texts(day + 7 + detail % 14)
    po = po.take(row).to_pylist()
    email, symbol = cust["EMailAddress"].to_numpy()[c], np.array([_SYMBOL[k] for k in cust["CurrencyCode"]])[c]
    notes = [
        _note(kind[i], contact[i], detail[i], email[i]) if chosen[i] < 0 else
        _note(kind[i], contact[i], detail[i], invoice[i], f"{symbol[i]}{balance[i]:,.2f}", due[i], later[i], po[i])
        for i in range(len(c))
    ]
    return {
        "RelatedToFile": "Customer", "Key1": text(cust["CustNum"].to_numpy()[c]), "Key2": "", "Key3": "",
        "CallSeqNum": np.arange(1, len(c) + 1), "CallTypeCode": lookup(_CALL_TYPES, kind),
        "CallDesc": [n[0] for n in notes], "CallText": [n[1] for n in notes],
        "CallCustNum": cust["CustNum"].to_numpy()[c], "CallInvoiceNum": invoice,
        "SalesRepCode": lookup(cust["SalesRepCode"], c), "OrigDcdUserID": lookup(cust["CollectorID"], c),
        "OrigDate": dates(day),
    }


def _date_texts(days: np.ndarray) -> list[str]:
    """Days as the MM/DD/YYYY a collector types into a note."""
    year, month, day = ymd(days)
    return concat(digits(month, 2), "/", digits(day, 2), "/", text(year)).to_pylist()


def _note(kind: int, contact: str, detail: int, *about) -> tuple[str, str]:
    """Subject and text of one collection note (kind indexes _CALL_TYPES) as a collector types it; about is
    (e-mail) when no invoice is concerned, else (invoice, balance, due date, a date a week or two on, PO)."""
    if len(about) == 1:
        return "Statement sent", f"Emailed statement of account to {about[0] or 'AP (no e-mail on file)'}."
    inv, money, due, later, po = about
    if kind == 0:
        return "Past-due follow-up", (
            f"Left voicemail for {contact} in AP about invoice {inv} ({money}, due {due}).",
            f"Spoke with {contact}: invoice {inv} is approved and goes out on the next check run.",
            f"{contact} says invoice {inv} was never received; resent a copy.",
            f"Called AP about invoice {inv}, no answer. Will try again {later}.",
        )[detail % 4]
    if kind == 1:
        return "Reminder sent", (
            f"Sent reminder for invoice {inv}, {money} due {due}.",
            f"Emailed {contact} a copy of invoice {inv} with our remittance details.",
            f"Second notice for invoice {inv} ({money}); asked for a payment date.",
        )[detail % 3]
    if kind == 2:
        return "Promise to pay", f"{contact} promised payment of {money} for invoice {inv} by {later}."
    return (("Dispute - pricing", f"Customer disputes invoice {inv}: pricing does not match PO {po or 'on file'}."),
            ("Dispute - short ship", f"Dispute on invoice {inv}: {contact} reports {detail % 40 + 2} units short."),
            ("Dispute - damaged", f"Invoice {inv} disputed: goods arrived damaged, RMA requested."))[detail % 3]


def _credit(cust: pd.DataFrame, docs: pd.DataFrame, today: int, rng: np.random.Generator) -> dict:
    """Credit limit (0.8-2.5x what the customer owes; 0, unlimited, for one in ten), holds and reviews."""
    n = len(cust)
    ledger = (docs["open"] & docs["posted"]).to_numpy()
    owed = np.bincount(docs["c"].to_numpy()[ledger], weights=docs["base_bal"].to_numpy()[ledger], minlength=n)
    exposure = np.maximum(owed, cust["invoice_size"].to_numpy()) * rng.uniform(0.8, 2.5, n)
    step = np.where(exposure > 50_000_00, 5_000_00, 1_000_00)
    limit = np.where(rng.random(n) < 0.1, 0, np.ceil(exposure / step) * step).astype(np.int64)
    hold = rng.random(n) < np.array([h[2] for h in _HABITS])[cust["habit"]]
    return {
        "CreditLimit": decimal(limit, 2),
        "CreditHold": hold,
        "CreditHoldDate": dates(np.where(hold, today - rng.integers(1, 180, n), NO_DATE)),
        "CreditHoldSource": np.where(hold, np.where((limit > 0) & (owed > limit), "CREDIT", "MANUAL"), ""),
        "CreditIncludeOrders": rng.random(n) < 0.7,
        "CreditReviewDate": dates(np.where(rng.random(n) < 0.85, today - rng.integers(0, 365, n), NO_DATE)),
    }


_REF_FORMATS = ("INV-{n:07d}", "inv {n}", "#{n}", "Inv#{n}", "{n}", "RE: INVOICE {n}", "Credit for inv. {n}")
_FREE_REFS = {CM: ("Pricing adjustment", "Volume rebate", "RMA {r}", "", "Freight allowance"),
              DN: ("NSF check fee", "Freight rebill", "", "Restocking fee")}


def _invoices(docs: pd.DataFrame, po: pa.Array, cust: pd.DataFrame) -> pd.DataFrame:
    """Erp.InvcHead; credits and debit notes quote the invoice they concern in whatever format the clerk
    typed, which is what a matcher has to read."""
    kind, c, number = docs["kind"].to_numpy(), docs["c"].to_numpy(), docs["InvoiceNum"].to_numpy()
    quoted = docs["ref_num"].to_numpy()
    referring = (kind == CM) | (kind == DN)
    refs = [_REF_FORMATS[number[i] % len(_REF_FORMATS)].format(n=quoted[i]) if quoted[i] else
            _FREE_REFS[kind[i]][number[i] % len(_FREE_REFS[kind[i]])].format(r=number[i] % 9000 + 1000)
            for i in np.flatnonzero(referring)]
    return _frame("Erp.InvcHead", {
        "InvoiceNum": number, "InvoiceSuffix": lookup(_SUFFIX, kind), "CustNum": cust["CustNum"].to_numpy()[c],
        "InvoiceType": lookup(("MIS", "SHP"), docs["shipped"].to_numpy().astype(np.int64)),
        "CreditMemo": (kind == CM) | (kind == UR),
        "UnappliedCash": kind == UR, "Posted": docs["posted"], "OpenInvoice": docs["open"],
        "ClosedDate": dates(docs["closed"]), "InvoiceDate": dates(docs["date"]), "ApplyDate": dates(docs["apply"]),
        "DueDate": dates(docs["due"]),
        "TermsCode": lookup(cust["TermsCode"], c),
        "InvoiceAmt": decimal(docs["base_amt"], 2), "InvoiceBal": decimal(docs["base_bal"], 2),
        "DocInvoiceAmt": decimal(docs["doc_amt"], 2), "DocInvoiceBal": decimal(docs["doc_bal"], 2),
        "CurrencyCode": lookup(cust["CurrencyCode"], c), "ExchangeRate": decimal(docs["rate"], 6),
        "SalesRepList": lookup(cust["SalesRepCode"], c), "OrderNum": docs["OrderNum"], "PONum": po,
        "InvoiceRef": pc.replace_with_mask(pa.repeat("", len(docs)), pa.array(referring), pa.array(refs, pa.string())),
    })


def _terms() -> dict:
    """The columns of Terms and TermsSched (one payment of 100% for every code)."""
    return {
        "TermsCode": [t[0] for t in _TERMS], "Description": [t[1] for t in _TERMS], "NumberOfPayments": 1,
        "DiscountPercent": decimal([t[3] * 100 for t in _TERMS], 2), "DiscountDays": [t[4] for t in _TERMS],
        "PaySeq": 1, "PayDays": [t[2] for t in _TERMS], "PayPercent": decimal([100_00] * len(_TERMS), 2),
    }


def _empty(table: str) -> pd.DataFrame:
    """The table's frame without rows: one of ardesk's own tables that only ardesk fills."""
    return _frame(table, {name: pa.array([], pa.string()) for name in schema()[table]})


def _frame(table: str, columns) -> pd.DataFrame:
    """The table's frame: exactly its schema.sql columns, in order, with Company filled in."""
    names = schema()[table]
    given = {name: columns[name] for name in names if name != "Company"}
    rows = max((len(v) for v in given.values() if not np.isscalar(v)), default=0)
    arrays = {name: column(COMPANY if name == "Company" else given[name], rows) for name in names}
    return pa.table(arrays).to_pandas(types_mapper=pd.ArrowDtype)


