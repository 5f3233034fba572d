"""The `ardesk` command line: every command, sub-command and option, with its help.

Only argparse and the vocabulary are imported here, so `ardesk --help` answers at once; what each command runs
is in ardesk.cli.commands.
"""
import argparse
import datetime as dt
from decimal import Decimal
from pathlib import Path

from ardesk import __version__
from ardesk.vocabulary import CONTACT_TYPES, DISPUTE_REASONS, GROUPS, OUTCOMES


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def _month(text: str) -> dt.date:
    try:
        month = dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month: write it as YYYY-MM, like 2026-11") from None
    if month.year < 1900:
        raise argparse.ArgumentTypeError(f"{text!r} is before 1900, where Excel's dates begin: give a later month")
    return month


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


def _erp_options(parser: argparse.ArgumentParser, connect_in=None) -> None:
    """--connect (in the group `connect_in` when given), --profile and --company: which ERP to read."""
    (connect_in or parser).add_argument(
        "--connect", metavar="STR",
        help="ODBC connection string or DSN=name (password from the environment or keyring, see README)")
    parser.add_argument("--profile", help="ERP profile (a folder under sql/; default from ardesk.toml: epicor)")
    parser.add_argument("--company", help="ERP company to read (default: every company)")


def _source_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--source", metavar="PATH", help="an open-items export file (CSV or XLSX) instead of the ERP")
    _erp_options(parser, where)


def _aging_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=_date, metavar="DATE", help="age as of this date (YYYY-MM-DD; default today)")
    parser.add_argument("--buckets", metavar="30,60,90,120", help="bucket thresholds in days past due")
    parser.add_argument("--basis", choices=("due", "doc"), help="age from the due date (default) or document date")


def _apply_parser(actions, summary: str, description: str, workbook: str, connect: str) -> None:
    """An `apply` action: staging what was approved on a workbook, checked against the open items of a day."""
    apply = actions.add_parser("apply", help=summary, description=description)
    apply.add_argument("workbook", type=Path, help=workbook)
    apply.add_argument("--connect", metavar="STR", help=connect)
    apply.add_argument("--as-of", type=_date, metavar="DATE", help="check against the open items of this date "
                                                                    "(default today)")


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

    close = commands.add_parser("close", help="write the Month-End workbook: the receivables rollforward of a month",
                                description="Roll the receivables forward over a month that has ended: the aging "
                                            "of the day before it, what was posted and applied in it, and the aging "
                                            "of its last day, per customer, per collector and in total, each line "
                                            "drilling to its documents; prints the workbook's path.")
    close.add_argument("--period", type=_month, metavar="YYYY-MM", required=True, help="the month to close")
    _erp_options(close)
    freezing = close.add_mutually_exclusive_group()
    freezing.add_argument("--draft", action="store_true",
                          help="write the workbook without freezing the period in the ERP (a preliminary close)")
    freezing.add_argument("--reclose", action="store_true",
                          help="freeze today's figures of a period closed before, replacing what was frozen")
    close.add_argument("--output", metavar="PATH", type=Path,
                       help="workbook to write (default ./month-end-YYYY-MM.xlsx)")
    close.add_argument("--aging", metavar="WORKBOOK", type=Path,
                       help="propose for write-off the disputes marked Invalid: uncollectible on this aging workbook")

    dunning = commands.add_parser("dunning", help="dunning letters: propose who gets which level, send the approved",
                                  description="--preview writes the Dunning workbook: the letter each customer is due "
                                              "today by [dunning] levels, with an Approve column, and those left out "
                                              "with the reason. --send writes the letters approved there that are "
                                              "still due (with an e-mail draft each) into a folder beside the "
                                              "workbook and logs each as a Letter note in the ERP once; with --email "
                                              "the drafts go out through [smtp] and only the letters the mail server "
                                              "accepted are logged.")
    step = dunning.add_mutually_exclusive_group(required=True)
    step.add_argument("--preview", action="store_true", help="write the Dunning workbook")
    step.add_argument("--send", action="store_true", help="send the letters approved in the Dunning workbook")
    dunning.add_argument("--workbook", metavar="PATH", type=Path, help="the Dunning workbook (default ./dunning.xlsx)")
    dunning.add_argument("--format", choices=("pdf", "docx", "both"), default="pdf",
                         help="with --send, the letters as PDF (default), Word documents, or both")
    dunning.add_argument("--email", action="store_true",
                         help="with --send, also e-mail each letter through [smtp]; a letter the mail server refuses "
                              "is not logged")
    _erp_options(dunning)
    dunning.add_argument("--as-of", type=_date, metavar="DATE", help="as-of date (default today)")

    returned = commands.add_parser("returns", help="payments returned unpaid: notices to the customers",
                                   description="Payments returned unpaid (bounced cheques, rejected debits, stopped "
                                               "payments), as the Returned Payments sheet of the aging workbook lists "
                                               "them.")
    returned_actions = returned.add_subparsers(dest="returns_action", required=True, metavar="ACTION")
    notices = returned_actions.add_parser(
        "notices", help="write the notice of each return still owed and log it once",
        description="Write a notice (from [returns] template, with an e-mail draft) for each payment returned in "
                    "[returns] months whose invoices still owe something and has had none logged, "
                    "into a folder beside the workbook, then log each as a Letter note in the ERP once.")
    notices.add_argument("--workbook", metavar="PATH", type=Path,
                         help="the notices go in a folder beside this workbook (default ./ardesk-aging.xlsx)")
    notices.add_argument("--format", choices=("pdf", "docx", "both"), default="pdf",
                         help="the notices as PDF (default), Word documents, or both")
    _erp_options(notices)
    notices.add_argument("--as-of", type=_date, metavar="DATE", help="as-of date (default today)")

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
    _apply_parser(reconcile_actions, "stage the approved applications in the ERP",
                  "Stage the lines approved on the workbook's Reconcile sheet in ardesk's staging table in the ERP "
                  "(each once, however often you apply) and write the cash receipt import CSV beside the workbook; "
                  "lines whose credit or invoice changed in the ERP are rejected, each with why.",
                  "an aging workbook with a Reconcile sheet", "stage in this ERP instead of the workbook's")

    writeoffs = commands.add_parser("writeoffs", help="write-offs approved at month-end: stage them in the ERP",
                                    description="Write-offs proposed on the Month-End workbook's Write-Offs sheet "
                                                "(ardesk close) and approved there by name.")
    writeoff_actions = writeoffs.add_subparsers(dest="writeoffs_action", required=True, metavar="apply")
    _apply_parser(writeoff_actions, "stage the approved write-offs in the ERP",
                  "Stage the write-offs approved on the Month-End workbook's Write-Offs sheet in ardesk's staging "
                  "table in the ERP (each once, however often you apply) and write the AR adjustment import CSV "
                  "beside the workbook. An approver not in [writeoffs] approvers, or a write-off over the approver's "
                  "limit, stops it all with nothing written; an item paid or changed since the close is rejected, "
                  "each with why.", "a Month-End workbook (ardesk close)",
                  "ODBC connection string (default from settings)")

    credit = commands.add_parser("credit", help="credit management: holds, releases and limits out, bureau reports in",
                                 description="Credit decisions made on the aging workbook, written to the ERP, and "
                                             "the credit bureaus' reports brought in beside the ledger.")
    credit_actions = credit.add_subparsers(dest="credit_action", required=True, metavar="ACTION")
    holds = credit_actions.add_parser(
        "holds", help="set the approved credit holds and releases in the ERP",
        description="Set (or lift) the ERP's credit hold of each customer approved on the workbook's Credit Hold "
                    "sheet (Approve Hold: Yes), dated today with ARDESK as the source, each logged as a collection "
                    "note, exactly once however often it runs. An approval today's figures no longer support (paid "
                    "down, or behind again) is refused with why.")
    holds.add_argument("workbook", type=Path, help="an aging workbook with a Credit Hold sheet")
    holds.add_argument("--connect", metavar="STR", help="set the holds in this ERP instead of the workbook's")
    credit_limits = credit_actions.add_parser(
        "limits", help="stage the credit limits approved on the Credit Review sheet in the ERP",
        description="Stage the credit limits approved on the aging workbook's Credit Review sheet (an approver's name "
                    "under Approve; the Approved Limit, or the recommended one) in ardesk's staging table in the ERP, "
                    "each once however often you run it, with the workbook's as-of date as the review date, and log "
                    "a collection note of each. An approver not in [credit] approvers, or a limit over the approver's "
                    "authority, stops it all with nothing written.")
    credit_limits.add_argument("workbook", type=Path, help="an aging workbook with a Credit Review sheet")
    credit_limits.add_argument("--connect", metavar="STR", help="stage in this ERP instead of the workbook's")
    bureau = credit_actions.add_parser(
        "import", help="match a bureau's reports to customers and store them in the ERP",
        description="Read a credit bureau's export (CSV or XLSX) as [bureaus.NAME] in ardesk.toml describes it, "
                    "match each row to a customer by tax ID, then by name and address, and store the matched "
                    "reports in the ERP in one transaction, each once however often you import. Rows that are "
                    "not certain are listed in \"FILE review.csv\" beside it: fill in its \"ardesk customer\" "
                    "column and import the list again.")
    bureau.add_argument("file", type=Path, help="the bureau's export (.csv or .xlsx)")
    bureau.add_argument("--bureau", required=True, metavar="NAME",
                        help="whose export it is: generic, dnb, or a [bureaus.NAME] of ardesk.toml")
    _erp_options(bureau)

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
    push_from.add_argument("--source", dest="csv", metavar="CSV", type=Path, help="a notes CSV (see README)")
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
    box = note_actions.add_parser(
        "outbox", help="the notes waiting to be sent: list, retry, discard",
        description="The notes not sent yet, each kept for the ERP it was written for: list them (the default), "
                    "retry them (each to its own ERP; a note kept by an older ardesk without one goes to the ERP "
                    "of the settings), or discard some (they are kept, marked Discarded, and never sent). Without "
                    "WORKBOOK, the outbox of `notes add`, `plan` and notes CSVs.")
    box.add_argument("workbook", nargs="?", type=Path, help="the workbook whose outbox to use")
    doing = box.add_mutually_exclusive_group()
    doing.add_argument("--retry", dest="outbox_action", action="store_const", const="retry",
                       help="push the notes, each to its own ERP")
    doing.add_argument("--discard", dest="outbox_action", action="store_const", const="discard",
                       help="never send the notes (with --yes)")
    box.add_argument("--note", action="append", metavar="ID", help="only this note (repeat for more; the start "
                                                                   "of its ID is enough)")
    box.add_argument("--yes", action="store_true", help="discard without asking again")
    box.add_argument("--connect", metavar="STR", help="for retry: where notes kept without an ERP go")
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

    escalate = commands.add_parser(
        "escalate", help="place an account with a collection agency or an attorney, recorded as a note",
        description="Record that the customer's account is placed with a collection agency (--agency) or an "
                    "attorney (--attorney) as a note pushed to the ERP, once; from then on it leaves the Worklist "
                    "and shows on the Placed Accounts sheet.")
    escalate.add_argument("customer", help="customer ID")
    whom = escalate.add_mutually_exclusive_group(required=True)
    whom.add_argument("--agency", metavar="NAME", help="the collection agency")
    whom.add_argument("--attorney", metavar="NAME", help="the attorney")
    escalate.add_argument("--author", help="who placed it (default: this computer's user)")
    escalate.add_argument("--connect", metavar="STR", help="ODBC connection string (default from settings)")
    escalate.add_argument("--as-of", type=_date, metavar="DATE",
                          help="as-of date of the past due noted (default today)")

    hitlist = commands.add_parser("hitlist", help="write the weekly hit list for sales",
                                  description="Write the Hit List workbook: past-due customers grouped by sales "
                                              "rep, amounts per bucket, oldest item and last note. Prints the "
                                              "path of each workbook written.")
    _source_options(hitlist)
    _aging_options(hitlist)
    hitlist.add_argument("--output", metavar="PATH", type=Path, help="workbook to write (default ./ardesk-hitlist.xlsx)")
    hitlist.add_argument("--split-by", choices=("sales_rep",),
                         help="also write one workbook per sales rep beside OUTPUT (OUTPUT-name-of-rep.xlsx)")

    statements = commands.add_parser(
        "statements", help="write statements of account (PDF or Word) with an e-mail draft for each",
        description="Write a statement of account for each customer (open items with a running balance, the aging, "
                    "total due and past due) from the Word template, and an e-mail draft (.eml, the statement "
                    "attached) for each customer with a good e-mail address; prints each statement and why a "
                    "customer got no draft. With --send, the e-mails go out through the mail server of [smtp].")
    who = statements.add_mutually_exclusive_group(required=True)
    who.add_argument("--customers", nargs="+", metavar="ID",
                     help="these customers (even those the ERP says take no statements)")
    who.add_argument("--all", action="store_true",
                     help="every customer with open items, but those the ERP says take no statements")
    _source_options(statements)
    statements.add_argument("--as-of", type=_date, metavar="DATE", help="as-of date (default today)")
    statements.add_argument("--output", metavar="DIR", type=Path,
                            help="folder for the statements and drafts (default ./statements-YYYY-MM-DD)")
    statements.add_argument("--format", choices=("pdf", "docx", "both"), default="pdf",
                            help="the statements as PDF (default), Word documents, or both")
    statements.add_argument("--send", action="store_true", help="also send the e-mails through [smtp]")

    render = commands.add_parser("render", help="draw each sheet of a workbook as a PNG",
                                 description="Render each visible sheet of a workbook to a PNG through LibreOffice "
                                             "(headless) and pdftoppm; prints the path of each picture.")
    render.add_argument("workbook", type=Path, help="a workbook (.xlsx)")
    render.add_argument("--png", metavar="DIR", type=Path, required=True, help="folder for the pictures")

    erp = commands.add_parser("erp", help="ardesk's own tables in the ERP: bring them up to date",
                              description="Work on the tables ardesk keeps in the ERP database.")
    erp_actions = erp.add_subparsers(dest="erp_action", required=True, metavar="ACTION")
    migrate = erp_actions.add_parser(
        "migrate", help="create or upgrade ardesk's tables in the ERP",
        description="Apply, in order, the migration steps the ERP has not had (sql/migrations/), each recorded in "
                    "ardesk.ardesk_schema; an ERP already up to date is left as it is.")
    migrate.add_argument("--connect", metavar="STR", help="ODBC connection string (default from settings)")
    migrate.add_argument("--dry-run", action="store_true",
                         help="print the SQL it would run, rendered for this database, and write nothing")

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
