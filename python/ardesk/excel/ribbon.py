"""The AR Desk ribbon's Python side: the VBA dispatcher (xladdin/ardesk.bas) runs `run(control_id)` through
xlwings' RunPython with the active workbook as the caller; the buttons are ardesk.excel.buttons'."""
import datetime as dt
import sys

import xlwings as xw

from ardesk.book.settings_sheet import read_config
from ardesk.errors import ArdeskError
from ardesk.excel.buttons import press
from ardesk.excel.live import LiveWorkbook
from ardesk.excel.outlook import drafter
from ardesk.progress import Told
from ardesk.settings import SETTINGS_FILE, resolve


def run(control_id: str) -> None:
    """Press the button on the active workbook, with the settings resolved once (the ardesk.toml beside the
    workbook, under the workbook's own); on Windows the e-mail drafts a button writes go to Outlook too; show its
    sentence in a message box. A problem the user can fix ends the process with that one sentence, which xlwings
    shows."""
    book = LiveWorkbook(xw.Book.caller())
    try:
        settings_file = book.path.parent / SETTINGS_FILE
        settings = resolve(settings_file if settings_file.exists() else None, read_config(book.path))
        said = press(control_id, book, settings, dt.date.today(), Told(book.tell), outlook=drafter())
    except ArdeskError as problem:
        print(problem, file=sys.stderr)
        sys.exit(1)
    finally:
        book.tell("")
    if said:
        book.book.app.alert(said, title="AR Desk")
