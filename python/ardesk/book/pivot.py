"""Native PivotTables over the Detail table: one shared cache, one pivot per view, and their cells.

The cache names the OpenItems table as its source, keeps no records (saveData="0") and asks Excel to
refresh on load, so Excel rebuilds every pivot from the Detail rows when it opens the workbook. The pivot
sheets also carry the values computed here, so a viewer that does not refresh still shows the right numbers.
Row items are listed in sorted order and bucket items in bucket order (Current first): a pivot field keeps
the item order it is given ("manual" sort), so Excel shows the buckets as the aging defines them.
Items are unique ignoring case, as Excel matches them: "ACME CORP" and "Acme Corp" are one item, spelled as
the first Detail row has it. Two spellings listed as two items are a cache Excel repairs (LibreOffice merges
them silently), so the sums here group the same way.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ardesk.book import styles
from ardesk.book.cells import SharedStrings, column_letter, number_text, row
from ardesk.book.columns import DATE, INTEGER, MONEY, Column
from ardesk.book.detail import TABLE
from ardesk.book.sheet import Layout
from ardesk.xlsx.namespaces import MAIN, XML_DECLARATION
from ardesk.xlsx.text import xml_text

BLANK = "(blank)"
"""Excel's label for the row item of empty cells (no collector, say)."""
GRAND_TOTAL = "Grand Total"
CACHE_ID = 1
TOP = 3
"""Sheet row of the pivot's first line; rows 1-2 hold the title."""
VALUE = "base_balance_cents"


@dataclass(frozen=True)
class View:
    name: str
    """The PivotTable's name."""
    sheet: str
    title: str
    rows: tuple[str, ...]
    """AGED columns on the row axis, outermost first."""

    @property
    def anchor(self) -> str:
        """A cell inside the pivot, for GETPIVOTDATA."""
        return f"'{self.sheet}'!$A${TOP}"


VIEWS = (
    View("ByCustomer", "By Customer", "Aging by customer", ("customer_id", "customer_name")),
    View("ByCollector", "By Collector", "Aging by collector", ("collector",)),
    View("BySalesRep", "By Sales Rep", "Aging by sales rep", ("sales_rep",)),
)


@dataclass(frozen=True)
class Rendered:
    """A pivot's content as Excel lays it out: row labels, bucket columns, sums in cents."""

    view: View
    labels: list[tuple[str, ...]]
    buckets: list[str]
    cents: np.ndarray
    """One row per label, one column per bucket."""


def _text(values: pd.Series) -> pd.Series:
    return values.astype("string").fillna("")


def _item_key(text: pd.Series) -> pd.Series:
    """What makes two values one pivot item: the text ignoring case."""
    return text.str.lower()


def _positions(values: pd.Series, items: list[str]) -> np.ndarray:
    """Each value's index in `items`, matched as Excel matches pivot items."""
    return pd.Categorical(_item_key(_text(values)), categories=_item_key(pd.Series(items, dtype="string"))).codes


def axis_items(aged: pd.DataFrame) -> dict[str, list[str]]:
    """Each axis field's items in display order: row fields sorted with the blank last, buckets in order."""
    items = {}
    for source in dict.fromkeys(s for view in VIEWS for s in view.rows):
        text = _text(aged[source])
        first_spellings = text.groupby(_item_key(text), sort=False).first()
        items[source] = sorted(first_spellings, key=lambda v: (v == "", v))
    counts = aged["bucket"].value_counts(sort=False)
    items["bucket"] = [str(b) for b in aged["bucket"].cat.categories if counts[b] > 0]
    return items


def render(view: View, aged: pd.DataFrame, items: dict[str, list[str]]) -> Rendered:
    """The pivot's values, summed in integer cents by pandas.

    Grouping on each value's position in its item list makes pandas' sorted group order the display order.
    """
    if aged.empty:
        return Rendered(view, [], [], np.zeros((0, 0), dtype=np.int64))
    positions = [_positions(aged[s], items[s]) for s in (*view.rows, "bucket")]
    table = aged[VALUE].groupby(positions).sum().unstack(fill_value=0)
    table = table.reindex(columns=range(len(items["bucket"])), fill_value=0)
    keys = table.index.to_frame(index=False).to_numpy()
    labels = [tuple(items[s][k] for s, k in zip(view.rows, key)) for key in keys]
    return Rendered(view, labels, items["bucket"], table.to_numpy(np.int64))


def cells(rendered: Rendered, headers: dict[str, str], title: str, strings: SharedStrings) -> list[str]:
    """The pivot sheet's rows: title, the pivot as Excel draws it (tabular form), the grand totals."""
    view, width = rendered.view, len(rendered.view.rows)
    cents = rendered.cents
    pad = [None] * (width - 1)
    out = [
        row(1, [title], strings, styles.TITLE),
        row(TOP, [f"Sum of {headers[VALUE]}", *pad, headers["bucket"]], strings, styles.BOLD),
        row(TOP + 1, [headers[s] for s in view.rows] + rendered.buckets + [GRAND_TOTAL], strings, styles.BOLD),
    ]
    money = [styles.MONEY] * len(rendered.buckets) + [styles.MONEY_BOLD]
    for n, (label, values) in enumerate(zip(rendered.labels, cents)):
        amounts = [*values, values.sum()]
        out.append(row(TOP + 2 + n, [v or BLANK for v in label] + [c / 100 for c in amounts], strings,
                       [styles.PLAIN] * width + money))
    totals = [GRAND_TOTAL, *pad, *(c / 100 for c in [*cents.sum(axis=0), cents.sum()])]
    last = TOP + 2 + len(rendered.labels)
    out.append(row(last, totals, strings, [styles.BOLD] * width + [styles.MONEY_BOLD] * (len(totals) - width)))
    return out


def extent(rendered: Rendered) -> str:
    """The pivot's range on its sheet (Excel's location ref)."""
    last_column = column_letter(len(rendered.view.rows) + len(rendered.buckets))
    return f"A{TOP}:{last_column}{TOP + 2 + len(rendered.labels)}"


def layout(rendered: Rendered, items: dict[str, list[str]], headers: dict[str, str]) -> Layout:
    """Label columns as wide as their longest item, headers and labels frozen while scrolling."""
    labels = [min(max([len(headers[s]) + 3, 10] + [len(v) + 2 for v in items[s]]), 50) for s in rendered.view.rows]
    return Layout(
        [float(w) for w in labels] + [15.0] * (len(rendered.buckets) + 1),
        "A1:" + extent(rendered).split(":")[1],
        frozen_rows=TOP + 1,
        frozen_columns=len(rendered.view.rows),
    )


def _cache_field(column: Column, values: pd.Series, items: list[str] | None) -> str:
    blank = ' containsBlank="1"' if values.isna().any() or (items is not None and "" in items) else ""
    if values.dtype == object:  # typed by people, of any type: Excel lists the items when it refreshes
        shared = "<sharedItems/>"
    elif items is not None:
        listed = "".join("<m/>" if v == "" else f'<s v="{xml_text(v)}"/>' for v in items)
        shared = f'<sharedItems{blank} count="{len(items)}">{listed}</sharedItems>' if items else "<sharedItems/>"
    elif column.kind in (MONEY, INTEGER) and len(values):
        numbers = values.to_numpy(np.int64) / (100 if column.kind == MONEY else 1)
        whole = ' containsInteger="1"' if column.kind == INTEGER else ""
        shared = (
            f'<sharedItems containsSemiMixedTypes="0" containsString="0" containsNumber="1"{whole} '
            f'minValue="{number_text(numbers.min())}" maxValue="{number_text(numbers.max())}"/>'
        )
    elif column.kind == DATE and values.notna().any():
        shared = (
            f'<sharedItems containsSemiMixedTypes="0" containsNonDate="0" containsDate="1" containsString="0"{blank} '
            f'minDate="{values.min().isoformat()}" maxDate="{values.max().isoformat()}"/>'
        )
    else:
        shared = "<sharedItems/>"
    number_format = {MONEY: styles.ACCOUNTING_ID, DATE: styles.SHORT_DATE_ID}.get(column.kind, 0)
    return f'<cacheField name="{xml_text(column.header)}" numFmtId="{number_format}">{shared}</cacheField>'


def cache_definition(aged: pd.DataFrame, cols: tuple[Column, ...], items: dict[str, list[str]]) -> str:
    """xl/pivotCache/pivotCacheDefinition1.xml: the OpenItems table as source, refreshed when opened."""
    fields = "".join(_cache_field(c, aged[c.source], items.get(c.source)) for c in cols)
    return (
        f'{XML_DECLARATION}<pivotCacheDefinition xmlns="{MAIN}" saveData="0" refreshOnLoad="1" '
        'createdVersion="6" refreshedVersion="6" minRefreshableVersion="3">'
        f'<cacheSource type="worksheet"><worksheetSource name="{TABLE}"/></cacheSource>'
        f'<cacheFields count="{len(cols)}">{fields}</cacheFields></pivotCacheDefinition>'
    )


def table_definition(rendered: Rendered, cols: tuple[Column, ...], items: dict[str, list[str]]) -> str:
    """xl/pivotTables/pivotTableN.xml: rows = the view's fields, columns = bucket, values = sum of base balance."""
    view = rendered.view
    index = {c.source: i for i, c in enumerate(cols)}
    common = ' compact="0" outline="0" showAll="0"'
    fields = []
    for c in cols:
        if c.source in view.rows or c.source == "bucket":
            axis = "axisRow" if c.source in view.rows else "axisCol"
            count = len(items[c.source])
            listed = "".join(f'<item x="{k}"/>' for k in range(count))
            listed = f'<items count="{count}">{listed}</items>' if count else ""
            fields.append(f'<pivotField axis="{axis}"{common} defaultSubtotal="0">{listed}</pivotField>')
        elif c.source == VALUE:
            fields.append(f'<pivotField dataField="1"{common}/>')
        else:
            fields.append(f"<pivotField{common}/>")
    row_fields = "".join(f'<field x="{index[s]}"/>' for s in view.rows)
    value_header = xml_text(cols[index[VALUE]].header)
    return (
        f'{XML_DECLARATION}<pivotTableDefinition xmlns="{MAIN}" name="{view.name}" cacheId="{CACHE_ID}" '
        'applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" applyPatternFormats="0" '
        'applyAlignmentFormats="0" applyWidthHeightFormats="1" dataCaption="Values" updatedVersion="6" '
        'minRefreshableVersion="3" useAutoFormatting="1" itemPrintTitles="1" createdVersion="6" indent="0" '
        'compact="0" compactData="0" outline="1" outlineData="1" multipleFieldFilters="0">'
        f'<location ref="{extent(rendered)}" firstHeaderRow="1" firstDataRow="2" firstDataCol="{len(view.rows)}"/>'
        f'<pivotFields count="{len(cols)}">{"".join(fields)}</pivotFields>'
        f'<rowFields count="{len(view.rows)}">{row_fields}</rowFields>'
        f'<colFields count="1"><field x="{index["bucket"]}"/></colFields>'
        f'<dataFields count="1"><dataField name="Sum of {value_header}" fld="{index[VALUE]}" baseField="0" '
        f'baseItem="0" numFmtId="{styles.ACCOUNTING_ID}"/></dataFields>'
        '<pivotTableStyleInfo name="PivotStyleLight16" showRowHeaders="1" showColHeaders="1" '
        'showRowStripes="0" showColStripes="0" showLastColumn="1"/>'
        "</pivotTableDefinition>"
    )
