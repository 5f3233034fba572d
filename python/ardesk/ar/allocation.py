"""Spreading credits over debits in order, each credit paying the next debit as far as it goes.

Within a group, the credits (in their order) and the debits (in theirs) are laid end to end on one line of
cents; a credit pays a debit the length by which their stretches overlap, so the last debit reached is paid in
part and whatever is left of the credits stays unapplied. This is oldest-first application, and how one credit
is spread over the invoices its reference names. Vectorised over every group at once.
"""
import numpy as np


def fill(credit_group: np.ndarray, credit_cents: np.ndarray, debit_group: np.ndarray,
         debit_cents: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(credit index, debit index, cents) of every application, in line order.

    Groups are non-decreasing integers in both inputs (each side sorted by group, then in its own order);
    amounts are > 0.
    """
    groups = np.unique(np.concatenate([credit_group, debit_group]))
    cg, dg = np.searchsorted(groups, credit_group), np.searchsorted(groups, debit_group)
    credit_total, debit_total = total_by(cg, credit_cents, len(groups)), total_by(dg, debit_cents, len(groups))
    base = np.cumsum(np.maximum(credit_total, debit_total)) - np.maximum(credit_total, debit_total)
    covered = base + np.minimum(credit_total, debit_total)
    credit_end = base[cg] + running(cg, credit_cents)
    debit_end = base[dg] + running(dg, debit_cents)
    points = np.unique(np.concatenate([base, np.minimum(credit_end, covered[cg]), np.minimum(debit_end, covered[dg])]))
    start, end = points[:-1], points[1:]
    group = np.searchsorted(base, start, "right") - 1
    live = end <= covered[group]
    start, end = start[live], end[live]
    return (np.searchsorted(credit_end, start, "right"), np.searchsorted(debit_end, start, "right"), end - start)


def running(group: np.ndarray, cents: np.ndarray) -> np.ndarray:
    """Running total of `cents` within each run of equal `group` (a prefix sum that restarts at each new group)."""
    total = np.cumsum(cents)
    first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]][:len(group)])
    return total - np.repeat(total[first] - cents[first], np.diff(np.r_[first, len(group)]))


def total_by(index: np.ndarray, cents: np.ndarray, length: int) -> np.ndarray:
    """Sum of `cents` per index value 0..length-1, in exact integers (a weighted bincount would go through floats)."""
    total = np.zeros(length, dtype=np.int64)
    np.add.at(total, np.asarray(index, dtype=np.int64), np.asarray(cents, dtype=np.int64))
    return total
