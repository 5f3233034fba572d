"""The demo customers' tax IDs (Epicor's Customer.ResaleID): a pure function of the customer ID and country.

US customers get an employer identification number (EIN, "12-3456789"), UK customers a VAT number written as HMRC
prints it ("GB 123 4567 89"), the others a VAT-style number: their country's two-letter code and nine digits. Each
customer's number is its own (the digits are a bijection of the number in its customer ID), so a bureau row's tax
ID names at most one customer. Some customers have none on file, as in any ERP: matching them falls to name and
address.
"""
import re
import zlib

import numpy as np

MISSING_PERCENT = 6
"""Customers (out of 100) without a tax ID on file."""
_EIN_PREFIXES = (12, 20, 23, 26, 27, 36, 38, 41, 45, 46, 52, 56, 59, 65, 74, 81, 83, 86, 88, 94)
"""Prefixes the IRS assigns EINs from (a sample): the first two digits of each demo EIN."""
_EU_CODES = {"Germany": "DE", "France": "FR", "Italy": "IT", "Spain": "ES", "Netherlands": "NL", "Belgium": "BE",
             "Austria": "AT", "Ireland": "IE", "Finland": "FI", "Portugal": "PT"}
_SPREAD, _SHIFT, _SPACE = 7_654_321, 1_234_567, 10_000_000
"""n -> (n * _SPREAD + _SHIFT) mod _SPACE is a bijection of [0, _SPACE) (_SPREAD is prime to 10): neighbouring
customers get unrelated digits, and no two customers the same ones."""
_DIGITS = re.compile(r"\d+")


def tax_ids(customer_ids, countries) -> np.ndarray:
    """The tax ID on file of each customer ("" for none), from its ID and its Customer.Country."""
    return np.array([tax_id(customer, country) for customer, country in zip(customer_ids, countries)], dtype=object)


def tax_id(customer_id: str, country: str) -> str:
    """One customer's tax ID on file ("" for none)."""
    n = _number(customer_id)
    digits = (n * _SPREAD + _SHIFT) % _SPACE
    if digits % 100 < MISSING_PERCENT:
        return ""
    prefix = _EIN_PREFIXES[n % len(_EIN_PREFIXES)]
    if country == "USA":
        return f"{prefix}-{digits:07d}"
    if country == "United Kingdom":
        text = f"{prefix}{digits:07d}"
        return f"GB {text[:3]} {text[3:7]} {text[7:]}"
    return f"{_EU_CODES.get(country, 'EU')}{prefix}{digits:07d}"


def _number(customer_id: str) -> int:
    """The number in a customer ID ("C000123" -> 123), or a checksum of an ID without one; below _SPACE."""
    found = _DIGITS.findall(customer_id)
    return (int("".join(found)) if found else zlib.crc32(customer_id.encode())) % _SPACE
