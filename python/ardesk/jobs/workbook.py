"""The aging workbook and the workbooks made from it: write, refresh, hit lists, pictures of its sheets."""
import datetime as dt
from pathlib import Path

from ardesk import book, pipeline, receivables
from ardesk.ar import aging, contacts, hitlist, reach
from ardesk.erp import outbox
from ardesk.handle import WorkbookHandle
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


def build_workbook(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET) -> Path:
    """`ardesk workbook`: read, age and write the aging workbook at the handle's path (atomically). An ardesk
    workbook already there is refreshed, so nothing typed is lost; any other file there is refused."""
    with handle.released():
        return pipeline.build(handle.path, settings, as_of, progress).path


def refresh(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
            output: Path | None = None) -> Path:
    """`ardesk refresh`, AR Desk > Refresh: pull again and rewrite the workbook.

    What people typed (Detail and Credit Hold user columns, Notes, Archive) is carried to the new rows; typed
    rows whose document closed go to the Archive. In place, it refuses while someone has the workbook open in
    Excel and first keeps a backup of the current version; with `output`, it writes there and leaves the
    workbook alone.
    """
    if output is None:
        return build_workbook(handle, settings, as_of, progress)
    reconcile = book.read_config(handle.path).get("reconcile") == "yes"
    previous = pipeline.typed_into(handle.path, progress)
    return pipeline.write(output, settings, as_of, progress, previous, reconcile, outbox.beside(handle.path)).path


def settings_in_use(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET) -> Settings:
    """AR Desk > Settings: the settings the workbook's actions run with (the ribbon says where they come from)."""
    return settings


def hit_lists(handle: WorkbookHandle | None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
              output: Path | None = None, split_by_rep: bool = True) -> list[Path]:
    """`ardesk hitlist`, AR Desk > Hit List: the weekly Hit List workbook at `output` (default: beside the
    workbook, "<name> hit list.xlsx"); split by sales rep, also one workbook per rep beside it (`output`'s name,
    a dash and the rep's name), for sending each rep their own list."""
    output = output or handle.path.with_name(f"{handle.path.stem} hit list.xlsx")
    found = receivables.read(settings, as_of, progress)
    progress.step("Aging")
    table = reach.beside(hitlist.hit_list(aging.age(found.items, as_of, settings.aging),
                                          contacts.latest_by_customer(found.notes, as_of), found.customers, as_of,
                                          settings.reports.released_shown_days),
                         reach.checked(found.contacts))
    labels = aging.bucket_labels(settings.aging.thresholds)
    title = f"Hit list as of {as_of.isoformat()}"
    parts = [(output, table, title)]
    if split_by_rep:
        taken = {output.name.casefold()}
        for rep, rows in hitlist.split(table).items():
            name = rep or "no sales rep"
            path = _unused(output.with_name(f"{output.stem}-{book.file_name_part(name, 'rep')}{output.suffix}"), taken)
            parts.append((path, rows, f"{title}: {name}"))
    written = []
    progress.step("Writing the hit lists", total=len(parts))
    for path, rows, heading in parts:
        written.append(book.write_hit_list(path, rows, labels, as_of=as_of, base_currency=settings.base_currency,
                                           title=heading))
        progress.advance(1)
    return written


def _unused(path: Path, taken: set[str]) -> Path:
    """`path`, or with -2, -3 ... added when another rep's name made the same file name (case ignored, as on
    Windows)."""
    candidate, number = path, 1
    while candidate.name.casefold() in taken:
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    taken.add(candidate.name.casefold())
    return candidate


def render(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
           folder: Path) -> list[Path]:
    """`ardesk render`: each visible sheet of the workbook as a PNG in `folder`."""
    progress.step(f"Rendering {handle.path.name} with LibreOffice")
    return book.render_png(handle.path, folder)
