"""The Reconcile sheets in the aging workbook: proposals with an Approve dropdown (high confidence pre-approved),
evidence beside them, the credits left for review, and approvals kept by a refresh against a changed ledger."""
import datetime as dt

import openpyxl
import pytest

import lo
from ardesk.book.file_handle import WorkbookFile
from ardesk.jobs import reconcile
from ardesk.jobs import workbook as workbook_jobs
from ardesk.book import read_config
from ardesk.settings import Settings
from ooxml import validation_errors

AS_OF = dt.date(2026, 11, 24)
HEADER = "customer_id,customer_name,doc_no,doc_type,doc_date,due_date,currency,amount,balance,reference\n"
LEDGER = [
    "C1,Acme,1001,INV,2026-09-01,2026-10-01,USD,1000.00,1000.00,",
    "C1,Acme,1002,INV,2026-10-20,2026-11-19,USD,250.10,250.10,",
    "C1,Acme,P-1,PAY,2026-11-01,2026-11-01,USD,-1000.00,-1000.00,INV 1001",  # reference: high
    "C2,Bolt,2001,INV,2026-10-01,2026-10-31,EUR,300.00,300.00,",
    "C2,Bolt,2002,INV,2026-10-02,2026-11-01,EUR,120.00,120.00,",
    "C2,Bolt,2003,INV,2026-10-03,2026-11-02,EUR,180.00,180.00,",
    "C2,Bolt,CM-9,CM,2026-11-05,2026-11-05,EUR,-300.00,-300.00,",  # 2001 alone, or 2002 + 2003: medium
    "C3,Cole,3001,INV,2026-10-01,2026-10-31,USD,80.00,80.00,",
    "C3,Cole,3002,INV,2026-10-02,2026-11-01,USD,80.00,80.00,",
    "C3,Cole,P-3,PAY,2026-11-05,2026-11-05,USD,-80.00,-80.00,",  # two equal invoices: review
]


def write_ledger(path, rows):
    """The ledger as an export file, with base-currency balances (EUR at 1.10)."""
    def with_base(row):
        fields = row.split(",")
        base = round(float(fields[8]) * (1.1 if fields[6] == "EUR" else 1), 2)
        return f"{row},{base:.2f}"
    path.write_text(HEADER.replace("\n", ",base_balance\n") + "\n".join(map(with_base, rows)) + "\n",
                    encoding="utf-8")
    return path


def table(path, sheet):
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture
def workbook(tmp_path):
    source = write_ledger(tmp_path / "items.csv", LEDGER)
    settings = Settings(source=str(source))
    shown = reconcile.reconcile(WorkbookFile(tmp_path / "aging.xlsx"), settings, AS_OF)
    return tmp_path / "aging.xlsx", settings, shown.lines, shown.review


def test_proposals_with_approve_and_evidence_and_the_credits_to_review(workbook):
    path, _settings, lines, review = workbook
    rows = table(path, "Reconcile")
    assert [(r["Approve"], r["Credit"], r["Invoice"], r["Amount"], r["Rule"], r["Confidence"]) for r in rows] == [
        ("Yes", "P-1", "1001", 1000.0, "reference", "high"),
        (None, "CM-9", "2001", 300.0, "amount", "medium"),
    ]
    assert rows[0]["Evidence"].startswith('The reference "INV 1001" names 1001')
    assert rows[1]["Currency"] == "EUR" and "2002 + 2003" in rows[1]["Evidence"]
    assert list(review["credit_doc"]) == ["P-3"] and review["reason"].iloc[0] == "ambiguous"
    shown = openpyxl.load_workbook(path)["Credits to Review"]
    cells = [c for row in shown.iter_rows(values_only=True) for c in row if c is not None]
    assert "ambiguous (USD)" in cells and "P-3" in cells and "3001 | 3002" in cells
    assert read_config(path)["reconcile"] == "yes"
    assert validation_errors(path) == {}


def test_refresh_keeps_approvals_given_and_drops_those_no_longer_proposed(workbook, tmp_path):
    path, settings, _lines, _review = workbook
    book = openpyxl.load_workbook(path)
    sheet = book["Reconcile"]
    sheet["A2"] = "No"  # the accountant overrules the pre-approval
    sheet["A3"] = "Yes"  # and approves the medium one
    book.save(path)
    write_ledger(tmp_path / "items.csv", [row for row in LEDGER if not row.startswith("C1,")]
                 + ["C4,Dane,4001,INV,2026-10-01,2026-10-31,USD,55.55,55.55,",
                    "C4,Dane,P-4,PAY,2026-11-20,2026-11-20,USD,-55.55,-55.55,#4001"])
    workbook_jobs.refresh(WorkbookFile(path), Settings().with_saved(read_config(path)), AS_OF)
    rows = table(path, "Reconcile")
    assert [(r["Approve"], r["Credit"], r["Invoice"]) for r in rows] == [("Yes", "CM-9", "2001"),
                                                                        ("Yes", "P-4", "4001")]


def test_libreoffice_opens_the_reconcile_sheets(workbook, tmp_path):
    [saved] = lo.recalculate([workbook[0]], tmp_path / "lo")
    values = lo.computed_values(saved)
    assert values["Reconcile"][1][:5] == ("Yes", "Apply", "C1", "P-1", "PAY")
    assert any("P-3" in row for row in values["Credits to Review"])
