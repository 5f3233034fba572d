"""A month of a collector's life through the `ardesk` command against PostgreSQL over ODBC: write the workbook,
type into it (openpyxl saves it as Excel would), let the ERP move on (invoices paid, new invoices, a customer
renamed), refresh, and find every typed value on the right row, closed documents in the Archive and every
note kept."""
import datetime as dt
import subprocess
import sys

import openpyxl
import pyodbc
import pytest

from ardesk.demo.schema import schema
from ardesk.erp import demo

AS_OF = "2026-11-24"
CALL_BACK = dt.datetime(2026, 12, 2)
WRITTEN = dt.datetime(2026, 11, 23, 9, 30)


def ardesk(*args, cwd):
    result = subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True, cwd=cwd,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def table(sheet, header_row=1):
    """(header -> column number, data rows as dicts with their sheet row number under "_row")."""
    headers = {cell.value: cell.column for cell in sheet[header_row] if cell.value}
    rows = []
    for number in range(header_row + 1, sheet.max_row + 1):
        values = {h: sheet.cell(number, c).value for h, c in headers.items()}
        if any(v is not None for v in values.values()):
            rows.append({**values, "_row": number})
    return headers, rows


@pytest.fixture
def erp(postgres_erp):
    demo.build(postgres_erp, customers=40, seed=11, as_of=dt.date.fromisoformat(AS_OF))
    return postgres_erp


def test_typed_values_survive_a_refresh_against_a_changed_erp(erp, tmp_path):
    path = tmp_path / "aging.xlsx"
    assert ardesk("workbook", "--connect", erp, "--as-of", AS_OF, "--output", str(path), cwd=tmp_path) == str(path)

    book = openpyxl.load_workbook(path)
    columns, rows = table(book["Detail"])
    invoices = [r for r in rows if r["Type"] == "INV"]
    paid, kept, renamed = invoices[0], invoices[1], next(r for r in invoices if r["Customer ID"] not in
                                                          (invoices[0]["Customer ID"], invoices[1]["Customer ID"]))
    typed = {
        paid["Document"]: {"Comment": "said the cheque is in the post", "Disputed": "Yes"},
        kept["Document"]: {"Next Action": "Call", "Follow-up Date": CALL_BACK, "Promise Amount": 1234.56,
                           "Comment": "=not a formula, just text"},
        renamed["Document"]: {"Approve Write-off": "Yes", "Comment": "small balance"},
    }
    detail = book["Detail"]
    for row in (paid, kept, renamed):
        for header, value in typed[row["Document"]].items():
            detail.cell(row["_row"], columns[header], value)
    notes = book["Notes"]
    note_headers, _ = table(notes)
    for customer, text in ((paid["Customer ID"], "Paid by cheque 4411"), (kept["Customer ID"], "Promised 1,234.56")):
        row = notes.max_row + 1 if notes.cell(2, 1).value is not None else 2
        for header, value in {"Customer ID": customer, "Contact Type": "Call", "Outcome": "Reached",
                              "Text": text, "Author": "ana", "Written": WRITTEN}.items():
            notes.cell(row, note_headers[header], value)
    book.save(path)

    with pyodbc.connect(erp, autocommit=False) as conn:
        conn.execute("UPDATE Erp.InvcHead SET OpenInvoice = FALSE, InvoiceBal = 0, DocInvoiceBal = 0, "
                     "ClosedDate = CAST(? AS DATE) WHERE CAST(InvoiceNum AS VARCHAR(20)) = ?", AS_OF, paid["Document"])
        conn.execute("UPDATE Erp.Customer SET Name = ? WHERE CustID = ?", "Renamed & Sons", renamed["Customer ID"])
        columns_sql = ", ".join(schema()["Erp.InvcHead"])
        copied = columns_sql.replace("InvoiceNum", "InvoiceNum + 900000")
        conn.execute(f"INSERT INTO Erp.InvcHead ({columns_sql}) SELECT {copied} FROM Erp.InvcHead "
                     "WHERE CAST(InvoiceNum AS VARCHAR(20)) = ?", kept["Document"])
        conn.commit()

    assert ardesk("refresh", str(path), "--as-of", AS_OF, cwd=tmp_path) == str(path)

    book = openpyxl.load_workbook(path)
    _, after = table(book["Detail"])
    by_document = {r["Document"]: r for r in after}
    assert paid["Document"] not in by_document
    new_document = str(int(kept["Document"]) + 900000)
    assert new_document in by_document and len(after) == len(rows)  # one paid, one new
    user = ("Next Action", "Comment", "Follow-up Date", "Promise Amount", "Promise Date", "Disputed",
            "Approve Write-off")
    for document in (kept["Document"], renamed["Document"]):
        row = by_document[document]
        assert {h: row[h] for h in user if row[h] is not None} == typed[document], document
    assert by_document[renamed["Document"]]["Customer Name"] == "Renamed & Sons"
    assert all(r[h] is None for r in after if r["Document"] not in typed for h in user)

    _, archive = table(book["Archive"])
    assert [(r["Sheet"], r["Document"], r["Comment"], r["Disputed"]) for r in archive] == [
        ("Detail", paid["Document"], "said the cheque is in the post", "Yes")]
    _, notes_after = table(book["Notes"])
    assert [(r["Customer ID"], r["Text"], r["Written"]) for r in notes_after] == [
        (paid["Customer ID"], "Paid by cheque 4411", WRITTEN), (kept["Customer ID"], "Promised 1,234.56", WRITTEN)]
    assert len(list((tmp_path / "ardesk-backups").iterdir())) == 1
