"""The Summary sheet: schema-valid parts with two native charts, KPI formulas whose cached values are the engine's,
and LibreOffice, forced to recalculate, computing every KPI, bucket amount and snapshot ratio back to the engine's
value (to the cent for money, to 1e-9 for ratios and days), even when the cached values lie.
"""
import dataclasses
import datetime as dt
import math
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from lxml import etree
from openpyxl.utils.cell import range_boundaries

import aging_book as ab
import lo
from ardesk.ar.kpis import cei, countback_dso
from ardesk.ar.coverage import coverage
from ardesk.ar.summary import summarize
from ardesk.book import write_aging_workbook
from ardesk.book.detail import columns
from ardesk.book.summary import COLLECTOR_COLUMNS, COLLECTORS_TITLE, INPUTS, KPIS, RIGHT, TOP
from ardesk.frames import HISTORY
from ardesk.settings import ReportSettings
from ooxml import validation_errors
from test_summary import paid_off

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
MONEY = {"total", "current", "past_due"}
COUNTS = {"accounts", "past_due_accounts"}
BALANCE_COLUMN = next(i for i, c in enumerate(columns("USD")) if c.source == "base_balance_cents")


def history_frame(aged: pd.DataFrame, months: int = 20, seed: int = 11) -> pd.DataFrame:
    """HISTORY consistent with `aged`: its open items as they stand, plus invoices of the last `months` months
    that were paid 15 to 100 days after their date (before the as-of date)."""
    rng = np.random.default_rng(seed)
    n = 120 * months
    doc_date = np.datetime64(ab.AS_OF, "D") - rng.integers(0, 30 * months, n).astype("timedelta64[D]")
    closed = doc_date + rng.integers(15, 100, n).astype("timedelta64[D]")
    paid = closed <= np.datetime64(ab.AS_OF, "D")
    amount = np.round(rng.lognormal(10.5, 1.0, n)).astype(np.int64) + 100
    closed_items = pd.DataFrame({
        "customer_id": rng.choice(aged["customer_id"].unique(), n), "doc_type": "INV",
        "doc_date": doc_date, "due_date": doc_date + np.timedelta64(30, "D"), "closed_date": closed,
        "base_amount_cents": amount, "base_balance_cents": 0,
    })[paid]
    open_items = pd.DataFrame({
        "customer_id": aged["customer_id"], "doc_type": aged["doc_type"], "doc_date": aged["doc_date"],
        "due_date": aged["due_date"], "closed_date": pd.NaT,
        "base_amount_cents": aged["base_balance_cents"], "base_balance_cents": aged["base_balance_cents"],
    })
    frame = pd.concat([closed_items, open_items], ignore_index=True)
    return pd.DataFrame({name: frame[name].astype(dtype) for name, dtype in HISTORY.items()})


def write(path, aged, summary):
    contents = dataclasses.replace(ab.contents(aged), summary=summary)
    return write_aging_workbook(path, contents, as_of=ab.AS_OF, base_currency="USD",
                                config={"profile": "demo", "thresholds": "30,60,90,120"})


def kpi_row(key: str) -> int:
    return TOP + 1 + KPIS.index(key)


def engine_kpis(summary) -> dict[str, object]:
    """What each KPI cell should compute: amounts, fractions, days, CEI as a fraction, counts; None = n/a."""
    return {
        "total": summary.total_cents / 100, "current": summary.current_cents / 100,
        "past_due": summary.past_due_cents / 100, "pct_past_due": summary.pct_past_due,
        "pct_over": summary.pct_over_90, "dso": summary.dso, "countback": summary.countback_dso,
        "best": summary.best_possible_dso, "add": summary.average_days_delinquent,
        "cei": None if summary.cei is None else summary.cei / 100,
        "accounts": summary.accounts, "past_due_accounts": summary.past_due_accounts,
        "coverage": summary.collectors["contacted"].sum() / needed if (
            needed := summary.collectors["to_contact"].sum()) else None,
    }


def assert_kpis(rows: list[tuple], summary) -> None:
    for key, expected in engine_kpis(summary).items():
        got = rows[kpi_row(key) - 1][1]
        if expected is None:
            assert got == "n/a", key
        elif key in MONEY:
            assert round(got * 100) == round(expected * 100), key
        else:
            assert got == pytest.approx(expected, rel=0, abs=1e-9), key


def table(rows: list[tuple], title: str) -> list[tuple]:
    """The rows of a table on the Summary's right (from column E) under its title, up to the first empty row."""
    start = next(i for i, r in enumerate(rows) if len(r) > RIGHT and r[RIGHT] == title) + 2
    out = []
    for r in rows[start:]:
        if len(r) <= RIGHT or r[RIGHT] is None or isinstance(r[RIGHT], str):
            break
        out.append(r[RIGHT:])
    return out


SALES = "Monthly credit sales, newest first (countback DSO)"
SNAPSHOTS = "Month-end snapshots (the last row is the as-of date)"


def assert_snapshots(rows: list[tuple], summary) -> None:
    drawn = table(rows, SNAPSHOTS)
    frame = summary.snapshots
    assert len(drawn) == len(frame)
    for got, s in zip(drawn, frame.itertuples(index=False)):
        assert [round(v * 100) for v in got[1:5]] == [s.ar_cents, s.current_cents, s.over_90_cents, s.sales_cents]
        for value, expected in ((got[5], s.dso), (got[6], s.pct_over_90)):
            assert value is None if math.isnan(expected) else value == pytest.approx(expected, rel=0, abs=1e-9)


def assert_collectors(rows: list[tuple], summary) -> None:
    """The table per collector: counts and amounts as the engine has them, coverage and every KPI computed to the
    engine's value (n/a where it has none), and the Total row's KPIs the ledger's."""
    start = next(i for i, r in enumerate(rows) if len(r) > RIGHT and r[RIGHT] == COLLECTORS_TITLE) + 2
    frame = summary.collectors
    drawn = [r[RIGHT:RIGHT + len(COLLECTOR_COLUMNS)] for r in rows[start:start + len(frame) + 1]]
    assert [r[0] for r in drawn] == [c or "(unassigned)" for c in frame["collector"]] + ["Total"]
    totals = ("Total", frame["to_contact"].sum(), frame["contacted"].sum(), summary.total_cents,
              summary.current_cents, summary.credit_sales_cents, summary.beginning_ar_cents, summary.dso,
              summary.average_days_delinquent, summary.cei)
    for got, expected in zip(drawn, [*frame.itertuples(index=False), totals]):
        _, to_contact, contacted, *cents, dso, add, cei_ = expected
        assert list(got[1:3]) == [to_contact, contacted]
        assert got[3] == (pytest.approx(contacted / to_contact, rel=0, abs=1e-12) if to_contact else "n/a")
        assert [v if isinstance(v, str) else round(v * 100) for v in got[4:8]] == [
            "n/a" if pd.isna(c) else int(c) for c in cents]
        for value, engine in zip(got[8:], (dso, add, None if cei_ is None or math.isnan(cei_) else cei_ / 100)):
            if engine is None or math.isnan(engine):
                assert value == "n/a"
            else:
                assert value == pytest.approx(engine, rel=0, abs=1e-9)


def assert_buckets(rows: list[tuple], aged) -> None:
    sums = aged.groupby("bucket", observed=False)["base_balance_cents"].sum()
    drawn = rows[TOP : TOP + len(sums) + 1]
    assert [r[RIGHT] for r in drawn] == [*map(str, sums.index), "Total"]
    assert [round(r[RIGHT + 1] * 100) for r in drawn] == [*map(int, sums), int(sums.sum())]


# Workbooks: the engine's Summary with sales history (CEI both ways), hand-made variants, none without history.

@pytest.fixture(scope="module")
def aged():
    return ab.aged_frame(2_000, 120)


@pytest.fixture(scope="module")
def history(aged):
    return history_frame(aged)


@pytest.fixture(scope="module")
def contacts(aged):
    """The worklist's contact coverage (from notes of the last 60 days) and who collects from whom."""
    shown = ab.contents(aged, notes=ab.notes_frame(aged, 400))
    return {"coverage": coverage(shown.worklist, shown.notes, ab.AS_OF), "customers": ab.customers_frame(aged)}


@pytest.fixture(scope="module")
def summary(aged, history, contacts):
    return summarize(aged, history, paid_off(history), ab.AS_OF, ab.REPORTS, **contacts)


@pytest.fixture(scope="module")
def monthly(aged, history, contacts):
    """CEI on monthly-average sales over 75 days: round(2.5) months, as the engine rounds."""
    return summarize(aged, history, paid_off(history), ab.AS_OF,
                     ReportSettings(kpi_days=75, cei_sales="monthly_average"), **contacts)


@pytest.fixture(scope="module")
def credits(aged, history, contacts):
    """Net credits: the AR is below zero, so countback counts it in the newest month alone."""
    only = aged[aged["doc_type"].isin(["CM", "PAY"])].reset_index(drop=True)
    return only, summarize(only, history, paid_off(history), ab.AS_OF, ab.REPORTS, **contacts)


@pytest.fixture(scope="module")
def broken(aged, history, summary):
    """By hand: the third month had no sales, so countback stops there; the Detail is fitted to an AR inside
    the first two months (the first item carries the difference)."""
    first, second, third, *rest = summary.periods
    fitted = aged.copy()
    fitted.loc[0, "base_balance_cents"] += (first.sales_cents + second.sales_cents) // 2 - summary.total_cents
    engine = summarize(fitted, history, paid_off(history), ab.AS_OF, ab.REPORTS)
    hand = dataclasses.replace(
        engine, periods=(first, second, dataclasses.replace(third, sales_cents=0), *rest),
        countback_dso=countback_dso(engine.total_cents, [first.sales_cents, second.sales_cents],
                                    [first.days, second.days]))
    return fitted, hand


@pytest.fixture(scope="module")
def export(aged):
    """The engine's Summary without sales history (an export file)."""
    return ab.contents(aged).summary


@pytest.fixture(scope="module")
def books(tmp_path_factory, aged, summary, monthly, credits, broken, export):
    folder = tmp_path_factory.mktemp("summary")
    return {
        "aging": write(folder / "aging.xlsx", aged, summary),
        "monthly": write(folder / "monthly.xlsx", aged, monthly),
        "credits": write(folder / "credits.xlsx", *credits),
        "broken": write(folder / "broken.xlsx", *broken),
        "export": write(folder / "export.xlsx", aged, export),
    }


@pytest.fixture(scope="module")
def changed(aged):
    return ab.tampered_first_balance(aged)


@pytest.fixture(scope="module")
def tampered(books, tmp_path_factory):
    """The aging workbook with every cached value of the Summary's formulas set to 999 and one Detail balance
    changed: only a spreadsheet that recomputes gets the Summary right."""
    path = tmp_path_factory.mktemp("tampered") / "tampered.xlsx"
    parts = sheet_parts(books["aging"])
    formula = re.compile(r'(<c r="[A-Z]+\d+"(?: s="\d+")?><f>[^<]*</f><v>)[^<]*(</v>)')
    balance = re.compile(rf'(<c r="{chr(65 + BALANCE_COLUMN)}2" s="\d+"><v>)[^<]*(</v>)')
    with zipfile.ZipFile(books["aging"]) as original, zipfile.ZipFile(path, "w") as copy:
        for name in original.namelist():
            xml = original.read(name).decode("utf-8")
            if name == parts["Summary"]:
                xml, count = formula.subn(r"\g<1>999\2", xml)
                assert count > 30
            if name == parts["Detail"]:
                xml, count = balance.subn(r"\g<1>1000000\2", xml)
                assert count == 1
            copy.writestr(name, xml)
    return path


@pytest.fixture(scope="module")
def recalculated(books, tampered, tmp_path_factory):
    """One forced-recalculation LibreOffice run over every workbook: name -> (saved path, Summary rows)."""
    saved = lo.recalculate([*books.values(), tampered], tmp_path_factory.mktemp("lo"))
    return {path.stem: (path, lo.computed_values(path)["Summary"]) for path in saved}


def sheet_parts(path) -> dict[str, str]:
    """Sheet name -> its part name inside the package."""
    with zipfile.ZipFile(path) as archive:
        book = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): "xl/" + r.get("Target") for r in rels}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {s.get("name"): targets[s.get(rid)] for s in book.iter("{*}sheet")}


def charts(path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as archive:
        names = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        return [etree.fromstring(archive.read(n)) for n in names]


# 1. The parts.

def test_every_part_validates_against_ecma376(books, tampered):
    for path in (*books.values(), tampered):
        assert validation_errors(path) == {}, path.name


def test_the_validator_knows_drawingml(books, tmp_path):
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(books["aging"]) as original, zipfile.ZipFile(broken, "w") as copy:
        for name in original.namelist():
            xml = original.read(name).decode("utf-8")
            if name == "xl/charts/chart1.xml":
                xml = xml.replace('<c:barDir val="col"/>', '<c:barDir val="sideways"/>')
            if name == "xl/drawings/drawing1.xml":
                xml = xml.replace("<xdr:clientData/>", "", 1)
            copy.writestr(name, xml)
    assert set(validation_errors(broken)) == {"xl/charts/chart1.xml", "xl/drawings/drawing1.xml"}


def test_summary_is_the_first_and_selected_tab_with_two_charts(books):
    with zipfile.ZipFile(books["aging"]) as archive:
        parts = sheet_parts(books["aging"])
        views = {name: etree.fromstring(archive.read(part)).find("{*}sheetViews/{*}sheetView")
                 for name, part in parts.items()}
        sheet_rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
        drawing_rels = archive.read("xl/drawings/_rels/drawing1.xml.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
    assert list(parts)[0] == "Summary" and parts["Summary"] == "xl/worksheets/sheet1.xml"
    assert [name for name, view in views.items() if view.get("tabSelected") == "1"] == ["Summary"]
    assert "relationships/drawing" in sheet_rels and "../drawings/drawing1.xml" in sheet_rels
    assert drawing_rels.count("relationships/chart\"") == 2
    assert types.count("drawingml.chart+xml") == 2 and "officedocument.drawing+xml" in types
    bar, line = charts(books["aging"])
    assert bar.find(f".//{C}barChart/{C}barDir").get("val") == "col"
    assert len(line.findall(f".//{C}lineChart")) == 2  # one per value axis
    assert [a.find(f"{C}axPos").get("val") for a in line.iter(f"{C}valAx")] == ["l", "r"]


def test_kpis_are_formulas_cached_with_the_engines_values(books, summary):
    formulas = openpyxl.load_workbook(books["aging"])["Summary"]
    cached = list(openpyxl.load_workbook(books["aging"], data_only=True)["Summary"].iter_rows(values_only=True))
    assert formulas["A1"].value == "Accounts receivable summary"
    assert "USD" in formulas["A2"].value and "2024-06-30" in formulas["A2"].value
    for key in KPIS:
        value = formulas.cell(kpi_row(key), 2).value
        assert isinstance(value, (int, float)) if key in COUNTS else value.startswith("="), key
        assert formulas.cell(kpi_row(key), 3).value, key  # the one-line "how"
    assert formulas.cell(kpi_row("total"), 2).value == "=SUM(OpenItems[Balance USD])"
    assert formulas.cell(kpi_row("current"), 2).value == '=SUMIFS(OpenItems[Balance USD],OpenItems[Bucket],"Current")'
    assert 'OpenItems[Days Past Due],">90"' in formulas.cell(kpi_row("pct_over"), 2).value
    assert all(v is not None for v in engine_kpis(summary).values())
    assert_kpis(cached, summary)


def test_countback_is_the_sum_of_days_counted_over_the_monthly_sales(books, summary):
    sheet = openpyxl.load_workbook(books["aging"])["Summary"]
    formula = sheet.cell(kpi_row("countback"), 2).value
    total, run_total, first, last = re.fullmatch(r'=IF\((\$?B\$?\d+)>I(\d+),"n/a",SUM\(J(\d+):J(\d+)\)\)',
                                                 formula).groups()
    first, last = int(first), int(last)
    assert run_total == str(last)  # n/a when Total AR is more than the cumulative sales of the run
    assert sheet[total.replace("$", "")].value.startswith("=SUM(")
    assert sheet.cell(first - 1, RIGHT + 6).value == "Days counted"
    assert sheet.cell(first, RIGHT + 6).value.startswith("=MIN(1,")
    assert sheet.cell(first + 1, RIGHT + 6).value.startswith("=MEDIAN(0,1,")
    run = next((i for i, p in enumerate(summary.periods) if p.sales_cents <= 0), len(summary.periods))
    assert last - first + 1 == run
    periods = [(sheet.cell(n, RIGHT + 1).value.date(), sheet.cell(n, RIGHT + 2).value.date(),
                round(sheet.cell(n, RIGHT + 4).value * 100)) for n in range(first, last + 1)]
    assert periods == [(p.start, p.end, p.sales_cents) for p in summary.periods]


# 2. LibreOffice recalculates.

def test_libreoffice_computes_every_kpi_back(recalculated, summary, monthly, credits, broken):
    assert_kpis(recalculated["aging"][1], summary)
    assert_kpis(recalculated["monthly"][1], monthly)
    assert_kpis(recalculated["credits"][1], credits[1])
    assert_kpis(recalculated["broken"][1], broken[1])


def test_the_cases_reach_every_branch_of_countback_and_cei(summary, monthly, credits, broken, history):
    assert credits[1].total_cents < 0 and credits[1].countback_dso < 0
    first = summary.periods[0]
    assert credits[1].countback_dso == countback_dso(credits[1].total_cents, [first.sales_cents], [first.days])
    assert 0 < broken[1].countback_dso < broken[1].periods[0].days + broken[1].periods[1].days
    months = ReportSettings(kpi_days=75).kpi_days / 30
    assert monthly.cei == cei(monthly.beginning_ar_cents, monthly.credit_sales_cents, monthly.total_cents,
                              monthly.current_cents, sales="monthly_average", months=round(months))
    assert monthly.cei != summary.cei


def test_libreoffice_computes_the_tables_back(recalculated, summary, monthly, aged):
    rows = recalculated["aging"][1]
    assert_buckets(rows, aged)
    assert_snapshots(rows, summary)
    assert_collectors(rows, summary)
    assert_collectors(recalculated["monthly"][1], monthly)
    sales = table(rows, SALES)
    assert [r[2] for r in sales] == [p.days for p in summary.periods]
    assert sum(r[5] for r in sales) == pytest.approx(summary.countback_dso, rel=0, abs=1e-9)


def test_libreoffice_recomputes_what_the_cache_lies_about(recalculated, changed, history, summary, contacts):
    rows = recalculated["tampered"][1]
    truth = summarize(changed, history, paid_off(history), ab.AS_OF, ab.REPORTS, **contacts)
    assert truth.total_cents != summary.total_cents and truth.countback_dso != summary.countback_dso
    assert_kpis(rows, truth)
    assert_buckets(rows, changed)
    assert_snapshots(rows, summary)  # the snapshot ratios recompute from their own rows' values


def test_libreoffice_keeps_the_charts(recalculated):
    saved, _ = recalculated["aging"]
    kinds = [{e.tag for e in chart.iter(f"{C}barChart", f"{C}lineChart")} for chart in charts(saved)]
    assert sorted(map(sorted, kinds)) == [[f"{C}barChart"], [f"{C}lineChart"]]


@pytest.mark.parametrize("name", ["aging", "tampered"])
def test_chart_series_point_at_the_tables_they_draw(books, recalculated, tampered, name):
    """Each series' c:f names the Summary range whose recalculated values the c:numCache / c:strCache hold
    (for the tampered copy, the ranges hold the recomputed values: the chart follows the cells)."""
    path = books["aging"] if name == "aging" else tampered
    computed = recalculated[name][1]
    series = [s for chart in charts(path) for s in chart.iter(f"{C}ser")]
    assert len(series) == 3
    for ser in series:
        for ref in ser.iter(f"{C}strRef", f"{C}numRef"):
            sheet, cells = ref.find(f"{C}f").text.split("!")
            assert sheet == "'Summary'"
            low_col, low_row, high_col, high_row = range_boundaries(cells.replace("$", ""))
            assert low_col == high_col >= RIGHT + 1
            values = [computed[r - 1][low_col - 1] for r in range(low_row, high_row + 1)]
            cache = ref.find(f"{C}numCache") if ref.tag == f"{C}numRef" else ref.find(f"{C}strCache")
            assert int(cache.find(f"{C}ptCount").get("val")) == len(values)
            points = {int(p.get("idx")): p.find(f"{C}v").text for p in cache.iter(f"{C}pt")}
            if name == "aging":
                assert {i for i, v in enumerate(values) if v is not None} == set(points)
                for i, text in points.items():
                    value = values[i]
                    if isinstance(value, dt.datetime):
                        value = (value - dt.datetime(1899, 12, 30)).days
                    assert text == value if isinstance(value, str) else float(text) == pytest.approx(value)
    names = [ser.find(f"{C}tx/{C}strRef/{C}strCache/{C}pt/{C}v").text for ser in series]
    assert names == ["Balance USD", "DSO", "% over 90"]


# 3. Without sales history (an export file): n/a and why, never an error.

def test_the_collectors_add_up_to_the_ledger_and_some_need_no_contact(summary):
    frame = summary.collectors
    assert len(frame) > 3 and frame["collector"].iat[-1] == ""
    assert (frame["ar_cents"].sum(), frame["sales_cents"].sum(), frame["beginning_ar_cents"].sum()) == (
        summary.total_cents, summary.credit_sales_cents, summary.beginning_ar_cents)
    assert 0 < frame["contacted"].sum() < frame["to_contact"].sum()


def test_without_history_sales_kpis_read_na_with_the_reason(books, recalculated, export):
    assert export.credit_sales_cents is None and export.periods == ()
    sheet = openpyxl.load_workbook(books["export"])["Summary"]
    for key in ("dso", "countback", "best", "add", "cei"):
        assert sheet.cell(kpi_row(key), 2).value == "n/a"
        assert "no sales history" in sheet.cell(kpi_row(key), 3).value
    for label in ("Credit sales in the period", "Beginning AR"):
        number = next(n for n in range(INPUTS, INPUTS + 6) if sheet.cell(n, 1).value == label)
        assert sheet.cell(number, 2).value == "n/a"
    rows = recalculated["export"][1]
    assert not [v for r in rows for v in r if isinstance(v, str) and v.startswith(("#", "Err:"))]
    assert rows[kpi_row("total") - 1][1] != "n/a" and rows[kpi_row("pct_over") - 1][1] > 0
    assert_kpis(rows, export)
    assert_snapshots(rows, export)
    assert len(charts(books["export"])) == 2


def test_no_error_values_anywhere_on_the_summary(recalculated):
    for name, (_, rows) in recalculated.items():
        errors = [v for r in rows for v in r if isinstance(v, str) and v.startswith(("#", "Err:"))]
        assert errors == [], name
