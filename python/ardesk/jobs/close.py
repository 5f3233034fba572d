"""The month-end close: the receivables rollforward of a period, written as the Month-End workbook, and the
period frozen in the ERP the first time it is closed (ardesk.ar.closing)."""
import calendar
import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ardesk import book
from ardesk.ar import aging, closing, rollforward
from ardesk.ar.accounts import shaped
from ardesk.ar.summary import figures
from ardesk.ar.tie_out import TieOut, tie_out
from ardesk.book.file_handle import WorkbookFile
from ardesk.erp import closes, fetch, ledger, odbc
from ardesk.errors import ArdeskError
from ardesk.frames import CLOSES
from ardesk.handle import WorkbookHandle
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


FROZEN, AGAIN, UNCHANGED, CHANGED, DRAFT, UNTIED = (
    "frozen", "closed again", "unchanged", "changed", "draft", "not frozen")
"""What a close did with the period in the ERP: froze it (first close), froze it anew (--reclose), found it
frozen and the same, found it frozen and changed since (kept as frozen), left it (--draft), or did not freeze it
because the GL tie-out leaves a residual."""


@dataclass(frozen=True)
class Closed:
    path: Path  # the Month-End workbook
    tie: TieOut | None  # None: no receivables control account is set
    state: str  # FROZEN, AGAIN, UNCHANGED, CHANGED, DRAFT or UNTIED
    frozen: pd.DataFrame  # CLOSES: the period's row as frozen in the ERP (none when it is not)
    changes: pd.DataFrame  # closing.CHANGES: the documents that differ from the frozen period


def close(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
          period: dt.date, draft: bool = False, again: bool = False) -> Closed:
    """`ardesk close --period YYYY-MM`: the rollforward of the month starting on `period`, from the aging of
    the day before it to the aging of its last day, written to `handle`. A month that has not ended by `as_of`
    (today) is refused: its closing balance is not known yet. The closing aging is tied to the general ledger's
    receivables control accounts ([close] ar_accounts) when they are set.

    The first close of a period freezes it in the ERP (unless `draft`, or the tie-out leaves a residual); a later
    one compares the ERP's history with it and lists the documents that changed, keeping what was frozen unless
    `again` (`--reclose`) freezes today's figures instead."""
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
    documents = closing.documents(found.opening, found.closing, found.activity)
    total, current, over_90 = figures(aging.age(found.closing, end, settings.aging))
    close_row = {"period_end": end, "closed": dt.datetime.now(), "closed_by": getpass.getuser(),
                 "opening_cents": int(rolled.total["opening_cents"].iloc[0]), "closing_cents": total,
                 "current_cents": current, "over_90_cents": over_90,
                 "gl_cents": tie.gl_cents if tie else None, "residual_cents": tie.residual_cents if tie else None}
    state, frozen = _freeze(settings, found.closed, close_row, documents, progress, draft=draft, again=again)
    changes = closing.changes(frozen.documents if len(frozen.close) else documents, documents)
    if state == UNCHANGED and len(changes):
        state = CHANGED
    progress.step("Writing the Month-End workbook")
    with handle.released():
        path = book.write_month_end(handle.path, rolled, found.activity, names,
                                    (found.opening_total_cents, found.closing_total_cents), tie, start, end,
                                    base_currency=settings.base_currency, frozen=frozen.close, changes=changes)
    return Closed(path, tie, state, frozen.close, changes)


def _freeze(settings: Settings, frozen: fetch.Closed, close_row: dict, documents: pd.DataFrame, progress: Progress,
            *, draft: bool, again: bool) -> tuple[str, fetch.Closed]:
    """What the close does with the period in the ERP, and the period as frozen there afterwards."""
    if draft:
        return DRAFT, frozen
    if len(frozen.close) and not again:
        return UNCHANGED, frozen
    if close_row["residual_cents"]:
        return UNTIED, frozen
    progress.step("Freezing the period in the ERP")
    if closes.freeze(settings.erp, close_row, documents, again=again):
        mine = shaped(pd.DataFrame([close_row]), CLOSES)
        return (AGAIN if len(frozen.close) else FROZEN), fetch.Closed(mine, documents)
    return UNCHANGED, fetch.closed(settings.erp, close_row["period_end"])  # another close froze it first


def file_name(period: dt.date) -> str:
    """The Month-End workbook's name: month-end-2026-11.xlsx."""
    return f"month-end-{period:%Y-%m}.xlsx"


def close_last_month(handle: WorkbookHandle, settings: Settings, as_of: dt.date,
                     progress: Progress = QUIET) -> Closed:
    """The ribbon's Close Month: `close` of the last month ended by `as_of`, written beside the workbook."""
    period = (as_of.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return close(WorkbookFile(handle.path.with_name(file_name(period))), settings, as_of, progress, period=period)
