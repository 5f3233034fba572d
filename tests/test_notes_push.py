"""Pushing notes to real ERP databases through real ODBC drivers: exactly once, nothing lost, text intact.

Each test builds a small demo ERP in a fresh database. Collisions, killed sessions and killed processes are
staged: a second connection holds an uncommitted key row on a call number the pusher will reach in the middle
of a batch, so the pusher is caught waiting there when its session or process is killed.
"""
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyodbc
import pytest

from ardesk.demo import ledger
from ardesk.erp import demo, fetch, outbox, writeback
from ardesk.erp.odbc import connect, full_connection_string
from ardesk.erp.dialect import dialect_of_dbms, render
from ardesk.settings import ErpSettings

AS_OF = dt.date(2026, 11, 24)
CUSTOMERS = 20
FRAMES = ledger.generate(CUSTOMERS, 7, AS_OF)
IDS = FRAMES["Erp.Customer"]["CustID"].astype(str).tolist()
OPEN = FRAMES["Erp.InvcHead"].merge(FRAMES["Erp.Customer"][["CustNum", "CustID"]], on="CustNum")
INVOICE = {row.CustID: str(row.InvoiceNum) for row in OPEN.itertuples()}
WRITTEN = pd.Timestamp("2026-11-23 15:00")

PUSHER = """
import json, os, pathlib, sys, time
from ardesk.erp import outbox, writeback
from ardesk.settings import ErpSettings
if len(sys.argv) > 5:  # start together: say ready, wait for the go
    go = pathlib.Path(sys.argv[5])
    pathlib.Path(f"{go}.{os.getpid()}.ready").touch()
    while not go.exists():
        time.sleep(0.005)
with outbox.open(sys.argv[2]) as box:
    result = writeback.push(ErpSettings(connect=sys.argv[1]), box, batch_rows=int(sys.argv[3]),
                            connections=int(sys.argv[4]), today=__import__("datetime").date(2026, 11, 24))
print(json.dumps({"sent": result.sent, "found": result.found, "error": result.error}))
"""


@pytest.fixture
def erp(request):
    """(kind, ErpSettings) of a fresh demo ERP; parametrised indirectly with the database kind."""
    connect_string = request.getfixturevalue(f"{request.param}_erp")
    demo.build(connect_string, customers=CUSTOMERS, as_of=AS_OF)
    return request.param, ErpSettings(connect=connect_string)


ALL = pytest.mark.parametrize("erp", ["sqlite", "postgres", "mariadb"], indirect=True)
SERVERS = pytest.mark.parametrize("erp", ["postgres", "mariadb"], indirect=True)


def notes(count: int, **values) -> pd.DataFrame:
    """`count` valid notes spread over the demo customers (every third about an invoice)."""
    customers = [IDS[i % len(IDS)] for i in range(count)]
    return pd.DataFrame({
        "customer_id": customers,
        "doc_no": [INVOICE[c] if i % 3 == 0 else "" for i, c in enumerate(customers)],
        "written": WRITTEN, "contact_type": "Call", "contact_person": "Maria", "outcome": "Reached",
        "text": [f"Note {i}" for i in range(count)], "author": "DKOWALSKI", "source": "Workbook",
    } | values)


def captured(erp: ErpSettings, path: Path, frame: pd.DataFrame) -> list[str]:
    """Capture `frame` into the outbox at `path` for `erp`; their keys."""
    with outbox.open(path) as box:
        return box.capture(frame, outbox.Target.of(erp), now=WRITTEN.to_pydatetime()).tolist()


def push(erp: ErpSettings, path: Path, **options) -> writeback.PushResult:
    with outbox.open(path) as box:
        return writeback.push(erp, box, today=AS_OF, **options)


def query(erp: ErpSettings, sql: str, *params) -> list:
    """Rows of a canonical statement (tables as Erp.X / ardesk.x) on the ERP."""
    with connect(erp) as conn:
        dialect = dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
        return [tuple(row) for row in conn.execute(render(sql, dialect), *params).fetchall()]


def in_erp(erp: ErpSettings) -> dict[str, int]:
    """Each pushed note's ID -> how many CRMCall rows it has; checks call numbers stay unique."""
    rows = query(erp, "SELECT n.NoteID, COUNT(k.CallSeqNum) FROM ardesk.ardesk_note AS n LEFT JOIN Erp.CRMCall AS k "
                      "ON k.Company = n.Company AND k.Key1 = n.Key1 AND k.CallSeqNum = n.CallSeqNum GROUP BY n.NoteID")
    [(calls, numbers)] = query(erp, "SELECT COUNT(*), COUNT(DISTINCT CallSeqNum) FROM Erp.CRMCall")
    assert calls == numbers, "two calls share a call number"
    [(keyed,)] = query(erp, "SELECT COUNT(*) FROM Erp.CRMCall AS k WHERE k.CallSeqNum > ?", len(FRAMES["Erp.CRMCall"]))
    assert keyed == len(rows), "a call was written without its key (or a key without its call)"
    return {key.strip(): count for key, count in rows}


def exactly_once(erp: ErpSettings, keys) -> None:
    found = in_erp(erp)
    assert sorted(found) == sorted(keys)
    assert set(found.values()) == {1}


# --- what goes, what stays, what comes back -----------------------------------------------------------------

@ALL
def test_valid_notes_go_invalid_ones_stay_and_nothing_is_written_twice(erp, tmp_path):
    kind, settings = erp
    frame = pd.concat([
        notes(3),
        notes(1, outcome="Promised", promise_cents=[123_456], promise_date=[pd.Timestamp("2026-12-01")]),
        notes(1, outcome="Disputed", dispute_reason=["Pricing"], dispute_cents=[5_000], contact_type=["Portal"]),
        notes(1, customer_id=["NOBODY"]),
        notes(1, follow_up=[pd.Timestamp("2026-11-01")]),
        notes(1, doc_no=["999999999"]),
    ], ignore_index=True)
    keys = captured(settings, tmp_path / "box.sqlite", frame)
    result = push(settings, tmp_path / "box.sqlite")
    assert (result.sent, result.found, result.invalid, result.queued, result.error) == (5, 0, 3, 0, "")
    status = result.notes.set_index("note_id").loc[keys]
    assert status["state"].tolist() == ["Pushed"] * 5 + ["Invalid"] * 3
    assert status["reason"].tolist()[5:] == [
        "Customer NOBODY is not in the ERP: check the customer ID.",
        "The follow-up date 2026-11-01 is in the past: give 2026-11-23 or later.",
        f"Invoice 999999999 is not an invoice of customer {IDS[0]}: check the invoice number."]
    lines = writeback.status_text(result.notes.set_index("note_id").loc[keys].reset_index())
    assert lines.iat[0].startswith("Pushed ") and " as EPIC06/1/" in lines.iat[0]
    assert lines.iat[5] == "Invalid: Customer NOBODY is not in the ERP: check the customer ID."
    exactly_once(settings, keys[:5])

    again = push(settings, tmp_path / "box.sqlite")  # the invalid ones wait for an edit: not refused again
    assert (again.sent, again.found, again.invalid, len(again.notes)) == (0, 0, 0, 0)
    captured(settings, tmp_path / "other.sqlite", frame.assign(note_id=keys))  # the same notes from another computer
    other = push(settings, tmp_path / "other.sqlite")
    assert (other.sent, other.found, other.invalid) == (0, 5, 3)
    assert other.notes.set_index("note_id").loc[keys[0], "erp_key"] == status.loc[keys[0], "erp_key"]
    exactly_once(settings, keys[:5])

    # Notes the ERP has behind 250 it has not: not asked about first, they make their batch collide with the
    # key table, are recorded as found, and the batch goes again without them.
    fresh = notes(250, written=WRITTEN - pd.Timedelta(days=1), text="fresh")
    mixed = captured(settings, tmp_path / "mixed.sqlite", pd.concat([fresh, frame[:5].assign(note_id=keys[:5])]))
    result = push(settings, tmp_path / "mixed.sqlite", batch_rows=100)
    assert (result.sent, result.found, result.error) == (250, 5, "")
    assert result.notes.set_index("note_id").loc[keys[3], "erp_key"] == status.loc[keys[3], "erp_key"]
    exactly_once(settings, keys[:5] + mixed[:250])


@ALL
def test_pushed_notes_read_back_whole_with_their_ids(erp, tmp_path):
    kind, settings = erp
    two = [str(row.InvoiceNum) for row in OPEN[OPEN["CustID"] == IDS[0]].itertuples()][:2]
    frame = pd.concat([
        notes(1, contact_type=["Meeting"], outcome=["Promised"], promise_cents=[1_234_567_89],
              promise_date=[pd.Timestamp("2026-12-01")], follow_up=[pd.Timestamp("2026-12-02")],
              doc_no=[""], text=["Will pay Friday."]),
        notes(1, contact_type=["Email"], outcome=["Disputed"], dispute_reason=["Not received"], dispute_cents=[5],
              doc_no=[", ".join(two)], contact_person=[""], text=[""]),
        notes(1, contact_type=["Letter"], outcome=[""], doc_no=[two[0]]),
    ], ignore_index=True)
    frame["customer_id"] = IDS[0]
    keys = captured(settings, tmp_path / "box.sqlite", frame)
    assert push(settings, tmp_path / "box.sqlite").sent == 3
    back = fetch.notes(settings, AS_OF, dt.date(2026, 11, 1))
    mine = back[back["note_id"] != ""].set_index("note_id").loc[keys]
    assert mine["customer_id"].tolist() == [IDS[0]] * 3
    assert mine["doc_no"].tolist() == ["", ", ".join(two), two[0]]
    assert mine["written"].tolist() == [WRITTEN] * 3  # the time of day too, which CRMCall.OrigDate drops
    assert mine["contact_type"].tolist() == ["Meeting", "Email", "Letter"]
    assert mine["contact_person"].tolist() == ["Maria", "", "Maria"]
    assert mine["outcome"].tolist() == ["Promised", "Disputed", ""]
    assert mine["promise_cents"].tolist() == [1_234_567_89, pd.NA, pd.NA]
    assert mine["promise_date"].tolist()[0] == pd.Timestamp("2026-12-01") and mine["promise_date"].isna().sum() == 2
    assert mine["dispute_reason"].tolist() == ["", "Not received", ""]
    assert mine["dispute_cents"].tolist() == [pd.NA, 5, pd.NA]
    assert mine["follow_up"].tolist()[0] == pd.Timestamp("2026-12-02") and mine["follow_up"].isna().sum() == 2
    assert mine["text"].iat[0] == ("Promised: Will pay Friday.\n\nContact: Maria\nPromise: 1,234,567.89 by 2026-12-01\n"
                                   "Follow-up: 2026-12-02")
    assert mine["text"].iat[1] == (f"Disputed - Not received: Invoices: {', '.join(two)}\n"
                                   "Dispute: Not received 0.05")
    assert (back["note_id"] == "").sum() == len(back) - 3  # the ERP's own calls have no note ID
    own = back[back["note_id"] == ""]
    assert own["promise_cents"].isna().all() and (own["contact_person"] == "").all()
    assert own.loc[own["doc_no"] != "", "doc_no"].str.fullmatch(r"\d+").all()  # CallInvoiceNum as text


TEXTS = [
    "It's \"quoted\" and 'single'; \\ back\\slash",
    "'; DROP TABLE Customer; --",
    "Robert'); DELETE FROM Erp.CRMCall WHERE ('1' = '1",
    "Emoji 😀🧾💸 and ØÙÚÛ æøå ß",
    "שלום, הלקוח ישלם ביום שישי — مرحبا بالعالم",
    "line one\r\nline two\n\ttabbed",
    "x" * 31_990 + "😀 end",
]


@ALL
def test_notes_arrive_intact_whatever_their_characters_and_length(erp, tmp_path):
    kind, settings = erp
    long = "😀" * 32_000  # 128 KB of UTF-8 each: 140 of them are more than MariaDB's 16 MB packet
    frame = pd.concat([notes(len(TEXTS), text=TEXTS), notes(140, text=long, outcome="")], ignore_index=True)
    keys = captured(settings, tmp_path / "box.sqlite", frame)
    result = push(settings, tmp_path / "box.sqlite")
    assert (result.sent, result.error) == (len(frame), "")
    rows = dict(query(settings, "SELECT n.NoteID, k.CallText FROM ardesk.ardesk_note AS n JOIN Erp.CRMCall AS k "
                                "ON k.Company = n.Company AND k.Key1 = n.Key1 AND k.CallSeqNum = n.CallSeqNum"))
    rows = {key.strip(): text for key, text in rows.items()}
    for key, text in zip(keys, frame["text"]):
        assert rows[key] == f"{text}\n\nContact: Maria", key
    assert len(query(settings, "SELECT 1 FROM Erp.Customer")) == CUSTOMERS  # nothing was dropped


@SERVERS
def test_a_note_the_erp_refuses_becomes_invalid_with_its_words_and_the_others_go(erp, tmp_path):
    kind, settings = erp
    frame = notes(120, author=["DKOWALSKI"] * 77 + ["A" * 80] + ["DKOWALSKI"] * 42)  # OrigDcdUserID holds 75
    keys = captured(settings, tmp_path / "box.sqlite", frame)
    result = push(settings, tmp_path / "box.sqlite", batch_rows=50)
    assert (result.sent, result.invalid, result.error) == (119, 1, "")
    refused = result.notes.set_index("note_id").loc[keys[77]]
    assert refused["state"] == "Invalid"
    assert refused["reason"].startswith("DRIVER=") is False
    assert "reported an error" in refused["reason"] and ("too long" in refused["reason"].lower())
    exactly_once(settings, keys[:77] + keys[78:])


# --- collisions and failures ----------------------------------------------------------------------------------

def run_pushers(settings: ErpSettings, boxes: list[Path], batch_rows: int, connections: int) -> list[dict]:
    """Push each outbox in a process of its own, all starting at the same moment; their results."""
    go = boxes[0].parent / "go"
    procs = [subprocess.Popen([sys.executable, "-c", PUSHER, settings.connect, str(box), str(batch_rows),
                               str(connections), str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for box in boxes]
    deadline = time.monotonic() + 120
    while len(list(go.parent.glob("go.*.ready"))) < len(procs) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


@SERVERS
def test_four_processes_pushing_the_same_notes_write_each_exactly_once(erp, tmp_path):
    kind, settings = erp
    frame = notes(3000)
    keys = captured(settings, tmp_path / "a.sqlite", frame)
    for name in ("b", "c"):
        captured(settings, tmp_path / f"{name}.sqlite", frame.assign(note_id=keys))
    boxes = [tmp_path / "a.sqlite", tmp_path / "b.sqlite", tmp_path / "c.sqlite", tmp_path / "c.sqlite"]
    results = run_pushers(settings, boxes, batch_rows=50, connections=2)
    assert all(result["error"] == "" for result in results), results
    assert sum(result["sent"] for result in results) == 3000
    assert [result["sent"] + result["found"] for result in results[:2]] == [3000, 3000]  # each accounts for all
    exactly_once(settings, keys)
    for box in boxes[:3]:
        with outbox.open(box) as opened:
            assert set(opened.status(keys)["state"]) == {"Pushed"}


@SERVERS
def test_different_notes_pushed_at_once_get_distinct_call_numbers(erp, tmp_path):
    kind, settings = erp
    keys = []
    for name in "abcd":
        keys += captured(settings, tmp_path / f"{name}.sqlite", notes(1000, text=f"from {name}"))
    results = run_pushers(settings, [tmp_path / f"{name}.sqlite" for name in "abcd"], batch_rows=40, connections=2)
    assert [result["sent"] for result in results] == [1000] * 4
    exactly_once(settings, keys)


class Blocker:
    """A second session holding an uncommitted key row with call number `number`: a pusher that reaches that
    number waits for this session in the middle of its batch."""

    def __init__(self, settings: ErpSettings, number: int):
        self.conn = pyodbc.connect(full_connection_string(settings))
        dialect = dialect_of_dbms(self.conn.getinfo(pyodbc.SQL_DBMS_NAME))
        self.conn.execute(render("INSERT INTO ardesk.ardesk_note (NoteID, Company, Key1, CallSeqNum, Pushed, Invoices, "
                                 "ContactPerson) VALUES ('00000000-0000-0000-0000-000000000000', 'EPIC06', '0', ?, ?, "
                                 "'', '')", dialect),
                          number, dt.datetime(2026, 11, 24))

    def release(self):
        self.conn.rollback()
        self.conn.close()


def top_call(settings: ErpSettings) -> int:
    return query(settings, "SELECT MAX(CallSeqNum) FROM Erp.CRMCall")[0][0]


def waiting_session(kind: str, settings: ErpSettings, timeout: float = 60) -> int:
    """The id of the session waiting for the blocker's lock."""
    sql = {"postgres": "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = "
                       "'Lock'",
           "mariadb": "SELECT trx_mysql_thread_id FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'"}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = pyodbc.connect(full_connection_string(settings), autocommit=True)
        rows = conn.execute(sql[kind]).fetchall()
        conn.close()
        if rows:
            return rows[0][0]
        time.sleep(0.1)
    raise AssertionError("the pusher never reached the blocked call number")


def kill_session(kind: str, settings: ErpSettings, session: int) -> None:
    conn = pyodbc.connect(full_connection_string(settings), autocommit=True)
    conn.execute("SELECT pg_terminate_backend(?)" if kind == "postgres" else f"KILL CONNECTION {int(session)}",
                 *([session] if kind == "postgres" else []))
    conn.close()


def sessions_gone(kind: str, settings: ErpSettings, timeout: float = 60) -> None:
    """Wait until no other session is connected to the database (a killed client's server session ends)."""
    sql = {"postgres": "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
                       "pg_backend_pid()",
           "mariadb": "SELECT COUNT(*) FROM information_schema.processlist WHERE db = DATABASE() AND id <> "
                      "CONNECTION_ID()"}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = pyodbc.connect(full_connection_string(settings), autocommit=True)
        count = conn.execute(sql[kind]).fetchone()[0]
        conn.close()
        if count == 0:
            return
        time.sleep(0.1)
    raise AssertionError("a killed pusher's session is still connected")


@SERVERS
def test_a_session_killed_mid_batch_leaves_no_partial_batch_and_the_next_push_completes(erp, tmp_path):
    kind, settings = erp
    keys = captured(settings, tmp_path / "box.sqlite", notes(200))
    blocker = Blocker(settings, top_call(settings) + 75)  # the 25th row of the second batch of 50
    results = []
    thread = threading.Thread(target=lambda: results.append(push(settings, tmp_path / "box.sqlite", batch_rows=50,
                                                                 connections=1)))
    thread.start()
    kill_session(kind, settings, waiting_session(kind, settings))
    thread.join(timeout=120)
    blocker.release()
    [result] = results
    assert result.sent == 50 and result.error
    assert set(result.notes["state"]) == {"Pushed", "Queued"}
    assert result.notes.loc[result.notes["state"] == "Queued", "reason"].str.startswith("Not sent yet: ").all()
    assert len(in_erp(settings)) == 50  # the first batch, and nothing of the second
    again = push(settings, tmp_path / "box.sqlite", batch_rows=50)
    assert (again.sent, again.error) == (150, "")
    exactly_once(settings, keys)


@SERVERS
def test_an_unreachable_erp_keeps_its_notes_queued_and_no_other_erp_takes_them(erp, tmp_path):
    kind, settings = erp
    down = ErpSettings(connect=settings.connect.replace("Port=5432", "Port=1").replace("Port=3306", "Port=1"),
                       connect_timeout=3)
    keys = captured(down, tmp_path / "box.sqlite", notes(30))
    result = push(down, tmp_path / "box.sqlite")
    assert result.error.startswith("Cannot reach ") and result.sent == 0
    assert set(result.notes["state"]) == {"Queued"}
    assert set(result.notes["reason"]) == {f"Not sent yet: {result.error}"}
    elsewhere = push(settings, tmp_path / "box.sqlite")  # the next push goes to another ERP: not these notes
    assert (elsewhere.sent, len(elsewhere.notes)) == (0, 0)
    assert in_erp(settings) == {}
    with outbox.open(tmp_path / "box.sqlite") as box:
        assert sorted(box.queued(outbox.Target.of(down).erp)["note_id"]) == sorted(keys)


@SERVERS
def test_a_pusher_killed_mid_batch_leaves_exactly_one_row_per_note_after_the_next_push(erp, tmp_path):
    kind, settings = erp
    keys = captured(settings, tmp_path / "box.sqlite", notes(200))
    blocker = Blocker(settings, top_call(settings) + 75)
    proc = subprocess.Popen([sys.executable, "-c", PUSHER, settings.connect, str(tmp_path / "box.sqlite"), "50", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    waiting_session(kind, settings)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    blocker.release()
    sessions_gone(kind, settings)
    assert len(in_erp(settings)) == 50
    result = push(settings, tmp_path / "box.sqlite", batch_rows=50)
    assert (result.sent, result.found, result.error) == (150, 0, "")
    exactly_once(settings, keys)


@SERVERS
def test_pushers_killed_at_random_moments_lose_nothing_and_write_nothing_twice(erp, tmp_path):
    kind, settings = erp
    keys = captured(settings, tmp_path / "box.sqlite", notes(3000))
    written = 0
    for round in range(3):  # kill each pusher once it has written 300 more notes: mid-push, at no set point
        go = tmp_path / f"go{round}"
        proc = subprocess.Popen([sys.executable, "-c", PUSHER, settings.connect, str(tmp_path / "box.sqlite"), "50",
                                 "2", str(go)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while not list(tmp_path.glob(f"go{round}.*.ready")):
            time.sleep(0.01)
        go.touch()
        while proc.poll() is None and query(settings, "SELECT COUNT(*) FROM ardesk.ardesk_note")[0][0] < written + 300:
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        sessions_gone(kind, settings)
        written = len(in_erp(settings))  # every call has its key and every key its call, after every kill
    before = len(in_erp(settings))
    result = push(settings, tmp_path / "box.sqlite", batch_rows=50)
    assert result.error == ""
    assert 0 < result.sent == 3000 - before  # the kills left work for this push
    exactly_once(settings, keys)
    with outbox.open(tmp_path / "box.sqlite") as box:
        assert set(box.status(keys)["state"]) == {"Pushed"}
