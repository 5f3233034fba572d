"""Reading invoice numbers out of reference and remittance text: every format, and nothing that is not one."""
import pandas as pd
import pytest

from ardesk.ar.references import Named, doc_keys, invoice_numbers, near


@pytest.mark.parametrize("text", ["INV-00123", "inv 123", "#123", "Inv#123", "INV#123", "RE: INVOICE 123",
                                  "Credit for inv. 123", "Invoice No. 123", "invoice nr 0000123", "bill 123"])
def test_every_format_names_invoice_123_explicitly(text):
    assert invoice_numbers(text) == (Named(123, True),)


def test_a_bare_number_is_named_but_not_explicitly():
    assert invoice_numbers("123") == (Named(123, False),)
    assert invoice_numbers("Payment 123") == (Named(123, False),)


@pytest.mark.parametrize("text, numbers", [
    ("PMT INV 10234 10235", (10234, 10235)),
    ("INV 10234, 10235 and 10236", (10234, 10235, 10236)),
    ("Invoices 10234 & 10235", (10234, 10235)),
    ("10234/10235", (10234, 10235)),
    ("INV 10234,10235", (10234, 10235)),
    ("inv 10234 inv 10234", (10234,)),
])
def test_several_invoices(text, numbers):
    assert tuple(n.number for n in invoice_numbers(text)) == numbers


@pytest.mark.parametrize("text", [
    "$1,234.56", "1,234.56", "1.234,56", "1234.56", "USD 500", "500 USD", "500 €", "12%", "€500",
    "2026-11-24", "11/24/26", "24.11.2026", "24 Nov 2026", "Nov 24, 2026", "14:30",
    "PO 4500012345", "P.O. #77", "PO No. 77", "CHK 004512", "CHK #4512", "ACH 123456", "WIRE FT12345678",
    "RMA 4411", "order 555", "Account 12345", "store 45", "net 30", "30days", "2nd reminder", "12pcs",
    "Pricing adjustment", "", None,
])
def test_amounts_dates_and_other_numbers_are_not_invoices(text):
    assert invoice_numbers(text) == ()


def test_an_invoice_among_other_numbers():
    text = "PO 4500012345 CHK #004512 INV 10234 $1,234.56 paid 2026-11-02"
    assert invoice_numbers(text) == (Named(10234, True),)
    assert invoice_numbers("INV 12 $99.00") == (Named(12, True),)  # the sign belongs to the amount after it


def test_document_keys_drop_prefixes_separators_and_leading_zeros():
    docs = pd.Series(["00123", "INV-00123", "123", "CM 2024-0099", "ABC", "", None, "1" * 25], dtype="string")
    assert doc_keys(docs).tolist() == [123, 123, 123, 99, -1, -1, -1, -1]


@pytest.mark.parametrize("a, b, slip", [
    (10234, 10243, True), (10234, 10235, True), (10234, 1234, True), (10234, 102344, True),
    (10234, 10234, False), (10234, 10342, False), (10234, 20243, False), (123, 321, False),
])
def test_typing_slips(a, b, slip):
    assert near(a, b) is slip and near(b, a) is slip
