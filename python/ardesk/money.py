"""Quantising ERP and file amounts to integer cents.

Drivers hand money back as Decimal (PostgreSQL, MariaDB), float (SQLite's NUMERIC) or text (files, bound
Decimal parameters). Everything becomes int64 cents here, rounded half away from zero as accountants round.
"""
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_CENT = Decimal("0.01")
_AMOUNT = r"^(?P<sign>-?)(?P<units>[0-9]{1,15})(?:\.(?P<decimals>[0-9]*))?$"
_HUNDRED = pa.scalar(Decimal(100), pa.decimal128(3, 0))


def cents_from_decimal(value: Decimal | str) -> int:
    """One amount (Decimal or text with a dot) to cents; raises ValueError when it is not a number."""
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount") from None
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount")
    return int(amount.quantize(_CENT, rounding=ROUND_HALF_UP) * 100)


def decimal_text(cents: int) -> str:
    """Cents as the exact decimal text an ERP column is bound with: -123450 -> "-1234.50" (no float on the way)."""
    units, rest = divmod(abs(int(cents)), 100)
    return f"{'-' if cents < 0 else ''}{units}.{rest:02d}"


def decimal_texts(cents: np.ndarray) -> list[str]:
    """decimal_text of each of many amounts in cents, worked out column-wise (a close freezes tens of thousands)."""
    cents = np.asarray(cents, dtype=np.int64)
    units, rest = np.divmod(np.abs(cents), 100)
    whole = pc.binary_join_element_wise(pa.array(np.where(cents < 0, "-", "")), pc.cast(pa.array(units), pa.string()),
                                        "")
    return pc.binary_join_element_wise(whole, pc.utf8_lpad(pc.cast(pa.array(rest), pa.string()), 2, "0"),
                                       ".").to_pylist()


def cents_from_arrow(array: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A column read by arrow-odbc (decimal, float or integer) to int64 cents; nulls become 0."""
    kind = array.type
    if pa.types.is_decimal(kind):
        scaled = pc.multiply(pc.cast(array, pa.decimal128(30, 6)), _HUNDRED)
        cents = pc.cast(pc.round(scaled, 0, round_mode="half_towards_infinity"), pa.int64())
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):  # SQLite's DECIMAL(p,s) arrives as text
        values, unreadable = cents_from_text(pc.fill_null(pc.utf8_trim_whitespace(array), "0"))
        if unreadable.any():
            raise ValueError(f"an amount column holds {array[int(np.argmax(unreadable))]!r}, which is not a number")
        return values
    elif pa.types.is_floating(kind):
        cents = pc.cast(pc.round(pc.multiply(array, 100.0), 0, round_mode="half_towards_infinity"), pa.int64())
    elif pa.types.is_integer(kind):
        cents = pc.multiply(pc.cast(array, pa.int64()), 100)
    else:
        raise TypeError(f"an amount column came back as {kind}, not a number")
    return _to_numpy(pc.fill_null(cents, 0)).astype(np.int64)


def _to_numpy(array) -> np.ndarray:
    return array.to_numpy(zero_copy_only=False)


def cents_from_text(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Amounts as text -> (int64 cents, mask of values that are not amounts), exactly and vectorised.

    Agrees with ardesk.money.cents_from_decimal on every amount this format allows: the third decimal
    decides the rounding, half up (away from zero), without passing through a float.
    """
    parts = pc.extract_regex(text, _AMOUNT)
    units = pc.cast(pc.struct_field(parts, "units"), pa.int64())
    decimals = pc.struct_field(parts, "decimals")
    cents = pc.cast(pc.utf8_rpad(pc.utf8_slice_codeunits(decimals, 0, 2), width=2, padding="0"), pa.int64())
    round_up = pc.cast(pc.greater_equal(pc.utf8_slice_codeunits(decimals, 2, 3), "5"), pa.int64())
    magnitude = pc.add(pc.add(pc.multiply(units, 100), cents), round_up)
    signed = pc.if_else(pc.equal(pc.struct_field(parts, "sign"), "-"), pc.negate(magnitude), magnitude)
    unreadable = ~_to_numpy(parts.is_valid())
    return _to_numpy(pc.fill_null(signed, 0)).astype(np.int64), unreadable

