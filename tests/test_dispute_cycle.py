"""A dispute's life through the `ardesk` command against PostgreSQL over ODBC: logged on the Notes sheet, listed on
the Disputes sheet and taken out of the dunning; found invalid and sent back to the collector; pushed to the ERP
and still the same dispute; closed when the ERP credits the invoice, its status kept in the Archive."""
import datetime as dt

import openpyxl
import pyodbc
import pytest

import test_refresh_cycle
from test_refresh_cycle import AS_OF, ardesk, table

erp = test_refresh_cycle.erp
"""The refresh cycle's 40-customer demo ERP in a fresh PostgreSQL database."""

WRITTEN = dt.datetime(2026, 11, 20, 11, 0)


def sheets(path):
    book = openpyxl.load_workbook(path)
    return {name: table(book[name]) for name in ("Detail", "Disputes", "Archive", "Notes")}, book


def worklist_row(book, customer):
    """The Worklist row of `customer` (header on row 4) as a dict, or None when the account is not on it."""
    _headers, rows = table(book["Worklist"], header_row=4)
    return next((r for r in rows if r["Customer ID"] == customer), None)


def ours(found, customer, document):
    """The Disputes rows about `document` of `customer` (the demo ERP logs disputes of its own)."""
    return [r for r in found["Disputes"][1] if r["Customer ID"] == customer and str(r["Invoice"]) == document]


def meeting_dispute(book, customer):
    """What the Past-Due Meeting says of `customer`'s open disputes."""
    _headers, rows = table(book["Past-Due Meeting"], header_row=4)
    return next(r["Dispute"] for r in rows if r["Customer ID"] == customer) or ""


def refresh(path, tmp_path):
    ardesk("refresh", str(path), "--as-of", AS_OF, cwd=tmp_path)


def test_a_dispute_from_note_to_credit(erp, tmp_path):
    path = tmp_path / "aging.xlsx"
    ardesk("workbook", "--connect", erp, "--as-of", AS_OF, "--output", str(path), cwd=tmp_path)
    found, book = sheets(path)
    late = [r for r in found["Detail"][1] if r["Type"] == "INV" and (r["Days Past Due"] or 0) > 0]
    invoice = max(late, key=lambda r: r["Balance USD"] if r["In Dispute"] is None else 0)
    customer, document = invoice["Customer ID"], str(invoice["Document"])
    past_due_before = worklist_row(book, customer)["Past Due"]
    headers, _ = found["Notes"]
    for header, value in {"Customer ID": customer, "Invoice": document, "Contact Type": "Email",
                          "Outcome": "Disputed", "Dispute Reason": "pricing", "Dispute Amount": 120.5,
                          "Text": "Quoted 4.50 a unit, billed 5.00", "Author": "ana", "Written": WRITTEN}.items():
        book["Notes"].cell(2, headers[header], value)
    book.save(path)

    refresh(path, tmp_path)  # logged: on the Disputes sheet, out of the dunning
    found, book = sheets(path)
    [dispute] = ours(found, customer, document)
    assert (dispute["Customer ID"], str(dispute["Invoice"]), dispute["Reason"], dispute["Department"]) == (
        customer, document, "Pricing", "Sales")
    assert (dispute["Opened"], dispute["Age (Days)"], dispute["Disputed Amount"]) == (dt.datetime(2026, 11, 20), 4,
                                                                                      120.5)
    assert dispute["Open Balance USD"] == invoice["Balance USD"] and dispute["Dispute Status"] is None
    [row] = [r for r in found["Detail"][1] if str(r["Document"]) == document]
    assert row["In Dispute"] == "Pricing"
    listed = worklist_row(book, customer)
    assert listed is None or listed["In Dispute"] == pytest.approx(invoice["Balance USD"])
    assert (listed["Past Due"] if listed else 0) == pytest.approx(past_due_before - invoice["Balance USD"])
    assert "Pricing 120.50" in meeting_dispute(book, customer)

    headers, _ = found["Disputes"]
    book["Disputes"].cell(dispute["_row"], headers["Dispute Status"], "Invalid: collect")
    book["Disputes"].cell(dispute["_row"], headers["Resolution"], "Price list confirms 5.00")
    book.save(path)
    ardesk("notes", "push", str(path), "--as-of", AS_OF, cwd=tmp_path)  # the note goes to the ERP; it rewrites too
    found, book = sheets(path)
    [dispute] = ours(found, customer, document)  # the ERP's copy of the note is the same dispute: the status stays with it
    assert (dispute["Dispute Status"], dispute["Resolution"]) == ("Invalid: collect", "Price list confirms 5.00")
    assert dispute["Disputed Amount"] == 120.5
    assert found["Notes"][1][0]["Status"].startswith("Pushed")
    [row] = [r for r in found["Detail"][1] if str(r["Document"]) == document]
    assert row["In Dispute"] is None  # invalid: back to the collector
    assert worklist_row(book, customer)["Past Due"] == pytest.approx(past_due_before)
    assert "Pricing" not in meeting_dispute(book, customer)

    with pyodbc.connect(erp, autocommit=False) as conn:  # the ERP credits the invoice after all
        conn.execute("UPDATE Erp.InvcHead SET OpenInvoice = FALSE, InvoiceBal = 0, DocInvoiceBal = 0, "
                     "ClosedDate = CAST(? AS DATE) WHERE CAST(InvoiceNum AS VARCHAR(20)) = ?", AS_OF, document)
        conn.commit()
    refresh(path, tmp_path)
    found, _ = sheets(path)
    assert ours(found, customer, document) == []
    [archived] = [r for r in found["Archive"][1] if r["Sheet"] == "Disputes"]
    assert (archived["Customer ID"], str(archived["Document"]), archived["Dispute Status"], archived["Resolution"]) == (
        customer, document, "Invalid: collect", "Price list confirms 5.00")
