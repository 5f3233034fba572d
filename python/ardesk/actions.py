"""The AR Desk ribbon's actions: each button's job (ardesk.addin.ribbon.JOBS) run on the workbook it was pressed
in, through the workbook handle (ardesk.handle: the open workbook in Excel, or a file in tests).

Each takes the handle, the settings, the as-of date and a progress callback, and returns the sentence to show
the user ("" when the workbook itself is the answer). The work is ardesk.jobs'; an action releases the workbook
while a job rewrites it and brings the sheet to look at to the front.
"""
import datetime as dt
from collections.abc import Callable

from ardesk import jobs
from ardesk.ar import applications
from ardesk.book.userdata import NOTES_SHEET, RECONCILE_SHEET
from ardesk.erp import odbc
from ardesk.handle import WorkbookHandle
from ardesk.jobs import Step, quiet
from ardesk.settings import SETTINGS_FILE, Settings


def refresh_action(handle: WorkbookHandle, settings: Settings, as_of: dt.date, step: Step = quiet) -> str:
    """AR Desk > Refresh: pull again with the workbook's own settings, keeping what was typed."""
    own = jobs.settings_from_workbook(handle.path, settings)
    with handle.released():
        jobs.refresh(handle.path, own, as_of, step)
    return f"{handle.path.name} is refreshed as of {as_of.isoformat()}."


def settings_action(handle: WorkbookHandle, settings: Settings, as_of: dt.date, step: Step = quiet) -> str:
    """AR Desk > Settings: where this workbook reads from and where its settings live."""
    own = jobs.settings_from_workbook(handle.path, settings)
    source = f"the export file {own.source}" if own.source else f"the ERP ({odbc.describe(own.erp)}, profile " \
             f"{own.erp.profile})"
    return (f"{handle.path.name} reads {source}, aged in {own.base_currency} with buckets "
            f"{', '.join(map(str, own.aging.thresholds))} by {own.aging.basis} date; AR Desk reads its settings "
            f"from {handle.path.parent / SETTINGS_FILE} when there is one.")


def _showing(sheet: str) -> Callable[..., str]:
    def show(handle: WorkbookHandle, settings: Settings, as_of: dt.date, step: Step = quiet) -> str:
        handle.show(sheet)
        return ""
    show.__doc__ = f"AR Desk > {sheet}: the sheet as of the last refresh."
    return show


def hit_lists_action(handle: WorkbookHandle, settings: Settings, as_of: dt.date, step: Step = quiet) -> str:
    """AR Desk > Hit List: the weekly hit list and one per sales rep, written beside the workbook."""
    output = handle.path.with_name(f"{handle.path.stem} hit list.xlsx")
    written = jobs.hit_lists(jobs.settings_from_workbook(handle.path, settings), as_of, output, True, step)
    return f"Wrote {output.name} and {len(written) - 1} hit lists by sales rep beside {handle.path.name}."


def match_credits_action(handle: WorkbookHandle, settings: Settings, as_of: dt.date, step: Step = quiet) -> str:
    """AR Desk > Match Credits: the Reconcile sheets in the workbook, refreshed with today's proposals."""
    with handle.released():
        lines, review = jobs.reconcile(jobs.settings_from_workbook(handle.path, settings), as_of, step, handle.path)
    handle.show(RECONCILE_SHEET)
    ready = int(applications.pre_approved(lines).sum())
    return (f"{len(lines)} lines proposed ({ready} high-confidence applications approved to start with) and "
            f"{len(review)} credits left for review; approve the lines to apply, then press Apply Approved.")


def apply_approved_action(handle: WorkbookHandle, settings: Settings, as_of: dt.date, step: Step = quiet) -> str:
    """AR Desk > Apply Approved: stage the approved lines in the ERP and write the cash receipt import."""
    with handle.released():
        applied, written = jobs.apply_approved(handle.path, settings, as_of, step)
    said = jobs.applied_summary(applied)
    rejected = applied.loc[applied["status"].str.startswith("Rejected"), ["credit_doc", "invoice_doc", "status"]]
    first = next(rejected.itertuples(), None)
    return (said + (f"; the cash receipt import is {written.name}" if written else "")
            + (f"; for example {first.credit_doc} -> {first.invoice_doc}: {first.status}" if first else "") + ".")


def push_notes_action(handle: WorkbookHandle, settings: Settings, as_of: dt.date, step: Step = quiet) -> str:
    """AR Desk > Push Notes: the Notes table to the ERP, each note's status on its row."""
    with handle.released():
        pushed = jobs.push_notes(handle.path, settings, as_of, step)
    handle.show(NOTES_SHEET)
    return (f"{pushed.sent} notes sent, {pushed.found} already in the ERP, {pushed.invalid} to fix (see Status), "
            f"{pushed.queued} still queued" + (f": {pushed.error}" if pushed.error else "."))


def log_note_action(handle: WorkbookHandle, settings: Settings, as_of: dt.date, step: Step = quiet) -> str:
    """AR Desk > Log Note: a new Notes row for the customer (and document) of the selected row, dated now."""
    selected = handle.selected_row()
    customer = str(selected.get("Customer ID") or "").strip()
    document = str(selected.get("Document") or selected.get("Invoice") or "").strip()
    with handle.released():
        jobs.append_note(handle.path, customer, document, settings, as_of, step)
    handle.show(NOTES_SHEET)
    about = f" for {customer}" + (f", {document}" if document else "") if customer else ""
    return f"A new note{about} is the last row of the Notes table: type what was said, then press Push Notes."


ACTIONS: dict[str, Callable[..., str]] = {
    "settings": settings_action,
    "refresh": refresh_action,
    "exceptions": _showing("Exceptions"),
    "credit_hold": _showing("Credit Hold"),
    "worklist": _showing("Worklist"),
    "disputes": _showing("Disputes"),
    "payment_plans": _showing("Payment Plans"),
    "hit_lists": hit_lists_action,
    "match_credits": match_credits_action,
    "push_notes": push_notes_action,
    "log_note": log_note_action,
    "apply_approved": apply_approved_action,
    "meeting": _showing("Past-Due Meeting"),
}
"""Job name (addin.ribbon.JOBS) -> action."""
