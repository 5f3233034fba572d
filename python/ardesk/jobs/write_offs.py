"""Approved write-offs: staged in the ERP exactly once, with the AR adjustment import beside the workbook."""
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ardesk import receivables
from ardesk.ar import write_offs
from ardesk.book import carry
from ardesk.errors import ArdeskError
from ardesk.erp import import_files
from ardesk.handle import WorkbookHandle
from ardesk.jobs.staged import stage_approved
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings

COMMAND = "writeoffs apply"


@dataclass(frozen=True)
class WrittenOff:
    lines: pd.DataFrame
    """The approved write-offs (staging lines with their approver) with `status`: Staged, Already staged, or
    Rejected: why."""
    written: Path | None
    """The AR adjustment import (None when nothing new was staged)."""


def apply_write_offs(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET
                     ) -> WrittenOff:
    """`ardesk writeoffs apply MONTH-END.xlsx`: stage the write-offs approved on the Month-End workbook's
    Write-Offs sheet in the ERP, once each however often it runs, and write the AR adjustment import beside it.

    Every approval is checked against [writeoffs] approvers first: an unknown approver or an amount over the
    approver's limit stops the whole apply, nothing written. Then each line against today's open items: one whose
    item was paid or changed since the close is rejected with why, and the others still go."""
    workbook = handle.path
    progress.step(f"Reading the approvals in {workbook.name}")
    lines = write_offs.approved(carry.read_write_offs(workbook), settings.writeoffs.approvers)
    if settings.source:
        raise ArdeskError("Write-offs go to an ERP, not to an export file: give --connect or set [erp] connect in "
                          "ardesk.toml.")
    items, _total = receivables.open_items(settings, as_of, progress)
    now = dt.datetime.now()
    progress.step("Staging the approved write-offs in the ERP")
    status, fresh = stage_approved(settings, lines, items, now, COMMAND)
    written = None
    if len(fresh):
        written = import_files.adjustments(
            workbook.with_name(f"{workbook.stem} write-offs {now:%Y-%m-%d %H%M%S}.csv"), fresh, now)
    return WrittenOff(lines.assign(status=status), written)
