"""Matching unapplied credits to open invoices: proposals a person approves, each one explained.

Credits are credit memos and unapplied payments with a negative balance; invoices here are invoices and debit
memos with a positive one. A credit is matched only within its account (its customer, or the family of a parent
and its children when one is given) and its currency, and is settled by the first rule that decides it.
Confidence: high is near-certain and pre-approved; medium is likely, a person ticks it; low is a lead only.

1. reference: its reference text names open invoices of the account (see ardesk.ar.references); the credit is
   spread over them in due-date order. Exact, or short by no more than the tolerance (the shortfall proposed as
   a write-off): high. Short by more: the unpaid rest of a payment is a short pay to investigate (a credit memo
   just credits part of an invoice); high, but medium when it names several invoices (which one is short is a
   guess) or when another open invoice is exactly the credit's amount. More than they owe: applied, the rest
   stays a credit (`left over`); high unless another open invoice is exactly the amount. Credits naming the same
   invoice share it in credit order; one that finds it already taken is `contested`.
2. amount: exactly one open invoice is the credit's amount: high when rule 3's search proves that no other set
   of invoices sums to it, medium when one does or the search gave up. Two or more such invoices: `ambiguous`.
3. combination: exactly one set of 2..max_combination open invoices sums to the credit to the cent: high, unless
   it may be chance: medium for a credit memo (raised for one invoice), a round sum (most often on account) or a
   customer whose invoices add up to amounts near it so often that one exact sum proves little (subsets.crowd).
   Two or more sets: `ambiguous`, listing them; the search reached its budget first: `gave up`.
   Credits of rules 2-4 that want the same invoice are all `contested` (one is likely a duplicate).
4. tolerance: nothing exact, and exactly one open invoice exceeds the credit by no more than the tolerance: it
   is paid with a write-off for the difference, medium (near an invoice's amount is weaker than equal to it).
5. oldest: for customers that want it, a credit nothing above applied pays the oldest invoices in due-date
   order, the last in part: high, as it is the customer's standing instruction.
A credit whose reference names numbers that are no open invoice of its account is matched by rules 2-5 with
less confidence: low when the text calls the number an invoice or it is an open invoice of another customer or
currency; medium when it is a bare number within the span of the ledger's invoice numbers (a closed invoice?)
or one typing slip away from the matched invoice's. A credit nothing places is `reference not open` when its
reference names such a number, else `no match`.

Pure and deterministic: the same open items, in any row order, give the same frames in the same order.
"""
import dataclasses
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ardesk.ar.accounts import CREDITS, DEBITS, amount_text, shaped
from ardesk.ar.allocation import fill, running, total_by
from ardesk.ar.references import doc_keys, invoice_numbers, near
from ardesk.ar.subsets import exact_sets
from ardesk.errors import ArdeskError
from ardesk.frames import DIFFERENCES, PROPOSALS, REVIEW
from ardesk.settings import ReconcileSettings

COLUMNS = ("customer_id", "doc_no", "doc_type", "doc_date", "due_date", "currency", "balance_cents", "reference")
"""What matching reads of an OPEN_ITEMS (or AGED) frame."""
TEXT = ("customer_id", "doc_no", "doc_type", "currency", "reference")  # of COLUMNS, missing text read as ""
HIGH, MEDIUM, LOW = "high", "medium", "low"
APPLIED, WRITE_OFF, SHORT_PAY = "applied", "write-off", "short pay"
LISTED = 5
"""Candidate invoices or sets a review row names before `and N more`."""
CROWDED = 0.05
"""A set summing to the credit is no better than medium when about this many sets of the customer's invoices
sum to any one amount near it (ardesk.ar.subsets: crowd): an exact sum is then too likely to be chance."""
ROUND_SUM = 100_00
"""Amounts in whole hundreds are most often payments on account: a set summing to one is no better than medium."""


@dataclasses.dataclass(frozen=True)
class Matches:
    """What a run proposes: the four lists a person works through (and the reconcile JSON carries)."""

    proposals: pd.DataFrame  # PROPOSALS
    review: pd.DataFrame  # REVIEW
    write_offs: pd.DataFrame  # DIFFERENCES
    short_pays: pd.DataFrame  # DIFFERENCES


def match(items: pd.DataFrame, settings: ReconcileSettings = ReconcileSettings(),
          parents: Mapping[str, str] | None = None) -> Matches:
    """OPEN_ITEMS -> proposed applications, write-offs, short pays and the credits left for review.

    `parents` maps a child customer to its parent: a family is matched as one account (none by default).
    """
    credits, debits, ledger = _sides(items, parents or {})
    named = _named(credits, debits)
    run = _Run(credits, debits, settings, _warnings(credits, named, ledger))
    _by_reference(run, named)
    _by_amount(run)
    _by_tolerance(run)
    _oldest_first(run)
    return run.frames()


# Reading the open items


def families(parents: Mapping[str, str]) -> dict[str, str]:
    """child -> the top of its family, following parents of parents."""
    top = {}
    for child in parents:
        seen, node = [child], parents[child]
        while node in parents:
            if node in seen:
                raise ArdeskError(f"Customers {' -> '.join(seen + [node])} are each other's parents: "
                                  "give every family one top customer.")
            seen.append(node)
            node = parents[node]
        top[child] = node
    return top


def _sides(items: pd.DataFrame, parents: Mapping[str, str]):
    """(credits, their accounts' debits, the ledger), credits and debits in the canonical order.

    The ledger is every open debit's number key with its customer, account and currency: where a reference's
    number may point outside the credit's account. Only the debits of accounts with credits are read further,
    which keeps a million-item ledger cheap."""
    customer, currency, kind = (_text(items[name]) for name in ("customer_id", "currency", "doc_type"))
    balance = items["balance_cents"].to_numpy(np.int64)
    top = families(parents)
    account = customer.map(top).fillna(customer).astype("string") if top else customer
    place = account + "\x1f" + currency
    every = np.flatnonzero(kind.isin(DEBITS).to_numpy() & (balance > 0))
    keys = doc_keys(items["doc_no"].iloc[every])
    ledger = pd.DataFrame({"key": keys, "customer_id": customer.iloc[every].array, "account": account.iloc[every].array,
                           "currency": currency.iloc[every].array})
    credit_rows = np.flatnonzero(kind.isin(CREDITS).to_numpy() & (balance < 0))
    debit_rows = every[place.iloc[every].isin(place.iloc[credit_rows].unique()).to_numpy()]
    rows = np.r_[credit_rows, debit_rows]
    frame = pd.DataFrame({name: (_text(items[name]) if name in TEXT else items[name]).iloc[rows].reset_index(drop=True)
                          for name in COLUMNS})
    frame["balance_cents"] = frame["balance_cents"].astype(np.int64)
    frame["account"] = account.iloc[rows].reset_index(drop=True)
    frame["group"] = pd.factorize(place.iloc[rows], sort=True)[0].astype(np.int64)
    credits = frame.iloc[:len(credit_rows)].assign(amount=lambda f: -f["balance_cents"])
    credits = credits.iloc[_order(credits, ("group", "doc_date", "doc_no", "customer_id", "amount", "reference"))]
    debits = frame.iloc[len(credit_rows):].assign(key=keys[np.searchsorted(every, debit_rows)])
    debits = debits.iloc[_order(debits, ("group", "due_date", "doc_date", "key", "doc_no", "customer_id",
                                         "balance_cents"))]
    return credits.reset_index(drop=True), debits.reset_index(drop=True), ledger


def _text(column: pd.Series) -> pd.Series:
    column = column.astype("string")
    return column.fillna("") if column.hasnans else column


def _order(frame: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray:
    """Row positions that sort `frame` by `columns` (text by its sorted rank: fast on a million rows)."""
    keys = [pd.factorize(frame[c], sort=True)[0] if frame[c].dtype == "string" else frame[c].to_numpy()
            for c in columns]
    return np.lexsort(keys[::-1])


def _named(credits: pd.DataFrame, debits: pd.DataFrame) -> pd.DataFrame:
    """Per credit and number its reference names: credit, number, explicit, and the open debit it names
    in the credit's group (-1 for none)."""
    rows = [(i, n.number, n.explicit) for i, text in enumerate(credits["reference"]) if text
            for n in invoice_numbers(text)]
    named = pd.DataFrame(rows, columns=["credit", "number", "explicit"]).astype(
        {"credit": np.int64, "number": np.int64, "explicit": bool})
    named["group"] = credits["group"].to_numpy()[named["credit"].to_numpy()]
    targets = debits[["group", "key"]].reset_index(names="debit")
    named = named.merge(targets, how="left", left_on=["group", "number"], right_on=["group", "key"])
    named["debit"] = named["debit"].fillna(-1).astype(np.int64)
    return named.sort_values(["credit", "debit"], kind="stable")[["credit", "number", "explicit", "debit"]]


def _warnings(credits: pd.DataFrame, named: pd.DataFrame, ledger: pd.DataFrame) -> dict[int, list]:
    """credit -> [(number, weight, where)] for the numbers its reference names that are no open invoice of its
    group. weight: "strong" when the text says invoice or the number is an open invoice elsewhere (`where` says
    whose, or in which currency), "weak" for a bare number shaped like the ledger's invoice numbers (within their
    span), "" for other numbers (a check number, say: only a typing slip of a matched invoice counts)."""
    missing = named[named["debit"] < 0]
    keys = ledger["key"].to_numpy()
    numbered = keys[keys >= 0]
    low, high = (numbered.min(), numbered.max()) if len(numbered) else (0, -1)
    places = {}
    for row in ledger[np.isin(keys, missing["number"].unique())].itertuples(index=False):
        places.setdefault(row.key, []).append(row)
    warnings = {}
    for credit, number, explicit in missing[["credit", "number", "explicit"]].itertuples(index=False):
        account, currency = credits.at[credit, "account"], credits.at[credit, "currency"]
        where = ""
        for place in places.get(number, ()):
            if place.account != account:
                where = f"an open invoice of customer {place.customer_id}"
            elif place.currency != currency:
                where = f"an open invoice in {place.currency}"
        weight = "strong" if explicit or where else "weak" if low <= number <= high else ""
        warnings.setdefault(credit, []).append((number, weight, where))
    return warnings


# What the rules decide


class _Run:
    """The credits and invoices of one run and what the rules have decided so far."""

    def __init__(self, credits: pd.DataFrame, debits: pd.DataFrame, settings: ReconcileSettings, warnings: dict):
        self.settings, self.warnings = settings, warnings
        self.credit = {name: credits[name].to_numpy(dtype=object) for name in
                       ("customer_id", "doc_no", "doc_type", "currency", "reference", "account")}
        self.invoice = {name: debits[name].to_numpy(dtype=object) for name in ("customer_id", "doc_no")}
        self.key = debits["key"].to_numpy(np.int64)
        self.amount = credits["amount"].to_numpy(np.int64)
        self.credit_group = credits["group"].to_numpy(np.int64)
        self.debit_group = debits["group"].to_numpy(np.int64)
        self.open = debits["balance_cents"].to_numpy(np.int64).copy()
        """Per invoice: what is still open to later rules."""
        self.pending = np.ones(len(credits), dtype=bool)
        self.rows = {APPLIED: [], WRITE_OFF: [], SHORT_PAY: []}
        self.matched, self.evidence, self.review = {}, {}, {}

    # bookkeeping

    def record(self, kind: str, credit, debit, cents, rule: str, confidence) -> None:
        """Book applications, write-offs or short pays: each takes its cents off the invoice's open balance."""
        credit, debit, cents = (np.asarray(a, dtype=np.int64) for a in (credit, debit, cents))
        grades = np.broadcast_to(np.asarray(confidence, dtype=object), credit.shape)
        self.rows[kind].append((credit, debit, cents, np.full(len(credit), rule, dtype=object), grades))
        np.subtract.at(self.open, debit, cents)
        if kind == APPLIED:
            self.pending[credit] = False

    def refer(self, credit: int, reason: str, candidates: list[tuple], sentence: str, total: int = 0) -> None:
        """Leave a credit to a person, with the invoices or sets that fit (`total` of them, if more are known)."""
        self.pending[credit] = False
        shown = " | ".join(self.docs(c, " + ") for c in candidates[:LISTED])
        total = max(total, len(candidates))
        more = f" | and {total - LISTED} more" if total > LISTED else ""
        self.review[credit] = (reason, shown + more, sentence)

    def docs(self, debits, joint=", ") -> str:
        return joint.join(self.invoice["doc_no"][d] for d in debits)

    def explain(self, credit: int, debits, sentence: str) -> None:
        self.matched[credit] = self.docs(debits, " + ")
        self.evidence[credit] = sentence

    def cap(self, credit: int, debits, confidence: str, floor: str = LOW) -> tuple[str, str]:
        """The confidence of a match not made by reference once the credit's reference is heard, and what to say.

        A named number one typing slip from a matched invoice's, or a bare number that may be a closed invoice:
        at most medium. A number the text calls an invoice, or another customer's open invoice: `floor`."""
        warnings = self.warnings.get(credit, ())
        keys = [k for k in self.key[list(debits)] if k >= 0]
        slips = {n for n, _, _ in warnings if any(near(n, k) for k in keys)}
        named = [(n, weight, where) for n, weight, where in warnings if weight or n in slips]
        if not named:
            return confidence, ""
        said = "; ".join(f"{n}, {where}" if where else f"{n}, not an open invoice" for n, _, where in named)
        if slips:
            return (MEDIUM if confidence == HIGH else confidence), f" The reference names {said}: a typing slip?"
        if any(weight == "strong" for _, weight, _ in named):
            return (LOW if confidence == LOW else floor), f" But the reference names {said}."
        return (MEDIUM if confidence == HIGH else confidence), f" But the reference names {said}."

    def limit(self, balance: np.ndarray) -> np.ndarray:
        """The most a credit may fall short of each balance and still pay it with a write-off."""
        balance = np.asarray(balance, dtype=np.int64)
        if not self.settings.writes_off:
            return np.zeros_like(balance)
        limit = balance.copy()  # no limit given by share: at most the whole balance, as at 100 %
        if self.settings.tolerance_ppm is not None:
            limit = balance * self.settings.tolerance_ppm // 1_000_000
        if self.settings.tolerance_abs_cents is not None:
            limit = np.minimum(limit, self.settings.tolerance_abs_cents)
        return limit

    def reach(self) -> int:
        """The most any credit may fall short of an invoice (the limit by amount, else the largest balance)."""
        given = self.settings.tolerance_abs_cents
        return int(self.open.max(initial=0)) if given is None else given

    def pool(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """The invoices still open, sorted by (group, open amount, due order): (debit, values, keys, span)."""
        debit = np.flatnonzero(self.open > 0)
        debit = debit[np.lexsort((debit, self.open[debit], self.debit_group[debit]))]
        span = int(max(self.open.max(initial=0), self.amount.max(initial=0))) + self.reach() + 1
        if (int(self.credit_group.max(initial=0)) + 1) * span >= 2 ** 62:
            raise ArdeskError("An amount in the open items is too large to match: check the balances of the "
                              "largest documents.")
        values = self.open[debit]
        return debit, values, self.debit_group[debit] * span + values, span

    def applied_to(self) -> np.ndarray:
        """Per credit: the cents applied so far."""
        return sum((total_by(credit, cents, len(self.amount)) for credit, _, cents, _, _ in self.rows[APPLIED]),
                   np.zeros(len(self.amount), dtype=np.int64))

    # the output

    def frames(self) -> Matches:
        proposals, write_offs, short_pays = (self._table(kind) for kind in (APPLIED, WRITE_OFF, SHORT_PAY))
        return Matches(shaped(proposals, PROPOSALS), self._review(), shaped(write_offs, DIFFERENCES),
                       shaped(short_pays, DIFFERENCES))

    def _table(self, kind: str) -> pd.DataFrame:
        """The booked rows of one kind by credit, then invoice (due order), with what a person reads beside them."""
        empty = tuple(np.zeros(0, dtype=dtype) for dtype in (np.int64, np.int64, np.int64, object, object))
        credit, debit, cents, rule, grade = (np.concatenate(part) for part in zip(empty, *self.rows[kind]))
        order = np.lexsort((debit, credit))
        c, d = credit[order], debit[order]
        return pd.DataFrame({
            "customer_id": self.credit["customer_id"][c], "credit_doc": self.credit["doc_no"][c],
            "credit_type": self.credit["doc_type"][c], "invoice_customer_id": self.invoice["customer_id"][d],
            "invoice_doc": self.invoice["doc_no"][d], "currency": self.credit["currency"][c],
            "amount_cents": cents[order], "rule": rule[order], "confidence": grade[order],
            "matched": [self.matched.get(i, "") for i in c], "reference": self.credit["reference"][c],
            "evidence": [self.evidence.get(i, "") for i in c],
        })

    def _review(self) -> pd.DataFrame:
        used = self.applied_to()
        c = np.flatnonzero(used < self.amount)
        found = [self.review.get(i) or self._unplaced(i, used[i]) for i in c]
        reason, candidates, sentence = zip(*found) if found else ((), (), ())
        return shaped(pd.DataFrame({
            "customer_id": self.credit["customer_id"][c], "credit_doc": self.credit["doc_no"][c],
            "credit_type": self.credit["doc_type"][c], "currency": self.credit["currency"][c],
            "credit_cents": self.amount[c], "left_cents": self.amount[c] - used[c], "reason": list(reason),
            "candidates": list(candidates), "reference": self.credit["reference"][c], "evidence": list(sentence),
        }), REVIEW)

    def _unplaced(self, credit: int, used: int) -> tuple[str, str, str]:
        left = amount_text(self.amount[credit] - used)
        if used:
            return "left over", "", f"{left} is left after the proposals above and stays as a credit."
        named = [f"{n} ({where})" if where else str(n) for n, weight, where in self.warnings.get(credit, ()) if weight]
        if named:
            return ("reference not open", "", f"The reference names {', '.join(named)}, which is no open invoice "
                    "of this customer in this currency, and no open invoice or set of them fits the amount.")
        return "no match", "", "No reference to an open invoice, and no open invoice or set of them fits the amount."


# The rules


def _by_reference(run: _Run, named: pd.DataFrame) -> None:
    """Rule 1: the credit pays the open invoices its reference names, in due-date order."""
    pairs = named[named["debit"] >= 0].drop_duplicates(["credit", "debit"])
    credit, debit = pairs["credit"].to_numpy(np.int64), pairs["debit"].to_numpy(np.int64)
    naming = np.unique(credit)
    c, p, cents = fill(naming, run.amount[naming], credit, run.open[debit])
    c, d = naming[c], debit[p]
    contested = _taken(run, credit, debit, c, d, cents)
    keep = ~np.isin(credit, contested)
    credit, debit = credit[keep], debit[keep]
    keep = ~np.isin(c, contested)
    c, d, cents = c[keep], d[keep], cents[keep]
    # what the named invoices still owe once every accepted credit is applied: the latest credit naming an
    # invoice answers for its rest, written off within the tolerance, else a payment's short pay
    paid = total_by(d, cents, len(run.open))
    last = pd.Series(credit).groupby(debit).max()
    rest_debit, rest_credit = last.index.to_numpy(np.int64), last.to_numpy(np.int64)
    rest = run.open[rest_debit] - paid[rest_debit]
    written = (rest > 0) & (rest <= run.limit(run.open[rest_debit]))
    short = (rest > 0) & ~written & (run.credit["doc_type"][rest_credit] == "PAY")
    unpaid = (rest > 0) & ~written
    n = len(run.amount)
    owed = total_by(credit, run.open[debit], n)
    got = total_by(c, cents, n)
    written_off = total_by(rest_credit[written], rest[written], n)
    left_unpaid = total_by(rest_credit[unpaid], rest[unpaid], n)
    pool = run.pool()
    accepted = np.unique(credit)
    _, first, count = _equal_amounts(run, accepted, run.amount[accepted], pool)
    bounds = np.searchsorted(credit, accepted), np.searchsorted(credit, accepted, "right")
    grade = np.empty(n, dtype=object)
    for k, i in enumerate(accepted):
        mine = debit[bounds[0][k]:bounds[1][k]]
        clause, grade[i] = _reference_fit(run, i, len(mine), owed[i], got[i], written_off[i], left_unpaid[i])
        alike = [int(x) for x in pool[0][first[k]:first[k] + count[k]] if x not in mine]
        if owed[i] != run.amount[i] and alike:
            clause += f" But open invoice {run.docs(alike[:1])} is exactly the credit's amount."
            grade[i] = MEDIUM
        run.explain(i, mine, f'The reference "{run.credit["reference"][i]}" names {run.docs(mine)}; {clause}')
    run.record(APPLIED, c, d, cents, "reference", grade[c])
    for kind, mask in ((WRITE_OFF, written), (SHORT_PAY, short)):
        run.record(kind, rest_credit[mask], rest_debit[mask], rest[mask], "reference", grade[rest_credit[mask]])


def _taken(run: _Run, credit, debit, c, d, cents) -> np.ndarray:
    """Credits naming one invoice share it in credit order; those finding it already paid are contested."""
    order = np.lexsort((c, d))
    denied = np.zeros(len(c), dtype=bool)
    denied[order] = running(d[order], cents[order]) > run.open[d[order]]
    contested = np.unique(c[denied])
    for i in contested:
        mine = debit[credit == i]
        earlier = np.unique(c[np.isin(d, mine) & (c < i)])
        run.refer(i, "contested", [tuple(mine)],
                  f'The reference "{run.credit["reference"][i]}" names {run.docs(mine)}, but credit '
                  f"{', '.join(run.credit['doc_no'][j] for j in earlier)} already pays it.")
    return contested


def _reference_fit(run: _Run, credit: int, named: int, owed: int, got: int, written_off: int,
                   unpaid: int) -> tuple[str, str]:
    """How the credit's amount fits the invoices its reference names: the evidence clause and the confidence."""
    amount, their = run.amount[credit], "its" if named == 1 else "their"
    if amount == owed:
        return f"{their} open balance is the credit's amount.", HIGH
    if amount > owed:
        return (f"the credit is {amount_text(amount - owed)} more than {their} open balance; the rest stays a "
                "credit.", HIGH)
    clause = f"the credit pays {amount_text(got)} of {their} {amount_text(owed)}"
    if unpaid:
        is_payment = run.credit["doc_type"][credit] == "PAY"
        clause += (f"; {amount_text(unpaid)} short, a short pay to investigate." if is_payment
                   else "; the rest stays open.")
        if named > 1:
            return clause + " Which of them is short is a guess (the oldest are paid first).", MEDIUM
        return clause, HIGH
    if written_off:
        return clause + f"; {amount_text(written_off)} short, within the tolerance: written off.", HIGH
    return clause + "; later credits pay the rest.", HIGH


def _by_amount(run: _Run) -> None:
    """Rules 2 and 3: one open invoice of exactly the credit's amount, or one set of them summing to it."""
    pending = np.flatnonzero(run.pending)
    pool = run.pool()
    debit, values = pool[0], pool[1]
    amount = run.amount[pending]
    start, first, count = _equal_amounts(run, pending, amount, pool)
    sets = exact_sets(amount, start, first, values, run.settings.max_combination, run.settings.search_budget)
    found = np.bincount(sets.owner, minlength=len(pending))
    offset = np.searchsorted(sets.owner, np.arange(len(pending)))
    most, budget = run.settings.max_combination, run.settings.search_budget
    claims = {}  # credit -> (invoices, rule, confidence, sentence)
    for k, i in enumerate(pending):
        singles = [(int(x),) for x in debit[first[k]:first[k] + min(count[k], LISTED)]]
        combos = [tuple(sorted(int(x) for x in debit[m[m >= 0]]))
                  for m in sets.members[offset[k]:offset[k] + min(found[k], LISTED)]]
        gave_up, what, fitting = bool(sets.gave_up[k]), amount_text(run.amount[i]), count[k] + found[k]
        if count[k] >= 2 or (not singles and found[k] >= 2):
            run.refer(i, "ambiguous", singles + combos,
                      f"{fitting}{' or more' if gave_up else ''} open invoices or sets of them are {what}: which one "
                      "the credit pays needs a person.", fitting)
        elif singles:
            sentence = f"Open invoice {run.docs(singles[0])} is exactly {what}"
            if combos:
                claims[i] = (singles[0], "amount", MEDIUM,
                             f"{sentence}, but {run.docs(combos[0], ' + ')} also sum to it.")
            elif gave_up:
                claims[i] = (singles[0], "amount", MEDIUM, f"{sentence}, but the search for sets that also sum to it "
                             f"gave up after {budget:,} tries.")
            else:
                claims[i] = (singles[0], "amount", HIGH, f"{sentence}, and no set of up to {most} open invoices "
                             "also sums to it.")
        elif combos and not gave_up:
            doubt = _chance(run, i, sets.crowd[k])
            claims[i] = (combos[0], "combination", MEDIUM if doubt else HIGH,
                         f"Open invoices {run.docs(combos[0], ' + ')} sum to exactly {what}, and no other set of up to "
                         f"{most} does{doubt}.")
        elif gave_up:
            run.refer(i, "gave up", combos, f"The customer has too many open invoices under {what} to try every set of "
                      f"up to {most}: the search gave up after {budget:,} tries.")
    _settle(run, claims)


def _chance(run: _Run, credit: int, crowd: float) -> str:
    """Why a set that sums exactly to the credit may still be chance ("" when it hardly can be)."""
    if run.credit["doc_type"][credit] != "PAY":
        return ", but a credit memo is usually raised for one invoice"
    if run.amount[credit] % ROUND_SUM == 0:
        return ", but a round sum is often a payment on account"
    if crowd > CROWDED:
        return (f", but this customer's open invoices add up to amounts near it so often (about {crowd:.2f} sets "
                "per amount) that it may be chance")
    return ""


def _by_tolerance(run: _Run) -> None:
    """Rule 4: one open invoice exceeds the credit by no more than the tolerance: paid, the rest written off."""
    pending = np.flatnonzero(run.pending)
    if not run.settings.writes_off:
        return
    debit, values, keys, span = run.pool()
    base = run.credit_group[pending] * span + run.amount[pending]
    lo = np.searchsorted(keys, base, "right")
    hi = np.searchsorted(keys, base + run.reach(), "right")
    claims = {}
    for k, i in enumerate(pending):
        fits = values[lo[k]:hi[k]] - run.amount[i] <= run.limit(values[lo[k]:hi[k]])
        near_by = [(int(x),) for x in debit[lo[k]:hi[k]][fits]]
        if len(near_by) >= 2:
            run.refer(i, "ambiguous", near_by,
                      f"{len(near_by)} open invoices are within the tolerance of {amount_text(run.amount[i])}.")
        elif near_by:
            gap = amount_text(run.open[near_by[0][0]] - run.amount[i])
            claims[i] = (near_by[0], "tolerance", MEDIUM, f"Open invoice {run.docs(near_by[0])} is {gap} more than "
                         "the credit, within the tolerance: the difference is written off.")
    _settle(run, claims)


def _settle(run: _Run, claims: dict) -> None:
    """Apply the claims of rules 2-4 in full; credits wanting the same invoice are all contested."""
    claimants = {}
    for i, (invoices, *_) in claims.items():
        for x in invoices:
            claimants.setdefault(x, []).append(i)
    for i, (invoices, rule, grade, sentence) in claims.items():
        clash = [x for x in invoices if len(claimants[x]) > 1]
        if clash:
            rivals = sorted({j for x in clash for j in claimants[x] if j != i})
            run.refer(i, "contested", [invoices] + [claims[j][0] for j in rivals],
                      f"Credit {', '.join(run.credit['doc_no'][j] for j in rivals)} fits the same invoice "
                      f"{run.docs(clash)}: one of them may be a duplicate.")
            continue
        grade, warning = run.cap(i, invoices, grade)
        run.explain(i, invoices, sentence + warning)
        cents = run.open[list(invoices)]
        if rule == "tolerance":
            run.record(WRITE_OFF, [i], invoices, cents - run.amount[i], rule, grade)
        run.record(APPLIED, np.full(len(invoices), i), invoices, np.minimum(cents, run.amount[i]), rule, grade)


def _oldest_first(run: _Run) -> None:
    """Rule 5: for customers that want it, what nothing applied pays the oldest invoices first."""
    wants = np.array([run.settings.applies_oldest(c) or run.settings.applies_oldest(a)
                      for c, a in zip(run.credit["customer_id"], run.credit["account"])], dtype=bool)
    credit = np.flatnonzero(wants & (run.applied_to() == 0))
    debit = np.flatnonzero((run.open > 0) & np.isin(run.debit_group, run.credit_group[credit]))
    c, d, cents = fill(run.credit_group[credit], run.amount[credit], run.debit_group[debit], run.open[debit])
    c, d = credit[c], debit[d]
    grade = np.empty(len(run.amount), dtype=object)
    paying = np.unique(c)  # c rises: credits are in group order, then their own
    for i, start, end in zip(paying, np.searchsorted(c, paying), np.searchsorted(c, paying, "right")):
        grade[i], warning = run.cap(i, [], HIGH, floor=MEDIUM)
        run.review.pop(i, None)
        run.explain(i, d[start:end], "The customer has its credits applied to the oldest invoices first." + warning)
    run.record(APPLIED, c, d, cents, "oldest", grade[c])


def _equal_amounts(run: _Run, credits: np.ndarray, amount: np.ndarray, pool) -> tuple[np.ndarray, ...]:
    """Per credit, positions in the pool: where its group starts, where the invoices of exactly `amount` start,
    and how many there are."""
    keys, span = pool[2], pool[3]
    base = run.credit_group[credits] * span
    first = np.searchsorted(keys, base + amount, "left")
    return np.searchsorted(keys, base, "left"), first, np.searchsorted(keys, base + amount, "right") - first
