"""The Month-End workbook's Bad Debt sheet: written off in the period and in the year to date, by customer and
reason, and the recoveries. The totals are formulas over the rows beneath, carrying ardesk's own figures."""
from ardesk.ar.bad_debt import BadDebt
from ardesk.book import styles
from ardesk.book.cells import Formula, SharedStrings, row
from ardesk.book.sheet import Layout
from ardesk.book.typed import serial

SHEET = "Bad Debt"
TABLE_HEADER = 11
"""Sheet row of the by-customer-and-reason headers."""


def rows(bad: BadDebt, base_currency: str, strings: SharedStrings) -> tuple[list[str], Layout]:
    first = TABLE_HEADER + 1
    last = first + len(bad.by_reason) - 1
    back_header = last + 3
    back_first, back_last = back_header + 1, back_header + len(bad.recoveries)

    def total(column: str, top: int, bottom: int, cents: int, when: str = "") -> Formula:
        if bottom < top:
            return Formula("0", 0)
        if when:
            return Formula(f'SUMIFS({column}{top}:{column}{bottom},{when}{top}:{when}{bottom},"Yes")', cents / 100)
        return Formula(f"SUM({column}{top}:{column}{bottom})", cents / 100)

    recovered = bad.recoveries["recovered_cents"]
    period_back = int(recovered[bad.recoveries["in_period"]].sum())
    written = int(bad.by_reason["period_cents"].sum())
    out = [
        row(1, [f"Bad debt {bad.start:%Y-%m}"], strings, styles.TITLE),
        row(2, [f"In {base_currency}: what was written off from {bad.start} to {bad.end} and since "
                f"{bad.start.replace(month=1, day=1)}, by customer and reason, and what customers paid after it "
                "was written off (recoveries)."], strings),
        row(4, ["Written off in the period", total("D", first, last, written)], strings, [styles.BOLD, styles.MONEY]),
        row(5, ["Written off in the year to date", total("E", first, last, int(bad.by_reason["year_cents"].sum()))],
            strings, [styles.BOLD, styles.MONEY]),
        row(6, ["Recovered in the period", total("E", back_first, back_last, period_back, when="F")], strings,
            [styles.BOLD, styles.MONEY]),
        row(7, ["Recovered in the year to date", total("E", back_first, back_last, int(recovered.sum()))], strings,
            [styles.BOLD, styles.MONEY]),
        row(8, ["Net written off in the period (the Rollforward's Write-offs, with the sign turned)",
                Formula("B4-B6", (written - period_back) / 100)], strings, [styles.BOLD, styles.MONEY_BOLD]),
        row(TABLE_HEADER, ["Customer ID", "Customer Name", "Reason", "Period", "Year to Date"], strings, styles.BOLD),
    ]
    out += [row(k, [r.customer_id, r.customer_name or None, r.reason, r.period_cents / 100, r.year_cents / 100],
                strings, [0, 0, 0, styles.MONEY, styles.MONEY])
            for k, r in enumerate(bad.by_reason.itertuples(index=False), first)]
    out.append(row(back_header - 1, ["Recoveries"], strings, styles.BOLD))
    out.append(row(back_header, ["Customer ID", "Customer Name", "Document", "Date", "Recovered", "In Period"],
                   strings, styles.BOLD))
    out += [row(k, [r.customer_id, r.customer_name or None, r.doc_no, serial(r.date), r.recovered_cents / 100,
                    "Yes" if r.in_period else "No"], strings, [0, 0, 0, styles.DATE, styles.MONEY, 0])
            for k, r in enumerate(bad.recoveries.itertuples(index=False), back_first)]
    return out, Layout((16, 36, 40, 16, 16, 10), f"A1:F{max(back_last, back_header)}")
