"""What people type survives a refresh: read back from a workbook as openpyxl (like Excel) saved it, put on the
right rows of the new data, archived when its row left, and turned into NOTES for the reports.
"""
import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.table import Table

import aging_book
import lo

from ardesk.book import write_aging_workbook
from ardesk.book.carry import Previous, carry, notes_frame, read_typed, said_yes
from ardesk.book.userdata import (
    DETAIL_USER, HOLD_USER, NOTES_COLUMNS, archive_headers, blank, nothing_typed,
)
from ardesk.errors import ArdeskError
from ardesk.frames import CAPTURED_NOTES
from ardesk.xlsx.reading import opened

AS_OF = dt.date(2024, 7, 31)
ARCHIVED_ON = dt.datetime(2024, 7, 31)
LAST_MONTH = dt.datetime(2024, 6, 30)
DETAIL_TYPED = [c.header for c in DETAIL_USER]
HOLD_TYPED = [c.header for c in HOLD_USER]
NOTE_HEADERS = [c.header for c in NOTES_COLUMNS]
CALL_BACK = dt.datetime(2024, 8, 5)


def table_sheet(book, title, headers, rows, *, first_row=1, name=None):
    """A sheet holding an Excel Table whose header row is `first_row` (titles above it)."""
    sheet = book.create_sheet(title)
    for number in range(1, first_row):
        sheet.cell(number, 1, f"{title}: a title line" if number == 1 else None)
    for column, header in enumerate(headers, 1):
        sheet.cell(first_row, column, header)
    for offset, values in enumerate(rows, first_row + 1):
        for column, value in enumerate(values, 1):
            sheet.cell(offset, column, value)
    last = openpyxl.utils.get_column_letter(len(headers))
    ref = f"A{first_row}:{last}{first_row + max(len(rows), 1)}"
    sheet.add_table(Table(displayName=name or title.replace(" ", ""), ref=ref))
    return sheet


def typed_detail(customer, name, document, **typed):
    """A Detail row in the order DETAIL_HEADERS below: ERP columns, then what was typed by header."""
    return [typed.get("Comment"), customer, name, document, "INV", 100.0,
            typed.get("Next Action"), typed.get("Follow-up Date"), typed.get("Promise Amount"),
            typed.get("Promise Date"), typed.get("Disputed"), typed.get("Approve Write-off")]


# Columns moved about, as a user may: Comment first, and headers in other cases and spacing.
DETAIL_HEADERS = ["comment", "Customer ID", "Customer Name", "DOCUMENT", "Type", "Balance", "Next Action",
                  "Follow-up  Date", "Promise Amount", "Promise Date", "Disputed", "Approve Write-off"]
HOLD_HEADERS = ["Hold Comment", "Customer ID", "Customer Name", "Status", "Approve Hold"]
EARLIER = {**dict.fromkeys(archive_headers()), "Archived On": LAST_MONTH, "Sheet": "Detail", "Customer ID": "C009",
           "Document": "900", "Customer Name": "Gone Ltd", "Comment": "paid late"}


def build_typed_workbook(path):
    book = openpyxl.Workbook()
    book.active.title = "Summary"
    detail = table_sheet(book, "Detail", DETAIL_HEADERS, [
        typed_detail("C001", "Acme", "1001", **{"Next Action": "Call AP", "Follow-up Date": CALL_BACK,
                                                "Promise Amount": 1500.25, "Disputed": "Yes"}),
        typed_detail("C001", "Acme", "1002"),
        typed_detail("C002", "Globex", 1003, Comment="=F4*2"),  # a number as the key; a formula typed
        typed_detail("C003", "Initech", "1004", **{"Approve Write-off": "Yes", "Promise Amount": 12}),
        typed_detail("C004", "Umbrella", "1005", Comment="moves to C005"),
        typed_detail("C002", "Globex", 1006.0, **{"Next Action": True}),
        typed_detail("C002", "Globex", "1007", Comment="   "),  # blank text is nothing typed
    ], name="OpenItems")
    detail["I7"] = ArrayFormula("I7", "=SUM(F2:F3)")  # the 1006 row's Promise Amount
    table_sheet(book, "Credit Hold", HOLD_HEADERS, [
        [None, "C001", "Acme", "Recommend hold", "Yes"],
        [None, "C002", "Globex", "On hold", None],
        ["talk to sales", "C003", "Initech", "Recommend hold", None],
    ], first_row=4, name="CreditHold")
    notes = table_sheet(book, "Notes", NOTE_HEADERS, [
        ["C001", "1001", "call", "Dana", "promised", 1500.25, CALL_BACK, None, None, CALL_BACK, "will pay",
         "ana", dt.datetime(2024, 7, 30, 14, 5)],
        [None] * len(NOTE_HEADERS),  # an empty row inside the table
        ["c002", 1003.0, "EMAIL", None, "Disputed", None, None, "pricing", "1,234.50", "2024-08-01",
         "price list", "ben", "2024-07-29"],
    ])
    below = ["C003", None, "Fax", None, "Maybe", "12,5", "next week", "Not a reason", "abc", 45500,
             "=HYPERLINK(\"http://x\")", None, None]
    for column, value in enumerate(below, 1):  # typed two rows below the table
        notes.cell(6, column, value)
    archive = archive_headers()
    table_sheet(book, "Archive", list(archive), [[EARLIER[h] for h in archive]])
    book.create_sheet("_ardesk").append(["key", "value"])
    book.save(path)
    return path


def aged_keys(rows):
    """An AGED frame's key columns (all carry needs)."""
    customers, documents = zip(*rows)
    return pd.DataFrame({"customer_id": pd.array(customers, dtype="string"),
                         "doc_no": pd.array(documents, dtype="string")})


def hold_keys(customers):
    return pd.DataFrame({"customer_id": pd.array(customers, dtype="string")})


def records(frame):
    return frame.to_dict("records")


def detail_values(**typed):
    return {h: typed.get(h) for h in DETAIL_TYPED}


@pytest.fixture
def previous(tmp_path):
    return read_typed(build_typed_workbook(tmp_path / "aging.xlsx"))


def test_reads_every_typed_value_by_header_with_keys_as_text(previous):
    assert records(previous.detail) == [
        {"Customer ID": "C001", "Document": "1001", "Customer Name": "Acme",
         **detail_values(**{"Next Action": "Call AP", "Follow-up Date": CALL_BACK, "Promise Amount": 1500.25,
                            "Disputed": "Yes"})},
        {"Customer ID": "C002", "Document": "1003", "Customer Name": "Globex", **detail_values(Comment="=F4*2")},
        {"Customer ID": "C003", "Document": "1004", "Customer Name": "Initech",
         **detail_values(**{"Approve Write-off": "Yes", "Promise Amount": 12})},
        {"Customer ID": "C004", "Document": "1005", "Customer Name": "Umbrella",
         **detail_values(Comment="moves to C005")},
        {"Customer ID": "C002", "Document": "1006", "Customer Name": "Globex",
         **detail_values(**{"Next Action": True, "Promise Amount": "=SUM(F2:F3)"})},
    ]
    assert records(previous.hold) == [
        {"Customer ID": "C001", "Customer Name": "Acme", "Approve Hold": "Yes", "Hold Comment": None},
        {"Customer ID": "C003", "Customer Name": "Initech", "Approve Hold": None, "Hold Comment": "talk to sales"},
    ]
    assert [row["Customer ID"] for row in records(previous.notes)] == ["C001", "c002", "C003"]
    assert previous.notes.iloc[1]["Invoice"] == 1003 and previous.notes.iloc[2]["Text"] == '=HYPERLINK("http://x")'
    assert records(previous.archive) == [EARLIER]
    assert list(previous.notes.columns) == NOTE_HEADERS and list(previous.archive.columns) == list(archive_headers())


def test_carries_typed_values_onto_the_new_rows_and_archives_the_rest(previous):
    aged = aged_keys([("C002", "1006"), ("C001", "1001"), ("C006", "2000"), ("C005", "1005"), ("C002", "1003"),
                      ("C001", "1002")])
    typed = carry(previous, aged, hold_keys(["C002", "C001", "C007"]), AS_OF)
    assert records(typed.detail) == [
        detail_values(**{"Next Action": True, "Promise Amount": "=SUM(F2:F3)"}),
        detail_values(**{"Next Action": "Call AP", "Follow-up Date": CALL_BACK, "Promise Amount": 1500.25,
                         "Disputed": "Yes"}),
        detail_values(),
        detail_values(Comment="moves to C005"),  # the same invoice number under a new customer ID
        detail_values(Comment="=F4*2"),
        detail_values(),
    ]
    assert records(typed.hold) == [{"Approve Hold": None, "Hold Comment": None},
                                   {"Approve Hold": "Yes", "Hold Comment": None},
                                   {"Approve Hold": None, "Hold Comment": None}]
    nothing = dict.fromkeys(archive_headers())
    assert records(typed.archive) == [
        EARLIER,
        {**nothing, "Archived On": ARCHIVED_ON, "Sheet": "Detail", "Customer ID": "C003", "Document": "1004",
         "Customer Name": "Initech", "Approve Write-off": "Yes", "Promise Amount": 12},
        {**nothing, "Archived On": ARCHIVED_ON, "Sheet": "Credit Hold", "Customer ID": "C003", "Document": "",
         "Customer Name": "Initech", "Hold Comment": "talk to sales"},
    ]
    assert typed.notes is previous.notes
    for frame in (typed.detail, typed.hold, typed.archive):
        assert (frame.dtypes == object).all()


def test_an_old_workbook_reads_as_nothing_typed(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Detail"
    book.active.append(["Customer ID", "Customer Name", "Document", "Balance"])
    book.active.append(["C001", "Acme", "1001", 5.0])
    path = tmp_path / "old.xlsx"
    book.save(path)
    previous = read_typed(path)
    assert all(len(frame) == 0 for frame in (previous.detail, previous.hold, previous.notes, previous.archive))
    typed = carry(previous, aged_keys([("C001", "1001"), ("C002", "1")]), hold_keys(["C001"]), AS_OF)
    expected = nothing_typed(2, 1)
    for got, want in zip((typed.detail, typed.hold, typed.notes, typed.archive),
                         (expected.detail, expected.hold, expected.notes, expected.archive)):
        pd.testing.assert_frame_equal(got, want, check_index_type=False)


def keyed(rows):
    """A Previous with only Detail rows: (customer, document, name, comment)."""
    detail = pd.DataFrame([{"Customer ID": c, "Document": d, "Customer Name": n, **detail_values(Comment=v)}
                           for c, d, n, v in rows], dtype=object)
    return Previous(detail, blank(["Customer ID", "Customer Name", *HOLD_TYPED], 0),
                    blank(NOTE_HEADERS, 0), blank(archive_headers(), 0),
                    blank(["Customer ID", "Credit", "Invoice", "Kind", "Approve"], 0),
                    blank(["Customer ID", "Invoice", "Reason", "Customer Name", "Dispute Status", "Resolution"], 0))


def test_a_second_different_row_under_one_key_is_archived_an_identical_one_dropped():
    previous = keyed([("C1", "1", "A", "first"), ("C1", "1", "A", "first"), ("C1", "1", "A", "second")])
    typed = carry(previous, aged_keys([("C1", "1")]), hold_keys([]), AS_OF)
    assert typed.detail["Comment"].tolist() == ["first"]
    assert typed.archive[["Customer ID", "Document", "Comment"]].values.tolist() == [["C1", "1", "second"]]


def test_a_document_follows_a_new_customer_id_only_when_unambiguous():
    previous = keyed([("C1", "7", "A", "seven"), ("C1", "8", "A", "eight"), ("C2", "8", "B", "eight too")])
    aged = aged_keys([("C3", "7"), ("C4", "7"), ("C5", "8")])
    typed = carry(previous, aged, hold_keys([]), AS_OF)
    assert typed.detail["Comment"].tolist() == [None, None, None]
    assert typed.archive["Comment"].tolist() == ["seven", "eight", "eight too"]


def test_a_document_does_not_take_the_values_of_another_customers_typed_row():
    previous = keyed([("C1", "7", "A", "old owner"), ("C2", "7", "B", "new owner")])
    typed = carry(previous, aged_keys([("C2", "7")]), hold_keys([]), AS_OF)
    assert typed.detail["Comment"].tolist() == ["new owner"]
    assert typed.archive["Comment"].tolist() == ["old owner"]


def test_notes_become_the_notes_contract(previous):
    notes = notes_frame(previous.notes, customers=["C001", "C002", "C003"])
    assert dict(notes.dtypes.astype(str)) == {k: str(pd.Series(dtype=v).dtype) for k, v in CAPTURED_NOTES.items()}
    assert notes.astype(object).where(notes.notna(), None).to_dict("records") == [
        {"note_id": "", "customer_id": "C001", "doc_no": "1001", "written": pd.Timestamp("2024-07-30 14:05"),
         "contact_type": "Call", "contact_person": "Dana", "outcome": "Promised", "promise_cents": 150025,
         "promise_date": pd.Timestamp(CALL_BACK), "dispute_reason": "", "dispute_cents": None,
         "follow_up": pd.Timestamp(CALL_BACK), "text": "will pay", "author": "ana", "source": "Workbook"},
        {"note_id": "", "customer_id": "C002", "doc_no": "1003", "written": pd.Timestamp("2024-07-29"),
         "contact_type": "Email", "contact_person": "", "outcome": "Disputed", "promise_cents": None,
         "promise_date": None, "dispute_reason": "Pricing", "dispute_cents": 123450,
         "follow_up": pd.Timestamp("2024-08-01"), "text": "price list", "author": "ben", "source": "Workbook"},
        {"note_id": "", "customer_id": "C003", "doc_no": "", "written": None, "contact_type": "Fax",
         "contact_person": "",
         "outcome": "Maybe", "promise_cents": None, "promise_date": None, "dispute_reason": "Not a reason",
         "dispute_cents": None, "follow_up": None, "text": '=HYPERLINK("http://x")', "author": "",
         "source": "Workbook"},
    ]


@pytest.mark.parametrize(("typed", "cents"), [
    (1500.25, 150025), (0.1 + 0.2, 30), (12, 1200), ("12.345", 1235), ("-12.345", -1235), (" 1,234,567.8 ", 123456780),
    ("12,5", None), ("$12", None), ("nan", None), ("1e999999999", None), (True, None), (10**20, None),
    (CALL_BACK, None),
])
def test_amounts_are_exact_cents(typed, cents):
    notes = pd.DataFrame([{**dict.fromkeys(NOTE_HEADERS), "Promise Amount": typed}], dtype=object)
    value = notes_frame(notes, customers=())["promise_cents"].iloc[0]
    assert (value is pd.NA and cents is None) or value == cents


def test_a_sheet_that_lost_its_key_column_is_refused_in_one_sentence(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Detail"
    book.active.append(["Customer ID", "Customer Name", "Invoice No", "Comment"])
    book.active.append(["C001", "Acme", "1001", "call back"])
    path = tmp_path / "renamed.xlsx"
    book.save(path)
    with pytest.raises(ArdeskError, match="'Document' column") as error:
        read_typed(path)
    message = str(error.value)
    assert message.endswith(".") and ". " not in message and "\n" not in message


def test_files_that_are_not_workbooks_or_are_damaged_are_user_errors(tmp_path):
    text = tmp_path / "aging.xlsx"
    text.write_text("not a workbook")
    other_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other_zip, "w") as package:
        package.writestr("readme.txt", "a zip, but no workbook")
    book = openpyxl.Workbook()
    book.active.title = "Detail"
    book.save(tmp_path / "whole.xlsx")
    damaged = with_sheet_xml(tmp_path / "whole.xlsx", "<worksheet><sheetData><row>", [])
    for path, says in ((text, "not an Excel workbook"), (other_zip, "not an Excel workbook"),
                       (tmp_path / "missing.xlsx", "does not exist"), (damaged, "is damaged")):
        with pytest.raises(ArdeskError, match=says) as error:
            read_typed(path)
        message = str(error.value)
        assert message.endswith(".") and ". " not in message and "\n" not in message


def test_a_workbook_libreoffice_saved_reads_the_same(tmp_path):
    """LibreOffice writes its own XML: shared strings, every cell styled, TRUE as the formula =TRUE()."""
    path = build_typed_workbook(tmp_path / "aging.xlsx")
    saved, = lo.recalculate([path], tmp_path / "lo", force=False)
    ours, theirs = read_typed(path), read_typed(saved)
    for name in ("detail", "hold", "notes", "archive"):
        assert records(getattr(theirs, name)) == records(getattr(ours, name)), name


SHEET_XML = """<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Customer ID</t></is></c><c r="B1" t="inlineStr"><is><r><t>Docu</t></r>
<r><rPr><b/></rPr><t>ment</t></r></is></c><c r="C1" t="inlineStr"><is><t>Comment</t></is></c>
<c r="D1" t="inlineStr"><is><t>Next Action</t></is></c><c r="E1" t="inlineStr"><is><t>Promise Amount</t></is></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t>C1</t></is></c><c r="B3"><v>1E3</v></c>
<c r="C3"><f t="shared" ref="C3:C5" si="0">B3*2</f><v>2000</v></c><c t="str"><f>"C"&amp;"1"</f><v>C1</v></c>
<c t="d"><v>2024-07-15T00:00:00</v></c></row>
<row><c r="A4" t="inlineStr"><is><t>C2</t></is></c><c r="B4"><v>1001</v></c>
<c r="C4"><f t="shared" si="0"/><v>2002</v></c><c r="D4" t="b"><v>1</v></c><c r="E4" t="s"><v>0</v></c></row>
<row r="5"><c r="A5" t="inlineStr"><is><t>C3</t></is></c><c r="B5"><v>1002</v></c>
<c r="C5"><f t="shared" si="7"/><v>5</v></c><c r="D5" t="inlineStr"><is><t>&lt;call&gt; &amp; write</t></is></c>
<c r="E5" t="e"><v>#N/A</v></c></row>
</sheetData></worksheet>"""


def with_sheet_xml(path, xml, strings):
    """The workbook at `path` with its first sheet's XML and a shared strings part as another program wrote
    them."""
    edited = path.with_name("edited.xlsx")
    items = {"xl/worksheets/sheet1.xml": xml, "xl/sharedStrings.xml": (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si><t>{text}</t></si>" for text in strings) + "</sst>")}
    additions = {
        "[Content_Types].xml": ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                                'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": ('<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://'
                                       'schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
                                       '/></Relationships>'),
    }
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(edited, "w") as target:
        for name in source.namelist():
            data = source.read(name).decode()
            if name in additions:
                data = data.replace(data[data.rindex("</"):], additions[name])
            target.writestr(name, items.pop(name, data))
        for name, data in items.items():
            target.writestr(name, data)
    return edited


def test_cells_other_programs_write_read_as_typed(tmp_path):
    """Rich text, formulas with text results, shared formulas, errors, ISO dates, shared strings, cells and
    rows without their reference."""
    book = openpyxl.Workbook()
    book.active.title = "Detail"
    book.save(tmp_path / "aging.xlsx")
    previous = read_typed(with_sheet_xml(tmp_path / "aging.xlsx", SHEET_XML, ["12.50"]))
    assert records(previous.detail) == [
        {"Customer ID": "C1", "Document": "1000", "Customer Name": None,
         **detail_values(Comment="=B3*2", **{"Next Action": '="C"&"1"', "Promise Amount": dt.datetime(2024, 7, 15)})},
        {"Customer ID": "C2", "Document": "1001", "Customer Name": None,
         **detail_values(Comment="=B4*2", **{"Next Action": True, "Promise Amount": "12.50"})},
        {"Customer ID": "C3", "Document": "1002", "Customer Name": None,
         **detail_values(Comment=5, **{"Next Action": "<call> & write", "Promise Amount": "#N/A"})},
    ]


def filler(number):
    """A Detail row that ends before the typed columns (Comment is C)."""
    return (f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>F</t></is></c>'
            f'<c r="B{number}"><v>{number}</v></c></row>')


def typed_row(number, cells):
    return f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>C{number}</t></is></c>{cells}</row>'


def test_rows_typed_into_however_another_program_wrote_them_are_found_among_thousands_that_end_before(tmp_path):
    """Past the first part of the sheet, rows that end before the typed columns are passed over without
    parsing them: every row with a typed value is still found, with its number, whatever its XML looks like."""
    rows = [SHEET_XML.split("<sheetData>")[1].split("\n<row r=\"3\">")[0]]  # the header row
    rows += [filler(n) for n in range(2, 1500)]
    rows.append(typed_row(1500, '<c r="B1500"><v>1500</v></c><c r="C1500" t="inlineStr"><is><t>plain</t></is></c>'))
    rows += [filler(n) for n in range(1501, 1599)]
    rows.append(filler(1599).replace('r="1599"', 'r="1599" note="a>b"'))
    rows.append('<row><c t="inlineStr"><is><t>C1600</t></is></c><c><v>1600</v></c>'  # no references at all
                '<c t="inlineStr"><is><t>positional</t></is></c></row>')
    rows.append(typed_row(1601, '<c r="B1601"><v>1601</v></c><c t="inlineStr" r=\'D1601\' foo="a&gt;b">'
                                '<is><r><rPr><color rgb="FFFF0000"/></rPr><t>quoted</t></r></is></c>'))
    rows.append(typed_row(1602, '<c r="B1602"><v>1602</v></c><c r="C1602" note="a>b" t="inlineStr">'
                                '<is><t>a &gt; in an attribute</t></is></c>'))
    rows.append(typed_row(1603, f'<c r="B1603"><v>1603</v></c><c r="C1603" t="inlineStr"><is><t>{"long " * 8000}'
                                '</t></is></c>'))
    rows.append(filler(1604) + "<!-- a comment may hold </row> as text: from here on every row is parsed -->")
    rows.append(typed_row(1605, '<c r="B1605"><v>1605</v></c><!-- and so </row> may this one -->'
                                '<c r="C1605" t="inlineStr"><is><t>after</t></is></c>'))
    rows += [filler(n) for n in range(1606, 3000)]
    xml = SHEET_XML.split("<sheetData>")[0] + "<sheetData>" + "\n".join(rows) + "</sheetData></worksheet>"
    book = openpyxl.Workbook()
    book.active.title = "Detail"
    book.save(tmp_path / "aging.xlsx")
    edited = with_sheet_xml(tmp_path / "aging.xlsx", xml, [])

    previous = read_typed(edited)
    assert records(previous.detail) == [
        {"Customer ID": f"C{n}", "Document": str(n), "Customer Name": None, **detail_values(**typed)}
        for n, typed in ((1500, {"Comment": "plain"}), (1600, {"Comment": "positional"}),
                         (1601, {"Next Action": "quoted"}), (1602, {"Comment": "a > in an attribute"}),
                         (1603, {"Comment": "long " * 8000}), (1605, {"Comment": "after"}))
    ]
    with opened(edited) as workbook, workbook.cells("Detail") as cells:
        assert next(cells.rows(limit=1))[0] == 1
        assert [n for n, _ in cells.rows(columns={1}, having={3, 4})] == [1500, 1600, 1601, 1602, 1603, 1605]


def test_typed_values_survive_writing_typing_and_rewriting_against_changed_data(tmp_path):
    """The writer's workbook, typed into with openpyxl as Excel would save it, carried onto changed data
    (a paid invoice, a new one, a renamed customer, a document under a new customer ID) and written again."""
    aged = aging_book.aged_frame(120, 30)
    customers = aging_book.customers_frame(aged)
    first = aging_book.contents(aged, customers=customers)
    path = write_aging_workbook(tmp_path / "aging.xlsx", first, as_of=aging_book.AS_OF, base_currency="USD",
                                config={"source": "erp.csv"})
    book = openpyxl.load_workbook(path)
    detail = book["Detail"]
    column = {cell.value: cell.column for cell in detail[1]}
    kept, paid, moved = aged["doc_no"].iloc[[3, 4, 5]]
    detail.cell(5, column["Comment"], "promised Friday")  # row 5 shows aged row 3
    detail.cell(5, column["Promise Amount"], 1200.5)
    detail.cell(6, column["Disputed"], "Yes")
    detail.cell(7, column["Follow-up Date"], CALL_BACK)
    hold = book["Credit Hold"]
    held = hold.cell(2, 1).value
    hold.cell(2, [c.value for c in hold[1]].index("Approve Hold") + 1, "Yes")
    book["Notes"].append(["C00001", kept, "Call", "Bob", "Promised", 1200.5, CALL_BACK, None, None, None, "ok",
                          "ana", dt.datetime(2024, 6, 30, 9)])
    book.save(path)

    changed = aged[aged["doc_no"] != paid].reset_index(drop=True)
    changed.loc[changed["doc_no"] == moved, "customer_id"] = "C09999"
    renamed = changed["customer_id"] == aged["customer_id"].iloc[3]
    changed.loc[renamed, "customer_name"] = "Renamed Ltd"
    changed = pd.concat([changed, aged.iloc[[0]].assign(doc_no="INV-NEW")], ignore_index=True)
    second_hold = aging_book.contents(changed, customers=customers).credit_hold
    typed = carry(read_typed(path), changed, second_hold, AS_OF)
    again = write_aging_workbook(tmp_path / "again.xlsx",
                                 aging_book.contents(changed, customers=customers, typed=typed),
                                 as_of=aging_book.AS_OF, base_currency="USD", config={"source": "erp.csv"})

    previous = read_typed(again)
    by_document = {row["Document"]: row for row in records(previous.detail)}
    assert set(by_document) == {kept, moved}
    assert by_document[kept] == {
        "Customer ID": aged["customer_id"].iloc[3], "Document": kept, "Customer Name": "Renamed Ltd",
        **detail_values(Comment="promised Friday", **{"Promise Amount": 1200.5})}
    assert by_document[moved]["Customer ID"] == "C09999"
    assert by_document[moved]["Follow-up Date"] == CALL_BACK
    assert records(previous.archive) == [{**dict.fromkeys(archive_headers()), "Archived On": ARCHIVED_ON,
                                          "Sheet": "Detail", "Customer ID": aged["customer_id"].iloc[4],
                                          "Document": paid, "Customer Name": aged["customer_name"].iloc[4],
                                          "Disputed": "Yes"}]
    assert held in set(second_hold["customer_id"])
    assert [(r["Customer ID"], r["Approve Hold"]) for r in records(previous.hold)] == [(held, "Yes")]
    assert records(previous.notes)[0]["Text"] == "ok" and len(previous.notes) == 1


def test_yes_is_read_the_same_way_in_every_yes_no_column():
    assert [said_yes(v) for v in ("Yes", " yes ", "Y E S", True)] == [True] * 4
    assert [said_yes(v) for v in ("No", "", None, False, 1, "y", "Yes please")] == [False] * 7
