"""`ardesk writeoffs apply` on SQLite, PostgreSQL and MariaDB: write-offs approved by name on the Month-End
workbook are staged once however often (or however many processes at once) they are applied, with the AR
adjustment import beside the workbook; an approval over the approver's limit, or by someone who is no approver,
stops it all with nothing written."""
import csv
import datetime as dt
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import openpyxl
import pyodbc
import pytest

from ardesk.demo import ledger
from ardesk.erp import demo
from ardesk.erp.dialect import render
from ardesk.erp.odbc import dialect_of
from ardesk.settings import ErpSettings

TODAY = dt.date(2026, 11, 24)
SETTINGS = """[writeoffs]
approvers = { "Dana Lee" = 100, "Ann Cole" = 1000000 }
"""


@pytest.fixture(scope="module")
def frames():
    return ledger.generate(300, 11, TODAY)


def ardesk(*args, cwd, code=0) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)
    assert done.returncode == code, done.stderr
    return done


def staged(connect: str) -> list[tuple]:
    """(document, kind, reason code) of each line in ardesk's staging table."""
    with pyodbc.connect(connect) as conn:
        query = render("SELECT InvoiceDoc, Kind, MatchRule FROM ardesk.ardesk_application", dialect_of(conn))
        return sorted((str(row[0]), str(row[1]), row[2]) for row in conn.execute(query).fetchall())


@pytest.fixture
def approved(any_erp, frames, tmp_path):
    """A Month-End workbook of October with three proposals still open today approved: two by Ann Cole, one
    within Dana Lee's limit by her."""
    kind, connect = any_erp
    demo.load(ErpSettings(connect=connect), frames)
    (tmp_path / "ardesk.toml").write_text(SETTINGS, encoding="utf-8")
    ardesk("close", "--period", "2026-10", "--connect", connect, cwd=tmp_path)
    path = tmp_path / "month-end-2026-10.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Write-Offs"]
    header = [cell.value for cell in sheet[1]]
    head = frames["Erp.InvcHead"]
    still_open = set(head.loc[head["OpenInvoice"].astype(bool), "InvoiceNum"].astype(str))
    rows = [(n, dict(zip(header, values))) for n, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2)]
    small = [(n, r) for n, r in rows if r["Document"] in still_open and r["Base Balance"] <= 100]
    large = [(n, r) for n, r in rows if r["Document"] in still_open and r["Base Balance"] > 100]
    chosen = [(small[0], "dana lee"), (large[0], "Ann Cole"), (large[1], "Ann Cole")]
    for (n, row), name in chosen:
        sheet.cell(n, header.index("Approve") + 1).value = row["Approve"] = name
    book.save(path)
    return kind, connect, path, [row for (_n, row), _name in chosen]


def test_approved_write_offs_are_staged_once_with_the_adjustment_import(approved, tmp_path):
    kind, connect, path, rows = approved
    first = ardesk("writeoffs", "apply", path.name, "--connect", connect, "--as-of", f"{TODAY}", cwd=tmp_path)
    assert first.stdout.splitlines()[-2:-1] == ["3 staged."], kind
    expected = sorted((r["Document"], "Write off", r["Reason Code"]) for r in rows)
    assert staged(connect) == expected
    [imported] = tmp_path.glob("month-end-2026-10 write-offs *.csv")
    with open(imported, encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    named = {"dana lee": "Dana Lee", "Ann Cole": "Ann Cole"}  # as [writeoffs] approvers spells them
    assert sorted((line["InvoiceNum"], line["TranType"], line["ReasonCode"], round(float(line["DocTranAmt"]) * 100),
                   line["ApprovedBy"]) for line in lines) == sorted(
        (r["Document"], "Adjust", r["Reason Code"], round(r["Balance"] * 100), named[r["Approve"]]) for r in rows)
    again = ardesk("writeoffs", "apply", path.name, "--connect", connect, "--as-of", f"{TODAY}", cwd=tmp_path)
    assert again.stdout.splitlines()[-1] == "3 already staged."
    assert staged(connect) == expected and len(list(tmp_path.glob("month-end-2026-10 write-offs *.csv"))) == 1


def test_two_processes_applying_at_once_stage_each_write_off_once(approved, tmp_path):
    kind, connect, path, rows = approved
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: ardesk("writeoffs", "apply", path.name, "--connect", connect, "--as-of",
                                              f"{TODAY}", cwd=tmp_path), range(2)))
    assert len(staged(connect)) == len(rows), kind
    assert sum(run.stdout.count(": Staged") for run in runs) == len(rows)
    assert sum(run.stdout.count(": Already staged") for run in runs) == len(rows)


def test_an_approval_over_the_limit_stops_the_apply_and_writes_nothing(approved, tmp_path):
    kind, connect, path, rows = approved
    book = openpyxl.load_workbook(path)
    sheet = book["Write-Offs"]
    header = [cell.value for cell in sheet[1]]
    over = next(n for n, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2)
                if values[header.index("Approve")] == "Ann Cole")
    sheet.cell(over, header.index("Approve") + 1).value = "Dana Lee"
    document, amount = (sheet.cell(over, header.index(h) + 1).value for h in ("Document", "Base Balance"))
    book.save(path)
    refused = ardesk("writeoffs", "apply", path.name, "--connect", connect, "--as-of", f"{TODAY}", cwd=tmp_path,
                     code=1)
    assert refused.stderr.strip() == (f"ardesk: Dana Lee approved the write-off of {document} for {amount:,.2f}, over "
                                      "Dana Lee's limit of 100.00: have someone with a higher limit approve it; "
                                      "nothing was staged."), kind
    assert staged(connect) == [] and not list(tmp_path.glob("*write-offs*.csv"))
    sheet.cell(over, header.index("Approve") + 1).value = "Bob"
    book.save(path)
    unknown = ardesk("writeoffs", "apply", path.name, "--connect", connect, "--as-of", f"{TODAY}", cwd=tmp_path,
                     code=1)
    assert "Bob approved the write-off of" in unknown.stderr and "is not an approver" in unknown.stderr
    assert staged(connect) == []
