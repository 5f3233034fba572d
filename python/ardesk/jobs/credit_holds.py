"""`ardesk credit holds`: the holds and releases approved on the Credit Hold sheet, written to the ERP's customer
credit-hold flag once each and logged as a collection note each (ardesk.erp.holds has the write)."""
import datetime as dt
import getpass
from dataclasses import dataclass

import pandas as pd

from ardesk import receivables
from ardesk.ar import aging, credit, notes as note_rules
from ardesk.book import carry
from ardesk.erp import holds, outbox, writeback
from ardesk.errors import ArdeskError
from ardesk.handle import WorkbookHandle
from ardesk.jobs.notes import push_captured
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings
from ardesk.vocabulary import CREDIT

DONE = {credit.HOLD: "Held", credit.LIFT: "Released"}
EARLIER = {credit.HOLD: "Held by ardesk earlier today", credit.LIFT: "Released by ardesk earlier today"}
ALREADY = {credit.HOLD: "Already on hold", credit.LIFT: "Already released"}


@dataclass(frozen=True)
class HoldsApplied:
    changes: pd.DataFrame
    """customer_id, action (Hold, Release) and status, one row per approval on the sheet: Held, Released, Held
    (Released) by ardesk earlier today, Already on hold, Already released, or Refused: why."""
    pushed: writeback.PushResult | None
    """The notes that log the changes (None when nothing changed)."""


def apply_holds(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET
                ) -> HoldsApplied:
    """Each hold or release approved on the workbook's Credit Hold sheet (Approve Hold: Yes), checked against
    today's recommendation, set in the ERP with today's date and ardesk as the source, and logged as a note
    through the outbox beside the workbook: once each, however often it runs and whoever runs it at the same time.
    A hold is set today: a run as of another day is refused."""
    if as_of != dt.date.today():
        raise ArdeskError(f"Credit holds are set today, not as of {as_of}: leave --as-of out.")
    if settings.source:
        raise ArdeskError("Credit holds are set in the ERP, not in an export file: give --connect or set [erp] "
                          "connect in ardesk.toml.")
    progress.step(f"Reading the approvals in {handle.path.name}")
    approved = carry.read_holds(handle.path)
    if approved.empty:
        return HoldsApplied(approved[["customer_id"]].assign(action="", status="").astype("string"), None)
    found = receivables.read(settings, as_of, progress)
    today = credit.credit_hold(aging.age(found.items, as_of, settings.aging), found.customers, as_of,
                               settings.reports)
    checked = credit.approved_changes(approved, today)
    go = checked[(checked["refusal"] == "").to_numpy()]
    progress.step("Setting the credit holds in the ERP")
    outcomes = holds.set_holds(settings.erp, go.assign(hold=(go["action"] == credit.HOLD).to_numpy()), as_of)
    status = ("Refused: " + checked["refusal"]).astype("string")
    said = {holds.CHANGED: DONE, holds.EARLIER: EARLIER, holds.ALREADY: ALREADY}
    status[go.index] = [said[outcome][action] if outcome in said else f"Refused: {outcome}"
                        for action, outcome in zip(go["action"], outcomes)]
    made = go[outcomes.isin([holds.CHANGED, holds.EARLIER]).to_numpy()]
    pushed = _log(made, approved.loc[made.index, "comment"], today, settings, as_of, handle, progress) \
        if len(made) else None
    return HoldsApplied(checked[["customer_id", "action"]].assign(status=status), pushed)


def _log(made: pd.DataFrame, comments: pd.Series, today: pd.DataFrame, settings: Settings, as_of: dt.date,
         handle: WorkbookHandle, progress: Progress) -> writeback.PushResult:
    """A note per change made, under the ID every run making it today gives it, so the ERP records it once; dated
    the day of the change, so that runs at the same moment capture the same note. One the outbox beside the
    workbook holds already (a run killed after capturing it) is not captured again: the push sends it."""
    author = getpass.getuser()
    reasons = today.drop_duplicates("customer_id").set_index("customer_id")["reasons"]
    keys = [credit.hold_note_id(settings.erp.company, c, action, as_of)
            for c, action in zip(made["customer_id"], made["action"])]
    box_path = outbox.beside(handle.path)
    with outbox.open(box_path) as box:
        kept = set(box.notes(keys)["note_id"])
    new = [key not in kept for key in keys]
    notes = note_rules.logged(
        [key for key, fresh in zip(keys, new) if fresh], made["customer_id"][new].tolist(),
        [credit.hold_note_text(action, reasons.get(c, ""), author, comment)
         for c, action, comment in zip(made["customer_id"][new], made["action"][new], comments[new])],
        written=pd.Timestamp(as_of), contact_type=CREDIT, author=author, source="Credit Hold")
    return push_captured(notes, box_path, settings, as_of, progress)
