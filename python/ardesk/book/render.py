"""Each visible sheet of a workbook as a PNG, so a person can look at it without a spreadsheet program.

LibreOffice (headless) exports the workbook to PDF with SinglePageSheets, one page per sheet in tab order
(hidden sheets too, in 7.4), and pdftoppm renders the pages of the visible ones. LibreOffice runs on a copy,
with a private profile, so it neither leaves a lock file beside the workbook nor collides with a LibreOffice
someone already has open.

Limits: LibreOffice shrinks a sheet longer than its largest page (about 195 inches, some 1,100 rows at the
default height) to fit that page, so a 30,000-row Detail renders as a tall, thin picture of its shape, not
legible rows. A page is rendered at `dpi` unless its longer side would pass `MAX_PIXELS`; then it is
scaled to that (the bitmap stays under about 110 MB while it is drawn). Charts placed on a worksheet render;
a chart sheet (a tab that is only a chart) comes out nearly blank, as LibreOffice's page holds only cells.
"""
import re
import shutil
import tempfile
from pathlib import Path

from ardesk.book.sharing import file_name_part
from ardesk.errors import ArdeskError
from ardesk.programs import program, run
from ardesk.xlsx.reading import opened

MAX_PIXELS = 6000
"""The longest side of a rendered sheet, in pixels."""
LIBREOFFICE = (7, 4)
"""The first LibreOffice whose --convert-to takes filter options as JSON (which SinglePageSheets needs)."""
_ONE_PAGE_PER_SHEET = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'
_PAGE_SIZE = re.compile(r"^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+) pts", re.MULTILINE)
_POINTS_PER_INCH = 72
_NEEDED_FOR = "rendering sheets"


def render_png(workbook: Path, folder: Path, dpi: int = 96, timeout: float = 300) -> list[Path]:
    """Write `folder`/NN-Sheet-Name.png for each visible sheet of `workbook`, in tab order; return their paths.

    `timeout` bounds each program run, in seconds.
    """
    workbook, folder = Path(workbook), Path(folder)
    sheets = _sheets(workbook)
    soffice = program("soffice", "libreoffice-calc-nogui", _NEEDED_FOR)
    pdftoppm, pdfinfo = program("pdftoppm", "poppler-utils", _NEEDED_FOR), program("pdfinfo", "poppler-utils",
                                                                                    _NEEDED_FOR)
    _check_version(soffice, timeout)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ardesk-render-") as work:
        pdf = _to_pdf(soffice, workbook, Path(work), timeout)
        sizes = _page_sizes(pdfinfo, pdf, timeout)
        return [
            _render_page(pdftoppm, pdf, page, sizes[page - 1], folder / f"{n:02d}-{file_name_part(name, 'sheet')}", dpi, timeout)
            for n, (page, name) in enumerate(_visible_pages(sheets, len(sizes), workbook.name), 1)
        ]


def _to_pdf(soffice: str, workbook: Path, work: Path, timeout: float) -> Path:
    """A copy of `workbook` in `work`, exported to PDF there, one page per sheet."""
    copy = work / f"workbook{workbook.suffix}"
    shutil.copyfile(workbook, copy)
    run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(work / 'profile').as_uri()}",
          "--convert-to", _ONE_PAGE_PER_SHEET, "--outdir", str(work), str(copy)],
         f"LibreOffice could not turn {workbook.name} into a PDF", timeout)
    pdf = copy.with_suffix(".pdf")
    if not pdf.is_file():
        raise ArdeskError(f"LibreOffice could not open {workbook.name}: check that it opens in a spreadsheet.")
    return pdf


def _visible_pages(sheets: list[tuple[str, bool]], pages: int, workbook: str) -> list[tuple[int, str]]:
    """(PDF page, sheet name) of each visible sheet."""
    visible = [(page, name) for page, (name, shown) in enumerate(sheets, 1) if shown]
    if pages == len(sheets):
        return visible
    if pages == len(visible):  # a LibreOffice that leaves hidden sheets out
        return [(page, name) for page, (_, name) in enumerate(visible, 1)]
    raise ArdeskError(f"LibreOffice made {pages} pages of the {len(sheets)} sheets of {workbook}, so they cannot "
                      "be told apart: render it with LibreOffice 7.4 or later.")


def _sheets(workbook: Path) -> list[tuple[str, bool]]:
    """(name, visible) of every sheet, in tab order."""
    with opened(workbook) as book:
        return [(sheet.name, sheet.visible) for sheet in book.sheets]


def _check_version(soffice: str, timeout: float) -> None:
    said = run([soffice, "--version"], "LibreOffice did not say its version", timeout)
    found = re.search(r"(\d+)\.(\d+)", said)
    if found is None or tuple(map(int, found.groups())) < LIBREOFFICE:
        raise ArdeskError(f"Rendering sheets needs LibreOffice {'.'.join(map(str, LIBREOFFICE))} or later, "
                          f"found {said.strip() or 'an unknown version'}: install a newer libreoffice-calc-nogui.")


def _page_sizes(pdfinfo: str, pdf: Path, timeout: float) -> list[tuple[float, float]]:
    """(width, height) in points of every page of `pdf`."""
    said = run([pdfinfo, "-f", "1", "-l", "1000000", str(pdf)], "pdfinfo could not read LibreOffice's PDF", timeout)
    return [(float(w), float(h)) for w, h in _PAGE_SIZE.findall(said)]


def _render_page(pdftoppm: str, pdf: Path, page: int, size: tuple[float, float], stem: Path, dpi: int,
                 timeout: float) -> Path:
    longest = max(size) / _POINTS_PER_INCH * dpi
    scale = ["-scale-to", str(MAX_PIXELS)] if longest > MAX_PIXELS else ["-r", str(dpi)]
    run([pdftoppm, "-png", "-singlefile", "-f", str(page), "-l", str(page), *scale, str(pdf), str(stem)],
         f"pdftoppm could not render page {page} of LibreOffice's PDF", timeout)
    return stem.with_name(stem.name + ".png")
