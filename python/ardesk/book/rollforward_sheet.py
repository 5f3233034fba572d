"""The Month-End workbook's sheets: the Rollforward, live over the Period Activity table behind it.

Opening and closing balances are the agings of the day before the period and of its last day, as values, with
the ERP's own totals beneath and the differences. Every movement is a SUMIFS over the Activity table by line
(the header above it) and customer or collector, so a row added to or taken from the table moves the sheet in
Excel; Unexplained is closing less opening less the movements. Each formula carries ardesk's own figure as its
cached value.
"""
import datetime as dt

import pandas as pd

from ardesk.ar.rollforward import LINES, Rollforward, collectors, lines
from ardesk.book import styles
from ardesk.book.cells import Formula, SharedStrings, column_letter, row
from ardesk.book.columns import DATE, MONEY, TEXT, Column
from ardesk.book.sheet import Layout
from ardesk.book.tables import TableSheet, table_sheet

SHEET = "Rollforward"
ACTIVITY_SHEET = "Period Activity"
ACTIVITY_TABLE = "Activity"
HEADER = 4
"""Sheet row of the headers; the movement columns' headers are the lines their SUMIFS select."""
WIDTHS = (16, 30, 18, *(18,) * len(LINES), 18, 16)
_OPENING, _FIRST_LINE, _CLOSING, _UNEXPLAINED = "C", "D", column_letter(3 + len(LINES)), column_letter(4 + len(LINES))
_LAST_LINE = column_letter(2 + len(LINES))

ACTIVITY_COLUMNS = (
    Column("Customer ID", "customer_id", TEXT),
    Column("Customer Name", "customer_name", TEXT),
    Column("Collector", "collector", TEXT),
    Column("Document", "doc_no", TEXT),
    Column("Type", "doc_type", TEXT),
    Column("Movement", "movement", TEXT),
    Column("Line", "line", TEXT),
    Column("Date", "date", DATE),
    Column("Amount", "base_amount_cents", MONEY),
)


def activity(frame: pd.DataFrame, number: int, strings: SharedStrings) -> TableSheet:
    """PERIOD_ACTIVITY as Table `number`, each row with its rollforward line and the collector named."""
    shown = frame.assign(line=lines(frame), collector=collectors(frame))
    return table_sheet(number, ACTIVITY_TABLE, ACTIVITY_COLUMNS, shown, strings)


def rows(rollforward: Rollforward, names: dict[str, str], erp_totals: tuple[int, int], start: dt.date,
         end: dt.date, base_currency: str, status: str, strings: SharedStrings) -> tuple[list[str], Layout]:
    """The Rollforward sheet's rows and its layout (the sheet Excel shows first); `names` gives each customer's
    name, `erp_totals` the ERP's own opening and closing totals in cents, `status` whether the period is closed."""
    total = rollforward.total.to_dict("records")[0]
    opening_day = start - dt.timedelta(days=1)
    out = [
        row(1, [f"Receivables rollforward {start:%Y-%m}"], strings, styles.TITLE),
        row(2, [f"In {base_currency} from {start} to {end}: opening is the aging of {opening_day}, closing the aging "
                f"of {end}; each movement sums the {ACTIVITY_SHEET} table. Unexplained should be 0.00."], strings),
        row(3, [status], strings),
        row(HEADER, ["", "Name", "Opening", *LINES, "Closing", "Unexplained"], strings, styles.BOLD),
    ]
    n = HEADER + 1
    out.append(_line(n, total, "", "", strings, bold=True))
    erp_opening, erp_closing = erp_totals
    gap = [None] * len(LINES)  # the ERP's totals stand under the balances only
    out.append(row(n + 1, ["ERP total", "the ERP's own figure", erp_opening / 100, *gap, erp_closing / 100],
                   strings, [styles.BOLD, 0, styles.MONEY, *[0] * len(LINES), styles.MONEY]))
    opening, closing = int(total["opening_cents"]), int(total["closing_cents"])
    differences = [Formula(f"{column}{n}-{column}{n + 1}", (ours - erp) / 100)
                   for column, ours, erp in ((_OPENING, opening, erp_opening), (_CLOSING, closing, erp_closing))]
    out.append(row(n + 2, ["Difference", "aging less ERP", differences[0], *gap, differences[1]],
                   strings, [styles.BOLD, 0, styles.MONEY_BOLD, *[0] * len(LINES), styles.MONEY_BOLD]))
    n += 4
    for heading, frame, criterion, named in (("By collector", rollforward.by_collector, "Collector", {}),
                                             ("By customer", rollforward.by_customer, "Customer ID", names)):
        out.append(row(n, [heading], strings, styles.BOLD))
        for figures in frame.to_dict("records"):
            n += 1
            out.append(_line(n, figures, criterion, named.get(figures["key"], ""), strings))
        n += 2
    layout = Layout(WIDTHS, f"A1:{_UNEXPLAINED}{n}", frozen_rows=HEADER, frozen_columns=1, selected=True)
    return out, layout


def _line(n: int, figures: dict, criterion: str, name: str, strings: SharedStrings, bold: bool = False) -> str:
    """One rollforward row: key, name, opening, a SUMIFS per line (selecting the row's key by `criterion`, or the
    whole table when it is ""), closing and what the lines leave unexplained."""
    key = f",{ACTIVITY_TABLE}[{criterion}],$A{n}" if criterion else ""
    amount, line = f"{ACTIVITY_TABLE}[Amount]", f"{ACTIVITY_TABLE}[Line]"
    movements = [Formula(f"SUMIFS({amount},{line},{column_letter(3 + i)}${HEADER}{key})", int(figures[column]) / 100)
                 for i, column in enumerate(LINES.values())]
    unexplained = Formula(f"{_CLOSING}{n}-{_OPENING}{n}-SUM({_FIRST_LINE}{n}:{_LAST_LINE}{n})",
                          int(figures["unexplained_cents"]) / 100)
    money = styles.MONEY_BOLD if bold else styles.MONEY
    return row(n, [figures["key"], name or None, int(figures["opening_cents"]) / 100, *movements,
                   int(figures["closing_cents"]) / 100, unexplained],
               strings, [styles.BOLD if bold else 0, 0, *[money] * (len(LINES) + 3)])
