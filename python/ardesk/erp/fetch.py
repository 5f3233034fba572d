"""Reading receivables from the ERP: the profile's SQL, rendered for the database, read in bulk.

One straight line: connect with pyodbc (small queries: which database, do the tables exist, does it know the
company, the ERP's own total), then read each of the profile's bulk queries with arrow-odbc, then map its
columns onto the frame contract of that query (frames.py) with money quantised to cents. The same mapping
serves every query, so a new report is a .sql file and a profile.toml section, not new Python.
"""
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ardesk.erp import profile as profiles
from ardesk.erp.migrations import require
from ardesk.erp.dialect import render
from ardesk.erp.odbc import check_tables, connect, dialect_of, read_arrow
from ardesk.errors import ArdeskError
from ardesk.frames import BUREAU_REPORTS, CONTACTS, RETURNED_PAYMENTS, WRITE_OFFS, empty
from ardesk.money import cents_from_arrow, cents_from_decimal
from ardesk.settings import ErpSettings

_EMPTY = {"string": "", "datetime64[s]": pd.NaT, "int64": 0, "Int64": pd.NA, "bool": False}
"""The value of a frame column the profile maps nothing to, by dtype."""

_TRUE_TEXT = pa.array(["1", "t", "true", "y", "yes"])
"""Booleans as text (psqlODBC reports them as '1'/'0' by default)."""


@dataclass(frozen=True)
class Receivables:
    """Everything the aging workbook reads from the ERP for one as-of date."""

    items: pd.DataFrame  # OPEN_ITEMS
    erp_total_cents: int | None  # the ERP's own total of `items` (base currency) to tie to; None for a file
    customers: pd.DataFrame  # CUSTOMERS: every customer, with or without open items
    history: pd.DataFrame  # HISTORY: sales of (since, as_of] and every document open in it
    applications: pd.DataFrame  # APPLICATIONS made after since
    notes: pd.DataFrame  # CAPTURED_NOTES written in (since, as_of], source "ERP"; note_id "" unless ardesk pushed it
    payments: pd.DataFrame  # PAYMENTS received in (since, as_of]
    closes: pd.DataFrame  # CLOSES: every period `ardesk close` froze for [erp] company
    contacts: pd.DataFrame = field(default_factory=lambda: empty(CONTACTS))  # CONTACTS of every customer
    write_offs: pd.DataFrame = field(default_factory=lambda: empty(WRITE_OFFS))  # WRITE_OFFS of (since, as_of]
    returned: pd.DataFrame = field(default_factory=lambda: empty(RETURNED_PAYMENTS))  # RETURNED_PAYMENTS
    bureau: pd.DataFrame = field(default_factory=lambda: empty(BUREAU_REPORTS))  # BUREAU_REPORTS, the latest


@dataclass(frozen=True)
class Closed:
    """A period as `ardesk close` froze it in the ERP."""

    close: pd.DataFrame  # CLOSES: its row, or none when the period was never closed
    documents: pd.DataFrame  # CLOSE_DOCUMENTS


@dataclass(frozen=True)
class Period:
    """A period of the receivables as the ERP tells it: both ends' agings and what happened between."""

    opening: pd.DataFrame  # OPEN_ITEMS of the day before the period
    opening_total_cents: int  # the ERP's own total of `opening`
    closing: pd.DataFrame  # OPEN_ITEMS of the period's last day
    closing_total_cents: int
    activity: pd.DataFrame  # PERIOD_ACTIVITY
    closed: Closed  # the period as an earlier close froze it


@dataclass(frozen=True)
class Losses:
    """What the allowance and the write-offs of a close read beyond the period itself."""

    history: pd.DataFrame  # HISTORY since the first month-end the loss rates follow
    applications: pd.DataFrame  # APPLICATIONS since then
    write_offs: pd.DataFrame  # WRITE_OFFS since then, up to the period's end
    last_activity: pd.DataFrame  # LAST_ACTIVITY by the period's end


def losses(erp: ErpSettings, since: dt.date, end: dt.date) -> Losses:
    """The receivables' history from `since` (exclusive) to `end`: what the historical loss rates, the Bad Debt
    sheet and the write-off proposals of a close read."""
    frames, _total = _read(erp, ["history", "applications", "write_offs", "last_activity"], as_of=end, since=since)
    return Losses(frames["history"], frames["applications"], frames["write_offs"], frames["last_activity"])


def open_items(erp: ErpSettings, as_of: dt.date) -> tuple[pd.DataFrame, int]:
    """(OPEN_ITEMS frame, the ERP's own total of those items in base-currency cents)."""
    frames, total = _read(erp, ["open_items"], as_of=as_of)
    return frames["open_items"], total


def period(erp: ErpSettings, start: dt.date, end: dt.date) -> Period:
    """The aging of the day before `start` and of `end`, each with the ERP's own total, and what moved the
    receivables from one to the other."""
    opening, opening_total = open_items(erp, start - dt.timedelta(days=1))
    frames, closing_total = _read(erp, ["open_items", "period_activity", "closes", "close_docs"], as_of=end,
                                  since=start - dt.timedelta(days=1))
    return Period(opening, opening_total, frames["open_items"], closing_total, frames["period_activity"],
                  _closed(frames, end))


def closed(erp: ErpSettings, end: dt.date) -> Closed:
    """The period ending on `end` as `ardesk close` froze it."""
    frames, _total = _read(erp, ["closes", "close_docs"], as_of=end)
    return _closed(frames, end)


def _closed(frames: dict[str, pd.DataFrame], end: dt.date) -> Closed:
    closes = frames["closes"]
    return Closed(closes[closes["period_end"] == pd.Timestamp(end)].reset_index(drop=True), frames["close_docs"])


def notes(erp: ErpSettings, as_of: dt.date, since: dt.date) -> pd.DataFrame:
    """CAPTURED_NOTES written in (since, as_of], source "ERP"."""
    frames, _total = _read(erp, ["notes"], as_of=as_of, since=since)
    return frames["notes"].assign(source="ERP").astype({"source": "string"})


def receivables(erp: ErpSettings, as_of: dt.date, since: dt.date) -> Receivables:
    """Open items, customers, history and notes as of `as_of`; `since` starts the history and notes window
    (exclusive), typically a month-end 13 months back so that every month-end snapshot can be rebuilt."""
    frames, total = _read(erp, list(profiles.RECEIVABLES), as_of=as_of, since=since)
    notes = frames["notes"].assign(source="ERP").astype({"source": "string"})
    return Receivables(frames["open_items"], total, frames["customers"], frames["history"],
                       frames["applications"], notes, frames["payments"], frames["closes"], frames["contacts"],
                       frames["write_offs"], frames["returned_payments"], frames["bureau_reports"])


def addressed(erp: ErpSettings, as_of: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(OPEN_ITEMS, CONTACTS): what letters to customers read."""
    frames, _total = _read(erp, ["open_items", "contacts"], as_of=as_of)
    return frames["open_items"], frames["contacts"]


def contacts(erp: ErpSettings) -> pd.DataFrame:
    """CONTACTS of every customer of [erp] company, with their tax IDs: what a bureau's reports are matched to."""
    frames, _total = _read(erp, ["contacts"], total=False)
    return frames["contacts"]


def bureau_reports(erp: ErpSettings) -> pd.DataFrame:
    """BUREAU_REPORTS: the latest report of each bureau about each customer, of the imports made with this
    [erp] company."""
    frames, _total = _read(erp, ["bureau_reports"], total=False)
    return frames["bureau_reports"]


def companies(erp: ErpSettings) -> list[str]:
    """The companies the ERP knows (the profile's companies query), to name in a refusal."""
    profile = profiles.load(erp.profile)
    with connect(erp) as conn:
        return _companies(conn, profile, dialect_of(conn))


def _read(erp: ErpSettings, queries: list[str], *, total: bool = True, **dates: dt.date
          ) -> tuple[dict[str, pd.DataFrame], int]:
    """({query: its frame}, the ERP's total in cents, 0 when not `total`): checks and total over one pyodbc
    connection, then the queries in bulk over arrow-odbc, side by side (one connection each: the 1,500-customer
    read takes 0.75 s instead of 0.88 s, median of 7 here)."""
    profile = profiles.load(erp.profile)
    values = {name: day.isoformat() for name, day in dates.items()} | {"company": erp.company}
    with connect(erp) as conn:
        dialect = dialect_of(conn)
        check_tables(conn, list(profile.tables), profile.name, dialect)
        require(conn)
        _check_company(conn, profile, dialect, erp.company)
        if total:
            cursor = conn.execute(render(profile.query("total"), dialect), *profile.parameters("total", values))
            total = cursor.fetchone()[0]

    def frame(query: str) -> pd.DataFrame:
        sql = render(profile.query(query), dialect)
        return _to_frame(read_arrow(erp, sql, profile.parameters(query, values)), profile, query)

    with ThreadPoolExecutor(max_workers=len(queries)) as pool:
        frames = dict(zip(queries, pool.map(frame, queries)))
    return frames, cents_from_decimal(Decimal(str(total or 0)))


def _companies(conn, profile: profiles.Profile, dialect: str) -> list[str]:
    cursor = conn.execute(render(profile.query("companies"), dialect), *profile.parameters("companies", {}))
    return [str(row[0]).strip() for row in cursor.fetchall()]


def _check_company(conn, profile: profiles.Profile, dialect: str, company: str) -> None:
    """Refuse a company the ERP does not know ('' reads every company): read, it would look like a ledger with
    nothing open, and a workbook rewritten from it would move everything typed to the Archive. Compared exactly,
    as PostgreSQL and SQLite compare it in the queries."""
    if not company:
        return
    known = _companies(conn, profile, dialect)
    if company not in known:
        raise ArdeskError(f"The ERP knows no company {company!r}: set [erp] company (or --company) to one it has "
                          f"({', '.join(known) or 'none yet'}); nothing was written.")


def _to_frame(table: pa.Table, profile: profiles.Profile, query: str) -> pd.DataFrame:
    """The query's columns (matched without regard to case) as its frame, in contract order and dtypes;
    a frame column the profile maps nothing to is empty ("", NaT, 0, <NA> or False)."""
    by_lower = {name.lower(): name for name in table.column_names}
    contract, mapped = profiles.QUERIES[query], profile.columns(query)
    out = {}
    for column, dtype in contract.items():
        if column not in mapped:
            out[column] = pd.Series(_EMPTY[dtype], index=range(table.num_rows), dtype=dtype)
            continue
        try:
            values = table.column(by_lower[mapped[column].lower()])
        except KeyError:
            raise ArdeskError(
                f"The ERP profile {profile.name!r} expects a column {mapped[column]!r} that its {query} query did "
                "not return: fix the query or the column map in profile.toml."
            ) from None
        out[column] = _convert(values, column, dtype)
    return pd.DataFrame(out).astype(contract)


def _convert(values: pa.ChunkedArray, column: str, dtype: str) -> pd.Series | np.ndarray:
    """One query column as the frame column's dtype; NULL becomes "", NaT, 0 cents, <NA> or False."""
    if column.endswith("_cents"):
        cents = cents_from_arrow(values)
        return pd.Series(cents, dtype="Int64").mask(values.is_null().to_numpy()) if dtype == "Int64" else cents
    if dtype == "string":
        return pc.cast(values, pa.string()).to_pandas().astype("string").fillna("")
    if dtype == "datetime64[s]":
        return _dates(values)
    if dtype == "bool":
        return _flags(values)
    if dtype == "Int64":
        return pc.cast(values, pa.int64()).to_pandas().astype("Int64")
    raise TypeError(f"ardesk reads no {dtype} column such as {column!r} from an ERP")


def _dates(values: pa.ChunkedArray) -> pd.Series:
    """DATE and DATETIME columns (or ISO text, as some drivers report SQLite's: a day, or a day and a time) as
    datetime64[s]; NULL is NaT."""
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        return pd.to_datetime(values.to_pandas(), format="ISO8601").astype("datetime64[s]")
    return pc.cast(values, pa.timestamp("s")).to_pandas().astype("datetime64[s]")


def _flags(values: pa.ChunkedArray) -> np.ndarray:
    """BOOLEAN columns as bool, whether the driver reports them as booleans, integers (SQLite, MariaDB) or
    text (psqlODBC); NULL is False."""
    if pa.types.is_boolean(values.type):
        flags = values
    elif pa.types.is_integer(values.type):
        flags = pc.not_equal(values, 0)
    else:
        flags = pc.is_in(pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(values, pa.string()))), _TRUE_TEXT)
    return pc.fill_null(flags, False).to_numpy(zero_copy_only=False).astype(bool)
