"""The `ardesk` command: a thin front door over ardesk.jobs.

Exit codes (for schedulers): 0 done; 1 a problem the user can fix, explained in one sentence on stderr;
2 the command line itself was wrong (argparse's usage message); 3 the workbook is open in Excel by someone
(nothing was written: try again later, or refresh with --output).
"""
import argparse
import datetime as dt
import getpass
import json
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ardesk import __version__, jobs
from ardesk.ar.aging import GROUPS, TOTAL, grand_total
from ardesk.errors import ArdeskError, WorkbookInUse
from ardesk.erp.writeback import status_text
from ardesk.frames import CONTACT_TYPES, DIFFERENCES, DISPUTE_REASONS, NOTES, OUTCOMES, PROPOSALS, cents_to_amount
from ardesk.money import cents_from_decimal
from ardesk.settings import load, parse_thresholds

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_IN_USE = 0, 1, 2, 3


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except ArithmeticError:
        value = Decimal(-1)
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount of 0 or more, like 2.5")
    return value


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


def _source_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--source", metavar="PATH", help="an open-items export file (CSV or XLSX) instead of the ERP")
    where.add_argument("--connect", metavar="STR", help="ODBC connection string or DSN=name (password from the "
                                                        "environment or keyring, see README)")
    parser.add_argument("--profile", help="ERP profile (a folder under sql/; default from ardesk.toml: epicor)")
    parser.add_argument("--company", help="ERP company to read (default: every company)")


def _aging_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=_date, metavar="DATE", help="age as of this date (YYYY-MM-DD; default today)")
    parser.add_argument("--buckets", metavar="30,60,90,120", help="bucket thresholds in days past due")
    parser.add_argument("--basis", choices=("due", "doc"), help="age from the due date (default) or document date")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ardesk", description="Accounts-receivable collections: ERP -> aging -> workbook.")
    parser.add_argument("--version", action="version", version=f"ardesk {__version__}")
    parser.add_argument("--settings", metavar="PATH", help="settings file (default ./ardesk.toml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo_erp = commands.add_parser("demo-erp", help="create and fill an Epicor-shaped demo ERP",
                                   description="Create and fill an Epicor-shaped demo ERP in SQLite, PostgreSQL or "
                                               "MariaDB (default: a SQLite file in the user's data directory).")
    demo_erp.add_argument("--connect", metavar="STR", help="ODBC connection string of an empty database")
    demo_erp.add_argument("--customers", type=_positive, default=1500, help="number of customers (default 1500)")
    demo_erp.add_argument("--seed", type=int, default=7, help="random seed: same seed, same data (default 7)")
    demo_erp.add_argument("--as-of", type=_date, metavar="DATE", help="the demo's today (default today)")
    demo_erp.add_argument("--replace", action="store_true", help="drop and rebuild an existing demo ERP")

    demo = commands.add_parser("demo", help="build the demo ERP if missing and write its aging workbook",
                               description="Build the demo ERP if it is missing, read it, age it and write the "
                                           "aging workbook; prints the workbook's path.")
    demo.add_argument("--output", metavar="PATH", type=Path, help="workbook to write (default ./ardesk-aging.xlsx)")
    demo.add_argument("--as-of", type=_date, metavar="DATE", help="as-of date (default today)")

    aging = commands.add_parser("aging", help="print the aging pivot",
                                description="Print the aging pivot: one row per group, a column per bucket, "
                                            "Total, and a grand-total row. Amounts in the base currency.")
    _source_options(aging)
    _aging_options(aging)
    aging.add_argument("--by", choices=tuple(GROUPS), default="customer", help="group rows by (default customer)")
    aging.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format")

    workbook = commands.add_parser("workbook", help="write the aging workbook from the ERP or an export file",
                                   description="Read the open items, customers, sales history and notes, and write "
                                               "the aging workbook (Summary, Detail, pivots, reports, Notes); prints "
                                               "its path. `ardesk refresh` updates it later.")
    _source_options(workbook)
    _aging_options(workbook)
    workbook.add_argument("--output", metavar="PATH", type=Path, help="workbook to write (default ./ardesk-aging.xlsx)")

    refresh = commands.add_parser("refresh", help="pull again and rewrite an ardesk workbook",
                                  description="Pull the open items again with the workbook's own settings and "
                                              "rewrite its data sheets (atomically: a failure leaves it as it was).")
    refresh.add_argument("workbook", type=Path, help="an ardesk workbook (.xlsx)")
    refresh.add_argument("--connect", metavar="STR", help="use this connection instead of the workbook's")
    refresh.add_argument("--output", metavar="PATH", type=Path,
                         help="write the refreshed workbook here and leave WORKBOOK as it is (e.g. while it is open)")
    refresh.add_argument("--as-of", type=_date, metavar="DATE", help="as-of date (default today)")

    reconcile = commands.add_parser("reconcile", help="match unapplied credits to open invoices",
                                    description="Propose applications of unapplied cash and credit memos to open "
                                                "invoices, each with its rule, confidence and evidence; the credits "
                                                "it cannot place are listed for review.")
    _source_options(reconcile)
    reconcile.add_argument("--as-of", type=_date, metavar="DATE", help="as-of date (default today)")
    reconcile.add_argument("--tolerance-pct", type=_amount, metavar="P",
                           help="write off a shortfall up to P percent of the invoice (with --tolerance-abs)")
    reconcile.add_argument("--tolerance-abs", type=_amount, metavar="A",
                           help="write off a shortfall up to this amount (with --tolerance-pct)")
    reconcile.add_argument("--apply-oldest", action="store_true", default=None,
                           help="credits nothing else places pay the oldest invoices first")
    reconcile.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    reconcile.add_argument("--workbook", metavar="WORKBOOK", type=Path,
                           help="also write the Reconcile sheets (Approve dropdowns) into this aging workbook")
    reconcile_actions = reconcile.add_subparsers(dest="reconcile_action", metavar="apply")
    apply = reconcile_actions.add_parser(
        "apply", help="stage the approved applications in the ERP",
        description="Stage the lines approved on the workbook's Reconcile sheet in ardesk's staging table in the "
                    "ERP (each once, however often you apply) and write the cash receipt import CSV beside the "
                    "workbook; lines whose credit or invoice changed in the ERP are rejected, each with why.")
    apply.add_argument("workbook", type=Path, help="an aging workbook with a Reconcile sheet")
    apply.add_argument("--as-of", type=_date, metavar="DATE", help="check against the open items of this date "
                                                                    "(default today)")

    notes = commands.add_parser("notes", help="collection notes: push to the ERP, add one, read a history",
                                description="Collection notes between the workbook (or a CSV) and the ERP.")
    note_actions = notes.add_subparsers(dest="notes_action", required=True, metavar="ACTION")
    push = note_actions.add_parser(
        "push", help="send notes to the ERP, each exactly once",
        description="Send the notes of a workbook's Notes table (or of a CSV) to the ERP, each exactly once: they "
                    "are kept in a local outbox first, and each note's status (Pushed, Invalid with what to fix, "
                    "Queued) is shown on its row of the workbook and printed.")
    push_from = push.add_mutually_exclusive_group(required=True)
    push_from.add_argument("workbook", nargs="?", type=Path, help="an ardesk workbook")
    push_from.add_argument("--source", metavar="CSV", type=Path, help="a notes CSV (see README)")
    push.add_argument("--connect", metavar="STR", help="ODBC connection string (default: the workbook's or settings')")
    push.add_argument("--as-of", type=_date, metavar="DATE", help="today's date for validation (default today)")
    add = note_actions.add_parser("add", help="log one note and push it",
                                  description="Log one collection note and push it to the ERP (kept in the "
                                              "user's outbox until the ERP has it).")
    add.add_argument("customer", help="customer ID")
    add.add_argument("--text", required=True, help="what was said or done")
    add.add_argument("--invoice", default="", help="invoice number(s) the note is about, comma-separated")
    add.add_argument("--contact-type", default="Call", help=f"one of {', '.join(CONTACT_TYPES)} (default Call)")
    add.add_argument("--contact-person", default="", help="who was contacted")
    add.add_argument("--outcome", default="", help=f"one of {', '.join(OUTCOMES)}")
    add.add_argument("--promise-amount", type=_amount, metavar="AMOUNT", help="promised amount")
    add.add_argument("--promise-date", type=_date, metavar="DATE", help="promised payment date")
    add.add_argument("--dispute-reason", default="", help=f"one of {', '.join(DISPUTE_REASONS)}")
    add.add_argument("--dispute-amount", type=_amount, metavar="AMOUNT", help="disputed amount")
    add.add_argument("--follow-up", type=_date, metavar="DATE", help="next follow-up date")
    add.add_argument("--author", help="who wrote it (default: this computer's user)")
    add.add_argument("--connect", metavar="STR", help="ODBC connection string (default from settings)")
    history = note_actions.add_parser("history", help="a customer's notes in the ERP, newest first",
                                      description="Print a customer's collection notes in the ERP, newest first.")
    history.add_argument("customer", help="customer ID")
    history.add_argument("--connect", metavar="STR", help="ODBC connection string (default from settings)")

    plan = commands.add_parser("plan", help="make a payment plan and record it as a note",
                               description="Make a payment plan (equal installments; the last absorbs the "
                                           "rounding, to the cent), print it, and record it with the customer as "
                                           "a note pushed to the ERP.")
    plan.add_argument("customer", help="customer ID")
    plan.add_argument("--amount", type=_amount, required=True, help="the whole amount")
    plan.add_argument("--installments", type=_positive, required=True, help="number of installments")
    plan.add_argument("--every", default="1m", help="time between installments: 2w, 14d, 1m (default 1m)")
    plan.add_argument("--start", type=_date, required=True, metavar="DATE", help="first installment's date")
    plan.add_argument("--author", help="who agreed it (default: this computer's user)")
    plan.add_argument("--connect", metavar="STR", help="ODBC connection string (default from settings)")

    hitlist = commands.add_parser("hitlist", help="write the weekly hit list for sales",
                                  description="Write the Hit List workbook: past-due customers grouped by sales "
                                              "rep, amounts per bucket, oldest item and last note. Prints the "
                                              "path of each workbook written.")
    _source_options(hitlist)
    _aging_options(hitlist)
    hitlist.add_argument("--output", metavar="PATH", type=Path, help="workbook to write (default ./ardesk-hitlist.xlsx)")
    hitlist.add_argument("--split-by", choices=("sales_rep",),
                         help="also write one workbook per sales rep beside OUTPUT (OUTPUT-name-of-rep.xlsx)")

    render = commands.add_parser("render", help="draw each sheet of a workbook as a PNG",
                                 description="Render each visible sheet of a workbook to a PNG through LibreOffice "
                                             "(headless) and pdftoppm; prints the path of each picture.")
    render.add_argument("workbook", type=Path, help="a workbook (.xlsx)")
    render.add_argument("--png", metavar="DIR", type=Path, required=True, help="folder for the pictures")

    addin = commands.add_parser("addin", help="build or install the Excel add-in (AR Desk ribbon, AR_ functions)",
                                description="Build the Excel add-in ardesk.xlam from its sources, or install it "
                                            "where Excel loads it at start (Windows).")
    addin_commands = addin.add_subparsers(dest="addin_command", required=True, metavar="ACTION")
    addin_build = addin_commands.add_parser("build", help="write ardesk.xlam", description="Write the add-in.")
    addin_build.add_argument("--output", metavar="PATH", type=Path, help="add-in to write (default ./ardesk.xlam)")
    addin_commands.add_parser("install", help="build it into Excel's XLSTART folder (Windows)",
                              description="Build the add-in into the user's XLSTART folder so Excel loads it at "
                                          "start (Windows); elsewhere, build it here and say so.")
    return parser


class _Progress:
    """Steps and row counts on a terminal (rich); silent when stderr is not a terminal."""

    def __init__(self):
        self._bar = None
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

            self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), transient=True)
        self._task = None

    def __enter__(self):
        if self._bar:
            self._bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self._bar:
            self._bar.__exit__(*exc)

    def step(self, label: str) -> None:
        if self._bar:
            if self._task is not None:
                self._bar.update(self._task, visible=False)
            self._task = self._bar.add_task(label, total=None)

    def rows(self, count: int) -> None:
        if self._bar and self._task is not None:
            self._bar.advance(self._task, count)


def _settings(args):
    overrides = {"erp": {"connect": getattr(args, "connect", None), "profile": getattr(args, "profile", None),
                         "company": getattr(args, "company", None)},
                 "aging": {"basis": getattr(args, "basis", None)},
                 "source": getattr(args, "source", None)}
    if getattr(args, "buckets", None):
        overrides["aging"]["thresholds"] = parse_thresholds(args.buckets)
    if args.command == "reconcile":
        overrides["reconcile"] = {"tolerance_pct": args.tolerance_pct, "tolerance_abs": args.tolerance_abs,
                                  "apply_oldest": args.apply_oldest}
    settings = load(args.settings)
    if getattr(args, "connect", None):
        overrides["source"] = ""  # a connection given on the command line wins over a file in settings
    return settings.with_overrides(**overrides)


def _print_aging(table, by: str, fmt: str) -> None:
    key = table.index.name
    totals = grand_total(table)
    if fmt == "json":
        rows = [{key: group, **{c: round(v / 100, 2) for c, v in values.items()}} for group, values in
                table.iterrows()]
        rows.append({key: "Grand Total", **{c: round(int(v) / 100, 2) for c, v in totals.items()}})
        print(json.dumps(rows, indent=1))
        return
    shown = table.copy()
    shown.loc["Grand Total"] = totals
    amounts = shown.apply(cents_to_amount)
    if fmt == "csv":
        print(amounts.to_csv(float_format="%.2f"), end="")
        return
    from rich.console import Console
    from rich.table import Table

    text = amounts.map(lambda v: f"{v:,.2f}")
    text.index = text.index.astype(str)
    widths = {key: max(len(key), text.index.str.len().max())}
    widths |= {column: max(len(column), text[column].str.len().max()) for column in text.columns}
    view = Table(title=f"Aging by {by.replace('_', ' ')}")
    for n, (column, width) in enumerate(widths.items()):
        view.add_column(column, justify="right" if n else "left", no_wrap=True, min_width=width,
                        style="bold" if column == TOTAL else None)
    for group, values in text.iterrows():
        view.add_row(group, *values, style="bold" if group == "Grand Total" else None)
    # Never cut an amount or a name short: the table is as wide as it needs (a narrow terminal wraps lines).
    Console(width=sum(widths.values()) + 3 * len(widths) + 1).print(view)


def _records(frame, money: dict[str, str]) -> list[dict]:
    """Rows as JSON objects: cents columns renamed to amounts with two decimals, text as given."""
    shown = frame.rename(columns=money)
    for column in money.values():
        shown[column] = shown[column].map(lambda cents: float(cents_to_amount(cents)))
    return json.loads(shown.to_json(orient="records", force_ascii=False))


def _print_reconcile(lines, review, fmt: str, workbook: Path | None) -> None:
    kinds = {"proposals": ("Apply", PROPOSALS), "write_offs": ("Write off", DIFFERENCES),
             "short_pays": ("Short pay", DIFFERENCES)}
    if fmt == "json":
        parts = {key: _records(lines.loc[lines["kind"] == kind, list(contract)], {"amount_cents": "amount"})
                 for key, (kind, contract) in kinds.items()}
        parts["review"] = _records(review, {"credit_cents": "credit_amount", "left_cents": "amount"})
        print(json.dumps({key: parts[key] for key in ("proposals", "review", "write_offs", "short_pays")},
                         indent=1, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    view = Table(title="Proposed applications")
    for column in ("Kind", "Customer", "Credit", "Invoice", "Currency", "Amount", "Rule", "Confidence"):
        view.add_column(column, justify="right" if column == "Amount" else "left", no_wrap=True)
    for row in lines.itertuples():
        view.add_row(row.kind, row.customer_id, row.credit_doc, row.invoice_doc, row.currency,
                     f"{cents_to_amount(row.amount_cents):,.2f}", row.rule, row.confidence)
    console = Console(width=120)
    console.print(view)
    counts = review["reason"].value_counts()
    console.print(f"{len(review):,} credits left for review" +
                  (": " + ", ".join(f"{n:,} {reason}" for reason, n in counts.items()) if len(review) else "."))
    if workbook:
        console.print(f"Written to the Reconcile sheet of {workbook}.")


def _applied_text(applied, written: Path | None) -> str:
    """One line per approved line, then what was written."""
    lines = [f"{row.kind} {row.credit_doc} -> {row.invoice_doc} "
             f"{'' if pd.isna(row.amount_cents) else f'{cents_to_amount(row.amount_cents):,.2f} '}{row.currency}: "
             f"{row.status}" for row in applied.itertuples()]
    lines.append(jobs.applied_summary(applied) + ".")
    if written:
        lines.append(f"Cash receipt import: {written}")
    return "\n".join(lines)


def _note(args, today: dt.date) -> pd.DataFrame:
    """The note `ardesk notes add` logs (NOTES columns, one row), written now."""
    def cents(amount):
        return pd.NA if amount is None else cents_from_decimal(amount)

    def day(date):
        return pd.NaT if date is None else pd.Timestamp(date)

    return pd.DataFrame({
        "customer_id": [args.customer], "doc_no": [args.invoice], "written": [pd.Timestamp(dt.datetime.now())],
        "contact_type": [args.contact_type], "contact_person": [args.contact_person], "outcome": [args.outcome],
        "promise_cents": [cents(args.promise_amount)], "promise_date": [day(args.promise_date)],
        "dispute_reason": [args.dispute_reason], "dispute_cents": [cents(args.dispute_amount)],
        "follow_up": [day(args.follow_up)], "text": [args.text], "author": [args.author or getpass.getuser()],
        "source": ["Command"],
    }).astype(NOTES)


def _pushed_text(pushed) -> str:
    """Each note's status, then the counts and, when the push stopped early, why."""
    lines = [f"{key}: {text}" for key, text in zip(pushed.notes["note_id"], status_text(pushed.notes))]
    lines.append(f"{pushed.sent} sent, {pushed.found} already in the ERP, {pushed.invalid} invalid, "
                 f"{pushed.queued} queued" + (f": {pushed.error}" if pushed.error else "."))
    return "\n".join(lines)


def _history_text(found, customer: str) -> str:
    if found.empty:
        return f"No notes for {customer} in the ERP."
    lines = []
    for row in found.itertuples():
        head = (f"{'' if pd.isna(row.written) else f'{row.written:%Y-%m-%d}':<10}  {row.contact_type:<8} "
                f"{row.outcome:<13} {row.author:<12} ")
        text = [line for line in row.text.splitlines() if line.strip()] or [""]
        lines += [head + text[0], *(" " * len(head) + line for line in text[1:])]
    return "\n".join(lines)


def run(args) -> int:
    today = dt.date.today()
    with _Progress() as progress:
        if args.command == "demo-erp":
            connect = jobs.build_demo_erp(args.connect, args.as_of or today, progress.step, progress.rows,
                                          customers=args.customers, seed=args.seed, replace_existing=args.replace)
            result = f"Demo ERP ready: {connect}"
        elif args.command == "demo":
            output = (args.output or Path("ardesk-aging.xlsx")).resolve()
            path = jobs.demo(_settings(args), args.as_of or today, output, progress.step, progress.rows)
            result = str(path)
        elif args.command == "aging":
            table = jobs.aging_report(_settings(args), args.as_of or today, args.by, progress.step)
            result = None
        elif args.command == "workbook":
            output = (args.output or Path("ardesk-aging.xlsx")).resolve()
            result = str(jobs.build_workbook(_settings(args), args.as_of or today, output, progress.step))
        elif args.command == "refresh":
            settings = jobs.settings_from_workbook(args.workbook, load(args.settings))
            if args.connect:
                settings = settings.with_overrides(erp={"connect": args.connect}, source="")
            output = args.output.resolve() if args.output else None
            result = str(jobs.refresh(args.workbook.resolve(), settings, args.as_of or today, progress.step, output))
        elif args.command == "reconcile" and args.reconcile_action == "apply":
            applied, written = jobs.apply_approved(args.workbook.resolve(), load(args.settings), args.as_of or today,
                                                   progress.step)
            result = _applied_text(applied, written)
        elif args.command == "reconcile":
            workbook = args.workbook.resolve() if args.workbook else None
            lines, review = jobs.reconcile(_settings(args), args.as_of or today, progress.step, workbook)
            result = None
        elif args.command == "notes" and args.notes_action == "push":
            if args.workbook:
                settings = jobs.settings_from_workbook(args.workbook, load(args.settings))
                if args.connect:
                    settings = settings.with_overrides(erp={"connect": args.connect}, source="")
                pushed = jobs.push_notes(args.workbook.resolve(), settings, args.as_of or today, progress.step)
            else:
                pushed = jobs.push_note_file(args.source.resolve(), _settings(args), args.as_of or today,
                                             progress.step)
            result = _pushed_text(pushed)
        elif args.command == "notes" and args.notes_action == "add":
            pushed = jobs.add_note(_note(args, today), _settings(args), today, progress.step)
            result = _pushed_text(pushed)
        elif args.command == "notes":
            found = jobs.note_history(args.customer, _settings(args), today, progress.step)
            result = _history_text(found, args.customer)
        elif args.command == "plan":
            schedule, pushed = jobs.payment_plan(args.customer, cents_from_decimal(args.amount), args.installments,
                                                 args.every, args.start, _settings(args), today, args.author,
                                                 progress.step)
            result = "\n".join([f"{row.installment:>3}  {row.due_date:%Y-%m-%d}  {cents_to_amount(row.amount_cents):,.2f}"
                                for row in schedule.itertuples()] + [_pushed_text(pushed)])
        elif args.command == "hitlist":
            output = (args.output or Path("ardesk-hitlist.xlsx")).resolve()
            paths = jobs.hit_lists(_settings(args), args.as_of or today, output, args.split_by == "sales_rep",
                                   progress.step)
            result = "\n".join(map(str, paths))
        elif args.command == "addin" and args.addin_command == "build":
            result = str(jobs.build_addin((args.output or Path("ardesk.xlam")).resolve(), progress.step))
        elif args.command == "addin":
            result = jobs.install_addin(progress.step)
        elif args.command == "render":
            result = "\n".join(map(str, jobs.render(args.workbook.resolve(), args.png.resolve(), progress.step)))
    if args.command == "aging":
        _print_aging(table, args.by, args.format)
    elif args.command == "reconcile" and args.reconcile_action is None:
        _print_reconcile(lines, review, args.format, args.workbook)
    else:
        print(result)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except ArdeskError as exc:
        print(f"ardesk: {exc}", file=sys.stderr)
        return EXIT_IN_USE if isinstance(exc, WorkbookInUse) else EXIT_USER
    except KeyboardInterrupt:
        print("ardesk: stopped.", file=sys.stderr)
        return EXIT_USER
