"""What a job reads: the open items alone, or everything the aging workbook shows; from the ERP the settings
name or from the export file they name instead."""
import datetime as dt

import pandas as pd

from ardesk.ar import credit, credit_review
from ardesk.ar.summary import month_back
from ardesk.erp import fetch, files, odbc
from ardesk.errors import ArdeskError
from ardesk.frames import APPLICATIONS, CAPTURED_NOTES, CLOSES, CONTACTS, HISTORY, PAYMENTS, empty
from ardesk.progress import QUIET, Progress
from ardesk.settings import ReportSettings, Settings


def open_items(settings: Settings, as_of: dt.date, progress: Progress = QUIET) -> tuple[pd.DataFrame, int | None]:
    """The open items and, when read from the ERP, the ERP's own total (base cents) to tie to."""
    if settings.source:
        progress.step(f"Reading {settings.source}")
        return files.read_open_items(settings.source, base_currency=settings.base_currency), None
    progress.step(f"Reading the ERP ({odbc.describe(settings.erp)})")
    return fetch.open_items(settings.erp, as_of)


def history_start(as_of: dt.date, reports: ReportSettings) -> dt.date:
    """Where the sales history and notes read from the ERP start (exclusive): far enough back to rebuild the
    oldest month-end snapshot with its KPI period, to give countback DSO its months, and the credit review its 12."""
    oldest_month_end = month_back(as_of.replace(day=1), reports.snapshot_months - 1) - dt.timedelta(days=1)
    months = max(reports.snapshot_months + 1, credit_review.MONTHS)
    return min(oldest_month_end - dt.timedelta(days=reports.kpi_days), month_back(as_of, months))


def read(settings: Settings, as_of: dt.date, progress: Progress = QUIET) -> fetch.Receivables:
    """Everything the aging workbook reads. An export file holds only open items: its customers come from
    them, and it has no sales history or notes (the Summary leaves the sales-based KPIs empty)."""
    if settings.source:
        items, _none = open_items(settings, as_of, progress)
        return fetch.Receivables(items, None, credit.customers_from_items(items), empty(HISTORY),
                                 empty(APPLICATIONS), empty(CAPTURED_NOTES), empty(PAYMENTS), empty(CLOSES))
    progress.step(f"Reading the ERP ({odbc.describe(settings.erp)})")
    return fetch.receivables(settings.erp, as_of, history_start(as_of, settings.reports))


def addressed(settings: Settings, as_of: dt.date, progress: Progress = QUIET) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(OPEN_ITEMS, CONTACTS): what letters to customers read. An export file has no contacts: its customers have
    no address and no e-mail."""
    if settings.source:
        items, _none = open_items(settings, as_of, progress)
        return items, empty(CONTACTS)
    progress.step(f"Reading the ERP ({odbc.describe(settings.erp)})")
    return fetch.addressed(settings.erp, as_of)


def nothing_open(settings: Settings, shown: int) -> ArdeskError:
    """The refusal to rewrite a workbook that showed `shown` open items from a read that found none, naming where
    it read (the company and the companies the ERP has, or the export file)."""
    if settings.source:
        return ArdeskError(f"{settings.source} holds no open items where the workbook showed {shown}, so it was left "
                           "as it was: export the open items again and refresh.")
    company = f"company {settings.erp.company!r}" if settings.erp.company else "any company"
    known = ", ".join(fetch.companies(settings.erp)) or "none"
    return ArdeskError(f"The ERP has no open items for {company} where the workbook showed {shown}, so it was left "
                       f"as it was: check [erp] company (the ERP has {known}) and refresh again.")
