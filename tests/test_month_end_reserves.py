"""The close's reserves on the demo ERP (issue 15, part 4), on SQLite, PostgreSQL and MariaDB: write-offs read
from the ERP tie to the rollforward's Write-offs line and to the demo's own rows, the ledger's allowance is read,
the historical balances are the agings of their month-ends, the adjusting entry balances; the Month-End workbook
validates, LibreOffice computes ardesk's figures, and a specific reserve typed into it is kept by the next close."""
import csv
import datetime as dt
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

import lo
from ardesk.ar import aging, loss_rates, rollforward
from ardesk.book import allowance_sheet, bad_debt_sheet
from ardesk.book.file_handle import WorkbookFile
from ardesk.demo import ledger
from ardesk.erp import demo, fetch
from ardesk.jobs.close import close
from ardesk.settings import AgingSettings, CloseSettings, ErpSettings, Settings
from ooxml import validation_errors

TODAY = dt.date(2026, 11, 24)
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))


@pytest.fixture(scope="module")
def frames():
    return ledger.generate(300, 11, TODAY)


def _settings(connect: str) -> Settings:
    return Settings(erp=ErpSettings(connect=connect), close=CloseSettings(
        ar_accounts=(ledger.GL_ACCOUNT,), allowance_accounts=(ledger.ALLOWANCE_ACCOUNT,), bad_debt_account="6150"))


def _cents(column: pd.Series) -> pd.Series:
    return (column.astype(float) * 100).round().astype("int64")


def test_the_reserves_read_from_every_database_tie_to_the_demos_rows(any_erp, frames, tmp_path):
    kind, connect = any_erp
    demo.load(ErpSettings(connect=connect), frames)
    closed = close(WorkbookFile(tmp_path / "month-end.xlsx"), _settings(connect), TODAY, period=OCTOBER[0])
    reserves = closed.reserves
    journal = frames["Erp.GLJrnDtl"]
    held = journal[(journal["GLAccount"] == ledger.ALLOWANCE_ACCOUNT) & (journal["JEDate"] <= OCTOBER[1])]
    assert reserves.allowance.gl_cents == (_cents(held["CreditAmount"]) - _cents(held["DebitAmount"])).sum() > 0, kind
    detail = frames["Erp.CashDtl"]
    adjusted = detail[detail["TranType"] == "Adjust"]
    year = _cents(adjusted.loc[adjusted["TranDate"].between(dt.date(2026, 1, 1), OCTOBER[1]), "TranAmt"])
    bad = reserves.bad_debt
    assert bad.by_reason["year_cents"].sum() == year[year > 0].sum() > 0
    assert bad.recoveries["recovered_cents"].sum() == -year[year < 0].sum() > 0
    found = fetch.period(ErpSettings(connect=connect), *OCTOBER)
    rolled = rollforward.of_period(found.opening, found.closing, found.activity).total.iloc[0]
    back = bad.recoveries.loc[bad.recoveries["in_period"], "recovered_cents"].sum()
    assert rolled["write_offs_cents"] == back - bad.by_reason["period_cents"].sum() != 0
    assert rolled["unexplained_cents"] == 0
    with open(closed.journal, encoding="utf-8") as handle:
        lines = list(csv.DictReader(handle))
    assert [line["GLAccount"] for line in lines] == ["1290", "6150"]  # the demo's ledger holds more than needed
    debit, credit = (sum(round(float(line[side]) * 100) for line in lines) for side in ("DebitAmount", "CreditAmount"))
    assert debit == credit == -reserves.allowance.adjustment_cents > 0


def test_the_historical_balances_are_the_agings_of_their_month_ends(sqlite_erp, frames):
    erp = ErpSettings(connect=sqlite_erp)
    demo.load(erp, frames)
    june = dt.date(2026, 6, 30)
    read = fetch.losses(erp, dt.date(2026, 5, 31), OCTOBER[1])
    rates = loss_rates.loss_rates(read.history, read.applications, read.write_offs, [june], OCTOBER[1],
                                  AgingSettings()).set_index("bucket")
    items, total = fetch.open_items(erp, june)
    by_bucket = aging.age(items, june, AgingSettings()).groupby("bucket", observed=False)["base_balance_cents"].sum()
    assert rates["balance_cents"].tolist() == by_bucket.tolist() and sum(by_bucket) == total
    head, detail = frames["Erp.InvcHead"], frames["Erp.CashDtl"]
    adjusted = detail[(detail["TranType"] == "Adjust") & (detail["TranDate"] > june)
                      & (detail["TranDate"] <= OCTOBER[1])].merge(head[["InvoiceNum", "InvoiceDate"]], on="InvoiceNum")
    assert rates["written_off_cents"].sum() == _cents(adjusted.loc[adjusted["InvoiceDate"] <= june, "TranAmt"]).sum()


def test_the_sheets_compute_ardesks_figures_and_a_typed_reserve_is_kept(sqlite_erp, frames, tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), frames)
    path = tmp_path / "month-end.xlsx"
    first = close(WorkbookFile(path), _settings(sqlite_erp), TODAY, period=OCTOBER[0])
    book = openpyxl.load_workbook(path)
    sheet = book[allowance_sheet.SHEET]
    header = [cell.value for cell in sheet[allowance_sheet.HEADER]]
    judged = allowance_sheet.HEADER + 2
    customer = sheet.cell(judged, 1).value
    sheet.cell(judged, header.index("Specific Reserve") + 1).value = 12345.67
    sheet.cell(judged, header.index("Reserve Note") + 1).value = "Chapter 11 filed"
    approving = book["Write-Offs"]
    approving.cell(2, 1).value = "Dana Lee"
    proposed = approving.cell(2, 5).value
    book.save(path)

    again = close(WorkbookFile(path), _settings(sqlite_erp), TODAY, period=OCTOBER[0])
    customers = again.reserves.allowance.customers.set_index("customer_id")
    assert customers.loc[customer, "specific_cents"] == 12345_67 and customers.loc[customer, "note"] == "Chapter 11 filed"
    matrix = first.reserves.allowance.customers.set_index("customer_id").loc[customer, "matrix_cents"]
    assert again.reserves.allowance.required_cents == first.reserves.allowance.required_cents - matrix + 12345_67
    kept = again.reserves.approvers[(again.reserves.proposals["doc_no"] == str(proposed)).to_numpy()]
    assert kept.tolist() == ["Dana Lee"]

    assert validation_errors(path) == {}
    computed = lo.computed_values(lo.recalculate([path], tmp_path)[0])
    figures = {cells[0]: cells[1] for cells in computed[allowance_sheet.SHEET][:allowance_sheet.HEADER - 1] if cells}
    allowance = again.reserves.allowance
    assert round(figures["Required allowance"] * 100) == allowance.required_cents
    assert round(figures["Adjustment: raise (+) or release (-)"] * 100) == allowance.adjustment_cents
    rows = computed[allowance_sheet.SHEET][allowance_sheet.HEADER:]
    shown = {cells[0]: round(cells[-1] * 100) for cells in rows if cells and cells[0]}
    assert shown == allowance.customers.set_index("customer_id")["reserve_cents"].to_dict()
    bad = again.reserves.bad_debt
    totals = {cells[0]: cells[1] for cells in computed[bad_debt_sheet.SHEET][:bad_debt_sheet.TABLE_HEADER - 1]
              if cells}
    assert round(totals["Written off in the year to date"] * 100) == bad.by_reason["year_cents"].sum()
    assert round(totals["Recovered in the year to date"] * 100) == bad.recoveries["recovered_cents"].sum()
    net = bad.by_reason["period_cents"].sum() - bad.recoveries.loc[bad.recoveries["in_period"], "recovered_cents"].sum()
    assert round(totals["Net written off in the period (the Rollforward's Write-offs, with the sign turned)"]
                 * 100) == net


def test_a_dispute_marked_uncollectible_on_the_aging_workbook_is_proposed(sqlite_erp, frames, tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), frames)

    def ardesk(*args):
        done = subprocess.run([sys.executable, "-m", "ardesk", *args, "--connect", sqlite_erp], capture_output=True,
                              text=True, cwd=tmp_path, timeout=300)
        assert done.returncode == 0, done.stderr

    ardesk("workbook", "--as-of", f"{TODAY}", "--output", "aging.xlsx")
    book = openpyxl.load_workbook(tmp_path / "aging.xlsx")
    sheet = book["Disputes"]
    header = [cell.value for cell in sheet[1]]
    closing, _total = fetch.open_items(ErpSettings(connect=sqlite_erp), OCTOBER[1])
    open_then = set(zip(closing["customer_id"], closing["doc_no"]))
    row, customer, invoice = next((n, r[header.index("Customer ID")], r[header.index("Invoice")])
                                  for n, r in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2)
                                  if (r[header.index("Customer ID")], r[header.index("Invoice")]) in open_then)
    sheet.cell(row, header.index("Dispute Status") + 1).value = "Invalid: uncollectible"
    book.save(tmp_path / "aging.xlsx")
    ardesk("close", "--period", "2026-10", "--aging", "aging.xlsx")
    proposed = openpyxl.load_workbook(tmp_path / "month-end-2026-10.xlsx")["Write-Offs"]
    columns = [cell.value for cell in proposed[1]]
    why = {(r[columns.index("Customer ID")], r[columns.index("Document")]): r[columns.index("Why")]
           for r in proposed.iter_rows(min_row=2, values_only=True)}
    assert why[(customer, invoice)].endswith("marked Invalid: uncollectible")
