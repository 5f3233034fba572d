"""The notes CSV: collection notes typed outside a workbook, pushed with `ardesk notes push --source notes.csv`.

File format (UTF-8 with or without a byte-order mark, comma-separated, a header row first):

- Columns: note_id (optional), customer_id, invoice, contact_type, contact_person, outcome, promise_amount,
  promise_date, dispute_reason, dispute_amount, follow_up, text, author, and optionally written (when the
  contact happened). customer_id, contact_type and text are required; any other may be left out, in any
  order. Headers compare without regard to case and spacing ("Promise Amount" is promise_amount); other
  columns are ignored and kept.
- note_id is the note's idempotency key: leave it empty and ardesk assigns a UUID when the note is captured
  and writes it into the file, so that pushing the file again never writes a note twice.
- invoice: one invoice number, or several separated by commas or spaces (in double quotes).
- contact_type, outcome and dispute_reason take the choices of the workbook's Notes sheet, in any case.
- Amounts are numbers with a dot for decimals and an optional leading minus, like 1234.50; dates are
  YYYY-MM-DD (written may add a time, like 2026-11-20 14:30).
- Rows that are entirely empty are skipped.

A file that breaks these rules is refused with one sentence naming the file, the line (as a text editor counts
them, header = line 1) and the column. Whether a note may go to the ERP (a known customer, a promise with a
date ...) is decided at push time and shown per note, not here.
"""
import csv
import datetime as dt
import io
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from ardesk.ar.notes import spelled
from ardesk.erp.files import column_positions
from ardesk.errors import ArdeskError
from ardesk.frames import CAPTURED_NOTES, CONTACT_TYPES, DISPUTE_REASONS, OUTCOMES
from ardesk.money import cents_from_decimal

COLUMNS = ("note_id", "customer_id", "invoice", "contact_type", "contact_person", "outcome", "promise_amount",
           "promise_date", "dispute_reason", "dispute_amount", "follow_up", "text", "author", "written")
REQUIRED = ("customer_id", "contact_type", "text")
_AMOUNT = re.compile(r"^-?[0-9]{1,15}(\.[0-9]*)?$")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$")


def read(path: str | Path) -> pd.DataFrame:
    """The notes of a CSV file as CAPTURED_NOTES (note_id "" where the file has none; source "CSV")."""
    path = Path(path)
    table = _Table.read(path)
    positions = _positions(path, table.header)
    columns = {name: [] for name in COLUMNS}
    for index in table.data:
        fields = table.rows[index]
        for name in COLUMNS:
            at = positions.get(name)
            columns[name].append(fields[at].strip() if at is not None and at < len(fields) else "")
        _check(path, table.lines[index], {name: values[-1] for name, values in columns.items()})
    return pd.DataFrame({
        "note_id": columns["note_id"],
        "customer_id": columns["customer_id"],
        "doc_no": columns["invoice"],
        "written": pd.to_datetime(pd.Series(columns["written"], dtype=object).replace("", None)),
        "contact_type": spelled(columns["contact_type"], CONTACT_TYPES),
        "contact_person": columns["contact_person"],
        "outcome": spelled(columns["outcome"], OUTCOMES),
        "promise_cents": [cents_from_decimal(v) if v else None for v in columns["promise_amount"]],
        "promise_date": _days(columns["promise_date"]),
        "dispute_reason": spelled(columns["dispute_reason"], DISPUTE_REASONS),
        "dispute_cents": [cents_from_decimal(v) if v else None for v in columns["dispute_amount"]],
        "follow_up": _days(columns["follow_up"]),
        "text": columns["text"],
        "author": columns["author"],
        "source": "CSV",
    }, index=pd.RangeIndex(len(table.data))).astype(CAPTURED_NOTES)


def write_keys(path: str | Path, keys) -> bool:
    """Write each note's key into the file's note_id column (added as the first column when missing), row for
    row with `read`; returns whether the file changed. Every other cell is kept; the file is replaced in one
    step, so a failure leaves the old one whole."""
    path = Path(path)
    table = _Table.read(path)
    keys = [str(key) for key in keys]
    if len(keys) != len(table.data):
        raise ValueError(f"{len(keys)} keys for the {len(table.data)} notes of {path}")
    at = _positions(path, table.header).get("note_id")
    rows = [list(fields) for fields in table.rows]
    if at is None:
        at = 0
        for index, fields in enumerate(rows):
            if index == table.header_at or index in table.data:
                fields.insert(0, "note_id" if index == table.header_at else "")
    changed = False
    for index, key in zip(table.data, keys):
        fields = rows[index]
        fields.extend([""] * (at + 1 - len(fields)))
        changed |= fields[at] != key
        fields[at] = key
    if not changed:
        return False
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator=table.ending).writerows(rows)
    _replace(path, table.bom + buffer.getvalue().encode("utf-8"))
    return True


class _Table:
    """Every record of a CSV file as read (empty ones too, so that writing it back keeps them), with the
    line each starts on, the header's place and the data records' places."""

    def __init__(self, rows: list[list[str]], lines: list[int], bom: bytes, ending: str):
        self.rows, self.lines, self.bom, self.ending = rows, lines, bom, ending
        filled = [i for i, fields in enumerate(rows) if any(field.strip() for field in fields)]
        self.header_at = filled[0] if filled else -1
        self.header = rows[self.header_at] if filled else []
        self.data = filled[1:]

    @classmethod
    def read(cls, path: Path) -> "_Table":
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8-sig")
        except FileNotFoundError:
            raise ArdeskError(f"{path} does not exist: check the file name and folder.") from None
        except UnicodeDecodeError:
            raise ArdeskError(f"{path} is not UTF-8 text: save it as \"CSV UTF-8\".") from None
        except OSError as exc:
            raise ArdeskError(f"{path} cannot be opened ({exc.strerror}): close it in Excel or check its "
                              "permissions.") from None
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)  # an unclosed quote is an error
        rows, lines, end = [], [], 0
        try:
            for fields in reader:
                rows.append(fields)
                lines.append(end + 1)
                end = reader.line_num
        except csv.Error as exc:
            raise ArdeskError(f"{path} line {end + 1} cannot be read as CSV ({exc}): check its double "
                              "quotes.") from None
        table = cls(rows, lines, raw[:3] if raw.startswith(b"\xef\xbb\xbf") else b"",
                    "\r\n" if "\r\n" in text else "\n")
        if table.header_at < 0:
            raise ArdeskError(f"{path} is empty: put a header row first, like {','.join(COLUMNS[1:-1])}.")
        return table


def _positions(path: Path, header: list[str]) -> dict[str, int]:
    names = [re.sub(r"[\s-]+", "_", h.strip().lower()) for h in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise ArdeskError(f"{path} lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}: "
                          f"its header must name at least {', '.join(REQUIRED)}.")
    return column_positions(path, names, COLUMNS)


def _check(path: Path, line: int, row: dict[str, str]) -> None:
    """Refuse the first value of the record that is not of its column's form."""
    def refuse(column: str, problem: str):
        raise ArdeskError(f"{path} line {line}, column {column}: {row[column]!r} {problem}.")

    for column in ("promise_amount", "dispute_amount"):
        if row[column] and not _AMOUNT.match(row[column]):
            refuse(column, "is not an amount: write it with a dot for decimals and no thousands separators, "
                           "like 1234.50")
    for column, pattern, example in (("promise_date", _DAY, "2026-12-01"), ("follow_up", _DAY, "2026-12-01"),
                                     ("written", _TIME, "2026-11-20 14:30")):
        if row[column] and not (pattern.match(row[column]) and _valid(row[column])):
            refuse(column, f"is not a date: write it as YYYY-MM-DD, like {example}")
    if row["note_id"] and not re.fullmatch(r"[0-9a-fA-F-]{32,36}", row["note_id"]):
        refuse("note_id", "is not a note ID: clear it and ardesk assigns one")


def _valid(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _days(values: list[str]) -> pd.Series:
    return pd.to_datetime(pd.Series(values, dtype=object).replace("", None), format="%Y-%m-%d")


def _replace(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a synced temporary file in the same folder and one rename."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
