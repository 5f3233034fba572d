"""A workbook file as the jobs' WorkbookHandle (ardesk.handle): what the `ardesk` command and the tests use."""
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ardesk.book.sharing import refuse_if_open
from ardesk.errors import ArdeskError
from ardesk.xlsx.reading import opened


class WorkbookFile:
    """A workbook on disk. `show` only checks the sheet is there and remembers it (`shown`): a file has no
    screen; `selected` stands for the row a person would have selected (a list of rows: for the rows selected)."""

    def __init__(self, path: Path, selected: dict[str, object] | list[dict[str, object]] | None = None):
        self.path = Path(path)
        self.shown: str | None = None
        rows = selected if isinstance(selected, list) else [selected] if selected else []
        self._selected = [dict(row) for row in rows]

    @contextmanager
    def released(self) -> Iterator[None]:
        refuse_if_open(self.path)
        yield

    def show(self, sheet: str) -> None:
        with opened(self.path) as book:
            if sheet not in book.sheetnames:
                raise ArdeskError(f"{self.path.name} has no {sheet} sheet: refresh it with this version of ardesk.")
        self.shown = sheet

    def selected_row(self) -> dict[str, object]:
        return self._selected[0] if self._selected else {}

    def selected_rows(self) -> list[dict[str, object]]:
        return list(self._selected)
