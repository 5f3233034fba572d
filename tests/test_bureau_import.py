"""`ardesk credit import` on SQLite, PostgreSQL and MariaDB: a bureau's export (CSV or XLSX, in the generic layout or
the D&B-like one) matched to the demo customers and stored once however often, or however many processes at once,
it is imported; read back as BUREAU_REPORTS; a file the bureau's settings do not describe refused in one sentence
with nothing stored; the review list beside the file, filled in by a person, imported again."""
import csv
import datetime as dt
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import openpyxl
import pandas as pd
import pyodbc
import pytest

from ardesk.demo import ledger
from ardesk.demo.bureau import bureau_rows, contacts, export
from ardesk.erp import demo, fetch
from ardesk.erp.dialect import render
from ardesk.erp.odbc import dialect_of
from ardesk.frames import BUREAU_REPORTS
from ardesk.settings import BUREAUS, ErpSettings

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def frames():
    return ledger.generate(300, 11, TODAY)


@pytest.fixture(scope="module")
def reports(frames) -> pd.DataFrame:
    """A labelled bureau file of about half the demo's customers and some companies that are not customers."""
    return bureau_rows(contacts(frames["Erp.Customer"]), TODAY, seed=3, share=0.5)


@pytest.fixture
def erp(any_erp, frames):
    kind, connect = any_erp
    demo.load(ErpSettings(connect=connect), frames)
    return kind, connect


def ardesk(*args, cwd, code=0) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)
    assert done.returncode == code, done.stderr
    return done


def write(rows: pd.DataFrame, bureau: str, path):
    """The rows as `bureau`'s export at `path` (.csv or .xlsx)."""
    table = export(rows, BUREAUS[bureau])
    if path.suffix == ".csv":
        table.to_csv(path, index=False, encoding="utf-8")
    else:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(list(table.columns))
        for values in table.itertuples(index=False):
            sheet.append(list(values))
        book.save(path)
    return path


def stored(connect: str) -> list[tuple]:
    """(customer, bureau, report date, matched by) of each row of ardesk's bureau table."""
    with pyodbc.connect(connect) as conn:
        query = render("SELECT CustID, Bureau, ReportDate, MatchedBy FROM ardesk.ardesk_bureau_report",
                       dialect_of(conn))
        return sorted((row[0], row[1], str(row[2])[:10], row[3]) for row in conn.execute(query).fetchall())


@pytest.mark.parametrize("bureau, suffix", [("generic", ".csv"), ("dnb", ".xlsx")])
def test_a_bureau_file_is_matched_stored_once_and_read_back(erp, reports, tmp_path, bureau, suffix):
    kind, connect = erp
    path = write(reports, bureau, tmp_path / f"portfolio{suffix}")
    first = ardesk("credit", "import", path.name, "--bureau", bureau, "--connect", connect, cwd=tmp_path)
    read = fetch.bureau_reports(ErpSettings(connect=connect))
    assert list(read.dtypes.astype(str)) == list(BUREAU_REPORTS.values())
    expected = reports.set_index("label").loc[read["customer_id"]]
    assert len(read) > 0.8 * (reports["label"] != "").sum(), kind  # most customers matched ...
    assert (read["bureau"] == bureau).all()  # ... each to the customer the row is about, with its figures
    assert read["score"].tolist() == expected["score"].tolist()
    assert read["recommended_limit_cents"].tolist() == expected["recommended_limit_cents"].tolist()
    assert read["days_beyond_terms"].tolist() == expected["days_beyond_terms"].tolist()
    assert read["risk_class"].tolist() == expected["risk_class"].tolist()
    assert (read["report_date"].to_numpy() == expected["report_date"].to_numpy()).all()
    line = first.stdout.splitlines()[0]
    assert f"{len(read)} matched to customers ({len(read)} stored now, 0 stored before)" in line, line
    before = stored(connect)
    again = ardesk("credit", "import", path.name, "--bureau", bureau, "--connect", connect, cwd=tmp_path)
    assert f"(0 stored now, {len(read)} stored before)" in again.stdout
    assert stored(connect) == before


def test_two_imports_at_once_store_each_report_once(erp, reports, tmp_path):
    kind, connect = erp
    path = write(reports, "generic", tmp_path / "portfolio.csv")
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: ardesk("credit", "import", path.name, "--bureau", "generic", "--connect",
                                              connect, cwd=tmp_path), range(2)))
    matched = len(fetch.bureau_reports(ErpSettings(connect=connect)))
    assert len(stored(connect)) == matched, kind
    now = [int(run.stdout.split(" stored now")[0].rsplit("(", 1)[1]) for run in runs]
    assert sorted(now) == [0, matched]


def test_the_latest_report_of_each_bureau_is_read(sqlite_erp, frames, reports, tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), frames)
    customer = reports[reports["tax_id"] != ""].iloc[[0]]
    older = customer.assign(report_date=pd.Timestamp(2026, 9, 1), score=40)
    newer = customer.assign(report_date=pd.Timestamp(2026, 10, 1), score=70)
    for name, rows in (("old.csv", older), ("new.csv", newer)):
        write(rows, "generic", tmp_path / name)
        ardesk("credit", "import", name, "--bureau", "generic", "--connect", sqlite_erp, cwd=tmp_path)
    write(older, "dnb", tmp_path / "dnb.csv")
    ardesk("credit", "import", "dnb.csv", "--bureau", "dnb", "--connect", sqlite_erp, cwd=tmp_path)
    read = fetch.bureau_reports(ErpSettings(connect=sqlite_erp))
    label = customer["label"].iloc[0]
    assert read[["customer_id", "bureau", "score", "report_date"]].values.tolist() == [
        [label, "dnb", 40, pd.Timestamp(2026, 9, 1)], [label, "generic", 70, pd.Timestamp(2026, 10, 1)]]
    assert len(stored(sqlite_erp)) == 3


def test_a_file_with_missing_and_unknown_columns_is_refused_in_one_sentence(sqlite_erp, frames, reports, tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), frames)
    path = write(reports, "generic", tmp_path / "portfolio.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.drop(columns=["Score", "Report Date"]).assign(**{"Paydex": "80"}).to_csv(path, index=False)
    refused = ardesk("credit", "import", path.name, "--bureau", "generic", "--connect", sqlite_erp, cwd=tmp_path,
                     code=1)
    assert refused.stderr.strip() == (
        f'ardesk: {path} is not a generic bureau export as ardesk.toml describes it: it lacks "Score" and "Report '
        'Date" and has "Paydex", which [bureaus.generic] does not name; export it again with the bureau\'s columns, '
        "or change [bureaus.generic] columns (and ignore) to match the file, and nothing was imported.")
    dnb = write(reports, "dnb", tmp_path / "dnb.xlsx")
    wrong = ardesk("credit", "import", dnb.name, "--bureau", "generic", "--connect", sqlite_erp, cwd=tmp_path, code=1)
    assert wrong.stderr.startswith(f'ardesk: {dnb} is not a generic bureau export as ardesk.toml describes it: it '
                                   'lacks "Tax ID", "Company Name", "Address"')
    assert stored(sqlite_erp) == [] and not list(tmp_path.glob("* review.csv"))


def test_a_value_the_bureau_does_not_write_refuses_the_whole_file(sqlite_erp, frames, reports, tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), frames)
    path = write(reports, "dnb", tmp_path / "dnb.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[5, "Report Date"] = "2026-31-10"
    table.to_csv(path, index=False)
    refused = ardesk("credit", "import", path.name, "--bureau", "dnb", "--connect", sqlite_erp, cwd=tmp_path, code=1)
    assert refused.stderr.strip() == (f"ardesk: {path} line 7, column report_date: '2026-31-10' is not a date as the "
                                      "dnb bureau writes them: like 03/31/2026.")
    table.loc[5, "Report Date"], table.loc[8, "Failure Score"] = "10/31/2026", "2000"
    table.to_csv(path, index=False)
    score = ardesk("credit", "import", path.name, "--bureau", "dnb", "--connect", sqlite_erp, cwd=tmp_path, code=1)
    assert score.stderr.strip() == (f"ardesk: {path} line 10, column score: '2000' is not a whole number from 1001 "
                                    "to 1875.")
    assert stored(sqlite_erp) == []


def test_rows_a_person_confirms_on_the_review_list_are_stored_when_it_is_imported(sqlite_erp, frames, reports,
                                                                                   tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), frames)
    path = write(reports, "generic", tmp_path / "portfolio.csv")
    ardesk("credit", "import", path.name, "--bureau", "generic", "--connect", sqlite_erp, cwd=tmp_path)
    review = tmp_path / "portfolio review.csv"
    with open(review, encoding="utf-8-sig", newline="") as handle:
        listed = list(csv.DictReader(handle))
    labels = reports["label"].tolist()
    assert {row["ardesk status"] for row in listed} <= {"Review", "Not found"} and listed
    for row in listed:  # the person confirms the customers the rows are about: a review row's suggestion, checked
        row["ardesk customer"] = labels[int(row["ardesk line"]) - 2]
    confirmed = [row for row in listed if row["ardesk customer"]]
    with open(review, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(listed[0]))
        writer.writeheader()
        writer.writerows(listed)
    before = len(stored(sqlite_erp))
    again = ardesk("credit", "import", review.name, "--bureau", "generic", "--connect", sqlite_erp, cwd=tmp_path)
    assert f"{len(confirmed)} matched to customers ({len(confirmed)} stored now" in again.stdout
    now = stored(sqlite_erp)
    assert len(now) == before + len(confirmed)
    assert sum(1 for row in now if row[3] == "confirmed") == len(confirmed)


def test_an_unknown_bureau_is_refused(sqlite_erp, tmp_path):
    (tmp_path / "x.csv").write_text("a\n1\n", encoding="utf-8")
    refused = ardesk("credit", "import", "x.csv", "--bureau", "acme", "--connect", sqlite_erp, cwd=tmp_path, code=1)
    assert refused.stderr.strip() == ("ardesk: ardesk knows no bureau 'acme': use one of dnb, generic, or describe "
                                      "its export under [bureaus.acme] in ardesk.toml.")
