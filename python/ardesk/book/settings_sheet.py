"""The hidden `_ardesk` sheet: the settings a workbook was built with, so `ardesk refresh` can rebuild it.

Key/value rows of text (profile, source, thresholds, basis, as-of date ...). A workbook travels by email and
sits on shared drives, so a value that looks like it carries a password is refused outright.
"""
import re
from pathlib import Path

from ardesk.book import styles
from ardesk.book.cells import SharedStrings, row
from ardesk.errors import ArdeskError
from ardesk.xlsx.reading import SavedWorkbook, opened

SHEET = "_ardesk"
HEADER = ("key", "value")
WIDTHS = (24, 60)
_PASSWORD = re.compile(r"(?i)\b(pwd|password)\s*=")


def checked(config: dict[str, str]) -> dict[str, str]:
    """`config` unchanged, or an ArdeskError naming the first setting that looks like it holds a password."""
    for key, value in config.items():
        if _PASSWORD.search(f"{key}={value}"):
            raise ArdeskError(
                f"The setting {key!r} looks like it holds a password: keep credentials in the environment or the "
                "keyring, never in a workbook."
            )
    return config


def rows(config: dict[str, str], strings: SharedStrings) -> list[str]:
    """The sheet's rows: a header, then one key/value row per setting."""
    out = [row(1, list(HEADER), strings, styles.BOLD)]
    out += [row(n, [key, value or None], strings) for n, (key, value) in enumerate(config.items(), 2)]
    return out


def read_config(path: str | Path) -> dict[str, str]:
    """The `_ardesk` sheet's settings of the workbook at `path`, read without loading its other sheets."""
    with opened(path) as book:
        return config_of(book, path)


def config_of(book: SavedWorkbook, path: str | Path) -> dict[str, str]:
    """The `_ardesk` sheet's settings of `book` (opened from `path`, named in the refusal of another workbook)."""
    if SHEET not in book.sheetnames:
        raise ArdeskError(f"{path} is not an ardesk workbook (it has no {SHEET} sheet): write a new one with ardesk.")
    with book.cells(SHEET) as cells:
        return {str(row[1]): str(row.get(2, "")) for number, row in cells.rows(columns={1, 2})
                if number > 1 and 1 in row}
