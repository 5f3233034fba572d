"""The AR Desk ribbon's table: each button of xladdin/customUI14.xml -> the job it runs, the sheet it brings to
the front, and the sentence it says. No xlwings here: tests press the buttons on a workbook file.

Excel and people's Quick Access Toolbars remember a button by its id, so ids stay fixed while jobs follow the
code. The jobs are ardesk.jobs'; the settings are resolved once by the dispatcher (ardesk.excel.ribbon).
"""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ardesk.ar.applications import pre_approved
from ardesk.book.settings_sheet import read_config
from ardesk.erp.odbc import describe
from ardesk.errors import ArdeskError
from ardesk.handle import WorkbookHandle
from ardesk.jobs import close, dunning, notes_table, reconcile, statements, workbook
from ardesk.progress import QUIET, Progress
from ardesk.settings import SETTINGS_FILE

ENTRY_POINT = "ardesk.excel.ribbon.run"
"""What the VBA dispatcher (xladdin/ardesk.bas) runs through RunPython, with the pressed button's id."""


def _nothing(handle, result) -> str:
    return ""


def _refreshed(handle, path) -> str:
    return f"{handle.path.name} is refreshed as of {read_config(path)['as_of']}."


def _settings(handle, settings) -> str:
    source = (f"the export file {settings.source}" if settings.source else
              f"the ERP ({describe(settings.erp)}, profile {settings.erp.profile})")
    return (f"{handle.path.name} reads {source}, aged in {settings.base_currency} with buckets "
            f"{', '.join(map(str, settings.aging.thresholds))} by {settings.aging.basis} date; AR Desk reads its "
            f"settings from {handle.path.parent / SETTINGS_FILE} when there is one.")


def _hit_lists(handle, written) -> str:
    return f"Wrote {written[0].name} and {len(written) - 1} hit lists by sales rep beside {handle.path.name}."


def _matched(handle, result) -> str:
    ready = int(pre_approved(result.lines).sum())
    return (f"{len(result.lines)} lines proposed ({ready} high-confidence applications approved to start with) and "
            f"{len(result.review)} credits left for review; approve the lines to apply, then press Apply Approved.")


def _applied(handle, result) -> str:
    lines = result.lines
    rejected = lines.loc[lines["status"].str.startswith("Rejected"), ["credit_doc", "invoice_doc", "status"]]
    first = next(rejected.itertuples(), None)
    return (result.summary() + (f"; the cash receipt import is {result.written.name}" if result.written else "")
            + (f"; for example {first.credit_doc} -> {first.invoice_doc}: {first.status}" if first else "") + ".")


def _pushed(handle, pushed) -> str:
    return (f"{pushed.sent} notes sent, {pushed.found} already in the ERP, {pushed.invalid} to fix (see Status), "
            f"{pushed.queued} still queued" + (f": {pushed.error}" if pushed.error else "."))


def _logged(handle, logged) -> str:
    about = f" for {logged.customer}" + (f", {logged.document}" if logged.document else "") if logged.customer else ""
    return f"A new note{about} is the last row of the Notes table: type what was said, then press Push Notes."


def _closed(handle, closed) -> str:
    tie = ("not tied to the general ledger (set [close] ar_accounts in ardesk.toml)" if closed.tie is None else
           f"tied to the general ledger with {closed.tie.residual_cents / 100:,.2f} unexplained")
    return f"Wrote {closed.path.name} beside {handle.path.name}: the month rolled forward, {tie}."


def _statements(handle, done) -> str:
    letters = done.letters
    drafts = int((letters["draft"] != "").sum())
    without = letters.loc[letters["draft"] == "", "customer_id"].tolist()
    missing = (f"; no draft for {', '.join(without)}: see Email Check on the Worklist" if without else "")
    skipped = (f"; no statement for {', '.join(done.left_out['customer_id'])} (nothing open)" if len(done.left_out)
               else "")
    return (f"Wrote {len(letters)} statements and {drafts} e-mail drafts to open and send in {done.folder.name} beside "
            f"{handle.path.name}{missing}{skipped}.")


def _dunning(handle, done) -> str:
    letters = done.letters
    sent = letters[letters["status"] == "Sent"]
    drafts = int((sent["draft"] != "").sum())
    none = letters.loc[letters["status"] != "Sent", "customer_id"].tolist()
    where = f" in {done.folder.name} beside {handle.path.name}" if done.folder else ""
    return (f"Wrote and logged {len(sent)} dunning letter{'s' * (len(sent) != 1)} and {drafts} e-mail draft"
            f"{'s' * (drafts != 1)}{where}" + (f"; no letter today for {', '.join(none)}: ardesk dunning --preview "
                                               "says why" if none else "") + ".")


def _statement_drafts(done) -> list[str]:
    return [name for name in done.letters["draft"] if name]


def _dunning_drafts(done) -> list[str]:
    letters = done.letters
    return letters.loc[(letters["status"] == "Sent") & (letters["draft"] != ""), "draft"].tolist()


@dataclass(frozen=True)
class Button:
    job: Callable | None = None
    """The job it runs on the workbook (None: it only shows a sheet)."""
    said: Callable[[WorkbookHandle, object], str] = _nothing
    """(handle, the job's result) -> the sentence shown; "" shows none (the sheet is the answer)."""
    show: str | None = None
    """The sheet brought to the front afterwards."""
    params: dict = field(default_factory=dict)
    drafts: Callable[[object], list[str]] | None = None
    """The job's result -> the e-mail drafts it wrote (file names in its folder), which the live front door may
    also put in Outlook (ardesk.excel.outlook)."""


BUTTONS: dict[str, Button] = {
    # ERP
    "settings": Button(workbook.settings_in_use, _settings),
    "refresh": Button(workbook.refresh, _refreshed),
    # Collect
    "worklist": Button(show="Worklist"),
    "log_note": Button(notes_table.log_note, _logged, show="Notes"),
    "push_notes": Button(notes_table.push_notes, _pushed, show="Notes"),
    "statements": Button(statements.for_selection, _statements, drafts=_statement_drafts),
    "dunning": Button(dunning.for_selection, _dunning, drafts=_dunning_drafts),
    "disputes": Button(show="Disputes"),
    "payment_plans": Button(show="Payment Plans"),
    # Reconcile
    "match_credits": Button(reconcile.reconcile, _matched, show="Reconcile"),
    "apply_approved": Button(reconcile.apply_approved, _applied),
    # Reports
    "exceptions": Button(show="Exceptions"),
    "credit_hold": Button(show="Credit Hold"),
    "hit_list": Button(workbook.hit_lists, _hit_lists),
    "meeting": Button(show="Past-Due Meeting"),
    # Month-End
    "close_month": Button(close.close_last_month, _closed),
}
"""Control id (xladdin/customUI14.xml) -> what the button does."""


def press(control_id: str, handle: WorkbookHandle, settings, as_of: dt.date, progress: Progress = QUIET,
          outlook: Callable[[Path, list[str]], int] | None = None) -> str:
    """Run the button `control_id` on the workbook: its job, then its sheet to the front; returns its sentence.
    `outlook` (live Excel on Windows: ardesk.excel.outlook.drafter) also puts the e-mail drafts the job wrote in
    Outlook; without it they are the .eml files beside the letters."""
    try:
        button = BUTTONS[control_id]
    except KeyError:
        raise ArdeskError(f"This AR Desk add-in has a button {control_id!r} that ardesk does not know: install the "
                          "add-in again with ardesk addin install.") from None
    result = button.job(handle, settings, as_of, progress, **button.params) if button.job else None
    if button.show:
        handle.show(button.show)
    said = button.said(handle, result)
    drafts = button.drafts(result) if outlook is not None and button.drafts is not None else []
    made = outlook(result.folder, drafts) if drafts else 0
    if made:
        said += f" The {made} e-mail draft{'s are' if made != 1 else ' is'} also in Outlook's Drafts folder."
    return said
