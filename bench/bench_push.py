"""Push benchmark: 100,000 notes from the outbox to PostgreSQL and to MariaDB through ODBC, then the same notes again.

Issue 14 asks for at least 50,000 notes/s for the push to each and at least as fast for the re-push (every note
already in the ERP: only the key lookups). Each run pushes into a fresh demo ERP (1,500 customers): a copy of a
template database on PostgreSQL, loaded afresh on MariaDB; the notes are captured into a fresh outbox first
(timed on its own). Beside each median stands the old write style's (multi-row INSERT ... VALUES of 23 bound
values per note), measured with this script on the code of commit 5f70846.

Then the server alone: the statements the first push sent, recorded as sent, replayed ready-made into a fresh
demo ERP by as many connections, and the CPU time the database server's processes used for them (read from
/proc, so Linux only). The database server and ardesk share this machine's cores: the figure says how much of a
core the server needs per note before ardesk prepares a single one.

    .venv/bin/python bench/bench_push.py --runs 5 --notes 100000
"""
import argparse
import datetime as dt
import os
import statistics
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyodbc

from ardesk.demo import ledger
from ardesk.erp import demo, odbc, outbox, writeback, writer
from ardesk.erp.dialect import render
from ardesk.settings import ErpSettings

AS_OF = dt.date(2026, 11, 24)
SERVER_PROCESSES = ("postgres", "mariadbd", "mysqld")
TEMPLATE = "ardesk_bench_push_template"
TARGET = 50_000


@dataclass(frozen=True)
class Server:
    admin: str
    database: str  # connection string with %s for the database name
    dialect: str
    old: tuple[float, float] | None  # the old write style's (push, re-push) notes/s, 100,000 notes; None: not measured

    def fresh(self, admin: pyodbc.Connection, name: str, frames: dict) -> ErpSettings:
        """A new demo ERP called `name`: a copy of the template where the server has templates."""
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        if self.dialect == "postgres":
            admin.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        else:
            admin.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
            demo.load(ErpSettings(connect=self.database % name), frames)
        return ErpSettings(connect=self.database % name)


SERVERS = {
    "PostgreSQL": Server("DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;Database=postgres;Uid=postgres",
                         "DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;Database=%s;Uid=postgres",
                         "postgres", (19_564, 57_227)),  # bench_push at 5f70846, median of 3, quiet machine
    "MariaDB": Server("DRIVER={MariaDB Unicode};Server=127.0.0.1;Port=3306;Uid=root",
                      "DRIVER={MariaDB Unicode};Server=127.0.0.1;Port=3306;Database=%s;Uid=root", "mysql", None),
}


def template(frames: dict, rebuild: bool) -> None:
    """The PostgreSQL demo ERP template database, built once."""
    admin = pyodbc.connect(SERVERS["PostgreSQL"].admin, autocommit=True)
    present = admin.execute("SELECT 1 FROM pg_database WHERE datname = ?", TEMPLATE).fetchone() is not None
    if present and (rebuild or not demo.exists(SERVERS["PostgreSQL"].database % TEMPLATE)):  # an older ardesk's
        admin.execute(f"DROP DATABASE {TEMPLATE}")
        present = False
    if not present:
        admin.execute(f"CREATE DATABASE {TEMPLATE}")
        demo.load(ErpSettings(connect=SERVERS["PostgreSQL"].database % TEMPLATE), frames)
        print(f"  built the demo ERP template {TEMPLATE}")
    admin.close()


def notes(frames: dict, count: int, seed: int = 1) -> pd.DataFrame:
    """`count` notes as collectors write them: every customer, a third about an open invoice, some promises and
    disputes, texts of 40 to 400 characters."""
    rng = np.random.default_rng(seed)
    customers = frames["Erp.Customer"][["CustNum", "CustID"]].astype({"CustID": str})
    invoices = frames["Erp.InvcHead"]
    invoices = invoices[invoices["OpenInvoice"] & invoices["Posted"]][["CustNum", "InvoiceNum"]]
    pick = invoices.sample(count, replace=True, random_state=seed).merge(customers, on="CustNum")
    about_invoice = rng.random(count) < 0.35
    outcome = rng.choice(["Reached", "Left message", "Promised", "Disputed", ""], count, p=[.3, .3, .2, .05, .15])
    promised = outcome == "Promised"
    disputed = outcome == "Disputed"
    words = np.array("the customer said payment is scheduled for next week after approval of the invoice by "
                     "their controller who was out of office".split())
    lengths = rng.integers(8, 70, count)
    text = [" ".join(words[rng.integers(0, len(words), n)]) for n in lengths]
    written = pd.Timestamp(AS_OF) - pd.to_timedelta(rng.integers(0, 30 * 86400, count), unit="s")
    return pd.DataFrame({
        "customer_id": pick["CustID"].to_numpy(),
        "doc_no": np.where(about_invoice, pick["InvoiceNum"].astype(str).to_numpy(), ""),
        "written": written.floor("s"),
        "contact_type": rng.choice(["Call", "Email", "Portal", "Letter", "Meeting"], count),
        "contact_person": rng.choice(["Maria", "John", "Aisha", ""], count),
        "outcome": outcome,
        "promise_cents": pd.Series(rng.integers(10_000, 5_000_000, count), dtype="Int64").where(promised),
        "promise_date": pd.Series(written + pd.Timedelta(days=14)).where(promised),
        "dispute_reason": np.where(disputed, rng.choice(["Pricing", "Shortage", "Damage"], count), ""),
        "dispute_cents": pd.Series(rng.integers(1_000, 100_000, count), dtype="Int64").where(disputed),
        "follow_up": pd.Series(written + pd.Timedelta(days=30)),
        "text": text,
        "author": rng.choice(["DKOWALSKI", "MREYES", "PNAIR"], count),
    })


@contextmanager
def recording(batches: list):
    """Record into `batches` each batch the push writes: its (SQL, parameters) of the key insert and of the
    note insert, as sent."""
    execute, lock, keys = writer.execute, threading.Lock(), {}

    def record(cursor, profile, query, dialect, rows, **kwargs):
        if query in ("note_key_insert", "note_insert"):
            sent = (render(profile.query(query), dialect),
                    profile.parameters(query, {"rows": writer.document(profile.query(query), rows)}))
            with lock:
                if query == "note_key_insert":
                    keys[threading.get_ident()] = sent
                else:
                    batches.append((keys.pop(threading.get_ident()), sent))
        return execute(cursor, profile, query, dialect, rows, **kwargs)

    writer.execute = record
    try:
        yield batches
    finally:
        writer.execute = execute


def server_seconds() -> float:
    """CPU seconds the database servers' processes have used so far."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as comm:
                if not comm.read().startswith(SERVER_PROCESSES):
                    continue
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


def server_alone(server: Server, frames: dict, typed: pd.DataFrame, run: int, folder: Path,
                 connections: int) -> tuple[float, float]:
    """(seconds, server CPU seconds) to write the batches of a push of `typed` into a fresh demo ERP over
    `connections` connections, each batch in its transaction, with nothing prepared while they go. The batches
    are recorded from a push into another fresh demo ERP first."""
    name = "ardesk_bench_push_alone"
    admin = pyodbc.connect(server.admin, autocommit=True)
    batches = []
    with outbox.open(folder / f"{server.dialect}-alone-{run}.sqlite") as box, recording(batches):
        erp = server.fresh(admin, name, frames)
        box.capture(typed, outbox.Target.of(erp))
        writeback.push(erp, box, today=AS_OF, connections=connections)
    assert len(batches) >= len(typed) / 500, "the push wrote fewer batches than its notes need"
    erp = server.fresh(admin, name, frames)
    waiting, lock = iter(batches), threading.Lock()

    def send(conn):
        cursors = conn.cursor(), conn.cursor()
        while True:
            with lock:
                batch = next(waiting, None)
            if batch is None:
                return
            for cursor, (sql, params) in zip(cursors, batch):
                cursor.execute(sql, params)
            conn.commit()

    try:
        with ExitStack() as opened:  # the connections stay open until their servers' CPU is read
            conns = [opened.enter_context(odbc.connect(erp)) for _ in range(connections)]
            threads = [threading.Thread(target=send, args=(conn,)) for conn in conns]
            used, start = server_seconds(), time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return time.perf_counter() - start, server_seconds() - used
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()


def one_run(server: Server, frames: dict, typed: pd.DataFrame, run: int, folder: Path,
            connections: int) -> tuple[float, float, float]:
    """(capture s, push s, re-push s) into a fresh demo ERP."""
    name = f"ardesk_bench_push_{run}"
    admin = pyodbc.connect(server.admin, autocommit=True)
    erp = server.fresh(admin, name, frames)
    try:
        with outbox.open(folder / f"{server.dialect}-first-{run}.sqlite") as box:  # an outbox per ERP
            start = time.perf_counter()
            keys = box.capture(typed, outbox.Target.of(erp))
            captured = time.perf_counter() - start
            start = time.perf_counter()
            result = writeback.push(erp, box, today=AS_OF, connections=connections)
            pushed = time.perf_counter() - start
            assert result.sent == len(typed) and not result.error, result
        with outbox.open(folder / f"{server.dialect}-again-{run}.sqlite") as box:
            box.capture(typed.assign(note_id=keys), outbox.Target.of(erp))
            start = time.perf_counter()
            result = writeback.push(erp, box, today=AS_OF, connections=connections)
            again = time.perf_counter() - start
            assert result.found == len(typed) and result.sent == 0, result
        conn = pyodbc.connect(erp.connect)
        rows = conn.execute(render("SELECT COUNT(*) FROM ardesk.ardesk_note", server.dialect)).fetchone()[0]
        conn.close()
        assert rows == len(typed), rows
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()
    return captured, pushed, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--notes", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=writeback.CONNECTIONS,
                        help="connections that write batches (default: writeback.CONNECTIONS)")
    parser.add_argument("--servers", nargs="+", default=list(SERVERS), choices=list(SERVERS))
    parser.add_argument("--rebuild", action="store_true", help="build the PostgreSQL template again")
    args = parser.parse_args()
    frames = ledger.generate(1500, 7, AS_OF)
    template(frames, args.rebuild)
    typed = notes(frames, args.notes)
    medians = {}
    with tempfile.TemporaryDirectory() as folder:
        for label in args.servers:
            times = []
            for run in range(args.runs):
                times.append(one_run(SERVERS[label], frames, typed, run, Path(folder), args.connections))
                captured, pushed, again = times[-1]
                print(f"  {label} run {run + 1}: capture {captured:.2f} s, push {args.notes / pushed:,.0f} notes/s, "
                      f"re-push {args.notes / again:,.0f} notes/s")
            for run in range(args.runs):
                times[run] += server_alone(SERVERS[label], frames, typed, run, Path(folder), args.connections)
                alone, cpu = times[run][3:]
                print(f"  {label} run {run + 1}: server alone {args.notes / alone:,.0f} notes/s, "
                      f"{cpu:.2f} s of its CPU")
            medians[label] = [statistics.median(column) for column in zip(*times)]
    print(f"{args.notes:,} notes, {args.connections} connection(s) writing, median of {args.runs} runs "
          f"(target {TARGET:,} notes/s; re-push at least the push), on {os.cpu_count()} cores:")
    for label, (captured, pushed, again, alone, cpu) in medians.items():
        old = SERVERS[label].old
        old_push, old_again = (f"{figure:,.0f}" for figure in old) if old else ("not measured",) * 2
        print(f"  {label:<10} push {args.notes / pushed:>7,.0f} notes/s (old style {old_push}), "
              f"re-push {args.notes / again:>7,.0f} notes/s (old style {old_again}); capture {captured:.2f} s")
        print(f"  {'':<10} the server alone, the push's statements sent ready-made: {args.notes / alone:>7,.0f} "
              f"notes/s, {cpu / args.notes * 1e6:.0f} us of server CPU a note")


if __name__ == "__main__":
    main()
