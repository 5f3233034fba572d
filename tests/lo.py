"""LibreOffice headless as the tests' real spreadsheet client: open workbooks, recalculate, read the results.

LibreOffice keeps the cached values of an xlsx file's formulas by default (it ignores calcPr fullCalcOnLoad),
so a plain conversion would only echo what the writer cached. `recalculate` therefore runs LibreOffice with
a private user profile whose "recalculation on file load" for Excel files is Always
(org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode = 0), saves each workbook again as xlsx, and reads
the saved values: what LibreOffice computed. Pivot tables are a different matter: LibreOffice always rebuilds
an imported pivot's output from its source range and writes it over the cells (it labels the grand total
"Total Result" and blanks "(empty)"), whatever the profile says.
"""
import shutil
import subprocess
from pathlib import Path

import openpyxl

_ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""

GRAND_TOTAL_LABELS = ("Grand Total", "Total Result")
"""Excel's and LibreOffice's captions of a pivot's grand total."""
BLANK_LABELS = ("(blank)", "(empty)")
"""Excel's and LibreOffice's captions of a pivot item for empty cells."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise RuntimeError("LibreOffice (soffice) is not installed: the workbook tests use it as the spreadsheet")
    return found


def recalculate(workbooks: list[Path], workdir: Path, *, force: bool = True) -> list[Path]:
    """Open each workbook in one headless LibreOffice run and save it as xlsx under workdir/out.

    With force=False the profile keeps LibreOffice's default (keep cached formula values), for contrast.
    """
    profile = workdir / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    if force:
        (profile / "user" / "registrymodifications.xcu").write_text(_ALWAYS_RECALCULATE, encoding="utf-8")
    out = workdir / "out"
    subprocess.run(
        [soffice(), "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "xlsx", "--outdir", str(out), *map(str, workbooks)],
        check=True, capture_output=True, timeout=300,
    )
    saved = [out / Path(w).name for w in workbooks]
    missing = [str(p) for p in saved if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not save {', '.join(missing)}")
    return saved


def computed_values(saved: Path) -> dict[str, list[tuple]]:
    """Sheet name -> rows of cell values of a workbook LibreOffice saved (formulas as computed)."""
    book = openpyxl.load_workbook(saved, read_only=True, data_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}
    finally:
        book.close()
