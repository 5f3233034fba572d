"""Statements of account: `ardesk statements` and AR Desk > Statements (on the Worklist rows selected).

One straight line: the template and the e-mail's wording checked (and the mail password found, to send) before
anything is read or written; the open items and contacts read; the items aged; the customers chosen; one
statement each (ardesk.ar.statements); the letters, PDFs and drafts written as one batch (ardesk.letters.batch);
with `send`, the drafts handed to the mail server, each letter's outcome on its row.
"""
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ardesk import receivables
from ardesk.ar import aging, reach, statements as accounts
from ardesk.book.sharing import file_name_part
from ardesk.errors import ArdeskError
from ardesk.handle import WorkbookHandle
from ardesk.letters import smtp
from ardesk.letters.batch import Letter, Mail, check_all, write
from ardesk.letters.statement import FIELDS, context
from ardesk.letters.template import location
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


@dataclass(frozen=True)
class Statements:
    folder: Path
    letters: pd.DataFrame
    """ardesk.letters.batch.WRITTEN: one row per statement, with its files, draft and status."""
    left_out: pd.DataFrame
    """customer_id, reason: the customers who got no statement."""
    sent: bool
    """The drafts were handed to the mail server (each row's status says how that went)."""


def statements(handle: WorkbookHandle | None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
               customers: tuple[str, ...] | None = None, output: Path | None = None, kept: str = "pdf",
               send: bool = False) -> Statements:
    """A statement of account for each of `customers` (None: every customer with open items that takes
    statements) in `output` (default ./statements-<as of>), as `kept` (pdf, docx or both), each with an e-mail
    draft; with `send`, the e-mails sent through [smtp]."""
    letters = settings.letters
    template = location(letters.templates, letters.statement_template)
    mail = Mail(letters.sender, letters.statement_subject, letters.statement_body, "[letters] statement")
    check_all(template, FIELDS, mail)
    secret = smtp.before_sending(settings) if send else None
    items, contacts = receivables.addressed(settings, as_of, progress)
    progress.step("Aging")
    aged = aging.age(items, as_of, settings.aging)
    if customers is not None:
        _refuse_unknown(customers, aged, contacts)
    chosen, left_out = accounts.chosen(aged, contacts, customers)
    made = accounts.statements(aged, chosen)
    people = reach.checked(contacts).drop_duplicates("customer_id")
    people = dict(zip(people["customer_id"], people.to_dict("records")))
    letters_of = pd.Series([s.customer_id for s in made]).value_counts()
    batch = write([_letter(s, people, letters.remit_to, as_of, letters_of[s.customer_id] > 1) for s in made],
                  template, FIELDS, (output or Path(f"statements-{as_of.isoformat()}")).resolve(), kept, mail,
                  progress)
    if not send:
        return Statements(batch.folder, batch.letters, left_out, sent=False)
    progress.step(f"Sending {len(batch.drafts):,} e-mails through {settings.smtp.host}")
    status = smtp.deliver(batch.letters, batch.drafts, settings.smtp, secret)
    return Statements(batch.folder, batch.letters.assign(status=status), left_out, sent=True)


def for_selection(handle: WorkbookHandle, settings: Settings, as_of: dt.date,
                  progress: Progress = QUIET) -> Statements:
    """AR Desk > Statements: statements (PDF and draft) for the customers of the rows selected on the Worklist,
    in a folder beside the workbook; a customer named this way gets one even if the ERP says it takes none."""
    named = (str(row.get("Customer ID") or "").strip() for row in handle.selected_rows())
    chosen = tuple(dict.fromkeys(customer for customer in named if customer))
    if not chosen:
        raise ArdeskError("No customer is selected: select the Worklist rows of the customers to send statements to, "
                          "then press Statements.")
    folder = handle.path.with_name(f"{handle.path.stem} statements {as_of.isoformat()}")
    return statements(handle, settings, as_of, progress, customers=chosen, output=folder, kept="pdf")


def _refuse_unknown(named: tuple[str, ...], aged: pd.DataFrame, contacts: pd.DataFrame) -> None:
    known = set(aged["customer_id"]) | set(contacts["customer_id"])
    unknown = [c for c in named if c not in known]
    if unknown:
        raise ArdeskError(f"There is no customer {unknown[0]} in the ERP: check the customer ID (like "
                          f"{min(known, default='C000001')}); nothing was written.")


def _letter(statement: accounts.Statement, people: dict[str, dict], remit_to: tuple[str, ...], as_of: dt.date,
            by_currency: bool) -> Letter:
    contact = people.get(statement.customer_id, {})
    stem = file_name_part(statement.customer_id, "customer")
    return Letter(
        name=f"{stem}-{statement.currency}" if by_currency else stem,
        customer_id=statement.customer_id,
        customer_name=contact.get("customer_name") or statement.customer_name,
        email=contact.get("email", ""),
        email_check=contact.get("email_check", reach.NO_EMAIL),
        context=context(statement, contact, remit_to, as_of),
    )
