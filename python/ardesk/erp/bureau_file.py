"""A credit bureau's export (CSV or XLSX) read as [bureaus.NAME] describes it, and its review list written beside it.

The header must hold every column the bureau's settings name and nothing they do not (its `ignore` list aside):
a file from another bureau, or an export whose layout changed, is refused in one sentence naming what is missing
and what is unknown, before anything is read. Values are read as the bureau writes them: dates in its
date_format (or ISO, or real Excel dates), scores on its score_scale (kept on 0-100), limits with or without a
currency sign and thousands separators. A value that cannot be read refuses the file, naming its line and column.

The review list is a CSV (UTF-8 with a byte-order mark, so Excel opens it as it is) beside the export: the rows a
person must look at, in the bureau's own columns, with ardesk's status, reason, suggested customer and
confidence, and an empty "ardesk customer" column. A CSV and not a sheet of the aging workbook because the import
runs on a file, often before any workbook exists, and a refresh would rewrite the sheet; the list is itself an
export of that bureau: fill in "ardesk customer" for the rows you confirm and import the list again.
"""
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ardesk.erp.files import column_positions, read_table
from ardesk.errors import ArdeskError
from ardesk.frames import BUREAU_ROWS
from ardesk.money import cents_from_decimal
from ardesk.settings import Bureau

REVIEW_COLUMNS = {"ardesk line": "line", "ardesk status": "status", "ardesk reason": "reason",
                  "ardesk suggestion": "suggestion",
                  "ardesk confidence": "confidence", "ardesk customer": "customer_id"}
"""The review list's own columns -> what each holds; only "ardesk customer" is read back (a person's choice)."""
_TEXT = ("tax_id", "name", "address", "city", "state", "postal_code", "country", "risk_class")
_CURRENCY = r"^[A-Za-z$€£]*\s*|[,\s]"
"""What a bureau writes around an amount: a currency sign or code before it, thousands separators and spaces."""


def _canonical(header) -> str:
    return re.sub(r"\s+", " ", str(header if header is not None else "")).strip().casefold()


def read(path: str | Path, bureau: Bureau) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(BUREAU_ROWS, the rows as written: each column the bureau's settings name, by its header) of the export at
    `path`, or one ArdeskError sentence."""
    path = Path(path)
    headers = {field: header for field, header in bureau.columns.items()}
    table = read_table(path, lambda where, header: _positions(where, header, bureau),
                       what=f"the {bureau.name} bureau's report")
    text = {field: table.text(field).to_numpy(zero_copy_only=False) for field in headers}
    rows = pd.DataFrame({"line": np.asarray(table.where(*range(len(table.kept))), dtype=np.int64)})
    for field in _TEXT:
        rows[field] = text.get(field, "")
    rows["score"] = _scores(table, bureau)
    rows["recommended_limit_cents"] = _limits(table, bureau)
    rows["days_beyond_terms"] = _whole(table, bureau, "days_beyond_terms", 0, 3650)
    rows["report_date"] = _dates(table, bureau)
    rows["customer_id"] = table.text("customer_id").to_numpy(zero_copy_only=False)
    written = pd.DataFrame({headers[field]: values for field, values in text.items()})
    return rows[list(BUREAU_ROWS)].astype(BUREAU_ROWS), written


def _positions(path: Path, header: list, bureau: Bureau) -> dict[str, int]:
    """Field -> the column holding it; the whole header checked against the bureau's settings first."""
    names = [_canonical(h) for h in header]
    fields = {_canonical(h): field for field, h in bureau.columns.items()}
    known = set(fields) | {_canonical(h) for h in bureau.ignore} | set(REVIEW_COLUMNS)
    missing = [h for h in bureau.columns.values() if _canonical(h) not in names]
    unknown = [str(h).strip() for h, name in zip(header, names) if name and name not in known]
    if missing or unknown:
        said = [f"lacks {_listed(missing)}"] * bool(missing) + \
               [f"has {_listed(unknown)}, which [bureaus.{bureau.name}] does not name"] * bool(unknown)
        raise ArdeskError(f"{path} is not a {bureau.name} bureau export as ardesk.toml describes it: it "
                          f"{' and '.join(said)}; export it again with the bureau's columns, or change "
                          f"[bureaus.{bureau.name}] columns (and ignore) to match the file, and nothing was "
                          "imported.")
    wanted = {**fields, "ardesk customer": "customer_id"}
    found = column_positions(path, names, list(wanted))
    return {wanted[name]: at for name, at in found.items()}


def _listed(headers: list[str]) -> str:
    quoted = [f'"{h}"' for h in headers]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _whole(table, bureau: Bureau, field: str, low: int, high: int) -> pd.Series:
    """A whole-number column (<NA> for an empty cell or a bureau without it), each within [low, high]."""
    if field not in bureau.columns:
        return pd.Series(pd.NA, index=range(len(table.kept)), dtype="Int64")
    text = pd.Series(table.text(field).to_numpy(zero_copy_only=False)).str.replace(",", "", regex=False)
    numbers = pd.to_numeric(text.str.removesuffix(".0"), errors="coerce")
    bad = (text != "") & (numbers.isna() | (numbers % 1 != 0) | (numbers < low) | (numbers > high))
    table.refuse(bad.to_numpy(), field, lambda value: f"{value!r} is not a whole number from {low} to {high}")
    return numbers.round().astype("Int64")


def _scores(table, bureau: Bureau) -> pd.Series:
    """The bureau's scores mapped from its score_scale onto 0-100."""
    low, high = bureau.score_scale
    raw = _whole(table, bureau, "score", low, high)
    return ((raw - low) * 100 / (high - low)).round().astype("Int64")


def _limits(table, bureau: Bureau) -> pd.Series:
    """Recommended limits as cents: "$25,000", "25000.00" and "USD 25 000" are 2,500,000 cents; empty is <NA>."""
    if "recommended_limit" not in bureau.columns:
        return pd.Series(pd.NA, index=range(len(table.kept)), dtype="Int64")
    text = pd.Series(table.text("recommended_limit").to_numpy(zero_copy_only=False))
    bare = text.str.replace(_CURRENCY, "", regex=True)
    bad = (text != "") & ~bare.str.fullmatch(r"\d+(?:\.\d{1,2})?")
    table.refuse(bad.to_numpy(), "recommended_limit",
                 lambda value: f"{value!r} is not an amount of 0 or more: write it like 25000 or $25,000.00")
    return pd.Series([cents_from_decimal(value) if value else pd.NA for value in bare], dtype="Int64")


def _dates(table, bureau: Bureau) -> pd.Series:
    """Report dates in the bureau's date_format, or ISO (as ardesk reads a real Excel date)."""
    text = pd.Series(table.text("report_date").to_numpy(zero_copy_only=False))
    theirs = pd.to_datetime(text, format=bureau.date_format, errors="coerce")
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    days = theirs.fillna(iso)
    example = pd.Timestamp(2026, 3, 31).strftime(bureau.date_format)
    table.refuse(days.isna().to_numpy(), "report_date",
                 lambda value: f"{value!r} is not a date as the {bureau.name} bureau writes them: like {example}")
    return days.astype("datetime64[s]")


def write_review(path: Path, written: pd.DataFrame, rows: pd.DataFrame, matches: pd.DataFrame) -> Path:
    """The review list at `path`: the rows of `matches` that are not Matched, as the bureau wrote them (`written`),
    with ardesk's columns; replaced whole if it exists."""
    todo = (matches["status"] != "Matched").to_numpy()
    out = written[todo].copy()
    out.insert(0, "line", rows["line"].to_numpy()[todo])
    shown = matches[todo]
    out["ardesk status"] = shown["status"].to_numpy()
    out["ardesk reason"] = shown["reason"].to_numpy()
    out["ardesk suggestion"] = shown["customer_id"].to_numpy()
    out["ardesk confidence"] = np.where(shown["customer_id"] != "", shown["confidence"].astype(str), "")
    out["ardesk customer"] = ""
    out = out.rename(columns={"line": "ardesk line"})
    for column in out.columns:
        out[column] = out[column].astype(str).map(_as_text)
    partial = path.with_name(path.name + ".partial")
    out.to_csv(partial, index=False, encoding="utf-8-sig")
    partial.replace(path)
    return path


def _as_text(value: str) -> str:
    """A bureau's text as data, never a formula, when Excel opens the list (a leading = + - @ is quoted)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
