"""Reading open receivables from the ERP: the profile's SQL, rendered for the database, read in bulk.

One straight line: connect with pyodbc (small queries: which database, do the tables exist, the ERP's own
total), then read the open items in bulk with arrow-odbc, then map the profile's columns onto OPEN_ITEMS
with money quantised to cents.
"""
import datetime as dt
from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyodbc

from ardesk.erp import profile as profiles
from ardesk.erp.connect import check_tables, connect, read_arrow
from ardesk.erp.dialect import dialect_of_dbms, render
from ardesk.errors import ArdeskError
from ardesk.frames import conform
from ardesk.money import cents_from_arrow, cents_from_decimal
from ardesk.settings import ErpSettings


def open_items(erp: ErpSettings, as_of: dt.date) -> tuple[pd.DataFrame, int]:
    """(OPEN_ITEMS frame, the ERP's own total of those items in base-currency cents)."""
    profile = profiles.load(erp.profile)
    params = [as_of.isoformat(), erp.company, erp.company]
    with connect(erp) as conn:
        try:
            dialect = dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
        except ValueError as exc:
            raise ArdeskError(f"{exc}; point [erp] connect at one of those.") from None
        check_tables(conn, list(profile.tables), profile.name, dialect)
        total = conn.execute(render(profile.query("total"), dialect), *params).fetchone()[0]
    table = read_arrow(erp, render(profile.query("open_items"), dialect), params)
    return to_open_items(table, profile), cents_from_decimal(Decimal(str(total or 0)))


def to_open_items(table: pa.Table, profile: profiles.Profile) -> pd.DataFrame:
    """The query's columns (matched without regard to case) as an OPEN_ITEMS frame."""
    by_lower = {name.lower(): name for name in table.column_names}
    out = {}
    for column, source in profile.open_items.items():
        try:
            values = table.column(by_lower[source.lower()])
        except KeyError:
            raise ArdeskError(
                f"The ERP profile {profile.name!r} expects a column {source!r} that its open_items query did not "
                "return: fix the query or the column map in profile.toml."
            ) from None
        if column in profiles.MONEY:
            out[f"{column}_cents"] = cents_from_arrow(values)
        elif column in ("doc_date", "due_date"):
            out[column] = _dates(values)
        else:
            out[column] = values.to_pandas().astype("string")
    return conform(pd.DataFrame(out))


def _dates(values: pa.ChunkedArray) -> pd.Series:
    """DATE columns (or ISO text, as some drivers report SQLite dates) as datetime64[s]."""
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        return pd.to_datetime(values.to_pandas(), format="%Y-%m-%d").astype("datetime64[s]")
    return pc.cast(values, pa.timestamp("s")).to_pandas()
