"""The workbook open in Excel as the jobs' WorkbookHandle (ardesk.handle), through xlwings' free part.

A job rewrites the workbook's file, so `released` saves and closes the workbook in Excel and opens the new
file in its place afterwards (also after a failure, so the user is never left without it). Reads are whole
ranges.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import xlwings as xw

HEADER_ROWS = 4
"""Where a sheet's header row may be: row 1 of a table, row 4 of a report (ardesk.book.lists.HEADER)."""
WIDEST = 40
"""The columns read to find the header row: more than any sheet of the aging workbook has."""


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

    def selected_rows(self) -> list[dict[str, object]]:
        """Each selected row (every area of the selection) against the sheet's header row: the first of its top
        HEADER_ROWS rows that has a "Customer ID" (row 1 of a table, row 4 of a report such as the Worklist)."""
        selection = self.book.app.selection
        if selection is None:
            return []
        sheet = selection.sheet
        top = sheet.range((1, 1), (HEADER_ROWS, WIDEST)).value
        at = next((n for n, row in enumerate(top, 1) if "Customer ID" in row), None)
        if at is None:
            return []
        header = [h for h in top[at - 1] if h is not None]
        numbers = sorted({cell.row for area in selection.api.Areas for cell in sheet.range(area.Address).rows
                          if cell.row > at})
        rows = []
        for number in numbers:
            values = sheet.range((number, 1), (number, len(header))).value
            rows.append(dict(zip(header, values if isinstance(values, list) else [values])))
        return rows

    def tell(self, text: str) -> None:
        self.book.app.status_bar = text or False  # False gives the status bar back to Excel
