"""`ardesk reconcile apply` against PostgreSQL through ODBC: approved lines staged once however often (or however
many people at once) they are applied, lines whose invoice was paid meanwhile rejected with why, and the cash
receipt import beside the workbook."""
import csv
import datetime as dt
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import openpyxl
import pyodbc
import pytest

from ardesk.erp import demo

AS_OF = "2026-11-24"


def ardesk(*args, cwd, code=0):
    result = subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True, cwd=cwd,
                            timeout=300)
    assert result.returncode == code, result.stderr
    return result.stdout


def staged(erp):
    with pyodbc.connect(erp) as conn:
        return sorted(tuple(row) for row in conn.execute(
            "SELECT CreditDoc, InvoiceDoc, Kind, Amount FROM ardesk.ardesk_application").fetchall())


@pytest.fixture
def approved(postgres_erp, tmp_path):
    """A workbook with Reconcile sheets over a 150-customer demo ERP, a line not pre-approved approved by hand."""
    demo.build(postgres_erp, customers=150, seed=5, as_of=dt.date.fromisoformat(AS_OF))
    path = tmp_path / "aging.xlsx"
    ardesk("reconcile", "--connect", postgres_erp, "--as-of", AS_OF, "--workbook", str(path), cwd=tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book["Reconcile"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    medium = next(n for n, r in enumerate(rows, 2) if r["Approve"] is None and r["Kind"] == "Apply")
    sheet.cell(medium, header.index("Approve") + 1, True)  # TRUE typed instead of picking Yes: approved too
    book.save(path)
    lines = [r for n, r in enumerate(rows, 2) if r["Approve"] == "Yes" or n == medium]
    return postgres_erp, path, lines


def test_approved_lines_are_staged_once_and_written_for_import(approved, tmp_path):
    erp, path, lines = approved
    assert len(lines) >= 5
    said = ardesk("reconcile", "apply", str(path), "--as-of", AS_OF, cwd=tmp_path)
    assert f"{len(lines)} staged" in said
    expected = sorted((r["Credit"], r["Invoice"], r["Kind"], pytest.approx(r["Amount"])) for r in lines)
    assert [(c, i, k, float(a)) for c, i, k, a in staged(erp)] == expected
    [imported] = list(tmp_path.glob("aging cash applications *.csv"))
    with open(imported, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted((r["CreditMemoNum"], r["InvoiceNum"], r["Kind"], float(r["DocTranAmt"])) for r in rows) == expected

    again = ardesk("reconcile", "apply", str(path), "--as-of", AS_OF, cwd=tmp_path)
    assert f"{len(lines)} already staged" in again
    assert len(staged(erp)) == len(lines) and len(list(tmp_path.glob("aging cash applications *.csv"))) == 1


def test_two_people_applying_at_once_stage_each_line_once(approved, tmp_path):
    erp, path, lines = approved
    with ThreadPoolExecutor(3) as pool:
        outputs = list(pool.map(lambda _: ardesk("reconcile", "apply", str(path), "--as-of", AS_OF, cwd=tmp_path),
                                range(3)))
    assert len(staged(erp)) == len(lines)
    assert sum(output.count(": Staged") for output in outputs) == len(lines)


def test_a_line_whose_invoice_was_paid_meanwhile_is_rejected_and_the_rest_go(approved, tmp_path):
    erp, path, lines = approved
    paid = lines[0]["Invoice"]
    with pyodbc.connect(erp) as conn:
        conn.execute("UPDATE Erp.InvcHead SET OpenInvoice = FALSE, InvoiceBal = 0, DocInvoiceBal = 0 "
                     "WHERE CAST(InvoiceNum AS VARCHAR(20)) = ?", paid)
        conn.commit()
    said = ardesk("reconcile", "apply", str(path), "--as-of", AS_OF, cwd=tmp_path, code=1)  # one rejected
    rejected = [line for line in said.splitlines() if "Rejected" in line]
    assert rejected and all(f"invoice {paid} is no longer open in the ERP" in line for line in rejected)
    assert paid not in {invoice for _, invoice, _, _ in staged(erp)}
    assert len(staged(erp)) == len(lines) - len(rejected)
