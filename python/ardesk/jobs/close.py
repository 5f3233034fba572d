"""The month-end close: the receivables rollforward of a period, written as the Month-End workbook."""
import calendar
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ardesk import book
from ardesk.ar import rollforward
from ardesk.ar.tie_out import TieOut, tie_out
from ardesk.book.file_handle import WorkbookFile
from ardesk.erp import fetch, ledger, odbc
from ardesk.errors import ArdeskError
from ardesk.handle import WorkbookHandle
from ardesk.jobs import allowance
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


@dataclass(frozen=True)
class Closed:
    path: Path  # the Month-End workbook
    tie: TieOut | None  # None: no receivables control account is set
    reserves: book.Reserves | None = None  # the allowance, write-offs proposed and bad debt
    journal: Path | None = None  # the allowance's adjusting entry as a journal import (None: none needed or made)


def close(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
          period: dt.date, aging: Path | None = None) -> Closed:
    """`ardesk close --period YYYY-MM`: the rollforward of the month starting on `period`, from the aging of
    the day before it to the aging of its last day, written to `handle`. A month that has not ended by `as_of`
    (today) is refused: its closing balance is not known yet. The closing aging is tied to the general ledger's
    receivables control accounts ([close] ar_accounts) when they are set. The disputes marked uncollectible on the
    aging workbook `aging` (when given) are proposed for write-off."""
    start = period.replace(day=1)
    end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if end > as_of:
        raise ArdeskError(f"The period {start:%Y-%m} ends on {end}, after today ({as_of}): close a month that has "
                          "ended.")
    if settings.source:
        raise ArdeskError("The close reads the ERP's documents and applications, which an export file does not "
                          "hold: give --connect or set [erp] connect in ardesk.toml.")
    progress.step(f"Reading the period from the ERP ({odbc.describe(settings.erp)})")
    found = fetch.period(settings.erp, start, end)
    progress.step("Rolling the receivables forward")
    rolled = rollforward.of_period(found.opening, found.closing, found.activity)
    names = {}
    for frame in (found.opening, found.closing, found.activity):
        names |= dict(zip(frame["customer_id"].tolist(), frame["customer_name"].tolist()))
    tie = None
    if settings.close.ar_accounts:
        progress.step("Tying the aging to the general ledger")
        read = ledger.read(settings.erp, end, settings.close.ar_accounts)
        tie = tie_out(end, settings.close.ar_accounts, int(rolled.total["closing_cents"].iloc[0]),
                      read.balance_cents, read.timing, read.entries, read.unposted)
    progress.step("Reserving for doubtful accounts")
    reserves = allowance.reserves(handle.path, settings, found.closing, start, end, aging)
    progress.step("Writing the Month-End workbook")
    with handle.released():
        path = book.write_month_end(handle.path, rolled, found.activity, names,
                                    (found.opening_total_cents, found.closing_total_cents), tie, start, end,
                                    base_currency=settings.base_currency, reserves=reserves)
    journal = allowance.journal(path, settings, reserves.allowance, found.closing["company"].unique().tolist(), end)
    return Closed(path, tie, reserves, journal)


def file_name(period: dt.date) -> str:
    """The Month-End workbook's name: month-end-2026-11.xlsx."""
    return f"month-end-{period:%Y-%m}.xlsx"


def close_last_month(handle: WorkbookHandle, settings: Settings, as_of: dt.date,
                     progress: Progress = QUIET) -> Closed:
    """The ribbon's Close Month: `close` of the last month ended by `as_of`, written beside the workbook."""
    period = (as_of.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return close(WorkbookFile(handle.path.with_name(file_name(period))), settings, as_of, progress, period=period,
                 aging=handle.path)
