"""The close's reserves: the allowance for doubtful accounts, the historical loss rates that justify its matrix,
the write-offs to propose and the bad debt of the period, for the Month-End workbook; and the adjusting entry's
journal import beside it."""
import datetime as dt
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ardesk import book
from ardesk.ar import aging, allowance as allowances, bad_debt, loss_rates, write_offs
from ardesk.ar.summary import month_ends
from ardesk.book import carry
from ardesk.erp import fetch, import_files, ledger
from ardesk.errors import ArdeskError
from ardesk.settings import Settings


@dataclass(frozen=True)
class History:
    """What the reserves read from the ERP beyond the period itself."""

    losses: fetch.Losses
    gl_cents: int | None  # the ledger's allowance on the period's last day, a credit as a positive amount


def read(settings: Settings, start: dt.date, end: dt.date) -> Future:
    """Start reading the History of the period start..end on a thread of its own (a Future), so that it overlaps
    the close's read of the period. Rates that do not fit the buckets are refused before anything is read."""
    labels = aging.bucket_labels(settings.aging.thresholds)
    if len(settings.close.allowance_rates) != len(labels):
        raise ArdeskError(f"[close] allowance_rates gives {len(settings.close.allowance_rates)} rates for the "
                          f"{len(labels)} aging buckets ({', '.join(labels)}): give one percent per bucket, Current "
                          "first.")
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(_history, settings, start, end)
    finally:
        pool.shutdown(wait=False)


def _history(settings: Settings, start: dt.date, end: dt.date) -> History:
    close = settings.close
    since = min(month_ends(start, close.loss_months)[0], start.replace(month=1, day=1) - dt.timedelta(days=1))
    gl = -ledger.balance(settings.erp, end, close.allowance_accounts) if close.allowance_accounts else None
    return History(fetch.losses(settings.erp, since, end), gl)


def reserves(workbook: Path, settings: Settings, history: History, closing: pd.DataFrame, start: dt.date,
             end: dt.date, aging_workbook: Path | None = None) -> book.Reserves:
    """What the Allowance, Write-Offs and Bad Debt sheets show for the period start..end whose closing aging is
    `closing` (OPEN_ITEMS), from its `history`, with what was typed into `workbook` when the close was run onto
    it before; the disputes marked uncollectible on `aging_workbook`'s Disputes sheet, when given, are proposed
    for write-off."""
    close = settings.close
    typed = carry.read_month_end(workbook)
    ends = month_ends(start, close.loss_months)
    read, gl = history.losses, history.gl_cents
    aged = aging.age(closing, end, settings.aging)
    disputed = None
    if aging_workbook is not None:
        if not aging_workbook.exists():
            raise ArdeskError(f"The aging workbook {aging_workbook} does not exist: give the workbook whose Disputes "
                              "sheet marks the uncollectible disputes, or leave --aging out.")
        disputed = write_offs.uncollectible(carry.read_typed(aging_workbook).disputes)
    proposed = write_offs.proposals(closing, read.last_activity, end, settings.writeoffs, disputed)
    return book.Reserves(
        allowances.allowance(aged, close.allowance_ppm, typed.reserves, gl),
        loss_rates.loss_rates(read.history, read.applications, read.write_offs, ends, end, settings.aging),
        (close.allowance_accounts, close.bad_debt_account),
        proposed, typed.approvers(proposed), bad_debt.bad_debt(read.write_offs, start, end))


def journal(workbook: Path, settings: Settings, allowance: allowances.Allowance, companies: list[str],
            end: dt.date) -> Path | None:
    """The adjusting entry as a journal import beside the Month-End workbook, dated the period's last day; None
    when no entry is needed or it cannot be made (no accounts set, or the documents are in several companies
    and [erp] company names none of them)."""
    close = settings.close
    company = settings.erp.company or (companies[0] if len(set(companies)) == 1 else "")
    if allowance.adjustment_cents in (None, 0) or not close.bad_debt_account or not company:
        return None
    lines = allowances.entry(allowance.adjustment_cents, close.allowance_accounts[0], close.bad_debt_account)
    return import_files.journal(workbook.with_name(f"{workbook.stem} allowance journal.csv"), company, end,
                                f"Allowance for doubtful accounts {end:%Y-%m}", lines)
