"""One writer for a cell from a Python value, and the checks Excel applies to what people type.

Typed values come back from the workbook as the reader gave them (str, int, float, datetime, date, bool, or
None where empty) and go out again unchanged in type: text as text (quote-prefixed when it starts like a
formula), numbers as numbers, dates as date serials in the date format, booleans as TRUE/FALSE. So a refresh
writes back exactly what was typed; a Yes/No dropdown gives text, which stays text. The report sheets' values
(amounts, dates, counts, ERP text) go through the same writer.
"""
import datetime as dt
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ardesk.book import styles
from ardesk.book.cells import SharedStrings, cell as plain_cell
from ardesk.book.userdata import CHOICE, DATE, MONEY, UserColumn
from ardesk.xlsx.text import xml_text

_EPOCH = dt.datetime(1899, 12, 30)
_LAST_DATE = 2_958_465
"""9999-12-31, Excel's last date."""


def serial(value: dt.date) -> float:
    """A date or datetime as an Excel date serial (days since 1899-12-30, the time as the fraction)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    return (moment.replace(tzinfo=None) - _EPOCH) / dt.timedelta(days=1)


def _missing(value) -> bool:
    return value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def cell(ref: str, value, number_style: int, strings: SharedStrings) -> str:
    """The `<c>` element for `value` ("" when empty); numbers and Formulas take `number_style`."""
    if _missing(value):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        return plain_cell(ref, serial(value), styles.DATE, strings)
    return plain_cell(ref, value, 0 if isinstance(value, str) else number_style, strings)


def validation(column: UserColumn, sqref: str, source: str | None = None) -> str | None:
    """The `<dataValidation>` for a typed column over `sqref`, or None when the column takes any text.

    Choices become a dropdown of the listed entries (or of the range or name `source`), dates must be dates,
    money an amount of 0 or more. Blank is always allowed: nobody has to type anything.
    """
    if source is not None or column.kind == CHOICE:
        if source is None:
            source = '"' + ",".join(column.choices) + '"'
        check, formulas = 'type="list"', f"<formula1>{xml_text(source)}</formula1>"
        says = "Pick an entry from the list."
    elif column.kind == DATE:
        check = 'type="date" operator="between"'
        formulas, says = f"<formula1>1</formula1><formula2>{_LAST_DATE}</formula2>", "Type a date."
    elif column.kind == MONEY:
        check = 'type="decimal" operator="greaterThanOrEqual"'
        formulas, says = "<formula1>0</formula1>", "Type an amount of 0 or more."
    else:
        return None
    return (
        f'<dataValidation {check} allowBlank="1" showInputMessage="1" showErrorMessage="1" '
        f'errorTitle="{xml_text(column.header)}" error="{says}" sqref="{sqref}">{formulas}</dataValidation>'
    )


def validations(columns: Sequence[UserColumn], letters: dict[str, str], first: int, last: int,
                sources: dict[str, str] | None = None) -> tuple[str, ...]:
    """The checks of `columns` (placed at `letters[header]`) over sheet rows first..last."""
    sources = sources or {}
    found = (validation(c, f"{letters[c.header]}{first}:{letters[c.header]}{last}", sources.get(c.header))
             for c in columns)
    return tuple(v for v in found if v)
