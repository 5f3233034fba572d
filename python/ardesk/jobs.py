"""One function per user action. Both front doors call these: the `ardesk` command, and the Excel ribbon
through its actions (ardesk.actions), which run them on the workbook the button was pressed in.

Each reads as one straight line: settings -> read (ERP or export file) -> ar.* -> book.* (or the ERP).
`step` reports progress in words ("Reading the ERP"); the front door decides how to show it.
"""
import datetime as dt
import getpass
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ardesk import __version__
from ardesk import addin, book, snapshot
from ardesk.ar import aging, applications, contacts, credit, disputes, hitlist, matching, meeting
from ardesk.ar import exception_report as exceptions
from ardesk.ar import plans, worklist
from ardesk.ar.summary import month_back, summarize
from ardesk.book import carry
from ardesk.book.userdata import Typed, nothing_typed
from ardesk.erp import odbc
from ardesk.erp import demo as demo_erp
from ardesk.erp import staging as erp_applications
from ardesk.erp import fetch, files, notes_csv, outbox, writeback
from ardesk.errors import ArdeskError
from ardesk.frames import CAPTURED_NOTES, HISTORY, PAYMENTS, empty
from ardesk.settings import AgingSettings, ReportSettings, Settings, parse_thresholds

Step = Callable[[str], None]


def quiet(_label: str) -> None:
    """A progress callback that shows nothing (the default)."""
    return None


def open_items(settings: Settings, as_of: dt.date, step: Step = quiet) -> tuple[pd.DataFrame, int | None]:
    """The open items and, when read from the ERP, the ERP's own total (base cents) to tie to."""
    if settings.source:
        step(f"Reading {settings.source}")
        return files.read_open_items(settings.source, base_currency=settings.base_currency), None
    step(f"Reading the ERP ({odbc.describe(settings.erp)})")
    return fetch.open_items(settings.erp, as_of)


def history_start(as_of: dt.date, reports: ReportSettings) -> dt.date:
    """Where the sales history and notes read from the ERP start (exclusive): far enough back to rebuild the
    oldest month-end snapshot with its KPI period, and to give countback DSO its months."""
    oldest_month_end = month_back(as_of.replace(day=1), reports.snapshot_months - 1) - dt.timedelta(days=1)
    return min(oldest_month_end - dt.timedelta(days=reports.kpi_days), month_back(as_of, reports.snapshot_months + 1))


def receivables(settings: Settings, as_of: dt.date, step: Step = quiet) -> fetch.Receivables:
    """Everything the aging workbook reads. An export file holds only open items: its customers come from
    them, and it has no sales history or notes (the Summary leaves the sales-based KPIs empty)."""
    if settings.source:
        items, _none = open_items(settings, as_of, step)
        return fetch.Receivables(items, None, credit.customers_from_items(items), empty(HISTORY),
                                 empty(CAPTURED_NOTES), empty(PAYMENTS))
    step(f"Reading the ERP ({odbc.describe(settings.erp)})")
    return fetch.receivables(settings.erp, as_of, history_start(as_of, settings.reports))


def contents(settings: Settings, found: fetch.Receivables, as_of: dt.date, previous: carry.Previous | None = None,
             reconcile: bool = False) -> book.Contents:
    """Every report of the aging workbook, with what was typed into `previous` (the workbook being refreshed)
    lined up with the new rows. Typed notes count with the ERP's in the reports (latest note, promises, disputes,
    payment plans). With `reconcile`, also the credit matcher's proposals, high-confidence applications approved
    unless someone typed otherwise."""
    reports = settings.reports
    aged = aging.age(found.items, as_of, settings.aging)
    hold = credit.credit_hold(aged, found.customers, as_of, reports)
    notes = _every_note(found, previous.notes if previous else None)
    logged = disputes.log(aged, notes, as_of, settings.notes.departments)
    lines = review = None
    if reconcile:
        matches = matching.match(found.items, settings.reconcile, settings.reconcile.parents)
        lines, review = applications.lines(matches), matches.review
    if previous:
        typed = carry.carry(previous, aged, hold, as_of, lines, logged)
    else:
        typed = nothing_typed(len(aged), len(hold), None if lines is None else len(lines), len(logged))
    if lines is not None:
        starting = np.where(applications.pre_approved(lines), "Yes", None)
        typed = replace(typed, reconcile=typed.reconcile.assign(Approve=typed.reconcile["Approve"].where(
            typed.reconcile["Approve"].notna(), starting)))
    holding = disputes.holding(logged, typed.disputes["Dispute Status"])
    held = disputes.in_dispute(aged, holding, typed.detail["Disputed"].map(carry.said_yes))
    grace = settings.notes.grace_days
    planned = plans.latest_plans(aged, notes, found.payments, as_of, grace)
    return book.Contents(
        aged=aged,
        item_notes=contacts.item_notes(aged, notes, as_of),
        summary=summarize(aged, found.history, as_of, reports),
        exceptions=exceptions.exceptions(aged, as_of, reports),
        credit_hold=hold,
        hit_list=hitlist.hit_list(aged, notes, as_of),
        meeting=meeting.meeting(aged, notes, as_of, disputes.by_customer(holding)),
        worklist=worklist.worklist(aged, notes, found.payments, as_of, grace, (held != "").to_numpy(), planned),
        in_dispute=held,
        disputes=logged,
        plans=planned,
        notes=notes,
        typed=typed,
        customer_ids=tuple(found.customers["customer_id"]),
        erp_total_cents=found.erp_total_cents,
        reconcile=lines,
        review=review,
    )


def _every_note(found: fetch.Receivables, typed_notes: pd.DataFrame | None) -> pd.DataFrame:
    """CAPTURED_NOTES: the ERP's, then those typed into the workbook's Notes table (`typed_notes`; None on a first
    build) that the ERP does not hold yet (a pushed note comes back from the ERP with its note ID)."""
    if typed_notes is None:
        return found.notes
    typed_notes = carry.notes_frame(typed_notes, tuple(found.customers["customer_id"]))
    in_erp = set(found.notes["note_id"]) - {""}
    return pd.concat([found.notes, typed_notes[~typed_notes["note_id"].isin(in_erp)]], ignore_index=True)


def aging_report(settings: Settings, as_of: dt.date, by: str, step: Step = quiet) -> pd.DataFrame:
    """`ardesk aging`: the aging pivot in base-currency cents."""
    items, _total = open_items(settings, as_of, step)
    step("Aging")
    return aging.pivot(aging.age(items, as_of, settings.aging), by=by)


def _config(settings: Settings, as_of: dt.date, reconcile: bool) -> dict[str, str]:
    """What a workbook remembers so that `ardesk refresh` can rebuild it (never a credential)."""
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
    }


def build_workbook(settings: Settings, as_of: dt.date, output: Path, step: Step = quiet,
                   reconcile: bool = False) -> Path:
    """Read, age and write the aging workbook to `output` (atomically); with `reconcile`, with the Reconcile
    sheets, which every later refresh keeps.

    A workbook already at `output` is rewritten as `ardesk refresh` would rewrite it (refused while open in
    Excel, backed up, what was typed carried over), so nothing typed is lost; a file there that is not an
    ardesk workbook is refused, never overwritten.
    """
    return _build(settings, as_of, output, step, reconcile)[0]


def _build(settings: Settings, as_of: dt.date, output: Path, step: Step,
           reconcile: bool) -> tuple[Path, book.Contents]:
    if not output.exists():
        return _write(settings, as_of, output, step, None, reconcile)
    try:
        book.read_config(output)
    except ArdeskError:
        raise ArdeskError(f"{output} already exists and is not an ardesk workbook: write to another path, "
                          "or move that file away first.") from None
    return _rewrite(output, settings, as_of, step, _typed_into(output, step), reconcile)


def _rewrite(workbook: Path, settings: Settings, as_of: dt.date, step: Step, previous: carry.Previous,
             reconcile: bool = False) -> tuple[Path, book.Contents]:
    """Rewrite `workbook` in place with `previous` as what was typed: refused while someone has it open in
    Excel, the current version backed up first; its Reconcile sheets kept."""
    book.refuse_if_open(workbook)
    reconcile = reconcile or book.read_config(workbook).get("reconcile") == "yes"
    book.back_up(workbook, keep=settings.backups)
    return _write(settings, as_of, workbook, step, previous, reconcile)


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


def _typed_into(path: Path, step: Step) -> carry.Previous:
    step(f"Reading what was typed into {path.name}")
    return carry.read_typed(path)


def _write(settings: Settings, as_of: dt.date, output: Path, step: Step, previous: carry.Previous | None,
           reconcile: bool, notes_box: Path | None = None) -> tuple[Path, book.Contents]:
    """Read and write the workbook; each typed note's Status comes from the outbox at `notes_box` (default: the
    one beside `output`)."""
    found = receivables(settings, as_of, step)
    step("Aging and reports")
    shown = contents(settings, found, as_of, previous, reconcile)
    shown = replace(shown, typed=_with_note_status(shown.typed, notes_box or outbox.beside(output)))
    step(f"Writing {output}")
    written = book.write_aging_workbook(
        output, shown, as_of=as_of, base_currency=settings.base_currency,
        config=_config(settings, as_of, reconcile), sections=exceptions.titles(settings.reports),
    )
    snapshot.save(written, snapshot.Snapshot(found.items, shown.notes, as_of, settings.aging,
                                             settings.base_currency, shown.customer_ids))
    return written, shown


def reconcile(settings: Settings, as_of: dt.date, step: Step = quiet,
              workbook: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`ardesk reconcile`: (RECONCILE_LINES, REVIEW) for the open items. With `workbook`, they are also written
    there as the Reconcile sheets (the workbook is built or refreshed, and keeps them at every refresh)."""
    if workbook is not None:
        _, shown = _build(settings, as_of, workbook, step, reconcile=True)
        return shown.reconcile, shown.review
    items, _total = open_items(settings, as_of, step)
    step("Matching credits to invoices")
    matches = matching.match(items, settings.reconcile, settings.reconcile.parents)
    return applications.lines(matches), matches.review


def apply_approved(workbook: Path, settings: Settings, as_of: dt.date, step: Step = quiet,
                   approver: str | None = None) -> tuple[pd.DataFrame, Path | None]:
    """`ardesk reconcile apply`: stage the lines approved on the workbook's Reconcile sheet in the ERP, once
    each, and write the cash receipt import beside the workbook.

    Each approved line is checked against the ERP's open items first: one whose credit or invoice changed is
    rejected with the reason, and the others still go. Returns the approved lines with `status` (Staged,
    Already staged, or Rejected: why) and the import file written (None when nothing new was staged).
    """
    step(f"Reading the approvals in {workbook.name}")
    approved = carry.read_approved(workbook)
    own = settings_from_workbook(workbook, settings)
    if own.source:
        raise ArdeskError(f"{workbook.name} was built from the export file {own.source}: approved applications go "
                          "to an ERP, so rebuild the workbook from the ERP with ardesk workbook --connect.")
    items, _total = open_items(own, as_of, step)
    reasons = applications.check(approved.fillna({"amount_cents": 0}).astype({"amount_cents": "int64"}), items)
    reasons = reasons.where(approved["amount_cents"].notna(), "the line has no amount")
    ready = approved[reasons == ""].astype({"amount_cents": "int64"})
    ready = ready.assign(application_id=applications.keys(ready))
    who, now = approver or getpass.getuser(), dt.datetime.now()
    step("Staging the approved applications in the ERP")
    fresh = erp_applications.stage(own.erp, ready, who, now)
    status = pd.Series("Rejected: " + reasons, index=approved.index, dtype="string")
    status[ready.index] = fresh.map({True: "Staged", False: "Already staged"}).astype("string")
    written = None
    if fresh.any():
        written = erp_applications.write_import(
            workbook.with_name(f"{workbook.stem} cash applications {now:%Y-%m-%d %H%M%S}.csv"), ready[fresh],
            own.erp.company, who, now)
    return approved.assign(status=status), written


def push_notes(workbook: Path, settings: Settings, as_of: dt.date, step: Step = quiet) -> writeback.PushResult:
    """`ardesk notes push WORKBOOK`: the notes typed into the workbook's Notes table to the ERP, each once.

    In this order, so that a note is never sent twice whatever stops the run: a note without a Note ID gets
    one and the workbook is rewritten with it (a refresh); the notes go into the outbox beside the workbook; the
    outbox is pushed; the workbook is refreshed again, each note showing Pushed (time, ERP key), Invalid (what
    to fix) or Queued. The notes' rows stay in the Notes table; the reports count each note once.
    """
    own = settings_from_workbook(workbook, settings)
    previous = _typed_into(workbook, step)
    keys = previous.notes["Note ID"].map(lambda v: "" if v is None else str(v).strip())
    if (keys == "").any():
        step("Giving new notes their note IDs")
        new = [str(uuid.uuid4()) for _ in range((keys == "").sum())]
        notes = previous.notes.copy()
        notes.loc[keys == "", "Note ID"] = new
        _rewrite(workbook, own, as_of, step, replace(previous, notes=notes))
        previous = replace(previous, notes=notes)
    captured = carry.notes_frame(previous.notes, ())
    with outbox.open(outbox.beside(workbook)) as box:
        step("Keeping the notes in the outbox")
        box.capture(captured)
        step("Pushing the notes to the ERP")
        result = writeback.push(own.erp, box, batch_rows=own.notes.batch_rows, today=as_of)
    _rewrite(workbook, own, as_of, step, _typed_into(workbook, step))
    return result


def push_note_file(source: Path, settings: Settings, as_of: dt.date, step: Step = quiet) -> writeback.PushResult:
    """`ardesk notes push --source notes.csv`: the file's notes to the ERP, each once. A note without a note_id
    gets one, written into the file before anything else happens; the outbox is the user's own."""
    notes = notes_csv.read(source)
    missing = notes["note_id"] == ""
    if missing.any():
        notes.loc[missing, "note_id"] = [str(uuid.uuid4()) for _ in range(int(missing.sum()))]
        notes_csv.write_keys(source, notes["note_id"])
    return _push(notes, outbox.default_path(), settings, as_of, step)


def add_note(note: pd.DataFrame, settings: Settings, as_of: dt.date, step: Step = quiet) -> writeback.PushResult:
    """`ardesk notes add` and `ardesk plan`: one note (NOTES columns) into the user's outbox, then pushed."""
    return _push(note.assign(note_id=""), outbox.default_path(), settings, as_of, step)


def _push(notes: pd.DataFrame, box_path: Path, settings: Settings, as_of: dt.date, step: Step) -> writeback.PushResult:
    with outbox.open(box_path) as box:
        step("Keeping the notes in the outbox")
        box.capture(notes)
        step("Pushing the notes to the ERP")
        return writeback.push(settings.erp, box, batch_rows=settings.notes.batch_rows, today=as_of)


def note_history(customer: str, settings: Settings, as_of: dt.date, step: Step = quiet) -> pd.DataFrame:
    """`ardesk notes history CUSTOMER`: the customer's notes in the ERP, newest first."""
    step(f"Reading the notes of {customer}")
    every = fetch.notes(settings.erp, as_of, dt.date(1900, 1, 1))
    own = every[every["customer_id"].str.casefold() == customer.strip().casefold()]
    return own.sort_values("written", ascending=False, na_position="last", kind="stable").reset_index(drop=True)


def payment_plan(customer: str, amount_cents: int, installments: int, every: str, start: dt.date, settings: Settings,
                 as_of: dt.date, author: str | None = None,
                 step: Step = quiet) -> tuple[pd.DataFrame, writeback.PushResult]:
    """`ardesk plan`: the schedule (PLAN; the last installment takes the rounding) and the push of the note
    that records it with the customer."""
    plan = plans.payment_plan(amount_cents, installments, every, start)
    note = plans.plan_note(customer, plan, every, written=dt.datetime.now(), author=author or getpass.getuser())
    return plan, add_note(note, settings, as_of, step)


def applied_summary(applied: pd.DataFrame) -> str:
    """apply_approved's outcomes counted: "3 staged, 1 rejected", or "No line is approved"."""
    counts = applied["status"].str.split(":").str[0].value_counts()
    return ", ".join(f"{n} {what.lower()}" for what, n in counts.items()) or "No line is approved"


def hit_lists(settings: Settings, as_of: dt.date, output: Path, split_by_rep: bool = False,
              step: Step = quiet) -> list[Path]:
    """`ardesk hitlist`: the weekly Hit List workbook at `output`; split by sales rep, also one workbook per
    rep beside it (`output`'s name, a dash and the rep's name), for sending each rep their own list."""
    found = receivables(settings, as_of, step)
    step("Aging")
    table = hitlist.hit_list(aging.age(found.items, as_of, settings.aging), found.notes, as_of)
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
    for path, rows, heading in parts:
        step(f"Writing {path}")
        written.append(book.write_hit_list(path, rows, labels, as_of=as_of, base_currency=settings.base_currency,
                                           title=heading))
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


def render(workbook: Path, folder: Path, step: Step = quiet) -> list[Path]:
    """`ardesk render`: each visible sheet of `workbook` as a PNG in `folder`."""
    step(f"Rendering {workbook.name} with LibreOffice")
    return book.render_png(workbook, folder)


def build_addin(output: Path, step: Step = quiet) -> Path:
    """`ardesk addin build`: the Excel add-in, with the worksheet functions, at `output`."""
    step(f"Building {output.name}")
    return addin.build(output)


def install_addin(step: Step = quiet) -> str:
    """`ardesk addin install`: build the add-in where Excel loads it (Windows); one sentence on what was done."""
    step("Installing the AR Desk add-in")
    return addin.install()


def settings_from_workbook(path: Path, base: Settings) -> Settings:
    """The settings a workbook was built with, laid over `base` (the password still comes from base's
    environment variable or the keyring)."""
    saved = book.read_config(path)
    erp = replace(base.erp, profile=saved.get("profile") or base.erp.profile, connect=saved.get("connect", ""),
                  company=saved.get("company", ""))
    thresholds = saved.get("thresholds")
    aging_settings = AgingSettings(
        thresholds=parse_thresholds(thresholds) if thresholds else base.aging.thresholds,
        basis=saved.get("basis") or base.aging.basis,
    )
    return replace(base, erp=erp, aging=aging_settings, source=saved.get("source", ""),
                   base_currency=saved.get("base_currency") or base.base_currency)


def refresh(path: Path, settings: Settings, as_of: dt.date, step: Step = quiet, output: Path | None = None) -> Path:
    """`ardesk refresh`: pull again with the workbook's own settings and rewrite it.

    What people typed (Detail and Credit Hold user columns, Notes, Archive) is carried to the new rows; typed
    rows whose document closed go to the Archive. In place, it refuses while someone has the workbook open in
    Excel and first keeps a backup of the current version; with `output`, it writes beside it and leaves the
    workbook alone.
    """
    if output is None:
        return build_workbook(settings, as_of, path, step)
    reconcile = book.read_config(path).get("reconcile") == "yes"
    return _write(settings, as_of, output, step, _typed_into(path, step), reconcile, outbox.beside(path))[0]


def append_note(workbook: Path, customer: str, document: str, settings: Settings, as_of: dt.date,
                step: Step = quiet) -> None:
    """A new last row of the workbook's Notes table for `customer` (and `document`; "" for none): a call, by this
    user, written now; the rest for the collector to type. The workbook is rewritten as a refresh would."""
    own = settings_from_workbook(workbook, settings)
    previous = _typed_into(workbook, step)
    row = dict.fromkeys(previous.notes.columns) | {
        "Customer ID": customer or None, "Invoice": document or None, "Contact Type": "Call",
        "Author": getpass.getuser(), "Written": dt.datetime.now().replace(microsecond=0)}
    notes = pd.concat([previous.notes, pd.DataFrame([row], dtype=object)], ignore_index=True)
    _rewrite(workbook, own, as_of, step, replace(previous, notes=notes))


def build_demo_erp(connect: str | None, as_of: dt.date, step: Step = quiet,
                   on_rows: Callable[[int], None] | None = None, *, customers: int = 1500, seed: int = 7,
                   replace_existing: bool = False) -> str:
    """`ardesk demo-erp`: create and fill the demo ERP; returns its connection string (password masked)."""
    step(f"Building the demo ERP ({customers:,} customers)")
    return demo_erp.build(connect, customers=customers, seed=seed, as_of=as_of, replace=replace_existing,
                          on_rows=on_rows)


def demo(settings: Settings, as_of: dt.date, output: Path, step: Step = quiet,
         on_rows: Callable[[int], None] | None = None) -> Path:
    """`ardesk demo`: build the demo ERP if it is missing, then the aging workbook from it. ardesk's own demo
    file, when an older ardesk built it without a table this one reads, is built again."""
    connect = settings.erp.connect or demo_erp.default_connect()
    if not demo_erp.exists(connect):
        build_demo_erp(connect, as_of, step, on_rows, replace_existing=not settings.erp.connect)
    demo_settings = replace(settings, erp=replace(settings.erp, connect=connect, profile="epicor"), source="")
    return build_workbook(demo_settings, as_of, output, step)
