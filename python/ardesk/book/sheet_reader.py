"""The cells of a few columns of a big sheet, streamed fast and as typed.

openpyxl's read-only mode turns every cell of a sheet into a Python object: a 30,000-row, 24-column Detail
takes it 3 to 9 s on the test machine (more for verbose XML), where only the key and user columns matter.
Here lxml streams the rows and only the cells of the wanted columns are decoded.

Cells come back as openpyxl would give them with formulas as text: str, int, float, bool, datetime (a
timedelta for durations), an error as its text ("#N/A"), a formula as "=..." (a shared formula translated to
its cell), None where empty. LibreOffice saves a typed TRUE as the formula =TRUE(): that reads as True.
"""
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO

from lxml import etree
from openpyxl.formula.translate import Translator
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _F, _V, _IS, _T, _R = (f"{_MAIN}{tag}" for tag in ("row", "f", "v", "is", "t", "r"))
_DIGITS = "0123456789"
_COLUMNS = {get_column_letter(i): i for i in range(1, 16_385)}
"""Column letters -> index, A to XFD (Excel's last column)."""
_BOOLEANS = {"=TRUE()": True, "=FALSE()": False}

Row = dict[int, object]
"""Column index (A = 1) -> value, for the row's non-empty cells."""


@dataclass(frozen=True)
class Styles:
    dates: frozenset[int]
    """Cell styles (indexes into the workbook's cellXfs) that show a number as a date or time."""
    durations: frozenset[int]
    """Those of them that show a duration ([h]:mm)."""
    epoch: dt.datetime
    """Day 0 of the workbook's date serials (1899-12-30, or 1904-01-01 for Mac workbooks)."""


def text_of(element: etree._Element) -> str:
    """The text of a shared or inline string (`si`, `is`): plain or rich runs, without phonetic hints."""
    return (element.findtext(_T) or "") + "".join(run.findtext(_T) or "" for run in element.iterfind(_R))


class SheetCells:
    """The rows of one sheet part, read once from top to bottom: `rows` may be called again to go on reading."""

    def __init__(self, source: IO[bytes], strings: list[str], styles: Styles):
        self._source, self._strings, self._styles = source, strings, styles
        self._elements = etree.iterparse(source, tag=_ROW, resolve_entities=False, huge_tree=True)
        self._shared: dict[str, tuple[str, str]] = {}
        """A shared formula's id -> (its formula, the cell it was written for)."""
        self._row = 0

    def __enter__(self) -> "SheetCells":
        return self

    def __exit__(self, *_) -> None:
        self._source.close()

    def rows(self, columns: set[int] | None = None, limit: int | None = None) -> Iterator[tuple[int, Row]]:
        """(row number, the row's cells in `columns`, or all of them) for the next `limit` rows (or all left)."""
        for _, element in islice(self._elements, limit):
            number = element.get("r")
            self._row = int(number) if number else self._row + 1
            yield self._row, self._cells(element, columns)
            element.clear()

    def _cells(self, row: etree._Element, columns: set[int] | None) -> Row:
        cells = {}
        column = 0
        for cell in row:
            ref = cell.get("r")
            column = _COLUMNS[ref.rstrip(_DIGITS)] if ref else column + 1
            if columns is None or column in columns:
                value = self._value(cell, ref)
                if value is not None:
                    cells[column] = value
        return cells

    def _value(self, cell: etree._Element, ref: str | None):
        value = formula = inline = None
        for part in cell:  # one pass over the cell's parts: much faster than a find() for each
            if part.tag == _V:
                value = part.text
            elif part.tag == _F:
                formula = part
            elif part.tag == _IS:
                inline = part
        if formula is not None and formula.get("t") != "dataTable":
            text = self._formula(formula, ref)
            if text is not None:
                return _BOOLEANS.get(text, text)
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            return None if inline is None else text_of(inline)
        if not value:
            return None
        if kind == "s":
            return self._strings[int(value)]
        if kind == "b":
            return value in ("1", "true")
        if kind == "d":
            return from_ISO8601(value)
        if kind != "n":  # "str" (a formula's text result) or "e" (an error such as #N/A)
            return value
        number = float(value) if "." in value or "E" in value or "e" in value else int(value)
        style = int(cell.get("s", 0))
        if style in self._styles.dates:
            try:
                return from_excel(number, self._styles.epoch, timedelta=style in self._styles.durations)
            except (OverflowError, ValueError):  # a date format on a number no date has
                return number
        return number

    def _formula(self, formula: etree._Element, ref: str | None) -> str | None:
        """The formula's text; a shared one translated from the cell it was written for (None when that cell
        was not read, so the cached value stands in)."""
        text = f"={formula.text or ''}"
        if formula.get("t") != "shared":
            return text
        group = formula.get("si")
        if formula.text:
            self._shared[group] = (text, ref)
            return text
        if group not in self._shared or ref is None:
            return None
        written, origin = self._shared[group]
        return Translator(written, origin).translate_formula(ref)
