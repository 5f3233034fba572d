"""The AR Desk ribbon's Python side: the VBA dispatcher (xladdin/ardesk.bas) runs `run(control_id)` through
xlwings' RunPython with the active workbook as the caller."""
import datetime as dt
import sys

import xlwings as xw

from ardesk import actions
from ardesk.addin.ribbon import job_for
from ardesk.errors import ArdeskError
from ardesk.excel.live import LiveWorkbook
from ardesk.settings import SETTINGS_FILE, load


def run(control_id: str) -> None:
    """Run the pressed button's job on the active workbook, with the settings beside it; show its sentence in a
    message box. A problem the user can fix ends the process with that one sentence, which xlwings shows."""
    book = LiveWorkbook(xw.Book.caller())
    try:
        action = actions.ACTIONS[job_for(control_id)]
        settings_file = book.path.parent / SETTINGS_FILE
        said = action(book, load(settings_file if settings_file.exists() else None), dt.date.today(), book.tell)
    except ArdeskError as problem:
        print(problem, file=sys.stderr)
        sys.exit(1)
    finally:
        book.tell("")
    if said:
        book.book.app.alert(said, title="AR Desk")
