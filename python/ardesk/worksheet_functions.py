"""Worksheet functions: receivables answers in a cell, from the data of the workbook's last refresh.

Each function reads the snapshot kept beside the calling workbook (ardesk.snapshot): loaded once per process
and per refresh, with the balances by customer and bucket worked out once per as-of date, so 10,000 cells
recalculate from memory; never a query per cell, never the network. Dates are Excel dates without a time
zone: a date cell, a serial number or ISO text. A question ardesk cannot answer (an unknown customer, a
workbook never refreshed) returns a "#N/A: ..." text that says why, where Excel users look for it.

They are plain Python here, without xlwings, so that the add-in build (ardesk.addin) can read their names and
parameters without loading xlwings; ardesk.excel.udfs registers them with xlwings for Excel. Names carry no
dot (VBA names cannot); `caller` is filled in by xlwings with the calling cell, and outside Excel `use` names
the workbook to answer from.
"""
import datetime as dt
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path

import numpy as np
import pandas as pd

from ardesk import snapshot
from ardesk.ar import aging, kpis
from ardesk.ar.contacts import latest_by_customer
from ardesk.errors import ArdeskError
from ardesk.settings import AgingSettings, parse_thresholds

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_WORKBOOK: list[Path] = []
"""The workbook answered from when no cell calls (Linux, tests): set by `use`."""


def use(workbook: Path) -> None:
    """Answer from `workbook`'s data when the functions are called outside Excel."""
    _WORKBOOK[:] = [Path(workbook)]


def _answers(function: Callable) -> Callable:
    """A worksheet function: an ArdeskError or bad input becomes a "#N/A: ..." text in the cell."""
    @wraps(function)
    def cell(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (ArdeskError, ValueError) as problem:
            return f"#N/A: {problem}"
    return cell


def _workbook(caller) -> Path:
    if caller is not None:
        return Path(caller.sheet.book.fullname)
    if not _WORKBOOK:
        raise ArdeskError("no workbook to answer from: call ardesk.worksheet_functions.use(path) first")
    return _WORKBOOK[0]


def _date(value, default: dt.date | None = None) -> dt.date:
    """An Excel date: a date or datetime cell, a serial number, or ISO text."""
    if value is None or value == "":
        if default is None:
            raise ValueError("a date is missing")
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date: use a date cell or YYYY-MM-DD") from None


def _thresholds(value, default: tuple[int, ...]) -> tuple[int, ...]:
    """Bucket thresholds from "30,60,90", a range of numbers, or the default."""
    if value is None or value == "":
        return default
    if isinstance(value, (list, tuple)):
        cells = np.ravel(np.array(value, dtype=object))
        value = ",".join(str(int(v)) for v in cells if v not in (None, ""))
    try:
        return parse_thresholds(str(int(value)) if isinstance(value, float) else str(value))
    except ArdeskError as problem:
        raise ValueError(str(problem).rstrip(".")) from None


def _customers(value) -> list[str]:
    """Customer IDs from one cell or a range (blank cells skipped); numbers as the IDs they show."""
    cells = np.ravel(np.array(value, dtype=object)) if isinstance(value, (list, tuple)) else [value]
    ids = [str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip() for v in cells
           if v not in (None, "")]
    if not ids:
        raise ValueError("no customer given")
    return ids


class _Ledger:
    """One snapshot with what the functions ask of it, worked out on first use."""

    def __init__(self, data: snapshot.Snapshot):
        self.data = data
        self.names = data.items.groupby("customer_id")["customer_name"].first()
        self.status = latest_by_customer(data.notes, data.as_of).set_index("customer_id")
        self.customers = set(data.customers) | set(self.names.index) | set(self.status.index)

    @lru_cache(maxsize=16)
    def table(self, as_of: dt.date, thresholds: tuple[int, ...]) -> pd.DataFrame:
        """Base-currency cents by customer, a column per bucket and the total."""
        settings = AgingSettings(thresholds=thresholds, basis=self.data.aging.basis)
        return aging.pivot(aging.age(self.data.items, as_of, settings), by="customer")

    def known(self, customer: str) -> None:
        if customer not in self.customers:
            raise ArdeskError(f"unknown customer {customer} (not in the last refresh of this workbook)")


@lru_cache(maxsize=8)
def _load(workbook: Path, _stamp: int) -> _Ledger:
    return _Ledger(snapshot.load(workbook))


def _ledger(caller) -> _Ledger:
    workbook = _workbook(caller)
    return _load(workbook, snapshot.stamp(workbook))


@_answers
def AR_DPD(due_date, as_of=None):
    """Days past due of a due date as of a date (default today): negative while not yet due."""
    return (_date(as_of, dt.date.today()) - _date(due_date)).days


@_answers
def AR_BUCKET(days, thresholds=None):
    """The aging bucket of a number of days past due ("Current", "1-30" ... "Over 120")."""
    limits = _thresholds(thresholds, AgingSettings().thresholds)
    index = aging.bucket_index(np.array([int(days)]), limits)[0]
    return aging.bucket_labels(limits)[index]


@_answers
def AR_DSO(ending_ar, credit_sales, days=90):
    """Days sales outstanding: ending AR / credit sales x days."""
    return kpis.dso(ending_ar, credit_sales, days)


@_answers
def AR_BALANCE(customer, bucket=None, as_of=None, caller=None):
    """A customer's open balance in the base currency: the total, or one bucket's ("61-90") as of a date
    (default the refresh's), from the last refresh."""
    ledger = _ledger(caller)
    [customer] = _customers(customer)
    ledger.known(customer)
    table = ledger.table(_date(as_of, ledger.data.as_of), ledger.data.aging.thresholds)
    column = aging.TOTAL if bucket in (None, "") else str(bucket)
    if column not in table.columns:
        raise ValueError(f"no bucket {bucket!r}: use one of {', '.join(map(str, table.columns[:-1]))}")
    cents = table[column].get(customer, 0)
    return int(cents) / 100


@_answers
def AR_AGING(customer_or_range, as_of=None, thresholds=None, caller=None):
    """The aging of one customer or a range of them, with headers: ID, name, a column per bucket, total."""
    ledger = _ledger(caller)
    customers = _customers(customer_or_range)
    for customer in customers:
        ledger.known(customer)
    limits = _thresholds(thresholds, ledger.data.aging.thresholds)
    table = ledger.table(_date(as_of, ledger.data.as_of), limits).reindex(customers, fill_value=0)
    rows = [[c, ledger.names.get(c, ""), *(int(v) / 100 for v in table.loc[c])] for c in customers]
    return [["Customer ID", "Customer Name", *map(str, table.columns)], *rows]


@_answers
def AR_LASTNOTE(customer, caller=None):
    """The customer's latest collection note (ERP and workbook), or "" when there is none."""
    ledger = _ledger(caller)
    [customer] = _customers(customer)
    ledger.known(customer)
    return ledger.status["last_note"].get(customer, "")


@_answers
def AR_PROMISE(customer, caller=None):
    """The customer's open promise to pay as [amount, date], or "" when there is none."""
    ledger = _ledger(caller)
    [customer] = _customers(customer)
    ledger.known(customer)
    if customer not in ledger.status.index or pd.isna(ledger.status.at[customer, "promise_cents"]):
        return ""
    row = ledger.status.loc[customer]
    return [[int(row["promise_cents"]) / 100, row["promise_date"].to_pydatetime()]]


FUNCTIONS = (AR_AGING, AR_BALANCE, AR_DPD, AR_BUCKET, AR_DSO, AR_LASTNOTE, AR_PROMISE)
"""The worksheet functions, in the order the add-in declares them."""
