"""The Month-End workbook's Allowance sheet: the provision matrix (the rates in use beside the historical loss
rates), each customer's aging with its matrix reserve and the specific reserve typed for it, the allowance
required against the general ledger's, and the adjusting entry.

The reserves, the required allowance and the adjustment are formulas over the rates and the customers' rows,
each carrying ardesk's own figure as its cached value: a rate changed or a specific reserve typed in Excel moves
them, and `ardesk close` run again onto the workbook keeps what was typed (book.carry.read_month_end).
"""
import pandas as pd

from ardesk.ar.allowance import Allowance
from ardesk.book import styles
from ardesk.book.cells import Formula, SharedStrings, column_letter, row
from ardesk.book.sheet import Layout
from ardesk.book.userdata import ALLOWANCE_KEY, ALLOWANCE_SHEET, ALLOWANCE_USER

SHEET = ALLOWANCE_SHEET
RATES_ROW, LOSS_ROW, BALANCE_ROW = 5, 6, 9
REQUIRED_ROW, GL_ROW, ADJUSTMENT_ROW = 11, 12, 13
HEADER = 17
"""Sheet row of the customers' headers (within book.carry's SEARCH_ROWS, so a rerun finds what was typed)."""


def rows(allowance: Allowance, loss_rates: pd.DataFrame, accounts: tuple[tuple[str, ...], str], base_currency: str,
         strings: SharedStrings) -> tuple[list[str], Layout]:
    """The sheet's rows and layout; `loss_rates` is ar.loss_rates.LOSS_RATES, `accounts` the allowance accounts
    and the bad-debt expense account."""
    n = len(allowance.labels)
    first, last = HEADER + 1, HEADER + max(len(allowance.customers), 1)
    bucket = [column_letter(2 + i) for i in range(n)]
    total, matrix, specific, note, reserve = (column_letter(2 + n + k) for k in range(5))
    allowance_accounts, expense = accounts
    out = [
        row(1, ["Allowance for doubtful accounts"], strings, styles.TITLE),
        row(2, [f"In {base_currency}: each customer's aging of the month-end times the rate in use for each bucket "
                "(its matrix reserve), or the specific reserve typed for it; the required allowance against the "
                "general ledger's, and the entry that brings the ledger to it."], strings),
        row(4, ["Provision matrix", None, *allowance.labels], strings, styles.BOLD),
        row(RATES_ROW, ["Rate in use", "[close] allowance_rates", *(ppm / 1_000_000 for ppm in allowance.rates_ppm)],
            strings, [styles.BOLD, 0, *[styles.PERCENT] * n]),
        row(LOSS_ROW, ["Historical loss rate", "written off later, of the month-ends' balances",
                       *("n/a" if pd.isna(rate) else rate for rate in loss_rates["rate"])],
            strings, [styles.BOLD, 0, *[styles.PERCENT] * n]),
        row(7, ["Balance at the past month-ends", None, *(c / 100 for c in loss_rates["balance_cents"])], strings,
            [0, 0, *[styles.MONEY] * n]),
        row(8, ["Of which written off since", None, *(c / 100 for c in loss_rates["written_off_cents"])], strings,
            [0, 0, *[styles.MONEY] * n]),
    ]
    sums = [*(int(allowance.buckets[label].sum()) for label in allowance.labels),
            int(allowance.customers["balance_cents"].sum())]
    out.append(row(BALANCE_ROW, ["Balance now", "the month-end's aging", *(
        Formula(f"SUM({letter}{first}:{letter}{last})", cents / 100) for letter, cents in zip([*bucket, total], sums))],
        strings, [styles.BOLD, 0, *[styles.MONEY_BOLD] * (n + 1)]))
    out.append(row(REQUIRED_ROW, ["Required allowance", Formula(f"SUM({reserve}{first}:{reserve}{last})",
                                                                allowance.required_cents / 100)],
                   strings, [styles.BOLD, styles.MONEY_BOLD]))
    if allowance.gl_cents is None:
        out.append(row(GL_ROW, ["Not compared with the general ledger: set [close] allowance_accounts in "
                                "ardesk.toml."], strings))
    else:
        named = ", ".join(allowance_accounts)
        out += [
            row(GL_ROW, [f"General ledger allowance ({named})", allowance.gl_cents / 100], strings,
                [styles.BOLD, styles.MONEY]),
            row(ADJUSTMENT_ROW, ["Adjustment: raise (+) or release (-)",
                                 Formula(f"B{REQUIRED_ROW}-B{GL_ROW}", allowance.adjustment_cents / 100)],
                strings, [styles.BOLD, styles.MONEY_BOLD]),
            row(14, [f"Debit bad-debt expense {expense or '(set [close] bad_debt_account)'}, credit allowance "
                     f"{allowance_accounts[0]}", Formula(f"MAX(B{ADJUSTMENT_ROW},0)",
                                                          max(allowance.adjustment_cents, 0) / 100)],
                strings, [0, styles.MONEY]),
            row(15, [f"Debit allowance {allowance_accounts[0]}, credit bad-debt expense "
                     f"{expense or '(set [close] bad_debt_account)'}",
                     Formula(f"MAX(-B{ADJUSTMENT_ROW},0)", max(-allowance.adjustment_cents, 0) / 100)],
                strings, [0, styles.MONEY]),
        ]
    out.append(row(HEADER, [*ALLOWANCE_KEY, "Customer Name", *allowance.labels, "Total", "Matrix Reserve",
                            ALLOWANCE_USER[0].header, ALLOWANCE_USER[1].header, "Reserve"], strings, styles.BOLD))
    rates = f"${bucket[0]}${RATES_ROW}:${bucket[-1]}${RATES_ROW}"
    money = [0, 0, *[styles.MONEY] * (n + 3), 0, styles.MONEY]
    records = allowance.customers.to_dict("records")
    balances = allowance.buckets.to_numpy()
    for k, (figures, cents) in enumerate(zip(records, balances), first):
        typed = figures["specific_cents"]
        out.append(row(k, [
            figures["customer_id"], figures["customer_name"] or None, *(c / 100 for c in cents.tolist()),
            Formula(f"SUM({bucket[0]}{k}:{bucket[-1]}{k})", figures["balance_cents"] / 100),
            Formula(f"MAX(0,ROUND(SUMPRODUCT({bucket[0]}{k}:{bucket[-1]}{k},{rates}),2))",
                    figures["matrix_cents"] / 100),
            None if pd.isna(typed) else typed / 100, figures["note"] or None,
            Formula(f"IF(ISNUMBER({specific}{k}),{specific}{k},{matrix}{k})", figures["reserve_cents"] / 100),
        ], strings, money))
    widths = (16, 36, *(14,) * n, 16, 16, 16, 30, 16)
    return out, Layout(widths, f"A1:{reserve}{last}", frozen_rows=HEADER, frozen_columns=1)
