"""Nothing typed is lost when the ERP answers nothing: a company the ERP does not know is refused before anything
is read or written (by every command that reads the ERP), a refresh that finds nothing open where the workbook
showed open items leaves the workbook as it was, and a typed row archived when its document closed comes back
when the document is open again. Through the `ardesk` command against the demo ERP in SQLite and PostgreSQL."""
import datetime as dt
import subprocess
import sys

import openpyxl
import pandas as pd
import pyodbc
import pytest

from ardesk.book import read_config
from ardesk.book.carry import Previous, carry
from ardesk.book.userdata import DETAIL_USER, HOLD_USER, archive_headers, blank
from ardesk.demo.schema import schema
from ardesk.erp import demo
from ardesk.erp.dialect import dialect_of_dbms, render

AS_OF = "2026-11-24"
TYPO = "The ERP knows no company 'EPIC6': set [erp] company (or --company) to one it has (EPIC06); nothing was written."
DETAIL_TYPED = [c.header for c in DETAIL_USER]


def ardesk(*args, cwd, code=0):
    """The command's stdout (its stderr when it is expected to fail); fails unless it exits with `code`."""
    result = subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True, cwd=cwd,
                            timeout=300)
    assert result.returncode == code, result.stderr
    return (result.stdout if code == 0 else result.stderr).strip()


def rows(path, sheet):
    """The rows of a sheet of the workbook at `path` as dicts by header, with their sheet row under "_row"."""
    table = openpyxl.load_workbook(path)[sheet]
    headers = {cell.value: cell.column for cell in table[1] if cell.value}
    found = []
    for number in range(2, table.max_row + 1):
        values = {h: table.cell(number, c).value for h, c in headers.items()}
        if any(v is not None for v in values.values()):
            found.append({**values, "_row": number})
    return found


def type_comments(path, comments):
    """Type a Comment beside each document of `comments` ({document: text}) and save, as Excel would."""
    book = openpyxl.load_workbook(path)
    detail = book["Detail"]
    column = next(cell.column for cell in detail[1] if cell.value == "Comment")
    for row in rows(path, "Detail"):
        if row["Document"] in comments:
            detail.cell(row["_row"], column, comments[row["Document"]])
    book.save(path)


def comments(path):
    return {r["Document"]: r["Comment"] for r in rows(path, "Detail") if r["Comment"] is not None}


def in_erp(connect, *statements):
    """Run each (canonical SQL, parameters...) in the ERP in one transaction; the rows the last one returned."""
    with pyodbc.connect(connect, autocommit=False) as conn:
        dialect = dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
        for sql, *parameters in statements:
            cursor = conn.execute(render(sql, dialect), *parameters)
        found = cursor.fetchall() if cursor.description else []
        conn.commit()
    return found


@pytest.fixture(params=["sqlite", "postgres"])
def erp(request):
    connect = request.getfixturevalue(f"{request.param}_erp")
    demo.build(connect, customers=30, seed=11, as_of=dt.date.fromisoformat(AS_OF))
    return connect


@pytest.fixture
def typed(erp, tmp_path):
    """(workbook of company EPIC06 with comments typed on two invoices, {document: comment})."""
    path = tmp_path / "aging.xlsx"
    ardesk("workbook", "--connect", erp, "--company", "EPIC06", "--as-of", AS_OF, "--output", str(path), cwd=tmp_path)
    invoices = [r["Document"] for r in rows(path, "Detail") if r["Type"] == "INV"][:2]
    typed = {invoices[0]: "cheque in the post", invoices[1]: "call Friday"}
    type_comments(path, typed)
    return path, typed


def test_a_typo_company_is_refused_and_the_right_one_finds_the_comments_where_they_were(erp, typed, tmp_path):
    path, typed = typed
    before = path.read_bytes()
    said = ardesk("workbook", "--connect", erp, "--company", "EPIC6", "--as-of", AS_OF, "--output", str(path),
                  cwd=tmp_path, code=1)
    assert said == f"ardesk: {TYPO}"
    assert path.read_bytes() == before
    assert not (tmp_path / "ardesk-backups").exists()

    ardesk("workbook", "--connect", erp, "--company", "EPIC06", "--as-of", AS_OF, "--output", str(path), cwd=tmp_path)
    assert comments(path) == typed
    assert rows(path, "Archive") == []


def test_a_paid_item_whose_payment_is_reversed_gets_its_comment_back_from_the_archive(erp, typed, tmp_path):
    path, typed = typed
    paid, kept = typed
    (balances,) = in_erp(erp, ("SELECT InvoiceBal, DocInvoiceBal FROM Erp.InvcHead WHERE InvoiceNum = ?", int(paid)))
    in_erp(erp, ("UPDATE Erp.InvcHead SET OpenInvoice = FALSE, InvoiceBal = 0, DocInvoiceBal = 0 WHERE InvoiceNum = ?",
                 int(paid)))
    ardesk("refresh", str(path), "--as-of", AS_OF, cwd=tmp_path)
    assert comments(path) == {kept: typed[kept]}
    assert [(r["Sheet"], r["Document"], r["Comment"]) for r in rows(path, "Archive")] == [
        ("Detail", paid, typed[paid])]

    in_erp(erp, ("UPDATE Erp.InvcHead SET OpenInvoice = TRUE, InvoiceBal = ?, DocInvoiceBal = ? WHERE InvoiceNum = ?",
                 *balances, int(paid)))
    ardesk("refresh", str(path), "--as-of", AS_OF, cwd=tmp_path)
    assert comments(path) == typed
    assert rows(path, "Archive") == []


def test_nothing_open_where_the_workbook_showed_open_items_leaves_it_as_it_was(sqlite_erp, tmp_path):
    demo.build(sqlite_erp, customers=10, seed=3, as_of=dt.date.fromisoformat(AS_OF))
    path = tmp_path / "aging.xlsx"
    ardesk("workbook", "--connect", sqlite_erp, "--company", "EPIC06", "--as-of", AS_OF, "--output", str(path),
           cwd=tmp_path)
    shown = int(read_config(path)["open_items"])
    assert shown == len(rows(path, "Detail")) > 0
    in_erp(sqlite_erp, ("UPDATE Erp.InvcHead SET OpenInvoice = FALSE",))
    before = path.read_bytes()
    said = ardesk("refresh", str(path), "--as-of", AS_OF, cwd=tmp_path, code=1)
    assert said == (f"ardesk: The ERP has no open items for company 'EPIC06' where the workbook showed {shown}, so "
                    "it was left as it was: check [erp] company (the ERP has EPIC06) and refresh again.")
    assert path.read_bytes() == before
    assert not (tmp_path / "ardesk-backups").exists()


@pytest.mark.parametrize("command", [["aging"], ["hitlist", "--output", "hits.xlsx"], ["reconcile"],
                                     ["workbook", "--output", "aging.xlsx"]])
def test_every_command_that_reads_the_erp_refuses_a_company_it_does_not_know(sqlite_erp, tmp_path, command):
    demo.build(sqlite_erp, customers=5, seed=3, as_of=dt.date.fromisoformat(AS_OF))
    said = ardesk(*command, "--connect", sqlite_erp, "--company", "EPIC6", "--as-of", AS_OF, cwd=tmp_path, code=1)
    assert said == f"ardesk: {TYPO}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["erp.sqlite"]  # a first build too: nothing written


def test_a_new_company_with_nothing_open_is_built_and_refreshed(sqlite_erp, tmp_path):
    demo.build(sqlite_erp, customers=5, seed=3, as_of=dt.date.fromisoformat(AS_OF))
    columns = list(schema()["Erp.Customer"])
    copied = ", ".join("'NEW01'" if c == "Company" else c for c in columns)
    in_erp(sqlite_erp, (f"INSERT INTO Erp.Customer ({', '.join(columns)}) SELECT {copied} FROM Erp.Customer",))
    path = tmp_path / "aging.xlsx"
    ardesk("workbook", "--connect", sqlite_erp, "--company", "NEW01", "--as-of", AS_OF, "--output", str(path),
           cwd=tmp_path)
    ardesk("refresh", str(path), "--as-of", AS_OF, cwd=tmp_path)
    assert rows(path, "Detail") == [] and read_config(path)["open_items"] == "0"


def previous_with(detail, archive):
    """A Previous with only Detail rows and Archive rows, each given as (customer, document, comment)."""
    lead = {"Customer Name": "Acme"}
    typed = pd.DataFrame([{"Customer ID": c, "Document": d, **lead, **dict.fromkeys(DETAIL_TYPED), "Comment": v}
                          for c, d, v in detail], columns=["Customer ID", "Document", "Customer Name", *DETAIL_TYPED],
                         dtype=object)
    archived = pd.DataFrame([{**dict.fromkeys(archive_headers()), "Archived On": dt.datetime(2026, 10, day),
                              "Sheet": "Detail", "Customer ID": c, "Document": d, **lead, "Comment": v}
                             for day, (c, d, v) in enumerate(archive, start=1)], columns=list(archive_headers()),
                            dtype=object)
    return Previous(typed, blank(["Customer ID", "Customer Name", *(c.header for c in HOLD_USER)], 0),
                    blank(["Customer ID"], 0), archived, blank(["Customer ID"], 0),
                    blank(["Customer ID", "Invoice", "Reason", "Customer Name", "Dispute Status", "Resolution"], 0))


def test_the_latest_archived_row_comes_back_onto_its_document_unless_something_is_typed_there():
    previous = previous_with(detail=[("C1", "2", "typed since")],
                             archive=[("C1", "1", "older"), ("C1", "1", "latest"), ("C1", "2", "archived"),
                                      ("C1", "9", "still closed")])
    aged = pd.DataFrame({"customer_id": pd.array(["C1", "C1", "C2"], dtype="string"),
                         "doc_no": pd.array(["1", "2", "3"], dtype="string")})
    typed = carry(previous, aged, pd.DataFrame({"customer_id": pd.array([], dtype="string")}),
                  dt.date.fromisoformat(AS_OF))
    assert typed.detail["Comment"].tolist() == ["latest", "typed since", None]
    assert [(r["Document"], r["Comment"]) for _, r in typed.archive.iterrows()] == [
        ("1", "older"), ("2", "archived"), ("9", "still closed")]
