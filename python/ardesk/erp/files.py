"""Open-items export files: the way in for an ERP that ardesk cannot reach over ODBC.

File format (a .csv or .xlsx file, one row per open document, a header row first):

- Required columns: customer_id, customer_name, doc_no, doc_type, doc_date, due_date, currency, amount,
  balance. Optional: sales_rep, collector, terms, reference, po_number, credit_limit, base_balance.
  Header names may differ in case, surrounding spaces and inner spaces ("Doc No" is doc_no); other
  columns are ignored, in any order.
- doc_type is INV (invoice), CM (credit memo), PAY (unapplied payment, cash on account) or DM (debit memo),
  in any case.
- doc_date and due_date are dates written YYYY-MM-DD (a time after the date is ignored); in an .xlsx file
  they may also be real Excel dates.
- amount (the original document amount), balance (what is still open), base_balance and credit_limit are
  numbers with a dot for decimals, no thousands separators and an optional leading minus, like -1234.50;
  in an .xlsx file they may also be number cells. A third decimal and beyond are rounded half up (away
  from zero) to the cent, as ardesk rounds everywhere.
- Credit memos and unapplied payments carry negative (or zero) amounts and balances; a CM or PAY with a
  positive amount or balance is refused. Invoices and debit memos may be negative (an overpaid invoice,
  a negative invoice): that is real data.
- currency is a three-letter code; an empty cell means the base currency. base_balance is the open
  balance in the base currency at the ERP's rate. Without that column (or with an empty cell) a
  base-currency document's base_balance is its balance, and a document in another currency is refused,
  because its base amount is unknown.
- credit_limit is per customer in the base currency; empty or 0 means unlimited.
- customer_id and doc_no must not be empty, and each doc_no appears once in the file.
- Rows that are entirely empty are skipped; a file with a header and no rows holds no open items.
- CSV: comma-separated, UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), values with commas
  or line breaks in double quotes. XLSX: the sheet named "Open Items" if there is one, else the first
  sheet, with the header in row 1; formulas count by the value Excel last saved.

A file that breaks these rules is refused with one sentence naming the file, the line (CSV, counted as a
text editor does, header = line 1) or row (XLSX, as Excel numbers it), and the column. Reading writes
nothing anywhere.
"""
import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ardesk.errors import ArdeskError
from ardesk.frames import DOC_TYPES, conform
from ardesk.money import cents_from_text
from ardesk.xlsx.reading import NotAWorkbook, opened

REQUIRED = ("customer_id", "customer_name", "doc_no", "doc_type", "doc_date", "due_date", "currency", "amount",
            "balance")
OPTIONAL = ("sales_rep", "collector", "terms", "reference", "po_number", "credit_limit", "base_balance")
SHEET = "open items"

_DATE = r"^(?P<date>[0-9]{4}-[0-9]{2}-(?P<day>[0-9]{2}))(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]*)?)?)?$"
_AMOUNT_RULE = "write amounts with a dot for decimals, no thousands separators and a leading minus, like -1234.50"


def read_open_items(path: str | Path, *, base_currency: str) -> pd.DataFrame:
    """A CSV or XLSX export (by extension) -> an OPEN_ITEMS frame, or one ArdeskError sentence."""
    return _open_items(read_table(path, _positions), base_currency.strip().upper())


def read_table(path: str | Path, positions: Callable[[Path, list], dict[str, int]], *, what: str = "the open items",
               sheet: str = SHEET) -> "_Table":
    """The columns `positions` finds in the header of a CSV or XLSX file (by extension), as trimmed text: the sheet
    named `sheet` of a workbook, else its first. `positions(path, header)` refuses a header it cannot use; `what`
    names the file's content in a refusal."""
    path = Path(path)
    readers = {".csv": partial(_read_csv, what=what), ".xlsx": partial(_read_xlsx, sheet=sheet)}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise ArdeskError(f"{path} is not a .csv or .xlsx file: export {what} as CSV or as an Excel workbook.")
    try:
        return reader(path, positions)
    except FileNotFoundError:
        raise ArdeskError(f"{path} does not exist: check the file name and folder.") from None
    except OSError as exc:
        raise ArdeskError(f"{path} cannot be opened ({exc.strerror}): close it in Excel or check its "
                          "permissions.") from None


@dataclass
class _Table:
    """The known columns of a file as trimmed text, and how the user numbers its rows.

    Entirely empty rows (Excel leaves some after the data) are dropped on construction; `kept` remembers
    which data rows remain, so that a refusal still names the row the user sees.
    """

    path: Path
    columns: dict[str, pa.Array]
    unit: str
    """"line" (CSV) or "row" (XLSX)."""
    numbers: Callable[[list[int]], list[int]]
    """Data-row indexes (0 = the row after the header) -> the line or row numbers the user sees."""
    kept: np.ndarray = field(init=False)

    def __post_init__(self):
        blank = np.logical_and.reduce([_numpy(pc.equal(c, "")) for c in self.columns.values()])
        self.kept = np.flatnonzero(~blank)
        self.columns = {name: column.take(self.kept) for name, column in self.columns.items()}

    def text(self, name: str) -> pa.Array:
        """A column's text; an absent optional column reads as empty cells."""
        return self.columns.get(name, pc.fill_null(pa.nulls(len(self.kept), pa.string()), ""))

    def where(self, *positions: int) -> list[int]:
        return self.numbers([int(self.kept[p]) for p in positions])

    def refuse(self, mask: np.ndarray, column: str, problem: Callable[[str], str]) -> None:
        """Raise for the first row in `mask`, naming it and `column`; problem(value) says what is wrong."""
        bad = np.flatnonzero(mask)
        if len(bad):
            first = int(bad[0])
            [number] = self.where(first)
            value = self.text(column)[first].as_py()
            raise ArdeskError(f"{self.path} {self.unit} {number}, column {column}: {problem(value)}.")


def _numpy(array: pa.Array) -> np.ndarray:
    """An Arrow result (without nulls) as numpy, for masks and the frame."""
    return array.to_numpy(zero_copy_only=False)


def _canonical(header: object) -> str:
    """A header cell as a column name: `" Doc No "` -> `doc_no`."""
    return re.sub(r"\s+", "_", str(header).strip().lower()) if header is not None else ""


def _positions(path: Path, header: list) -> dict[str, int]:
    """Column name -> position for the columns ardesk reads; refuses missing or doubled ones."""
    names = [_canonical(h) for h in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        has = ", ".join(str(h).strip() for h in header if h is not None and str(h).strip()) or "none"
        raise ArdeskError(f"{path} lacks the required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}: "
                          f"its columns are {has}, and it needs {', '.join(REQUIRED)}.")
    return column_positions(path, names, REQUIRED + OPTIONAL)


def column_positions(path: Path, names: list[str], wanted) -> dict[str, int]:
    """Column name -> position in a header of canonical `names`, for the `wanted` columns the file has; a
    column named twice is refused with a sentence naming both places."""
    positions = {}
    for name in wanted:
        found = [i for i, n in enumerate(names) if n == name]
        if len(found) > 1:
            raise ArdeskError(f"{path} has the column {name} twice (columns {found[0] + 1} and {found[1] + 1}): "
                              "keep one.")
        if found:
            positions[name] = found[0]
    return positions


# --- CSV -------------------------------------------------------------------------------------------------

def _read_csv(path: Path, positions: Callable[[Path, list], dict[str, int]], *, what: str) -> _Table:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ArdeskError(f"{path} line {line} is not UTF-8 text (byte 0x{data[exc.start]:02X}): "
                          "save the file as \"CSV UTF-8\".") from None
    records = _csv_records(path, text)
    first = next(records, None)
    if first is None:
        raise ArdeskError(f"{path} is empty: export {what} with a header row.")
    _, header_end, header = first
    if len(header) == 1 and ";" in header[0]:
        raise ArdeskError(f"{path} is separated by semicolons: save it as \"CSV UTF-8 (comma delimited)\".")
    names = [f"c{i}" for i in range(len(header))]
    wanted = {names[i]: name for name, i in positions(path, header).items()}
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=header_end),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(include_columns=list(wanted),
                                                 column_types={n: pa.string() for n in wanted}),
        )
    except pa.ArrowInvalid as exc:
        raise _ragged(path, text, len(header)) or ArdeskError(f"{path} cannot be read as CSV: {exc}.") from None
    columns = {name: pc.ascii_trim_whitespace(table.column(c).combine_chunks()) for c, name in wanted.items()}

    def numbers(indexes: list[int]) -> list[int]:
        starts = [start for start, _, _ in _csv_records(path, text)][1:]
        return [starts[i] for i in indexes]

    return _Table(path, columns, "line", numbers)


_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+$")
"""One line with its end: \r\n (Windows), \n, or a lone \r (old Mac exports), counted as editors count them."""


def _csv_records(path: Path, text: str):
    """(first line, last line, fields) of each non-blank record; slow, so only for the header and errors."""
    reader = csv.reader(match.group() for match in _LINE.finditer(text))
    end = 0
    try:
        for fields in reader:
            start, end = end + 1, reader.line_num
            if fields:
                yield start, end, fields
    except csv.Error as exc:
        raise ArdeskError(f"{path} line {end + 1} cannot be read as CSV ({exc}): check its double quotes, or "
                          "save it again as \"CSV UTF-8\".") from None


def _ragged(path: Path, text: str, width: int) -> ArdeskError | None:
    """The sentence for the first record whose field count differs from the header's."""
    for line, _, fields in _csv_records(path, text):
        if len(fields) != width:
            return ArdeskError(f"{path} line {line} has {len(fields)} values where the header has {width}: "
                               "put any value holding a comma in double quotes.")
    return None


# --- XLSX ------------------------------------------------------------------------------------------------

def _read_xlsx(path: Path, positions: Callable[[Path, list], dict[str, int]], *, sheet: str) -> _Table:
    try:
        with opened(path) as book:
            by_name = {name.strip().lower(): name for name in book.sheetnames}
            sheet = by_name.get(sheet, book.sheetnames[0])
            with book.cells(sheet, formulas=False) as cells:
                number, header = next(cells.rows(), (0, {}))
                if number != 1 or not header:
                    raise ArdeskError(f"{path} is empty: put the header in row 1 of the sheet {sheet!r}.")
                found = positions(path, [header.get(c) for c in range(1, max(header) + 1)])
                wanted = {i + 1: name for name, i in found.items()}
                numbers, texts = [], {name: [] for name in found}
                for number, row in cells.rows(set(wanted)):
                    numbers.append(number)
                    for column, name in wanted.items():
                        texts[name].append(_cell_text(row.get(column)))
    except NotAWorkbook:
        raise ArdeskError(f"{path} cannot be read as an Excel workbook: open it in Excel and save it again "
                          "as .xlsx (without a password).") from None
    columns = {name: pc.ascii_trim_whitespace(pa.array(values, pa.string())) for name, values in texts.items()}
    return _Table(path, columns, "row", lambda indexes: [numbers[i] for i in indexes])


def _cell_text(value) -> str:
    """A cell as the text it would be in a CSV export: numbers at full precision, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return np.format_float_positional(value, trim="-")  # shortest exact digits, never 1e-05
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- validation ------------------------------------------------------------------------------------------

def _open_items(table: _Table, base: str) -> pd.DataFrame:
    for name in ("customer_id", "doc_no"):
        table.refuse(_numpy(pc.equal(table.text(name), "")), name,
                     lambda _, name=name: f"{name} is empty: every document needs one")
    doc_type = pc.utf8_upper(table.text("doc_type"))
    table.refuse(~_numpy(pc.is_in(doc_type, pa.array(DOC_TYPES))), "doc_type",
                 lambda v: f"{v!r} is not a document type: use INV, CM, PAY or DM")
    frame = {
        "customer_id": table.text("customer_id"),
        "customer_name": table.text("customer_name"),
        "doc_no": table.text("doc_no"),
        "doc_type": doc_type,
        "doc_date": _dates(table, "doc_date"),
        "due_date": _dates(table, "due_date"),
        "amount_cents": _money(table, "amount"),
        "balance_cents": _money(table, "balance"),
        "credit_limit_cents": _money(table, "credit_limit", empty=0),
        **{name: table.text(name) for name in ("terms", "sales_rep", "collector", "reference", "po_number")},
    }
    credit = _numpy(pc.is_in(doc_type, pa.array(["CM", "PAY"])))
    for name in ("amount", "balance"):
        table.refuse(credit & (frame[f"{name}_cents"] > 0), name,
                     lambda v, name=name: f"{v} is positive on a credit memo or payment: "
                                          f"credits and unapplied payments carry a negative {name}")
    frame["currency"], frame["base_balance_cents"] = _base(table, base, frame["balance_cents"])
    _unique_doc_numbers(table)
    columns = {name: (c.to_pandas() if isinstance(c, pa.Array) else c) for name, c in frame.items()}
    return conform(pd.DataFrame(columns))


def _dates(table: _Table, name: str) -> np.ndarray:
    parts = pc.extract_regex(table.text(name), _DATE)  # null where the text is not shaped like a date
    parsed = pc.strptime(pc.struct_field(parts, "date"), format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime reads 2023-02-29 as March 1st: a date is exact only if its day survives
    exact = pc.equal(pc.day(parsed), pc.cast(pc.struct_field(parts, "day"), pa.int64()))
    table.refuse(~_numpy(pc.fill_null(exact, False)), name,
                 lambda v: f"{v!r} is not a date: write dates as YYYY-MM-DD, like 2024-03-31")
    return _numpy(parsed)


def _money(table: _Table, name: str, *, empty: int | None = None) -> np.ndarray:
    """A money column as cents; empty cells become `empty`, or are refused when it is None."""
    text = table.text(name)
    cents, unreadable = cents_from_text(text)
    blank = _numpy(pc.equal(text, ""))
    if empty is None:
        table.refuse(blank, name, lambda _: f"{name} is empty: give the amount, like -1234.50")
    else:
        cents[blank] = empty
        unreadable &= ~blank
    table.refuse(unreadable, name, lambda v: f"{v!r} is not an amount: {_AMOUNT_RULE}")
    return cents


def _base(table: _Table, base: str, balance: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """(currency codes, base-currency balances): a base-currency row may leave base_balance out, others not."""
    currency = pc.utf8_upper(table.text("currency"))
    currency = pc.if_else(pc.equal(currency, ""), base, currency)
    table.refuse(~_numpy(pc.match_substring_regex(currency, "^[A-Z]{3}$")), "currency",
                 lambda v: f"{v!r} is not a currency code: use three letters, like {base}")
    foreign = _numpy(pc.not_equal(currency, base))
    if "base_balance" not in table.columns:
        table.refuse(foreign, "currency",
                     lambda v: f"the document is in {v.upper()}, not the base currency {base}, and the file has no "
                               f"base_balance column: add base_balance with each open balance in {base}")
        return currency, balance
    given = _numpy(pc.not_equal(table.text("base_balance"), ""))
    table.refuse(foreign & ~given, "base_balance",
                 lambda _: f"base_balance is empty on a document in another currency: give its open balance in {base}")
    return currency, np.where(given, _money(table, "base_balance", empty=0), balance)


def _unique_doc_numbers(table: _Table) -> None:
    doc_no = table.text("doc_no").to_pandas()
    repeats = np.flatnonzero(doc_no.duplicated().to_numpy())
    if len(repeats):
        second = int(repeats[0])
        first = int(np.flatnonzero((doc_no == doc_no.iloc[second]).to_numpy())[0])
        a, b = table.where(first, second)
        raise ArdeskError(f"{table.path} {table.unit}s {a} and {b}, column doc_no: the document number "
                          f"{doc_no.iloc[second]!r} appears twice: each document must appear once.")
