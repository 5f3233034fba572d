"""Open-items export files: the CSV and XLSX readers agree to the cent, and every malformed file is refused
with one sentence naming the file, the row as the user sees it, and the column."""
import csv
import io
import time
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ardesk.errors import ArdeskError
from ardesk.erp.files import read_open_items
from ardesk.money import cents_from_text
from ardesk.frames import OPEN_ITEMS
from ardesk.money import cents_from_decimal

HEADER = ["customer_id", "customer_name", "doc_no", "doc_type", "doc_date", "due_date", "currency", "amount",
          "balance", "base_balance", "sales_rep", "collector", "terms", "reference", "po_number", "credit_limit"]
ROWS = [  # as an ERP exports them: credits negative, EUR documents with base balances, a negative debit memo
    ["C001", 'Acme, "Tools" Ltd', "INV-1", "INV", date(2024, 1, 5), date(2024, 2, 4), "USD", 1234.56, 1000.01,
     1000.01, "Ann", "Bob", "N30", "ref 1", "PO-9", 50000],
    ["C001", 'Acme, "Tools" Ltd', "CM-1", "CM", date(2024, 1, 20), date(2024, 1, 20), "USD", -200, -200.0,
     -200.0, "Ann", "Bob", "N30", None, None, 50000],
    ["C002", "Müller GmbH", "INV-2", "INV", date(2024, 2, 1), date(2024, 3, 2), "EUR", 1.005, 1.005, 1.09, "Cem",
     "Bob", "N30", "ref 2", None, 0],
    ["C002", "Müller GmbH", "PAY-1", "PAY", date(2024, 2, 10), date(2024, 2, 10), "EUR", -0.1, -0.1, -0.11, "Cem",
     "Bob", "N30", None, None, 0],
    ["C003", "Zoë's Café", "DM-1", "DM", date(2023, 12, 31), date(2024, 1, 30), "USD", -5.5, -5.5, -5.5, "Cem",
     None, "COD", None, None, 1500.75],
]
CSV = """customer_id,customer_name,doc_no,doc_type,doc_date,due_date,currency,amount,balance,base_balance,\
sales_rep,collector,terms,reference,po_number,credit_limit
C001,"Acme, ""Tools"" Ltd",INV-1,INV,2024-01-05,2024-02-04,USD,1234.56,1000.01,1000.01,Ann,Bob,N30,ref 1,PO-9,50000
C001,"Acme, ""Tools"" Ltd",CM-1,CM,2024-01-20,2024-01-20,USD,-200.00,-200.00,-200.00,Ann,Bob,N30,,,50000
C002,Müller GmbH,INV-2,INV,2024-02-01,2024-03-02,EUR,1.005,1.005,1.09,Cem,Bob,N30,ref 2,,0
C002,Müller GmbH,PAY-1,PAY,2024-02-10,2024-02-10,EUR,-0.1,-0.1,-0.11,Cem,Bob,N30,,,0
C003,Zoë's Café,DM-1,DM,2023-12-31,2024-01-30,USD,-5.5,-5.5,-5.5,Cem,,COD,,,1500.75
"""


def write_csv(folder, text: str, name: str = "open.csv", *, bom: bool = False):
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def write_xlsx(folder, rows, *, header=HEADER, name: str = "open.xlsx", sheets=("Sheet1",)):
    """An .xlsx whose last sheet holds header and rows; sheets before it hold something else."""
    book = openpyxl.Workbook()
    book.active.title = sheets[0]
    for title in sheets[1:]:
        book.active.append(["not", "the", "open", "items"])
        book.active = book.create_sheet(title)
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.active = 0
    path = folder / name
    book.save(path)
    return path


def edit(text: str, line: int, old: str, new: str) -> str:
    """`text` with `old` replaced by `new` on one line (1 = the header)."""
    lines = text.splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "".join(lines)


def without_column(text: str, name: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    drop = rows[0].index(name)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([f for i, f in enumerate(row) if i != drop] for row in rows)
    return out.getvalue()


def refusal(path, base_currency: str = "USD") -> str:
    with pytest.raises(ArdeskError) as caught:
        read_open_items(path, base_currency=base_currency)
    return str(caught.value)


def test_csv_and_xlsx_give_the_same_frame_to_the_cent(tmp_path):
    from_csv = read_open_items(write_csv(tmp_path, CSV), base_currency="USD")
    from_xlsx = read_open_items(write_xlsx(tmp_path, ROWS), base_currency=" usd ")
    pd.testing.assert_frame_equal(from_csv, from_xlsx)
    assert from_csv["amount_cents"].tolist() == [123456, -20000, 101, -10, -550]  # 1.005 rounds half up
    assert from_csv["balance_cents"].tolist() == [100001, -20000, 101, -10, -550]
    assert from_csv["base_balance_cents"].tolist() == [100001, -20000, 109, -11, -550]
    assert from_csv["credit_limit_cents"].tolist() == [5000000, 5000000, 0, 0, 150075]
    assert from_csv["customer_name"].tolist()[::2] == ['Acme, "Tools" Ltd', "Müller GmbH", "Zoë's Café"]
    assert from_csv["doc_date"].tolist()[4] == pd.Timestamp("2023-12-31")
    assert from_csv["collector"].tolist()[4] == "" and from_csv["po_number"].tolist()[0] == "PO-9"


def test_frame_follows_the_open_items_contract(tmp_path):
    frame = read_open_items(write_csv(tmp_path, CSV), base_currency="USD")
    assert list(frame.columns) == list(OPEN_ITEMS)
    assert {name: frame[name].dtype for name in frame} == {n: pd.Series(dtype=d).dtype for n, d in OPEN_ITEMS.items()}


def test_reading_writes_nothing(tmp_path):
    for path in (write_csv(tmp_path, CSV), write_xlsx(tmp_path, ROWS)):
        before = sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in tmp_path.iterdir())
        read_open_items(path, base_currency="USD")
        assert sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in tmp_path.iterdir()) == before


def test_bom_header_case_spaces_order_and_unknown_columns_are_tolerated(tmp_path):
    rows = list(csv.reader(io.StringIO(CSV)))
    rows[0] = [f"  {name.upper().replace('_', ' ')} " for name in rows[0]]
    rows = [[f"note {i}"] + row[1:] + row[:1] for i, row in enumerate(rows)]  # first column last, a new one first
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    plain = read_open_items(write_csv(tmp_path, CSV), base_currency="USD")
    tolerant = read_open_items(write_csv(tmp_path, out.getvalue(), "excel.csv", bom=True), base_currency="USD")
    pd.testing.assert_frame_equal(plain, tolerant)


def test_optional_columns_may_be_left_out_and_an_empty_currency_is_the_base(tmp_path):
    required = "customer_id,customer_name,doc_no,doc_type,doc_date,due_date,currency,amount,balance\n"
    row = read_open_items(write_csv(tmp_path, required + "C9,Nine,9,inv,2024-05-01T00:00:00,2024-05-31,,10,7.5\n"),
                          base_currency="USD").iloc[0]
    assert (row["doc_type"], row["currency"], row["balance_cents"], row["base_balance_cents"]) == ("INV", "USD", 750,
                                                                                                   750)
    assert (row["credit_limit_cents"], row["terms"], row["sales_rep"]) == (0, "", "")
    assert row["doc_date"] == pd.Timestamp("2024-05-01")


def test_blank_lines_and_empty_rows_are_skipped_and_a_header_alone_means_nothing_open(tmp_path):
    padded = CSV.replace("\nC002,Müller GmbH,INV-2", "\n\n,,,,,,,,,,,,,,,\nC002,Müller GmbH,INV-2")
    assert len(read_open_items(write_csv(tmp_path, padded), base_currency="USD")) == 5
    xlsx = write_xlsx(tmp_path, ROWS[:2] + [[None] * 16, []] + ROWS[2:])
    assert len(read_open_items(xlsx, base_currency="USD")) == 5
    nothing = read_open_items(write_csv(tmp_path, CSV.splitlines()[0] + "\n", "none.csv"), base_currency="USD")
    assert len(nothing) == 0 and list(nothing.columns) == list(OPEN_ITEMS)


def test_xlsx_reads_the_open_items_sheet_and_text_cells(tmp_path):
    rows = [[str(c) if isinstance(c, (float, int)) else c for c in row] for row in ROWS]  # amounts typed as text
    rows = [row[:4] + [datetime(2024, 1, 5, 13, 45), "2024-02-04"] + row[6:] if i == 0 else row
            for i, row in enumerate(rows)]
    path = write_xlsx(tmp_path, rows, sheets=("Notes", "Open Items"))
    frame = read_open_items(path, base_currency="USD")
    pd.testing.assert_frame_equal(frame, read_open_items(write_csv(tmp_path, CSV), base_currency="USD"))


def test_an_invoice_may_be_negative_but_a_credit_may_not_be_positive(tmp_path):
    overpaid = edit(CSV, 2, "1234.56,1000.01,1000.01", "1234.56,-10.00,-10.00")
    assert read_open_items(write_csv(tmp_path, overpaid), base_currency="USD")["balance_cents"].tolist()[0] == -1000
    path = write_csv(tmp_path, edit(CSV, 5, "-0.1,-0.1,-0.11", "-0.1,0.10,-0.11"), "payment.csv")
    assert refusal(path) == (f"{path} line 5, column balance: 0.10 is positive on a credit memo or payment: "
                             "credits and unapplied payments carry a negative balance.")
    path = write_csv(tmp_path, edit(CSV, 3, "-200.00,-200.00,-200.00", "200.00,-200.00,-200.00"), "memo.csv")
    assert refusal(path).startswith(f"{path} line 3, column amount: 200.00 is positive on a credit memo")


def test_a_foreign_document_needs_its_base_balance(tmp_path):
    path = write_csv(tmp_path, without_column(CSV, "base_balance"), "nobase.csv")
    assert refusal(path) == (f"{path} line 4, column currency: the document is in EUR, not the base currency USD, "
                             "and the file has no base_balance column: add base_balance with each open balance in USD.")
    path = write_csv(tmp_path, edit(CSV, 4, "1.005,1.005,1.09", "1.005,1.005,"), "emptybase.csv")
    assert refusal(path) == (f"{path} line 4, column base_balance: base_balance is empty on a document in another "
                             "currency: give its open balance in USD.")
    home = edit(CSV, 2, "1234.56,1000.01,1000.01", "1234.56,1000.01,")
    frame = read_open_items(write_csv(tmp_path, home, "home.csv"), base_currency="USD")
    assert frame["base_balance_cents"].tolist()[:3] == [100001, -20000, 109]
    all_eur = without_column(CSV, "base_balance").replace("USD", "EUR")
    in_eur = read_open_items(write_csv(tmp_path, all_eur, "eur.csv"), base_currency="EUR")
    assert in_eur["base_balance_cents"].tolist() == in_eur["balance_cents"].tolist()


@pytest.mark.parametrize("line, old, new, expected", [
    (3, "2024-01-20,2024-01-20", "2024-01-20,2023-02-29", "line 3, column due_date: '2023-02-29' is not a date: "
                                                          "write dates as YYYY-MM-DD, like 2024-03-31."),
    (2, "2024-01-05", "05/01/2024", "line 2, column doc_date: '05/01/2024' is not a date"),
    (4, "EUR,1.005", "EUR,\"1,234.50\"", "line 4, column amount: '1,234.50' is not an amount: write amounts with "
                                        "a dot for decimals, no thousands separators and a leading minus, like "
                                        "-1234.50."),
    (6, "1500.75", '"1.500,75"', "line 6, column credit_limit: '1.500,75' is not an amount"),
    (5, "-0.1,-0.1,-0.11", "-0.1,(0.10),-0.11", "line 5, column balance: '(0.10)' is not an amount"),
    (2, "1234.56,1000.01", "1234.56,", "line 2, column balance: balance is empty: give the amount, like -1234.50."),
    (4, "INV-2,INV", "INV-2,Invoice", "line 4, column doc_type: 'Invoice' is not a document type: use INV, CM, PAY "
                                      "or DM."),
    (6, "C003,", " ,", "line 6, column customer_id: customer_id is empty: every document needs one."),
    (5, "PAY-1,", ",", "line 5, column doc_no: doc_no is empty: every document needs one."),
    (5, "PAY-1,", "INV-1,", "lines 2 and 5, column doc_no: the document number 'INV-1' appears twice: each "
                            "document must appear once."),
    (4, "EUR", "Euro", "line 4, column currency: 'Euro' is not a currency code: use three letters, like USD."),
])
def test_a_bad_value_is_refused_naming_line_and_column(tmp_path, line, old, new, expected):
    path = write_csv(tmp_path, edit(CSV, line, old, new))
    assert refusal(path).startswith(f"{path} {expected}")


def test_line_numbers_count_as_an_editor_does(tmp_path):
    multiline = edit(CSV, 2, "ref 1", '"ref\nover two lines"')
    text = edit(multiline.replace("\nC001,", "\n\nC001,", 1), 7, "2024-02-10,2024-02-10", "2024-02-10,2024-02-31")
    path = write_csv(tmp_path, text)  # header, blank line, a record on two lines: PAY-1 is on line 7
    assert text.splitlines()[6].startswith("C002,Müller GmbH,PAY-1")
    assert refusal(path).startswith(f"{path} line 7, column due_date: '2024-02-31' is not a date")


def test_old_mac_line_ends_count_as_lines(tmp_path):
    text = edit(CSV, 5, "2024-02-10,2024-02-10", "2024-02-10,2024-13-10").replace("\n", "\r")
    path = write_csv(tmp_path, text)
    assert refusal(path).startswith(f"{path} line 5, column due_date: '2024-13-10' is not a date")


def test_an_unclosed_quote_is_named_by_its_line(tmp_path):
    more = "".join(f"C{i},Name {i},X{i},INV,2024-01-05,2024-02-04,USD,1.00,1.00,1.00,,,,,,\n" for i in range(3000))
    path = write_csv(tmp_path, edit(CSV, 3, "CM-1,CM", '"CM-1,CM') + more)  # the quote swallows the rest
    assert refusal(path) == (f"{path} line 3 cannot be read as CSV (field larger than field limit (131072)): "
                             'check its double quotes, or save it again as "CSV UTF-8".')


def test_xlsx_refusals_name_the_excel_row(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[3][7] = "12,50"
    path = write_xlsx(tmp_path, rows[:2] + [[]] + rows[2:])  # an empty row 4 keeps Excel's numbering
    assert refusal(path).startswith(f"{path} row 6, column amount: '12,50' is not an amount")
    rows = [list(row) for row in ROWS]
    rows[2][4] = 45292  # a date typed as a serial number, not formatted as a date
    path = write_xlsx(tmp_path, rows, name="serial.xlsx")
    assert refusal(path).startswith(f"{path} row 4, column doc_date: '45292' is not a date")
    rows = [list(row) for row in ROWS]
    rows[4][2] = "CM-1"
    path = write_xlsx(tmp_path, rows, name="twice.xlsx")
    assert refusal(path).startswith(f"{path} rows 3 and 6, column doc_no: the document number 'CM-1' appears twice")


def test_a_missing_or_doubled_column_is_named_with_the_columns_the_file_has(tmp_path):
    path = write_csv(tmp_path, without_column(without_column(CSV, "balance"), "due_date"))
    assert refusal(path) == (
        f"{path} lacks the required columns due_date, balance: its columns are customer_id, customer_name, doc_no, "
        "doc_type, doc_date, currency, amount, base_balance, sales_rep, collector, terms, reference, po_number, "
        "credit_limit, and it needs customer_id, customer_name, doc_no, doc_type, doc_date, due_date, currency, "
        "amount, balance.")
    path = write_xlsx(tmp_path, [], header=HEADER[:-1] + ["Amount "])
    assert refusal(path) == f"{path} has the column amount twice (columns 8 and 16): keep one."


def test_files_that_are_not_open_items_are_refused(tmp_path):
    path = write_csv(tmp_path, "", "empty.csv")
    assert refusal(path) == f"{path} is empty: export the open items with a header row."
    path = write_csv(tmp_path, "\n\n", "blank.csv", bom=True)
    assert refusal(path) == f"{path} is empty: export the open items with a header row."
    path = tmp_path / "open.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    assert refusal(path) == f"{path} is not a .csv or .xlsx file: export the open items as CSV or as an Excel workbook."
    path = tmp_path / "latin1.csv"
    path.write_bytes(CSV.encode("latin-1"))
    assert refusal(path) == f"{path} line 4 is not UTF-8 text (byte 0xFC): save the file as \"CSV UTF-8\"."
    path = write_csv(tmp_path, CSV.replace(",", ";"), "semicolons.csv")
    assert refusal(path) == f"{path} is separated by semicolons: save it as \"CSV UTF-8 (comma delimited)\"."
    path = write_csv(tmp_path, edit(CSV, 5, "Müller GmbH", "Müller, GmbH"), "ragged.csv")
    assert refusal(path) == (f"{path} line 5 has 17 values where the header has 16: put any value holding a comma "
                             "in double quotes.")
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    assert refusal(path) == (f"{path} cannot be read as an Excel workbook: open it in Excel and save it again as "
                             ".xlsx (without a password).")
    path = write_xlsx(tmp_path, [], header=[], name="blank.xlsx")
    assert refusal(path) == f"{path} is empty: put the header in row 1 of the sheet 'Sheet1'."
    path = tmp_path / "missing.csv"
    assert refusal(path) == f"{path} does not exist: check the file name and folder."


@given(st.from_regex(r"-?[0-9]{1,15}(\.[0-9]{0,6})?", fullmatch=True))
def test_text_to_cents_agrees_with_decimal_rounding(text):
    cents, unreadable = cents_from_text(pa.array([text]))
    assert not unreadable[0]
    assert int(cents[0]) == cents_from_decimal(Decimal(text))


def test_text_to_cents_rounds_half_away_from_zero_and_flags_the_rest():
    cents, unreadable = cents_from_text(pa.array(["0.005", "-0.005", "2.675", "1.004999", "-0", "7.", "1e3", "+1",
                                                  "1 000", "", "9999999999999999"]))
    assert cents[:6].tolist() == [1, -1, 268, 100, 0, 700]
    assert unreadable.tolist() == [False] * 6 + [True] * 5


def test_two_hundred_thousand_rows_read_quickly(tmp_path, capsys):
    rng = np.random.default_rng(7)
    n = 200_000
    balance = rng.integers(-10**8, 10**9, n)
    amounts = [f"{'-' if b < 0 else ''}{abs(b) // 100}.{abs(b) % 100:02d}" for b in balance.tolist()]
    text = "\n".join(
        f"C{c:05d},Customer {c},D{i},{'CM' if a[0] == '-' else 'INV'},2024-01-{1 + i % 28:02d},"
        f"2024-02-{1 + i % 28:02d},USD,{a},{a},Rep,Col,N30,ref,PO"
        for i, (c, a) in enumerate(zip(rng.integers(1, 5000, n).tolist(), amounts))
    )
    path = write_csv(tmp_path, ",".join(HEADER[:9]) + ",sales_rep,collector,terms,reference,po_number\n" + text)
    start = time.perf_counter()
    frame = read_open_items(path, base_currency="USD")
    seconds = time.perf_counter() - start
    with capsys.disabled():
        print(f"\n200,000-row CSV read in {seconds:.2f} s")
    assert len(frame) == n
    assert int(frame["balance_cents"].sum()) == int(balance.sum())
