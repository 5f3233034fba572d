"""Collection notes between the workbook (or a CSV, or the command line) and the ERP, each exactly once."""
import datetime as dt
import getpass
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ardesk import pipeline
from ardesk.ar import plans
from ardesk.book import carry
from ardesk.erp import fetch, notes_csv, outbox, writeback
from ardesk.handle import WorkbookHandle
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


def push_notes(handle: WorkbookHandle | None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
               source: Path | None = None) -> writeback.PushResult:
    """`ardesk notes push`, AR Desk > Push Notes: the notes typed into the workbook's Notes table (or those of the
    notes CSV `source`) to the ERP the settings name, each once.

    In this order, so that a note is never sent twice whatever stops the run: a note without a Note ID gets
    one derived from its content (the same in every process, so two pushes of the workbook at once, a double
    click or two people, give it the same ID) and the workbook is rewritten with it (a refresh); the notes go
    into the outbox beside the workbook, for this ERP; the outbox is pushed; the workbook is refreshed again,
    each note showing Pushed (time, ERP key), Invalid (what to fix) or Queued. The notes' rows stay in the Notes
    table; the reports count each note once.
    """
    if source is not None:
        return _push_file(source, settings, as_of, progress)
    workbook = handle.path
    with handle.released():
        previous = pipeline.typed_into(workbook, progress)
        typed = carry.notes_frame(previous.notes, ())
        if (typed["note_id"] == "").any():
            progress.step("Giving new notes their note IDs")
            previous = replace(previous, notes=previous.notes.assign(**{"Note ID": outbox.derived_keys(typed)}))
            pipeline.rewrite(workbook, settings, as_of, progress, previous)
            typed = carry.notes_frame(previous.notes, ())
        result = _push(typed, outbox.beside(workbook), settings, as_of, progress)
        pipeline.rewrite(workbook, settings, as_of, progress, pipeline.typed_into(workbook, progress))
    return result


def _push_file(source: Path, settings: Settings, as_of: dt.date, progress: Progress) -> writeback.PushResult:
    """The notes CSV's notes to the ERP, each once. A note without a note_id gets one, written into the file
    before anything else happens; the outbox is the user's own."""
    notes = notes_csv.read(source)
    if (notes["note_id"] == "").any():
        notes = notes.assign(note_id=outbox.derived_keys(notes))
        notes_csv.write_keys(source, notes["note_id"])
    return _push(notes, outbox.default_path(), settings, as_of, progress)


def add_note(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
             note: pd.DataFrame) -> writeback.PushResult:
    """`ardesk notes add`: one note (NOTES columns) into the user's outbox, then pushed."""
    return _push(note.assign(note_id=""), outbox.default_path(), settings, as_of, progress)


def _push(notes: pd.DataFrame, box_path: Path, settings: Settings, as_of: dt.date,
          progress: Progress) -> writeback.PushResult:
    """`notes` captured in the outbox at `box_path` for the settings' ERP, then that ERP's waiting notes pushed.

    The result shows each note the push sent or tried and each note captured now that it did not (pushed
    before, edited since it was pushed, or still Invalid as typed), with its customer and text, so people can
    tell which note is which; notes waiting for another ERP stay out of it (`ardesk notes outbox` lists them)."""
    with outbox.open(box_path) as box:
        progress.step("Keeping the notes in the outbox")
        captured = box.capture(notes, outbox.Target.of(settings.erp))
        progress.step("Pushing the notes to the ERP")
        pushed = writeback.push(settings.erp, box, batch_rows=settings.notes.batch_rows, today=as_of)
        others = [key for key in dict.fromkeys(captured) if key not in set(pushed.notes["note_id"])]
        shown = pd.concat([pushed.notes, box.status(others)], ignore_index=True)
        about = box.notes(list(shown["note_id"]))[["note_id", "customer_id", "text"]]
    counts = shown["state"].value_counts()
    return replace(pushed, notes=shown.merge(about, on="note_id", how="left"), invalid=int(counts.get("Invalid", 0)),
                   queued=int(counts.get("Queued", 0)))


def note_history(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
                 customer: str) -> pd.DataFrame:
    """`ardesk notes history CUSTOMER`: the customer's notes in the ERP, newest first."""
    progress.step(f"Reading the notes of {customer}")
    every = fetch.notes(settings.erp, as_of, dt.date(1900, 1, 1))
    own = every[every["customer_id"].str.casefold() == customer.strip().casefold()]
    return own.sort_values("written", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Plan:
    schedule: pd.DataFrame
    """PLAN: the installments (the last one takes the rounding)."""
    pushed: writeback.PushResult
    """The push of the note that records the plan with the customer."""


def payment_plan(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *, customer: str,
                 amount_cents: int, installments: int, every: str, start: dt.date, author: str | None = None) -> Plan:
    """`ardesk plan`: a payment plan, recorded with the customer as a note pushed to the ERP."""
    plan = plans.payment_plan(amount_cents, installments, every, start)
    note = plans.plan_note(customer, plan, every, written=dt.datetime.now(), author=author or getpass.getuser())
    return Plan(plan, add_note(None, settings, as_of, progress, note=note))


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
