"""Escalation (issue 17, part 5): the placement rule worked by hand, the accounts placed, closed and written off
with their recoveries, and `ardesk escalate` on the demo ERP through the real drivers: one note however often it
is run, the account off the Worklist and on the Placed Accounts sheet of the refreshed workbook."""
import datetime as dt
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from ardesk import pipeline
from ardesk.ar import contacts, escalation
from ardesk.erp import demo, fetch
from ardesk.errors import ArdeskError
from ardesk.frames import PLAN_ROWS, WRITE_OFFS, empty
from ardesk.settings import DunningSettings, ErpSettings, EscalationSettings, Settings
from ooxml import validation_errors
from test_dunning import LEVELS, letter
from test_worklist import AS_OF, items, notes, payments

TODAY = dt.date.today()
RULE = EscalationSettings(days_past_due=120, final_demand_days=14)


def _placed(customer: str, written: str, agency: str = "Acme Recovery") -> pd.DataFrame:
    return notes((customer, "", written, "", pd.NA, None, None)).assign(
        contact_type="Placement", text=escalation.placement_text(agency, "agency", 900_00))


def _candidates(aged, logged, paid=None):
    held = pd.Series("", index=aged.index, dtype="string")
    return escalation.candidates(aged, held, logged, paid if paid is not None else payments(), empty(PLAN_ROWS),
                                 contacts.latest_by_customer(logged, AS_OF), AS_OF, RULE, LEVELS, 5)


def test_only_accounts_old_enough_with_a_final_demand_long_enough_ago_and_nothing_promised_are_listed():
    aged = items(("READY", "Ana", "1", 130, 500_00), ("READY", "Ana", "2", 20, 100_00),
                 ("YOUNG", "Ana", "3", 100, 900_00), ("FRESH", "Ana", "4", 130, 900_00),
                 ("PROM", "Ana", "5", 130, 900_00), ("GONE", "Ana", "6", 130, 900_00),
                 ("SECOND", "Ana", "7", 130, 900_00))
    logged = pd.concat([
        letter("READY", 3, "2026-11-10"),  # 14 days before 2026-11-24: just long enough
        notes(("READY", "", "2026-10-01", "Promised", 50_00, "2026-10-10", None)),  # broken
        letter("YOUNG", 3, "2026-10-01"), letter("FRESH", 3, "2026-11-11"),  # 13 days: not yet
        letter("PROM", 3, "2026-10-01"), notes(("PROM", "", "2026-11-20", "Promised", 900_00, "2026-12-01", None)),
        letter("GONE", 3, "2026-10-01"), _placed("GONE", "2026-11-01"),
        letter("SECOND", 2, "2026-10-01"),  # no final demand yet
    ], ignore_index=True)
    found = _candidates(aged, logged)
    assert found["customer_id"].tolist() == ["READY"]
    ready = found.iloc[0]
    assert (ready["past_due_cents"], ready["oldest_doc"], ready["oldest_days"]) == (600_00, "1", 130)
    assert (ready["final_demand"], ready["broken_promises"]) == (pd.Timestamp("2026-11-10"), 1)
    assert ready["last_contact"] == pd.Timestamp("2026-11-10")
    assert ready["why"] == "600.00 past due, oldest 130 days; Final demand sent 2026-11-10; 1 broken promise"


def test_placed_closed_and_written_off_accounts_show_what_came_back():
    aged = items(("OPEN", "Ana", "1", 200, 700_00))
    logged = pd.concat([_placed("OPEN", "2026-09-01"), _placed("PAID", "2026-08-01", "Lex & Co")],
                       ignore_index=True)
    logged.loc[1, "text"] = escalation.placement_text("Lex & Co", "attorney", 300_00)
    offs = pd.DataFrame([
        ("GONE", "Gone Ltd", "9", "2026-01-01", "2026-02-01", "2026-06-30", 400_00, "BD", "Bad debt", "EPIC06"),
        ("GONE", "Gone Ltd", "9", "2026-01-01", "2026-02-01", "2026-10-15", -150_00, "BD", "Bad debt", "EPIC06"),
    ], columns=list(WRITE_OFFS)).astype(WRITE_OFFS)
    paid = payments(("OPEN", "2026-08-15", 999_00), ("OPEN", "2026-10-01", 100_00), ("PAID", "2026-09-10", 300_00),
                    ("GONE", "2026-10-15", 150_00))
    table = escalation.placed_accounts(aged, logged, paid, offs).set_index("customer_id")
    assert table.loc["OPEN", ["status", "placed_with", "kind", "open_cents", "paid_since_cents"]].tolist() == [
        "Placed", "Acme Recovery", "collection agency", 700_00, 100_00]  # the August payment came before
    assert table.loc["PAID", ["status", "kind", "open_cents", "paid_since_cents"]].tolist() == [
        "Closed", "attorney", 0, 300_00]
    assert table.loc["GONE", ["status", "written_off_cents", "recovered_cents", "paid_since_cents"]].tolist() == [
        "Written off", 400_00, 150_00, 150_00]
    assert pd.isna(table.loc["GONE", "placed"])


def test_the_escalation_settings_are_days_and_a_wrong_one_is_one_sentence():
    assert Settings().escalation == RULE
    with pytest.raises(ArdeskError, match=r"^\[escalation\] days_past_due = -1 must be a whole number of days"):
        EscalationSettings(days_past_due=-1)


def _ardesk(*args, cwd):
    return subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True, cwd=cwd)


def _column(path, sheet: str, header: str, row: int = 1) -> list:
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(min_row=row, values_only=True))
    at = rows[0].index(header)
    return [r[at] for r in rows[1:]]


def test_escalate_logs_one_placement_and_the_account_leaves_the_worklist(any_erp, tmp_path, monkeypatch):
    _kind, connect = any_erp  # the placement is written now: the ERP and the refresh are of today
    erp = ErpSettings(connect=connect)
    demo.build(connect, customers=60, seed=7, as_of=TODAY)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings = Settings(erp=erp, dunning=DunningSettings(levels=LEVELS))
    path = pipeline.build(tmp_path / "aging.xlsx", settings, TODAY).path
    listed = [c for c in _column(path, "Worklist", "Customer ID", row=4) if str(c or "").startswith("C0")]
    chosen = listed[0]
    for _ in range(2):  # twice: one note
        done = _ardesk("escalate", chosen, "--agency", "Acme Recovery", "--connect", connect, "--as-of",
                       TODAY.isoformat(), cwd=tmp_path)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    logged = fetch.notes(erp, TODAY + dt.timedelta(days=1), dt.date(2000, 1, 1))
    placed = escalation.placements(logged)
    assert placed["customer_id"].tolist() == [chosen] and placed["placed_with"].tolist() == ["Acme Recovery"]
    assert logged["text"].str.startswith("Placed with Acme Recovery (collection agency): ").sum() == 1
    refreshed = pipeline.build(path, settings, TODAY + dt.timedelta(days=1)).path
    assert validation_errors(refreshed) == {}
    assert chosen not in _column(refreshed, "Worklist", "Customer ID", row=4)
    shown = dict(zip(_column(refreshed, "Placed Accounts", "Customer ID"),
                     zip(_column(refreshed, "Placed Accounts", "Placed With"),
                         _column(refreshed, "Placed Accounts", "Status"))))
    assert {c: said for c, said in shown.items() if said[0]} == {chosen: ("Acme Recovery", "Placed")}
    assert {status for _with, status in shown.values()} == {"Placed", "Written off"}  # the demo's write-offs too
    assert openpyxl.load_workbook(refreshed)["Escalation"]["J1"].value == "Why"
    nothing = _ardesk("escalate", "C999999", "--attorney", "Lex & Co", "--connect", connect, cwd=tmp_path)
    assert nothing.returncode == 1 and "C999999 has nothing open in the ERP" in nothing.stderr
