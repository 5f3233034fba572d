"""The report and input sheets of the aging workbook: Exceptions, Credit Hold, Hit List, Past-Due Meeting,
Disputes, Payment Plans, Notes and Archive; the Detail's notes and user columns with their checks and conditional formats; the By Sales Rep
pivot. Each sheet shows the ar engine's frames row for row, gives back exactly what people typed, validates
against the schemas and recalculates in LibreOffice to the engine's cents.
"""
import dataclasses
import datetime as dt
import re
import zipfile

import openpyxl
import numpy as np
import pandas as pd
import pytest
from lxml import etree

import lo
from aging_book import AS_OF, HYPERLINK, aged_frame, cents, contents, customers_frame, notes_frame
from ardesk.ar import exception_report, hitlist, plans
from ardesk.ar.reach import BESIDE
from ardesk.book import write_aging_workbook, write_hit_list
from ardesk.book.userdata import DETAIL_USER, NOTES_COLUMNS, Typed, archive_headers, blank, nothing_typed
from ardesk.frames import CAPTURED_NOTES, DISPUTE_STATES
from ardesk.settings import ReportSettings
from ooxml import validation_errors

REPORTS = ReportSettings(past_due_days=(5, 10, 15, 30, 60, 90, 400))
"""With a section nobody is in (400 days), and the large-balance section empty at this size."""
SECTIONS = exception_report.titles(REPORTS)
REACH = tuple(BESIDE.values())
"""The last columns of the lists a collector calls from (ardesk.ar.reach)."""
LIST_SHEETS = ("Exceptions", "Hit List", "Past-Due Meeting", "Payment Plans")
TABLE_SHEETS = {"Detail": "OpenItems", "Credit Hold": "CreditHold", "Credit Review": "CreditReview",
                "Disputes": "Disputes", "Notes": "Notes", "Archive": "Archive"}
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
DETAIL_USER_AT = 21
"""Column index of the first user column on Detail (after the ERP's 17, the three note columns and In Dispute)."""


def typed_values(aged: pd.DataFrame, holds: int, disputes: int) -> Typed:
    """What collectors typed: every kind of value a reader hands back, in user columns, notes and the archive;
    the first dispute found invalid (back to the dunning), the second valid."""
    typed = nothing_typed(len(aged), holds, disputes=disputes)
    typed.disputes.loc[0] = ["Invalid: collect", "Customer agreed the price was right"]
    typed.disputes.loc[1, "Dispute Status"] = "Valid: credit requested"
    detail = typed.detail
    detail.loc[0] = ["=call the CFO", "Sent a copy", dt.datetime(2024, 7, 5), 1234.56, dt.datetime(2024, 7, 15),
                     "Yes", "No"]
    detail.loc[1, ["Comment", "Promise Amount", "Disputed"]] = [42, 100, True]
    detail.loc[2, ["Follow-up Date", "Next Action"]] = ["next week", "@mention ops"]
    hold = typed.hold
    hold.loc[0] = ["Yes", "+ ask sales first"]
    hold.loc[1, "Approve Hold"] = "No"
    notes = pd.DataFrame([
        ["C00001", "INV-0000001", "Call", "Ms Ito", "Promised", 500.25, dt.datetime(2024, 7, 10), None, None,
         dt.datetime(2024, 7, 11), "=not a formula", "ana", dt.datetime(2024, 6, 28, 14, 30), None, None],
        ["C00002", None, "Email", None, "Disputed", None, None, "Pricing", 75, None, "Price was wrong", "ben",
         dt.datetime(2024, 6, 29), "0b4f6a9e-2a52-4d3c-9d2a-3f1f7c0e9b11", "Pushed 2024-06-29 10:00 as EPIC06/2/7"],
        [HYPERLINK, None, None, None, None, None, None, None, None, None, "typed under the table", None, None, None,
         None],
    ], columns=[c.header for c in NOTES_COLUMNS], dtype=object)
    archive = blank(archive_headers(), 2)
    archive.loc[0, ["Archived On", "Sheet", "Customer ID", "Document", "Customer Name", "Comment", "Promise Amount",
                    "Disputed"]] = [dt.datetime(2024, 6, 1), "Detail", "C00009", "INV-0099999", HYPERLINK,
                                    "paid by wire", 10.5, "Yes"]
    archive.loc[1, ["Archived On", "Sheet", "Customer ID", "Approve Hold", "Hold Comment"]] = [
        dt.datetime(2024, 6, 2), "Credit Hold", "C00010", "Yes", "held until paid"]
    return Typed(detail=detail, hold=hold, notes=notes, archive=archive, disputes=typed.disputes)


@pytest.fixture(scope="module")
def aged():
    return aged_frame(2_000, 120)


@pytest.fixture(scope="module")
def shown(aged):
    """The Contents written: the engine's reports of realistic notes and customers, and typed values."""
    plan = plans.payment_plan(1_000_00, 3, "2w", dt.date(2024, 6, 1))
    recorded = plans.plan_note("C00003", plan, "2w", written=dt.datetime(2024, 5, 30), author="ana").assign(
        note_id="").astype(CAPTURED_NOTES)
    every = pd.concat([notes_frame(aged, 60), recorded], ignore_index=True)
    made = contents(aged, notes=every, customers=customers_frame(aged))
    typed = typed_values(aged, len(made.credit_hold), len(made.disputes))
    made = contents(aged, notes=every, customers=customers_frame(aged), typed=typed)
    return dataclasses.replace(made, exceptions=exception_report.exceptions(aged, AS_OF, REPORTS), erp_total_cents=None)


@pytest.fixture(scope="module")
def book(tmp_path_factory, shown):
    path = tmp_path_factory.mktemp("reports") / "aging.xlsx"
    return write_aging_workbook(path, shown, as_of=AS_OF, base_currency="USD", config={"profile": "demo"},
                                sections=SECTIONS)


@pytest.fixture(scope="module")
def opened(book):
    """The workbook as openpyxl reads it, formulas as their cached values."""
    return openpyxl.load_workbook(book, data_only=True)


@pytest.fixture(scope="module")
def hit_lists(tmp_path_factory, shown):
    """One hit-list workbook per sales rep, as `ardesk hitlist --split-by sales_rep` writes them."""
    folder = tmp_path_factory.mktemp("hitlists")
    labels = [str(b) for b in shown.aged["bucket"].cat.categories]
    return {rep: (frame, write_hit_list(folder / f"hit list {n}.xlsx", frame, labels, as_of=AS_OF,
                                        base_currency="USD", title=f"Hit list for {rep or 'no sales rep'}"))
            for n, (rep, frame) in enumerate(hitlist.split(shown.hit_list).items())}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, book):
    (saved,) = lo.recalculate([book], tmp_path_factory.mktemp("lo"))
    return lo.computed_values(saved)


def grouped(rows: list[tuple], headings: set[str]) -> dict:
    """A list sheet read back: heading -> {"rows": data rows, "total": its Total row or None}; "Grand total"."""
    out, current = {}, None
    for r in rows[4:]:
        if r[0] in headings:
            current = out[r[0]] = {"rows": [], "total": None}
        elif r[0] == "Total":
            current["total"] = r
        elif r[0] == "Grand total":
            out["Grand total"] = r
        elif r[0] == "None":
            current["rows"] = None
        elif any(v is not None for v in r):
            current["rows"].append(r)
    return out


def amounts(values) -> list:
    return [None if v is None else cents(v) for v in values]


def as_cells(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """Frame rows as the cells show them: text or None, cents as amounts in cents, dates as datetimes."""
    out = []
    for record in frame[columns].itertuples(index=False):
        row = []
        for name, v in zip(columns, record):
            if pd.isna(v) or v == "":
                row.append(None)
            elif name.endswith("_cents") or name[0].isupper() or name[0].isdigit():
                row.append(int(v))
            elif isinstance(v, pd.Timestamp):
                row.append(v.to_pydatetime())
            else:
                row.append(v if isinstance(v, str) else int(v))
        out.append(tuple(row))
    return out


def read_back(rows: list[tuple], money_at: set[int]) -> list[tuple]:
    return [tuple(cents(v) if i in money_at and v is not None else v for i, v in enumerate(r)) for r in rows]


# Every part validates; names and parts follow Excel's rules.

def test_every_part_validates_against_ecma376(book, hit_lists):
    assert validation_errors(book) == {}
    for _frame, path in hit_lists.values():
        assert validation_errors(path) == {}


def test_sheet_names_tables_and_parts_follow_excels_rules(book, opened):
    for name in opened.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    with zipfile.ZipFile(book) as archive:
        parts = sorted(n for n in archive.namelist() if n.startswith("xl/tables/"))
        tables = [etree.fromstring(archive.read(p)) for p in parts]
    assert parts == [f"xl/tables/table{n}.xml" for n in range(1, 7)]
    assert [int(t.get("id")) for t in tables] == [1, 2, 3, 4, 5, 6]
    assert {s: list(opened[s].tables) for s in TABLE_SHEETS} == {s: [t] for s, t in TABLE_SHEETS.items()}
    assert opened["_lists"].sheet_state == "hidden"


def test_list_sheets_freeze_their_headers_and_print_landscape_fit_to_width(opened):
    expected = {**{s: ("A5", "$1:$4") for s in LIST_SHEETS}, **{s: ("A2", "$1:$1") for s in TABLE_SHEETS},
                "By Sales Rep": ("B5", "$1:$4")}
    for name, (frozen, titles) in expected.items():
        sheet = opened[name]
        assert (sheet.freeze_panes, sheet.print_title_rows) == (frozen, titles), name
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1, name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name


# Detail: notes, user columns, checks, conditional formats.

def test_detail_shows_each_items_latest_note_next_follow_up_and_open_promise(opened, shown):
    rows = list(opened["Detail"].iter_rows(min_row=2, min_col=18, max_col=20, values_only=True))
    notes = shown.item_notes
    assert [r[0] for r in rows] == [v or None for v in notes["latest_note"].tolist()]
    assert [r[1] for r in rows] == [None if pd.isna(v) else v.to_pydatetime() for v in notes["next_follow_up"]]
    assert [r[2] for r in rows] == [v or None for v in notes["open_promise"].tolist()]
    assert sum(r[0] is not None for r in rows) > 20 and sum(r[2] is not None for r in rows) > 5


def test_typed_detail_values_come_back_with_their_types(opened, shown):
    sheet = opened["Detail"]
    assert [c.value for c in sheet[1]][DETAIL_USER_AT:] == [c.header for c in DETAIL_USER]
    typed = shown.typed.detail
    for n, expected in enumerate(typed.itertuples(index=False), 2):
        cells = sheet[n][DETAIL_USER_AT:]
        got = [c.value for c in cells]
        assert got == [None if pd.isna(v) else v for v in expected], n
        assert [type(v) for v in got] == [type(None) if pd.isna(v) else type(v) for v in expected], n
    first = sheet[2][DETAIL_USER_AT:]
    assert first[0].quotePrefix and first[0].data_type == "s"
    assert first[2].is_date and first[3].number_format.startswith("_(*")


def test_user_columns_are_checked_over_the_table_rows(opened, aged):
    sheet = opened["Detail"]
    last = len(aged) + 1
    checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert checks["AA2:AA%d" % last].type == "list" and checks["AA2:AA%d" % last].formula1 == '"Yes,No"'
    assert checks["AB2:AB%d" % last].formula1 == '"Yes,No"'
    assert {checks[f"{c}2:{c}{last}"].type for c in "XZ"} == {"date"}
    amount = checks[f"Y2:Y{last}"]
    assert (amount.type, amount.operator, amount.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert all(v.allow_blank and v.showErrorMessage for v in checks.values())
    assert len(checks) == 5  # Next Action and Comment take any text


def test_detail_rows_are_shaded_by_age_and_italic_when_disputed(book, opened, aged):
    formats = opened["Detail"].conditional_formatting
    (area,) = list(formats)
    assert str(area.sqref) == f"A2:AB{len(aged) + 1}"
    assert [(r.formula, r.dxfId) for r in area.rules] == [
        (["$H2>90"], 0), (["AND($H2>60,$H2<=90)"], 1), (['OR($AA2="Yes",$U2<>"")'], 2)]
    with zipfile.ZipFile(book) as archive:
        styles = etree.fromstring(archive.read("xl/styles.xml"))
    looks = styles.findall(f"{MAIN}dxfs/{MAIN}dxf")
    assert looks[0].find(f"{MAIN}fill/{MAIN}patternFill/{MAIN}bgColor").get("rgb") == "FFFFC7CE"
    assert looks[1].find(f"{MAIN}fill/{MAIN}patternFill/{MAIN}bgColor").get("rgb") == "FFFFEB9C"
    assert looks[2].find(f"{MAIN}font/{MAIN}i") is not None


# The report sheets, row for row.

def test_exceptions_show_every_section_in_settings_order(book, opened, shown):
    rows = list(opened["Exceptions"].iter_rows(values_only=True))
    first_total = next(n for n, r in enumerate(rows, 1) if r[0] == "Total")
    assert openpyxl.load_workbook(book)["Exceptions"][f"J{first_total}"].value == f"=SUBTOTAL(9,J6:J{first_total - 1})"
    assert rows[3] == ("Customer ID", "Customer Name", "Collector", "Sales Rep", "Document", "Type",
                       "Document Date", "Days", "Items", "Balance USD")
    sections = grouped(rows, set(SECTIONS))
    assert list(sections) == SECTIONS
    frame = shown.exceptions
    for title in SECTIONS:
        part = frame[frame["section"] == title]
        if part.empty:
            assert sections[title] == {"rows": None, "total": None}
            continue
        expected = as_cells(part, ["customer_id", "customer_name", "collector", "sales_rep", "doc_no", "doc_type",
                                   "doc_date", "days", "items", "balance_cents"])
        assert read_back(sections[title]["rows"], {9}) == expected
        assert cents(sections[title]["total"][9]) == int(part["balance_cents"].sum())
    assert {t for t in SECTIONS if (frame["section"] == t).sum() == 0} == {
        "Past due more than 400 days", "Balance more than 10 days past due over 50,000"}


def test_credit_hold_is_a_table_with_exposure_limits_and_the_approval_dropdown(opened, shown):
    sheet = opened["Credit Hold"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Customer ID", "Customer Name", "Sales Rep", "Collector", "Status", "Reasons", "Balance USD",
                       "Orders Waiting", "Open Orders", "Exposure", "Credit Limit", "Max Days Past Due",
                       "Approve Hold", "Hold Comment")
    frame = shown.credit_hold.assign(exposure_cents=lambda f: f["balance_cents"] + f["open_orders_cents"],
                                     orders_waiting=lambda f: np.where(f["open_orders_cents"] > 0, "Yes", "No"))
    expected = as_cells(frame, ["customer_id", "customer_name", "sales_rep", "collector", "status", "reasons",
                                "balance_cents", "orders_waiting", "open_orders_cents", "exposure_cents",
                                "credit_limit_cents", "max_days_past_due"])
    assert read_back([r[:12] for r in rows[1:]], {6, 8, 9, 10}) == expected
    assert sheet.tables["CreditHold"].ref == f"A1:N{len(frame) + 1}"
    unlimited = next(r for r in range(2, len(frame) + 2) if sheet[f"K{r}"].value == 0)
    assert '"Unlimited"' in sheet[f"K{unlimited}"].number_format and sheet[f"K{unlimited}"].data_type == "n"
    assert [r[12:] for r in rows[1:3]] == [("Yes", "+ ask sales first"), ("No", None)]
    assert sheet["N2"].quotePrefix
    (check,) = sheet.data_validations.dataValidation
    assert (str(check.sqref), check.formula1) == (f"M2:M{len(frame) + 1}", '"Yes,No"')
    assert set(frame["status"]) <= {"Recommend hold", "Recommend release", "On hold"}
    assert "Recommend hold" in set(frame["status"]) and "On hold" in set(frame["status"])


def test_hit_list_groups_customers_by_sales_rep_with_totals(opened, shown):
    labels = [str(b) for b in shown.aged["bucket"].cat.categories]
    rows = list(opened["Hit List"].iter_rows(values_only=True))
    assert rows[3] == ("Customer ID", "Customer Name", "Collector", *labels, "Past Due", "Total", "Oldest Document",
                       "Oldest Days", "Last Note Date", "Last Note", "Credit Hold", *REACH)
    frame = shown.hit_list
    reps = list(dict.fromkeys(frame["sales_rep"]))
    groups = grouped(rows, {f"Sales rep: {r or '(unassigned)'}" for r in reps})
    money = ["past_due_cents", "total_cents"]
    columns = ["customer_id", "customer_name", "collector", *labels, *money, "oldest_doc", "oldest_days",
               "last_note_date", "last_note", "credit_hold", *BESIDE]
    at = set(range(3, 5 + len(labels)))
    for rep in reps:
        part, group = frame[frame["sales_rep"] == rep], groups[f"Sales rep: {rep}"]
        assert read_back(group["rows"], at) == as_cells(part, columns)
        assert amounts(group["total"][3:5 + len(labels)]) == [int(part[c].sum()) for c in [*labels, *money]]
    assert amounts(groups["Grand total"][3:5 + len(labels)]) == [int(frame[c].sum()) for c in [*labels, *money]]
    assert any(r[-1 - len(REACH)] for r in rows[4:] if r[0] and r[0].startswith("C"))  # last notes shown


def test_one_hit_list_per_sales_rep_is_the_same_sheet(hit_lists, opened):
    whole = grouped(list(opened["Hit List"].iter_rows(values_only=True)),
                    {f"Sales rep: {rep}" for rep in hit_lists})
    for rep, (frame, path) in hit_lists.items():
        book = openpyxl.load_workbook(path, data_only=True)
        assert book.sheetnames == ["Hit List"]
        rows = list(book["Hit List"].iter_rows(values_only=True))
        assert rows[0][0] == f"Hit list for {rep}"
        mine = grouped(rows, {f"Sales rep: {rep}"})
        assert mine[f"Sales rep: {rep}"]["rows"] == whole[f"Sales rep: {rep}"]["rows"]
        assert amounts(mine["Grand total"][3:]) == amounts(whole[f"Sales rep: {rep}"]["total"][3:])
        assert len(frame) == len(mine[f"Sales rep: {rep}"]["rows"])


def test_meeting_groups_delinquent_accounts_by_collector_with_their_status(opened, shown):
    rows = list(opened["Past-Due Meeting"].iter_rows(values_only=True))
    assert rows[3] == ("Customer ID", "Customer Name", "Past Due", "Over 90", "Oldest Days", "Last Contact",
                       "Last Outcome", "Promise Amount", "Promise Date", "Dispute", "Next Step", *REACH)
    frame = shown.meeting
    collectors = list(dict.fromkeys(frame["collector"]))
    groups = grouped(rows, {f"Collector: {c or '(unassigned)'}" for c in collectors})
    assert list(groups) == [f"Collector: {c or '(unassigned)'}" for c in collectors] + ["Grand total"]
    columns = ["customer_id", "customer_name", "past_due_cents", "over_90_cents", "oldest_days", "last_contact",
               "last_outcome", "promise_cents", "promise_date", "dispute", "next_step", *BESIDE]
    for collector in collectors:
        part, group = frame[frame["collector"] == collector], groups[f"Collector: {collector or '(unassigned)'}"]
        assert read_back(group["rows"], {2, 3, 7}) == as_cells(part, columns)
        assert amounts([group["total"][i] for i in (2, 3, 7)]) == [
            int(part[c].fillna(0).sum()) for c in ("past_due_cents", "over_90_cents", "promise_cents")]
    assert frame["promise_cents"].notna().any() and frame["last_contact"].notna().any()


# Notes and Archive: what people typed, back as typed.

def test_disputes_is_a_table_of_the_log_with_the_status_dropdown(opened, shown):
    sheet = opened["Disputes"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Customer ID", "Customer Name", "Collector", "Invoice", "Reason", "Department", "Opened",
                       "Age (Days)", "Disputed Amount", "Open Balance USD", "Latest Note", "Dispute Status",
                       "Resolution")
    frame = shown.disputes
    assert len(frame) > 5 and set(frame["reason"]) == {"Pricing"} and set(frame["department"]) == {"Sales"}
    expected = as_cells(frame, ["customer_id", "customer_name", "collector", "doc_no", "reason", "department",
                                "opened", "age_days", "dispute_cents", "open_cents", "latest_note"])
    assert read_back([r[:11] for r in rows[1:]], {8, 9}) == expected
    assert [r[11:] for r in rows[1:4]] == [("Invalid: collect", "Customer agreed the price was right"),
                                           ("Valid: credit requested", None), (None, None)]
    assert sheet.tables["Disputes"].ref == f"A1:M{len(frame) + 1}"
    (check,) = sheet.data_validations.dataValidation
    assert (str(check.sqref), check.formula1) == (f"L2:L{len(frame) + 1}", f'"{",".join(DISPUTE_STATES)}"')


def test_disputed_items_are_listed_apart_in_the_aging_and_libreoffice_agrees(opened, shown, recalculated):
    held = shown.in_dispute
    logged = shown.disputes.iloc[1:]  # the first is typed Invalid: collect, so back in the dunning
    named = {(c, d) for c, docs in zip(logged["customer_id"], logged["doc_no"]) for d in docs.split(", ") if d}
    keys = list(zip(shown.aged["customer_id"], shown.aged["doc_no"]))
    assert (held == "Pricing").tolist() == [key in named for key in keys] and len(named) >= 3
    assert held.iat[0] in ("Pricing", "Marked") and held.iat[1] in ("Pricing", "Marked")  # Disputed typed on Detail
    assert shown.disputes["doc_no"].iat[0] and keys.count(tuple(shown.disputes.iloc[0][["customer_id", "doc_no"]])) == 1
    detail = list(opened["Detail"].iter_rows(min_row=2, min_col=21, max_col=21, values_only=True))
    assert [r[0] for r in detail] == [v or None for v in held]
    balances = shown.aged.assign(held=(held != "").to_numpy()).groupby("bucket", observed=False)
    total = balances["base_balance_cents"].sum()
    disputed = balances.apply(lambda g: int(g.loc[g["held"], "base_balance_cents"].sum()), include_groups=False)
    for rows, where in ((list(opened["Summary"].iter_rows(values_only=True)), "cache"),
                        (recalculated["Summary"], "LibreOffice")):
        at = next(i for i, r in enumerate(rows) if r[4] == "Bucket")
        assert rows[at][4:8] == ("Bucket", "Balance USD", "In Dispute", "To Collect"), where
        table = {r[4]: tuple(cents(v) for v in r[5:8]) for r in rows[at + 1:at + 1 + len(total)]}
        assert table == {str(b): (int(total[b]), int(disputed[b]), int(total[b] - disputed[b])) for b in total.index}, where
        assert tuple(cents(v) for v in rows[at + 1 + len(total)][5:8]) == (
            int(total.sum()), int(disputed.sum()), int(total.sum() - disputed.sum())), where
    assert disputed.sum() > 0


def test_payment_plans_show_each_installment_under_its_plan(opened, shown):
    rows = list(opened["Payment Plans"].iter_rows(values_only=True))
    assert rows[3][:6] == ("Installment", "Due Date", "Amount", "Paid", "Status", "Collector")
    name = shown.plans["customer_name"].iat[0]
    plan = grouped(rows, {f"C00003 {name}: agreed 2024-05-30"})[f"C00003 {name}: agreed 2024-05-30"]
    assert [(r[0], r[1], cents(r[2]), r[4]) for r in plan["rows"]] == [
        (1, dt.datetime(2024, 6, 1), 333_33, "Missed"), (2, dt.datetime(2024, 6, 15), 333_33, "Missed"),
        (3, dt.datetime(2024, 6, 29), 333_34, "Due")]
    assert cents(plan["total"][2]) == 1_000_00


def test_notes_rows_come_back_as_typed_and_new_rows_below_are_checked(opened, shown):
    sheet = opened["Notes"]
    typed = shown.typed.notes
    assert [c.value for c in sheet[1]] == [c.header for c in NOTES_COLUMNS]
    assert sheet.tables["Notes"].ref == f"A1:O{len(typed) + 1}"
    for n, expected in enumerate(typed.itertuples(index=False), 2):
        got = [c.value for c in sheet[n]]
        assert got == [None if pd.isna(v) else v for v in expected]
        assert [type(v) for v in got] == [type(None) if pd.isna(v) else type(v) for v in expected]
    assert sheet["K2"].quotePrefix and sheet["A4"].quotePrefix
    last = len(typed) + 1 + 1_000
    checks = {str(v.sqref).split(":")[0][0]: v for v in sheet.data_validations.dataValidation}
    assert all(str(v.sqref).endswith(f"{last}") for v in checks.values())
    assert checks["A"].formula1 == "CustomerIDs"
    assert checks["C"].formula1 == '"Call,Email,Portal,Letter,Meeting"'
    assert checks["E"].type == checks["H"].type == "list"
    assert {checks[c].type for c in "GJM"} == {"date"} and {checks[c].type for c in "FI"} == {"decimal"}
    assert set(checks) == set("ACEFGHIJM")
    assert opened.defined_names["CustomerIDs"].attr_text == f"'_lists'!$A$1:$A${len(shown.customer_ids)}"
    assert [r[0] for r in opened["_lists"].iter_rows(values_only=True)] == list(shown.customer_ids)


def test_archive_rows_come_back_as_typed(opened, shown):
    sheet = opened["Archive"]
    typed = shown.typed.archive
    assert [c.value for c in sheet[1]] == list(archive_headers())
    for n, expected in enumerate(typed.itertuples(index=False), 2):
        assert [c.value for c in sheet[n]] == [None if pd.isna(v) else v for v in expected]
    assert sheet["A2"].is_date and sheet["E2"].quotePrefix and sheet["I2"].number_format.startswith("_(*")


def test_empty_notes_and_archive_keep_one_blank_table_row(tmp_path, aged):
    path = write_aging_workbook(tmp_path / "fresh.xlsx", contents(aged.iloc[:30]), as_of=AS_OF,
                                base_currency="USD", config={})
    book = openpyxl.load_workbook(path)
    assert book["Notes"].tables["Notes"].ref == "A1:O2"
    assert book["Archive"].tables["Archive"].ref == f"A1:{openpyxl.utils.get_column_letter(len(archive_headers()))}2"
    assert list(book["Notes"].iter_rows(min_row=2, values_only=True)) == []
    assert validation_errors(path) == {}


# Text that looks like a formula, everywhere.

def test_a_formula_looking_customer_name_is_text_on_every_sheet(book, opened, recalculated):
    seen = {}
    for sheet in opened:
        for row in sheet.iter_rows():
            for c in row:
                if c.value == HYPERLINK:
                    assert c.data_type == "s" and c.quotePrefix, (sheet.title, c.coordinate)
                    seen[sheet.title] = True
    assert set(seen) >= {"Detail", "By Customer", "Exceptions", "Credit Hold", "Hit List", "Past-Due Meeting",
                         "Notes", "Archive"}
    with zipfile.ZipFile(book) as archive:
        assert not any(re.search(r"<f>[^<]*HYPERLINK", archive.read(n).decode()) for n in archive.namelist())
    for name in seen:
        assert any(HYPERLINK in r for r in recalculated[name]), name


# LibreOffice recalculates to the engine's cents.

def test_libreoffice_rebuilds_the_sales_rep_pivot_and_ties_the_check(recalculated, aged):
    buckets = list(aged["bucket"].cat.categories)
    rows = recalculated["By Sales Rep"]
    header_at = next(i for i, r in enumerate(rows) if any(v in buckets for v in r))
    columns = {i: v for i, v in enumerate(rows[header_at]) if v in buckets}
    drawn = {}
    for r in rows[header_at + 1:]:
        if r[0] in lo.GRAND_TOTAL_LABELS:
            break
        drawn[r[0]] = {b: cents(r[i]) for i, b in columns.items() if cents(r[i])}
    sums = aged.groupby(["sales_rep", "bucket"], observed=True)["base_balance_cents"].sum()
    engine = {}
    for (rep, bucket), total in sums.items():
        if total:
            engine.setdefault(rep, {})[str(bucket)] = int(total)
    assert drawn == engine
    check = recalculated["Check"]
    for r in check[4:4 + len(buckets) + 1]:
        assert round(r[1] * 100) == round(r[4] * 100) and r[5:8] == (0, 0, 0)


def test_libreoffice_recalculates_the_report_totals(recalculated, shown):
    groups = grouped(recalculated["Hit List"], {f"Sales rep: {r}" for r in set(shown.hit_list["sales_rep"])})
    assert cents(groups["Grand total"][-6 - len(REACH)]) == int(shown.hit_list["total_cents"].sum())
    sections = grouped(recalculated["Exceptions"], set(SECTIONS))
    frame = shown.exceptions
    for title, group in sections.items():
        if group["total"]:
            assert cents(group["total"][9]) == int(frame.loc[frame["section"] == title, "balance_cents"].sum())
