"""Unapplied credits: the matcher's proposals, and the approved lines staged in the ERP."""
import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ardesk import pipeline, receivables
from ardesk.ar import applications, matching
from ardesk.book import carry
from ardesk.erp import import_files
from ardesk.errors import ArdeskError
from ardesk.handle import WorkbookHandle
from ardesk.jobs.staged import stage_approved
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


@dataclass(frozen=True)
class Reconciled:
    lines: pd.DataFrame
    """RECONCILE_LINES: applications, write-offs and short pays proposed."""
    review: pd.DataFrame
    """REVIEW: the credits left for a person."""
    workbook: Path | None
    """The workbook whose Reconcile sheets now show them (None: printed only)."""


def reconcile(handle: WorkbookHandle | None, settings: Settings, as_of: dt.date,
              progress: Progress = QUIET) -> Reconciled:
    """`ardesk reconcile`, AR Desk > Match Credits: the matcher's proposals for the open items. With a workbook,
    they are also written there as the Reconcile sheets (the workbook is built or refreshed, and keeps them at
    every refresh)."""
    if handle is not None:
        with handle.released():
            shown = pipeline.build(handle.path, settings, as_of, progress, reconcile=True).shown
        return Reconciled(shown.reconcile, shown.review, handle.path)
    items, _total = receivables.open_items(settings, as_of, progress)
    progress.step("Matching credits to invoices")
    matches = matching.match(items, settings.reconcile, settings.reconcile.parents)
    return Reconciled(applications.lines(matches), matches.review, None)


@dataclass(frozen=True)
class Applied:
    lines: pd.DataFrame
    """The approved lines with `status`: Staged, Already staged, or Rejected: why."""
    written: Path | None
    """The cash receipt import file (None when nothing new was staged)."""

    def summary(self) -> str:
        """The outcomes counted: "3 staged, 1 rejected", or "No line is approved"."""
        counts = self.lines["status"].str.split(":").str[0].value_counts()
        return ", ".join(f"{n} {what.lower()}" for what, n in counts.items()) or "No line is approved"


def apply_approved(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
                   approver: str | None = None) -> Applied:
    """`ardesk reconcile apply`, AR Desk > Apply Approved: stage the lines approved on the workbook's Reconcile
    sheet in the ERP, once each, and write the cash receipt import beside the workbook.

    Each approved line is checked against the ERP's open items first: one whose credit or invoice changed is
    rejected with the reason, and the others still go.
    """
    workbook = handle.path
    progress.step(f"Reading the approvals in {workbook.name}")
    approved = carry.read_approved(workbook)
    if settings.source:
        raise ArdeskError(f"{workbook.name} was built from the export file {settings.source}: approved applications "
                          "go to an ERP, so rebuild the workbook from the ERP with ardesk workbook --connect.")
    items, _total = receivables.open_items(settings, as_of, progress)
    approved = approved.assign(approver=approver or getpass.getuser())
    now = dt.datetime.now()
    progress.step("Staging the approved applications in the ERP")
    status, fresh = stage_approved(settings, approved, items, now, "reconcile apply")
    written = None
    if len(fresh):
        written = import_files.cash_receipts(
            workbook.with_name(f"{workbook.stem} cash applications {now:%Y-%m-%d %H%M%S}.csv"), fresh, now)
    return Applied(approved.drop(columns="approver").assign(status=status), written)

