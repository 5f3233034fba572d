"""`ardesk erp migrate` on real databases through real ODBC drivers: an ERP that an earlier ardesk set up ends at
today's layout with its rows, a second run applies nothing, a dry run changes nothing, and the commands that
write ardesk's tables refuse an ERP that needs migrating.

"The earlier layout" is the demo ERP with ardesk_note as ardesk created it before it kept each note's details
(sql/demo/schema.sql before commit 322feeb), written out here by hand, and no ardesk_schema.
"""
import datetime as dt
from decimal import Decimal

import pandas as pd
import pyodbc
import pytest

from ardesk.cli import main
from ardesk.demo import ledger
from ardesk.demo.schema import schema
from ardesk.erp import demo, fetch, migrations, outbox, staging, writeback
from ardesk.erp.dialect import dialect_of_dbms, render
from ardesk.erp.odbc import connect
from ardesk.errors import ArdeskError
from ardesk.settings import ErpSettings

AS_OF = dt.date(2026, 11, 24)
FRAMES = ledger.generate(5, 7, AS_OF)
CUSTOMER = str(FRAMES["Erp.Customer"]["CustID"].iloc[0])
COMPANY = str(FRAMES["Erp.Customer"]["Company"].iloc[0])

EARLIER_NOTE = """CREATE TABLE ardesk.ardesk_note (
  NoteID CHAR(36) NOT NULL, Company VARCHAR(8) NOT NULL, Key1 VARCHAR(50) NOT NULL, CallSeqNum INT NOT NULL,
  Pushed DATETIME NOT NULL, PRIMARY KEY (NoteID), UNIQUE (Company, CallSeqNum))"""
EARLIER_ROWS = [("0b5e7c1e-0000-4000-8000-000000000001", 9001), ("0b5e7c1e-0000-4000-8000-000000000002", 9002)]
ADDED = ("Written", "Invoices", "ContactPerson", "PromiseAmt", "PromiseDate", "DisputeAmt", "FollowUp")

LATEST = 5
"""The last step under sql/migrations/: the layout of today's ardesk."""
REFUSED = (f"`ardesk {{}}` needs ardesk's tables in the ERP at version {LATEST}, and they are at version 0: run "
           "`ardesk erp migrate` (with the same --connect) first.")

FIRST_ADDED_COLUMN = {  # step 2's first statement as each database is sent it
    "sqlite": "ALTER TABLE ardesk_note ADD COLUMN Written DATETIME NULL;",
    "postgres": "ALTER TABLE ardesk.ardesk_note ADD COLUMN Written TIMESTAMP NULL;",
    "mariadb": "ALTER TABLE ardesk_note ADD COLUMN Written DATETIME NULL;",
}


def run(sql: str, erp: ErpSettings, *params) -> list:
    """Rows of one canonical statement (nothing for DDL), committed."""
    with connect(erp) as conn:
        cursor = conn.cursor().execute(render(sql, dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))), *params)
        rows = [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        conn.commit()
        return rows


def columns(erp: ErpSettings, table: str) -> list[str]:
    with connect(erp) as conn:
        dialect = dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
        cursor = conn.cursor().execute(render(f"SELECT * FROM {table} WHERE 1 = 0", dialect))
        return [column[0].lower() for column in cursor.description]


def has_table(erp: ErpSettings, table: str) -> bool:
    try:
        run(f"SELECT 1 FROM {table} WHERE 1 = 0", erp)
        return True
    except ArdeskError:
        return False


@pytest.fixture
def earlier(any_erp):
    """(kind, ErpSettings) of a demo ERP at the earlier layout, holding two notes pushed then."""
    kind, connect_string = any_erp
    erp = ErpSettings(connect=connect_string)
    demo.load(erp, FRAMES)
    for statement in ("DROP TABLE ardesk.ardesk_schema", "DROP TABLE ardesk.ardesk_note", EARLIER_NOTE):
        run(statement, erp)
    for note_id, call in EARLIER_ROWS:
        run("INSERT INTO ardesk.ardesk_note (NoteID, Company, Key1, CallSeqNum, Pushed) VALUES (?, ?, ?, ?, ?)", erp,
            note_id, COMPANY, "1", call, dt.datetime(2026, 3, 2, 9, 30))
    return kind, erp


def migrate(erp: ErpSettings, capsys, *options: str) -> str:
    assert main(["erp", "migrate", "--connect", erp.connect, *options]) == 0
    return capsys.readouterr().out


def test_migrate_brings_the_earlier_layout_to_todays_and_keeps_its_rows(earlier, capsys):
    kind, erp = earlier
    printed = migrate(erp, capsys)
    assert printed.splitlines()[-1] == f"ardesk's tables in the ERP went from version 0 to {LATEST}."
    assert FIRST_ADDED_COLUMN[kind] in printed.splitlines()
    assert columns(erp, "ardesk.ardesk_note") == [c.lower() for c in schema()["ardesk.ardesk_note"]]
    rows = run("SELECT NoteID, CallSeqNum, Invoices, ContactPerson, PromiseAmt, FollowUp FROM ardesk.ardesk_note "
               "ORDER BY CallSeqNum", erp)
    assert [(key.strip(), call, invoices, person, promise, follow_up)
            for key, call, invoices, person, promise, follow_up in rows] == \
        [(key, call, "", "", None, None) for key, call in EARLIER_ROWS]
    assert run("SELECT Version, Name, AppliedBy FROM ardesk.ardesk_schema ORDER BY Version", erp) == \
        [(1, "ardesk_tables", migrations.BY), (2, "note_details", migrations.BY), (3, "closes", migrations.BY),
         (4, "bureau", migrations.BY), (5, "credit_limits", migrations.BY)]
    assert columns(erp, "ardesk.ardesk_close_doc") == [c.lower() for c in schema()["ardesk.ardesk_close_doc"]]


def test_a_second_migrate_applies_nothing(earlier, capsys):
    _, erp = earlier
    migrate(erp, capsys)
    recorded = run("SELECT Version, Applied FROM ardesk.ardesk_schema ORDER BY Version", erp)
    assert migrate(erp, capsys) == \
        f"ardesk's tables in the ERP are at version {LATEST}, the latest: nothing to apply.\n"
    assert run("SELECT Version, Applied FROM ardesk.ardesk_schema ORDER BY Version", erp) == recorded


def test_a_dry_run_prints_the_sql_for_this_database_and_changes_nothing(earlier, capsys):
    kind, erp = earlier
    before = columns(erp, "ardesk.ardesk_note")
    printed = migrate(erp, capsys, "--dry-run").splitlines()
    assert printed[-1] == (f"The ERP is at version 0: these steps would bring it to {LATEST} (dry run: nothing "
                           "was written).")
    assert FIRST_ADDED_COLUMN[kind] in printed
    # the earlier layout's tables are adopted: of step 1 only the table that records the steps is created
    assert [line.split(" (")[0] for line in printed if line.startswith("CREATE TABLE")] == \
        ["CREATE TABLE " + ("ardesk.ardesk_schema" if kind == "postgres" else "ardesk_schema")]
    assert sum(line.startswith("ALTER TABLE") for line in printed) == len(ADDED)
    assert columns(erp, "ardesk.ardesk_note") == before
    assert not has_table(erp, "ardesk.ardesk_schema")


def test_a_step_cut_short_is_finished_by_the_next_run(earlier, capsys):
    """As MariaDB leaves a step whose DDL committed before the step failed: some columns there, nothing recorded."""
    _, erp = earlier
    run("ALTER TABLE ardesk.ardesk_note ADD COLUMN Written DATETIME NULL", erp)
    run("ALTER TABLE ardesk.ardesk_note ADD COLUMN Invoices VARCHAR(400) NOT NULL DEFAULT ''", erp)
    printed = migrate(erp, capsys)
    assert "Written" not in printed and "Invoices" not in printed
    assert columns(erp, "ardesk.ardesk_note") == [c.lower() for c in schema()["ardesk.ardesk_note"]]


def test_a_push_to_an_erp_that_needs_migrating_is_refused_and_writes_nothing(earlier, tmp_path, capsys):
    _, erp = earlier
    calls = run("SELECT COUNT(*) FROM Erp.CRMCall", erp)
    with outbox.open(tmp_path / "outbox.sqlite") as box:
        box.capture(pd.DataFrame({"customer_id": [CUSTOMER], "doc_no": [""], "written": [pd.Timestamp(2026, 11, 23)],
                                  "contact_type": ["Call"], "contact_person": ["Maria"], "outcome": ["Reached"],
                                  "promise_date": [pd.Timestamp(2026, 12, 1)],
                                  "promise_cents": [125050], "text": ["Will pay on the 1st"],
                                  "author": ["DKOWALSKI"], "source": ["Command"]}), outbox.Target.of(erp))
        refused = writeback.push(erp, box, today=AS_OF)
        assert (refused.sent, refused.queued, refused.error) == (0, 1, REFUSED.format("notes push"))
        assert run("SELECT COUNT(*) FROM Erp.CRMCall", erp) == calls
        assert len(run("SELECT NoteID FROM ardesk.ardesk_note", erp)) == len(EARLIER_ROWS)

        migrate(erp, capsys)
        pushed = writeback.push(erp, box, today=AS_OF)
        assert pushed.sent == 1, pushed.notes["reason"].tolist()
    [(person, amount, promised)] = run("SELECT ContactPerson, PromiseAmt, PromiseDate FROM ardesk.ardesk_note "
                                       "WHERE ContactPerson <> ''", erp)
    assert (person, Decimal(str(amount)), promised) == ("Maria", Decimal("1250.50"), dt.date(2026, 12, 1))


def test_reconcile_apply_to_an_erp_that_needs_migrating_is_refused_and_stages_nothing(earlier):
    _, erp = earlier
    with pytest.raises(ArdeskError) as refused:
        staging.stage(erp, pd.DataFrame({"application_id": ["a" * 32], "approver": ["DKOWALSKI"]}),
                      dt.datetime(2026, 11, 24))
    assert str(refused.value) == REFUSED.format("reconcile apply")
    assert run("SELECT COUNT(*) FROM ardesk.ardesk_application", erp) == [(0,)]


def test_an_empty_database_gets_ardesk_tables_as_the_demo_schema_declares_them(any_erp, capsys):
    _, connect_string = any_erp
    erp = ErpSettings(connect=connect_string)
    migrate(erp, capsys)
    for table, declared in schema().items():
        if table.startswith("ardesk."):
            assert columns(erp, table) == [c.lower() for c in declared], table


def test_the_demo_erp_is_built_at_the_latest_version_and_counts_as_not_built_below_it(sqlite_erp, capsys):
    erp = ErpSettings(connect=sqlite_erp)
    demo.load(erp, FRAMES)
    assert migrate(erp, capsys).endswith("nothing to apply.\n")
    assert demo.exists(sqlite_erp)
    run(f"DELETE FROM ardesk.ardesk_schema WHERE Version = {LATEST}", erp)
    assert not demo.exists(sqlite_erp)


def test_a_read_of_an_erp_that_needs_migrating_says_so(earlier):
    """The notes query reads the columns later steps add: an older ERP gets the sentence, not the driver's error."""
    _, erp = earlier
    with pytest.raises(ArdeskError, match=rf"reads ardesk's tables in the ERP at version {LATEST}, and they are at "
                                          r"version 0: run `ardesk erp migrate`"):
        fetch.receivables(erp, AS_OF, AS_OF - dt.timedelta(days=400))
