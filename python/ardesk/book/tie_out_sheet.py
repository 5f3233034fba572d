"""The Month-End workbook's GL Tie-Out sheet: the aging against the general ledger, the difference, what explains
it (each document or journal entry listed with its amount), and the residual, red when it is not 0.00.

Subtotals, the difference and the residual are formulas over the listed amounts, each carrying ardesk's own
figure as its cached value, so a line corrected or struck out in Excel moves the residual.
"""
from ardesk.ar.tie_out import TieOut
from ardesk.book import styles
from ardesk.book.cells import Formula, SharedStrings, row
from ardesk.book.sheet import Layout

SHEET = "GL Tie-Out"
WIDTHS = (90, 18)
NOT_SET = ("No receivables control account is set ([close] ar_accounts in ardesk.toml), so the aging was not tied "
           "to the general ledger.")


def rows(tie: TieOut | None, base_currency: str, strings: SharedStrings) -> tuple[list[str], Layout]:
    """The sheet's rows and layout; `tie` None: the accounts are not set, and the sheet says so."""
    if tie is None:
        return [row(1, ["GL tie-out"], strings, styles.TITLE), row(2, [NOT_SET], strings)], Layout(WIDTHS)
    out = [
        row(1, [f"GL tie-out {tie.day}"], strings, styles.TITLE),
        row(2, [f"Receivables control account{'s' * (len(tie.accounts) > 1)} {', '.join(tie.accounts)} in "
                f"{base_currency}: the aging of {tie.day} against the general ledger's balance that day. The residual "
                "should be 0.00."], strings),
        row(4, ["Aging (receivables ledger)", tie.aging_cents / 100], strings, [styles.BOLD, styles.MONEY]),
        row(5, ["General ledger", tie.gl_cents / 100], strings, [styles.BOLD, styles.MONEY]),
        row(6, ["Difference", Formula("B4-B5", tie.difference_cents / 100)], strings,
            [styles.BOLD, styles.MONEY_BOLD]),
    ]
    n, subtotals = 8, []
    listed = (
        ("Documents dated on one side of the day and posted to the GL on the other", tie.timing,
         lambda r: f"Document {r.doc_no} of {r.customer_id}, dated {r.doc_date}, in the GL on {r.gl_date}"),
        ("Journal entries typed into the account", tie.entries,
         lambda r: f"Journal {r.journal} of {r.date}: {r.description}"),
    )
    for heading, frame, says in listed:
        lines = [(says(record), record.effect_cents) for record in frame.itertuples(index=False)]
        first, last = n + 1, n + len(lines)
        total = Formula(f"SUM(B{first}:B{last})" if lines else "0", sum(cents for _, cents in lines) / 100)
        out.append(row(n, [heading, total], strings, [styles.BOLD, styles.MONEY_BOLD]))
        out.extend(row(k, [text, cents / 100], strings, [0, styles.MONEY])
                   for k, (text, cents) in enumerate(lines, first))
        subtotals.append(f"B{n}")
        n = last + 2
    residual_row = n
    out.append(row(residual_row, ["Residual: what nothing above explains",
                                  Formula(f"B6-{'-'.join(subtotals)}", tie.residual_cents / 100)],
                   strings, [styles.BOLD, styles.MONEY_BOLD]))
    n += 2
    out.append(row(n, [f"Invoices entered and dated by {tie.day} but not posted (in neither ledger): "
                       f"{len(tie.unposted)}", tie.unposted["amount_cents"].sum() / 100], strings, [0, styles.MONEY]))
    for record in tie.unposted.itertuples(index=False):
        n += 1
        out.append(row(n, [f"Document {record.doc_no} of {record.customer_id}, dated {record.doc_date}",
                           record.amount_cents / 100], strings, [0, styles.MONEY]))
    red = (f'<conditionalFormatting sqref="B{residual_row}"><cfRule type="cellIs" dxfId="{styles.OVERDUE_90}" '
           'priority="1" operator="notEqual"><formula>0</formula></cfRule></conditionalFormatting>')
    return out, Layout(WIDTHS, f"A1:B{n}", conditional_formats=(red,))
