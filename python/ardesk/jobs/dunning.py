"""Dunning letters: who gets which level today (`ardesk dunning --preview`: the Dunning workbook, with an Approve
column) and the approved letters sent (`--send`), each logged as a collection note in the ERP through the
notes outbox, once (ardesk.ar.dunning has the rules)."""
import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ardesk import book, receivables
from ardesk.ar import aging, contacts, disputes, dunning, plans
from ardesk.book import carry
from ardesk.erp import outbox, writeback
from ardesk.errors import ArdeskError
from ardesk.frames import NOTES
from ardesk.handle import WorkbookHandle
from ardesk.jobs.notes import push_captured
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


@dataclass(frozen=True)
class Proposed:
    path: Path  # the Dunning workbook
    proposals: pd.DataFrame  # ardesk.ar.dunning.PROPOSALS
    left_out: pd.DataFrame  # LEFT_OUT


@dataclass(frozen=True)
class Sent:
    letters: pd.DataFrame  # the approved letters: customer_id, level, level_name, status ("Sent", "Not sent: why")
    pushed: writeback.PushResult  # the push of their notes


def preview(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET) -> Proposed:
    """`ardesk dunning --preview`: the letters due today and the customers left out, written to the Dunning
    workbook at the handle's path; an Approve typed there for a letter still proposed is kept."""
    proposals, left_out = _propose(settings, as_of, progress)
    typed = carry.read_dunning(handle.path)
    said = proposals[["customer_id", "level"]].merge(typed, on=["customer_id", "level"], how="left")["approve"]
    approvals = pd.DataFrame({"Approve": said.map({True: "Yes", False: "No"}).astype(object)})
    progress.step("Writing the Dunning workbook")
    with handle.released():
        path = book.write_dunning(handle.path, proposals, left_out, approvals, as_of,
                                  base_currency=settings.base_currency)
    return Proposed(path, proposals, left_out)


def send(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
         author: str | None = None) -> Sent:
    """`ardesk dunning --send`: the letters approved on the Dunning workbook's sheet that are still due today
    (someone else may have sent one since the preview, or the customer paid), each logged as a Letter note in
    the ERP with an ID of its own per customer, level and cycle, so that sending twice logs it once. Letters go
    out today: a send as of another day is refused."""
    if as_of != dt.date.today():
        raise ArdeskError(f"Letters go out today, not as of {as_of}: leave --as-of out to send (it is for "
                          "--preview).")
    approved = carry.read_dunning(handle.path)
    approved = approved[approved["approve"].to_numpy(bool)]
    if approved.empty:
        raise ArdeskError(f"No letter is approved on the Dunning sheet of {handle.path.name}: type Yes in its Approve "
                          "column for the letters to send, save, and send again.")
    proposals, _left_out = _propose(settings, as_of, progress)
    due = approved[["customer_id", "level"]].merge(proposals, on=["customer_id", "level"], how="left",
                                                   indicator=True)
    ready = due[(due["_merge"] == "both").to_numpy()].astype({"level": "int64"})
    written = pd.Timestamp(dt.datetime.now().replace(microsecond=0))
    notes = pd.DataFrame({
        "note_id": [dunning.letter_note_id(settings.erp.company, c, level, start.date())
                    for c, level, start in zip(ready["customer_id"], ready["level"], ready["cycle_start"])],
        "customer_id": ready["customer_id"].tolist(), "doc_no": "", "written": written, "contact_type": dunning.LETTER,
        "contact_person": "", "outcome": "", "promise_cents": pd.NA, "promise_date": pd.NaT, "dispute_reason": "",
        "dispute_cents": pd.NA, "follow_up": pd.NaT,
        "text": [dunning.letter_text(level, name, past, owed) for level, name, past, owed in
                 zip(ready["level"], ready["level_name"], ready["past_due_cents"], ready["dunning_cents"])],
        "author": author or getpass.getuser(), "source": "Dunning",
    }).astype({**NOTES, "note_id": "string"})
    pushed = push_captured(notes, outbox.beside(handle.path), settings, as_of, progress)
    states = dict(zip(pushed.notes["note_id"], pushed.notes["state"]))
    status = ["Sent" if states.get(key) == "Pushed" else f"Not sent: the note is {states.get(key, 'not kept')}"
              for key in notes["note_id"]]
    names = {n: level.name for n, level in enumerate(settings.dunning.levels, 1)}
    letters = due.assign(level_name=due["level"].map(names).fillna("").astype("string"),
                         status="Not sent: no longer due today (sent already, paid, promised or in dispute)")
    letters.loc[ready.index, "status"] = status
    return Sent(letters[["customer_id", "level", "level_name", "status"]].reset_index(drop=True), pushed)


def _propose(settings: Settings, as_of: dt.date, progress: Progress) -> tuple[pd.DataFrame, pd.DataFrame]:
    """PROPOSALS and LEFT_OUT from the ERP as of `as_of`: its items, notes (the letters sent among them),
    disputes, payment plans and promises."""
    if settings.source:
        raise ArdeskError("Dunning reads the letters already sent from the ERP's notes, which an export file does "
                          "not hold: give --connect or set [erp] connect in ardesk.toml.")
    found = receivables.read(settings, as_of, progress)
    progress.step("Choosing the letters")
    aged = aging.age(found.items, as_of, settings.aging)
    logged = disputes.log(aged, found.notes, as_of, settings.notes.departments)
    held = disputes.in_dispute(aged, disputes.holding(logged, pd.Series(pd.NA, index=logged.index, dtype="string")))
    planned = plans.latest_plans(aged, found.notes, found.payments, as_of, settings.notes.grace_days)
    return dunning.propose(aged, held, found.notes, found.history, planned,
                           contacts.latest_by_customer(found.notes, as_of), as_of, settings.dunning.levels)
