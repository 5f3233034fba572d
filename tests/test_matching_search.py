"""The two engines under matching: the bounded subset-sum search and the in-order spreading of credits."""
import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ardesk.ar.allocation import fill
from ardesk.ar.subsets import exact_sets


@st.composite
def pools(draw):
    """Credits over rising pools of small amounts, so that many sets tie."""
    values = np.array(sorted(draw(st.lists(st.integers(1, 30), max_size=12))), dtype=np.int64)
    targets = np.array(draw(st.lists(st.integers(1, 90), min_size=1, max_size=4)), dtype=np.int64)
    return values, targets, draw(st.integers(1, 6))


@settings(max_examples=200, deadline=None)
@given(pools())
def test_every_set_is_found_once_in_order(case):
    values, targets, most = case
    lo = np.zeros(len(targets), dtype=np.int64)
    hi = np.searchsorted(values, targets, "right").astype(np.int64)
    sets = exact_sets(targets, lo, hi, values, most, budget=10**7)
    assert not sets.gave_up.any()
    for i, target in enumerate(targets):
        expected = [c for k in range(2, most + 1) for c in itertools.combinations(range(hi[i]), k)
                    if values[list(c)].sum() == target]
        found = [tuple(int(x) for x in m if x >= 0) for m in sets.members[sets.owner == i]]
        assert found == sorted(expected, key=lambda c: (len(c), c))


def test_the_search_gives_up_at_its_budget_and_spares_small_pools():
    values = np.arange(1, 200, dtype=np.int64)
    targets = np.array([150, 10])
    sets = exact_sets(targets, np.zeros(2, dtype=np.int64), np.searchsorted(values, targets, "right"), values, 6,
                      budget=1_000)
    assert sets.gave_up.tolist() == [True, False]
    assert len(sets.owner[sets.owner == 1]) > 0 and not (sets.owner == 0).any()


def test_the_crowd_says_how_often_sets_sum_near_the_amount():
    sparse = np.array([1_234_56, 3_456_78, 7_891_23], dtype=np.int64)
    close = np.arange(1000, 1020, dtype=np.int64)  # only the six largest sum to 6,099; other sixes to most below
    for values, target, crowded in ((sparse, 1_234_56 + 3_456_78, False), (close, 6_099, True)):
        sets = exact_sets(np.array([target]), np.array([0]), np.searchsorted(values, [target], "right"), values, 6,
                          budget=10**7)
        assert len(sets.owner) == 1
        assert bool(sets.crowd[0] > 0.05) == crowded


@st.composite
def lines(draw):
    credits = sorted(draw(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 50)), max_size=6)))
    debits = sorted(draw(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 50)), max_size=6)), key=lambda r: r[0])
    return credits, debits


@settings(max_examples=200, deadline=None)
@given(lines())
def test_fill_pays_debits_in_order_as_far_as_each_credit_goes(case):
    credits, debits = case
    as_array = lambda rows, k: np.array([r[k] for r in rows], dtype=np.int64)  # noqa: E731
    got = list(zip(*(a.tolist() for a in fill(as_array(credits, 0), as_array(credits, 1), as_array(debits, 0),
                                              as_array(debits, 1)))))
    expected = []
    for group in range(4):
        left = [[i, c[1]] for i, c in enumerate(credits) if c[0] == group]
        owed = [[j, d[1]] for j, d in enumerate(debits) if d[0] == group]
        while left and owed:
            cents = min(left[0][1], owed[0][1])
            expected.append((left[0][0], owed[0][0], cents))
            left[0][1] -= cents
            owed[0][1] -= cents
            left, owed = [c for c in left if c[1]], [d for d in owed if d[1]]
    assert got == expected
