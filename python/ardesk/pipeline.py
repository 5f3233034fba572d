"""The aging workbook's pipeline, shared by every job that builds or rewrites one: read (ardesk.receivables)
-> compose the reports (ardesk.reports) -> write the file atomically -> keep its snapshot beside it.

A workbook already at the path is rewritten as a refresh does it: refused while someone has it open in Excel,
backed up first, what people typed carried over to the new rows; a file there that is not an ardesk workbook is
refused, never overwritten. A read that finds nothing open where the workbook showed open items is refused
before the backup, so a wrong company cannot send everything typed to the Archive.
"""
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from ardesk import __version__, book, receivables, snapshot
from ardesk.ar import exception_report
from ardesk.book import carry
from ardesk.book.userdata import Typed
from ardesk.erp import odbc, outbox, writeback
from ardesk.erp.fetch import Receivables
from ardesk.errors import ArdeskError
from ardesk.progress import QUIET, Progress
from ardesk.reports import contents
from ardesk.settings import Settings


@dataclass(frozen=True)
class Built:
    """A workbook written: where, and what it shows."""

    path: Path
    shown: book.Contents


def build(output: Path, settings: Settings, as_of: dt.date, progress: Progress = QUIET,
          reconcile: bool = False) -> Built:
    """The aging workbook at `output`: written new, or rewritten as a refresh when an ardesk workbook is there.
    With `reconcile`, with the Reconcile sheets, which every later refresh keeps."""
    if not output.exists():
        return write(output, settings, as_of, progress, None, reconcile)
    try:
        book.read_config(output)
    except ArdeskError:
        raise ArdeskError(f"{output} already exists and is not an ardesk workbook: write to another path, "
                          "or move that file away first.") from None
    return rewrite(output, settings, as_of, progress, typed_into(output, progress), reconcile)


def rewrite(workbook: Path, settings: Settings, as_of: dt.date, progress: Progress, previous: carry.Previous,
            reconcile: bool = False) -> Built:
    """Rewrite `workbook` in place with `previous` as what was typed: refused while someone has it open in
    Excel, the current version backed up first; its Reconcile sheets kept."""
    book.refuse_if_open(workbook)
    reconcile = reconcile or book.read_config(workbook).get("reconcile") == "yes"
    found = read(settings, as_of, progress, previous)
    book.back_up(workbook, keep=settings.backups)
    return _written(workbook, settings, as_of, progress, found, previous, reconcile)


def typed_into(path: Path, progress: Progress = QUIET) -> carry.Previous:
    """What people typed into the workbook at `path`."""
    progress.step(f"Reading what was typed into {path.name}")
    return carry.read_typed(path)


def read(settings: Settings, as_of: dt.date, progress: Progress, previous: carry.Previous | None) -> Receivables:
    """What the workbook will show; refused when nothing is open where the workbook `previous` came from showed
    open items (a wrong company or an emptied export, more likely than a ledger paid off overnight): rewritten
    from it, everything typed would go to the Archive. A first build, or a ledger that had nothing open before
    either (a new company), may be empty."""
    found = receivables.read(settings, as_of, progress)
    if previous is not None and found.items.empty and previous.shown_items:
        raise receivables.nothing_open(settings, previous.shown_items)
    return found


def write(output: Path, settings: Settings, as_of: dt.date, progress: Progress, previous: carry.Previous | None,
          reconcile: bool, notes_box: Path | None = None) -> Built:
    """Read and write the workbook; each typed note's Status comes from the outbox at `notes_box` (default: the
    one beside `output`)."""
    found = read(settings, as_of, progress, previous)
    return _written(output, settings, as_of, progress, found, previous, reconcile, notes_box)


def _written(output: Path, settings: Settings, as_of: dt.date, progress: Progress, found: Receivables,
             previous: carry.Previous | None, reconcile: bool, notes_box: Path | None = None) -> Built:
    """The workbook of what was `found` written at `output`, and its snapshot beside it."""
    progress.step("Aging and reports")
    shown = contents(settings, found, as_of, previous, reconcile)
    shown = replace(shown, typed=_with_note_status(shown.typed, notes_box or outbox.beside(output)))
    progress.step(f"Writing {output}")
    written = book.write_aging_workbook(
        output, shown, as_of=as_of, base_currency=settings.base_currency,
        config=_config(settings, as_of, reconcile, len(found.items)),
        sections=exception_report.titles(settings.reports),
    )
    snapshot.save(written, snapshot.Snapshot(found.items, shown.notes, as_of, settings.aging,
                                             settings.base_currency, shown.customer_ids))
    return Built(written, shown)


def _config(settings: Settings, as_of: dt.date, reconcile: bool, open_items: int) -> dict[str, str]:
    """What a workbook remembers so that it can be rebuilt as it was (settings.resolve lays it back; never a
    credential), and how many open items it shows (carry.SHOWN: the next refresh refuses to empty it)."""
    return {
        "ardesk_version": __version__,
        "source": settings.source,
        "profile": settings.erp.profile,
        "connect": odbc.without_password(settings.erp.connect) if settings.erp.connect else "",
        "company": settings.erp.company,
        "thresholds": ",".join(map(str, settings.aging.thresholds)),
        "basis": settings.aging.basis,
        "base_currency": settings.base_currency,
        "as_of": as_of.isoformat(),
        "reconcile": "yes" if reconcile else "",
        carry.SHOWN: str(open_items),
    }


def _with_note_status(typed: Typed, box_path: Path) -> Typed:
    """The typed notes with the Status their outbox gives those pushed or tried (others keep what they show)."""
    keys = typed.notes["Note ID"].map(lambda v: "" if v is None else str(v).strip())
    if not box_path.exists() or not (keys != "").any():
        return typed
    with outbox.open(box_path) as box:
        known = keys[keys != ""]
        text = writeback.status_text(box.status(list(known))).set_axis(known.index)
    return replace(typed, notes=typed.notes.assign(Status=text.reindex(typed.notes.index).where(
        keys != "", typed.notes["Status"]).astype(object)))
