"""Collections KPIs: DSO, countback DSO, best possible DSO, average days delinquent, CEI.

Money arguments are any real numbers in one unit of your choosing (int cents, Decimal or float amounts; mixing
types is fine, mixing units is not): every KPI is a ratio of amounts, so the unit cancels. Arithmetic is exact
(each argument becomes a Fraction, so Decimal and cents are never rounded through binary floats on the way);
only the result is a float, in days or percent, unrounded: round for display, not before.

Bad input (non-positive sales or days, a zero CEI denominator, mismatched lengths, an unknown convention)
raises ValueError with one sentence saying what is wrong and what to do.
"""
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from numbers import Real

__all__ = ["average_days_delinquent", "best_possible_dso", "cei", "countback_dso", "dso"]

Amount = int | float | Decimal | Fraction
"""A money amount or a day count: int cents, Decimal or float, any unit as long as it is the same throughout."""

SALES_CONVENTIONS = ("total", "monthly_average")
"""`cei(sales=...)`: use credit sales as given, or credit sales / months."""


def _exact(name: str, value: Amount) -> Fraction:
    """A finite real number as an exact Fraction (Decimal and float convert without rounding)."""
    if isinstance(value, bool) or not isinstance(value, (Real, Decimal)):
        raise TypeError(f"{name} must be a number (int cents, Decimal or float), not {value!r}.")
    try:
        return Fraction(value)
    except (ValueError, OverflowError):
        raise ValueError(f"{name} is {value!r}; pass a finite amount.") from None


def _positive(name: str, value: Amount) -> Fraction:
    """Sales and day counts divide or scale every KPI, so they must be above zero."""
    exact = _exact(name, value)
    if exact <= 0:
        raise ValueError(f"{name} is {value!r} but must be above zero; check the sales and day counts passed.")
    return exact


def _dso(ar: Amount, credit_sales: Amount, days: Amount, ar_name: str) -> Fraction:
    return _exact(ar_name, ar) / _positive("credit_sales", credit_sales) * _positive("days", days)


def dso(ending_ar: Amount, credit_sales: Amount, days: Amount) -> float:
    """Days sales outstanding = ending AR / credit sales x days: how many days of sales are still unpaid.

    dso(100_000, 300_000, 90) == 30.0
    """
    return float(_dso(ending_ar, credit_sales, days, "ending_ar"))


def countback_dso(ending_ar: Amount, sales_by_period_newest_first: Sequence[Amount],
                  days_by_period: Sequence[Amount]) -> float:
    """Countback DSO: how many of the most recent days' sales the ending AR adds up to.

    Unlike `dso` it is not skewed by seasonal sales: each period's sales come off the ending AR, newest first,
    adding that period's days, while more than the period's sales is left; the remainder then counts as
    remainder / that period's sales x its days. AR equal to all the sales given counts every day given.
    AR above all the sales given raises ValueError: the answer depends on sales older than the history, and an
    extrapolated figure would look exact while being a guess, so pass more periods instead.
    AR of zero or below (net credits) gives ending AR / newest period's sales x its days, as `dso` would.

    countback_dso(240_000, [100_000, 80_000, 120_000], [31, 30, 31]) == 31 + 30 + 60/120 x 31 == 76.5
    """
    sales = list(sales_by_period_newest_first)
    days = list(days_by_period)
    if len(sales) != len(days):
        raise ValueError(f"countback DSO got {len(sales)} periods of sales but {len(days)} periods of days; "
                         "pass one day count per period of sales.")
    if not sales:
        raise ValueError("countback DSO got no periods; pass at least one period of sales and its days.")
    sales = [_positive(f"credit_sales[{i}]", s) for i, s in enumerate(sales)]
    days = [_positive(f"days[{i}]", d) for i, d in enumerate(days)]
    remaining = _exact("ending_ar", ending_ar)
    counted = Fraction(0)
    for period_sales, period_days in zip(sales, days):
        if remaining <= period_sales:
            return float(counted + remaining / period_sales * period_days)
        remaining -= period_sales
        counted += period_days
    raise ValueError(f"ending AR {ending_ar!r} is more than the credit sales of all {len(sales)} periods given; "
                     "pass more periods of sales history, oldest last.")


def best_possible_dso(current_ar: Amount, credit_sales: Amount, days: Amount) -> float:
    """Best possible DSO = current (not yet due) AR / credit sales x days: the DSO if nothing were overdue.

    best_possible_dso(40_000, 300_000, 90) == 12.0
    """
    return float(_dso(current_ar, credit_sales, days, "current_ar"))


def average_days_delinquent(ending_ar: Amount, current_ar: Amount, credit_sales: Amount, days: Amount) -> float:
    """Average days delinquent = DSO - best possible DSO: the days of DSO caused by overdue money alone.

    average_days_delinquent(100_000, 40_000, 300_000, 90) == 30 - 12 == 18.0
    """
    return float(_dso(ending_ar, credit_sales, days, "ending_ar") - _dso(current_ar, credit_sales, days, "current_ar"))


def cei(beginning_ar: Amount, credit_sales: Amount, ending_total_ar: Amount, ending_current_ar: Amount, *,
        sales: str = "total", months: int = 1) -> float:
    """Collection Effectiveness Index in percent: of what could be collected in the period, how much was.

    CEI = (beginning AR + S - ending total AR) / (beginning AR + S - ending current AR) x 100, where S is
    - sales="total": credit_sales as given for the whole period (the usual definition), e.g.
      cei(100_000, 50_000, 90_000, 60_000) == 60_000 / 90_000 x 100 == 66.67
    - sales="monthly_average": credit_sales / months, as some CFO guides do for multi-month periods, e.g.
      cei(100_000, 150_000, 90_000, 60_000, sales="monthly_average", months=3) == the same 66.67
    `months` only applies to "monthly_average"; it must be 1 otherwise, so a forgotten `sales=` is caught.
    100 means everything collectible was collected (ending total AR == ending current AR).
    """
    if sales not in SALES_CONVENTIONS:
        raise ValueError(f"CEI sales convention {sales!r} is unknown; use 'total' or 'monthly_average'.")
    period_sales = _positive("credit_sales", credit_sales)
    if sales == "monthly_average":
        period_sales /= _positive("months", months)
    elif months != 1:
        raise ValueError(f"CEI got months={months!r} with sales='total'; pass sales='monthly_average' "
                         "to average credit sales over the months, or drop months.")
    available = _exact("beginning_ar", beginning_ar) + period_sales
    collected = available - _exact("ending_total_ar", ending_total_ar)
    collectible = available - _exact("ending_current_ar", ending_current_ar)
    if collectible == 0:
        raise ValueError("CEI is undefined: beginning AR + credit sales - ending current AR is zero; "
                         "check the period's balances and sales.")
    return float(collected / collectible * 100)
