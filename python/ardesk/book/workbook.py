"""write_aging_workbook: an AGED frame to the aging workbook, written atomically.

Sheets: Detail (an Excel Table of every open item), By Customer and By Collector (native PivotTables over
that table), Check (the tie-out formulas) and the hidden _ardesk settings sheet. The workbook asks Excel for
a full recalculation on load (calcPr fullCalcOnLoad), after the pivots' own refresh on load.
"""
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ardesk.book import check, detail, pivot, settings_sheet
from ardesk.book.cells import SharedStrings, xml_text
from ardesk.book.namespaces import MAIN, REL, XML_DECLARATION
from ardesk.book.package import (
    CORE_REL,
    SPREADSHEET,
    Part,
    document_properties,
    rel_type,
    replace_atomically,
    rid,
    write_zip,
)
from ardesk.book.sheet import Layout, worksheet
from ardesk.book.styles import stylesheet
from ardesk.errors import ArdeskError

MAX_ROWS = 1_048_576
"""Excel's rows per sheet: the Detail sheet holds this less its header row."""
WORKBOOK = "xl/workbook.xml"
STRINGS = "xl/sharedStrings.xml"
TABLE = "xl/tables/table1.xml"
CACHE = "xl/pivotCache/pivotCacheDefinition1.xml"
ROOT_LINKS = (
    (rel_type("officeDocument"), WORKBOOK),
    (CORE_REL, "docProps/core.xml"),
    (rel_type("extended-properties"), "docProps/app.xml"),
)


@dataclass(frozen=True)
class Sheet:
    """One worksheet and the parts it owns (its Table, PivotTable, drawing and charts)."""

    name: str
    xml: Iterable[str]
    links: tuple[Part, ...] = ()
    """Parts the sheet links to: the N-th has relationship id rIdN (use rid(N) in its Layout)."""
    owned: tuple[Part, ...] = ()
    """Further parts reached through those (a drawing's charts), written into the package with them."""
    hidden: bool = False
    print_titles: str | None = None
    """Rows repeated on every printed page, e.g. `$1:$1`."""


_LINK_TYPES = {"table+xml": "table", "pivotTable+xml": "pivotTable", "drawing+xml": "drawing"}


def _link(part: Part) -> tuple[str, str]:
    kind = next(name for suffix, name in _LINK_TYPES.items() if part.content_type.endswith(suffix))
    return rel_type(kind), part.name


def _workbook_xml(sheets: list[Sheet]) -> str:
    """xl/workbook.xml: the sheets link rId1..n, then come styles, strings and the pivot cache (see _parts)."""
    state = {True: ' state="hidden"', False: ""}
    entries = "".join(
        f'<sheet name="{xml_text(s.name)}" sheetId="{n}"{state[s.hidden]} r:id="{rid(n)}"/>'
        for n, s in enumerate(sheets, 1)
    )
    titles = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">\'{xml_text(s.name)}\'!{s.print_titles}</definedName>'
        for n, s in enumerate(sheets) if s.print_titles
    )
    names = f"<definedNames>{titles}</definedNames>" if titles else ""
    return (
        f'{XML_DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr/>'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{entries}</sheets>'
        f'{names}<calcPr calcId="191029" fullCalcOnLoad="1"/>'
        f'<pivotCaches><pivotCache cacheId="{pivot.CACHE_ID}" r:id="{rid(len(sheets) + 3)}"/></pivotCaches></workbook>'
    )


def _sheets(aged, as_of, base_currency, settings, erp_total_cents, strings) -> list[Sheet]:
    """Every sheet in tab order."""
    cols = detail.columns(base_currency)
    headers = {c.source: c.header for c in cols}
    items = pivot.axis_items(aged)
    bucket_cents = aged.groupby("bucket", observed=False)[pivot.VALUE].sum()
    subtitle = f"in {base_currency} as of {as_of.isoformat()}"
    table = Part(TABLE, SPREADSHEET + "table+xml", detail.table(cols, len(aged)))
    out = [Sheet(detail.SHEET, worksheet(detail.rows(aged, cols, strings), detail.layout(aged, cols, rid(1))),
                 (table,), print_titles="$1:$1")]
    for n, view in enumerate(pivot.VIEWS, 1):
        r = pivot.render(view, aged, items)
        definition = Part(f"xl/pivotTables/pivotTable{n}.xml", SPREADSHEET + "pivotTable+xml",
                          pivot.table_definition(r, cols, items), ((rel_type("pivotCacheDefinition"), CACHE),))
        out.append(Sheet(view.sheet, worksheet(pivot.cells(r, headers, f"{view.title} {subtitle}", strings),
                                               pivot.layout(r, items, headers)), (definition,)))
    out.append(Sheet(check.SHEET, worksheet(check.rows({str(b): int(c) for b, c in bucket_cents.items()}, headers,
                                                       base_currency, as_of, erp_total_cents, strings),
                                            Layout(check.WIDTHS))))
    out.append(Sheet(settings_sheet.SHEET, worksheet(settings_sheet.rows(settings, strings),
                                                     Layout(settings_sheet.WIDTHS)), hidden=True))
    return out


def _parts(aged, as_of, base_currency, settings, erp_total_cents) -> list[Part]:
    strings = SharedStrings()
    sheets = _sheets(aged, as_of, base_currency, settings, erp_total_cents, strings)
    sheet_parts = [
        Part(f"xl/worksheets/sheet{n}.xml", SPREADSHEET + "worksheet+xml", s.xml, tuple(map(_link, s.links)))
        for n, s in enumerate(sheets, 1)
    ]
    workbook_links = (
        *((rel_type("worksheet"), p.name) for p in sheet_parts),
        (rel_type("styles"), "xl/styles.xml"),
        (rel_type("sharedStrings"), STRINGS),
        (rel_type("pivotCacheDefinition"), CACHE),
    )
    cols = detail.columns(base_currency)
    return [
        Part(WORKBOOK, SPREADSHEET + "sheet.main+xml", _workbook_xml(sheets), workbook_links),
        *sheet_parts,
        *(p for s in sheets for p in (*s.links, *s.owned)),
        Part(CACHE, SPREADSHEET + "pivotCacheDefinition+xml", pivot.cache_definition(aged, cols, pivot.axis_items(aged))),
        Part("xl/styles.xml", SPREADSHEET + "styles+xml", stylesheet()),
        *document_properties(f"Aging in {base_currency} as of {as_of.isoformat()}"),
        Part(STRINGS, SPREADSHEET + "sharedStrings+xml", strings.xml()),  # last: writing the sheets fills it
    ]


def write_aging_workbook(
    path,
    aged: pd.DataFrame,
    *,
    as_of: dt.date,
    base_currency: str,
    config: dict[str, str],
    erp_total_cents: int | None = None,
) -> Path:
    """Write the aging workbook for `aged` (an AGED frame) to `path` and return the path.

    Built in a temporary file beside `path` and renamed over it: a failure leaves any existing workbook
    untouched. `config` is kept in the hidden _ardesk sheet (with `as_of` and `base_currency` set from the
    arguments) so the workbook can be refreshed later; a value that looks like a password is refused.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ArdeskError(f"The workbook name {path.name} must end in .xlsx: ardesk writes Excel workbooks.")
    if not re.fullmatch(r"[A-Z]{3}", base_currency):
        raise ArdeskError(
            f"The base currency {base_currency!r} is not a three-letter code like USD: fix base_currency."
        )
    if len(aged) >= MAX_ROWS:
        raise ArdeskError(
            f"{len(aged):,} open items are more than one Excel sheet holds ({MAX_ROWS - 1:,} rows): read fewer "
            "(one company with [erp] company) or print the aging with `ardesk aging --format csv`."
        )
    settings = settings_sheet.checked({**config, "as_of": as_of.isoformat(), "base_currency": base_currency})
    parts = _parts(aged, as_of, base_currency, settings, erp_total_cents)
    return replace_atomically(path, lambda stream: write_zip(stream, parts, ROOT_LINKS))
