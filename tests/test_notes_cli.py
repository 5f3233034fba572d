"""Collection notes through the `ardesk` command against PostgreSQL over ODBC: typed into the workbook's Notes
table and pushed (statuses on their rows, each note once however often pushed), from a CSV (note IDs written
back), logged with `notes add`, read back with `notes history`, and a payment plan recorded as a note."""
import csv
import datetime as dt
import re
import subprocess
import sys

import openpyxl
import pandas as pd
import pyodbc
import pytest

from ardesk import snapshot
from ardesk.erp import demo

AS_OF = dt.date.today().isoformat()  # validation refuses follow-ups in the past: the notes are dated today on


def ardesk(*args, cwd, data, code=0):
    result = subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True, cwd=cwd,
                            timeout=300, env={**__import__("os").environ, "XDG_DATA_HOME": str(data)})
    assert result.returncode == code, result.stderr
    return result.stdout


def calls(erp, text_like):
    with pyodbc.connect(erp) as conn:
        return conn.execute("SELECT COUNT(*) FROM Erp.CRMCall WHERE CallText LIKE ?", f"%{text_like}%").fetchone()[0]


def notes_table(path):
    sheet = openpyxl.load_workbook(path)["Notes"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


@pytest.fixture
def erp(postgres_erp):
    demo.build(postgres_erp, customers=40, seed=9, as_of=dt.date.fromisoformat(AS_OF))
    return postgres_erp


def test_workbook_notes_go_once_and_show_their_status(erp, tmp_path):
    data = tmp_path / "data"
    path = tmp_path / "aging.xlsx"
    ardesk("workbook", "--connect", erp, "--as-of", AS_OF, "--output", str(path), cwd=tmp_path, data=data)
    book = openpyxl.load_workbook(path)
    sheet = book["Notes"]
    headers = [c.value for c in sheet[1]]
    customer = book["Detail"]["A2"].value
    promised, follow_up = (dt.datetime.combine(dt.date.fromisoformat(AS_OF) + dt.timedelta(days=d), dt.time())
                           for d in (7, 3))
    typed = [
        {"Customer ID": customer, "Contact Type": "Call", "Outcome": "Promised", "Text": "Spoke to AP; paying 'Friday'",
         "Promise Amount": 250.5, "Promise Date": promised, "Follow-up Date": follow_up},
        {"Customer ID": "NOBODY", "Contact Type": "Email", "Text": "wrong account"},
        {"Customer ID": customer, "Contact Type": "Call", "Outcome": "Promised", "Promise Amount": 100,
         "Text": "promise without a date"},
    ]
    for number, note in enumerate(typed, 2):
        for header, value in note.items():
            sheet.cell(number, headers.index(header) + 1, value)
    book.save(path)

    said = ardesk("notes", "push", str(path), "--as-of", AS_OF, cwd=tmp_path, data=data, code=1)  # 2 refused
    assert "1 sent, 0 already in the ERP, 2 invalid, 0 queued." in said
    rows = notes_table(path)
    assert [r["Text"] for r in rows] == [n["Text"] for n in typed]
    assert all(len(r["Note ID"]) == 36 for r in rows)
    assert rows[0]["Status"].startswith(f"Pushed {dt.date.today():%Y-%m-%d}")
    assert rows[1]["Status"].startswith("Invalid: ") and "NOBODY" in rows[1]["Status"]
    assert rows[2]["Status"].startswith("Invalid: ")
    assert calls(erp, "paying 'Friday'") == 1
    kept = snapshot.load(path).notes  # the notes the reports count: the ERP's copy, not the typed row again
    [pushed] = kept[kept["text"].str.contains("paying 'Friday'")].itertuples()
    assert (pushed.source, pushed.promise_cents, pushed.promise_date, pushed.follow_up) == (
        "ERP", 250_50, pd.Timestamp(promised), pd.Timestamp(follow_up))  # the promise came back with it
    detail = pd.DataFrame(openpyxl.load_workbook(path)["Detail"].values).T.set_index(0).T
    assert (detail.loc[detail["Customer ID"] == customer, "Next Follow-up"] == follow_up).all()

    again = ardesk("notes", "push", str(path), "--as-of", AS_OF, cwd=tmp_path, data=data, code=1)
    assert "0 sent" in again and calls(erp, "paying 'Friday'") == 1
    assert [r["Note ID"] for r in notes_table(path)] == [r["Note ID"] for r in rows]


def test_csv_notes_get_their_ids_written_back_and_go_once(erp, tmp_path):
    data = tmp_path / "data"
    source = tmp_path / "notes.csv"
    source.write_text("customer_id,contact_type,outcome,text,author\n"
                      "C000001,Email,Left message,Sent statement 🙂 שלום,ana\n", encoding="utf-8")
    said = ardesk("notes", "push", "--source", str(source), "--connect", erp, "--as-of", AS_OF, cwd=tmp_path,
                  data=data)
    assert "1 sent" in said
    [row] = list(csv.DictReader(source.open(encoding="utf-8")))
    assert len(row["note_id"]) == 36 and row["text"] == "Sent statement 🙂 שלום"
    again = ardesk("notes", "push", "--source", str(source), "--connect", erp, "--as-of", AS_OF, cwd=tmp_path,
                   data=data)
    first, counts = again.strip().splitlines()  # the outbox knows it went: shown as pushed, not sent again
    assert first.startswith('C000001 "Sent statement 🙂 שלום": Pushed ') and " as EPIC06/" in first
    assert counts == "0 sent, 0 already in the ERP, 0 invalid, 0 queued."
    assert calls(erp, "Sent statement") == 1


def test_notes_add_then_history_and_a_payment_plan(erp, tmp_path):
    data = tmp_path / "data"
    ardesk("notes", "add", "C000002", "--text", "Asked for remittance", "--outcome", "Reached", "--connect", erp,
           cwd=tmp_path, data=data)
    plan = ardesk("plan", "C000002", "--amount", "1000", "--installments", "3", "--every", "2w", "--start",
                  AS_OF, "--connect", erp, cwd=tmp_path, data=data)
    amounts = [line.split()[-1] for line in plan.splitlines()[:3]]
    assert amounts == ["333.33", "333.33", "333.34"]
    history = ardesk("notes", "history", "C000002", "--connect", erp, cwd=tmp_path, data=data)
    notes = re.split(r"\n(?=\d{4}-\d{2}-\d{2} )", history)  # a note's further lines are indented
    assert "Payment plan" in notes[0] and "Promise: 1,000.00 by" in notes[0]  # newest first
    assert "Asked for remittance" in notes[1]
    assert all(line.startswith(" ") for line in notes[0].splitlines()[1:])


def test_notes_of_the_same_moment_show_the_last_recorded_first(erp, tmp_path):
    """Two notes the ERP holds with the same time (an ERP note has only its day): newest first means the one it
    recorded last first, not the order they were read in."""
    with pyodbc.connect(erp, autocommit=True) as conn:
        company, key, rep = conn.execute("SELECT Company, CustNum, SalesRepCode FROM Erp.Customer WHERE CustID = "
                                         "'C000003'").fetchone()
        last = conn.execute("SELECT MAX(CallSeqNum) FROM Erp.CRMCall").fetchone()[0]
        for offset, text in enumerate(("First of the day", "Second of the day"), 1):
            conn.execute("INSERT INTO Erp.CRMCall (Company, RelatedToFile, Key1, Key2, Key3, CallSeqNum, CallTypeCode, "
                         "CallDesc, CallText, CallCustNum, CallInvoiceNum, SalesRepCode, OrigDcdUserID, OrigDate) "
                         "VALUES (?, 'Customer', ?, '', '', ?, 'CALL', 'Reached', ?, ?, 0, ?, 'ana', ?)",
                         company, str(key), last + offset, text, key, rep, dt.date.fromisoformat(AS_OF))
    history = ardesk("notes", "history", "C000003", "--connect", erp, cwd=tmp_path, data=tmp_path / "data")
    assert history.index("Second of the day") < history.index("First of the day")
