"""write_aging_workbook: Contents to the aging workbook; write_hit_list: one hit list on its own. Both atomic.

Sheets in tab order: Summary (figures and charts), Detail (an Excel Table of every open item with its notes and
user columns), By Customer, By Collector and By Sales Rep (native PivotTables over that table), Worklist,
Exceptions, Credit Hold, Credit Review, Returned Payments, Hit List, Past-Due Meeting, Disputes, Payment Plans,
Escalation and Placed Accounts, Reconcile and Credits to Review (when asked for), Notes, Archive, Check (the tie-out
formulas), then the hidden _lists (dropdown entries) and _ardesk (settings) sheets. Tables are numbered in that
order (xl/tables/tableN.xml, id N).
The workbook asks Excel for a full recalculation on load (calcPr fullCalcOnLoad), after the pivots' own
refresh on load.
"""
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pandas as pd

from ardesk.book import (allowance_sheet, bad_debt_sheet, changes_sheet, check, credit_review_sheet, detail,
                         dunning_sheet, escalation_sheet, lists, notes_sheet, pivot, reconcile_sheet, returns_sheet,
                         rollforward_sheet, settings_sheet, summary, tie_out_sheet, write_off_sheet)
from ardesk.ar.allowance import Allowance
from ardesk.ar.bad_debt import BadDebt
from ardesk.ar.rollforward import Rollforward
from ardesk.ar.tie_out import TieOut
from ardesk.book.cells import SharedStrings
from ardesk.book.contents import Contents
from ardesk.book.sheet import Layout, Sheet, worksheet
from ardesk.book.styles import stylesheet
from ardesk.book.tables import HEADER_ROW, TableSheet
from ardesk.book.userdata import ARCHIVE_SHEET, DISPUTES_SHEET, NOTES_SHEET, RECONCILE_SHEET
from ardesk.errors import ArdeskError
from ardesk.xlsx import theme
from ardesk.xlsx.namespaces import MAIN, REL, XML_DECLARATION
from ardesk.xlsx.package import (
    CORE_REL,
    SPREADSHEET,
    Part,
    document_properties,
    rel_type,
    replace_atomically,
    rid,
    write_zip,
)
from ardesk.xlsx.text import xml_text

MAX_ROWS = 1_048_576
"""Excel's rows per sheet: the Detail sheet holds this less its header row."""
WORKBOOK = "xl/workbook.xml"
STRINGS = "xl/sharedStrings.xml"
CACHE = "xl/pivotCache/pivotCacheDefinition1.xml"
ROOT_LINKS = (
    (rel_type("officeDocument"), WORKBOOK),
    (CORE_REL, "docProps/core.xml"),
    (rel_type("extended-properties"), "docProps/app.xml"),
)


_LINK_TYPES = {"table+xml": "table", "pivotTable+xml": "pivotTable", "drawing+xml": "drawing"}


def _link(part: Part) -> tuple[str, str]:
    kind = next(name for suffix, name in _LINK_TYPES.items() if part.content_type.endswith(suffix))
    return rel_type(kind), part.name


def _workbook_xml(sheets: list[Sheet], names: dict[str, str], cache: bool) -> str:
    """xl/workbook.xml: the sheets link rId1..n, then come styles, strings and the pivot cache (see _package)."""
    state = {True: ' state="hidden"', False: ""}
    entries = "".join(
        f'<sheet name="{xml_text(s.name)}" sheetId="{n}"{state[s.hidden]} r:id="{rid(n)}"/>'
        for n, s in enumerate(sheets, 1)
    )
    defined = [
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">\'{xml_text(s.name)}\'!{s.print_titles}</definedName>'
        for n, s in enumerate(sheets) if s.print_titles
    ] + [f'<definedName name="{name}">{xml_text(ref)}</definedName>' for name, ref in names.items()]
    caches = (f'<pivotCaches><pivotCache cacheId="{pivot.CACHE_ID}" r:id="{rid(len(sheets) + 3)}"/></pivotCaches>'
              if cache else "")
    return (
        f'{XML_DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/>'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{entries}</sheets>'
        f'{"<definedNames>" + "".join(defined) + "</definedNames>" if defined else ""}'
        f'<calcPr calcId="191029" fullCalcOnLoad="1"/>{caches}</workbook>'
    )


def _table_sheet(name: str, made: TableSheet) -> Sheet:
    """A sheet holding one Table, its header row repeated on printed pages."""
    table = Part(f"xl/tables/table{made.number}.xml", SPREADSHEET + "table+xml", made.table)
    return Sheet(name, worksheet(made.rows, made.layout), (table,), print_titles=HEADER_ROW)


def _report_sheet(name: str, report: lists.Report, strings: SharedStrings) -> Sheet:
    return Sheet(name, worksheet(lists.rows(report, strings), lists.layout(report)), print_titles=lists.PRINT_TITLES)


def _sheets(contents: Contents, as_of, base_currency, settings, sections, strings) -> tuple[list[Sheet], dict, Part]:
    """Every sheet in tab order, the workbook's defined names, and the pivot cache. The hidden settings sheet's
    rows are made first so that its strings open the shared-string table: every action reads them first."""
    settings_rows = settings_sheet.rows(settings, strings)
    aged = contents.aged
    bucket_cents = _by_bucket(aged)
    disputed_cents = _by_bucket(aged[(contents.in_dispute != "").to_numpy()])
    out: list[Sheet] = [summary.sheet(contents.summary, bucket_cents, disputed_cents, base_currency, strings)]
    rows = detail.frame(aged, contents.item_notes, contents.in_dispute, contents.typed.detail)
    cols = detail.columns(base_currency)
    headers = {c.source: c.header for c in cols}
    items = pivot.axis_items(aged)
    tables = count(1)
    first = not out  # the sheet Excel shows first
    out.append(_table_sheet(detail.SHEET, detail.sheet(rows, cols, next(tables), strings, selected=first)))
    subtitle = f"in {base_currency} as of {as_of.isoformat()}"
    for n, view in enumerate(pivot.VIEWS, 1):
        r = pivot.render(view, aged, items)
        definition = Part(f"xl/pivotTables/pivotTable{n}.xml", SPREADSHEET + "pivotTable+xml",
                          pivot.table_definition(r, cols, items), ((rel_type("pivotCacheDefinition"), CACHE),))
        out.append(Sheet(view.sheet, worksheet(pivot.cells(r, headers, f"{view.title} {subtitle}", strings),
                                               pivot.layout(r, items, headers)), (definition,),
                         print_titles=f"$1:${pivot.TOP + 1}"))
    out.append(_report_sheet(lists.WORKLIST_SHEET, lists.worklist(contents.worklist, base_currency, as_of), strings))
    out.append(_report_sheet(lists.EXCEPTIONS_SHEET,
                             lists.exceptions(contents.exceptions, sections, base_currency, as_of), strings))
    out.append(_table_sheet(lists.CREDIT_HOLD_SHEET, lists.credit_hold(contents.credit_hold, contents.typed.hold,
                                                                       base_currency, next(tables), strings)))
    if contents.credit_review is not None:
        out.append(_table_sheet(credit_review_sheet.SHEET, credit_review_sheet.table(
            contents.credit_review, contents.typed.credit_review, base_currency, next(tables), strings)))
    if contents.returned is not None:
        out.append(_report_sheet(returns_sheet.SHEET, returns_sheet.report(
            contents.returned, contents.returned_months, base_currency, as_of), strings))
    labels = [str(b) for b in aged["bucket"].cat.categories]
    out.append(_report_sheet(lists.HIT_LIST_SHEET, lists.hit_list(contents.hit_list, labels, base_currency, as_of),
                             strings))
    out.append(_report_sheet(lists.MEETING_SHEET, lists.meeting(contents.meeting, base_currency, as_of), strings))
    out.append(_table_sheet(DISPUTES_SHEET, lists.disputes(contents.disputes, contents.typed.disputes, base_currency,
                                                           next(tables), strings)))
    out.append(_report_sheet(lists.PLANS_SHEET, lists.payment_plans(contents.plans, base_currency, as_of), strings))
    if contents.escalation is not None:
        out.append(_table_sheet(escalation_sheet.SHEET, escalation_sheet.escalation(contents.escalation, next(tables),
                                                                                   strings)))
        out.append(_table_sheet(escalation_sheet.PLACED_SHEET, escalation_sheet.placed(contents.placed, next(tables),
                                                                                      strings)))
    if contents.reconcile is not None:
        out.append(_table_sheet(RECONCILE_SHEET, reconcile_sheet.reconcile(contents.reconcile, contents.typed.reconcile,
                                                                           next(tables), strings)))
        out.append(_report_sheet(reconcile_sheet.REVIEW_SHEET, reconcile_sheet.review(contents.review, as_of), strings))
    customer_rows, customers = notes_sheet.customer_list(contents.customer_ids, strings)
    out.append(_table_sheet(NOTES_SHEET, notes_sheet.notes(contents.typed.notes, next(tables), strings,
                                                           customers is not None)))
    out.append(_table_sheet(ARCHIVE_SHEET, notes_sheet.archive(contents.typed.archive, next(tables), strings)))
    out.append(Sheet(check.SHEET, worksheet(check.rows(bucket_cents, headers, base_currency, as_of,
                                                       contents.erp_total_cents, strings), Layout(check.WIDTHS))))
    out.append(Sheet(notes_sheet.LISTS_SHEET, worksheet(customer_rows, Layout((16,))), hidden=True))
    out.append(Sheet(settings_sheet.SHEET, worksheet(settings_rows, Layout(settings_sheet.WIDTHS)), hidden=True))
    names = {notes_sheet.CUSTOMERS: customers} if customers else {}
    cache = Part(CACHE, SPREADSHEET + "pivotCacheDefinition+xml", pivot.cache_definition(rows, cols, items))
    return out, names, cache


def _by_bucket(aged: pd.DataFrame) -> dict[str, int]:
    """Base balance in cents per bucket of the aging, every bucket in order (empty ones 0)."""
    return {str(b): int(c) for b, c in aged.groupby("bucket", observed=False)[pivot.VALUE].sum().items()}


def _package(sheets: list[Sheet], names: dict[str, str], cache: Part | None, title: str,
             strings: SharedStrings) -> list[Part]:
    """Every part of the package: the workbook, its sheets and what they own, styles, properties, strings."""
    sheet_parts = [
        Part(f"xl/worksheets/sheet{n}.xml", SPREADSHEET + "worksheet+xml", s.xml, tuple(map(_link, s.links)))
        for n, s in enumerate(sheets, 1)
    ]
    workbook_links = (
        *((rel_type("worksheet"), p.name) for p in sheet_parts),
        (rel_type("styles"), "xl/styles.xml"),
        (rel_type("sharedStrings"), STRINGS),
        *(((rel_type("pivotCacheDefinition"), cache.name),) if cache else ()),
        theme.LINK,
    )
    return [
        Part(WORKBOOK, SPREADSHEET + "sheet.main+xml", _workbook_xml(sheets, names, cache is not None), workbook_links),
        *sheet_parts,
        *(p for s in sheets for p in (*s.links, *s.owned)),
        *((cache,) if cache else ()),
        Part("xl/styles.xml", SPREADSHEET + "styles+xml", stylesheet()),
        theme.part(),
        *document_properties(title),
        Part(STRINGS, SPREADSHEET + "sharedStrings+xml", strings.xml()),  # last: writing the sheets fills it
    ]


def _checked(path, base_currency: str) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ArdeskError(f"The workbook name {path.name} must end in .xlsx: ardesk writes Excel workbooks.")
    if not re.fullmatch(r"[A-Z]{3}", base_currency):
        raise ArdeskError(
            f"The base currency {base_currency!r} is not a three-letter code like USD: fix base_currency."
        )
    return path


def write_aging_workbook(
    path,
    contents: Contents,
    *,
    as_of: dt.date,
    base_currency: str,
    config: dict[str, str],
    sections: Sequence[str] | None = None,
) -> Path:
    """Write the aging workbook showing `contents` to `path` and return the path.

    `sections` are the Exceptions sections in settings order, each shown even when empty (by default, the
    sections the exceptions frame holds). Built in a temporary file beside `path` and renamed over it: a
    failure leaves any existing workbook untouched. `config` is kept in the hidden _ardesk sheet (with `as_of`
    and `base_currency` set from the arguments) so the workbook can be refreshed later; a value that looks like
    a password is refused.
    """
    path = _checked(path, base_currency)
    if len(contents.aged) >= MAX_ROWS:
        raise ArdeskError(
            f"{len(contents.aged):,} open items are more than one Excel sheet holds ({MAX_ROWS - 1:,} rows): read "
            "fewer (one company with [erp] company) or print the aging with `ardesk aging --format csv`."
        )
    settings = settings_sheet.checked({**config, "as_of": as_of.isoformat(), "base_currency": base_currency})
    strings = SharedStrings()
    sheets, names, cache = _sheets(contents, as_of, base_currency, settings, sections, strings)
    parts = _package(sheets, names, cache, f"Aging in {base_currency} as of {as_of.isoformat()}", strings)
    return replace_atomically(path, lambda stream: write_zip(stream, parts, ROOT_LINKS))


def write_hit_list(path, hit_list: pd.DataFrame, bucket_labels: Sequence[str], *, as_of: dt.date,
                   base_currency: str, title: str) -> Path:
    """Write a workbook of just the Hit List sheet for `hit_list` (HIT_LIST) titled `title`, atomically.

    `ardesk hitlist --split-by sales_rep` writes one per rep; the sheet is the aging workbook's own Hit List.
    """
    path = _checked(path, base_currency)
    strings = SharedStrings()
    report = lists.hit_list(hit_list, bucket_labels, base_currency, as_of, title)
    parts = _package([_report_sheet(lists.HIT_LIST_SHEET, report, strings)], {}, None, title, strings)
    return replace_atomically(path, lambda stream: write_zip(stream, parts, ROOT_LINKS))


@dataclass(frozen=True)
class Reserves:
    """What the Month-End workbook's Allowance, Write-Offs and Bad Debt sheets show."""

    allowance: Allowance
    loss_rates: pd.DataFrame  # ar.loss_rates.LOSS_RATES
    accounts: tuple[tuple[str, ...], str]  # the allowance accounts, the bad-debt expense account
    proposals: pd.DataFrame  # ar.write_offs.PROPOSALS
    approvers: pd.Series  # the name typed beside each proposal (None where none)
    bad_debt: BadDebt


def write_month_end(path, rollforward: Rollforward, activity: pd.DataFrame, names: dict[str, str],
                    erp_totals: tuple[int, int], tie: TieOut | None, start: dt.date, end: dt.date, *,
                    base_currency: str, frozen: pd.DataFrame, changes: pd.DataFrame,
                    reserves: Reserves | None = None) -> Path:
    """Write the Month-End workbook of the period `start`..`end` to `path`, atomically: the Rollforward sheet
    over the Period Activity table (PERIOD_ACTIVITY), the GL Tie-Out (`tie`; None when no control account is
    set), the Allowance, Write-Offs and Bad Debt sheets of `reserves` when given, and, when the ERP's history
    changed since the period was frozen (`frozen`, CLOSES), the Changes Since Close (`changes`,
    ardesk.ar.closing.CHANGES); `names` gives each customer's name, `erp_totals` the ERP's own opening and closing
    totals in cents."""
    path = _checked(path, base_currency)
    strings = SharedStrings()
    rows, layout = rollforward_sheet.rows(rollforward, names, erp_totals, start, end, base_currency,
                                          changes_sheet.status(frozen, changes), strings)
    sheets = [Sheet(rollforward_sheet.SHEET, worksheet(rows, layout),
                    print_titles=f"$1:${rollforward_sheet.HEADER}"),
              Sheet(tie_out_sheet.SHEET, worksheet(*tie_out_sheet.rows(tie, base_currency, strings)))]
    if reserves is not None:
        sheets += [
            Sheet(allowance_sheet.SHEET, worksheet(*allowance_sheet.rows(
                reserves.allowance, reserves.loss_rates, reserves.accounts, base_currency, strings)),
                print_titles=f"$1:${allowance_sheet.HEADER}"),
            _table_sheet(write_off_sheet.SHEET, write_off_sheet.table(reserves.proposals, reserves.approvers, 3,
                                                                      strings)),
            Sheet(bad_debt_sheet.SHEET, worksheet(*bad_debt_sheet.rows(reserves.bad_debt, base_currency, strings))),
        ]
    sheets.append(_table_sheet(rollforward_sheet.ACTIVITY_SHEET, rollforward_sheet.activity(activity, 1, strings)))
    if len(changes):
        sheets.append(_table_sheet(changes_sheet.SHEET, changes_sheet.table(changes, 2, strings)))
    parts = _package(sheets, {}, None, f"Receivables rollforward {start:%Y-%m} in {base_currency}", strings)
    return replace_atomically(path, lambda stream: write_zip(stream, parts, ROOT_LINKS))


def write_dunning(path, proposals: pd.DataFrame, left_out: pd.DataFrame, approvals: pd.DataFrame, as_of: dt.date,
                  *, base_currency: str) -> Path:
    """Write the Dunning workbook to `path`, atomically: the letters proposed as of `as_of` (ardesk.ar.dunning's
    PROPOSALS, with the Approve values in `approvals`, aligned row for row) and the customers left out
    (LEFT_OUT)."""
    path = _checked(path, base_currency)
    strings = SharedStrings()
    sheets = [_table_sheet(dunning_sheet.SHEET, dunning_sheet.proposals(proposals, approvals, 1, strings)),
              _table_sheet(dunning_sheet.LEFT_OUT_SHEET, dunning_sheet.left_out(left_out, 2, strings))]
    parts = _package(sheets, {}, None, f"Dunning letters as of {as_of} in {base_currency}", strings)
    return replace_atomically(path, lambda stream: write_zip(stream, parts, ROOT_LINKS))
