"""Collections KPIs pinned down: worked examples checked by hand, refusals, and the identities between them."""
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import ardesk.ar.kpis
from ardesk.ar.kpis import average_days_delinquent, best_possible_dso, cei, countback_dso, dso


def test_public_api_is_the_five_kpis():
    assert sorted(ardesk.ar.kpis.__all__) == sorted(
        ["dso", "countback_dso", "best_possible_dso", "average_days_delinquent", "cei"])
    assert all(callable(getattr(ardesk.ar.kpis, name)) for name in ardesk.ar.kpis.__all__)


def test_dso_worked_example():
    # 100,000 / 300,000 x 90 = 1/3 x 90 = 30
    assert dso(100_000, 300_000, 90) == 30.0


def test_money_units_cancel_and_types_mix():
    # the same 100,000.00 AR on 300,000.00 sales as cents, Decimal, float, and mixed: all 30 days
    assert dso(10_000_000, 30_000_000, 90) == 30.0
    assert dso(Decimal("100000.00"), Decimal("300000.00"), 90) == 30.0
    assert dso(100000.0, 300000.0, 90) == 30.0
    assert dso(Decimal("100000.00"), 300000.0, 90) == 30.0


def test_decimal_is_not_rounded_through_float():
    # 0.1 / 0.3 x 90 is exactly 30 in Decimal; float(0.1)/float(0.3)*90 is 30.000000000000004
    assert dso(Decimal("0.1"), Decimal("0.3"), 90) == 30.0


def test_countback_remainder_in_the_third_period():
    # newest first: Dec 100,000 over 31 days, Nov 80,000 over 30, Oct 120,000 over 31; AR 240,000
    # Dec: 240,000 > 100,000 -> 140,000 left, 31 days
    # Nov: 140,000 >  80,000 ->  60,000 left, 31 + 30 = 61 days
    # Oct:  60,000 <= 120,000 -> 60,000 / 120,000 x 31 = 15.5; total 61 + 15.5 = 76.5
    assert countback_dso(240_000, [100_000, 80_000, 120_000], [31, 30, 31]) == 76.5


def test_countback_within_the_newest_period_and_at_the_edge_of_history():
    # 50,000 / 100,000 x 31 = 15.5: the newest period alone covers it
    assert countback_dso(50_000, [100_000, 80_000, 120_000], [31, 30, 31]) == 15.5
    # exactly all 300,000 of sales: every day given, 31 + 30 + 31 = 92
    assert countback_dso(300_000, [100_000, 80_000, 120_000], [31, 30, 31]) == 92.0
    # a period exactly used up stops there: 100,000 = Dec's sales -> 31 days, not 31 + 0 x 30
    assert countback_dso(100_000, [100_000, 80_000, 120_000], [31, 30, 31]) == 31.0


def test_countback_differs_from_simple_dso_when_sales_are_seasonal():
    # simple: 240,000 / 300,000 x 92 = 73.6; countback weights the recent months: 76.5
    assert dso(240_000, 300_000, 92) == pytest.approx(73.6)
    assert countback_dso(240_000, [100_000, 80_000, 120_000], [31, 30, 31]) == 76.5


def test_countback_refuses_ar_older_than_the_history():
    with pytest.raises(ValueError, match="more periods of sales history"):
        countback_dso(300_001, [100_000, 80_000, 120_000], [31, 30, 31])


def test_best_possible_and_average_days_delinquent_worked_example():
    # BPDSO: current 40,000 / 300,000 x 90 = 12; DSO: 100,000 / 300,000 x 90 = 30; ADD = 30 - 12 = 18
    assert best_possible_dso(40_000, 300_000, 90) == 12.0
    assert average_days_delinquent(100_000, 40_000, 300_000, 90) == 18.0


def test_cei_total_sales_worked_example():
    # (100,000 + 50,000 - 90,000) / (100,000 + 50,000 - 60,000) x 100 = 60,000 / 90,000 x 100 = 66.666...
    assert cei(100_000, 50_000, 90_000, 60_000) == pytest.approx(200 / 3)


def test_cei_monthly_average_divides_sales_by_months():
    # 150,000 over 3 months -> 50,000 a month, then as above: 60,000 / 90,000 x 100
    assert cei(100_000, 150_000, 90_000, 60_000, sales="monthly_average", months=3) == pytest.approx(200 / 3)
    # with "total" the same figures give (100 + 150 - 90) / (100 + 150 - 60) = 160 / 190 x 100 = 84.21...
    assert cei(100_000, 150_000, 90_000, 60_000) == pytest.approx(1600 / 19)


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: dso(100, 0, 90), "credit_sales is 0 but must be above zero"),
        (lambda: dso(100, -5, 90), "credit_sales is -5 but must be above zero"),
        (lambda: dso(100, 300, 0), "days is 0 but must be above zero"),
        (lambda: best_possible_dso(100, 0, 90), "credit_sales"),
        (lambda: average_days_delinquent(100, 50, Decimal("0.00"), 90), "credit_sales"),
        (lambda: countback_dso(100, [100, 0], [31, 30]), r"credit_sales\[1\]"),
        (lambda: countback_dso(100, [100, 80], [31]), "2 periods of sales but 1 periods of days"),
        (lambda: countback_dso(100, [], []), "no periods"),
        (lambda: cei(100, 0, 50, 20), "credit_sales"),
        (lambda: cei(100, 50, 90, 150), "CEI is undefined"),
        (lambda: cei(100, 50, 90, 60, sales="weekly"), "'weekly' is unknown"),
        (lambda: cei(100, 50, 90, 60, months=3), "sales='monthly_average'"),
        (lambda: cei(100, 50, 90, 60, sales="monthly_average", months=0), "months"),
        (lambda: dso(float("nan"), 300, 90), "finite"),
    ],
)
def test_bad_input_is_refused_with_a_sentence(call, words):
    with pytest.raises(ValueError, match=words) as caught:
        call()
    message = str(caught.value)
    assert message.endswith(".") and message.count(". ") == 0 and ";" in message  # one sentence: wrong; do


def test_non_numbers_are_a_type_error():
    with pytest.raises(TypeError):
        dso("100", 300, 90)
    with pytest.raises(TypeError):
        dso(True, 300, 90)


cents = st.integers(0, 10**12)
positive_cents = st.integers(1, 10**12)


@settings(max_examples=300, deadline=None)
@given(sales=positive_cents, periods=st.integers(1, 12), days=st.integers(1, 31), data=st.data())
def test_countback_with_equal_sales_and_days_is_simple_dso(sales, periods, days, data):
    # equal sales s and equal days d over n periods: countback = AR / s x d = AR / (n s) x (n d) = simple DSO.
    # (With equal sales but unequal days the two differ, so the days are equal here too.)
    ar = data.draw(st.integers(0, sales * periods))
    assert countback_dso(ar, [sales] * periods, [days] * periods) == dso(ar, sales * periods, days * periods)


@settings(max_examples=300, deadline=None)
@given(history=st.lists(st.tuples(positive_cents, st.integers(1, 31)), min_size=1, max_size=12), data=st.data())
def test_countback_stays_within_the_days_given(history, data):
    sales, days = zip(*history)
    ar = data.draw(st.integers(0, sum(sales)))
    assert 0 <= countback_dso(ar, sales, days) <= sum(days)


@settings(max_examples=300, deadline=None)
@given(beginning=cents, sales=positive_cents, ending=cents)
def test_cei_is_100_when_nothing_is_overdue(beginning, sales, ending):
    # ending total AR == ending current AR: numerator == denominator, whatever the other figures
    assume(beginning + sales - ending != 0)
    assert cei(beginning, sales, ending, ending) == 100.0


@settings(max_examples=300, deadline=None)
@given(beginning=cents, sales=positive_cents, total=cents, data=st.data())
def test_cei_is_at_most_100_when_current_is_part_of_total(beginning, sales, total, data):
    # 0 <= current <= total makes numerator <= denominator; with a positive denominator, CEI <= 100
    current = data.draw(st.integers(0, total))
    assume(beginning + sales - current > 0)
    assert cei(beginning, sales, total, current) <= 100.0


@settings(max_examples=300, deadline=None)
@given(ending=cents, sales=positive_cents, days=st.integers(1, 366), data=st.data())
def test_best_possible_never_exceeds_dso_and_add_is_the_gap(ending, sales, days, data):
    current = data.draw(st.integers(0, ending))
    best, actual = best_possible_dso(current, sales, days), dso(ending, sales, days)
    assert best <= actual
    add = average_days_delinquent(ending, current, sales, days)
    assert add == float(Fraction(ending - current, sales) * days)  # exact, then rounded once
    assert add == pytest.approx(actual - best, abs=1e-12 * actual + 1e-12)  # float subtraction may cancel
