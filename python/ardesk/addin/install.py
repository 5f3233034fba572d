"""`ardesk addin install`: build the add-in where Excel opens it at start.

Excel opens every workbook in the user's XLSTART folder when it starts, and an .xlam there loads as an
add-in, so installing needs neither COM nor a registry entry. Excel add-ins only exist on Windows; elsewhere the
add-in is built for copying to a Windows machine.
"""
import os
import sys
from pathlib import Path

from ardesk import worksheet_functions
from ardesk.addin.udf_wrappers import vba_module
from ardesk.addin.xlam import build_xlam
from ardesk.errors import ArdeskError

FILE_NAME = "ardesk.xlam"
UDF_MODULE = "ardesk.excel.udfs"
"""The module xlwings imports to call the worksheet functions. Named here, never imported: importing it loads
xlwings (60 ms on Linux, and pywin32 with it on Windows) into every command that builds the add-in, and only the
front door excel/ may import xlwings; the names and parameters come from ardesk.worksheet_functions."""


def build(output: Path, interpreter: str = "") -> Path:
    """`ardesk addin build`: the add-in with the worksheet functions' VBA wrappers, at `output`."""
    return build_xlam(output, udf_modules=[vba_module(worksheet_functions.FUNCTIONS, UDF_MODULE)],
                      interpreter=interpreter, udf_imports=[UDF_MODULE])


def xlstart() -> Path:
    """The user's XLSTART folder: %APPDATA%\\Microsoft\\Excel\\XLSTART."""
    appdata = os.environ.get("APPDATA")
    if not appdata:
        raise ArdeskError("APPDATA is not set, so Excel's XLSTART folder cannot be found: run ardesk addin install "
                          "as the Windows user who uses Excel.")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"


def install(folder: Path | None = None, *, windows: bool = sys.platform == "win32") -> str:
    """Build the add-in and say in one sentence what was done.

    On Windows it goes into `folder` (default XLSTART), set to run this Python; elsewhere into `folder`
    (default the current folder), with the interpreter left for the Windows machine's ardesk.conf.
    """
    if not windows:
        built = build((folder or Path.cwd()) / FILE_NAME)
        return f"Excel add-ins install on Windows, so nothing was installed here; the add-in is built at {built}."
    target = folder or xlstart()
    target.mkdir(parents=True, exist_ok=True)
    built = build(target / FILE_NAME, interpreter=sys.executable)
    return f"Installed the AR Desk add-in as {built}: Excel loads it when it starts, so restart Excel to see the tab."
