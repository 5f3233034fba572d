"""The workbook open in Excel as the jobs' WorkbookHandle (ardesk.handle), through xlwings' free part.

A job rewrites the workbook's file, so `released` saves and closes the workbook in Excel and opens the new
file in its place afterwards (also after a failure, so the user is never left without it). Reads are whole
ranges.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import xlwings as xw


class LiveWorkbook:
    def __init__(self, book: xw.Book):
        self.book = book
        self.path = Path(book.fullname)

    @contextmanager
    def released(self) -> Iterator[None]:
        app = self.book.app
        self.book.save()
        self.book.close()
        try:
            yield
        finally:
            self.book = app.books.open(str(self.path))

    def show(self, sheet: str) -> None:
        self.book.sheets[sheet].activate()

    def selected_row(self) -> dict[str, object]:
        """The selected row of the active sheet against the sheet's header row (row 1), read as two ranges."""
        selection = self.book.app.selection
        if selection is None or selection.row == 1:
            return {}
        sheet = selection.sheet
        header = sheet.range("A1").expand("right").value
        header = header if isinstance(header, list) else [header]
        values = sheet.range((selection.row, 1), (selection.row, len(header))).value
        return dict(zip(header, values if isinstance(values, list) else [values]))

    def tell(self, text: str) -> None:
        self.book.app.status_bar = text or False  # False gives the status bar back to Excel
