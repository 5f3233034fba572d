"""The Excel add-in: built from its sources, installed where Excel loads it."""
import datetime as dt
from pathlib import Path

from ardesk import addin
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


def build_addin(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
                output: Path) -> Path:
    """`ardesk addin build`: the add-in, with the worksheet functions, at `output`."""
    progress.step(f"Building {output.name}")
    return addin.build(output)


def install_addin(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET) -> str:
    """`ardesk addin install`: the add-in built where Excel loads it (Windows); one sentence on what was done."""
    progress.step("Installing the AR Desk add-in")
    return addin.install()
