"""Matching benchmark: a labelled ledger with the truth known; share auto-applied, precision, recall, time.

The generator makes customers with open invoices (a tenth bill a fixed amount every month) and credits whose
truth is known: payments of one or several invoices with and without references (references in many formats,
with check, PO, date and amount noise, or with a typing slip), short pays small and large, over-payments,
partial and free-standing credit memos, round sums on account, duplicate payments (of a closed invoice, or two
of one open invoice), payments a person cannot place either (two equal invoices, no reference), payments in
another currency, and parents paying a child's invoice. It prints, as medians of several runs beside the targets:
- auto-applied: credits with a high-confidence proposal, of all credits and of the matchable ones (target >= 90%);
- precision of high-confidence proposals: rows naming an invoice the credit truly pays (target >= 99.9%);
- recall: matchable credits whose proposals (any confidence) are exactly their invoices;
- time of ardesk.ar.matching.match (target < 10 s for 20,000 credits against 1,000,000 open invoices: --scale).
A credit is matchable when its truth can be read from the ledger: not a duplicate, an on-account sum, a credit
memo for no invoice, another currency, or a payment without reference of a customer billing one fixed amount
(other invoices are the same amount: only a person can ask which one was meant).

    .venv/bin/python bench/bench_matching.py --runs 5
    .venv/bin/python bench/bench_matching.py --runs 3 --scale
"""
import argparse
import statistics
import time
from decimal import Decimal

import numpy as np
import pandas as pd

from ardesk.ar.matching import match
from ardesk.frames import OPEN_ITEMS
from ardesk.settings import ReconcileSettings

AS_OF = np.datetime64("2026-11-24", "s")
DAY = np.timedelta64(86_400, "s")
SCENARIOS = {  # name: (share of credits, matchable)
    "one invoice, referenced": (0.30, True),
    "one invoice, no reference": (0.15, True),
    "several invoices, referenced": (0.09, True),
    "several invoices, no reference": (0.07, True),
    "reference with a typing slip": (0.04, True),
    "short pay, referenced": (0.05, True),
    "small short pay, referenced": (0.03, True),
    "over-payment, referenced": (0.03, True),
    "partial credit memo": (0.06, True),
    "parent pays a child's invoice": (0.02, True),
    "two payments of one invoice": (0.02, True),  # the first is matchable, the second is a duplicate
    "credit memo without an invoice": (0.03, False),
    "round sum on account": (0.03, False),
    "duplicate of a closed invoice": (0.03, False),
    "two equal invoices, no reference": (0.03, False),
    "another currency": (0.02, False),
}
ONE_FORMATS = ("INV-{n:07d}", "inv {n}", "#{n}", "Inv#{n}", "{n}", "RE: INVOICE {n}", "PMT INV {n}",
               "Invoice No. {n}", "CHK {c} INV {n}", "ACH {c} inv#{n}", "PO {p} / INV {n}", "INV {n} paid {d}",
               "{n} ${a}", "Payment for invoice {n}, thank you")
MANY_FORMATS = ("PMT INV {ns}", "INV {nc}", "Invoices {na}", "{nsl}", "RE: {nc}")
NO_REFERENCE = ("", "", "CHK {c}", "ACH {c}", "WIRE FT{c}0", "{k}", "Remittance to follow")


def ledger(customers: int, credits: int, seed: int):
    """(OPEN_ITEMS frame, parents mapping, truth) for a ledger of about 20 open invoices per customer.

    truth has one row per credit: credit_doc, scenario, matchable, invoices (the docs it truly pays, a set).
    """
    rng = np.random.default_rng(seed)
    count = np.maximum(1, np.round(rng.lognormal(np.log(20) - 0.32, 0.8, customers))).astype(np.int64)
    customer = np.repeat(np.arange(customers), count)
    n = len(customer)
    currency = rng.choice(["USD", "EUR", "GBP"], customers, p=[0.85, 0.1, 0.05])
    scale = rng.lognormal(np.log(2_000_00), 1.0, customers)
    fixed = rng.random(customers) < 0.1  # subscriptions: the same amount every month
    amount = np.where(fixed[customer], scale[customer], scale[customer] * rng.lognormal(0, 0.6, n))
    amount = np.maximum(np.round(amount), 5_00).astype(np.int64)
    numbers = rng.permutation(np.arange(100_001, 100_001 + n + 3 * credits))  # the rest: closed invoices
    invoice_no, closed_no = numbers[:n], numbers[n:]  # [k]: paid twice by credit k; [credits + 2k ...]: twins
    due = AS_OF - rng.integers(-30, 200, n) * DAY
    invoices = pd.DataFrame({"c": customer, "doc_no": invoice_no.astype(str), "amount": amount, "due": due,
                             "balance": amount})
    partly = rng.random(n) < 0.05
    paid_part = rng.uniform(0.2, 0.9, int(partly.sum()))
    invoices.loc[partly, "balance"] = np.maximum(1, (amount[partly] * paid_part).astype(np.int64))

    # credits: a scenario each; the invoices they pay drawn per customer without repeats
    names = list(SCENARIOS)
    share = np.array([SCENARIOS[s][0] for s in names])
    scenario = rng.choice(len(names), credits, p=share / share.sum())
    size = np.where(np.isin(scenario, [names.index("several invoices, referenced"),
                                       names.index("several invoices, no reference")]), rng.integers(2, 5, credits), 1)
    size[np.isin(scenario, [names.index(s) for s in ("credit memo without an invoice", "round sum on account",
                                                      "duplicate of a closed invoice", "another currency")])] = 0
    payer = rng.choice(customers, credits, p=count / count.sum())
    order = np.argsort(payer, kind="stable")
    taken = np.zeros(credits, dtype=np.int64)
    taken[order] = pd.Series(size[order]).groupby(payer[order]).cumsum().to_numpy() - size[order]
    fits = taken + size <= count[payer]
    scenario, size, payer, taken = scenario[fits], size[fits], payer[fits], taken[fits]
    shuffled = np.concatenate([rng.permutation(k) for k in count]) if n else np.zeros(0, dtype=np.int64)
    first = np.cumsum(count) - count  # where each customer's invoices start
    extra_rows, credit_rows, truth, parents = [], [], [], {}
    for k, (kind, s, c, t) in enumerate(zip(scenario, size, payer, taken)):
        name = names[kind]
        pays = [int(first[c] + shuffled[first[c] + t + j]) for j in range(s)]
        docs = [invoices.at[i, "doc_no"] for i in pays]
        owed = int(sum(invoices.at[i, "balance"] for i in pays))
        doc, cust, cur, kind_code, matchable = f"P{k + 1:06d}", f"C{c:06d}", currency[c], "PAY", SCENARIOS[name][1]
        noise = {"c": f"{rng.integers(1, 999_999):06d}", "k": str(rng.integers(1_000, 99_999)),  # check numbers
                 "p": f"45{rng.integers(0, 99_999_999):08d}", "d": str(AS_OF - rng.integers(0, 30) * DAY)[:10],
                 "a": f"{owed / 100:,.2f}"}
        value, reference = owed, ""
        if name in ("one invoice, referenced", "parent pays a child's invoice", "two payments of one invoice"):
            reference = rng.choice(ONE_FORMATS).format(n=int(docs[0]), **noise)
        elif name == "several invoices, referenced":
            reference = rng.choice(MANY_FORMATS).format(ns=" ".join(docs), nc=", ".join(docs),
                                                        na=", ".join(docs[:-1]) + " & " + docs[-1], nsl="/".join(docs))
        elif name in ("one invoice, no reference", "several invoices, no reference", "round sum on account"):
            reference = rng.choice(NO_REFERENCE).format(**noise)
        elif name == "reference with a typing slip":
            reference = f"INV {_slip(docs[0], rng)}"
        elif name in ("short pay, referenced", "small short pay, referenced"):
            cut = rng.uniform(0.02, 0.25) if name.startswith("short") else rng.uniform(0.0005, 0.004)
            value = owed - max(1, int(owed * cut))
            reference = rng.choice(ONE_FORMATS).format(n=int(docs[0]), **noise)
        elif name == "over-payment, referenced":
            value = owed + int(rng.integers(1_00, 500_00))
            reference = rng.choice(ONE_FORMATS).format(n=int(docs[0]), **noise)
        elif name == "partial credit memo":
            kind_code, value = "CM", max(1_00, int(owed * rng.uniform(0.05, 0.3)))
            reference = rng.choice(("Credit for inv. {n}", "INV-{n:07d}", "RE: INVOICE {n}")).format(n=int(docs[0]))
        elif name == "credit memo without an invoice":
            kind_code, value = "CM", int(rng.integers(10_00, 500_00))
            reference = rng.choice(("Pricing adjustment", "Volume rebate", f"RMA {rng.integers(1000, 9999)}",
                                    "Freight allowance"))
        elif name == "round sum on account":
            value = int(rng.integers(1, 100)) * 100_00
        elif name == "duplicate of a closed invoice":
            closed = str(closed_no[k])
            value = int(amount[first[c]]) if fixed[c] else int(rng.lognormal(np.log(scale[c]), 0.6))
            reference = rng.choice(ONE_FORMATS).format(n=int(closed), **noise)
        elif name == "two equal invoices, no reference":
            twin, other = str(closed_no[credits + 2 * k]), str(closed_no[credits + 2 * k + 1])  # unused numbers
            value, docs = int(rng.integers(50_00, 5_000_00)), [twin]  # it pays the one, a person cannot tell
            extra_rows.append((c, twin, value, AS_OF - rng.integers(0, 90) * DAY))
            extra_rows.append((c, other, value, AS_OF - rng.integers(0, 90) * DAY))
        elif name == "another currency":
            cur = "CHF"
            value = int(invoices.at[int(first[c]), "balance"])
        if name.endswith("no reference") and fixed[c] and s and _alike(invoices, first[c], count[c], pays):
            name, matchable = f"{name} (fixed-amount customer)", False  # only a person can ask which was meant
        if name == "parent pays a child's invoice":
            parents[cust] = f"G{c:06d}"
            cust = parents[cust]
        date = AS_OF - rng.integers(0, 20) * DAY
        credit_rows.append((cust, doc, kind_code, cur, value, reference, date))
        truth.append((doc, name, matchable, frozenset(docs)))
        if name == "two payments of one invoice":  # the same payment again, a day later: a duplicate
            doc2 = f"Q{k + 1:06d}"
            credit_rows.append((cust, doc2, "PAY", cur, value, reference, date + DAY))
            truth.append((doc2, "second payment of one invoice", False, frozenset()))
    extra = pd.DataFrame(extra_rows, columns=["c", "doc_no", "balance", "due"])
    extra["amount"] = extra["balance"]
    invoices = pd.concat([invoices, extra], ignore_index=True)
    credits = pd.DataFrame(credit_rows, columns=["customer_id", "doc_no", "doc_type", "currency", "value",
                                                 "reference", "date"])
    items = pd.concat([
        pd.DataFrame({"customer_id": "C" + pd.Series(invoices["c"]).map("{:06d}".format),
                      "doc_no": invoices["doc_no"], "doc_type": "INV", "doc_date": invoices["due"] - 30 * DAY,
                      "due_date": invoices["due"], "currency": currency[invoices["c"]],
                      "amount_cents": invoices["amount"], "balance_cents": invoices["balance"],
                      "reference": ""}),
        pd.DataFrame({"customer_id": credits["customer_id"], "doc_no": credits["doc_no"],
                      "doc_type": credits["doc_type"], "doc_date": credits["date"], "due_date": credits["date"],
                      "currency": credits["currency"], "amount_cents": -credits["value"],
                      "balance_cents": -credits["value"], "reference": credits["reference"]}),
    ], ignore_index=True)
    items["customer_name"] = items["customer_id"]
    items["base_balance_cents"] = items["balance_cents"]
    for name in ("terms", "sales_rep", "collector", "po_number"):
        items[name] = ""
    items["credit_limit_cents"] = 0
    items = items[list(OPEN_ITEMS)].astype(OPEN_ITEMS)
    truth = pd.DataFrame(truth, columns=["credit_doc", "scenario", "matchable", "invoices"])
    return items, parents, truth


def _alike(invoices: pd.DataFrame, first: int, count: int, pays: list[int]) -> bool:
    """Whether another open invoice of the customer has the balance of one that is paid (so sets of them tie)."""
    balance = invoices["balance"].to_numpy()[first:first + count]
    return bool(np.isin(balance, invoices["balance"].to_numpy()[pays]).sum() > len(pays))


def _slip(doc: str, rng) -> str:
    """One typing slip: two neighbouring digits swapped, or one digit wrong."""
    k = int(rng.integers(0, len(doc) - 1))
    if rng.random() < 0.5 and doc[k] != doc[k + 1]:
        return doc[:k] + doc[k + 1] + doc[k] + doc[k + 2:]
    return doc[:k] + str((int(doc[k]) + int(rng.integers(1, 10))) % 10) + doc[k + 1:]


def judged(result, truth: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """(truth with per credit: proposed invoices, auto (a high proposal), matched (proposals exactly the truth),
    high_wrong; per proposal row: right, high)."""
    pays = {(c, i) for c, docs in zip(truth["credit_doc"], truth["invoices"]) for i in docs}
    proposals = result.proposals
    right = np.array([(c, i) in pays for c, i in zip(proposals["credit_doc"], proposals["invoice_doc"])], dtype=bool)
    high = (proposals["confidence"] == "high").to_numpy()
    per_credit = pd.DataFrame({"credit_doc": proposals["credit_doc"], "invoice": proposals["invoice_doc"],
                               "right": right, "auto": high, "high_wrong": high & ~right}).groupby("credit_doc").agg(
        proposed=("invoice", frozenset), right=("right", "all"), auto=("auto", "any"), high_wrong=("high_wrong", "any"))
    table = truth.join(per_credit, on="credit_doc")
    for name in ("right", "auto", "high_wrong"):
        table[name] = table[name].fillna(False).astype(bool)
    table["matched"] = table["right"] & (table["proposed"] == table["invoices"])
    return table, right, high


def score(result, truth: pd.DataFrame) -> dict:
    """The figures of one run against the truth."""
    table, right, high = judged(result, truth)
    matchable = table[table["matchable"]]
    return {
        "auto-applied, of all credits": table["auto"].mean(),
        "auto-applied, of matchable credits": matchable["auto"].mean(),
        "precision of high-confidence proposals": right[high].mean() if high.any() else 1.0,
        "precision of all proposals": right.mean() if len(right) else 1.0,
        "recall (matched / matchable)": matchable["matched"].mean(),
        "high-confidence rows wrong": int((~right & high).sum()),
    }


def by_scenario(result, truth: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: credits, share auto-applied, share matched exactly, credits with a wrong high proposal."""
    table, _, _ = judged(result, truth)
    return table.groupby("scenario", sort=False).agg(credits=("credit_doc", "size"), auto=("auto", "mean"),
                                                     matched=("matched", "mean"), high_wrong=("high_wrong", "sum"))


def bench(customers: int, credits: int, runs: int, settings: ReconcileSettings, seed: int) -> None:
    """Match `runs` ledgers (seeds seed, seed + 1, ...) and print the medians beside the targets."""
    times, figures, sizes = [], [], []
    for run in range(runs):
        items, parents, truth = ledger(customers, credits, seed + run)
        start = time.perf_counter()
        result = match(items, settings, parents)
        times.append(time.perf_counter() - start)
        figures.append(score(result, truth))
        sizes.append((len(truth), int((items["balance_cents"] > 0).sum())))
    credited, owed = (statistics.median(size[k] for size in sizes) for k in (0, 1))
    print(f"\n{credited:,.0f} credits against {owed:,.0f} open invoices of {customers:,} customers "
          f"(medians of {runs} ledgers, seeds {seed}..{seed + runs - 1})")
    targets = {"auto-applied, of matchable credits": ">= 90%", "precision of high-confidence proposals": ">= 99.9%"}
    print(f"  {'measure':<42}{'median':>10}   target")
    for name in figures[0]:
        value = statistics.median(f[name] for f in figures)
        shown = f"{value:>10,.0f}" if name.endswith("wrong") else f"{value:>10.2%}"
        print(f"  {name:<42}{shown}   {targets.get(name, '')}")
    limit = "< 10 s at 20,000 x 1,000,000" if credits >= 20_000 else ""
    print(f"  {'time of match()':<42}{statistics.median(times):>9.2f}s   {limit}")
    by_rule = result.proposals.drop_duplicates("credit_doc").groupby(["rule", "confidence"]).size()
    print("  last ledger, credits by rule and confidence: "
          + ", ".join(f"{r}/{c} {k:,}" for (r, c), k in by_rule.items()))
    print("  last ledger, review by reason: "
          + ", ".join(f"{r} {k:,}" for r, k in result.review["reason"].value_counts().items()))
    print(f"  {'last ledger, by scenario':<58}{'credits':>8}{'auto':>8}{'matched':>9}{'high wrong':>11}")
    for name, row in by_scenario(result, truth).iterrows():
        print(f"  {name:<58}{int(row['credits']):>8,}{row['auto']:>8.1%}{row['matched']:>9.1%}"
              f"{int(row['high_wrong']):>11,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--credits", type=int, default=5_000)
    parser.add_argument("--scale", action="store_true",
                        help="also 20,000 credits against about 1,000,000 open invoices (51,000 customers)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tolerance-pct", default="0.5", help="[reconcile] tolerance_pct for the run")
    parser.add_argument("--tolerance-abs", default="25", help="[reconcile] tolerance_abs for the run")
    args = parser.parse_args()
    settings = ReconcileSettings(tolerance_pct=Decimal(args.tolerance_pct), tolerance_abs=Decimal(args.tolerance_abs))
    print(f"settings: {settings}")
    bench(args.customers, args.credits, args.runs, settings, args.seed)
    if args.scale:
        bench(51_000, 20_000, args.runs, settings, args.seed)


if __name__ == "__main__":
    main()
