"""`ardesk render`: one PNG per visible sheet, in tab order, named after the sheet, never too big to open."""
import shutil
import struct

import openpyxl
import pytest

from ardesk.book.render import MAX_PIXELS, render_png
from ardesk.errors import ArdeskError


def png_size(path) -> tuple[int, int]:
    """(width, height) from a PNG's header chunk, after checking the signature."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def workbook(tmp_path):
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "Summary"
    for row in [("Total AR", 1234.56), ("Past due", 234.5), ("DSO", 41)]:
        summary.append(row)
    hidden = book.create_sheet("_ardesk")
    hidden.append(("as_of", "2024-06-30"))
    hidden.sheet_state = "hidden"
    customers = book.create_sheet("By Customer")
    customers.append(("Customer", "Current", "1-30", "Total"))
    for n in range(40):
        customers.append((f"Customer {n}", n * 10.5, n, n * 11.5))
    path = tmp_path / "aging.xlsx"
    book.save(path)
    return path


def test_one_png_per_visible_sheet_in_tab_order(tmp_path, workbook):
    pngs = render_png(workbook, tmp_path / "png")
    assert [p.name for p in pngs] == ["01-Summary.png", "02-By-Customer.png"]
    assert sorted(p.name for p in (tmp_path / "png").iterdir()) == ["01-Summary.png", "02-By-Customer.png"]
    summary, customers = (png_size(p) for p in pngs)
    assert all(0 < side <= MAX_PIXELS for side in summary + customers)
    assert customers[1] > summary[1]  # 41 rows render taller than 3


def test_a_sheet_longer_than_a_page_is_capped(tmp_path):
    book = openpyxl.Workbook(write_only=True)
    detail = book.create_sheet("Detail")
    for n in range(30_000):
        detail.append((f"C{n % 1500:05d}", str(100_000 + n), "INV", n % 120, 1234.56))
    path = tmp_path / "big.xlsx"
    book.save(path)
    png, = render_png(path, tmp_path / "png", dpi=150)
    assert png.name == "01-Detail.png" and max(png_size(png)) == MAX_PIXELS


def test_missing_programs_and_bad_files_are_one_sentence(tmp_path, workbook, monkeypatch):
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(ArdeskError, match="not an Excel workbook"):
        render_png(text, tmp_path / "png")
    with pytest.raises(ArdeskError, match="did not finish within"):
        render_png(workbook, tmp_path / "png", timeout=0.001)
    only_libreoffice = tmp_path / "bin"
    only_libreoffice.mkdir()
    (only_libreoffice / "soffice").symlink_to(shutil.which("soffice"))
    for path, package in ((only_libreoffice, "poppler-utils"), (tmp_path, "libreoffice-calc-nogui")):
        monkeypatch.setenv("PATH", str(path))
        with pytest.raises(ArdeskError, match=f"install the {package} package") as error:
            render_png(workbook, tmp_path / "png")
        message = str(error.value)
        assert message.endswith(".") and ". " not in message and "\n" not in message
