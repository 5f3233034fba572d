"""Excel Tables: the table part, and the sheets that are one Table from cell A1 (Credit Hold, Notes, Archive).

Sheets people type into are Tables so that Excel grows them (with their checks) as rows are added, and so a
refresh can read the typed values back by header (book.carry). A Table needs a data row, so an empty one
keeps one blank row under its header.
"""
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ardesk.book import styles, typed
from ardesk.book.cells import SharedStrings, column_letter, row
from ardesk.book.columns import Column, rows, width
from ardesk.book.sheet import Layout
from ardesk.book.userdata import UserColumn
from ardesk.xlsx.namespaces import MAIN, XML_DECLARATION
from ardesk.xlsx.package import rid
from ardesk.xlsx.text import xml_text

HEADER_ROW = "$1:$1"
"""What a Table sheet repeats on every printed page."""
TABLE_LINK = rid(1)
"""A Table sheet's link to its table part: its first and only one."""


def table_range(columns: int, records: int) -> str:
    """The Table's range: the header row plus the records, or one blank row when there are none."""
    return f"A1:{column_letter(columns - 1)}{max(records, 1) + 1}"


def table_xml(number: int, name: str, headers: list[str], records: int) -> str:
    """xl/tables/tableN.xml: Table `number` (unique in the workbook) named `name`, with its autofilter."""
    ref = table_range(len(headers), records)
    names = "".join(f'<tableColumn id="{i}" name="{xml_text(h)}"/>' for i, h in enumerate(headers, 1))
    return (
        f'{XML_DECLARATION}<table xmlns="{MAIN}" id="{number}" name="{name}" displayName="{name}" ref="{ref}">'
        f'<autoFilter ref="{ref}"/><tableColumns count="{len(headers)}">{names}</tableColumns>'
        '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" '
        'showColumnStripes="0"/></table>'
    )


@dataclass(frozen=True)
class TableSheet:
    """A sheet holding one Table: its rows, its layout, and the XML of Table `number` (the sheet's one link)."""

    rows: Iterable[str]
    layout: Layout
    number: int
    table: str


def letters(columns: tuple[Column, ...]) -> dict[str, str]:
    """Header -> column letter."""
    return {c.header: column_letter(i) for i, c in enumerate(columns)}


def table_sheet(number: int, name: str, columns: tuple[Column, ...], frame: pd.DataFrame, strings: SharedStrings,
                *, checked: tuple[UserColumn, ...] = (), sources: dict[str, str] | None = None,
                spare_rows: int = 0) -> TableSheet:
    """Table `name` over `frame`'s columns, the `checked` columns validated down to `spare_rows` below it
    (rows people add under a Table are checked too); `sources` names list ranges by header (typed.validation).
    """
    records = len(frame)
    header = row(1, [c.header for c in columns], strings, styles.BOLD)
    layout = Layout(
        [width(c, frame[c.source]) for c in columns],
        table_range(len(columns), records),
        frozen_rows=1,
        table_rel=TABLE_LINK,
        validations=typed.validations(checked, letters(columns), 2, max(records, 1) + 1 + spare_rows, sources),
    )
    body = "".join(rows(columns, frame, range(2, records + 2), strings))
    return TableSheet([header, body], layout, number, table_xml(number, name, [c.header for c in columns], records))


def typed_table(number: int, name: str, columns: tuple[Column, ...], frame: pd.DataFrame, typed: pd.DataFrame,
                user: tuple[UserColumn, ...], strings: SharedStrings) -> TableSheet:
    """Table `name` of `frame`'s rows with what people typed about each beside them (`typed`, aligned row for row,
    under the `user` headers), those columns checked."""
    shown = pd.concat([frame.reset_index(drop=True), typed.reset_index(drop=True)], axis=1)
    return table_sheet(number, name, columns, shown, strings, checked=user)
