"""The Check sheet: the aging tied out in the workbook itself, with every difference on show.

For each bucket and the total: a SUMIFS over the Detail table's base balance next to every pivot's value
(read with GETPIVOTDATA, so the check holds wherever a pivot draws its cells) and the differences; then
the ERP's own total against the Detail total. Each formula carries the value computed here as its cached
value. An empty bucket has no pivot column, so its GETPIVOTDATA errs and IFERROR counts it as zero.
"""
import datetime as dt

from ardesk.book import styles
from ardesk.book.cells import Formula, SharedStrings, column_letter, row
from ardesk.book.detail import TABLE
from ardesk.book.pivot import VALUE, VIEWS

SHEET = "Check"
WIDTHS = (26, 18, *(18,) * len(VIEWS), *(24,) * len(VIEWS))
_FIRST = 5
"""Sheet row of the first bucket."""
_PIVOTS = [column_letter(2 + n) for n in range(len(VIEWS))]
"""The columns of the pivots' values (C, D, ...); their differences follow."""


def rows(
    bucket_cents: dict[str, int],
    headers: dict[str, str],
    base_currency: str,
    as_of: dt.date,
    erp_total_cents: int | None,
    strings: SharedStrings,
) -> list[str]:
    """The sheet's rows; `bucket_cents` holds every bucket in order (empty ones as 0)."""
    value_header, bucket_header = headers[VALUE], headers["bucket"]
    source = f"{TABLE}[{value_header}]"
    out = [
        row(1, ["Aging check"], strings, styles.TITLE),
        row(2, [f"Balances in {base_currency} as of {as_of.isoformat()}; every difference should be zero."],
            strings),
        row(4, ["Bucket", "Detail (SUMIFS)", *(f"{v.sheet} pivot" for v in VIEWS),
                *(f"{v.sheet.removeprefix('By ')} difference" for v in VIEWS)], strings, styles.BOLD),
    ]

    def line(n: int, label: str, detail: Formula, criteria: str, style: int, money: int) -> str:
        pivots = [Formula(f'IFERROR(GETPIVOTDATA("{value_header}",{v.anchor}{criteria}),0)', detail.cached)
                  for v in VIEWS]
        differences = [Formula(f"B{n}-{letter}{n}", 0) for letter in _PIVOTS]
        return row(n, [label, detail, *pivots, *differences], strings, [style] + [money] * (1 + 2 * len(VIEWS)))

    for n, (bucket, cents) in enumerate(bucket_cents.items(), _FIRST):
        detail = Formula(f"SUMIFS({source},{TABLE}[{bucket_header}],$A{n})", cents / 100)
        out.append(line(n, bucket, detail, f',"{bucket_header}",$A{n}', styles.PLAIN, styles.MONEY))
    total_row = _FIRST + len(bucket_cents)
    total_cents = sum(bucket_cents.values())
    out.append(line(total_row, "Total", Formula(f"SUM({source})", total_cents / 100), "", styles.BOLD,
                    styles.MONEY_BOLD))
    if erp_total_cents is not None:
        erp_row = total_row + 2
        out.append(row(erp_row, ["ERP total", erp_total_cents / 100], strings, [styles.BOLD, styles.MONEY]))
        difference = Formula(f"B{total_row}-B{erp_row}", (total_cents - erp_total_cents) / 100)
        out.append(row(erp_row + 1, ["Detail total minus ERP total", difference], strings,
                       [styles.BOLD, styles.MONEY_BOLD]))
    return out
