"""Which sets of 2..K open invoices sum exactly to a credit: a bounded meet-in-the-middle search.

A credit's pool is a slice of one sorted array of balances (its account's open invoices of at most its amount).
A set of k members, taken in pool order, splits into its first ceil(k/2) members A and the other floor(k/2)
members B, so each set is found exactly once by joining the pool's small subsets (at most ceil(K/2) members) on
sum(A) + sum(B) = amount and keeping the pairs where A ends before B starts. All credits are searched together,
vectorised, in chunks. The work is bounded per credit: when the small subsets under its amount and the candidate
pairs of the join number more than the budget, the credit `gave_up` and its sets are not claimed to be all.
"""
import math
from dataclasses import dataclass

import numpy as np

CHUNK_ROWS = 2_000_000
"""Small subsets enumerated at once: bounds the memory whatever the number of credits."""


@dataclass(frozen=True)
class Sets:
    owner: np.ndarray
    """Per set found: the index of its credit. Sets come by credit, then size, then member positions."""
    members: np.ndarray
    """Per set: its positions in the balances array, then -1 up to max_size columns."""
    gave_up: np.ndarray
    """Per credit: the search stopped at the budget, so other sets may exist."""
    crowd: np.ndarray
    """Per credit with exactly one set found (else 0): about how many sets of its pool sum to any one amount just
    under its own, estimated from those summing into the tenth below it. A set summing exactly to a crowded
    amount may be a coincidence."""


def exact_sets(targets: np.ndarray, lo: np.ndarray, hi: np.ndarray, values: np.ndarray, max_size: int,
               budget: int) -> Sets:
    """Every set of 2..max_size positions in values[lo[i]:hi[i]] (rising, all > 0) that sums to targets[i]."""
    pool = hi - lo
    gave_up, crowd = np.zeros(len(targets), dtype=bool), np.zeros(len(targets))
    searched = np.flatnonzero(pool >= 2) if max_size >= 2 else np.zeros(0, dtype=np.int64)
    found = [_empty(max_size)]
    bound = np.minimum(sum(_comb(pool[searched], k) for k in range(1, (max_size + 1) // 2 + 1)), budget)
    for chunk in _chunks(searched, bound):
        owner, members, over, crowd[chunk] = _search(targets[chunk], lo[chunk], pool[chunk], values, max_size,
                                                     budget)
        gave_up[chunk[over]] = True
        found.append((chunk[owner], members))
    owner = np.concatenate([o for o, _ in found])
    members = np.concatenate([m for _, m in found])
    size = (members >= 0).sum(axis=1)
    order = np.lexsort(tuple(members[:, k] for k in reversed(range(max_size))) + (size, owner))
    return Sets(owner[order], members[order], gave_up, crowd)


@dataclass(frozen=True)
class _Subsets:
    owner: np.ndarray  # per subset: the index of its credit in the chunk
    members: np.ndarray  # (subsets, k): indices into the chunk's pools, rising
    sums: np.ndarray


def _search(targets, lo, pool, values, max_size, budget):
    """One chunk of credits: (owner, members) of the sets found, the mask of credits that went over budget, and
    the crowd per credit.

    The chunk's pools are laid side by side; a (k+1)-member subset extends a k-member one by a later member of
    the same pool that still fits under the amount, found by binary search since each pool rises."""
    owner = np.repeat(np.arange(len(pool)), pool)
    positions = lo[owner] + _ranks(pool)
    pooled = values[positions]
    span = int(targets.max()) + 1
    keys = owner * span + pooled
    halves = {1: _Subsets(owner, np.arange(len(owner))[:, None], pooled)}
    work = pool.astype(np.int64)
    for k in range(2, (max_size + 1) // 2 + 1):
        prev = halves[k - 1]
        stop = np.searchsorted(keys, prev.owner * span + (targets[prev.owner] - prev.sums), "right")
        count = np.maximum(stop - prev.members[:, -1] - 1, 0)
        work += np.bincount(prev.owner, weights=count, minlength=len(pool)).astype(np.int64)
        count[work[prev.owner] > budget] = 0
        rows = np.repeat(np.arange(len(count)), count)
        added = np.repeat(prev.members[:, -1] + 1, count) + _ranks(count)
        halves[k] = _Subsets(prev.owner[rows], np.concatenate([prev.members[rows], added[:, None]], axis=1),
                             prev.sums[rows] + pooled[added])
    sorted_keys = {}
    for k, b in halves.items():
        order = np.argsort(b.owner * span + b.sums, kind="stable")
        sorted_keys[k] = order, (b.owner * span + b.sums)[order]
    joins = []
    for size in range(2, max_size + 1):
        a = halves[(size + 1) // 2]
        # A holds the smaller members (each pool rises), so sum(A) <= amount * |A| / size
        fits = np.flatnonzero(a.sums * size <= targets[a.owner] * ((size + 1) // 2))
        order, sorted_b = sorted_keys[size // 2]
        need = a.owner[fits] * span + (targets[a.owner[fits]] - a.sums[fits])
        left, right = np.searchsorted(sorted_b, need, "left"), np.searchsorted(sorted_b, need, "right")
        work += np.bincount(a.owner[fits], weights=right - left, minlength=len(pool)).astype(np.int64)
        joins.append((a, halves[size // 2], fits, order, left, right - left))
    over = work > budget
    owners, members = [_empty(max_size)[0]], [_empty(max_size)[1]]
    for a, b, fits, order, left, count in joins:
        count = np.where(over[a.owner[fits]], 0, count)
        rows = np.repeat(fits, count)
        b_rows = order[np.repeat(left, count) + _ranks(count)]
        keep = a.members[rows, -1] < b.members[b_rows, 0]
        rows, b_rows = rows[keep], b_rows[keep]
        found = positions[np.concatenate([a.members[rows], b.members[b_rows]], axis=1)]
        owners.append(a.owner[rows])
        members.append(np.pad(found, ((0, 0), (0, max_size - found.shape[1])), constant_values=-1))
    owners = np.concatenate(owners)
    alone = np.bincount(owners, minlength=len(pool)) == 1  # the crowd matters only where one set was found
    crowd, window = np.zeros(len(pool)), np.maximum(targets // 10, 1)
    for size in range(2, max_size + 1):
        a = halves[(size + 1) // 2]
        crowd += _crowd(a, np.flatnonzero(alone[a.owner]), sorted_keys[size // 2][1], targets, window, span, pool,
                        size)
    return owners, np.concatenate(members), over, crowd


def _crowd(a: _Subsets, rows: np.ndarray, sorted_b: np.ndarray, targets, window, span, pool, size) -> np.ndarray:
    """Per credit: the sets of `size` members summing to one amount in the window under its target, on average.

    Counts the pairs (A, B) of small subsets, in any order and overlapping or not, whose sums add up into the
    window; a set of `size` members is C(size, |A|) such pairs, and a pair is disjoint with the probability that
    |B| members drawn from the pool miss A's."""
    a_size, b_size = (size + 1) // 2, size // 2
    owner, sums = a.owner[rows], a.sums[rows]
    top = owner * span + targets[owner] - sums
    bottom = owner * span + np.maximum(targets[owner] - window[owner] - sums, 0)
    pairs = np.searchsorted(sorted_b, top, "left") - np.searchsorted(sorted_b, bottom, "left")
    disjoint = _comb(pool - a_size, b_size) / np.maximum(_comb(pool, b_size), 1)
    return np.bincount(owner, weights=pairs, minlength=len(pool)) * disjoint / math.comb(size, a_size) / window


def _comb(m: np.ndarray, k: int) -> np.ndarray:
    """C(m, k) per element, as floats (an upper bound for chunking only)."""
    result = np.ones(len(m))
    for j in range(k):
        result *= np.maximum(m - j, 0) / (j + 1)
    return result


def _ranks(counts: np.ndarray) -> np.ndarray:
    """0..c-1 for each c in counts, concatenated."""
    starts = np.cumsum(counts) - counts
    return np.arange(int(counts.sum())) - np.repeat(starts, counts)


def _chunks(indices: np.ndarray, sizes: np.ndarray):
    """`indices` cut into consecutive runs whose sizes add up to about CHUNK_ROWS (at least one each)."""
    start, total = 0, 0
    for end, size in enumerate(sizes, start=1):
        total += int(size)
        if total >= CHUNK_ROWS:
            yield indices[start:end]
            start, total = end, 0
    if start < len(indices):
        yield indices[start:]


def _empty(max_size: int):
    return np.zeros(0, dtype=np.int64), np.zeros((0, max_size), dtype=np.int64)
