"""Cell-level SpreadsheetML as text: escaping, references, shared strings, small rows.

The workbook is written as XML text, not through a DOM: the Detail sheet alone has half a million cells and
string building is the fast path. Every piece of text goes through the shared-string table (`t="s"` cells),
so text from the ERP is data and can never become a formula.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ardesk.book import styles
from ardesk.xlsx.namespaces import MAIN, XML_DECLARATION
from ardesk.xlsx.text import xml_text

CELL_TEXT_LIMIT = 32_767
"""Excel's most characters in one cell; longer text is cut to fit and ends in an ellipsis."""

FORMULA_LEAD = ("=", "+", "-", "@")
"""Leading characters that make a typed entry a formula: such text gets the quote-prefix style."""


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def number_text(value: float) -> str:
    """A number for a `<v>` element: integral values without a trailing `.0`."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class SharedStrings:
    """The workbook's shared-string table (xl/sharedStrings.xml), filled while the sheets are written."""

    def __init__(self):
        self._index: dict[str, int] = {}

    def add(self, text: str) -> int:
        """The table index of `text`, adding it when new (cut to Excel's cell limit: the ERP keeps the whole)."""
        if len(text) > CELL_TEXT_LIMIT:
            text = text[: CELL_TEXT_LIMIT - 1] + "…"
        return self._index.setdefault(text, len(self._index))

    def add_column(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Table indexes for a text column (-1 where empty) and whether each value needs the quote prefix."""
        codes, uniques = pd.factorize(values.astype("string").fillna(""), sort=False)
        uniques = uniques.to_numpy(dtype=object).tolist()
        ids = np.array([self.add(u) if u else -1 for u in uniques] + [-1], dtype=np.int64)
        quoted = np.array([u.startswith(FORMULA_LEAD) for u in uniques] + [False])
        return ids[codes], quoted[codes]

    def xml(self, batch: int = 8192):
        """xl/sharedStrings.xml in pieces of `batch` strings (one zip write each)."""
        yield f'{XML_DECLARATION}<sst xmlns="{MAIN}" uniqueCount="{len(self._index)}">'
        texts = list(self._index)
        for start in range(0, len(texts), batch):
            yield "".join(f"<si><t>{xml_text(text)}</t></si>" for text in texts[start : start + batch])
        yield "</sst>"


@dataclass(frozen=True)
class Formula:
    """A formula with the value it computes now, stored as the cell's cached value."""

    text: str
    cached: float


def cell(ref: str, value, style: int, strings: SharedStrings) -> str:
    """One `<c>` element of a small sheet: text, number or Formula; None gives no cell (or an empty styled one).

    Data (ERP text, settings) goes into unstyled cells; those starting like a formula get the quote prefix.
    """
    s = f' s="{style}"' if style else ""
    if value is None:
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, str):
        if value.startswith(FORMULA_LEAD) and not style:
            s = f' s="{styles.QUOTED}"'
        return f'<c r="{ref}"{s} t="s"><v>{strings.add(value)}</v></c>'
    if isinstance(value, Formula):
        return f'<c r="{ref}"{s}><f>{xml_text(value.text)}</f><v>{number_text(value.cached)}</v></c>'
    return f'<c r="{ref}"{s}><v>{number_text(value)}</v></c>'


def row(number: int, values, strings: SharedStrings, style: int | list[int] = 0) -> str:
    """A `<row>` of cells from column A on; `style` is one style for all or one per value."""
    each = style if isinstance(style, list) else [style] * len(values)
    cells = "".join(cell(f"{column_letter(i)}{number}", v, s, strings) for i, (v, s) in enumerate(zip(values, each)))
    return f'<row r="{number}">{cells}</row>'
