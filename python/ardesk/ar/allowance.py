"""The allowance for doubtful accounts at a month-end: a provision matrix over each customer's aging, specific
reserves typed for the customers it does not fit, the general ledger's allowance beside it, and the adjusting
entry that brings the ledger to what is required.

A customer's matrix reserve is the sum over buckets of its net balance there times the bucket's rate, rounded
half up to the cent once per customer and never below 0 (a customer in credit needs no reserve). A specific
reserve typed for a customer replaces its matrix reserve: the accountant judged that customer on its own.
Rates are exact (millionths of the balance), so ardesk's cents are the workbook's ROUND(SUMPRODUCT(...), 2).
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

ALLOWANCE = {
    "customer_id": "string",
    "customer_name": "string",
    "balance_cents": "int64",  # the customer's whole balance: the sum of its buckets
    "matrix_cents": "int64",
    "specific_cents": "Int64",  # typed on the Allowance sheet; <NA> where nothing is
    "note": "string",  # typed beside it: why
    "reserve_cents": "int64",  # the specific reserve where one is typed, else the matrix's
}
"""One row per customer with a balance at the month-end or a specific reserve typed; the buckets' balances
(int64 cents) follow in the `buckets` frame of Allowance, row for row."""


@dataclass(frozen=True)
class Allowance:
    """The allowance required at a month-end and how it compares with the general ledger."""

    labels: tuple[str, ...]  # the aging buckets, Current first
    rates_ppm: tuple[int, ...]  # the provision matrix, millionths of the balance per bucket
    customers: pd.DataFrame  # ALLOWANCE
    buckets: pd.DataFrame  # each customer's balance per bucket, int64 cents, columns `labels`
    gl_cents: int | None  # the ledger's allowance, a credit balance as a positive amount; None: not read

    @property
    def required_cents(self) -> int:
        return int(self.customers["reserve_cents"].sum())

    @property
    def adjustment_cents(self) -> int | None:
        """What the adjusting entry adds to the allowance (negative: releases); None when the ledger was not read."""
        return None if self.gl_cents is None else self.required_cents - self.gl_cents


def matrix(buckets: np.ndarray, rates_ppm: tuple[int, ...]) -> np.ndarray:
    """Each row's reserve in cents from its buckets' balances (int64 cents, one column per rate): the exact sum of
    balance times rate, rounded half up to the cent, at least 0."""
    exact = buckets.astype(np.int64) @ np.asarray(rates_ppm, dtype=np.int64)
    return np.maximum((exact + 500_000) // 1_000_000, 0)


def allowance(aged: pd.DataFrame, rates_ppm: tuple[int, ...], specific: pd.DataFrame, gl_cents: int | None
              ) -> Allowance:
    """The Allowance of the month-end aging `aged` (AGED, its buckets as many as the rates); `specific` holds the
    typed reserves (customer_id, specific_cents, note), a customer at most once."""
    labels = tuple(str(b) for b in aged["bucket"].cat.categories)
    if len(labels) != len(rates_ppm):
        raise ValueError(f"{len(rates_ppm)} rates for {len(labels)} buckets")
    table = aged.pivot_table(index="customer_id", columns="bucket", values="base_balance_cents", aggfunc="sum",
                             fill_value=0, observed=False)
    names = aged.groupby("customer_id")["customer_name"].first()
    typed = specific.set_index("customer_id")
    ids = table.index.union(typed.index).sort_values()
    table = table.reindex(index=ids, columns=aged["bucket"].cat.categories, fill_value=0).astype(np.int64)
    table.columns = list(labels)
    reserves = matrix(table.to_numpy(), rates_ppm)
    given = typed["specific_cents"].reindex(ids).astype("Int64")
    customers = pd.DataFrame({
        "customer_id": ids, "customer_name": names.reindex(ids).fillna(""),
        "balance_cents": table.sum(axis=1).to_numpy(), "matrix_cents": reserves, "specific_cents": given.to_numpy(),
        "note": typed["note"].reindex(ids).fillna("").to_numpy(),
        "reserve_cents": given.fillna(pd.Series(reserves, index=ids)).to_numpy(np.int64),
    }).astype(ALLOWANCE)
    return Allowance(labels, tuple(rates_ppm), customers, table.reset_index(drop=True), gl_cents)


def entry(adjustment_cents: int, allowance_account: str, expense_account: str) -> list[tuple[str, int, int]]:
    """The adjusting journal entry, (account, debit cents, credit cents) per line: an allowance too low is raised
    (debit bad-debt expense, credit the allowance), one too high released the other way round; none when equal."""
    if adjustment_cents == 0:
        return []
    amount = abs(adjustment_cents)
    debit, credit = ((expense_account, allowance_account) if adjustment_cents > 0
                     else (allowance_account, expense_account))
    return [(debit, amount, 0), (credit, 0, amount)]
