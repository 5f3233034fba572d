"""The `ardesk` command's table: each command -> the job it runs, the formatter of its result, what the job is
asked (from the options), and which workbook it works on.

Jobs are named as "module:function" and imported only when their command runs, so each command loads only
what it uses (`ardesk --help` loads none of them, and xlwings never loads on this side).
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_WORKBOOK = "ardesk-aging.xlsx"


def _nothing(args) -> dict:
    return {}


@dataclass(frozen=True)
class Command:
    job: str
    """"module:function" under ardesk.jobs."""
    text: str
    """The formatter in ardesk.cli.text that turns the result into what is printed."""
    params: Callable[..., dict] = _nothing
    """The options -> what the job is asked, beyond handle, settings, as-of date and progress."""
    workbook: Callable[..., Path | None] | None = None
    """The options -> the workbook the job works on (None: none)."""
    saved: bool = False
    """The workbook's own saved settings lie under the options (a workbook the command reads and rewrites as
    built, not one it writes from what the options say)."""
    refused: Callable[..., str | None] = lambda result: None
    """The result -> one sentence when the job refused part of what it was asked (the command then exits 1 after
    printing every outcome), None when it did all of it."""
    summary: str = field(default="", compare=False)


def _output(args) -> Path:
    return (args.output or Path(DEFAULT_WORKBOOK)).resolve()


def _given(args) -> Path | None:
    return args.workbook.resolve() if args.workbook else None


def _note(args) -> dict:
    """`ardesk notes add`: the note (NOTES columns, one row), written now."""
    import datetime as dt
    import getpass

    import pandas as pd

    from ardesk.frames import NOTES
    from ardesk.money import cents_from_decimal

    def cents(amount):
        return pd.NA if amount is None else cents_from_decimal(amount)

    def day(date):
        return pd.NaT if date is None else pd.Timestamp(date)

    return {"note": pd.DataFrame({
        "customer_id": [args.customer], "doc_no": [args.invoice], "written": [pd.Timestamp(dt.datetime.now())],
        "contact_type": [args.contact_type], "contact_person": [args.contact_person], "outcome": [args.outcome],
        "promise_cents": [cents(args.promise_amount)], "promise_date": [day(args.promise_date)],
        "dispute_reason": [args.dispute_reason], "dispute_cents": [cents(args.dispute_amount)],
        "follow_up": [day(args.follow_up)], "text": [args.text], "author": [args.author or getpass.getuser()],
        "source": ["Command"],
    }).astype(NOTES)}


def _plan(args) -> dict:
    from ardesk.money import cents_from_decimal

    return {"customer": args.customer, "amount_cents": cents_from_decimal(args.amount),
            "installments": args.installments, "every": args.every, "start": args.start, "author": args.author}


def _invalid_notes(pushed) -> str | None:
    """A push that refused notes (the valid ones were sent): how many, and what to do."""
    if not pushed.invalid:
        return None
    return (f"{pushed.invalid} note{' was' if pushed.invalid == 1 else 's were'} refused as invalid (each says why "
            "above): correct and push again.")


def _rejected(what: str, again: str) -> Callable[..., str | None]:
    """For an apply that rejected some approved `what` (the others were staged): how many, and `again` to do."""
    def said(applied) -> str | None:
        rejected = int(applied.lines["status"].str.startswith("Rejected").sum())
        if not rejected:
            return None
        return (f"{rejected} approved {what}{' was' if rejected == 1 else 's were'} rejected (each says why above): "
                f"{again} to propose them afresh.")
    return said


def _refused_holds(applied) -> str | None:
    """Approved holds or releases refused (the others were set): how many, and what to do."""
    refused = int(applied.changes["status"].str.startswith("Refused").sum())
    if not refused:
        return None
    return (f"{refused} approved hold{' or release was' if refused == 1 else 's or releases were'} refused (each says "
            "why above): refresh the workbook and approve again where it still applies.")


def _month_end(args) -> Path:
    from ardesk.jobs.close import file_name

    return (args.output or Path(file_name(args.period))).resolve()


def _unexplained(closed) -> str | None:
    """A close that leaves something to look at: a GL residual nothing explains (the period is then not frozen),
    or documents in the ERP changed since the period was frozen."""
    said = []
    if closed.tie is not None and closed.tie.residual_cents != 0:
        said.append(f"The GL tie-out leaves {closed.tie.residual_cents / 100:,.2f} that nothing explains: see the GL "
                    f"Tie-Out sheet of {closed.path.name}" + (" (the period was not frozen)." if closed.frozen.empty
                                                              else "."))
    if len(closed.changes):
        close = closed.frozen.iloc[0]
        said.append(f"The ERP's history of the period changed since it was closed on {close['closed']:%Y-%m-%d} by "
                    f"{close['closed_by']}: {len(closed.changes)} document{'s' * (len(closed.changes) != 1)} "
                    f"differ, listed on the Changes Since Close sheet of {closed.path.name}; the close stays as "
                    "frozen until you run ardesk close again with --reclose.")
    return " ".join(said) or None


def _unsent(what: str, done: str, after: Callable[..., str]) -> Callable[..., str | None]:
    """For a job whose letters' rows say "Sent" or why not: how many `what` were not (each says why above), the
    participle `done` ("sent", "logged"), and `after(result)` to do next; None when all were."""
    def said(result) -> str | None:
        unsent = int((result.letters["status"] != "Sent").sum())
        if not unsent:
            return None
        return f"{unsent} {what}{' was' if unsent == 1 else 's were'} not {done} (each says why above): {after(result)}"
    return said


_unsent_statements = _unsent(
    "statement", "sent", lambda done: f"the drafts of those with a good address are in {done.folder}.")


COMMANDS: dict[str, Command] = {
    "demo-erp": Command("demo:build_demo_erp", "demo_erp", lambda a: {
        "connect": a.connect, "customers": a.customers, "seed": a.seed, "replace_existing": a.replace}),
    "demo": Command("demo:demo", "demo", lambda a: {"settings_folder": Path.cwd()}, _output),
    "aging": Command("aging:aging_report", "aging", lambda a: {"by": a.by}),
    "workbook": Command("workbook:build_workbook", "paths", workbook=_output),
    "close": Command("close:close", "closed", lambda a: {
        "period": a.period, "draft": a.draft, "again": a.reclose,
        "aging_workbook": a.aging.resolve() if a.aging else None}, _month_end, refused=_unexplained),
    "dunning": Command("dunning:preview", "dunning", workbook=lambda a: (a.workbook or Path("dunning.xlsx")).resolve()),
    "dunning --send": Command("dunning:send", "dunning_sent", lambda a: {"kept": a.format, "email": a.email},
                              workbook=lambda a: (a.workbook or Path("dunning.xlsx")).resolve(), refused=_unsent(
        "approved letter", "sent", lambda _: "run ardesk dunning --preview again to see what is due now.")),
    "returns notices": Command("returns:notices", "returned_notices", lambda a: {"kept": a.format},
                               workbook=lambda a: (a.workbook or Path(DEFAULT_WORKBOOK)).resolve(),
                               refused=_unsent(
        "notice", "logged", lambda _: "run ardesk notes outbox to see the notes waiting, and ardesk returns notices "
                                      "again once the ERP takes them.")),
    "refresh": Command("workbook:refresh", "paths", lambda a: {"output": a.output.resolve() if a.output else None},
                       _given, saved=True),
    "reconcile": Command("reconcile:reconcile", "reconcile", workbook=_given),
    "reconcile apply": Command("reconcile:apply_approved", "applied", workbook=_given, saved=True,
                               refused=_rejected("line", "run ardesk reconcile again")),
    "writeoffs apply": Command("write_offs:apply_write_offs", "written_off", workbook=_given,
                               refused=_rejected("write-off", "close the month again")),
    "credit holds": Command("credit_holds:apply_holds", "holds", workbook=_given, saved=True,
                            refused=_refused_holds),
    "credit limits": Command("credit_limits:stage_limits", "limits_staged", workbook=_given, saved=True,
                             refused=_rejected("credit limit", "refresh the workbook")),
    "credit import": Command("bureau:import_reports", "bureau_imported", lambda a: {
        "source": a.file.resolve(), "bureau": a.bureau}),
    "notes push": Command("notes_table:push_notes", "pushed", workbook=_given, saved=True, refused=_invalid_notes),
    "notes push --source": Command("notes:push_note_file", "pushed", lambda a: {"source": a.csv.resolve()},
                                   refused=_invalid_notes),
    "notes outbox": Command("notes:outbox_notes", "outbox", lambda a: {
        "action": a.outbox_action or "list", "note_ids": tuple(a.note or ()), "confirmed": a.yes}, _given, saved=True,
        refused=lambda kept: kept.refused),
    "notes add": Command("notes:add_note", "pushed", _note, refused=_invalid_notes),
    "notes history": Command("notes:note_history", "history", lambda a: {"customer": a.customer}),
    "plan": Command("notes:payment_plan", "plan", _plan, refused=lambda plan: _invalid_notes(plan.pushed)),
    "escalate": Command("escalation:escalate", "pushed", lambda a: {
        "customer": a.customer, "placed_with": a.agency or a.attorney, "kind": "agency" if a.agency else "attorney",
        "author": a.author}, refused=_invalid_notes),
    "hitlist": Command("workbook:hit_lists", "paths", lambda a: {
        "output": (a.output or Path("ardesk-hitlist.xlsx")).resolve(), "split_by_rep": a.split_by == "sales_rep"}),
    "statements": Command("statements:statements", "statements", lambda a: {
        "customers": tuple(a.customers) if a.customers else None, "kept": a.format, "send": a.send,
        "output": a.output.resolve() if a.output else None},
        refused=lambda done: _unsent_statements(done) if done.sent else None),
    "render": Command("workbook:render", "paths", lambda a: {"folder": a.png.resolve()}, _given),
    "erp migrate": Command("erp:migrate", "migrated", lambda a: {"dry_run": a.dry_run}),
    "addin build": Command("addin:build_addin", "paths", lambda a: {
        "output": (a.output or Path("ardesk.xlam")).resolve()}),
    "addin install": Command("addin:install_addin", "sentence"),
}
"""Command (with its action, as typed) -> what runs."""


def name_of(args) -> str:
    """The table's key for the parsed command line: "refresh", "notes push", "reconcile apply" ..."""
    action = getattr(args, "notes_action", None) or getattr(args, "reconcile_action", None) or \
        getattr(args, "addin_command", None) or getattr(args, "erp_action", None) or \
        getattr(args, "writeoffs_action", None) or getattr(args, "credit_action", None) or \
        getattr(args, "returns_action", None)
    sends = getattr(args, "send", False) and f"{args.command} --send" in COMMANDS  # statements --send: one job
    flag = " --source" if getattr(args, "csv", None) else " --send" if sends else ""
    return f"{args.command} {action}{flag}" if action else f"{args.command}{flag}"


def overrides(args) -> dict:
    """What the options say about settings, for settings.resolve (None: not said)."""
    said = {"erp": {"connect": getattr(args, "connect", None), "profile": getattr(args, "profile", None),
                    "company": getattr(args, "company", None)},
            "aging": {"basis": getattr(args, "basis", None)},
            "reconcile": {"tolerance_pct": getattr(args, "tolerance_pct", None),
                          "tolerance_abs": getattr(args, "tolerance_abs", None),
                          "apply_oldest": getattr(args, "apply_oldest", None)},
            "source": str(Path(args.source).resolve()) if getattr(args, "source", None) else None}
    if getattr(args, "buckets", None):
        from ardesk.settings import parse_thresholds

        said["aging"]["thresholds"] = parse_thresholds(args.buckets)
    return said
