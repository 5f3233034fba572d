"""Reading a saved workbook: its sheets, and the cells of a few columns of a big sheet, streamed as typed;
every way that fails is one sentence. The one xlsx reader: book/ reads back what people typed, erp/files.py
reads open-items exports.

Workbooks travel by email and sit on shared drives, so a wrong path, a file that is not xlsx, or a damaged
part inside one are ordinary user errors, not tracebacks. The package is read directly (zipfile and lxml
iterparse), decoding only the cells of the wanted columns. Measured on the demo aging workbook's Detail
(27,523 rows x 24 columns) and an export (27,500 rows x 16), best of three on the shared test machine:

    Detail  export   reader
    2.5 s   3.4 s    this module, every column (1.5 s and 2.6 s for the 3 columns a refresh carries)
    3.1 s   9.4 s    openpyxl read-only (3.2 s and 8.3 s with data_only)
    0.5 s   0.7 s    python-calamine 0.9.1, the whole sheet as values

The export's whole read_open_items went from 10.7 s (openpyxl) to 5.4 s. python-calamine is faster still, but
it gives only the values last saved: no formula text, so a formula typed into a Detail column would come back
as a stale number on the next refresh. One reader keeps one set of rules, so this one stays.

Cells come back as openpyxl would give them with formulas as text: str, int, float, bool, datetime (a
timedelta for durations), an error as its text ("#N/A"), a formula as "=..." (a shared formula translated to
its cell), None where empty. LibreOffice saves a typed TRUE as the formula =TRUE(): that reads as True. Asked
for values (`formulas=False`), a formula cell gives the value its program last saved instead.
"""
import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import islice, product
from pathlib import Path
from string import ascii_uppercase
from typing import IO

from lxml import etree
from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from ardesk.errors import ArdeskError
from ardesk.xlsx.namespaces import MAIN, PACKAGE_RELS, REL

_MAIN = f"{{{MAIN}}}"
_RELATIONSHIPS = f"{{{PACKAGE_RELS}}}Relationship"
_ID = f"{{{REL}}}id"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_ROW, _F, _V, _IS, _T, _R = (f"{_MAIN}{tag}" for tag in ("row", "f", "v", "is", "t", "r"))
_DIGITS = "0123456789"
_LETTERS = (ascii_uppercase, *(map("".join, product(ascii_uppercase, repeat=n)) for n in (2, 3)))
_COLUMNS = {letters: i for i, letters in enumerate(islice((x for run in _LETTERS for x in run), 16_384), 1)}
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
    """The text of a shared or inline string (`si`, `is`): plain (its first `t`) then rich runs, without
    phonetic hints. One pass over the children, seven times faster than findtext and iterfind (which parse
    their path each call): a refresh reads the first 9,822 of the demo's shared strings in 25 ms, not 90 ms."""
    plain, runs = None, []
    for child in element:
        if child.tag == _T:
            plain = (child.text or "") if plain is None else plain
        elif child.tag == _R:
            runs.append(child.findtext(_T) or "")
    return (plain or "") + "".join(runs)


class SharedStrings:
    """A workbook's shared-string table, parsed only as far as a cell asks: reading the small `_ardesk` sheet,
    whose strings ardesk writes first, needs the first few of the demo's 30,000 strings, not 0.2 s for all."""

    def __init__(self, source: IO[bytes] | None):
        self._texts: list[str] = []
        self._elements = iter(()) if source is None else etree.iterparse(
            source, tag=f"{_MAIN}si", resolve_entities=False, huge_tree=True)

    def __getitem__(self, index: int) -> str:
        while len(self._texts) <= index:
            _, element = next(self._elements, (None, None))
            if element is None:
                raise IndexError(f"shared string {index} is past the end of the table")
            self._texts.append(text_of(element))
            element.clear()
        return self._texts[index]


class SheetCells:
    """The rows of one sheet part, read once from top to bottom: `rows` may be called again to go on reading."""

    def __init__(self, source: IO[bytes], strings: SharedStrings, styles: Styles, formulas: bool = True):
        self._source, self._strings, self._styles, self._formulas = _Emptying(source), strings, styles, formulas
        self._elements = etree.iterparse(self._source, tag=_ROW, resolve_entities=False, huge_tree=True)
        self._shared: dict[str, tuple[str, str]] = {}
        """A shared formula's id -> (its formula, the cell it was written for)."""
        self._row = 0

    def __enter__(self) -> "SheetCells":
        return self

    def __exit__(self, *_) -> None:
        self._source.close()

    def rows(self, columns: set[int] | None = None, limit: int | None = None,
             having: set[int] | None = None) -> Iterator[tuple[int, Row]]:
        """(row number, the row's cells in `columns`, or all of them) for the next `limit` rows (or all left).
        With `having`, only the rows with a value in one of those columns: the others are passed over undecoded
        (a refresh looks for what was typed, and most of the Detail's rows end before its typed columns). The
        rest of the sheet is then read that way: rows that end before those columns are not even parsed
        (_Emptying), so a later call finds them empty."""
        before = None if having is None else min(having)
        if before is not None:
            self._source.before = before
        for _, element in islice(self._elements, limit):
            number = element.get("r")
            self._row = int(number) if number else self._row + 1
            if before is None or (not _ends_before(element, before) and self._cells(element, having)):
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
        if self._formulas and formula is not None and formula.get("t") != "dataTable":
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


def _ends_before(row: etree._Element, column: int) -> bool:
    """Whether the row's last cell (cells come in column order) stands left of `column`."""
    last = row[-1].get("r") if len(row) else None
    return not len(row) or (last is not None and _COLUMNS[last.rstrip(_DIGITS)] < column)


_ROW_TAG = re.compile(rb"""<row(?:\s+[\w:.-]+\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))*\s*>""")
_CELL_TAG = re.compile(rb"""<c((?:\s+[\w:.-]+\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))*)\s*/?>""")
_REFERENCE = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})[0-9]""")
_ROW_END = b"</row>"


class _Emptying:
    """A sheet part's bytes as iterparse reads them; once `before` is set, each whole row read after that whose
    last cell stands left of column `before` comes out emptied (`<row r="9" ...>...</row>` as `<row r="9" .../>`),
    its number kept, so lxml builds no elements for cells that _ends_before would pass over anyway: the
    demo's Detail (16 MB, its typed columns empty) is read in 0.1 s instead of 0.55 s.

    Only rows recognised beyond doubt are emptied: a row start tag and a last cell tag with plain attributes,
    in the default namespace, the cell's reference given. Any other row is passed on as it is, and once a
    comment or CDATA (which may hold "</row>" as text) is seen, so is everything after it.
    """

    def __init__(self, source: IO[bytes]):
        self._source, self._pending, self._plain = source, b"", False
        self.before: int | None = None

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self._source.read(size)
            data, self._pending = self._pending + chunk, b""
            self._plain = self._plain or b"<!" in data
            if self.before is None or self._plain or not chunk:
                return data
            end = data.rfind(_ROW_END)
            if end < 0:  # no whole row yet: read on
                self._pending = data
                continue
            end += len(_ROW_END)
            self._pending = data[end:]
            return self._emptied(data[:end])

    def close(self) -> None:
        self._source.close()

    def _emptied(self, rows: bytes) -> bytes:
        """`rows`, which ends at a row's end, with the rows that end before `before` emptied."""
        pieces = rows.split(_ROW_END)
        return b"".join([*(self._row(piece) for piece in pieces[:-1]), pieces[-1]])

    def _row(self, piece: bytes) -> bytes:
        """The row that ends `piece` (and what stands before it), emptied when its last cell is left of `before`."""
        start = piece.rfind(b"<row")
        tag = _ROW_TAG.match(piece, start) if start >= 0 else None
        if tag is not None:
            cell = piece.rfind(b"<c", tag.end())  # or <color ... in rich text: then no cell tag, and it stays
            attributes = _CELL_TAG.match(piece, cell) if cell >= 0 else None
            reference = attributes and _REFERENCE.search(attributes[1])
            if reference and _COLUMNS.get(reference[1].decode(), self.before) < self.before:
                return piece[:tag.end() - 1] + b"/>"
        return piece + _ROW_END


@dataclass(frozen=True)
class Sheet:
    name: str
    visible: bool
    """False for hidden and very hidden sheets."""
    part: str
    """The sheet's part in the package, e.g. xl/worksheets/sheet2.xml."""


class SavedWorkbook:
    """The sheets of a saved workbook (worksheets and chart sheets, in tab order) and their cells."""

    def __init__(self, package: zipfile.ZipFile):
        self._package = package
        self._workbook = _related(package, "", "officeDocument")[0]
        root = self._xml(self._workbook)
        targets = {id_: target for id_, target, _ in _relationships(package, self._workbook)}
        self.sheets: list[Sheet] = [
            Sheet(s.get("name"), s.get("state", "visible") == "visible", targets[s.get(_ID)])
            for s in root.iterfind(f"{_MAIN}sheets/{_MAIN}sheet")
        ]
        properties = root.find(f"{_MAIN}workbookPr")
        in_1904 = properties is not None and properties.get("date1904") in ("1", "true")
        self._epoch = CALENDAR_MAC_1904 if in_1904 else CALENDAR_WINDOWS_1900

    @property
    def sheetnames(self) -> list[str]:
        return [s.name for s in self.sheets]

    def cells(self, name: str, *, formulas: bool = True) -> SheetCells:
        """The cells of the worksheet called `name`, streamed; close them after use (a context manager).
        Formula cells give their formula, or with `formulas=False` the value last saved with it."""
        part = {s.name: s.part for s in self.sheets}[name]
        try:
            stream = self._package.open(part)
        except KeyError:  # the workbook names a sheet whose part is not in the package: `opened` says it is damaged
            raise zipfile.BadZipFile(f"no part {part} for the sheet {name}") from None
        return SheetCells(stream, self._strings, self._styles, formulas)

    def _xml(self, part: str) -> etree._Element:
        return etree.fromstring(self._package.read(part), _PARSER)

    @cached_property
    def _strings(self) -> SharedStrings:
        parts = _related(self._package, self._workbook, "sharedStrings")
        return SharedStrings(self._package.open(parts[0]) if parts else None)

    @cached_property
    def _styles(self) -> Styles:
        """Which cell styles (indexes into cellXfs) show numbers as dates, and which of those as durations."""
        parts = _related(self._package, self._workbook, "styles")
        if not parts:
            return Styles(dates=frozenset(), durations=frozenset(), epoch=self._epoch)
        root = self._xml(parts[0])
        formats = dict(BUILTIN_FORMATS)
        formats |= {int(f.get("numFmtId")): f.get("formatCode") for f in root.iterfind(f"{_MAIN}numFmts/{_MAIN}numFmt")}
        codes = [formats.get(int(xf.get("numFmtId", 0))) for xf in root.iterfind(f"{_MAIN}cellXfs/{_MAIN}xf")]
        return Styles(
            dates=frozenset(i for i, code in enumerate(codes) if is_date_format(code)),
            durations=frozenset(i for i, code in enumerate(codes) if is_timedelta_format(code)),
            epoch=self._epoch,
        )


def _relationships(package: zipfile.ZipFile, part: str) -> Iterator[tuple[str, str, str]]:
    """(id, target part, type) of each relationship of `part` ("" for the package's own)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in package.namelist():
        return
    for relation in etree.fromstring(package.read(rels), _PARSER).iter(_RELATIONSHIPS):
        target = relation.get("Target")
        path = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        yield relation.get("Id"), path, relation.get("Type")


def _related(package: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    """The parts `part` relates to with the relationship type `kind` (officeDocument, styles ...)."""
    return [path for _, path, type_ in _relationships(package, part) if type_ == f"{REL}/{kind}"]


_NOT_A_WORKBOOK = "{path} is not an Excel workbook (.xlsx): give the path of a workbook ardesk wrote."


class NotAWorkbook(ArdeskError):
    """The file is no xlsx at all (another format, a password-protected workbook, a zip of something else)."""


@contextmanager
def opened(path: str | Path) -> Iterator[SavedWorkbook]:
    """The workbook at `path`, for reading."""
    path = Path(path)
    if not path.is_file():
        raise ArdeskError(f"The workbook {path} does not exist: check the path.")
    try:
        package = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise NotAWorkbook(_NOT_A_WORKBOOK.format(path=path)) from None
    try:
        book = SavedWorkbook(package)
    except (zipfile.BadZipFile, KeyError, IndexError, SyntaxError, ValueError):  # no workbook part, or a broken one
        package.close()
        raise NotAWorkbook(_NOT_A_WORKBOOK.format(path=path)) from None
    try:
        yield book
    except (zipfile.BadZipFile, SyntaxError):  # a damaged part; XML parsers' errors are SyntaxErrors
        raise ArdeskError(f"{path} is damaged: open it in Excel, save it again and retry.") from None
    finally:
        package.close()
