"""Quantising ERP and file amounts to integer cents.

Drivers hand money back as Decimal (PostgreSQL, MariaDB), float (SQLite's NUMERIC) or text (files, bound
Decimal parameters). Everything becomes int64 cents here, rounded half away from zero as accountants round.
"""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_CENT = Decimal("0.01")


def cents_from_decimal(value: Decimal | str) -> int:
    """One amount (Decimal or text with a dot) to cents; raises ValueError when it is not a number."""
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount") from None
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount")
    return int(amount.quantize(_CENT, rounding=ROUND_HALF_UP) * 100)


def cents_from_arrow(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A column read by arrow-odbc (decimal, float or integer) to int64 cents; nulls become 0."""
    kind = array.type
    if pa.types.is_decimal(kind):
        scaled = pc.multiply(pc.cast(array, pa.decimal128(38, 6)), pa.scalar(100, pa.decimal128(38, 6)))
        cents = pc.cast(pc.round(scaled, 0, round_mode="half_towards_infinity"), pa.int64())
    elif pa.types.is_floating(kind):
        cents = pc.cast(pc.round(pc.multiply(array, 100.0), 0, round_mode="half_towards_infinity"), pa.int64())
    elif pa.types.is_integer(kind):
        cents = pc.multiply(pc.cast(array, pa.int64()), 100)
    else:
        raise TypeError(f"an amount column came back as {kind}, not a number")
    return pc.fill_null(cents, 0).to_numpy(zero_copy_only=False).astype(np.int64)
