"""Exactly once on the paths real use takes, through the `ardesk` command on real drivers: overlapping pushes of
one workbook (a double click, two people, a scheduled push beside a manual one) with and without note IDs, four
pushes of one CSV without IDs, two ERPs on one machine, and a push killed in the middle. Always one row per note
in the ERP, and every pusher ends in a sentence, never a traceback."""
import csv
import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid

import openpyxl
import pyodbc
import pytest

from ardesk.erp import demo

TODAY = dt.date.today()  # validation refuses follow-ups in the past: notes are pushed as of today
CUSTOMERS = 30


def launch(*args, cwd, data):
    return subprocess.Popen([sys.executable, "-m", "ardesk", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=cwd, env={**os.environ, "XDG_DATA_HOME": str(data)})


def ardesk(*args, cwd, data, code=0):
    done = launch(*args, cwd=cwd, data=data)
    out, err = done.communicate(timeout=300)
    assert done.returncode == code and "Traceback" not in err, err
    return out


def together(count, *args, cwd, data):
    """`count` runs of `ardesk ARGS` started at once; each must end in its exit code 0, without a traceback."""
    runs = [launch(*args, cwd=cwd, data=data) for _ in range(count)]
    for run in runs:
        _out, err = run.communicate(timeout=300)
        assert run.returncode == 0 and "Traceback" not in err, err


def rows_like(erp: str, marker: str) -> list[str]:
    """The ERP's call texts that contain `marker`."""
    with pyodbc.connect(erp) as conn:
        table = "CRMCall" if "SQLite" in erp or "MariaDB" in erp else "Erp.CRMCall"
        return [row[0] for row in conn.execute(f"SELECT CallText FROM {table} WHERE CallText LIKE ?", f"%{marker}%")]


@pytest.fixture
def erp(any_erp):
    """(kind, connection string) of a small demo ERP."""
    kind, connect = any_erp
    demo.build(connect, customers=CUSTOMERS, seed=11, as_of=TODAY)
    return kind, connect


def workbook_with_notes(connect, folder, data, marker, count=5, ids=False):
    """An aging workbook from `connect` whose Notes table has `count` typed notes saying `marker` (with note IDs
    typed in too when `ids`)."""
    path = folder / "aging.xlsx"
    ardesk("workbook", "--connect", connect, "--output", str(path), cwd=folder, data=data)
    book = openpyxl.load_workbook(path)
    customer = book["Detail"]["A2"].value
    sheet = book["Notes"]
    headers = [c.value for c in sheet[1]]
    for number in range(count):
        note = {"Customer ID": customer, "Contact Type": "Call", "Author": "ana",
                "Text": f"{marker} {number}", "Note ID": str(uuid.uuid4()) if ids else None}
        for header, value in note.items():
            sheet.cell(number + 2, headers.index(header) + 1, value)
    book.save(path)
    return path


@pytest.mark.parametrize("pushers", [2, 4])
@pytest.mark.parametrize("ids", [False, True], ids=["without IDs", "with IDs"])
def test_overlapping_pushes_of_one_workbook_send_each_note_once(erp, tmp_path, pushers, ids):
    kind, connect = erp
    marker = f"overlap-{pushers}-{ids}"
    path = workbook_with_notes(connect, tmp_path, tmp_path / "data", marker, ids=ids)
    together(pushers, "notes", "push", str(path), cwd=tmp_path, data=tmp_path / "data")
    assert sorted(rows_like(connect, marker)) == [f"{marker} {n}" for n in range(5)]
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["Notes"].iter_rows(values_only=True))
    header = rows[0]
    statuses = [dict(zip(header, row))["Status"] for row in rows[1:6]]
    assert all(status.startswith("Pushed ") for status in statuses), statuses


def test_four_pushes_of_one_csv_without_ids_send_each_note_once(erp, tmp_path):
    kind, connect = erp
    source = tmp_path / "notes.csv"
    with pyodbc.connect(connect) as conn:
        table = "Customer" if kind != "postgres" else "Erp.Customer"
        customers = [row[0] for row in conn.execute(f"SELECT CustID FROM {table} ORDER BY CustID")]
    with source.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["customer_id", "contact_type", "text", "author"])
        writer.writerows([customers[n % len(customers)], "Call", f"csv-once {n}", "ana"] for n in range(300))
    together(4, "notes", "push", "--source", str(source), "--connect", connect, cwd=tmp_path,
             data=tmp_path / "data")
    assert sorted(rows_like(connect, "csv-once")) == sorted(f"csv-once {n}" for n in range(300))
    keys = [row["note_id"] for row in csv.DictReader(source.open(encoding="utf-8"))]
    assert len(set(keys)) == 300  # written back once, the same by every pusher


def test_a_note_for_one_erp_never_goes_to_another(tmp_path, sqlite_erp):
    """ERP A not built yet (the note waits for it), ERP B reachable: B's push takes only B's note; the outbox
    lists A's; once A exists, a retry sends it there; a discard needs --yes."""
    data = tmp_path / "data"
    a = f"DRIVER={{SQLite3}};Database={tmp_path / 'a.sqlite'}"
    b = sqlite_erp
    demo.build(b, customers=CUSTOMERS, seed=11, as_of=TODAY)
    customer = "C000001"
    said = ardesk("notes", "add", customer, "--text", "ardesk-for-A only", "--connect", a, cwd=tmp_path, data=data)
    assert "queued" in said
    ardesk("notes", "add", customer, "--text", "ardesk-for-B", "--connect", b, cwd=tmp_path, data=data)
    assert rows_like(b, "ardesk-for-") == ["ardesk-for-B"]
    listed = ardesk("notes", "outbox", cwd=tmp_path, data=data)
    assert listed.startswith("1 note waiting in ") and '"ardesk-for-A only": Queued' in listed and "a.sqlite" in listed
    assert ardesk("notes", "add", customer, "--text", "ardesk-for-B again", "--connect", b, cwd=tmp_path,
                  data=data).count("\n") == 2  # one note and the counts: A's note is not B's to send
    (tmp_path / "a.sqlite").unlink(missing_ok=True)  # the driver may have made an empty file
    demo.build(a, customers=CUSTOMERS, seed=11, as_of=TODAY)
    retried = ardesk("notes", "outbox", "--retry", cwd=tmp_path, data=data)
    assert "1 sent" in retried
    assert rows_like(a, "ardesk-for-") == ["ardesk-for-A only"] and sorted(rows_like(b, "ardesk-for-")) == ["ardesk-for-B", "ardesk-for-B again"]
    assert ardesk("notes", "outbox", cwd=tmp_path, data=data).startswith("No notes are waiting")

    ardesk("notes", "add", "NOBODY", "--text", "to discard", "--connect", b, cwd=tmp_path, data=data, code=1)
    launch_no = launch("notes", "outbox", "--discard", cwd=tmp_path, data=data)
    _out, err = launch_no.communicate(timeout=60)
    assert launch_no.returncode == 1 and err.startswith("ardesk: This would discard 1 note for good")
    assert "Discarded 1 note" in ardesk("notes", "outbox", "--discard", "--yes", cwd=tmp_path, data=data)
    assert ardesk("notes", "outbox", cwd=tmp_path, data=data).startswith("No notes are waiting")


@pytest.mark.parametrize("any_erp", ["postgres"], indirect=True)
def test_a_workbook_push_killed_midway_then_run_again_sends_each_note_once(erp, tmp_path):
    kind, connect = erp
    data = tmp_path / "data"
    path = workbook_with_notes(connect, tmp_path, data, "killed", count=400)
    run = launch("notes", "push", str(path), cwd=tmp_path, data=data)
    time.sleep(4)  # reading, giving IDs, rewriting: the kill lands somewhere in the push
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=60)
    ardesk("notes", "push", str(path), cwd=tmp_path, data=data)
    assert sorted(rows_like(connect, "killed")) == sorted(f"killed {n}" for n in range(400))
