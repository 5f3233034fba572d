"""The `ardesk` command: a thin front door. It parses the command line (ardesk.cli.parser), resolves the
settings once, runs the command's job from its table (ardesk.cli.commands) and prints what the job's formatter
says (ardesk.cli.text).

Exit codes (for schedulers): 0 done; 1 a problem the user can fix, explained in one sentence on stderr (also
when a write refused some of its notes or lines, after doing the others: see Command.refused);
2 the command line itself was wrong (argparse's usage message); 3 the workbook is open in Excel by someone
(nothing was written: try again later, or refresh with --output).
"""
import datetime as dt
import gc
import importlib
import os
import sys

from ardesk.cli.parser import build_parser
from ardesk.errors import ArdeskError, WorkbookInUse

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_IN_USE = 0, 1, 2, 3
FIRST_DAY = dt.date(1900, 1, 1)
"""The earliest as-of date: Excel's dates begin here, and the Summary's history reaches a year back from it."""

__all__ = ["build_parser", "command", "main", "run"]


def run(args) -> int:
    """Run the parsed command line: settings resolved once (ardesk.toml < the workbook's own < the options),
    the job run with progress on the terminal, its result printed."""
    from ardesk.cli import commands, text
    from ardesk.cli.progress import Bar
    from ardesk.settings import resolve

    command = commands.COMMANDS[commands.name_of(args)]
    module, function = command.job.split(":")
    job = getattr(importlib.import_module(f"ardesk.jobs.{module}"), function)
    path = command.workbook(args) if command.workbook else None
    handle = saved = None
    if path is not None:
        from ardesk.book.file_handle import WorkbookFile
        from ardesk.book.settings_sheet import read_config

        handle = WorkbookFile(path)
        saved = read_config(path) if command.saved else None
    settings = resolve(args.settings, saved, commands.overrides(args))
    as_of = getattr(args, "as_of", None) or dt.date.today()
    if as_of < FIRST_DAY:
        raise ArdeskError(f"The as-of date {as_of} is before {FIRST_DAY}, where Excel's dates begin: give a later date.")
    with Bar() as progress:
        result = job(handle, settings, as_of, progress, **command.params(args))
    print(getattr(text, command.text)(result, args))
    refused = command.refused(result)
    if refused:
        print(f"ardesk: {refused}", file=sys.stderr)
        return EXIT_USER
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
    except BrokenPipeError:  # the reader (`| head`) has what it wanted: nothing more to say, and no traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def command() -> int:
    """The `ardesk` program itself (its console script, `python -m ardesk`): `main`, with what the run made left
    for the process's exit to free. gc.freeze spares Python's last collection at exit walking every object of the
    run and of every module imported: 0.11 s of a 1,500-customer refresh (teardown 0.15 s -> 0.04 s, median of 5)."""
    code = main()
    gc.freeze()
    return code
