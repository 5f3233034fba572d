"""`ardesk credit limits` on SQLite, PostgreSQL and MariaDB: limits approved by name on the aging workbook's Credit
Review sheet are staged once however often (or however many processes at once) they are staged, each with a
collection note in the ERP saying who approved what; an approver unknown to [credit] approvers, or a limit over the
approver's authority, stops it all with nothing written; the typed approvals survive a refresh."""
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import openpyxl
import pyodbc
import pytest

from ardesk.demo import ledger
from ardesk.erp import demo
from ardesk.erp.dialect import render
from ardesk.erp.odbc import dialect_of
from ardesk.settings import ErpSettings
from test_write_offs_apply import ardesk

TODAY = dt.date(2026, 11, 24)
SETTINGS = """[credit]
approvers = { "Dana Lee" = 5000, "Ann Cole" = 10000000 }
"""


@pytest.fixture(scope="module")
def frames():
    return ledger.generate(60, 11, TODAY)


def query(connect: str, sql: str) -> list[tuple]:
    with pyodbc.connect(connect) as conn:
        return [tuple(row) for row in conn.execute(render(sql, dialect_of(conn))).fetchall()]


def staged(connect: str) -> list[tuple]:
    """(customer, limit in cents, previous limit in cents, review date, approver) of each staged limit."""
    rows = query(connect, "SELECT CustID, CreditLimit, PreviousLimit, ReviewDate, ApprovedBy "
                          "FROM ardesk.ardesk_credit_limit")
    return sorted((str(c).strip(), round(float(limit) * 100), round(float(was) * 100), str(day)[:10], who)
                  for c, limit, was, day, who in rows)


def limit_notes(connect: str) -> list[str]:
    """The text of each CRM call whose description is empty and text names an approved credit limit."""
    rows = query(connect, "SELECT CallText FROM Erp.CRMCall WHERE CallText LIKE 'Credit limit %'")
    return sorted(str(row[0]) for row in rows)


@pytest.fixture
def approved(any_erp, frames, tmp_path):
    """An aging workbook as of TODAY with three Credit Review rows approved: the first by Ann Cole at the
    recommended limit, the second by her at 12,345.67 typed, the third by Dana Lee at 1,000.00 typed."""
    kind, connect = any_erp
    demo.load(ErpSettings(connect=connect), frames)
    (tmp_path / "ardesk.toml").write_text(SETTINGS, encoding="utf-8")
    ardesk("workbook", "--connect", connect, "--as-of", f"{TODAY}", "--output", "aging.xlsx", cwd=tmp_path)
    path = tmp_path / "aging.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Credit Review"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, values)) for values in sheet.iter_rows(min_row=2, max_row=4, values_only=True)]
    typed = [("Ann Cole", None), ("ann  cole", 12345.67), ("Dana Lee", 1000)]
    for n, (name, limit) in enumerate(typed, 2):
        sheet.cell(n, header.index("Approve") + 1).value = name
        sheet.cell(n, header.index("Approved Limit") + 1).value = limit
    book.save(path)
    limits = [round(rows[0]["Recommended Limit"] * 100), 1_234_567, 100_000]
    return kind, connect, path, [(row["Customer ID"], limit) for row, limit in zip(rows, limits)]


def test_approved_limits_are_staged_once_each_with_its_note(approved, frames, tmp_path):
    kind, connect, path, chosen = approved
    first = ardesk("credit", "limits", path.name, "--connect", connect, cwd=tmp_path)
    assert "3 staged." in first.stdout.splitlines(), (kind, first.stdout)
    customers = frames["Erp.Customer"].set_index("CustID")
    who = ["Ann Cole", "Ann Cole", "Dana Lee"]
    expected = sorted((c, limit, round(float(customers.loc[c, "CreditLimit"]) * 100), f"{TODAY}", name)
                      for (c, limit), name in zip(chosen, who))
    assert staged(connect) == expected
    notes = limit_notes(connect)
    assert len(notes) == 3 and any(n.startswith("Credit limit 1,000.00 approved by Dana Lee (was ") for n in notes)
    assert all("next review 2027-11-24." in n for n in notes)
    again = ardesk("credit", "limits", path.name, "--connect", connect, cwd=tmp_path)
    assert "3 already staged." in again.stdout.splitlines()
    assert staged(connect) == expected and limit_notes(connect) == notes


def test_two_processes_at_once_stage_each_limit_once(approved, tmp_path):
    kind, connect, path, chosen = approved
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: ardesk("credit", "limits", path.name, "--connect", connect, cwd=tmp_path),
                             range(2)))
    assert len(staged(connect)) == len(chosen), kind
    assert sum(run.stdout.count(": Staged") for run in runs) == len(chosen)
    assert sum(run.stdout.count(": Already staged") for run in runs) == len(chosen)
    assert len(limit_notes(connect)) == len(chosen)


def test_an_unknown_approver_or_a_limit_over_authority_stops_it_all(approved, tmp_path):
    kind, connect, path, chosen = approved
    book = openpyxl.load_workbook(path)
    sheet = book["Credit Review"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(4, header.index("Approved Limit") + 1).value = 6000
    book.save(path)
    over = ardesk("credit", "limits", path.name, "--connect", connect, cwd=tmp_path, code=1)
    assert over.stderr.strip() == (f"ardesk: Dana Lee approved a credit limit of 6,000.00 for {chosen[2][0]}, over "
                                   "Dana Lee's authority of 5,000.00: have someone with a higher authority approve "
                                   "it; nothing was staged."), kind
    sheet.cell(4, header.index("Approve") + 1).value = "Bob"
    book.save(path)
    unknown = ardesk("credit", "limits", path.name, "--connect", connect, cwd=tmp_path, code=1)
    assert unknown.stderr.strip() == (f"ardesk: Bob approved the credit limit of {chosen[2][0]} but is not an approver "
                                      "in [credit] approvers (Dana Lee, Ann Cole): have an approver approve it; "
                                      "nothing was staged.")
    assert staged(connect) == [] and limit_notes(connect) == []


def test_approvals_survive_a_refresh(approved, tmp_path):
    kind, connect, path, chosen = approved
    ardesk("refresh", path.name, "--as-of", f"{TODAY}", cwd=tmp_path)
    sheet = openpyxl.load_workbook(path)["Credit Review"]
    header = [cell.value for cell in sheet[1]]
    typed = {row[header.index("Customer ID")]: (row[header.index("Approve")], row[header.index("Approved Limit")])
             for row in sheet.iter_rows(min_row=2, values_only=True) if row[header.index("Approve")]}
    assert typed == {chosen[0][0]: ("Ann Cole", None), chosen[1][0]: ("ann  cole", 12345.67),
                     chosen[2][0]: ("Dana Lee", 1000)}, kind
