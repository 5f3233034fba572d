"""ardesk.xlam from its sources: the ribbon and the VBA dispatcher in xladdin/, xlwings' VBA module from the
installed xlwings, and the settings xlwings reads from the add-in's config sheet.

An .xlam is a macro-enabled workbook package (OPC, ECMA-376 Part 2) whose main part has the add-in content
type, which is what makes Excel load it as an add-in. Its parts: the workbook (code name ThisWorkbook), one
config sheet, styles and shared strings, document properties, the ribbon (customUI/customUI14.xml, linked from
the package root) and the VBA project (xl/vbaProject.bin, see ovba.py).

xlwings' VBA module is taken from the xlwings installed beside ardesk each time the add-in is built, because
RunPython calls into that version's DLL: the add-in must match it.
"""
import re
from collections.abc import Sequence
from importlib import metadata, resources
from pathlib import Path

from ardesk.addin.ovba import Module, vba_project
from ardesk.book.cells import SharedStrings, row
from ardesk.book.sheet import Layout, worksheet
from ardesk.book.styles import stylesheet
from ardesk.errors import ArdeskError
from ardesk.xlsx import theme
from ardesk.xlsx.namespaces import MAIN, REL, XML_DECLARATION
from ardesk.xlsx.package import (
    CORE_REL,
    SPREADSHEET,
    Part,
    document_properties,
    rel_type,
    replace_atomically,
    rid,
    write_zip,
)
from ardesk.xlsx.text import xml_text

PROJECT = "ardesk"
"""xlwings' PROJECT_NAME in the add-in: it reads its settings from the sheet `ardesk.conf` (of the active
workbook, then of the add-in) and from %USERPROFILE%\\.ardesk\\ardesk.conf, apart from xlwings' own add-in."""
CONFIG_SHEET = f"{PROJECT}.conf"
VBA_PROJECT_NAME = "ArdeskAddin"
"""The VBA project's name: VBA refuses a module named like its project, and the dispatcher is `ardesk`."""
RIBBON = "customUI/customUI14.xml"
VBA_PART = "xl/vbaProject.bin"
WORKBOOK = "xl/workbook.xml"
ADDIN_TYPE = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
VBA_TYPE = "application/vnd.ms-office.vbaProject"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
"""The relationship from the package to a 2009/07 customUI part (customUI14.xml) [MS-CUSTOMUI2]."""
_ROOT_LINKS = (
    (rel_type("officeDocument"), WORKBOOK),
    (CORE_REL, "docProps/core.xml"),
    (rel_type("extended-properties"), "docProps/app.xml"),
    (RIBBON_REL, RIBBON),
)
_THIS_WORKBOOK = "\r\n".join([
    'Attribute VB_Name = "ThisWorkbook"',
    'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"',  # Excel's Workbook class
    "Attribute VB_GlobalNameSpace = False",
    "Attribute VB_Creatable = False",
    "Attribute VB_PredeclaredId = True",
    "Attribute VB_Exposed = True",
    "Attribute VB_TemplateDerived = False",
    "Attribute VB_Customizable = True",
    "",
])
_VB_NAME = re.compile(r'Attribute VB_Name = "(\w+)"')
_PROJECT_NAME = re.compile(r'^(Public Const PROJECT_NAME As String = )"[^"]*"', re.MULTILINE)


def _crlf(text: str) -> str:
    """VBA source has CRLF line ends, whatever the checkout or the generator used."""
    return re.sub(r"\r?\n|\r", "\r\n", text)


def _source(name: str, code: str) -> Module:
    """A standard module `name` from `code`, with or without its leading Attribute VB_Name line."""
    code = _crlf(code)
    return Module(name, code if _VB_NAME.match(code) else f'Attribute VB_Name = "{name}"\r\n{code}')


def _bas(text: str, origin: str) -> Module:
    """A standard module from an exported .bas file, named by its Attribute VB_Name line."""
    named = _VB_NAME.match(text)
    if not named:
        raise ArdeskError(f"{origin} does not start with an Attribute VB_Name line: it is not an exported VBA module.")
    return _source(named.group(1), text)


def _xlwings_module() -> Module:
    """xlwings' VBA module for custom add-ins, from the installed xlwings, reading its settings as `ardesk`."""
    try:
        xlwings = metadata.distribution("xlwings")
    except metadata.PackageNotFoundError:
        raise ArdeskError("xlwings is not installed: install ardesk again (pip install ardesk), then build the "
                          "add-in.") from None
    path = Path(xlwings.locate_file("xlwings/xlwings_custom_addin.bas"))
    if not path.is_file():
        raise ArdeskError(f"xlwings {xlwings.version} has no VBA module for custom add-ins ({path}): install "
                          "xlwings 0.30 or later.")
    text, found = _PROJECT_NAME.subn(rf'\g<1>"{PROJECT}"', path.read_text(encoding="utf-8"))
    if found != 1:
        raise ArdeskError(f"The VBA module of xlwings {xlwings.version} has no PROJECT_NAME setting: install the "
                          "xlwings version ardesk names in its requirements.")
    return _bas(text, str(path))


def _xladdin(name: str) -> str:
    return resources.files("ardesk.xladdin").joinpath(name).read_text(encoding="utf-8")


def _modules(udf_modules: Sequence[tuple[str, str]]) -> list[Module]:
    """The add-in's VBA: ThisWorkbook, xlwings' module, the ribbon dispatcher, then the UDF wrappers
    (name, source)."""
    return [
        Module("ThisWorkbook", _THIS_WORKBOOK, document=True),
        _xlwings_module(),
        _bas(_xladdin("ardesk.bas"), "xladdin/ardesk.bas"),
        *(_source(name, code) for name, code in udf_modules),
    ]


def _config(interpreter: str, pythonpath: str, udf_imports: Sequence[str]) -> dict[str, str]:
    """The rows of the config sheet, in the keys xlwings' GetConfig reads (it ignores their case).

    Empty settings are left out, so that the user's own ardesk.conf file can give them. The workbook's folder
    is kept off Python's path: ardesk is installed, and a stray .py file beside a shared workbook must not run.
    """
    rows = {"Interpreter_Win": interpreter, "PYTHONPATH": pythonpath, "UDF Modules": ";".join(udf_imports),
            "ADD_WORKBOOK_TO_PYTHONPATH": "false"}
    return {key: value for key, value in rows.items() if value}


def _parts(config_rows: dict[str, str], project: bytes) -> list[Part]:
    strings = SharedStrings()
    sheet_rows = [row(n, [key, value], strings) for n, (key, value) in enumerate(config_rows.items(), 1)]
    sheet = Part(
        "xl/worksheets/sheet1.xml", SPREADSHEET + "worksheet+xml",
        list(worksheet(sheet_rows, Layout((28, 60)))),
    )
    workbook_xml = (
        f'{XML_DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr codeName="ThisWorkbook"/>'
        f'<bookViews><workbookView/></bookViews>'
        f'<sheets><sheet name="{xml_text(CONFIG_SHEET)}" sheetId="1" r:id="{rid(1)}"/></sheets></workbook>'
    )
    workbook_links = (
        (rel_type("worksheet"), sheet.name),
        (rel_type("styles"), "xl/styles.xml"),
        (rel_type("sharedStrings"), "xl/sharedStrings.xml"),
        (VBA_REL, VBA_PART),
        theme.LINK,
    )
    return [
        Part(WORKBOOK, ADDIN_TYPE, workbook_xml, workbook_links),
        sheet,
        Part("xl/styles.xml", SPREADSHEET + "styles+xml", stylesheet()),
        theme.part(),
        Part("xl/sharedStrings.xml", SPREADSHEET + "sharedStrings+xml", list(strings.xml())),
        Part(VBA_PART, VBA_TYPE, project),
        Part(RIBBON, "application/xml", _xladdin("customUI14.xml")),
        *document_properties("AR Desk"),
    ]


def build_xlam(output: Path, *, udf_modules: Sequence[tuple[str, str]] = (), interpreter: str = "",
               pythonpath: str = "", udf_imports: Sequence[str] = ()) -> Path:
    """`ardesk addin build`: write the add-in to `output` (atomically) and return its path.

    `udf_modules` are the VBA wrappers of the worksheet functions, (module name, source); `udf_imports` the
    Python modules they call. `interpreter` (Python's path on Windows) and `pythonpath` go into the config
    sheet when given.
    """
    output = Path(output)
    if output.suffix.lower() != ".xlam":
        raise ArdeskError(f"The add-in name {output.name} must end in .xlam: Excel loads add-ins from .xlam files.")
    parts = _parts(_config(interpreter, pythonpath, udf_imports), vba_project(VBA_PROJECT_NAME, _modules(udf_modules)))
    return replace_atomically(output, lambda stream: write_zip(stream, parts, _ROOT_LINKS))
