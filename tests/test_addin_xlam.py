"""ardesk.xlam built on Linux: every XML part valid against its schema, the VBA project whole (olevba, and
LibreOffice's own VBA import), the ribbon wired to the dispatcher and the dispatcher to the Python jobs."""
import re
import subprocess
import sys
import zipfile
from importlib import metadata, resources
from pathlib import Path

import pytest
from lxml import etree

import lo
from addin_checks import macros
from ardesk.addin import build_xlam, install
from ardesk.excel import buttons
from ardesk.addin.install import xlstart
from ardesk.addin.xlam import CONFIG_SHEET, PROJECT, RIBBON, VBA_PART
from ardesk.errors import ArdeskError
from ardesk.xlsx.reading import opened
from ooxml import validation_errors

CUSTOM_UI = "http://schemas.microsoft.com/office/2009/07/customui"
UI = f"{{{CUSTOM_UI}}}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
UDF = ("ardesk_udfs", 'Function AR_DPD(due)\n    AR_DPD = XLPy.CallUDF("ardesk.excel.udfs", "ar_dpd", Array(due))\n'
                      "End Function\n")
GROUPS = {
    "ERP": ["Settings", "Refresh"],
    "Collect": ["Worklist", "Log Note", "Push Notes", "Statements", "Dunning", "Disputes", "Payment Plans"],
    "Reconcile": ["Match Credits", "Apply Approved"],
    "Reports": ["Exceptions", "Credit Hold", "Hit List", "Past-Due Meeting"],
    "Month-End": ["Close Month"],
}


@pytest.fixture(scope="module")
def xlam(tmp_path_factory) -> Path:
    return build_xlam(tmp_path_factory.mktemp("addin") / "ardesk.xlam", udf_modules=[UDF],
                      interpreter=r"C:\Python312\python.exe", pythonpath=r"C:\ardesk\python",
                      udf_imports=["ardesk.excel.udfs"])


def _xladdin(name: str) -> str:
    return resources.files("ardesk.xladdin").joinpath(name).read_text(encoding="utf-8")


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _buttons(root: etree._Element) -> list[etree._Element]:
    return root.findall(f".//{UI}button")


def test_every_part_validates_and_the_ribbon_is_checked(xlam, tmp_path):
    assert validation_errors(xlam) == {}
    with zipfile.ZipFile(xlam) as package:
        names = set(package.namelist())
    assert {"[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml",
            "xl/worksheets/sheet1.xml", "xl/theme/theme1.xml", RIBBON, VBA_PART} <= names
    broken = tmp_path / "broken.xlam"
    with zipfile.ZipFile(xlam) as original, zipfile.ZipFile(broken, "w") as copy:
        for name in original.namelist():
            data = original.read(name)
            if name == RIBBON:  # a keytip is at most three characters
                data, count = re.subn(rb'keytip="[^"]*"', b'keytip="TOOLONG"', data, count=1)
                assert count == 1
            copy.writestr(name, data)
    assert set(validation_errors(broken)) == {RIBBON}


def test_the_package_is_an_add_in_with_its_ribbon_and_vba_project(xlam):
    with zipfile.ZipFile(xlam) as package:
        types = etree.fromstring(package.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        root_rels = {r.get("Type"): r.get("Target") for r in etree.fromstring(package.read("_rels/.rels")).iter(RELS)}
        book_rels = {r.get("Type"): r.get("Target")
                     for r in etree.fromstring(package.read("xl/_rels/workbook.xml.rels")).iter(RELS)}
        workbook = etree.fromstring(package.read("xl/workbook.xml"))
    assert overrides["/xl/workbook.xml"] == "application/vnd.ms-excel.addin.macroEnabled.main+xml"
    assert overrides["/xl/vbaProject.bin"] == "application/vnd.ms-office.vbaProject"
    assert root_rels["http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"] == RIBBON
    assert book_rels["http://schemas.microsoft.com/office/2006/relationships/vbaProject"] == "vbaProject.bin"
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    assert workbook.find(f"{main}workbookPr").get("codeName") == "ThisWorkbook"
    assert [s.get("name") for s in workbook.iter(f"{main}sheet")] == [CONFIG_SHEET]


def test_olevba_extracts_each_module_as_it_went_in(xlam):
    found = macros(xlam.name, xlam.read_bytes())
    assert set(found) == {"ThisWorkbook.cls", "xlwings.bas", "ardesk.bas", "ardesk_udfs.bas"}
    assert found["ardesk.bas"] == _crlf(_xladdin("ardesk.bas"))
    assert found["ardesk_udfs.bas"] == _crlf(f'Attribute VB_Name = "ardesk_udfs"\n{UDF[1]}')
    assert found["ThisWorkbook.cls"].startswith('Attribute VB_Name = "ThisWorkbook"\r\n'
                                                'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\r\n')


def test_xlwings_module_is_the_installed_one_reading_ardesk_settings(xlam):
    installed = Path(metadata.distribution("xlwings").locate_file("xlwings/xlwings_custom_addin.bas"))
    module = macros(xlam.name, xlam.read_bytes())["xlwings.bas"]
    expected = re.sub(r'(PROJECT_NAME As String = )"myaddin"', rf'\1"{PROJECT}"',
                      _crlf(installed.read_text(encoding="utf-8")))
    assert module == expected
    assert f'Public Const XLWINGS_VERSION As String = "{metadata.version("xlwings")}"' in module
    assert CONFIG_SHEET == f"{PROJECT}.conf"  # xlwings reads the sheet PROJECT_NAME & ".conf"


def test_the_config_sheet_holds_what_xlwings_reads(xlam, tmp_path):
    with opened(xlam) as book, book.cells(CONFIG_SHEET) as cells:
        rows = {row[1]: row[2] for _, row in cells.rows()}
    assert rows == {"Interpreter_Win": r"C:\Python312\python.exe", "PYTHONPATH": r"C:\ardesk\python",
                    "UDF Modules": "ardesk.excel.udfs", "ADD_WORKBOOK_TO_PYTHONPATH": "false"}
    plain = build_xlam(tmp_path / "plain.xlam")
    with opened(plain) as book, book.cells(CONFIG_SHEET) as cells:
        assert {row[1]: row[2] for _, row in cells.rows()} == {"ADD_WORKBOOK_TO_PYTHONPATH": "false"}


def test_libreoffice_imports_the_vba_project(xlam, tmp_path):
    """LibreOffice reads VBA with its own importer; it opens macro-enabled workbooks, not add-ins, so the
    package goes in as an .xlsm and its modules come out as the Basic library of the saved .ods."""
    as_workbook = tmp_path / "addin.xlsm"
    with zipfile.ZipFile(xlam) as source, zipfile.ZipFile(as_workbook, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "[Content_Types].xml":
                data = data.replace(b"ms-excel.addin.macroEnabled.main", b"ms-excel.sheet.macroEnabled.main")
            target.writestr(entry, data)
    subprocess.run([lo.soffice(), "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--convert-to", "ods", "--outdir", str(tmp_path), str(as_workbook)],
                   check=True, capture_output=True, timeout=300)
    with zipfile.ZipFile(tmp_path / "addin.ods") as saved:
        library = {Path(n).stem: etree.fromstring(saved.read(n)) for n in saved.namelist()
                   if n.startswith("Basic/ArdeskAddin/") and not n.endswith("script-lb.xml")}
    script = "{http://openoffice.org/2000/script}"
    assert {name: module.get(f"{script}moduleType") for name, module in library.items()} == {
        "ThisWorkbook": "document", "xlwings": "normal", "ardesk": "normal", "ardesk_udfs": "normal"}
    assert "Public Sub OnRibbonButton(control As IRibbonControl)" in library["ardesk"].text


def test_the_ribbon_has_the_groups_and_buttons_of_the_issue():
    root = etree.fromstring(_xladdin("customUI14.xml").encode())
    tab = root.find(f"{UI}ribbon/{UI}tabs/{UI}tab")
    assert tab.get("label") == "AR Desk" and tab.get("keytip")
    assert {g.get("label"): [b.get("label") for b in _buttons(g)] for g in tab} == GROUPS
    for button in _buttons(root):
        assert all(button.get(a) for a in ("imageMso", "screentip", "supertip", "keytip", "tag")), button.get("id")
    keytips = [b.get("keytip") for b in _buttons(root)]
    assert len(set(keytips)) == len(keytips)


def test_every_button_calls_a_sub_of_the_vba_that_takes_the_control(xlam):
    found = macros(xlam.name, xlam.read_bytes())
    with zipfile.ZipFile(xlam) as package:
        buttons = _buttons(etree.fromstring(package.read(RIBBON)))
    for button in buttons:
        module, sub = button.get("onAction").split(".")
        assert re.search(rf"^Public Sub {sub}\(control As IRibbonControl\)\r\n", found[f"{module}.bas"], re.MULTILINE)


def test_every_button_maps_to_a_job_and_the_dispatcher_runs_the_entry_point():
    ids = [b.get("id") for b in _buttons(etree.fromstring(_xladdin("customUI14.xml").encode()))]
    assert sorted(ids) == sorted(buttons.BUTTONS)
    assert all(buttons.BUTTONS[i].job or buttons.BUTTONS[i].show for i in ids)
    module = buttons.ENTRY_POINT.rsplit(".", 1)[0]
    assert f"""RunPython "import {module}; {buttons.ENTRY_POINT}('" & control.Id & "')\"""" in _xladdin("ardesk.bas")


def test_rebuilding_gives_the_same_vba_project_and_replaces_the_file(xlam, tmp_path):
    target = tmp_path / "ardesk.xlam"
    target.write_bytes(b"an older add-in")
    again = build_xlam(target, udf_modules=[UDF])
    with zipfile.ZipFile(xlam) as first, zipfile.ZipFile(again) as second:
        assert first.read(VBA_PART) == second.read(VBA_PART)
    assert [p.name for p in tmp_path.iterdir()] == ["ardesk.xlam"]  # replaced, no temporary file left


def test_build_refuses_names_excel_does_not_load_as_add_ins(tmp_path):
    with pytest.raises(ArdeskError, match="must end in .xlam"):
        build_xlam(tmp_path / "ardesk.xlsm")
    with pytest.raises(ArdeskError, match="does not exist"):
        build_xlam(tmp_path / "missing" / "ardesk.xlam")


def test_install_elsewhere_than_windows_builds_and_says_where(tmp_path):
    said = install(tmp_path, windows=False)
    assert said == (f"Excel add-ins install on Windows, so nothing was installed here; the add-in is built at "
                    f"{tmp_path / 'ardesk.xlam'}.")
    assert (tmp_path / "ardesk.xlam").is_file()


def test_install_on_windows_builds_into_xlstart_with_this_python(tmp_path, monkeypatch):
    monkeypatch.setenv("APPDATA", str(tmp_path))
    said = install(windows=True)
    built = tmp_path / "Microsoft" / "Excel" / "XLSTART" / "ardesk.xlam"
    assert xlstart() == built.parent
    assert said.startswith(f"Installed the AR Desk add-in as {built}: ")
    with opened(built) as book, book.cells(CONFIG_SHEET) as cells:
        assert {row[1]: row[2] for _, row in cells.rows()}["Interpreter_Win"] == sys.executable
    monkeypatch.delenv("APPDATA")
    with pytest.raises(ArdeskError, match="APPDATA"):
        install(windows=True)
