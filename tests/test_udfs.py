"""The worksheet functions as plain Python calls (on Linux xlwings' decorators do nothing), answering from the
data a real build and refresh of a workbook kept beside it; and their VBA side in the built add-in."""
import datetime as dt
import inspect
import json
import re
import subprocess
import sys

import openpyxl
import pytest

from addin_checks import macros
from ardesk import pipeline, snapshot
from ardesk import worksheet_functions as functions
from ardesk.addin import build
from ardesk.book import read_config
from ardesk.book.file_handle import WorkbookFile
from ardesk.addin.install import UDF_MODULE
from ardesk.addin.udf_wrappers import MODULE, vba_module
from ardesk.excel import udfs as registered
from ardesk.jobs import workbook as workbook_jobs
from ardesk.settings import Settings

AS_OF = dt.date(2026, 11, 24)
ITEMS = (
    "customer_id,customer_name,doc_no,doc_type,doc_date,due_date,currency,amount,balance\n"
    "C1,Acme,1001,INV,2026-09-01,2026-10-01,USD,1000.00,1000.00\n"  # 54 days: 31-60
    "C1,Acme,1002,INV,2026-10-20,2026-11-19,USD,250.10,200.05\n"  # 5 days: 1-30
    "C1,Acme,CM-7,CM,2026-11-01,2026-11-01,USD,-50.00,-50.00\n"  # 23 days: 1-30
    "C2,Bolt,1003,INV,2026-11-20,2026-12-20,USD,99.99,99.99\n"  # current
    "00042,Numbers Ltd,1004,INV,2026-01-01,2026-01-31,USD,0.01,0.01\n"  # 297 days: Over 120
)


@pytest.fixture
def workbook(tmp_path):
    source = tmp_path / "items.csv"
    source.write_text(ITEMS, encoding="utf-8")
    path = pipeline.build(tmp_path / "aging.xlsx", Settings(source=str(source)), AS_OF).path
    functions.use(path)
    return path


def test_balances_and_aging_come_from_the_last_refresh(workbook):
    assert functions.AR_BALANCE("C1") == 1150.05
    assert functions.AR_BALANCE("C1", "1-30") == 150.05 and functions.AR_BALANCE("C1", "31-60") == 1000.0
    assert functions.AR_BALANCE("C2", "Current") == 99.99
    assert functions.AR_BALANCE(42.0) == "#N/A: unknown customer 42 (not in the last refresh of this workbook)"
    assert functions.AR_BALANCE("00042", "Over 120") == 0.01
    assert snapshot.load(workbook).customers == ("00042", "C1", "C2")
    assert functions.AR_BALANCE("C1", "1-31").startswith("#N/A: no bucket '1-31': use one of Current, 1-30")
    assert functions.AR_BALANCE("C1", "61-90", dt.datetime(2026, 12, 10)) == 1000.0  # 70 days past due by then
    assert functions.AR_AGING([["C1"], [None], ["C2"]]) == [
        ["Customer ID", "Customer Name", "Current", "1-30", "31-60", "61-90", "91-120", "Over 120", "Total"],
        ["C1", "Acme", 0.0, 150.05, 1000.0, 0.0, 0.0, 0.0, 1150.05],
        ["C2", "Bolt", 99.99, 0.0, 0.0, 0.0, 0.0, 0.0, 99.99],
    ]
    assert functions.AR_AGING("C1", None, "5,60")[0][2:] == ["Current", "1-5", "6-60", "Over 60", "Total"]
    assert functions.AR_AGING("C9").startswith("#N/A: unknown customer C9")


def test_dates_buckets_and_dso_without_data():
    assert functions.AR_DPD(dt.datetime(2026, 10, 1), "2026-11-24") == 54
    assert functions.AR_DPD(46297.0, dt.date(2026, 10, 1)) == -1  # serial 46297 is 2026-10-02
    assert functions.AR_DPD("1/10/2026", AS_OF).startswith("#N/A: '1/10/2026' is not a date")
    assert [functions.AR_BUCKET(d) for d in (-3, 0, 1, 30, 31, 121)] == [
        "Current", "Current", "1-30", "1-30", "31-60", "Over 120"]
    assert functions.AR_BUCKET(12, [[5], [10], [15]]) == "11-15" and functions.AR_BUCKET(16, 15.0) == "Over 15"
    assert functions.AR_DSO(100_000, 300_000, 90) == 30.0
    assert functions.AR_DSO(100_000, 0, 90).startswith("#N/A: ")


def test_notes_and_promises_follow_a_refresh(workbook, tmp_path):
    assert functions.AR_LASTNOTE("C1") == "" and functions.AR_PROMISE("C1") == ""
    book = openpyxl.load_workbook(workbook)
    headers = [c.value for c in book["Notes"][1]]
    typed = {"Customer ID": "C1", "Contact Type": "Call", "Outcome": "Promised", "Promise Amount": 500.25,
             "Promise Date": dt.datetime(2026, 12, 1), "Text": "Will pay half on the 1st", "Author": "ana",
             "Written": dt.datetime(2026, 11, 24, 10)}
    book["Notes"].append([typed.get(h) for h in headers])
    book.save(workbook)
    workbook_jobs.refresh(WorkbookFile(workbook), Settings().with_saved(read_config(workbook)), AS_OF)
    assert functions.AR_LASTNOTE("C1") == "Will pay half on the 1st"
    assert functions.AR_PROMISE("C1") == [[500.25, dt.datetime(2026, 12, 1)]]
    assert functions.AR_LASTNOTE("C2") == "" and functions.AR_PROMISE("nobody").startswith("#N/A: unknown customer")


def test_the_snapshot_folder_keeps_only_the_workbooks_beside_it(workbook, tmp_path):
    """A workbook written under a new name each day leaves no trail: the snapshots of those gone are removed."""
    source = tmp_path / "items.csv"
    for day in range(3):
        path = pipeline.build(tmp_path / f"aging-{day}.xlsx", Settings(source=str(source)), AS_OF).path
        if day < 2:
            path.unlink()
    assert sorted(p.name for p in (tmp_path / ".ardesk").iterdir()) == [
        "aging-2.xlsx.items.arrow", "aging-2.xlsx.notes.arrow", "aging.xlsx.items.arrow", "aging.xlsx.notes.arrow"]


def test_a_workbook_without_saved_data_says_to_refresh(workbook):
    for path in snapshot.paths(workbook):
        path.unlink()
    assert functions.AR_BALANCE("C1") == ("#N/A: aging.xlsx has no saved data beside it: refresh it once with "
                                     "AR Desk > Refresh or ardesk refresh.")


def test_every_function_has_its_vba_wrapper_in_the_built_addin(tmp_path):
    name, source = vba_module(functions.FUNCTIONS, UDF_MODULE)
    extracted = macros("ardesk.xlam", build(tmp_path / "ardesk.xlam").read_bytes())
    assert extracted[f"{MODULE}.bas"] == source
    for function in functions.FUNCTIONS:
        parameters = inspect.signature(function).parameters.values()
        shown = ", ".join(("Optional " if p.default is not p.empty else "") + p.name for p in parameters
                          if p.name != "caller")
        assert f"Function {function.__name__}({shown})\r\n" in source
        call = re.search(rf'{function.__name__} = XLPy\.CallUDF\("ardesk\.excel\.udfs", "{function.__name__}", '
                         r"Array\(([^)]*)\), ActiveWorkbook, Application\.Caller\)", source)
        assert call.group(1).split(", ") == ["Nothing" if p.name == "caller" else p.name for p in parameters]


def test_the_module_xlwings_calls_holds_every_function_by_its_name():
    assert UDF_MODULE == registered.__name__
    assert [getattr(registered, f.__name__) for f in functions.FUNCTIONS] == list(functions.FUNCTIONS)


def test_building_the_addin_does_not_import_xlwings(tmp_path):
    """Only the Excel front door (ardesk.excel) loads xlwings: the add-in build reads the worksheet functions'
    names and parameters from ardesk.worksheet_functions."""
    script = ("import json, sys; from ardesk.addin import build; build(sys.argv[1]); "
              "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('xlwings', 'ardesk'))))")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "ardesk.xlam")], capture_output=True,
                          text=True, check=True)
    loaded = json.loads(done.stdout)
    assert "ardesk.worksheet_functions" in loaded and "ardesk.addin.install" in loaded
    assert [m for m in loaded if m.startswith("xlwings") or m.startswith("ardesk.excel")] == []
    assert (tmp_path / "ardesk.xlam").stat().st_size > 0
