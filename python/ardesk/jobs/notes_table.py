"""The workbook's Notes table: Log Note adds a row, Push Notes sends the rows to the ERP, each exactly once."""
import datetime as dt
import getpass
from dataclasses import dataclass, replace

import pandas as pd

from ardesk import pipeline
from ardesk.book import carry
from ardesk.erp import outbox, writeback
from ardesk.handle import WorkbookHandle
from ardesk.jobs.notes import push_captured
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


def push_notes(handle: WorkbookHandle, settings: Settings, as_of: dt.date,
               progress: Progress = QUIET) -> writeback.PushResult:
    """`ardesk notes push WORKBOOK`, AR Desk > Push Notes: the notes typed into the workbook's Notes table to the
    ERP the settings name, each once.

    In this order, so that a note is never sent twice whatever stops the run: a note without a Note ID gets
    one derived from its content (the same in every process, so two pushes of the workbook at once, a double
    click or two people, give it the same ID) and the workbook is rewritten with it (a refresh); the notes go
    into the outbox beside the workbook, for this ERP; the outbox is pushed; the workbook is refreshed again,
    each note showing Pushed (time, ERP key), Invalid (what to fix) or Queued. The notes' rows stay in the Notes
    table; the reports count each note once.
    """
    workbook = handle.path
    with handle.released():
        previous = pipeline.typed_into(workbook, progress)
        typed = carry.notes_frame(previous.notes, ())
        if (typed["note_id"] == "").any():
            progress.step("Giving new notes their note IDs")
            previous = replace(previous, notes=previous.notes.assign(**{"Note ID": outbox.derived_keys(typed)}))
            pipeline.rewrite(workbook, settings, as_of, progress, previous)
            typed = carry.notes_frame(previous.notes, ())
        result = push_captured(typed, outbox.beside(workbook), settings, as_of, progress)
        pipeline.rewrite(workbook, settings, as_of, progress, pipeline.typed_into(workbook, progress))
    return result


@dataclass(frozen=True)
class Logged:
    customer: str
    document: str


def log_note(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET) -> Logged:
    """AR Desk > Log Note: a new last row of the Notes table for the customer (and document) of the row the user
    has selected: a call, by this user, written now; the rest for the collector to type. The workbook is
    rewritten as a refresh would."""
    selected = handle.selected_row()
    customer = str(selected.get("Customer ID") or "").strip()
    document = str(selected.get("Document") or selected.get("Invoice") or "").strip()
    with handle.released():
        previous = pipeline.typed_into(handle.path, progress)
        row = dict.fromkeys(previous.notes.columns) | {
            "Customer ID": customer or None, "Invoice": document or None, "Contact Type": "Call",
            "Author": getpass.getuser(), "Written": dt.datetime.now().replace(microsecond=0)}
        notes = pd.concat([previous.notes, pd.DataFrame([row], dtype=object)], ignore_index=True)
        pipeline.rewrite(handle.path, settings, as_of, progress, replace(previous, notes=notes))
    return Logged(customer, document)
