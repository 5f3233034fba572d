"""Opening a workbook someone saved, for reading: its sheets, and every way that fails as one sentence.

Workbooks travel by email and sit on shared drives, so a wrong path, a file that is not xlsx, or a damaged
part inside one are ordinary user errors, not tracebacks. The package is read directly (zipfile and lxml):
openpyxl's read-only mode turns every shared string into objects and walks through every sheet that lacks a
<dimension> just to open a workbook, about 1 s for a 30,000-row aging workbook before the first cell.
"""
import posixpath
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from ardesk.book.sheet_reader import SheetCells, Styles, text_of
from ardesk.errors import ArdeskError

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_NOT_A_WORKBOOK = "{path} is not an Excel workbook (.xlsx): give the path of a workbook ardesk wrote."


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

    def cells(self, name: str) -> SheetCells:
        """The cells of the worksheet called `name`, streamed; close them after use (a context manager)."""
        part = {s.name: s.part for s in self.sheets}[name]
        return SheetCells(self._package.open(part), self._strings, self._styles)

    def _xml(self, part: str) -> etree._Element:
        return etree.fromstring(self._package.read(part), _PARSER)

    @cached_property
    def _strings(self) -> list[str]:
        parts = _related(self._package, self._workbook, "sharedStrings")
        return [text_of(si) for si in self._xml(parts[0]).iterfind(f"{_MAIN}si")] if parts else []

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
    return [path for _, path, type_ in _relationships(package, part) if type_ == _TYPES + kind]


@contextmanager
def opened(path: str | Path) -> Iterator[SavedWorkbook]:
    """The workbook at `path`, for reading."""
    path = Path(path)
    if not path.is_file():
        raise ArdeskError(f"The workbook {path} does not exist: check the path.")
    try:
        package = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ArdeskError(_NOT_A_WORKBOOK.format(path=path)) from None
    try:
        book = SavedWorkbook(package)
    except (zipfile.BadZipFile, KeyError, IndexError, SyntaxError, ValueError):  # no workbook part, or a broken one
        package.close()
        raise ArdeskError(_NOT_A_WORKBOOK.format(path=path)) from None
    try:
        yield book
    except (zipfile.BadZipFile, SyntaxError):  # a damaged part; XML parsers' errors are SyntaxErrors
        raise ArdeskError(f"{path} is damaged: open it in Excel, save it again and retry.") from None
    finally:
        package.close()
