"""Every command that takes both a workbook and --connect: the connection given wins over the one the workbook
saved, and the workbook's own ERP is left exactly as it was (its database file byte for byte).

Two demo ERPs with the same seed stand for the workbook's ERP (A) and another one (B); B's first customer is
renamed, so what a command read from B shows in the workbook it writes.
"""
import hashlib
import os
import sqlite3
import subprocess
import sys

import openpyxl
import pytest

from ardesk.book import read_config
from ardesk.erp import demo

AS_OF = "2026-11-24"
RENAMED = "Override Wins Ltd"


def ardesk(*args, cwd):
    result = subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True, cwd=cwd,
                            timeout=300, env={**os.environ, "XDG_DATA_HOME": str(cwd / "data")})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def connect_string(path):
    return f"DRIVER={{SQLite3}};Database={path}"


def fingerprint(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def erps(tmp_path_factory):
    """(A, B) database files: the same demo ledger, B's first customer renamed."""
    folder = tmp_path_factory.mktemp("erps")
    a, b = folder / "a.sqlite", folder / "b.sqlite"
    demo.build(connect_string(a), customers=40, seed=5, as_of=__import__("datetime").date.fromisoformat(AS_OF))
    b.write_bytes(a.read_bytes())
    with sqlite3.connect(b) as conn:
        conn.execute("UPDATE Customer SET Name = ? WHERE CustNum = (SELECT MIN(CustNum) FROM Customer)", (RENAMED,))
    return a, b


@pytest.fixture
def workbook(erps, tmp_path):
    """An aging workbook built from A (with its Reconcile sheets), in a folder of its own."""
    a, _b = erps
    path = tmp_path / "aging.xlsx"
    ardesk("reconcile", "--connect", connect_string(a), "--as-of", AS_OF, "--workbook", str(path), cwd=tmp_path)
    assert read_config(path)["connect"] == connect_string(a)
    return path


def names_in_detail(path) -> set[str]:
    sheet = openpyxl.load_workbook(path, read_only=True)["Detail"]
    rows = sheet.iter_rows(values_only=True)
    column = next(rows).index("Customer Name")
    return {row[column] for row in rows}


def rows_of(database, table) -> int:
    with sqlite3.connect(database) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_refresh_reads_the_erp_given(erps, workbook):
    a, b = erps
    before = fingerprint(a)
    ardesk("refresh", str(workbook), "--connect", connect_string(b), "--as-of", AS_OF, cwd=workbook.parent)
    assert RENAMED in names_in_detail(workbook)
    assert read_config(workbook)["connect"] == connect_string(b)  # the workbook says where its rows came from
    assert fingerprint(a) == before


def test_reconcile_into_the_workbook_reads_the_erp_given(erps, workbook):
    a, b = erps
    before = fingerprint(a)
    ardesk("reconcile", "--workbook", str(workbook), "--connect", connect_string(b), "--as-of", AS_OF,
           cwd=workbook.parent)
    assert RENAMED in names_in_detail(workbook)
    assert fingerprint(a) == before


def test_notes_push_sends_to_the_erp_given(erps, workbook):
    a, b = erps
    book = openpyxl.load_workbook(workbook)
    notes = book["Notes"]
    header = [c.value for c in notes[1]]
    customer = openpyxl.load_workbook(workbook, read_only=True)["Detail"]["A2"].value
    row = {"Customer ID": customer, "Contact Type": "Call", "Text": "Goes to B only", "Author": "ana"}
    notes.append([row.get(h) for h in header])
    book.save(workbook)
    before, calls_in_b = fingerprint(a), rows_of(b, "CRMCall")
    said = ardesk("notes", "push", str(workbook), "--connect", connect_string(b), cwd=workbook.parent)
    assert "1 sent" in said and f'{customer} "Goes to B only": Pushed' in said
    assert rows_of(b, "CRMCall") == calls_in_b + 1
    assert fingerprint(a) == before


def test_reconcile_apply_stages_in_the_erp_given(erps, workbook):
    a, b = erps
    before, staged_in_b = fingerprint(a), rows_of(b, "ardesk_application")
    said = ardesk("reconcile", "apply", str(workbook), "--connect", connect_string(b), "--as-of", AS_OF,
                  cwd=workbook.parent)
    assert " staged" in said
    assert rows_of(b, "ardesk_application") > staged_in_b
    assert fingerprint(a) == before


def test_credit_holds_are_set_in_the_erp_given(erps, workbook):
    a, b = erps
    book = openpyxl.load_workbook(workbook)
    sheet = book["Credit Hold"]
    header = [c.value for c in sheet[1]]
    row = next(n for n, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2)
               if values[header.index("Status")] == "Recommend hold")
    customer = sheet.cell(row, header.index("Customer ID") + 1).value
    sheet.cell(row, header.index("Approve Hold") + 1).value = "Yes"
    book.save(workbook)
    before = fingerprint(a)
    said = ardesk("credit", "holds", str(workbook), "--connect", connect_string(b), cwd=workbook.parent)
    assert f"Hold {customer}: Held" in said.splitlines()
    with sqlite3.connect(b) as conn:
        assert conn.execute("SELECT CreditHold, CreditHoldSource FROM Customer WHERE CustID = ?",
                            (customer,)).fetchone() == (1, "ARDESK")
    assert fingerprint(a) == before
