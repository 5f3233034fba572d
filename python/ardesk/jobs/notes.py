"""Collection notes between the command line (or a CSV) and the ERP, each exactly once, and the outboxes that
keep them until the ERP has them. The workbook's Notes table is jobs/notes_table.py's: these jobs need none of
the workbook's machinery, so `ardesk notes add` starts without loading it."""
import datetime as dt
import getpass
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ardesk.ar import plans
from ardesk.erp import fetch, notes_csv, outbox, writeback
from ardesk.errors import ArdeskError
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


def push_note_file(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
                   source: Path) -> writeback.PushResult:
    """`ardesk notes push --source notes.csv`: the file's notes to the ERP, each once. A note without a note_id
    gets one derived from its content (the same in every process: four pushes of the file at once converge),
    written into the file before anything else happens; the outbox is the user's own."""
    notes = notes_csv.read(source)
    if (notes["note_id"] == "").any():
        notes = notes.assign(note_id=outbox.derived_keys(notes))
        notes_csv.write_keys(source, notes["note_id"])
    return push_captured(notes, outbox.default_path(), settings, as_of, progress)


def add_note(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
             note: pd.DataFrame) -> writeback.PushResult:
    """`ardesk notes add`: one note (NOTES columns) into the user's outbox, then pushed."""
    return push_captured(note.assign(note_id=""), outbox.default_path(), settings, as_of, progress)


def push_captured(notes: pd.DataFrame, box_path: Path, settings: Settings, as_of: dt.date,
                  progress: Progress) -> writeback.PushResult:
    """`notes` captured in the outbox at `box_path` for the settings' ERP, then that ERP's waiting notes pushed
    (see `_send`)."""
    with outbox.open(box_path) as box:
        progress.step("Keeping the notes in the outbox")
        captured = box.capture(notes, outbox.Target.of(settings.erp))
        return _send(box, settings, as_of, progress, list(captured))


def _send(box: outbox.Outbox, settings: Settings, as_of: dt.date, progress: Progress,
          captured: list[str] = ()) -> writeback.PushResult:
    """The settings' ERP's waiting notes pushed. The result shows each note the push sent or tried and each note
    of `captured` that it did not (pushed before, edited since it was pushed, or still Invalid as typed), with
    its customer and text, so people can tell which note is which; notes waiting for another ERP stay out of it
    (`ardesk notes outbox` lists them)."""
    progress.step("Pushing the notes to the ERP")
    pushed = writeback.push(settings.erp, box, batch_rows=settings.notes.batch_rows, today=as_of)
    handled = set(pushed.notes["note_id"])
    shown = pd.concat([pushed.notes, box.status([key for key in dict.fromkeys(captured) if key not in handled])],
                      ignore_index=True)
    about = box.notes(list(shown["note_id"]))[["note_id", "customer_id", "text"]]
    counts = shown["state"].value_counts()
    return replace(pushed, notes=shown.merge(about, on="note_id", how="left"), invalid=int(counts.get("Invalid", 0)),
                   queued=int(counts.get("Queued", 0)))


def note_history(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
                 customer: str) -> pd.DataFrame:
    """`ardesk notes history CUSTOMER`: the customer's notes in the ERP, newest first; notes written in the same
    second come last-recorded first (the ERP returns them in the order it recorded them)."""
    progress.step(f"Reading the notes of {customer}")
    every = fetch.notes(settings.erp, as_of, dt.date(1900, 1, 1))
    own = every[every["customer_id"].str.casefold() == customer.strip().casefold()]
    return own.iloc[::-1].sort_values("written", ascending=False, na_position="last", kind="stable"
                                      ).reset_index(drop=True)


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
class Kept:
    """What `ardesk notes outbox` found or did."""

    path: Path
    """The outbox."""
    waiting: pd.DataFrame
    """The notes it was about, as Outbox.waiting gives them (before a retry or a discard)."""
    pushed: tuple[writeback.PushResult, ...] = ()
    """A retry's pushes, one per ERP."""
    discarded: int = 0
    refused: str | None = None
    """One sentence when part of what was asked was refused (a retry that left notes invalid)."""


def outbox_notes(handle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *, action: str = "list",
                 note_ids: tuple[str, ...] = (), confirmed: bool = False) -> Kept:
    """`ardesk notes outbox`: the notes waiting in the workbook's outbox (or the user's), each with the ERP it is
    kept for. `retry` pushes them, each to its own ERP; `discard` marks them never to be sent, only when
    `confirmed` (a discard cannot be undone by ardesk)."""
    path = outbox.beside(handle.path) if handle is not None else outbox.default_path()
    with outbox.open(path) as box:
        waiting = box.waiting()
        if note_ids:
            chosen = waiting["note_id"].map(lambda key: any(key.startswith(n.strip().lower()) for n in note_ids))
            missing = [n for n in note_ids if not waiting["note_id"].str.startswith(n.strip().lower()).any()]
            if missing:
                raise ArdeskError(f"No note waiting in {path} has an ID starting {missing[0]!r}: "
                                  "`ardesk notes outbox` lists them.")
            waiting = waiting[chosen.to_numpy(bool)].reset_index(drop=True)
        if action == "discard":
            if not confirmed:
                raise ArdeskError(f"This would discard {len(waiting)} note{'s' * (len(waiting) != 1)} for good "
                                  "(listed by `ardesk notes outbox`): run it again with --yes.")
            box.discard(list(waiting["note_id"]))
            return Kept(path, waiting, discarded=len(waiting))
        if action != "retry":
            return Kept(path, waiting)
        box.requeue(list(waiting["note_id"]), outbox.Target.of(settings.erp))
        pushed = [_send(box, settings.with_overrides(erp={"connect": connect or None,
                                                          "company": company if connect else None}),
                        as_of, progress, list(notes["note_id"]))
                  for (connect, company), notes in waiting.groupby(["erp_connect", "erp_company"], sort=False)]
    invalid = sum(p.invalid for p in pushed)
    return Kept(path, waiting, tuple(pushed),
                refused=f"{invalid} note{'s' * (invalid != 1)} still refused as invalid (each says why above): "
                        "correct them where they were typed and push again." if invalid else None)
