"""The columns of the demo tables as arrays: exact decimals, day numbers as dates, text built vectorised.

Dates are whole days since 1970-01-01 (int64) until a frame is built: day arithmetic stays exact and pandas
never turns them into seconds. NO_DATE is the int64 that numpy reads as NaT.
"""
import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

NO_DATE = np.iinfo(np.int64).min
EPOCH = dt.date(1970, 1, 1).toordinal()


def dates(days) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]")


def pick(rng: np.random.Generator, options, n: int) -> np.ndarray:
    """n random picks from a sequence, as an object array."""
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]


def ymd(days) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of month of each day number."""
    date = dates(days)
    month_start = date.astype("datetime64[M]")
    return (date.astype("datetime64[Y]").astype(np.int64) + 1970, month_start.astype(np.int64) % 12 + 1,
            (date - month_start).astype(np.int64) + 1)


def decimal(units, scale: int) -> pa.Array:
    """Integers counted in 10**-scale (cents for scale 2) as exact decimals.

    A decimal128 is stored as exactly that integer, 128 bits little-endian: sign-extend the int64 in place.
    """
    low = np.asarray(units, dtype=np.int64)
    words = np.empty((len(low), 2), dtype=np.int64)
    words[:, 0], words[:, 1] = low, low >> 63
    return pa.Array.from_buffers(pa.decimal128(20, scale), len(low), [None, pa.py_buffer(words)])


def lookup(values, index) -> pa.Array:
    """values[index] as a text column: one string per distinct value, not one per row."""
    return pa.array(values, pa.string()).take(pa.array(np.asarray(index, dtype=np.int64)))


def text(values) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def digits(values, width: int) -> pa.Array:
    """Whole numbers as text zero-padded to `width` digits."""
    return pc.utf8_lpad(text(values), width, "0")


def concat(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def column(values, rows: int) -> pa.Array:
    """A frame column: scalars repeat, numpy dates become date32 (NaT -> null), text stays text."""
    if isinstance(values, (pa.Array, pa.ChunkedArray, pd.Series)):
        return pa.array(values)
    if np.isscalar(values):
        return pa.repeat(values, rows)
    array = np.asarray(values)
    return pa.array(array, pa.string() if array.dtype.kind in "OU" else None, from_pandas=True)
