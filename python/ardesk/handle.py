"""The workbook a user action works on, as the jobs see it: one small interface, two implementations.

The `ardesk` command and scheduled refreshes hand the jobs a workbook file (book.file_handle.WorkbookFile);
the AR Desk ribbon hands them the workbook open in Excel (excel.live.LiveWorkbook, through xlwings). A job
rewrites the file with ardesk's own writer while the handle has let go of it, and shows people where to look;
so the live workbook is read and written as a whole file, never cell by cell.
"""
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol


class WorkbookHandle(Protocol):
    path: Path
    """The workbook's file."""

    def released(self) -> AbstractContextManager[None]:
        """While the job rewrites the file: Excel has saved and closed it, and opens the new one after (live);
        nobody else has it open (file)."""

    def show(self, sheet: str) -> None:
        """Bring `sheet` to the front."""

    def selected_row(self) -> dict[str, object]:
        """Header -> value of the table row the user has selected (empty when none is, or for a file)."""

    def selected_rows(self) -> list[dict[str, object]]:
        """Header -> value of each row the user has selected on a sheet (a table's, or a report's under its header
        row), in sheet order; empty when none is."""
