"""The files ardesk hands to the ERP's own imports (Epicor's DMT layouts, columns named as the fields they fill):
approved cash applications, approved write-offs (AR adjustments) and the allowance's adjusting journal entry.
Each is written atomically: an import never reads half a file."""
import csv
import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ardesk.money import decimal_text

CASH_RECEIPT_COLUMNS = ("Company", "GroupID", "CustID", "CreditMemoNum", "InvoiceCustID", "InvoiceNum", "Kind",
                        "CurrencyCode", "DocTranAmt", "TranDate", "ApplicationID", "ApprovedBy")
"""The cash receipt import's columns (CashHead/CashDtl fields)."""
ADJUSTMENT_COLUMNS = ("Company", "GroupID", "CustID", "InvoiceNum", "TranType", "ReasonCode", "CurrencyCode",
                      "DocTranAmt", "TranDate", "ApplicationID", "ApprovedBy")
"""The AR adjustment import's columns: an invoice's balance taken off without cash (CashDtl TranType Adjust)."""
JOURNAL_COLUMNS = ("Company", "GroupID", "JournalCode", "JEDate", "FiscalYear", "FiscalPeriod", "JournalLine",
                   "GLAccount", "Description", "DebitAmount", "CreditAmount")
"""The GL journal entry import's columns (GLJrnDtl fields); ardesk assumes fiscal periods are calendar months."""


def cash_receipts(path: Path, lines: pd.DataFrame, when: dt.datetime) -> Path:
    """Staged applications (RECONCILE_LINES with application_id, company and approver) as one group for the day,
    amounts in each document's currency."""
    return write_csv(path, CASH_RECEIPT_COLUMNS, (
        [line.company, f"ARD{when:%y%m%d}", line.customer_id, line.credit_doc, line.invoice_customer_id,
         line.invoice_doc, line.kind, line.currency, decimal_text(line.amount_cents), f"{when:%Y-%m-%d}",
         line.application_id, line.approver] for line in lines.itertuples()))


def adjustments(path: Path, lines: pd.DataFrame, when: dt.datetime) -> Path:
    """Staged write-offs (the same lines, the reason code as their rule) as one group for the day."""
    return write_csv(path, ADJUSTMENT_COLUMNS, (
        [line.company, f"ARW{when:%y%m%d}", line.invoice_customer_id, line.invoice_doc, "Adjust", line.rule,
         line.currency, decimal_text(line.amount_cents), f"{when:%Y-%m-%d}", line.application_id, line.approver]
        for line in lines.itertuples()))


def journal(path: Path, company: str, day: dt.date, description: str,
            lines: list[tuple[str, int, int]]) -> Path:
    """One general journal entry dated `day`, its (account, debit cents, credit cents) lines in order."""
    return write_csv(path, JOURNAL_COLUMNS, (
        [company, f"ARA{day:%y%m}", "GJ", day.isoformat(), day.year, day.month, n, account, description,
         decimal_text(debit), decimal_text(credit)] for n, (account, debit, credit) in enumerate(lines, 1)))


def write_csv(path: Path, header: tuple[str, ...], rows: Iterable[list]) -> Path:
    """`rows` under `header` as a UTF-8 CSV at `path`, written beside it and renamed over it."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)
    os.replace(temporary, path)
    return path
