"""`ardesk credit holds` on SQLite, PostgreSQL and MariaDB: the holds and releases approved on the Credit Hold
sheet reach the ERP's credit-hold flag with the day and ardesk as the source, each logged as one note however
often (or however many processes at once) it runs; the Hit List shows them; approvals today's figures no longer
support are refused with why (pure rules at the end)."""
import datetime as dt
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import openpyxl
import pandas as pd
import pyodbc
import pytest

from ardesk.ar import credit
from ardesk.demo import ledger
from ardesk.erp import demo
from ardesk.erp.dialect import render
from ardesk.erp.odbc import dialect_of
from ardesk.settings import ErpSettings

TODAY = dt.date.today()


@pytest.fixture(scope="module")
def frames():
    return ledger.generate(200, 13, TODAY)


def ardesk(*args, cwd, code=0) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env={**__import__("os").environ, "XDG_DATA_HOME": str(cwd / "data")})
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done


def query(connect: str, sql: str, *params) -> list[tuple]:
    with pyodbc.connect(connect) as conn:
        return [tuple(row) for row in conn.execute(render(sql, dialect_of(conn)), params).fetchall()]


def hold_of(connect: str, customer: str) -> tuple:
    [(held, day, source)] = query(connect, "SELECT CreditHold, CreditHoldDate, CreditHoldSource FROM Erp.Customer "
                                           "WHERE CustID = ?", customer)
    return bool(int(held)), str(day)[:10] if day else None, (source or "").strip()


def hold_notes(connect: str, customer: str) -> list[str]:
    return [text for (text,) in query(
        connect, "SELECT k.CallText FROM Erp.CRMCall AS k JOIN Erp.Customer AS c ON c.Company = k.Company AND "
                 "c.CustNum = k.CallCustNum WHERE c.CustID = ? AND k.CallText LIKE 'Credit hold %'", customer)]


def approve(path, rows: dict[str, str]) -> dict[str, str]:
    """Type Approve Hold Yes (and the comment given) beside the first row of each status in `rows` (status ->
    comment); -> status -> the customer approved."""
    book = openpyxl.load_workbook(path)
    sheet = book["Credit Hold"]
    header = [cell.value for cell in sheet[1]]
    chosen = {}
    for n, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2):
        row = dict(zip(header, values))
        if row["Status"] in rows and row["Status"] not in chosen:
            chosen[row["Status"]] = row["Customer ID"]
            sheet.cell(n, header.index("Approve Hold") + 1).value = "Yes"
            sheet.cell(n, header.index("Hold Comment") + 1).value = rows[row["Status"]]
    book.save(path)
    assert set(chosen) == set(rows), chosen
    return chosen


@pytest.fixture
def workbook(any_erp, frames, tmp_path):
    kind, connect = any_erp
    demo.load(ErpSettings(connect=connect), frames)
    path = tmp_path / "aging.xlsx"
    ardesk("workbook", "--connect", connect, "--output", str(path), cwd=tmp_path)
    return kind, connect, path


def test_approved_holds_and_releases_reach_the_erp_once_each_with_a_note(workbook, tmp_path):
    kind, connect, path = workbook
    chosen = approve(path, {credit.RECOMMEND: "orders over 50k need me", credit.RELEASE: "",
                            credit.HELD: "nothing to do"})
    held, released, untouched = chosen[credit.RECOMMEND], chosen[credit.RELEASE], chosen[credit.HELD]
    before = hold_of(connect, untouched)
    first = ardesk("credit", "holds", path.name, cwd=tmp_path, code=1)
    lines = first.stdout.splitlines()
    assert f"Hold {held}: Held" in lines and f"Release {released}: Released" in lines, kind
    assert f": Refused: the sheet recommended nothing for it to approve" in first.stdout
    assert "1 approved hold or release was refused" in first.stderr
    assert hold_of(connect, held) == (True, f"{TODAY}", "ARDESK")
    assert hold_of(connect, released) == (False, f"{TODAY}", "ARDESK")
    assert hold_of(connect, untouched) == before
    [note] = hold_notes(connect, held)
    assert note.startswith("Credit hold set by ardesk, approved by ") and "Comment: orders over 50k need me" in note
    assert [n[:27] for n in hold_notes(connect, released)] == ["Credit hold released by ard"]

    again = ardesk("credit", "holds", path.name, cwd=tmp_path, code=1)
    assert f"Hold {held}: Held by ardesk earlier today" in again.stdout.splitlines()
    assert len(hold_notes(connect, held)) == 1 and len(hold_notes(connect, released)) == 1

    listed = tmp_path / "hits.xlsx"
    ardesk("hitlist", "--connect", connect, "--output", str(listed), cwd=tmp_path)
    sheet = openpyxl.load_workbook(listed, read_only=True)["Hit List"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[3].index("Credit Hold")
    shown = {row[0]: (tuple(row) + (None,) * column)[column] for row in rows[4:] if row and row[0]}
    assert shown[held] == f"On hold since {TODAY}" and shown[released] == f"Released {TODAY}"


def test_two_runs_at_once_hold_once_and_log_one_note(workbook, tmp_path):
    kind, connect, path = workbook
    held = approve(path, {credit.RECOMMEND: ""})[credit.RECOMMEND]
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: subprocess.run(
            [sys.executable, "-m", "ardesk", "credit", "holds", path.name], capture_output=True, text=True,
            cwd=tmp_path, timeout=300), range(2)))
    assert [run.returncode for run in runs] == [0, 0], [run.stderr for run in runs]
    said = sorted(line for run in runs for line in run.stdout.splitlines() if line.startswith(f"Hold {held}:"))
    assert said == [f"Hold {held}: Held", f"Hold {held}: Held by ardesk earlier today"], kind
    assert hold_of(connect, held) == (True, f"{TODAY}", "ARDESK")
    assert len(hold_notes(connect, held)) == 1


def test_a_run_as_of_another_day_is_refused_with_nothing_written(workbook, tmp_path):
    _kind, connect, path = workbook
    held = approve(path, {credit.RECOMMEND: ""})[credit.RECOMMEND]
    before = hold_of(connect, held)
    said = ardesk("credit", "holds", path.name, "--as-of", "2026-01-05", cwd=tmp_path, code=2)
    assert "unrecognized arguments: --as-of" in said.stderr
    assert hold_of(connect, held) == before


# The rules, by hand


def approvals(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "status", "comment"], dtype="string")


def today_table(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "status", "reasons"], dtype="string")


def test_an_approval_goes_ahead_only_while_today_still_recommends_it():
    approved = approvals(("A", credit.RECOMMEND, ""), ("B", credit.RECOMMEND, ""), ("C", credit.RELEASE, ""),
                         ("D", credit.RELEASE, ""), ("E", credit.HELD, ""), ("F", credit.RECOMMEND, ""),
                         ("G", credit.RELEASE, ""), ("H", credit.RECOMMEND, ""))
    today = today_table(("A", credit.RECOMMEND, "late"), ("C", credit.RELEASE, "paid"),
                        ("D", credit.HELD, "Invoice 9 is 40 days past due (limit 30)."), ("E", credit.HELD, "x"),
                        ("F", credit.HELD, "late"), ("H", credit.RELEASE, "paid"))
    checked = credit.approved_changes(approved, today)
    assert checked["action"].tolist() == ["Hold", "Hold", "Release", "Release", "", "Hold", "Release", "Hold"]
    assert checked["refusal"].tolist() == [
        "",
        "it no longer qualifies for a hold (paid down, or within its limit): refresh to see it",
        "",
        "it no longer qualifies for release: Invoice 9 is 40 days past due (limit 30).",
        "the sheet recommended nothing for it to approve",
        "",  # held since by someone else: the write finds it so
        "",  # released since by someone else: likewise
        "it is on hold already, and now qualifies for release",
    ]


def test_a_hold_note_has_one_id_per_customer_change_and_day():
    day = dt.date(2026, 12, 7)
    one = credit.hold_note_id("EPIC06", "C1", credit.HOLD, day)
    assert one == credit.hold_note_id("EPIC06", "C1", credit.HOLD, day)
    assert len({one, credit.hold_note_id("EPIC06", "C1", credit.LIFT, day),
                credit.hold_note_id("EPIC06", "C2", credit.HOLD, day),
                credit.hold_note_id("EPIC06", "C1", credit.HOLD, day + dt.timedelta(days=1))}) == 4
    assert credit.hold_note_text(credit.LIFT, "Paid down.", "ana", "") == (
        "Credit hold released by ardesk, approved by ana on the Credit Hold sheet: Paid down.")
