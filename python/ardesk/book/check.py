"""The Check sheet: the aging tied out in the workbook itself, with every difference on show.

For each bucket and the total: a SUMIFS over the Detail table's base balance next to both pivots' values
(read with GETPIVOTDATA, so the check holds wherever a pivot draws its cells) and the differences; then
the ERP's own total against the Detail total. Each formula carries the value computed here as its cached
value. An empty bucket has no pivot column, so its GETPIVOTDATA errs and IFERROR counts it as zero.
"""
import datetime as dt

from ardesk.book import styles
from ardesk.book.cells import Formula, SharedStrings, row
from ardesk.book.detail import TABLE
from ardesk.book.pivot import VALUE, VIEWS

SHEET = "Check"
WIDTHS = (26, 18, 18, 18, 20, 20)
_FIRST = 5
"""Sheet row of the first bucket."""


def rows(
    bucket_cents: dict[str, int],
    headers: dict[str, str],
    base_currency: str,
    as_of: dt.date,
    erp_total_cents: int | None,
    strings: SharedStrings,
) -> list[str]:
    """The sheet's rows; `bucket_cents` holds every bucket in order (empty ones as 0)."""
    by_customer, by_collector = VIEWS
    value_header, bucket_header = headers[VALUE], headers["bucket"]
    source = f"{TABLE}[{value_header}]"
    money = [styles.MONEY] * 5
    out = [
        row(1, ["Aging check"], strings, styles.TITLE),
        row(2, [f"Balances in {base_currency} as of {as_of.isoformat()}; every difference should be zero."],
            strings),
        row(4, ["Bucket", "Detail (SUMIFS)", f"{by_customer.sheet} pivot", f"{by_collector.sheet} pivot",
                "Customer difference", "Collector difference"], strings, styles.BOLD),
    ]

    def pivot_value(view, number, criteria=""):
        return Formula(f'IFERROR(GETPIVOTDATA("{value_header}",{view.anchor}{criteria}),0)', number)

    for n, (bucket, cents) in enumerate(bucket_cents.items(), _FIRST):
        amount = cents / 100
        criteria = f',"{bucket_header}",$A{n}'
        out.append(row(n, [
            bucket,
            Formula(f"SUMIFS({source},{TABLE}[{bucket_header}],$A{n})", amount),
            pivot_value(by_customer, amount, criteria),
            pivot_value(by_collector, amount, criteria),
            Formula(f"B{n}-C{n}", 0), Formula(f"B{n}-D{n}", 0),
        ], strings, [styles.PLAIN] + money))
    total_row = _FIRST + len(bucket_cents)
    total_cents = sum(bucket_cents.values())
    total = total_cents / 100
    out.append(row(total_row, [
        "Total",
        Formula(f"SUM({source})", total),
        pivot_value(by_customer, total),
        pivot_value(by_collector, total),
        Formula(f"B{total_row}-C{total_row}", 0), Formula(f"B{total_row}-D{total_row}", 0),
    ], strings, [styles.BOLD] + [styles.MONEY_BOLD] * 5))
    if erp_total_cents is not None:
        erp_row = total_row + 2
        out.append(row(erp_row, ["ERP total", erp_total_cents / 100], strings, [styles.BOLD, styles.MONEY]))
        difference = Formula(f"B{total_row}-B{erp_row}", (total_cents - erp_total_cents) / 100)
        out.append(row(erp_row + 1, ["Detail total minus ERP total", difference], strings,
                       [styles.BOLD, styles.MONEY_BOLD]))
    return out
