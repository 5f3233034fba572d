"""Dunning letters: who gets which level today (`ardesk dunning --preview`: the Dunning workbook, with an Approve
column) and the approved letters sent (`--send`), each logged as a collection note in the ERP through the
notes outbox, once (ardesk.ar.dunning has the rules).

A send is one straight line: every level's template and the e-mail's wording checked (and, to e-mail, the mail
password found) before anything is read or written; the letters due read again from the ERP; the approved ones
still due written (each level with its own Word template, as PDF and/or .docx, with an e-mail draft to the
customer's AR contact) into a folder beside the Dunning workbook; with `email`, the drafts handed to the mail
server; only then the notes logged of the letters that went. A letter that could not be written, or that the
mail server refused or never took, logs no note, so the next send tries it again.

Sends of one Dunning workbook take turns (a lock file beside it), and each reads what is due only once it has its
turn: a second send started at once (a double click) finds the first one's letters logged and e-mails none of them
again. A letter whose note is still waiting in the outbox for the ERP counts as sent.
"""
import datetime as dt
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filelock
import pandas as pd

from ardesk import book, receivables
from ardesk.ar import aging, contacts, disputes, dunning, notes as note_rules, plans, reach
from ardesk.book import carry
from ardesk.book.sharing import file_name_part
from ardesk.erp import outbox, writeback
from ardesk.errors import ArdeskError
from ardesk.handle import WorkbookHandle
from ardesk.jobs.notes import push_captured
from ardesk.letters import batch, smtp
from ardesk.letters.dunning import FIELDS, context
from ardesk.letters.template import location
from ardesk.progress import QUIET, Progress
from ardesk.settings import DunningLevel, Settings


NOT_DUE = "Not sent: no letter due today (sent already, paid, promised, in dispute or not late enough)"
"""What a wanted letter that is not proposed today says."""
WAITING = "Sent before: its note waits in the outbox for the ERP (ardesk notes outbox)"
"""What a wanted letter says whose note an earlier send kept in the outbox: it went, and is not sent again."""
TURN_SECONDS = 600
"""How long a send waits for another send of the same Dunning workbook to finish."""


@dataclass(frozen=True)
class Proposed:
    path: Path  # the Dunning workbook
    proposals: pd.DataFrame  # ardesk.ar.dunning.PROPOSALS
    left_out: pd.DataFrame  # LEFT_OUT


@dataclass(frozen=True)
class Sent:
    letters: pd.DataFrame
    """The approved letters: customer_id, level, level_name, files (the letter's files in `folder`, "" for none
    written), draft (its .eml, "" for none), mail (ardesk.letters.batch's status: "Draft" or "No draft: why";
    e-mailed, ardesk.letters.smtp's outcome), status ("Sent" once its note is in the ERP, else why not)."""
    pushed: writeback.PushResult  # the push of their notes
    folder: Path | None = None  # where the letters are; None when none was still due


@dataclass(frozen=True)
class _Read:
    proposals: pd.DataFrame  # PROPOSALS
    left_out: pd.DataFrame  # LEFT_OUT
    dunned: pd.DataFrame  # the AGED rows the letters dunn, oldest first
    contacts: pd.DataFrame  # CONTACTS


def preview(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET) -> Proposed:
    """`ardesk dunning --preview`: the letters due today and the customers left out, written to the Dunning
    workbook at the handle's path; an Approve typed there for a letter still proposed is kept."""
    read = _propose(settings, as_of, progress)
    proposals, left_out = read.proposals, read.left_out
    typed = carry.read_dunning(handle.path)
    said = proposals[["customer_id", "level"]].merge(typed, on=["customer_id", "level"], how="left")["approve"]
    approvals = pd.DataFrame({"Approve": said.map({True: "Yes", False: "No"}).astype(object)})
    progress.step("Writing the Dunning workbook")
    with handle.released():
        path = book.write_dunning(handle.path, proposals, left_out, approvals, as_of,
                                  base_currency=settings.base_currency)
    return Proposed(path, proposals, left_out)


def send(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
         author: str | None = None, kept: str = "pdf", email: bool = False) -> Sent:
    """`ardesk dunning --send`: the letters approved on the Dunning workbook's sheet that are still due today
    (someone else may have sent one since the preview, or the customer paid) written as `kept` (pdf, docx or
    both) with an e-mail draft each in `<workbook stem> letters <as of>` beside the workbook, with `email` the
    drafts sent through [smtp], then each letter that went logged as a Letter note in the ERP with an ID of its own
    per customer, level and cycle, so that sending twice logs it once. Letters go out today: a send as of another
    day is refused."""
    _refuse_back_dated(as_of)
    sending = _sending(settings, email)
    approved = carry.read_dunning(handle.path)
    approved = approved[approved["approve"].to_numpy(bool)]
    if approved.empty:
        raise ArdeskError(f"No letter is approved on the Dunning sheet of {handle.path.name}: type Yes in its Approve "
                          "column for the letters to send, save, and send again.")
    with _turn(handle.path):
        read = _propose(settings, as_of, progress)
        return _send(approved[["customer_id", "level"]], read, sending, handle, settings, as_of, progress, author,
                     kept)


def for_selection(handle: WorkbookHandle, settings: Settings, as_of: dt.date,
                  progress: Progress = QUIET) -> Sent:
    """AR Desk > Dunning: for each customer of the Worklist rows selected, the letter it is due today, written (PDF
    and e-mail draft) beside the workbook and logged as a send of that letter approved would be; a customer due no
    letter today is said so."""
    _refuse_back_dated(as_of)
    named = (str(row.get("Customer ID") or "").strip() for row in handle.selected_rows())
    chosen = list(dict.fromkeys(customer for customer in named if customer))
    if not chosen:
        raise ArdeskError("No customer is selected: select the Worklist rows of the customers to send dunning "
                          "letters to, then press Dunning.")
    sending = _sending(settings, email=False)
    with _turn(handle.path):
        read = _propose(settings, as_of, progress)
        due = read.proposals.set_index("customer_id")["level"]
        wanted = pd.DataFrame({"customer_id": chosen, "level": [int(due.get(c, 0)) for c in chosen]})
        return _send(wanted, read, sending, handle, settings, as_of, progress, None, "pdf")


def _refuse_back_dated(as_of: dt.date) -> None:
    if as_of != dt.date.today():
        raise ArdeskError(f"Letters go out today, not as of {as_of}: leave --as-of out to send (it is for "
                          "--preview).")


@contextmanager
def _turn(workbook: Path) -> Iterator[None]:
    """This send's turn among the sends of `workbook`'s letters (see the module)."""
    lock = filelock.FileLock(workbook.with_name(f"{workbook.stem}.ardesk-send.lock"))
    try:
        lock.acquire(timeout=TURN_SECONDS)
    except filelock.Timeout:
        raise ArdeskError(f"Another send of the letters of {workbook.name} has been running for "
                          f"{TURN_SECONDS // 60} minutes: let it finish, then send again; nothing was "
                          "written.") from None
    try:
        yield
    finally:
        lock.release()


@dataclass(frozen=True)
class _Sending:
    templates: dict[int, Path]
    """Level -> its Word template."""
    mail: batch.Mail
    """The e-mail that carries every letter."""
    email: bool
    """The drafts go to the mail server, and only the letters it accepts are logged."""
    secret: str | None = None
    """The mail password, when e-mailing with a login."""


def _send(wanted: pd.DataFrame, read: "_Read", sending: _Sending, handle: WorkbookHandle, settings: Settings,
          as_of: dt.date, progress: Progress, author: str | None, kept: str) -> Sent:
    """The letters of `wanted` (customer_id, level) still proposed in `read` (and not already waiting in the outbox)
    written into the letters folder beside the handle's workbook, e-mailed when `sending` says so, then those that
    went logged as notes through the outbox beside it; each wanted letter with its outcome."""
    due = wanted.merge(read.proposals, on=["customer_id", "level"], how="left", indicator=True)
    proposed = due[(due["_merge"] == "both").to_numpy()].astype({"level": "int64"})
    keys = pd.Series([dunning.letter_note_id(settings.erp.company, c, level, start.date()) for c, level, start in
                      zip(proposed["customer_id"], proposed["level"], proposed["cycle_start"])], index=proposed.index,
                     dtype="string")
    box = outbox.beside(handle.path)
    waiting = keys.isin(_kept(box, keys))
    ready = proposed[~waiting.to_numpy()]
    folder = handle.path.with_name(f"{handle.path.stem} letters {as_of.isoformat()}") if len(ready) else None
    written, drafts = (_write(ready, read, sending, settings, folder, kept, as_of, progress) if len(ready)
                       else (None, {}))
    mail = None if written is None else written["status"]
    if sending.email and written is not None:
        progress.step(f"Sending {len(drafts):,} e-mails through {settings.smtp.host}")
        mail = smtp.deliver(written, drafts, settings.smtp, sending.secret)
    went = ready if not sending.email or mail is None else ready[(mail == smtp.SENT).to_numpy()]
    now = pd.Timestamp(dt.datetime.now().replace(microsecond=0))
    notes = note_rules.logged(
        keys[went.index].tolist(), went["customer_id"].tolist(),
        [dunning.letter_text(level, name, past, owed) for level, name, past, owed in
         zip(went["level"], went["level_name"], went["past_due_cents"], went["dunning_cents"])],
        written=now, contact_type=dunning.LETTER, author=author or getpass.getuser(), source="Dunning")
    pushed = push_captured(notes, box, settings, as_of, progress)
    states = dict(zip(pushed.notes["note_id"], pushed.notes["state"]))
    names = {n: level.name for n, level in enumerate(settings.dunning.levels, 1)}
    letters = due.assign(level_name=due["level"].map(names).fillna("").astype("string"), files="", draft="",
                         mail="", status=NOT_DUE)
    letters.loc[waiting[waiting].index, "status"] = WAITING
    for at, key in keys[ready.index].items():
        letters.loc[at, "status"] = _status(states.get(key), None if mail is None or not sending.email else mail[at])
    if written is not None:
        letters.loc[ready.index, ["files", "draft", "mail"]] = written[["files", "draft"]].assign(
            mail=mail).to_numpy()
    return Sent(letters[["customer_id", "level", "level_name", "files", "draft", "mail", "status"]].astype(
        {"files": "string", "draft": "string", "mail": "string"}).reset_index(drop=True), pushed, folder)


def _status(state: str | None, mailed: str | None) -> str:
    """A letter written: "Sent" once its note is in the ERP; else why not (the mail server's answer when it was
    e-mailed and not accepted, or where its note stands)."""
    if mailed is not None and mailed != smtp.SENT:
        return f"Not sent: {mailed.removeprefix(smtp.NOT_SENT)} (not logged: a later send tries it again)"
    if state == "Pushed":
        return "Sent"
    return f"{'E-mailed, but' if mailed else 'Not sent:'} the note is {state or 'not kept'}"


def _kept(box: Path, keys: pd.Series) -> set[str]:
    """The keys among `keys` of letters an earlier send logged in the outbox `box` (pushed or still waiting for the
    ERP; not the discarded)."""
    if keys.empty or not box.exists():
        return set()
    with outbox.open(box) as kept:
        found = kept.status(list(kept.notes(keys.tolist())["note_id"]))
    return set(found.loc[found["state"] != "Discarded", "note_id"])


def _sending(settings: Settings, email: bool) -> _Sending:
    """Level -> its Word template, and the e-mail that carries every letter, each checked (and the mail password
    found, to e-mail): a template that is missing or names a field a dunning letter does not have stops the send
    before anything is read or written."""
    letters = settings.letters
    mail = batch.Mail(letters.sender, letters.dunning_subject, letters.dunning_body, "[letters] dunning")
    found = {}
    for n, level in enumerate(settings.dunning.levels, 1):
        if not level.template:
            raise ArdeskError(f"[dunning] level {n} ({level.name}) names no template: give it template = "
                              "\"reminder.docx\" (a Word template in [letters] templates); nothing was written.")
        found[n] = location(letters.templates, level.template)
        batch.check_all(found[n], FIELDS, mail)
    return _Sending(found, mail, email, smtp.before_sending(settings) if email else None)


def _write(ready: pd.DataFrame, read: _Read, sending: _Sending, settings: Settings, folder: Path, kept: str,
           as_of: dt.date, progress: Progress) -> tuple[pd.DataFrame, dict]:
    """The letters of `ready` (PROPOSALS rows) written into `folder`, a batch per level with its template:
    ardesk.letters.batch.WRITTEN in `ready`'s order, and the e-mail drafts by letter name. When a level's batch
    fails, the letters of the levels written before it are taken away again, so that no letter is left without its
    note, and a file that could not be written is said in one sentence."""
    people = reach.checked(read.contacts).drop_duplicates("customer_id")
    people = dict(zip(people["customer_id"], people.to_dict("records")))
    items = read.dunned.groupby("customer_id", sort=False).indices
    levels = settings.dunning.levels
    rows, made, drafts = [], [], {}
    try:
        for n, proposals in ready.groupby("level", sort=True):
            letters = [_letter(proposal, read.dunned.iloc[items[proposal["customer_id"]]], levels, people,
                               settings, as_of) for proposal in proposals.to_dict("records")]
            done = batch.write(letters, sending.templates[n], FIELDS, folder, kept, sending.mail, progress)
            written = done.letters
            made += [name for files in written["files"] for name in files.split(", ")]
            made += [name for name in written["draft"] if name]
            rows.append(written.set_axis(proposals.index))
            drafts |= done.drafts
    except BaseException as problem:
        for name in made:
            (folder / name).unlink(missing_ok=True)
        if isinstance(problem, OSError):
            raise ArdeskError(f"The letters could not be written into {folder} ({problem.strerror or problem}): "
                              "make room or free the folder and send again; no letter was logged as sent.") from None
        raise
    return pd.concat(rows).loc[ready.index], drafts


def _letter(proposal: dict, items: pd.DataFrame, levels: tuple[DunningLevel, ...], people: dict[str, dict],
            settings: Settings, as_of: dt.date) -> batch.Letter:
    contact = people.get(proposal["customer_id"], {})
    last = proposal["last_level"]
    return batch.Letter(
        name=file_name_part(proposal["customer_id"], "customer"),
        customer_id=proposal["customer_id"],
        customer_name=contact.get("customer_name") or proposal["customer_name"],
        email=contact.get("email", ""),
        email_check=contact.get("email_check", reach.NO_EMAIL),
        context=context(proposal, items, levels[proposal["level"] - 1],
                        "" if pd.isna(last) else levels[int(last) - 1].name, contact, settings.letters.remit_to,
                        settings.base_currency, as_of),
    )


def _propose(settings: Settings, as_of: dt.date, progress: Progress) -> _Read:
    """PROPOSALS and LEFT_OUT from the ERP as of `as_of` (its items, notes (the letters sent among them),
    disputes, payment plans and promises), with the items dunned and the customers' contacts."""
    if settings.source:
        raise ArdeskError("Dunning reads the letters already sent from the ERP's notes, which an export file does "
                          "not hold: give --connect or set [erp] connect in ardesk.toml.")
    found = receivables.read(settings, as_of, progress)
    progress.step("Choosing the letters")
    aged = aging.age(found.items, as_of, settings.aging)
    logged = disputes.log(aged, found.notes, as_of, settings.notes.departments)
    held = disputes.in_dispute(aged, disputes.holding(logged, pd.Series(pd.NA, index=logged.index, dtype="string")))
    planned = plans.latest_plans(aged, found.notes, found.payments, as_of, settings.notes.grace_days)
    proposals, left_out = dunning.propose(aged, held, found.notes, found.history, planned,
                                          contacts.latest_by_customer(found.notes, as_of), as_of,
                                          settings.dunning.levels)
    dunned = aged[dunning.dunned(aged, held)].sort_values(["customer_id", "due_date", "doc_no"], kind="stable")
    return _Read(proposals, left_out, dunned, found.contacts)
