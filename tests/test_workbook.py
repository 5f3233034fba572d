"""The aging workbook: schema-valid parts, a real Excel Table and PivotTables, numbers that tie to the cent in
LibreOffice after a forced recalculation, text that stays text, atomic writes, the settings round trip, speed.
"""
import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from lxml import etree

import lo
from aging_book import AS_OF, HYPERLINK, aged_frame, cents, contents, tampered_first_balance
from ardesk.book import read_config, write_aging_workbook
from ardesk.book.userdata import DETAIL_USER
from ardesk.errors import ArdeskError
from ardesk.xlsx.package import replace_atomically
from ooxml import validation_errors

HEADERS = [
    "Customer ID", "Customer Name", "Document", "Type", "Document Date", "Due Date", "Terms", "Days Past Due",
    "Bucket", "Currency", "Amount", "Balance", "Balance USD", "Sales Rep", "Collector", "PO", "Reference",
    "Latest Note", "Next Follow-up", "Open Promise", "In Dispute", *(c.header for c in DETAIL_USER),
]
SHEETS = ["Summary", "Detail", "By Customer", "By Collector", "By Sales Rep", "Worklist", "Exceptions", "Credit Hold",
          "Credit Review", "Hit List", "Past-Due Meeting", "Disputes", "Payment Plans", "Notes", "Archive", "Check",
          "_lists", "_ardesk"]
"""The sheets of a workbook of the ar engine's reports alone (the Escalation sheets come with a read of the ERP:
tests/test_escalation.py)."""
PIVOTS = (("By Customer", ["customer_id", "customer_name"]), ("By Collector", ["collector"]),
          ("By Sales Rep", ["sales_rep"]))
CASE_VARIANTS = {  # six items whose customer, collector and sales-rep names differ only in case
    "customer_id": ["C1", "C1", "C1", "C2", "C2", "C2"],
    "customer_name": ["Acme Corp", "ACME CORP", "acme corp", "Globex", "GLOBEX", "Globex"],
    "collector": ["Ana Ruiz", "ANA RUIZ", "", "ana ruiz", "Ben Okafor", "BEN OKAFOR"],
    "sales_rep": ["K. Lee", "k. lee", "K. LEE", "J. Doe", "J. DOE", "j. doe"],
    "base_balance_cents": [100, 200, 300, 1_000, 2_000, 4_000],
    "bucket": ["Current", "1-30", "Current", "1-30", "Current", "1-30"],
}
CASE_PIVOTS = {  # by hand: one item per name ignoring case, spelled as its first row has it
    "By Customer": {("C1", "Acme Corp"): {"Current": 400, "1-30": 200},
                    ("C2", "Globex"): {"Current": 2_000, "1-30": 5_000}},
    "By Collector": {("Ana Ruiz",): {"Current": 100, "1-30": 1_200}, ("",): {"Current": 300},
                     ("Ben Okafor",): {"Current": 2_000, "1-30": 4_000}},
    "By Sales Rep": {("J. Doe",): {"Current": 2_000, "1-30": 5_000}, ("K. Lee",): {"Current": 400, "1-30": 200}},
}
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ACCOUNTING = '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)'


def write(path, aged, erp_total_cents=None, **overrides):
    """The aging workbook of `aged` with the ar engine's reports and nothing typed."""
    arguments = {"as_of": AS_OF, "base_currency": "USD", "config": {"profile": "demo", "thresholds": "30,60,90,120"}}
    return write_aging_workbook(path, contents(aged, erp_total_cents=erp_total_cents), **{**arguments, **overrides})


def engine_pivot(aged: pd.DataFrame, keys: list[str]) -> dict[tuple, dict[str, int]]:
    """The reference numbers: label -> bucket -> base-currency cents, by pandas, zero cells left out."""
    sums = aged.groupby(keys + ["bucket"], observed=True)["base_balance_cents"].sum()
    out: dict[tuple, dict[str, int]] = {}
    for key, cents in sums.items():
        if cents:
            out.setdefault(tuple(key[:-1]), {})[str(key[-1])] = int(cents)
    return out


def drawn_pivot(rows: list[tuple], buckets: list[str]) -> tuple[list[str], dict[tuple, dict[str, int]], dict]:
    """(bucket columns in order, label -> bucket -> cents, grand totals) of a pivot as drawn on a sheet."""
    header_at = next(i for i, r in enumerate(rows) if any(v in buckets for v in r))
    header = rows[header_at]
    first = next(i for i, v in enumerate(header) if v in buckets)
    columns = {i: v for i, v in enumerate(header) if v in buckets}
    table, totals = {}, {}
    for r in rows[header_at + 1 :]:
        if r[0] in lo.GRAND_TOTAL_LABELS:
            totals = {b: cents(r[i]) for i, b in columns.items()}
            break
        label = tuple("" if v in lo.BLANK_LABELS else v for v in r[:first])
        values = {b: cents(r[i]) for i, b in columns.items() if cents(r[i])}
        table[label] = values
    return list(columns.values()), {k: v for k, v in table.items() if v}, totals


def sheet_parts(path) -> dict[str, str]:
    """Sheet name -> its part name inside the package."""
    with zipfile.ZipFile(path) as archive:
        book = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): "xl/" + r.get("Target") for r in rels}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {s.get("name"): targets[s.get(rid)] for s in book.iter(f"{MAIN}sheet")}


def tampered_copy(source: Path, target: Path, cell: str, value: float) -> None:
    """A copy of the workbook whose pivot cells and Check formulas all hold 999 as their value, and whose Detail
    cell `cell` holds `value`: only a spreadsheet that really recomputes gets the numbers right."""
    parts = sheet_parts(source)
    number = re.compile(r'(<c r="[A-Z]+\d+"(?: s="\d+")?><v>)[^<]*(</v>)')
    formula = re.compile(r'(<c r="[A-Z]+\d+"(?: s="\d+")?><f>[^<]*</f><v>)[^<]*(</v>)')
    cached = {parts[sheet]: number for sheet, _ in PIVOTS} | {parts["Check"]: formula}
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for name in original.namelist():
            xml = original.read(name).decode("utf-8")
            if name in cached:
                xml, count = cached[name].subn(r"\g<1>999\2", xml)
                assert count > 0
            if name == parts["Detail"]:
                xml, count = re.subn(rf'(<c r="{cell}" s="\d+"><v>)[^<]*(</v>)', rf"\g<1>{value}\2", xml)
                assert count == 1
            copy.writestr(name, xml)


@pytest.fixture(scope="module")
def aged():
    return aged_frame(3_000, 150)


@pytest.fixture(scope="module")
def erp_total(aged):
    return int(aged["base_balance_cents"].sum()) - 1_234


@pytest.fixture(scope="module")
def book(tmp_path_factory, aged, erp_total):
    return write(tmp_path_factory.mktemp("book") / "aging.xlsx", aged, erp_total_cents=erp_total)


@pytest.fixture(scope="module")
def empty_book(tmp_path_factory, aged):
    return write(tmp_path_factory.mktemp("empty") / "empty.xlsx", aged.iloc[:0])


@pytest.fixture(scope="module")
def changed(aged):
    return tampered_first_balance(aged)


@pytest.fixture(scope="module")
def tampered(book, tmp_path_factory):
    path = tmp_path_factory.mktemp("tampered") / "tampered.xlsx"
    tampered_copy(book, path, "M2", 1_000_000)
    return path


@pytest.fixture(scope="module")
def case_variants(tmp_path_factory, aged):
    frame = aged.iloc[:6].reset_index(drop=True)
    for column, values in CASE_VARIANTS.items():
        frame[column] = pd.Series(values, dtype=aged[column].dtype)
    return write(tmp_path_factory.mktemp("case") / "case.xlsx", frame)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, book, tampered, empty_book, case_variants):
    """One forced-recalculation LibreOffice run over the four workbooks: name -> sheet -> rows."""
    saved = lo.recalculate([book, tampered, empty_book, case_variants], tmp_path_factory.mktemp("lo"))
    return {path.stem: lo.computed_values(path) for path in saved}


# 1. Every part validates.

def test_every_part_validates_against_ecma376(book, empty_book, tmp_path, aged):
    no_erp_total = write(tmp_path / "no-erp.xlsx", aged.iloc[:300])  # the Check sheet differs; 300 rows show it
    for path in (book, empty_book, no_erp_total):
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
        assert {"xl/pivotCache/pivotCacheDefinition1.xml", "xl/pivotTables/pivotTable3.xml",
                "docProps/core.xml", "docProps/app.xml", "[Content_Types].xml"} <= names
        assert validation_errors(path) == {}


def test_the_validator_rejects_what_the_schemas_forbid(case_variants, tmp_path):
    """A negative control for each kind of check: the SDK's schema (a pivot without its location), its
    semantic rules (a workbook without its theme) and the OPC schemas (a date that is not one). On the
    six-item workbook: openxml-audit takes seconds per thousand rows."""
    assert validation_errors(case_variants) == {}
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(case_variants) as original, zipfile.ZipFile(broken, "w") as copy:
        for name in original.namelist():
            xml = original.read(name).decode("utf-8")
            if name == "xl/pivotTables/pivotTable1.xml":
                xml, count = re.subn(r"<location [^>]*/>", "", xml)
                assert count == 1
            if name == "xl/_rels/workbook.xml.rels":
                xml, count = re.subn(r'<Relationship [^>]*Type="[^"]*/theme"[^>]*/>', "", xml)
                assert count == 1
            if name == "docProps/core.xml":
                xml = re.sub(r"(<dcterms:created[^>]*>)[^<]*", r"\1yesterday", xml)
            copy.writestr(name, xml)
    errors = validation_errors(broken)
    assert set(errors) == {"xl/pivotTables/pivotTable1.xml", "xl/workbook.xml", "docProps/core.xml"}
    assert any("relationships/theme" in e for e in errors["xl/workbook.xml"])


# The Detail table.

def test_detail_is_an_excel_table_with_typed_formatted_cells(book, aged):
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames == SHEETS
    assert [s.sheet_state for s in workbook] == ["visible"] * 16 + ["hidden"] * 2
    sheet = workbook["Detail"]
    table = sheet.tables["OpenItems"]
    assert table.ref == table.autoFilter.ref == f"A1:AB{len(aged) + 1}"
    assert [c.name for c in table.tableColumns] == HEADERS
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["D"].width >= 8
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(aged)
    first = rows[0]
    assert first[4].is_date and first[4].number_format == "mm-dd-yy"
    assert all(first[i].number_format == ACCOUNTING for i in (10, 11, 12))
    values = pd.DataFrame([[c.value for c in r] for r in rows], columns=HEADERS)
    for header, source in (("Amount", "amount_cents"), ("Balance", "balance_cents"),
                           ("Balance USD", "base_balance_cents")):
        assert (np.round(values[header].to_numpy(float) * 100).astype(np.int64) == aged[source].to_numpy()).all()
    assert (pd.to_datetime(values["Due Date"]).to_numpy() == aged["due_date"].to_numpy()).all()
    assert values["Days Past Due"].tolist() == aged["days_past_due"].tolist()
    assert values["Bucket"].tolist() == aged["bucket"].astype(str).tolist()
    assert values["PO"].fillna("").tolist() == aged["po_number"].tolist()
    assert values["Customer Name"].tolist() == aged["customer_name"].tolist()


def test_text_that_looks_like_a_formula_is_stored_as_text(book, aged):
    with zipfile.ZipFile(book) as archive:
        assert "<f>" not in archive.read(sheet_parts(book)["Detail"]).decode()
    sheet = openpyxl.load_workbook(book)["Detail"]
    name = sheet["B2"]
    assert (name.value, name.data_type, name.quotePrefix) == (HYPERLINK, "s", True)
    leading = {"=", "+", "-", "@"}
    texts = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.value[0] in leading]
    assert {c.value[0] for c in texts} == leading
    assert all(c.data_type == "s" and c.quotePrefix for c in texts)


def test_awkward_values_round_trip(tmp_path, aged):
    frame = aged.iloc[:4].copy()
    frame["reference"] = pd.array(["a_x0041_b", "  padded  ", "line 1\nline 2", "bell\x07"], dtype="string")
    frame.loc[0, "due_date"] = pd.NaT
    path = write(tmp_path / "awkward.xlsx", frame)
    assert validation_errors(path) == {}
    rows = list(openpyxl.load_workbook(path)["Detail"].iter_rows(min_row=2, values_only=True))
    assert [r[16] for r in rows[:3]] == ["a_x0041_b", "  padded  ", "line 1\nline 2"]
    assert rows[3][16] == "bell_x0007_"  # ECMA-376's spelling of a control character; openpyxl leaves it so
    assert rows[0][5] is None and rows[1][5] == frame["due_date"].iloc[1]


# The pivots, as written.

def test_pivots_are_native_over_the_detail_table_with_buckets_in_order(book, aged):
    present = [b for b in aged["bucket"].cat.categories if (aged["bucket"] == b).any()]
    assert present != sorted(present)
    with zipfile.ZipFile(book) as archive:
        cache = etree.fromstring(archive.read("xl/pivotCache/pivotCacheDefinition1.xml"))
        tables = [etree.fromstring(archive.read(f"xl/pivotTables/pivotTable{n}.xml")) for n in (1, 2, 3)]
        sheet_rels = {name: archive.read(re.sub(r"(sheet\d+\.xml)$", r"_rels/\1.rels", part)).decode()
                      for name, part in sheet_parts(book).items() if name.startswith("By ")}
    assert (cache.get("refreshOnLoad"), cache.get("saveData")) == ("1", "0")
    assert cache.find(f"{MAIN}cacheSource/{MAIN}worksheetSource").get("name") == "OpenItems"
    fields = cache.findall(f"{MAIN}cacheFields/{MAIN}cacheField")
    assert [f.get("name") for f in fields] == HEADERS
    assert [s.get("v") for s in fields[HEADERS.index("Bucket")].find(f"{MAIN}sharedItems")] == present
    bucket, balance = HEADERS.index("Bucket"), HEADERS.index("Balance USD")
    for table, rows in zip(tables, (["Customer ID", "Customer Name"], ["Collector"], ["Sales Rep"])):
        assert not any(k.startswith("{http://schemas.openxmlformats.org/officeDocument") for k in table.attrib)
        assert [int(f.get("x")) for f in table.find(f"{MAIN}rowFields")] == [HEADERS.index(r) for r in rows]
        assert [int(f.get("x")) for f in table.find(f"{MAIN}colFields")] == [bucket]
        data = table.find(f"{MAIN}dataFields/{MAIN}dataField")
        assert (int(data.get("fld")), data.get("subtotal", "sum")) == (balance, "sum")
        column_field = table.findall(f"{MAIN}pivotFields/{MAIN}pivotField")[bucket]
        assert column_field.get("axis") == "axisCol"
        assert [int(i.get("x")) for i in column_field.find(f"{MAIN}items")] == list(range(len(present)))
    for n, (sheet, _) in enumerate(PIVOTS, 1):
        assert f"pivotTables/pivotTable{n}.xml" in sheet_rels[sheet]


def test_pivot_sheets_show_the_engines_numbers_without_a_refresh(book, aged):
    workbook = openpyxl.load_workbook(book, data_only=True)
    buckets = list(aged["bucket"].cat.categories)
    for sheet, keys in PIVOTS:
        order, table, totals = drawn_pivot(list(workbook[sheet].iter_rows(values_only=True)), buckets)
        assert order == [b for b in buckets if (aged["bucket"] == b).any()]
        assert table == engine_pivot(aged, keys)
        sums = aged.groupby("bucket", observed=True)["base_balance_cents"].sum()
        assert totals == {b: int(c) for b, c in sums.items()}


def test_check_sheet_has_formulas_with_cached_values(book, aged, erp_total):
    sheet = openpyxl.load_workbook(book)["Check"]
    cached = openpyxl.load_workbook(book, data_only=True)["Check"]
    sums = aged.groupby("bucket", observed=False)["base_balance_cents"].sum()
    for n, (bucket, cents) in enumerate(sums.items(), 5):
        assert sheet[f"A{n}"].value == bucket
        assert sheet[f"B{n}"].value == f"=SUMIFS(OpenItems[Balance USD],OpenItems[Bucket],$A{n})"
        for column, (pivot_sheet, _) in zip("CDE", PIVOTS):
            assert f"GETPIVOTDATA(\"Balance USD\",'{pivot_sheet}'!$A$3" in sheet[f"{column}{n}"].value
        assert [round(cached[f"{c}{n}"].value * 100) for c in "BCDEFGH"] == [cents] * 4 + [0] * 3
    total_row = 5 + len(sums)
    assert sheet[f"B{total_row}"].value == "=SUM(OpenItems[Balance USD])"
    assert round(cached[f"B{total_row + 2}"].value * 100) == erp_total
    assert round(cached[f"B{total_row + 3}"].value * 100) == int(sums.sum()) - erp_total


# 2. LibreOffice recalculates, and its numbers equal the engine's to the cent.

def test_libreoffice_rebuilds_the_pivots_from_the_detail_rows(recalculated, changed):
    buckets = list(changed["bucket"].cat.categories)
    for sheet, keys in PIVOTS:
        order, table, totals = drawn_pivot(recalculated["tampered"][sheet], buckets)
        assert order == [b for b in buckets if (changed["bucket"] == b).any()]
        assert table == engine_pivot(changed, keys)  # the cells said 999; the Detail change shows through
        sums = changed.groupby("bucket", observed=True)["base_balance_cents"].sum()
        assert totals == {b: int(c) for b, c in sums.items()}


def test_pivot_items_are_unique_ignoring_case_and_the_first_spelling_wins(case_variants):
    with zipfile.ZipFile(case_variants) as archive:
        cache = etree.fromstring(archive.read("xl/pivotCache/pivotCacheDefinition1.xml"))
        collector = etree.fromstring(archive.read("xl/pivotTables/pivotTable2.xml"))
    shared = {f.get("name"): [i.get("v") for i in f.find(f"{MAIN}sharedItems")] for f in cache.iter(f"{MAIN}cacheField")}
    assert shared["Customer ID"] == ["C1", "C2"] and shared["Customer Name"] == ["Acme Corp", "Globex"]
    assert shared["Collector"] == ["Ana Ruiz", "Ben Okafor", None]  # the blank (<m/>) last
    assert shared["Sales Rep"] == ["J. Doe", "K. Lee"]
    items = collector.findall(f"{MAIN}pivotFields/{MAIN}pivotField")[HEADERS.index("Collector")].find(f"{MAIN}items")
    assert items.get("count") == "3" and len(items) == 3
    workbook = openpyxl.load_workbook(case_variants, data_only=True)
    for sheet, expected in CASE_PIVOTS.items():
        assert drawn_pivot(list(workbook[sheet].iter_rows(values_only=True)), ["Current", "1-30"])[1] == expected


def test_libreoffice_draws_the_same_pivots_from_case_variant_names(recalculated):
    for sheet, expected in CASE_PIVOTS.items():
        assert drawn_pivot(recalculated["case"][sheet], ["Current", "1-30"])[1] == expected, sheet


def test_libreoffice_recalculates_the_check_sheet(recalculated, changed, aged, erp_total):
    for name, frame in (("aging", aged), ("tampered", changed)):
        rows = recalculated[name]["Check"]
        sums = frame.groupby("bucket", observed=False)["base_balance_cents"].sum()
        for row, (bucket, cents) in zip(rows[4:], sums.items()):
            assert row[0] == bucket
            assert [round(v * 100) for v in row[1:8]] == [cents] * 4 + [0] * 3
        total = rows[4 + len(sums)]
        assert (total[0], *(round(v * 100) for v in total[1:8])) == ("Total", *[int(sums.sum())] * 4, 0, 0, 0)
        assert round(rows[6 + len(sums)][1] * 100) == erp_total
        assert round(rows[7 + len(sums)][1] * 100) == int(sums.sum()) - erp_total


def test_libreoffice_keeps_cached_values_unless_recalculation_is_forced(tampered, tmp_path):
    """Why lo.recalculate forces: with LibreOffice's default profile the Check sheet would echo the cache."""
    (saved,) = lo.recalculate([tampered], tmp_path, force=False)
    assert lo.computed_values(saved)["Check"][4][1:8] == (999,) * 7


def test_formula_looking_text_stays_text_in_libreoffice(recalculated):
    detail = recalculated["aging"]["Detail"]
    assert detail[1][1] == HYPERLINK
    assert any(r[1] == HYPERLINK for r in recalculated["aging"]["By Customer"])
    assert {r[14] for r in detail[1:]} >= {"+Ops desk"} and {r[13] for r in detail[1:]} >= {"-"}


def test_an_empty_aging_is_a_valid_workbook(empty_book, recalculated):
    sheet = openpyxl.load_workbook(empty_book)["Detail"]
    assert sheet.tables["OpenItems"].ref == "A1:AB2"
    check = recalculated["empty"]["Check"]
    assert check[10][0] == "Total" and check[10][1:8] == (0,) * 7


# 4. Atomic writes, settings round trip, refusals.

def test_a_failed_write_leaves_the_old_workbook_and_no_temporary_file(tmp_path, aged):
    path = write(tmp_path / "aging.xlsx", aged.iloc[:50])
    before = path.read_bytes()

    def fail_halfway(stream):
        stream.write(b"PK half a zip")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_atomically(path, fail_halfway)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["aging.xlsx"]


def test_a_write_that_cannot_be_renamed_leaves_no_temporary_file(tmp_path, aged):
    (tmp_path / "taken.xlsx").mkdir()
    with pytest.raises(IsADirectoryError):
        write(tmp_path / "taken.xlsx", aged.iloc[:50])
    assert [p.name for p in tmp_path.iterdir()] == ["taken.xlsx"]


def test_rewriting_replaces_the_workbook_and_keeps_its_permissions(tmp_path, aged):
    path = write(tmp_path / "aging.xlsx", aged.iloc[:50])
    path.chmod(0o640)
    write(path, aged.iloc[:60], as_of=dt.date(2024, 7, 31))
    assert read_config(path)["as_of"] == "2024-07-31"
    assert path.stat().st_mode & 0o777 == 0o640


def test_settings_round_trip(tmp_path, aged):
    settings = {
        "profile": "epicor", "source": r"C:\exports\open items.csv", "thresholds": "30,60,90,120", "basis": "due",
        "password_env": "ARDESK_ERP_PASSWORD", "note": "=not a formula", "empty": "", "ville": "Zürich & Genève",
    }
    path = write(tmp_path / "aging.xlsx", aged.iloc[:20], config=settings, base_currency="EUR")
    assert read_config(path) == {**settings, "as_of": "2024-06-30", "base_currency": "EUR"}
    assert openpyxl.load_workbook(path)["Detail"]["M1"].value == "Balance EUR"


@pytest.mark.parametrize("settings", [
    {"connect": "DSN=erp;UID=ar;PWD=s3cret"},
    {"connect": "Driver={x};Password = s3cret;"},
    {"password": "s3cret"},
])
def test_settings_that_look_like_credentials_are_refused(tmp_path, aged, settings):
    with pytest.raises(ArdeskError) as refused:
        write(tmp_path / "aging.xlsx", aged.iloc[:5], config=settings)
    assert "s3cret" not in str(refused.value) and "password" in str(refused.value)
    assert list(tmp_path.iterdir()) == []


def test_read_config_explains_what_is_wrong_in_one_sentence(tmp_path):
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    plain = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(plain)
    for path, says in ((tmp_path / "missing.xlsx", "does not exist"), (text, "not an Excel workbook"),
                       (plain, "not an ardesk workbook")):
        with pytest.raises(ArdeskError, match=says) as error:
            read_config(path)
        message = str(error.value)
        assert message.endswith(".") and message.count(". ") == 0 and "\n" not in message


@pytest.mark.parametrize(("name", "currency", "says"), [
    ("aging.xls", "USD", "must end in .xlsx"), ("aging.xlsx", "usd", "three-letter code"),
])
def test_bad_arguments_are_user_errors(tmp_path, aged, name, currency, says):
    with pytest.raises(ArdeskError, match=says):
        write(tmp_path / name, aged.iloc[:5], base_currency=currency)


def test_text_longer_than_a_cell_holds_is_cut_to_fit(tmp_path, aged):
    frame = aged.iloc[:3].copy()
    frame["reference"] = pd.array(["R" * 40_000, "short", ""], dtype="string")
    book = openpyxl.load_workbook(write(tmp_path / "long.xlsx", frame), read_only=True)
    rows = list(book["Detail"].iter_rows(min_row=2, values_only=True))
    book.close()
    reference = HEADERS.index("Reference")
    assert len(rows[0][reference]) == 32_767 and rows[0][reference].endswith("R…")
    assert rows[1][reference] == "short"


def test_more_items_than_a_sheet_holds_are_refused_before_writing(tmp_path, aged, monkeypatch):
    from ardesk.book import workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 5)
    with pytest.raises(ArdeskError, match=r"more than one Excel sheet holds \(4 rows\)"):
        write(tmp_path / "big.xlsx", aged.iloc[:5])
    assert list(tmp_path.iterdir()) == []
    write(tmp_path / "fits.xlsx", aged.iloc[:4])
