"""Fake Epicor ledgers: every demo table as a frame, a pure function of (customers, seed, as_of).

Customers with skewed sizes and payment habits, and their history since the demo's first month
(ardesk.demo.timeline): invoices, credit memos, unapplied cash and debit notes, paid on the customers' check runs
or late or never, receipts and their applications, write-offs and recoveries, the general ledger, orders and
collection notes: something a collector would recognise. A ledger as of a day is that history cut at the day,
so a ledger built later holds exactly the same rows up to it. Nothing is dated after as_of but due dates and one
invoice's GL date (entered late, posted to the next period). The frames are pyarrow-backed with the exact columns of
sql/demo/schema.sql: money is decimal128 (sums are exact, no float ever reaches a database), dates are date32.
ardesk.erp.demo loads them into a database.
"""
import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ardesk.demo import addresses, contacts, returns, tax_ids, timeline
from ardesk.demo.arrays import EPOCH, NO_DATE, column, concat, dates, decimal, digits, lookup, pick, text, ymd
from ardesk.demo.schema import schema
from ardesk.demo.timeline import CM, DN, HABITS, INV, INVOICES, UR
from ardesk.errors import ArdeskError

COMPANY = "EPIC06"
BASE_CURRENCY = "USD"
OPEN_PER_CUSTOMER = 26
"""Average open items per customer; activity is lognormal, so most accounts are small and a few are big."""
FIRST_DAY = dt.date.fromisoformat(str(timeline.FIRST_MONTH.astype("datetime64[D]")))
"""The demo ERP's first day: it cannot be built as of an earlier one."""

_SUFFIX = ("", "CM", "UR", "DN")
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
_LOST = 0.1
"""Share of customers who stopped buying during the first year: still on the list, most of them owing nothing
(never one of the first ten, which the tests' fixed cases use)."""
_LIMIT_MONTHS = (1.5, 3.0)
"""A credit limit is this many months of the customer's sales (rounded up); one customer in ten has none."""
_CONTACTS = ("Maria", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Susan", "James",
             "Karen", "Carlos", "Aisha", "Tom", "Rachel", "Greg", "Yvonne", "Luis", "Megan", "Ahmed")
GL_ACCOUNT = "1200"
"""The demo's receivables control account."""
MANUAL_ENTRY_CENTS = 1_234_56
"""The journal entry typed straight into the receivables account in the middle of every month (a credit)."""
ALLOWANCE_ACCOUNT = "1290"
"""The demo's allowance for doubtful accounts (a credit balance); write-offs debit it, provisions credit it."""
BAD_DEBT_ACCOUNT = "6150"
"""The demo's bad-debt expense account: the GL holds no lines of it (only the receivables and the allowance)."""
REASONS = (("BANKR", "Customer bankrupt"), ("UNCOLL", "Uncollectible after collection efforts"),
           ("NOCONT", "Customer cannot be reached"), ("SMALL", "Small balance"),
           ("RECOV", "Recovered after write-off"))
"""Erp.Reason's write-off codes (ReasonType W); RECOV puts back what a customer paid after all."""
_OPENING_ALLOWANCE = 0.06
"""The allowance's first provision, as a share of the receivables migrated: what the old ledger held."""
_PAY, _CM_USE, _WRITE_OFF, _RECOVERY, _RECOVERY_PAY = range(5)
"""The kinds of what changes a document's balance, in the order they happen on one day."""


def generate(customers: int = 1500, seed: int = 7, as_of: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """Every demo table as a frame; the same (customers, seed, as_of) gives identical frames (as_of: today)."""
    if int(customers) < 1:
        raise ArdeskError(f"The demo ERP needs at least one customer, not {customers}: pass --customers 1 or more.")
    if int(seed) < 0:
        raise ArdeskError(f"The demo seed {seed} is negative: pass --seed 0 or more.")
    as_of = as_of or dt.date.today()
    if as_of < FIRST_DAY:
        raise ArdeskError(f"The demo ERP's history begins on {FIRST_DAY}: pass --as-of {FIRST_DAY} or later.")
    today = as_of.toordinal() - EPOCH
    cust = _customers(int(customers), timeline.stream(int(seed), 0))
    drawn, events, rates = _history(int(seed), cust, today)
    docs = _kept(drawn, today)
    moves = _moves(docs, today)
    _state(docs, moves, today)
    receipts, moves["HeadNum"] = _receipts(docs, moves, cust)
    orders, po = _orders(drawn, docs, cust, rates, today)
    people = contacts.contacts(cust["CustNum"].to_numpy(), cust["Name"].tolist(), cust["EMailAddress"].to_numpy(),
                               cust["PhoneNum"].to_numpy(), timeline.stream(int(seed), 2))
    details = _cash_details(docs, moves)
    return returns.returned({
        "Erp.Currency": _frame("Erp.Currency", {
            "CurrencyCode": [c[0] for c in _CURRENCIES], "CurrDesc": [c[1] for c in _CURRENCIES],
            "BaseCurr": [c[0] == BASE_CURRENCY for c in _CURRENCIES]}),
        "Erp.CurrExRate": _frame("Erp.CurrExRate", _rate_table(rates, today)),
        "Erp.Terms": _frame("Erp.Terms", _terms()),
        "Erp.TermsSched": _frame("Erp.TermsSched", _terms()),
        "Erp.SalesRep": _frame("Erp.SalesRep", {
            "SalesRepCode": [r[0] for r in _REPS], "Name": [r[1] for r in _REPS],
            "EMailAddress": [r[1].lower().replace(" ", ".") + "@epic06.example.com" for r in _REPS]}),
        "Erp.Customer": _frame("Erp.Customer", {**cust, **_credit(cust, events, today), **people["Customer"],
                                                "ResaleID": tax_ids.tax_ids(cust["CustID"], cust["Country"])}),
        "Erp.CustCnt": _frame("Erp.CustCnt", people["Erp.CustCnt"]),
        "Erp.InvcHead": _invoices(docs, po, cust),
        "Erp.CashHead": _frame("Erp.CashHead", receipts),
        "Erp.CashDtl": _frame("Erp.CashDtl", details),
        "Erp.Reason": _frame("Erp.Reason", {"ReasonType": "W", "ReasonCode": [r[0] for r in REASONS],
                                            "Description": [r[1] for r in REASONS]}),
        "Erp.GLJrnDtl": _frame("Erp.GLJrnDtl", _general_ledger(docs, moves, today)),
        "Erp.OrderHed": _frame("Erp.OrderHed", orders),
        "Erp.CRMCall": _frame("Erp.CRMCall", _calls(docs, po, cust, events, today)),
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
    habit = rng.choice(len(HABITS), n, p=[h[0] for h in HABITS])
    sigma = 1.2
    activity = rng.lognormal(np.log(OPEN_PER_CUSTOMER) - sigma**2 / 2, sigma, n)
    activity[:10] = np.maximum(activity[:10], OPEN_PER_CUSTOMER)  # the tests' fixed cases are regular buyers
    cadence = rng.choice([7, 14, 30], n, p=[0.4, 0.35, 0.25])  # the customer's check run, in days
    key = activity >= np.quantile(activity, 1 - _KEY_ACCOUNTS)
    portfolio = {t: i for i, c in enumerate(_COLLECTORS) for t in c[2]}
    collector = np.where(key, len(_COLLECTORS) - 1, [portfolio[_TERRITORIES[t]] for t in territory])
    pay_days = np.array([t[2] for t in _TERMS])[terms]
    lateness = np.array([h[2] for h in HABITS])[habit] * rng.lognormal(0, 0.3, n)
    late_share = np.array([h[1] for h in HABITS])[habit]
    open_days = np.maximum(pay_days + late_share * (lateness + cadence / 2) + 8, 5)  # how long an invoice is open
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
        "pay_days": pay_days,
        "habit": habit,
        "lateness": lateness,
        "per_day": activity * INVOICES / open_days,  # invoices a day: open items are those of its open days
        "invoice_size": rng.lognormal(np.log(1_800_00), 0.8, n),  # cents, document currency
        "cadence": cadence,
        "run_offset": rng.integers(0, cadence),
        "limit_months": np.where(rng.random(n) < 0.1, 0, rng.uniform(*_LIMIT_MONTHS, n)),
        "CreditIncludeOrders": rng.random(n) < 0.7,
        "review_day": np.where(rng.random(n) < 0.85, rng.integers(0, 365, n), -1),  # its yearly review, or none
        "buys_until": np.where((rng.random(n) < _LOST) & (np.arange(n) >= 10),
                               timeline.month_start(timeline.FIRST_MONTH) + rng.integers(0, 365, n),
                               np.iinfo(np.int64).max),
        **addresses.name_and_address(np.array([c[0] for c in _CURRENCIES])[currency],
                                     np.array(_TERRITORIES)[territory], rng),
    })
    return cust


def _history(seed: int, cust: pd.DataFrame, today: int) -> tuple[dict, pd.DataFrame, dict]:
    """Every month's documents (indexes of parents and of the cash that paid them made global), its customers'
    events, and the monthly exchange rates the months' steps walk to."""
    months = timeline.months(today, _ORDER_WINDOW + timeline.LEAD_DAYS)
    parts = [timeline.month_of(seed, cust, month) for month in months]
    offsets = np.cumsum([0] + [len(docs["c"]) for docs, _events, _step in parts[:-1]])
    for (docs, _events, _step), offset in zip(parts, offsets):
        for ref in ("parent", "via"):
            docs[ref] = np.where(docs[ref] >= 0, docs[ref] + offset, -1)
    drawn = {k: np.concatenate([docs[k] for docs, _events, _step in parts]) for k in parts[0][0]}
    events = pd.DataFrame({k: np.concatenate([events[k] for _docs, events, _step in parts]) for k in parts[0][1]})
    rates = _exchange_rates(months, np.array([step for _docs, _events, step in parts]))
    drawn["rate"] = _rate_on(rates, cust["currency"].to_numpy()[drawn["c"]], drawn["date"])
    drawn["base_amt"] = _to_base(drawn["doc_amt"], drawn["rate"])
    return drawn, events, rates


def _kept(drawn: dict, today: int) -> pd.DataFrame:
    """The documents on the ledger as of today, numbered by date: those dated by today, less those of the warm-up
    that were settled before the first day (not migrated) and the warm-up's held groups."""
    first = timeline.month_start(timeline.FIRST_MONTH)
    settled = _settled_on(drawn)
    migrated = (drawn["date"] >= first) | ((~drawn["held"]) & ((settled == NO_DATE) | (settled >= first)))
    keep = (drawn["date"] <= today) & migrated
    docs = pd.DataFrame({k: v[keep] for k, v in drawn.items()})
    docs["row"] = np.flatnonzero(keep)  # its row in `drawn`
    docs["posted"] = ~docs["held"]
    order = np.lexsort((docs["key"].to_numpy(), docs["date"].to_numpy()))
    number = np.empty(len(docs), dtype=np.int64)
    number[order] = 10_001 + np.arange(len(docs))
    docs["InvoiceNum"] = number
    at = np.full(len(drawn["c"]) + 1, -1)  # each drawn document's row here (-1 for none), and -1 for none
    at[docs["row"].to_numpy()] = np.arange(len(docs))
    for ref in ("parent", "via"):
        docs[ref] = at[docs[ref].to_numpy()]
    docs["ref_num"] = np.where(docs["parent"] >= 0, number[np.maximum(docs["parent"], 0)], 0)
    return docs.reset_index(drop=True)


def _settled_on(docs: dict) -> np.ndarray:
    """The day each document's planned movements first leave nothing of it (NO_DATE: it stays open); a write-off
    recovered later settled it the day it was written off."""
    last = np.maximum.reduce([docs[k] for k in ("p1_day", "p2_day", "wo_day", "use_day")])
    total = docs["p1_amt"] + docs["p2_amt"] + docs["wo_amt"] + docs["use_amt"]
    return np.where(total == docs["doc_amt"], last, NO_DATE)


def _moves(docs: pd.DataFrame, today: int) -> pd.DataFrame:
    """What changed the documents' balances by today, one row each: the row of its document, day, kind, amount in
    the document's currency and in the base currency (the base parts of a document add up to its base amount
    and leave as its base balance its document balance at its own rate), and the reason of a write-off."""
    i = np.arange(len(docs))
    wo, rec = docs["wo_amt"].to_numpy(), docs["rec_day"].to_numpy() != NO_DATE
    parts = [(i, "p1_day", _PAY, docs["p1_amt"].to_numpy()), (i, "p2_day", _PAY, docs["p2_amt"].to_numpy()),
             (i, "use_day", _CM_USE, docs["use_amt"].to_numpy()), (i, "wo_day", _WRITE_OFF, wo),
             (i[rec], "rec_day", _RECOVERY, -wo), (i[rec], "rec_day", _RECOVERY_PAY, wo)]
    moves = pd.concat([pd.DataFrame({"doc": rows, "day": docs[day].to_numpy()[rows], "kind": kind,
                                     "doc_amount": amount[rows]})
                       for rows, day, kind, amount in parts], ignore_index=True)
    moves = moves[(moves["day"] != NO_DATE) & (moves["day"] <= today) & (moves["doc_amount"] != 0)]
    moves = moves.sort_values(["doc", "day", "kind"], kind="stable", ignore_index=True)
    doc = moves["doc"].to_numpy()
    applied = moves.groupby("doc")["doc_amount"].cumsum().to_numpy()
    rate = docs["rate"].to_numpy()[doc]
    base_left = _to_base(docs["doc_amt"].to_numpy()[doc] - applied, rate)
    before = np.concatenate([[0], base_left[:-1]])
    first = np.concatenate([[True], doc[1:] != doc[:-1]])
    before = np.where(first, docs["base_amt"].to_numpy()[doc], before)
    moves["amount"] = before - base_left
    moves["reason"] = np.where(moves["kind"] == _WRITE_OFF, docs["reason"].to_numpy()[doc],
                               np.where(moves["kind"] == _RECOVERY, len(REASONS) - 1, -1))
    return moves


def _state(docs: pd.DataFrame, moves: pd.DataFrame, today: int) -> None:
    """Each document's balance today, whether it is open, and the day it was settled (ClosedDate: the first day
    nothing was left, so a write-off recovered later stays closed on the day it was written off)."""
    applied = np.bincount(moves["doc"], weights=moves["doc_amount"], minlength=len(docs)).astype(np.int64)
    docs["doc_bal"] = docs["doc_amt"].to_numpy() - applied
    docs["base_bal"] = _to_base(docs["doc_bal"].to_numpy(), docs["rate"].to_numpy())
    docs["open"] = docs["doc_bal"] != 0
    running = moves.groupby("doc")["doc_amount"].cumsum().to_numpy()
    zero = moves[running == docs["doc_amt"].to_numpy()[moves["doc"]]].drop_duplicates("doc")
    closed = np.full(len(docs), NO_DATE)
    closed[zero["doc"].to_numpy()] = zero["day"].to_numpy()
    docs["closed"] = np.where(docs["open"], NO_DATE, closed)


def _exchange_rates(months: np.ndarray, steps: np.ndarray) -> dict:
    """Monthly EUR and GBP rates to USD: a random walk of about 1.5% a month, each month's step its own."""
    foreign = [c for c in _CURRENCIES if c[0] != BASE_CURRENCY]
    walk = np.exp(np.cumsum(steps * np.array([[1.0], [0.8]]), axis=1))  # the pound follows the euro, less
    micro = np.round(np.array([c[3] for c in foreign])[:, None] * walk * 1e6).astype(np.int64)
    return {"months": months, "micro": np.vstack([np.full(len(months), 1_000_000), micro]),
            "first_month": months[0]}  # micro: [currency, month], base currency first


def _rate_table(rates: dict, today: int) -> dict:
    """CurrExRate: the rates of the months up to today's."""
    shown = rates["months"] <= dates(today).astype("datetime64[M]")
    months = rates["months"][shown]
    foreign = [c[0] for c in _CURRENCIES if c[0] != BASE_CURRENCY]
    return {"SourceCurrCode": np.repeat(foreign, len(months)), "TargetCurrCode": BASE_CURRENCY,
            "EffectiveDate": np.tile(months.astype("datetime64[D]"), len(foreign)),
            "CurrentRate": decimal(rates["micro"][1:, shown].ravel(), 6)}


def _rate_on(rates: dict, currency: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The rate in force on each day, in millionths of a dollar per unit (1,000,000 for dollars)."""
    month = (dates(day).astype("datetime64[M]") - rates["first_month"]).astype(np.int64)
    return rates["micro"][currency, np.minimum(month, rates["micro"].shape[1] - 1)]  # later: not on the ledger


def _to_base(doc_cents: np.ndarray, rate_micro: np.ndarray) -> np.ndarray:
    """round(amount * rate) to the cent, half away from zero, in exact integer arithmetic."""
    doc_cents = np.asarray(doc_cents, dtype=np.int64)
    return np.sign(doc_cents) * ((np.abs(doc_cents) * rate_micro + 500_000) // 1_000_000)


def _receipts(docs: pd.DataFrame, moves: pd.DataFrame, cust: pd.DataFrame) -> tuple[dict, np.ndarray]:
    """CashHead, and the receipt of each move (0 for none). A receipt per customer and day that paid documents;
    one per unapplied-cash document, which it names in CreditMemoNum and whose later application to the invoice it
    paid is the receipt's; one per write-off recovered. Numbered by day, so a later ledger numbers them alike."""
    c, kind, key = docs["c"].to_numpy(), docs["kind"].to_numpy(), docs["key"].to_numpy()
    doc, via = moves["doc"].to_numpy(), docs["via"].to_numpy()[moves["doc"]]
    paying = ((moves["kind"] == _PAY).to_numpy() & (via < 0))
    ur = np.flatnonzero(kind == UR)
    recovered = moves[moves["kind"] == _RECOVERY_PAY]
    pays = pd.DataFrame({"c": c[doc[paying]], "day": moves["day"].to_numpy()[paying],
                         "amount": moves["amount"].to_numpy()[paying], "draw": docs["draw"].to_numpy()[doc[paying]]})
    pays = pays.groupby(["c", "day"], as_index=False).agg(amount=("amount", "sum"), draw=("draw", "min"))
    used = -np.bincount(moves["doc"], weights=moves["amount"], minlength=len(docs)).astype(np.int64)
    head = pd.DataFrame({
        "c": np.concatenate([pays["c"], c[ur], c[recovered["doc"]]]),
        "day": np.concatenate([pays["day"], docs["date"].to_numpy()[ur], recovered["day"]]),
        "source": np.repeat([0, 1, 2], [len(pays), len(ur), len(recovered)]),
        "key": np.concatenate([np.zeros(len(pays), dtype=np.int64), key[ur], key[recovered["doc"]]]),
        "applied": np.concatenate([pays["amount"], used[ur], recovered["amount"]]),
        "unapplied": np.concatenate([np.zeros(len(pays), dtype=np.int64), -docs["base_bal"].to_numpy()[ur],
                                     np.zeros(len(recovered), dtype=np.int64)]),
        "memo": np.concatenate([np.zeros(len(pays), dtype=np.int64), docs["InvoiceNum"].to_numpy()[ur],
                                np.zeros(len(recovered), dtype=np.int64)]),
        "hint": np.concatenate([np.zeros(len(pays), dtype=np.int64), docs["ref_num"].to_numpy()[ur],
                                docs["InvoiceNum"].to_numpy()[recovered["doc"]]]),
        "draw": np.concatenate([pays["draw"], docs["draw"].to_numpy()[ur], docs["draw"].to_numpy()[recovered["doc"]]]),
    })
    head = head.iloc[np.lexsort((head["key"], head["source"], head["c"], head["day"]))].reset_index(drop=True)
    head["HeadNum"] = np.arange(1, len(head) + 1)
    by_day = head[head["source"] == 0].set_index(["c", "day"])["HeadNum"]
    number = np.zeros(len(moves), dtype=np.int64)
    number[paying] = by_day.reindex(pd.MultiIndex.from_arrays([c[doc[paying]], moves["day"].to_numpy()[paying]]))
    of_ur = pd.Series(head.loc[head["source"] == 1, "HeadNum"].to_numpy(), index=head.loc[head["source"] == 1, "key"])
    paid_by_cash = (moves["kind"] == _PAY).to_numpy() & (via >= 0)
    number[paid_by_cash] = of_ur.reindex(key[via[paid_by_cash]]).to_numpy()
    of_recovery = pd.Series(head.loc[head["source"] == 2, "HeadNum"].to_numpy(),
                            index=head.loc[head["source"] == 2, "key"])
    recovering = (moves["kind"] == _RECOVERY_PAY).to_numpy()
    number[recovering] = of_recovery.reindex(key[doc[recovering]]).to_numpy()
    year, month, day = ymd(head["day"])
    return {
        "GroupID": concat("CR", digits((year % 100) * 10_000 + month * 100 + day, 6)),  # a day's receipts
        "HeadNum": head["HeadNum"].to_numpy(),
        "Posted": True,
        "TranType": "PayInv",
        "CheckRef": _check_refs(head, cust["currency"].to_numpy()[head["c"]] == 0),
        "CustNum": cust["CustNum"].to_numpy()[head["c"]],
        "TranDate": dates(head["day"]),
        "CurrencyCode": lookup(cust["CurrencyCode"], head["c"]),
        "TranAmt": decimal(head["applied"] + head["unapplied"], 2),
        "AppliedAmt": decimal(head["applied"], 2),
        "UnAppliedAmt": decimal(head["unapplied"], 2),
        "CreditMemoNum": head["memo"],
        "ReverseRef": 0,
    }, number


def _check_refs(head: pd.DataFrame, domestic: np.ndarray) -> pa.Array:
    """Check numbers, ACH and wire references; unapplied cash often carries the remittance text instead, and a
    recovery says what it recovers."""
    number = head["draw"].to_numpy() % 999_000 + 1000
    roll = head["draw"].to_numpy() // 1000 % 100
    method = np.where(domestic, np.where(roll < 60, 0, np.where(roll < 92, 1, 2)), 2)
    hint, source = head["hint"].to_numpy(), head["source"].to_numpy()
    remit = (source == 1) & (hint > 0) & (head["draw"].to_numpy() // 100_000 % 10 < 6)
    style = np.where(source == 2, 5, np.where(remit, 3 + number % 2, method))
    check = digits(number, 6)
    return pc.choose(pa.array(style, pa.int8()),
                     check,
                     concat("ACH ", check),
                     concat("WIRE FT", digits(head["draw"].to_numpy() % 100_000_000, 8)),
                     concat("INV ", text(hint)),
                     concat("INV#", text(hint)),
                     concat("RECOVERY INV ", text(hint)))


_TRAN_TYPES = ("PayInv", "CMApply", "Adjust", "Adjust", "PayInv")
"""CashDtl's TranType of each kind of move."""


def _cash_details(docs: pd.DataFrame, moves: pd.DataFrame) -> dict:
    """CashDtl: every move by today in order of day, receipt and document. With them every document's balance as
    of any day since its date is its amount less what was applied by then; as of today that is its balance."""
    moves = moves.assign(InvoiceNum=docs["InvoiceNum"].to_numpy()[moves["doc"]])
    moves = moves.sort_values(["day", "HeadNum", "InvoiceNum", "kind"], kind="stable", ignore_index=True)
    reason = moves["reason"].to_numpy()
    return {
        "HeadNum": moves["HeadNum"].to_numpy(),
        "DtlNum": np.arange(1, len(moves) + 1),
        "InvoiceNum": moves["InvoiceNum"].to_numpy(),
        "TranType": lookup(_TRAN_TYPES, moves["kind"]),
        "TranDate": dates(moves["day"]),
        "TranAmt": decimal(moves["amount"], 2),
        "DocTranAmt": decimal(moves["doc_amount"], 2),
        "ReasonCode": lookup([r[0] for r in REASONS] + [""], np.where(reason >= 0, reason, len(REASONS))),
    }


def _po_numbers(cust: pd.DataFrame, c: np.ndarray, draw: np.ndarray) -> pa.Array:
    """Purchase-order numbers in the customer's own style (each keeps one; some never send a PO)."""
    style = cust["CustNum"].to_numpy()[c] * 7919 % 10 // 2
    return pc.choose(pa.array(style, pa.int8()),
                     concat("PO-", text(draw % 1_000_000)),
                     concat("45", digits(draw, 8)),
                     text(draw % 100_000),
                     concat("BLANKET-", text(draw % 100)),
                     pa.array(np.full(len(c), ""), pa.string()))


_ORDER_WINDOW = 7
"""An order's releases ship within this many days of each other (a customer's window starts on its own day)."""


def _orders(drawn: dict, docs: pd.DataFrame, cust: pd.DataFrame, rates: dict, today: int
            ) -> tuple[dict, pa.Array]:
    """OrderHed, and the PO number of every document.

    Shipment invoices are releases of orders: a customer's shipments of one window, split at random into one or
    two orders, share its number and PO; an order is placed a few days before its first release. Orders placed
    by today whose releases are not all shipped are open: they count towards credit exposure. Miscellaneous
    invoices carry a PO of their own, credits none. `drawn` holds the shipments after today as well.
    """
    shipped = np.flatnonzero(drawn["shipped"] & ~drawn["held"])
    c, day, key = (drawn[k][shipped] for k in ("c", "date", "key"))
    window = (day - cust["CustNum"].to_numpy()[c] * 7) // _ORDER_WINDOW
    u = drawn["order_u"][shipped]
    split = (u < 0.3).astype(np.int64)  # a second order in one window
    order = np.lexsort((key, day, (c * (window.max(initial=0) + 1) + window) * 3 + split))
    c, window, split, day, key, rows = c[order], window[order], split[order], day[order], key[order], shipped[order]
    start = np.ones(len(rows), dtype=bool)
    start[1:] = (c[1:] != c[:-1]) | (window[1:] != window[:-1]) | (split[1:] != split[:-1])
    starts = np.flatnonzero(start)
    group = np.cumsum(start) - 1  # each release's order
    first_row, oc = rows[starts], c[starts]
    placed = day[starts] - drawn["lead"][first_row]
    last = np.maximum.reduceat(day, starts) if len(starts) else day
    keep = (placed <= today) & (last >= timeline.month_start(timeline.FIRST_MONTH))  # migrated
    kept = np.flatnonzero(keep)[np.lexsort((key[starts][keep], placed[keep]))]
    number, position = np.zeros(len(starts), dtype=np.int64), np.full(len(starts) + 1, -1)
    number[kept], position[kept] = 50_001 + np.arange(len(kept)), np.arange(len(kept))
    doc_amt, base_amt = (np.add.reduceat(drawn[k][rows], starts) if len(starts) else np.zeros(0, np.int64)
                         for k in ("doc_amt", "base_amt"))
    of_row = np.full(len(drawn["c"]), len(starts))
    of_row[rows] = group
    at = position[of_row[docs["row"].to_numpy()]]
    docs["OrderNum"] = np.where(at >= 0, number[kept][np.maximum(at, 0)] if len(kept) else 0, 0)
    order_po = _po_numbers(cust, oc[kept], drawn["draw"][first_row[kept]])
    miscellaneous = (docs["kind"] == INV).to_numpy() & ~docs["shipped"].to_numpy()
    own = _po_numbers(cust, docs["c"].to_numpy()[miscellaneous], docs["draw"].to_numpy()[miscellaneous])
    which = np.where(at >= 0, at, np.where(miscellaneous, len(kept) + np.cumsum(miscellaneous) - 1,
                                           len(kept) + len(own)))
    po = pa.concat_arrays([order_po, own, pa.array([""])]).take(pa.array(which))
    return {
        "OrderNum": number[kept],
        "CustNum": cust["CustNum"].to_numpy()[oc[kept]],
        "OrderDate": dates(placed[kept]),
        "OpenOrder": last[kept] > today,
        "CurrencyCode": lookup(cust["CurrencyCode"], oc[kept]),
        "OrderAmt": decimal(base_amt[kept], 2),
        "DocOrderAmt": decimal(doc_amt[kept], 2),
        "PONum": order_po,
    }, po


_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}
_CALL_TYPES = ("CALL", "EMAIL", "PROMISE", "DISPUTE")
_NOTES_PER_INVOICE = 3
_NOTE_GAP = 14


def _calls(docs: pd.DataFrame, po: pa.Array, cust: pd.DataFrame, events: pd.DataFrame, today: int) -> dict:
    """CRMCall: the collector's notes on some of the invoices paid late (a week past due, then every two weeks
    while unpaid, the first a dispute when it is held up; some promise payment, and some promises are broken), and
    the statements e-mailed; numbered by day."""
    payable = ((docs["kind"] == INV) | (docs["kind"] == DN)).to_numpy() & docs["posted"].to_numpy()
    settled = np.where(docs["closed"] == NO_DATE, np.iinfo(np.int64).max, docs["closed"])
    noted = payable & (docs["note_u"].to_numpy() < timeline.NOTE_CHANCE * docs["size"].to_numpy())
    rows, nth = np.repeat(np.flatnonzero(noted), _NOTES_PER_INVOICE), np.tile(np.arange(_NOTES_PER_INVOICE),
                                                                              int(noted.sum()))
    day = docs["due"].to_numpy()[rows] + 7 + _NOTE_GAP * nth
    due = (day < settled[rows]) & (day <= today)
    rows, nth, day = rows[due], nth[due], day[due]
    detail = docs["note_detail"].to_numpy()[rows] + nth
    roll = (docs["note_kind"].to_numpy()[rows] + nth * 0.37) % 1
    kind = np.where((nth == 0) & docs["stuck"].to_numpy()[rows], 3, np.select([roll < 0.45, roll < 0.8], [0, 1], 2))
    statements = events[~events["hold"] & (events["day"] <= today)]
    c = np.concatenate([docs["c"].to_numpy()[rows], statements["c"]])
    day = np.concatenate([day, statements["day"]])
    key = np.concatenate([docs["key"].to_numpy()[rows] + nth, statements["detail"]])
    chosen = np.concatenate([rows, np.full(len(statements), -1)])
    kind = np.concatenate([kind, np.ones(len(statements), dtype=np.int64)])
    detail = np.concatenate([detail, statements["detail"]])
    order = np.lexsort((key, c, day))
    c, day, chosen, kind, detail = c[order], day[order], chosen[order], kind[order], detail[order]
    contact = np.asarray(_CONTACTS, dtype=object)[detail % len(_CONTACTS)]
    row = np.maximum(chosen, 0)
    invoice = np.where(chosen >= 0, docs["InvoiceNum"].to_numpy()[row], 0)
    paid_first = docs["p1_day"].to_numpy()[row] <= day
    balance = (docs["doc_amt"].to_numpy()[row] - np.where(paid_first, docs["p1_amt"].to_numpy()[row], 0)) / 100
    due, later = _date_texts(docs["due"].to_numpy()[row]), _date_texts(day + 7 + detail % 14)
    po = po.take(row).to_pylist() if len(docs) else [""] * len(c)
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


def _credit(cust: pd.DataFrame, events: pd.DataFrame, today: int) -> dict:
    """Credit limit (_LIMIT_MONTHS of the customer's sales; 0, unlimited, for one in ten), the hold in force today
    (placed on a day of the history, for a while) and the last yearly review."""
    n = len(cust)
    size = cust["invoice_size"].to_numpy() * np.exp(0.7**2 / 2)  # the mean of the lognormal amounts
    rate = np.array([c[3] for c in _CURRENCIES])[cust["currency"].to_numpy()]  # the rate it walks around
    monthly = cust["per_day"].to_numpy() * 30.4 * size * rate
    exposure = monthly * cust["limit_months"].to_numpy()
    step = np.where(exposure > 50_000_00, 5_000_00, 1_000_00)
    limit = (np.ceil(exposure / step) * step).astype(np.int64)
    holds = events[events["hold"] & (events["day"] <= today) & (events["until"] > today)]
    holds = holds.sort_values("day").drop_duplicates("c", keep="last")
    hold = np.zeros(n, dtype=bool)
    hold[holds["c"]] = True
    since, manual = np.full(n, NO_DATE), np.zeros(n, dtype=bool)
    since[holds["c"]], manual[holds["c"]] = holds["day"], holds["manual"]
    review = cust["review_day"].to_numpy()
    last_review = today - (today - review) % 365
    return {
        "CreditLimit": decimal(limit, 2),
        "CreditHold": hold,
        "CreditHoldDate": dates(since),
        "CreditHoldSource": np.where(hold, np.where(manual | (limit == 0), "MANUAL", "CREDIT"), ""),
        "CreditReviewDate": dates(np.where(review >= 0, last_review, NO_DATE)),
    }


_POSTED = ("Invoices and debit memos posted", "Credit memos and unapplied cash posted", "Cash applied",
           "Credit memos used", "Invoices written off", "Write-offs recovered")


def _general_ledger(docs: pd.DataFrame, moves: pd.DataFrame, today: int) -> dict:
    """GLJrnDtl: one AR journal a day, one line for each of what the receivables module posted to the control
    account that day (documents by apply date, debits and credits apart; cash applied; credit memos used;
    write-offs and recoveries, with their lines on the allowance account), the general journal entry typed into
    the control account in the middle of every month (MANUAL_ENTRY_CENTS, credited), and the allowance's
    provisions at each month-end that wrote off more than it recovered: 110% of the difference, the first also
    _OPENING_ALLOWANCE of the receivables migrated."""
    posted = docs["posted"].to_numpy() & (docs["apply"].to_numpy() <= today)
    base = docs["base_amt"].to_numpy()[posted]
    kind, amount = moves["kind"].to_numpy(), moves["amount"].to_numpy()
    what = np.select([kind == _CM_USE, kind == _WRITE_OFF, kind == _RECOVERY], [3, 4, 5], 2)
    adjusted = (kind == _WRITE_OFF) | (kind == _RECOVERY)
    lines = pd.DataFrame({
        "day": np.concatenate([docs["apply"].to_numpy()[posted], moves["day"], moves["day"].to_numpy()[adjusted]]),
        "what": np.concatenate([np.where(base > 0, 0, 1), what, what[adjusted] + 2]),
        "debit": np.concatenate([base, -amount, amount[adjusted]]),
    }).groupby(["day", "what"], as_index=False)["debit"].sum()
    lines["JournalNum"] = lines["day"].rank(method="dense").astype(np.int64)
    lines["JournalLine"] = lines.groupby("day").cumcount() + 1
    first = timeline.month_start(timeline.FIRST_MONTH)
    month_ends = _month_end(np.arange(timeline.FIRST_MONTH, dates(today).astype("datetime64[M]") + 1)
                            .astype("datetime64[D]").astype(np.int64))
    manual = month_ends[month_ends - 15 <= today] - 15
    written = lines[lines["what"].isin([4, 5])]
    net = pd.Series(-written["debit"].to_numpy(), index=_month_end(written["day"])).groupby(level=0).sum()
    ends = month_ends[month_ends <= today]
    provision = np.round(np.maximum(net.reindex(ends, fill_value=0).to_numpy(), 0) * 1.1).astype(np.int64)
    if len(provision):
        provision[0] += round(_balance_on(docs, moves, first - 1) * _OPENING_ALLOWANCE)
    ends, provision = ends[provision > 0], provision[provision > 0]
    general = pd.DataFrame({"day": np.concatenate([manual, ends]),
                            "manual": np.repeat([True, False], [len(manual), len(ends)]),
                            "credit": np.concatenate([np.full(len(manual), MANUAL_ENTRY_CENTS), provision])})
    general = general.sort_values(["day", "manual"], kind="stable", ignore_index=True)
    debit = lines["debit"].to_numpy()
    allowance = lines["what"].to_numpy() >= 6
    return {
        "JournalCode": np.array(["AR"] * len(lines) + ["GJ"] * len(general), dtype=object),
        "JournalNum": np.concatenate([lines["JournalNum"], 1 + np.arange(len(general))]),
        "JournalLine": np.concatenate([lines["JournalLine"], np.ones(len(general), dtype=np.int64)]),
        "GLAccount": np.concatenate([np.where(allowance, ALLOWANCE_ACCOUNT, GL_ACCOUNT),
                                     np.where(general["manual"], GL_ACCOUNT, ALLOWANCE_ACCOUNT)]),
        "JEDate": dates(np.concatenate([lines["day"], general["day"]])),
        "SourceModule": np.array(["AR"] * len(lines) + ["GL"] * len(general), dtype=object),
        "Description": np.concatenate([[_POSTED[w - 2 if w >= 6 else w] for w in lines["what"]],
                                       np.where(general["manual"], "Customer deposit reclassified to unearned revenue",
                                                "Provision for doubtful accounts")]).astype(object),
        "DebitAmount": decimal(np.concatenate([np.maximum(debit, 0), np.zeros(len(general), np.int64)]), 2),
        "CreditAmount": decimal(np.concatenate([np.maximum(-debit, 0), general["credit"]]), 2),
    }


def _balance_on(docs: pd.DataFrame, moves: pd.DataFrame, day: int) -> int:
    """The receivables (base currency) as of a day: posted documents dated by then less what was applied by then."""
    dated = docs["posted"].to_numpy() & (docs["date"].to_numpy() <= day)
    return int(docs["base_amt"].to_numpy()[dated].sum() - moves.loc[moves["day"] <= day, "amount"].sum())


def _month_end(days) -> np.ndarray:
    """The last day of each day's month."""
    return ((dates(days).astype("datetime64[M]") + 1).astype("datetime64[D]") - 1).astype(np.int64)


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


