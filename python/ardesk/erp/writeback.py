"""Pushing captured notes from the outbox to the ERP, each exactly once, none lost.

A push takes the outbox's unsent notes, a chunk at a time, and:

1. validates them (ardesk.ar.notes.validate) against the ERP's customers and the invoices they name; a note
   that fails stays in the outbox as Invalid with the sentence saying what to fix;
2. sends the valid ones in batches of `batch_rows` (fewer when they are long), each batch one transaction: the
   notes' keys first (note_key_insert, ardesk's key table), then their rows (note_insert), each statement
   binding the batch as one JSON document (ardesk.erp.writer); after the commit the outbox records them as
   pushed, with the time and ERP key.

Exactly once: a note's row goes in only with its key, in the same transaction, and the key table's primary key
refuses a key that is there or is being written by another pusher (the second waits for the first to finish,
then fails). Call numbers continue the company's highest, and the key table's unique (company, number) makes
two pushers that picked the same numbers collide the same way. A collision rolls the whole batch back; the
pusher asks which of its notes the ERP now has, records those as pushed (an earlier push, another computer's,
or a push killed after its commit), and sends the rest again with fresh numbers. Asking before sending is
done only where it pays (see _Push.push).

A batch the ERP refuses for its data (a value too long for a column, say) is split until the note at fault is
found: that note becomes Invalid with the ERP's words and the others go. When the connection is lost the push
stops: nothing of the interrupted batch is in the ERP, every unsent note stays queued with the reason, and the
next push completes the work.

Batches are written by CONNECTIONS sender threads, each over its own connection, while the calling thread reads,
validates and looks up the next chunk over one more; the senders take call numbers from one reservation in
this process, so they never collide with each other. An SQLite ERP, which writes one transaction at a time,
gets no senders: the calling thread sends.
"""
import datetime as dt
import queue
import random
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyodbc

from ardesk.ar import notes as rules
from ardesk.erp import profile as profiles, writer
from ardesk.erp.dialect import render
from ardesk.erp.migrations import require
from ardesk.erp.odbc import check_tables, collided, connect, dialect_of, driver_kind, identity, translate
from ardesk.erp.outbox import Outbox
from ardesk.errors import ArdeskError
from ardesk.money import decimal_text
from ardesk.settings import ErpSettings

CONNECTIONS = 3
"""Connections that write batches in a push to a database server, each from a thread of its own, while the
calling thread prepares the next notes over one more connection. Preparing and sending hardly overlap: pyodbc
lets go of Python's lock for every value it binds and then waits for it, so a sender crawls while the calling
thread computes (one 500-row INSERT took 31 ms beside validation instead of 7). 100,000 notes went out at
20,700 notes/s over 2 connections, 21,800 over 3 and 22,000 over 4 (measured, bench/bench_push.py)."""
CHUNK_NOTES = 10_000
"""Notes prepared at a time (looked up, read from the outbox, validated) while the senders write the
batches of the chunk before. Validation costs a few milliseconds a chunk whatever its size: 100,000 notes went
out at 20,700 notes/s in chunks of 10,000, 18,000 in chunks of 5,000 and no faster in chunks of 20,000 or
50,000, which hold more notes in memory (measured, bench/bench_push.py)."""
BATCH_BYTES = 4_000_000
"""At most this much note text (UTF-8) per batch: MariaDB refuses a statement larger than max_allowed_packet
(16 MB by default), and 500 notes of 32,000 characters are up to 64 MB."""
PROBE_NOTES = 200
"""The first notes of a chunk whose keys are looked up in the ERP before sending: when it has one of them, the
whole chunk is looked up (see _Push.push)."""
RETRIES = 100
"""Collisions one batch may meet before the push gives up (each retry waits a little longer, up to 0.5 s)."""


@dataclass(frozen=True)
class PushResult:
    """What one push did. `notes` is NOTE_STATUS of every note it handled (the outbox's unsent notes)."""

    notes: pd.DataFrame = field(repr=False)
    sent: int  # written to the ERP by this push
    found: int  # already in the ERP (an earlier or concurrent push), now recorded as pushed
    invalid: int  # left in the outbox with what to fix
    queued: int  # left in the outbox because the push stopped early
    error: str = ""  # why it stopped early: one sentence; "" when it finished


def push(erp: ErpSettings, box: Outbox, *, batch_rows: int = 500, connections: int = CONNECTIONS,
         today: dt.date | None = None) -> PushResult:
    """Send the outbox's notes waiting for this ERP to it (see the module's description); notes kept for
    another ERP stay in the outbox.

    Mistakes in settings or the profile raise ArdeskError before anything is sent; a failure of the ERP while
    pushing ends the push early and is returned as `error`, the notes not sent staying queued with that reason.
    """
    queued = box.queued(identity(erp))
    keys = queued["note_id"].tolist()
    run = _Push(erp, box, profiles.load(erp.profile), max(1, batch_rows),
                1 if driver_kind(erp.connect) == "sqlite" else max(1, connections))
    error = ""
    if keys:
        if not erp.connect.strip():
            raise ArdeskError("No ERP connection is set: give --connect \"DRIVER=...\" or set [erp] connect in "
                              "ardesk.toml.")
        try:
            with connect(erp) as conn, ExitStack() as senders:
                run.start(conn, senders)
                run.push(queued, today or dt.date.today())
        except ArdeskError as exc:
            error = str(exc)
            box.mark_queued([key for key in keys if key not in run.settled], f"Not sent yet: {error}")
    status = run.status(keys, f"Not sent yet: {error}" if error else "")
    counts = status["state"].value_counts()
    return PushResult(status, run.sent, run.found, int(counts.get("Invalid", 0)), int(counts.get("Queued", 0)),
                      error)


def status_text(status: pd.DataFrame) -> pd.Series:
    """NOTE_STATUS as the one cell the workbook shows per note: "Pushed 2026-11-24 14:03 as EPIC06/42/1001",
    "Invalid: <what to fix>", "Queued" or "Queued: <why not sent>"."""
    pushed = status["pushed"].dt.strftime("%Y-%m-%d %H:%M").fillna("")
    lines = [
        (f"Pushed {when} as {key}" + (f" ({reason})" if reason else "")) if state == "Pushed" else
        (f"{state}: {reason}" if reason else state)
        for state, reason, when, key in zip(status["state"], status["reason"], pushed, status["erp_key"])
    ]
    return pd.Series(lines, index=status.index, dtype="string")


@dataclass
class _Push:
    """One push: what its threads share (guarded by `lock`)."""

    erp: ErpSettings
    box: Outbox
    profile: profiles.Profile
    batch_rows: int
    connections: int
    main: "_Lane | None" = None  # the calling thread's connection: lookups, and sends when there are no senders
    opened: ExitStack | None = None  # where the senders' connections are closed
    dialect: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    settled: dict = field(default_factory=dict)  # key -> NOTE_STATUS values of the notes this push settled
    sent: int = 0
    found: int = 0
    highest: dict = field(default_factory=dict)  # company -> the highest call number taken (ERP or this push)
    stale: set = field(default_factory=set)  # companies whose highest number another pusher may have passed
    company: str = ""  # the company the notes go to: the one the ERP's customers belong to
    invoices: dict = field(default_factory=dict)  # invoice number -> its customer ID (None: not in the ERP)

    def start(self, conn: pyodbc.Connection, opened: ExitStack) -> None:
        self.dialect = dialect_of(conn)
        require(conn, "notes push")
        check_tables(conn, list(self.profile.tables), self.profile.name, self.dialect)
        self.main, self.opened = _Lane(self, conn), opened

    def push(self, queued: pd.DataFrame, today: dt.date) -> None:
        """Validate and send the `queued` notes (CAPTURED_NOTES), CHUNK_NOTES at a time: this thread prepares a
        chunk while the senders write the batches of the one before.

        The ERP is asked which notes it already has only where that pays: for a chunk whose first PROBE_NOTES
        notes include one it has (a push again, or after another computer's), and for notes about to be
        called invalid. Elsewhere (a first push) a note the ERP has makes its batch collide with the key table,
        and the batch goes again without it.
        """
        main = self.main
        customers = main.customers()
        with _Senders(self) as send:
            for start in range(0, len(queued), CHUNK_NOTES):
                notes = queued.iloc[start:start + CHUNK_NOTES]
                chunk = notes["note_id"].tolist()
                present = main.record_present(chunk[:PROBE_NOTES])
                asked = bool(present)
                if asked:
                    present |= main.record_present(chunk[PROBE_NOTES:])
                    notes = notes[[key not in present for key in chunk]]
                invoices = self._invoices(notes["doc_no"])
                reasons = rules.validate(notes, customers, invoices, today).mask(_too_long(notes), _TOO_LONG)
                invalid = (reasons != "").to_numpy()
                if not asked:
                    present = main.record_present(notes.loc[invalid, "note_id"].tolist())
                main.conn.rollback()  # end the lookups' transaction: a batch sent here starts with a fresh view
                refused = [(key, why) for key, why in zip(notes.loc[invalid, "note_id"], reasons[invalid])
                           if key not in present]
                self.refuse([key for key, _ in refused], [why for _, why in refused])
                for batch in self._batches(self._rows(notes[~invalid], customers)):
                    send(batch)

    def _invoices(self, doc_no: pd.Series) -> pd.DataFrame:
        """The invoices the notes name that exist: customer_id, doc_no. Each number is looked up once a push.

        Only the chunk's own: validation turns the frame into a set, and every invoice the push had met made
        the last chunks of 100,000 notes validate twice as slowly (measured)."""
        named = {int(doc) for docs in doc_no.tolist() for doc in rules.invoices_of(docs)
                 if doc.isdigit() and len(doc) <= 9}
        numbers = sorted(named - self.invoices.keys())
        if numbers:
            self.invoices.update(dict.fromkeys(numbers))
            self.invoices.update({number: customer for _, number, customer in self.main.invoices(numbers)})
        known = [(self.invoices[number], str(number)) for number in sorted(named)
                 if self.invoices[number] is not None]
        return pd.DataFrame(known or None, columns=["customer_id", "doc_no"])

    def _rows(self, notes: pd.DataFrame, customers: pd.DataFrame) -> list[dict]:
        """The values each note binds (the names in profile.toml [parameters]), oldest first."""
        who = dict(zip(customers["customer_id"].tolist(), zip(customers["company"].tolist(),
                                                              customers["key"].tolist(),
                                                              customers["sales_rep"].tolist())))
        company, key, rep = zip(*(who[customer] for customer in notes["customer_id"].tolist())) if len(notes) \
            else ((), (), ())
        texts = rules.call_text(notes)
        invoices = [rules.invoices_of(docs) for docs in notes["doc_no"].tolist()]
        columns = {
            "note_id": notes["note_id"].tolist(), "company": company,
            "customer_key": [str(k) for k in key], "sales_rep": rep,
            "contact_type": notes["contact_type"].tolist(), "subject": texts["subject"].tolist(),
            "body": texts["body"].tolist(), "author": notes["author"].tolist(),
            "invoice": [int(docs[0]) if docs else 0 for docs in invoices],
            "written": _values(notes["written"], "D"),
            "written_at": _values(notes["written"], "s"),
            "invoices": [", ".join(docs) for docs in invoices],
            "contact_person": notes["contact_person"].fillna("").str.strip().tolist(),
            "promise_amount": _amounts(notes["promise_cents"]), "promise_date": _values(notes["promise_date"], "D"),
            "dispute_amount": _amounts(notes["dispute_cents"]), "follow_up": _values(notes["follow_up"], "D"),
        }
        return [dict(zip(columns, values)) for values in zip(*columns.values())]

    def _batches(self, rows: list[dict]):
        """Runs of at most `batch_rows` rows and BATCH_BYTES of text."""
        batch, size = [], 0
        for row in rows:
            length = len(row["body"].encode("utf-8")) + len(row["subject"].encode("utf-8"))
            if batch and (len(batch) == self.batch_rows or size + length > BATCH_BYTES):
                yield batch
                batch, size = [], 0
            batch.append(row)
            size += length
        if batch:
            yield batch

    def number(self, lane: "_Lane", batch: list[dict], when: dt.datetime) -> None:
        """Give each row the next call number of its company: above the ERP's highest (read once, and again
        after a collision) and above every number this push has taken."""
        with self.lock:
            for company in sorted({row["company"] for row in batch}):
                if company not in self.highest or company in self.stale:
                    read = max(lane.scalar("note_last_call", company), lane.scalar("note_last_key", company))
                    self.highest[company] = max(read, self.highest.get(company, 0))
                    self.stale.discard(company)
            for row in batch:
                self.highest[row["company"]] += 1
                row["sequence"], row["pushed"] = self.highest[row["company"]], when

    def pushed(self, keys: list[str], times: list, erp_keys: list[str], *, found: bool) -> None:
        """The ERP has these notes: record them in the outbox and in this push's tally."""
        self.box.mark_pushed(keys, times, erp_keys)
        with self.lock:
            for key, when, erp_key in zip(keys, times, erp_keys):
                self.settled[key] = ("Pushed", "", when, erp_key)
            self.found += len(keys) if found else 0
            self.sent += 0 if found else len(keys)

    def refuse(self, keys: list[str], reasons: list[str]) -> None:
        """These notes cannot go as they are: Invalid, with what to fix."""
        self.box.mark_invalid(keys, reasons)
        with self.lock:
            for key, reason in zip(keys, reasons):
                self.settled[key] = ("Invalid", reason, None, "")

    def status(self, keys: list[str], unsettled: str) -> pd.DataFrame:
        """NOTE_STATUS of `keys` as this push left them; a note it did not settle is Queued with `unsettled`."""
        waiting = ("Queued", unsettled, None, "")
        states, reasons, times, erp_keys = zip(*(self.settled.get(key, waiting) for key in keys)) if keys \
            else ((), (), (), ())
        return pd.DataFrame({"note_id": pd.array(keys, dtype="string"), "state": pd.array(states, dtype="string"),
                             "reason": pd.array(reasons, dtype="string"),
                             "pushed": pd.to_datetime(pd.Series(times, dtype=object)).astype("datetime64[s]"),
                             "erp_key": pd.array(erp_keys, dtype="string")})


class _Senders:
    """The threads that write batches, one connection each, fed through a short queue (so that preparing does
    not run far ahead of sending); with one connection the calling thread sends. After a failure no batch
    starts, and leaving the block raises the first failure."""

    def __init__(self, push: _Push):
        self.push, self.failed, self.threads = push, [], []
        self.queue: queue.Queue = queue.Queue(maxsize=2 * push.connections)

    def __enter__(self):
        if self.push.connections > 1:
            for _ in range(self.push.connections):
                lane = _Lane(self.push, self.push.opened.enter_context(connect(self.push.erp)))
                self.threads.append(threading.Thread(target=self._run, args=(lane,), daemon=True))
            for thread in self.threads:
                thread.start()
        return self

    def __call__(self, batch: list[dict]) -> None:
        if self.failed:
            raise self.failed[0]
        if self.threads:
            self.queue.put(batch)
        else:
            self.push.main.send(batch)

    def _run(self, lane: "_Lane") -> None:
        while (batch := self.queue.get()) is not None:
            if not self.failed:
                try:
                    lane.send(batch)
                except BaseException as exc:
                    self.failed.append(exc)

    def __exit__(self, kind, *exc):
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        if kind is None and self.failed:
            raise self.failed[0]


class _Lane:
    """One connection of a push, with a cursor kept per statement it runs."""

    def __init__(self, push: _Push, conn: pyodbc.Connection):
        self.push, self.conn = push, conn
        self.cursors: dict = {}  # query -> the cursor kept for it

    def cursor(self, query: str) -> pyodbc.Cursor:
        """The cursor kept for one of the profile's statements: psqlODBC prepares a statement once per cursor,
        and preparing the INSERT again for every batch made the push three times slower (measured)."""
        if query not in self.cursors:
            self.cursors[query] = self.conn.cursor()
        return self.cursors[query]

    def execute(self, query: str, params: list) -> pyodbc.Cursor:
        """Run one of the profile's statements that binds plain values."""
        return self.cursor(query).execute(render(self.push.profile.query(query), self.push.dialect), params)

    def scalar(self, query: str, company: str) -> int:
        value = self.execute(query, self.push.profile.parameters(query, {"company": company})).fetchone()[0]
        return int(value or 0)

    def record_present(self, keys: list[str]) -> set[str]:
        """Record as pushed the notes of `keys` the ERP already holds; returns their keys."""
        if not keys:
            return set()
        rows = writer.execute(self.cursor("note_keys"), self.push.profile, "note_keys", self.push.dialect,
                              [{"note_id": key} for key in keys], into="note_ids").fetchall()
        if rows:
            self.push.pushed([r[0] for r in rows], [_time(r[4]) for r in rows], [_erp_key(*r[1:4]) for r in rows],
                             found=True)
        return {r[0] for r in rows}

    def customers(self) -> pd.DataFrame:
        """The ERP's customers: company, key, customer_id, sales_rep; one company only."""
        profile = self.push.profile
        rows = self.execute("note_customers", profile.parameters("note_customers", {"company": self.push.erp.company}))
        frame = pd.DataFrame.from_records(rows.fetchall(), columns=["company", "key", "customer_id", "sales_rep"])
        companies = sorted(frame["company"].unique())
        if len(companies) > 1:
            raise ArdeskError(f"The ERP holds the companies {', '.join(companies)}: set [erp] company to the one the "
                              "notes are for.")
        self.push.company = companies[0] if companies else self.push.erp.company
        return frame.astype({"customer_id": "string"})

    def invoices(self, numbers: list[int]) -> list:
        """(company, invoice number, customer ID) of those of `numbers` that exist."""
        return writer.execute(self.cursor("note_invoices"), self.push.profile, "note_invoices", self.push.dialect,
                              [{"invoice": number} for number in numbers], into="invoices",
                              company=self.push.company).fetchall()

    def send(self, batch: list[dict]) -> None:
        """One batch in one transaction, retried after collisions, split when the ERP refuses its data."""
        for attempt in range(RETRIES + 1):
            if not batch:
                return
            try:
                self.push.number(self, batch, dt.datetime.now().replace(microsecond=0))
                for query in ("note_key_insert", "note_insert"):
                    writer.execute(self.cursor(query), self.push.profile, query, self.push.dialect, batch)
                self.conn.commit()
            except pyodbc.Error as exc:
                self._roll_back(exc)
                if collided(exc):
                    with self.push.lock:
                        self.push.stale.update(row["company"] for row in batch)
                    present = self.record_present([row["note_id"] for row in batch])
                    self.conn.rollback()
                    batch = [row for row in batch if row["note_id"] not in present]
                    time.sleep(random.uniform(0, min(0.5, 0.01 * (attempt + 1))))
                    continue
                if len(batch) == 1:
                    self.push.refuse([batch[0]["note_id"]], [str(translate(exc, self.push.erp))])
                    return
                half = len(batch) // 2
                self.send(batch[:half])
                self.send(batch[half:])
                return
            self.push.pushed([row["note_id"] for row in batch], [row["pushed"] for row in batch],
                             [_erp_key(row["company"], row["customer_key"], row["sequence"]) for row in batch],
                             found=False)
            return
        raise ArdeskError(f"Other pushers kept writing the same notes or call numbers {RETRIES} times in a row: push "
                          "again in a moment.")

    def _roll_back(self, exc: pyodbc.Error) -> None:
        """Roll the failed batch back; if the connection is gone, stop the push with the driver's reason."""
        try:
            self.conn.rollback()
            self.conn.execute("SELECT 1").fetchall()
            self.conn.rollback()
        except pyodbc.Error:
            raise translate(exc, self.push.erp) from None


_TOO_LONG = (f"The note is longer than {writer.MAX_TEXT:,} characters, more than ardesk writes to the ERP as one "
             "call: split it into two notes.")


def _too_long(notes: pd.DataFrame) -> pd.Series:
    """Notes whose text ardesk would have to cut: refused, never cut."""
    return notes["text"].astype("string").fillna("").str.len() > writer.MAX_TEXT


def _values(column: pd.Series, unit: str) -> list:
    """A datetime64 column as the ISO text the writer binds, of times (unit "s": "2026-11-24 14:03:00") or days
    ("D"), None where missing. NumPy converts the whole column at once: 40 times faster than a Timestamp per
    value, and the writer then has no value to convert one by one (measured)."""
    values = column.to_numpy(dtype=f"datetime64[{unit}]")
    if not len(values):
        return []
    text = np.char.replace(np.datetime_as_string(values, unit=unit), "T", " ")
    return np.where(np.isnat(values), None, text).tolist()


def _time(value) -> dt.datetime:
    """A time the ERP returned: a datetime from most drivers, text from some."""
    return value if isinstance(value, dt.datetime) else pd.Timestamp(value).to_pydatetime()


def _amounts(cents: pd.Series) -> list:
    """Cents to bind as exact decimal text ("1234.50"), None where missing."""
    return [None if c is pd.NA else decimal_text(c) for c in cents.astype("Int64").tolist()]


def _erp_key(company: str, customer_key, sequence) -> str:
    """The ERP's key of a note's row, as the workbook shows it: company/customer key/call number."""
    return f"{company}/{customer_key}/{int(sequence)}"
