"""Returned-payment notices (`ardesk returns notices`): a letter for each payment returned unpaid whose invoices
still owe something and whose notice neither the ERP nor the outbox beside the workbook holds, written with an e-mail draft into a folder beside
the workbook, then each logged as a Letter note in the ERP through the notes outbox, once (ardesk.ar.returns).

One straight line, as a dunning send: the template and the e-mail's wording checked before anything is read; the
returns read from the ERP with the aging of the day; the notices written (ardesk.letters.batch: all or none); only
then their notes logged, each under the note ID of its return, so that a second run, or two at once, logs it once
and the next run no longer proposes it."""
import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ardesk import receivables
from ardesk.ar import aging, notes as note_rules, reach, returns
from ardesk.ar.dunning import LETTER
from ardesk.book.sharing import file_name_part
from ardesk.erp import outbox, writeback
from ardesk.errors import ArdeskError
from ardesk.handle import WorkbookHandle
from ardesk.jobs.notes import push_captured
from ardesk.letters import batch
from ardesk.letters.returned import FIELDS, context
from ardesk.letters.template import location
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


@dataclass(frozen=True)
class Noticed:
    letters: pd.DataFrame
    """One row per notice due: customer_id, receipt, files (in `folder`), draft (its .eml, "" for none), mail
    (ardesk.letters.batch's status), status ("Sent", "Not sent: why")."""
    pushed: writeback.PushResult | None  # the push of their notes; None when no notice was due
    folder: Path | None  # where the notices are; None when none was due


def notices(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
            kept: str = "pdf") -> Noticed:
    """`ardesk returns notices`: see the module. The notices go in `<workbook stem> returned payments <as of>`
    beside the handle's workbook (which need not exist) as `kept` (pdf, docx or both); the outbox is beside it."""
    if settings.source:
        raise ArdeskError("Returned payments are read from the ERP's receipts, which an export file does not hold: "
                          "give --connect or set [erp] connect in ardesk.toml.")
    mail = batch.Mail(settings.letters.sender, settings.returns.subject, settings.returns.body, "[returns]")
    template = location(settings.letters.templates, settings.returns.template)
    batch.check_all(template, FIELDS, mail)
    found = receivables.read(settings, as_of, progress)
    aged = aging.age(found.items, as_of, settings.aging)
    history = returns.history(found.returned, aged, as_of, settings.returns, settings.erp.company)
    with outbox.open(outbox.beside(handle.path)) as box:  # kept here, though perhaps not in the ERP yet
        logged = (set(found.notes["note_id"]) | set(box.status()["note_id"])) - {""}
    due = history[(history["open_cents"] > 0).to_numpy() & ~history["note_id"].isin(logged).to_numpy()]
    if due.empty:
        return Noticed(pd.DataFrame(columns=["customer_id", "receipt", "files", "draft", "mail", "status"]), None, None)
    folder = handle.path.with_name(f"{handle.path.stem} returned payments {as_of.isoformat()}")
    letters = _letters(due, aged, found.contacts, settings, as_of)
    written = batch.write(letters, template, FIELDS, folder, kept, mail, progress).letters
    notes = note_rules.logged(
        due["note_id"].tolist(), due["customer_id"].tolist(), [returns.notice_text(row) for row in due.itertuples()],
        written=pd.Timestamp(dt.datetime.now().replace(microsecond=0)), contact_type=LETTER,
        author=getpass.getuser(), source="Returns")
    pushed = push_captured(notes, outbox.beside(handle.path), settings, as_of, progress)
    states = dict(zip(pushed.notes["note_id"], pushed.notes["state"]))
    status = ["Sent" if states.get(key) == "Pushed" else f"Not sent: the note is {states.get(key, 'not kept')}"
              for key in notes["note_id"]]
    rows = pd.DataFrame({"customer_id": due["customer_id"].to_numpy(), "receipt": due["receipt"].to_numpy(),
                         "files": written["files"].to_numpy(), "draft": written["draft"].to_numpy(),
                         "mail": written["status"].to_numpy(), "status": status})
    return Noticed(rows, pushed, folder)


def _letters(due: pd.DataFrame, aged: pd.DataFrame, contacts: pd.DataFrame, settings: Settings,
             as_of: dt.date) -> list[batch.Letter]:
    """A notice per return of `due` (RETURN_HISTORY rows), named for its customer and receipt."""
    people = reach.checked(contacts).drop_duplicates("customer_id")
    people = dict(zip(people["customer_id"], people.to_dict("records")))
    open_items = aged.sort_values(["due_date", "doc_no"], kind="stable")
    letters = []
    for row in due.to_dict("records"):
        paid = row["invoices"].split(", ")
        items = open_items[(open_items["customer_id"] == row["customer_id"]).to_numpy()
                           & np.isin(open_items["doc_no"].to_numpy(str), paid)]
        contact = people.get(row["customer_id"], {})
        letters.append(batch.Letter(
            name=file_name_part(f"{row['customer_id']} receipt {row['receipt']}", "notice"),
            customer_id=row["customer_id"], customer_name=contact.get("customer_name") or row["customer_name"],
            email=contact.get("email", ""), email_check=contact.get("email_check", reach.NO_EMAIL),
            context=context(row, items, settings.returns.months, contact, settings.letters.remit_to,
                            settings.base_currency, as_of)))
    return letters
