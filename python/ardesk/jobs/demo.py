"""The demo ERP, and the aging workbook a new user sees first."""
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from ardesk import pipeline
from ardesk.demo import ledger
from ardesk.erp import demo as demo_erp
from ardesk.handle import WorkbookHandle
from ardesk.progress import QUIET, Progress
from ardesk.settings import SETTINGS_FILE, Settings


def build_demo_erp(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
                   connect: str | None = None, customers: int = 1500, seed: int = 7, replace_existing: bool = False) -> str:
    """`ardesk demo-erp`: create and fill the demo ERP at `connect` (default: the SQLite file in the user's data
    directory, never the ERP of ardesk.toml); returns its connection string (password masked)."""
    progress.step(f"Generating the demo ledger ({customers:,} customers)")
    tables = ledger.generate(customers, seed, as_of)
    progress.step(f"Building the demo ERP ({customers:,} customers)", total=sum(len(t) for t in tables.values()))
    return demo_erp.build(connect, tables=tables, replace=replace_existing, on_rows=progress.advance)


@dataclass(frozen=True)
class Demo:
    """What `ardesk demo` did: the workbook written, the demo ERP it reads, and the settings file written for the
    commands that come next (None when one was there already: it is the user's, and stays as it is)."""

    workbook: Path
    connect: str
    settings_file: Path | None


def demo(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
         settings_folder: Path | None = None) -> Demo:
    """`ardesk demo`: build the demo ERP if it is missing (ardesk's own demo file, when an older ardesk built it
    without a table this one reads, is built again), then the aging workbook from it; and, where no ardesk.toml
    is in `settings_folder` yet, one naming the demo ERP, so that `ardesk notes history`, `reconcile` ... work
    next without options."""
    connect = demo_erp.default_connect()
    if not demo_erp.exists(connect):
        build_demo_erp(None, settings, as_of, progress, connect=connect, replace_existing=True)
    demo_settings = replace(settings, erp=replace(settings.erp, connect=connect, profile="epicor", company=""),
                            source="")
    with handle.released():
        workbook = pipeline.build(handle.path, demo_settings, as_of, progress).path
    written = None
    if settings_folder is not None and not (settings_folder / SETTINGS_FILE).exists():
        written = settings_folder / SETTINGS_FILE
        written.write_text(
            f'# Written by `ardesk demo`: the commands read the demo ERP.\n[erp]\nprofile = "epicor"\n'
            f'connect = "{_toml_text(connect)}"\n\n[close]\nar_accounts = ["{ledger.GL_ACCOUNT}"]\n'
            f'allowance_accounts = ["{ledger.ALLOWANCE_ACCOUNT}"]\nbad_debt_account = "{ledger.BAD_DEBT_ACCOUNT}"\n\n'
            '[writeoffs]\n# Who may approve write-offs, and up to how much (base currency): put your own names here.\n'
            'approvers = { "Controller" = 100000, "AR Supervisor" = 2500 }\n', encoding="utf-8")
    return Demo(workbook, connect, written)


def _toml_text(text: str) -> str:
    """`text` inside a TOML basic string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')
