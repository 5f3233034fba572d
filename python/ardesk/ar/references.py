"""Reading invoice numbers out of a credit's reference or remittance text.

Clerks and customers quote an invoice in any format: `INV-00123`, `inv 123`, `#123`, `Inv#123`,
`RE: INVOICE 123`, `PMT INV 123 456` all name invoice 123 (a number is compared without its prefix, separators
and leading zeros). The same text carries numbers that are not invoices, and those are skipped:
- amounts (`1,234.56`, `1.234,56`, `$500`, `500 USD`, `12%`), dates (`2026-11-24`, `11/24/26`, `24 Nov 2026`)
  and times;
- a number right after a word naming another kind of number (`PO 4500012345`, `P.O. #77`, `CHK 004512`,
  `ACH`, `WIRE FT123`, `RMA 4411`, `order`, `account`, `store` ...);
- a number glued to the letters after it (`30days`, `2nd`, `12pcs`).
A number is `explicit` when an invoice word (`inv`, `invoice`, `bill`, `doc`) or `#` introduces it: then the
text surely means a document, and a number that is not an open invoice is worth a warning.
"""
import re
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


class Named(NamedTuple):
    number: int
    explicit: bool


INVOICE_WORDS = frozenset({"INV", "INVS", "INVC", "INVOICE", "INVOICES", "BILL", "BILLS", "DOC", "DOCS", "DOCUMENT"})
FILLER_WORDS = frozenset({"NO", "NOS", "NR", "NUM", "NUMBER", "NUMBERS", "REF", "REFERENCE", "RE", "FOR", "OF",
                          "AND"})
"""Words between a keyword and its number that do not change what the number is (`PO No. 77`, `inv ref 12`)."""
OTHER_NUMBER_WORDS = frozenset({
    "PO", "ORDER", "ORD", "SO", "RMA", "RETURN", "CHECK", "CHK", "CHQ", "CHEQUE", "ACH", "WIRE", "FT", "TRN", "TXN",
    "TRANSACTION", "CONF", "CONFIRMATION", "ACCT", "ACCOUNT", "AC", "CUST", "CUSTOMER", "TEL", "PHONE", "FAX",
    "QUOTE", "BATCH", "STORE", "JOB", "CASE", "TICKET", "CLAIM", "NET", "LOT", "ITEM", "PART", "SKU", "BOL", "AWB",
    "TRACKING", "ROUTING", "ABA", "IBAN", "SWIFT", "VAT", "TAX", "ID", "AMT", "AMOUNT", "TOTAL", "SUM", "PAID",
})
"""Words whose next number is something else than an invoice: orders, checks, accounts, amounts."""
CURRENCY_CODES = frozenset({"USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "CNY", "MXN", "SEK", "NOK",
                            "DKK", "PLN", "INR"})
"""An amount's currency, before (`USD 500`) or after (`500 USD`) it."""
MONTHS = frozenset(m for name in ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST",
                                  "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER") for m in (name, name[:3]))
"""A month name owns the next two numbers (`Nov 24, 2026`) and the number just before it (`24 Nov`)."""
CURRENCY_SIGNS = frozenset("$€£¥")
MAX_DIGITS = 18
"""Longer runs of digits are account or card numbers, never a document number that fits int64."""

_TOKEN = re.compile(r"(?P<word>[^\W\d_]+)|(?P<num>\d+(?:[.,/:\-]\d+)*)|(?P<sign>[#%$€£¥])")
_PO = re.compile(r"\bP\s*\.\s*O\b\.?", re.IGNORECASE)
_DATE = re.compile(r"(19|20)\d\d[-/.]\d{1,2}([-/.]\d{1,2})?|\d{1,2}[-/.]\d{1,2}([-/.](\d{2}|\d{4}))?")
_AMOUNT = re.compile(r"\d{1,3}([.,]\d{3})+([.,]\d{1,2})?|\d+[.,]\d{1,2}")


def invoice_numbers(text: str) -> tuple[Named, ...]:
    """The numbers `text` may name documents by, in order of first appearance, each once."""
    tokens = [(m.lastgroup, m.group(), m.start(), m.end()) for m in _TOKEN.finditer(_PO.sub("PO", text or ""))]
    found: dict[int, bool] = {}
    governor, since = None, 0  # the last keyword before a number and how many numbers followed it
    for i, (kind, value, _, _) in enumerate(tokens):
        if kind == "word":
            word = value.upper()
            if word not in FILLER_WORDS:
                governor, since = ("AMT" if word in CURRENCY_CODES else word), 0
        elif kind == "sign":
            if value == "#" and not (governor in OTHER_NUMBER_WORDS and since == 0):
                governor, since = "#", 0
            elif value in CURRENCY_SIGNS:
                governor, since = "AMT", 0
        else:
            if _is_invoice_number(value, tokens, i, governor, since):
                explicit = governor in INVOICE_WORDS or governor == "#"
                for part in re.split(r"\D+", value):  # 10234/10235, 10234-10235
                    if 0 < len(part.lstrip("0")) <= MAX_DIGITS:
                        found[int(part)] = found.get(int(part), False) or explicit
            since += 1
    return tuple(Named(number, explicit) for number, explicit in found.items())


def _is_invoice_number(value: str, tokens: list, i: int, governor: str | None, since: int) -> bool:
    """Whether the run of digits tokens[i] may be a document number (see the module's list of what is not)."""
    if ":" in value or _DATE.fullmatch(value) or _AMOUNT.fullmatch(value):
        return False
    if governor in OTHER_NUMBER_WORDS and since == 0 or governor in MONTHS and since < 2:
        return False
    if i + 1 < len(tokens):
        kind, text, start, _ = tokens[i + 1]
        if kind == "word" and (start == tokens[i][3] or text.upper() in MONTHS | CURRENCY_CODES):
            return False  # 30days, 24 Nov, 500 USD
        owned = i + 2 < len(tokens) and tokens[i + 2][0] == "num" and tokens[i + 2][2] == tokens[i + 1][3]
        if kind == "sign" and (text == "%" or text in CURRENCY_SIGNS and not owned):
            return False  # 12%, 500 € (but not INV 12 $99.00)
    return True


def doc_keys(doc_no: pd.Series) -> np.ndarray:
    """The number a reference names each document by: the last run of digits of doc_no (-1 when it has none).

    `00123`, `INV-00123` and `123` all have key 123. Vectorised, as it runs over every open item: numbers that
    are all digits (most ERPs') are cast at once, only the others go through a regular expression.
    """
    text = pa.array(doc_no.astype("string").fillna(""))
    plain = pc.and_(pc.utf8_is_digit(text), pc.less_equal(pc.utf8_length(text), MAX_DIGITS))
    keys = pc.cast(pc.if_else(plain, text, "0"), pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64)
    other = np.flatnonzero(~plain.to_numpy(zero_copy_only=False))
    digits = pc.extract_regex(text.take(pa.array(other)), r"(?:^|\D)(?P<key>\d{1,18})\D*$")
    found = pc.cast(pc.struct_field(digits, "key"), pa.int64())
    keys[other] = pc.fill_null(found, -1).to_numpy(zero_copy_only=False)
    return keys


def near(a: int, b: int) -> bool:
    """Whether two document numbers differ by one typing slip: one digit wrong, left out, added, or two
    neighbouring digits swapped."""
    x, y = str(a), str(b)
    if x == y:
        return False
    if len(x) == len(y):
        wrong = [k for k in range(len(x)) if x[k] != y[k]]
        return len(wrong) == 1 or (len(wrong) == 2 and wrong[1] == wrong[0] + 1
                                   and x[wrong[0]] == y[wrong[1]] and x[wrong[1]] == y[wrong[0]])
    short, long = sorted((x, y), key=len)
    return len(long) == len(short) + 1 and any(long[:k] + long[k + 1:] == short for k in range(len(long)))
