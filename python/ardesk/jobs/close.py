"""The month-end close: the receivables rollforward of a period, written as the Month-End workbook."""
import calendar
import datetime as dt
from pathlib import Path

from ardesk import book
from ardesk.ar import rollforward
from ardesk.erp import fetch, odbc
from ardesk.errors import ArdeskError
from ardesk.handle import WorkbookHandle
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


def close(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
          period: dt.date) -> Path:
    """`ardesk close --period YYYY-MM`: the rollforward of the month starting on `period`, from the aging of
    the day before it to the aging of its last day, written to `handle`. A month that has not ended by `as_of`
    (today) is refused: its closing balance is not known yet. Returns the workbook's path."""
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
    progress.step("Writing the Month-End workbook")
    with handle.released():
        return book.write_month_end(handle.path, rolled, found.activity, names,
                                    (found.opening_total_cents, found.closing_total_cents), start, end,
                                    base_currency=settings.base_currency)
