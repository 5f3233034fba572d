"""The local outbox: every captured note, kept on disk until the ERP has it, and where each one stands.

An SQLite file (the standard library's sqlite3: a local file, not the ERP) beside the workbook or in the user's
data directory. `capture` writes the notes and has them on disk (WAL, synchronous FULL) before it returns, so a
note is never only in memory or only in a cell while the ERP is written; the push then records per note Queued,
Invalid (with what to fix) or Pushed (with the time and the ERP's key). A note is never deleted.

Each note is kept for the ERP it was captured for (`Target`: which ERP, by odbc.identity, never a password): a
push sends only its own ERP's notes, and those for another ERP wait, listed by `ardesk notes outbox`.

Idempotency keys: a note keeps the key it was captured with, so capturing the same rows again changes nothing.
A note without one gets a key derived from its content (`derived_keys`: the same note typed once gets the same
key in every process), which the caller writes back beside the note (Notes sheet, CSV) before pushing: two
pushes of the same workbook or CSV at once give its new notes the same keys, and the ERP takes each once. A key that appears on two different rows (a row copied in Excel with its key) stays with the row whose
content the outbox already holds; the other row gets a key derived from the first and its own content, the same
every time, so that the copy is a note of its own and is never taken for the original. A note may be edited
until it is pushed; an edit after that cannot reach the ERP and is reported on the note.
"""
import datetime as dt
import hashlib
import json
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ardesk.erp.odbc import identity, without_password
from ardesk.errors import ArdeskError
from ardesk.frames import CAPTURED_NOTES, NOTE_STATUS, NOTES
from ardesk.settings import ErpSettings, data_dir

_CONTENT = tuple(name for name in NOTES if name != "source")
"""The columns that make a note what it is: the digest covers these (not where it was typed)."""
_DATES = ("written", "promise_date", "follow_up")
_AMOUNTS = ("promise_cents", "dispute_cents")
_VERSION = 2
_TIME = "%Y-%m-%d %H:%M:%S"
_KEYS = uuid.UUID("5b3c1e0a-7d0f-4f3e-9a51-0a2d3c6e8f10")
"""The namespace of keys derived from a note's content."""

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS note (
  note_id TEXT PRIMARY KEY,
  captured TEXT NOT NULL,
  source TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  doc_no TEXT NOT NULL,
  written TEXT NOT NULL,
  contact_type TEXT NOT NULL,
  contact_person TEXT NOT NULL,
  outcome TEXT NOT NULL,
  promise_cents INTEGER,
  promise_date TEXT,
  dispute_reason TEXT NOT NULL,
  dispute_cents INTEGER,
  follow_up TEXT,
  text TEXT NOT NULL,
  author TEXT NOT NULL,
  digest TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'Queued',
  reason TEXT NOT NULL DEFAULT '',
  erp TEXT NOT NULL DEFAULT '',
  erp_connect TEXT NOT NULL DEFAULT '',
  erp_company TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS pushed (
  note_id TEXT NOT NULL,
  pushed TEXT NOT NULL,
  erp_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS note_written ON note (written, note_id);
"""
_UPGRADES = {
    1: ("ALTER TABLE note ADD COLUMN erp TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE note ADD COLUMN erp_connect TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE note ADD COLUMN erp_company TEXT NOT NULL DEFAULT ''"),
}
"""Version -> what brings an outbox of that version to the next: version 1 kept no ERP per note (its notes
read as for no ERP recorded, and go where `ardesk notes outbox retry` sends them)."""
"""`note` holds what was typed, the ERP it is for and, until the note is pushed, its state (Queued, Invalid,
Discarded) and reason; Edited marks a pushed note typed differently since. `pushed` is appended to when the ERP has a note: a note is
pushed once it has a row there. Appending keeps recording a batch cheap: updating the wide note rows in place
cost 33 microseconds a note, appending 2 (measured)."""

_LATEST = ("SELECT note_id, MIN(pushed) AS pushed, MIN(erp_key) AS erp_key FROM pushed GROUP BY note_id")


@dataclass(frozen=True)
class Target:
    """The ERP a note is captured for: who it is (odbc.identity), and how to reach it again without a password."""

    erp: str
    connect: str
    company: str

    @classmethod
    def of(cls, erp: ErpSettings) -> "Target":
        return cls(identity(erp), without_password(erp.connect), erp.company)


def beside(workbook: str | Path) -> Path:
    """The outbox of a workbook: `Aging.xlsx` -> `Aging.ardesk-outbox.sqlite` in the same folder."""
    workbook = Path(workbook)
    return workbook.with_name(f"{workbook.stem}.ardesk-outbox.sqlite")


def default_path() -> Path:
    """The outbox of notes typed outside a workbook (`ardesk notes add`, a CSV): in the user's data directory."""
    return data_dir() / "outbox.sqlite"


def open(path: str | Path) -> "Outbox":  # noqa: A001 - read as outbox.open(path)
    """The outbox at `path`, created (with its folder) when missing."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("BEGIN IMMEDIATE")  # two processes opening an older outbox upgrade it once
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > _VERSION:
            conn.execute("ROLLBACK")
            conn.close()
            raise ArdeskError(f"The outbox {path} was written by a newer ardesk: upgrade ardesk to push its notes.")
        upgrades = [step for old in range(version or _VERSION, _VERSION) for step in _UPGRADES[old]]
        for statement in [*filter(str.strip, _SCHEMA.split(";")), *upgrades, f"PRAGMA user_version = {_VERSION}"]:
            conn.execute(statement)
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise ArdeskError(f"The outbox {path} cannot be opened ({exc}): check that the folder is writable and the "
                          "file is an ardesk outbox.") from None
    return Outbox(path, conn)


class Outbox:
    """An open outbox; use as a context manager or close() it."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self._conn = conn
        self._lock = threading.Lock()  # a push records from several threads

    def __enter__(self) -> "Outbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    # --- capturing ---------------------------------------------------------------------------------------

    def capture(self, notes: pd.DataFrame, target: Target, *, now: dt.datetime | None = None) -> pd.Series:
        """Store `notes` (NOTES columns, with a note_id column where keys were already given) on disk for the ERP
        `target` and return their keys, aligned with `notes`. A note without a `written` time is dated `now`. A
        note captured before keeps the ERP it was captured for.

        What the outbox holds is read in the same transaction as the writes: two processes capturing the same
        new notes at once (a double click) store each once."""
        now = (now or dt.datetime.now()).replace(microsecond=0)
        rows = _rows(notes)
        stamp = _text_time(now)
        with self._transaction():
            known = {key: (digest, bool(pushed)) for key, digest, pushed in self._conn.execute(
                "SELECT note_id, digest, note_id IN (SELECT note_id FROM pushed) FROM note")}
            keys = _keys(rows, known)
            new, edited, pushed_edits, pushed_same = [], [], [], []
            seen = set()
            for key, row in zip(keys, rows):
                if key in seen:
                    continue
                seen.add(key)
                if key not in known:
                    new.append(row | {"note_id": key})
                elif known[key][1]:
                    (pushed_same if known[key][0] == row["digest"] else pushed_edits).append((key,))
                elif known[key][0] != row["digest"]:
                    edited.append(row | {"note_id": key})
            where = {"erp": target.erp, "erp_connect": target.connect, "erp_company": target.company}
            self._conn.executemany(
                "INSERT INTO note (note_id, captured, source, customer_id, doc_no, written, contact_type, "
                "contact_person, outcome, promise_cents, promise_date, dispute_reason, dispute_cents, follow_up, "
                "text, author, digest, erp, erp_connect, erp_company) VALUES (:note_id, :captured, :source, "
                ":customer_id, :doc_no, COALESCE(:written, :captured), :contact_type, :contact_person, :outcome, "
                ":promise_cents, :promise_date, :dispute_reason, :dispute_cents, :follow_up, :text, :author, "
                ":digest, :erp, :erp_connect, :erp_company)",
                [row | {"captured": stamp} | where for row in new])
            self._conn.executemany(
                "UPDATE note SET source = :source, customer_id = :customer_id, doc_no = :doc_no, "
                "written = COALESCE(:written, written), contact_type = :contact_type, "
                "contact_person = :contact_person, outcome = :outcome, promise_cents = :promise_cents, "
                "promise_date = :promise_date, dispute_reason = :dispute_reason, dispute_cents = :dispute_cents, "
                "follow_up = :follow_up, text = :text, author = :author, digest = :digest, state = 'Queued', "
                "reason = '' WHERE note_id = :note_id", edited)
            self._conn.executemany(
                "UPDATE note SET state = 'Edited', reason = 'Changed after it was pushed on ' || (SELECT "
                "substr(MIN(pushed), 1, 16) FROM pushed WHERE pushed.note_id = note.note_id) || ': the ERP keeps "
                "the note as pushed; type a new note for the change.' WHERE note_id = ?", pushed_edits)
            self._conn.executemany("UPDATE note SET state = 'Queued', reason = '' WHERE note_id = ? AND "
                                   "state = 'Edited'", pushed_same)
        return pd.Series(keys, index=notes.index, dtype="string")

    # --- reading -------------------------------------------------------------------------------------------

    def queued(self, erp: str) -> pd.DataFrame:
        """CAPTURED_NOTES of the notes for the ERP `erp` (odbc.identity) waiting to be sent, oldest first. An
        Invalid note waits for an edit (or `ardesk notes outbox retry`) rather than being refused again at every
        push. Read in one pass: reading the keys first and then the notes by key took 2.0 s of a push of 100,000
        notes, one pass 0.75 s (measured)."""
        return _frame(self._conn.execute(
            f"SELECT note_id, {', '.join(NOTES)} FROM note WHERE erp = ? AND state = 'Queued' AND note_id NOT IN "
            "(SELECT note_id FROM pushed) ORDER BY written, note_id", (erp,)).fetchall(), CAPTURED_NOTES)

    def unsent(self) -> pd.DataFrame:
        """CAPTURED_NOTES of every note not yet pushed (Queued or Invalid), oldest first."""
        return _frame(self._conn.execute(
            f"SELECT note_id, {', '.join(NOTES)} FROM note WHERE state != 'Discarded' AND note_id NOT IN "
            "(SELECT note_id FROM pushed) ORDER BY written, note_id").fetchall(), CAPTURED_NOTES)

    def waiting(self) -> pd.DataFrame:
        """Every note not pushed nor discarded, oldest first: its key, the ERP it is for (`erp_connect` without a
        password, `erp_company`; "" for a note an outbox before version 2 kept), its state and reason, and
        what it says (customer, text)."""
        rows = self._conn.execute(
            "SELECT note_id, erp_connect, erp_company, state, reason, customer_id, text FROM note WHERE state != "
            "'Discarded' AND note_id NOT IN (SELECT note_id FROM pushed) ORDER BY written, note_id").fetchall()
        return pd.DataFrame(rows, columns=["note_id", "erp_connect", "erp_company", "state", "reason", "customer_id",
                                           "text"], dtype="string")

    def requeue(self, note_ids, target: Target) -> None:
        """Send these notes at the next push to `target`'s ERP: kept for their own ERP, or `target`'s when none
        was recorded; Invalid ones are tried again."""
        with self._transaction():
            self._conn.executemany(
                "UPDATE note SET state = 'Queued', reason = '', erp = CASE erp WHEN '' THEN ? ELSE erp END, "
                "erp_connect = CASE erp WHEN '' THEN ? ELSE erp_connect END, erp_company = CASE erp WHEN '' THEN ? "
                "ELSE erp_company END WHERE note_id = ? AND state != 'Discarded'",
                [(target.erp, target.connect, target.company, key) for key in note_ids])

    def discard(self, note_ids) -> None:
        """Never send these notes (they stay in the outbox, marked Discarded)."""
        with self._transaction():
            self._conn.executemany("UPDATE note SET state = 'Discarded', reason = 'Discarded from the outbox.' "
                                   "WHERE note_id = ? AND note_id NOT IN (SELECT note_id FROM pushed)",
                                   [(key,) for key in note_ids])

    def notes(self, note_ids) -> pd.DataFrame:
        """CAPTURED_NOTES of the notes of `note_ids` (pushed or not), oldest first."""
        return _frame(self._conn.execute(
            f"SELECT note_id, {', '.join(NOTES)} FROM note WHERE note_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY written, note_id", (json.dumps(list(note_ids)),)).fetchall(), CAPTURED_NOTES)

    def status(self, note_ids=None) -> pd.DataFrame:
        """NOTE_STATUS of the given notes in their order (a key the outbox lacks reads as Queued with a reason),
        or of every note, oldest first."""
        rows = self._conn.execute(
            "SELECT n.note_id, CASE WHEN p.pushed IS NULL THEN n.state ELSE 'Pushed' END, "
            "CASE WHEN p.pushed IS NULL OR n.state = 'Edited' THEN n.reason ELSE '' END, p.pushed, "
            f"COALESCE(p.erp_key, '') FROM note AS n LEFT JOIN ({_LATEST}) AS p ON p.note_id = n.note_id "
            "ORDER BY n.written, n.note_id").fetchall()
        if note_ids is not None:
            by_key = {row[0]: row for row in rows}
            missing = ("Queued", "Not captured yet: push again to capture and send it.", None, "")
            rows = [by_key.get(key) or (key, *missing) for key in note_ids]
        return _frame(rows, NOTE_STATUS)

    # --- recording what the push did ---------------------------------------------------------------------

    def mark_pushed(self, note_ids, times, erp_keys) -> None:
        """The ERP holds these notes (written now or found there), with their push times and ERP keys.

        One statement for the whole batch: a push records from its sending threads while another thread
        computes, and executemany, which lets go of Python's lock for every row and then waits to get it back,
        took 87 ms for 500 notes there instead of 10 (measured)."""
        stamps = {when: _text_time(when) for when in set(times)}
        rows = [(note_id, stamps[when], key) for note_id, when, key in zip(note_ids, times, erp_keys)]
        with self._transaction(durable=False):
            self._conn.execute(
                "INSERT INTO pushed (note_id, pushed, erp_key) SELECT json_extract(value, '$[0]'), "
                "json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?)", (json.dumps(rows),))

    def mark_invalid(self, note_ids, reasons) -> None:
        """These notes cannot go as they are; `reasons` say what to fix."""
        with self._transaction(durable=False):
            self._conn.executemany("UPDATE note SET state = 'Invalid', reason = ? WHERE note_id = ?",
                                   list(zip(reasons, note_ids)))

    def mark_queued(self, note_ids, reason: str) -> None:
        """These notes wait for the next push; `reason` says why this one did not send them."""
        with self._transaction(durable=False):
            self._conn.executemany("UPDATE note SET state = 'Queued', reason = ? WHERE note_id = ?",
                                   [(reason, note_id) for note_id in note_ids])

    def _transaction(self, *, durable: bool = True):
        """One write transaction, committed on success, rolled back on failure. A durable one is on disk when
        it returns; the others (the push's records, which the ERP's key table can always tell again) reach the
        disk with the next durable one or checkpoint, without waiting for the disk each batch."""
        return _Transaction(self._conn, self._lock, "FULL" if durable else "NORMAL")


class _Transaction:
    def __init__(self, conn: sqlite3.Connection, lock: threading.Lock, synchronous: str):
        self._conn, self._lock, self._synchronous = conn, lock, synchronous

    def __enter__(self):
        self._lock.acquire()
        try:
            self._conn.execute(f"PRAGMA synchronous = {self._synchronous}")
            self._conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise

    def __exit__(self, kind, *exc):
        try:
            self._conn.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self._lock.release()


def _frame(rows: list[tuple], contract: dict[str, str]) -> pd.DataFrame:
    """Rows read from the outbox as a frame of `contract`: dates from their text, NULL amounts as <NA>."""
    columns = [list(column) for column in zip(*rows)] if rows else [[] for _ in contract]
    out = {}
    for (name, dtype), values in zip(contract.items(), columns):
        if dtype == "datetime64[s]":
            out[name] = pd.to_datetime(pd.Series(values, dtype=object), format=_TIME).astype(dtype)
        elif dtype == "string":
            out[name] = pd.array(pa.array(values, pa.string()), dtype=dtype)
        else:
            out[name] = pd.array(values, dtype=dtype)
    return pd.DataFrame(out)


def _rows(notes: pd.DataFrame) -> list[dict]:
    """The notes as rows of outbox values (text, dates as text or None, cents or None) with their digests;
    keys given as note_id are checked and written in canonical form ("" when none)."""
    columns = {}
    for name in CAPTURED_NOTES:
        values = notes[name] if name in notes else pd.Series(pd.NA, index=notes.index, dtype="object")
        if name in _DATES:
            values = pd.to_datetime(values).astype("datetime64[s]")
            columns[name] = values.dt.strftime(_TIME).astype(object).where(values.notna(), None).tolist()
        elif name in _AMOUNTS:
            columns[name] = pd.array(values, dtype="Int64").astype(object).tolist()
            columns[name] = [None if v is pd.NA else int(v) for v in columns[name]]
        else:
            columns[name] = values.astype("string").fillna("").tolist()
    columns["note_id"] = [_canonical_key(key, position) for position, key in enumerate(columns["note_id"], 1)]
    columns["source"] = [source or "Workbook" for source in columns["source"]]
    rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
    for row in rows:
        content = "\x1f".join("" if row[name] is None else str(row[name]) for name in _CONTENT)
        row["digest"] = hashlib.blake2b(content.encode("utf-8"), digest_size=16).hexdigest()
    return rows


def _canonical_key(key: str, position: int) -> str:
    if not key.strip():
        return ""
    try:
        return str(uuid.UUID(key.strip()))
    except ValueError:
        raise ArdeskError(f"Note {position} has the note ID {key!r}, which is not a UUID: clear it and ardesk "
                          "gives the note a new one.") from None


def derived_keys(notes: pd.DataFrame) -> list[str]:
    """Each note's key (NOTES columns, with note_id where given): its own, or one derived from its content, the
    same in every process, to write beside a new note before it is captured."""
    return _keys(_rows(notes), {})


def _keys(rows: list[dict], known: dict[str, tuple[str, str]]) -> list[str]:
    """Each row's key: its own; one derived from its content when it has none (the k-th of several rows with
    the same content gets k in it, so that a note typed twice is two notes); or for a copy of a keyed row with
    other content a key derived from the original's key and the copy's content."""
    stored = {key: digest for key, (digest, _) in known.items()}
    holder: dict[str, str] = {}  # key -> the digest of the row that keeps it
    for row in rows:
        key = row["note_id"]
        if key and (key not in holder or row["digest"] == stored.get(key)):
            holder[key] = row["digest"]
    keys, occurrences = [], {}
    for row in rows:
        key = row["note_id"]
        if not key:
            occurrences[row["digest"]] = occurrences.get(row["digest"], 0) + 1
            keys.append(str(uuid.uuid5(_KEYS, f"{row['digest']}#{occurrences[row['digest']]}")))
        elif holder[key] == row["digest"]:
            keys.append(key)
        else:
            keys.append(str(uuid.uuid5(uuid.UUID(key), row["digest"])))
    return keys


def _text_time(value) -> str:
    return pd.Timestamp(value).strftime(_TIME)
