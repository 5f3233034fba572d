"""Company names, addresses, postal codes and tax IDs brought to one spelling, so that a bureau's row and the ERP's
customer compare equal when they name the same company.

Bureaus and ERPs write the same company differently: upper case or not, "Inc." or ", Inc" or "Incorporated" or no
suffix at all, "&" or "and", "Industrial" or "Ind.", accents or none, "Street" or "St". Each function maps a column
to the spelling both sides share: lower-case ASCII words, legal suffixes dropped, common words abbreviated one
way. What is left to differ (typos, missing words) is for rapidfuzz's scores (ardesk.ar.bureau_match).
"""
import re
import unicodedata

import pandas as pd

LEGAL_FORMS = frozenset((
    "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "plc", "corp", "corporation", "co", "company",
    "pc", "pllc", "gmbh", "ag", "kg", "sa", "sarl", "srl", "spa", "bv", "nv", "sl", "oy", "as", "ab", "sp", "z",
    "oo", "sas", "se",
))
"""Words of a legal form (US, UK and European): dropped from a name wherever they stand, because bureaus write
them differently or not at all ("Müller GmbH & Co. KG" and "MUELLER GMBH" are one company)."""
ABBREVIATIONS = {
    "and": "", "the": "", "of": "",
    "industrial": "ind", "industries": "ind", "industry": "ind", "manufacturing": "mfg", "international": "intl",
    "brothers": "bros", "services": "svc", "service": "svc", "svcs": "svc", "distribution": "dist",
    "distributors": "dist", "distributing": "dist", "supplies": "supply", "sply": "supply", "technologies": "tech",
    "technology": "tech", "equipment": "equip", "products": "prod", "prods": "prod", "systems": "sys",
    "mechanical": "mech", "engineering": "eng", "electric": "elec", "electrical": "elec", "solutions": "sol",
    "holdings": "hldg", "holding": "hldg", "group": "grp", "associates": "assoc", "laboratories": "labs",
    "saint": "st", "mount": "mt", "north": "n", "south": "s", "east": "e", "west": "w",
}
"""Words bureaus shorten, each to one spelling ("" drops it)."""
STREET_WORDS = {
    "street": "st", "avenue": "ave", "av": "ave", "boulevard": "blvd", "road": "rd", "drive": "dr",
    "parkway": "pkwy", "pky": "pkwy", "court": "ct", "lane": "ln", "place": "pl", "highway": "hwy", "suite": "ste",
    "square": "sq", "way": "way", "north": "n", "south": "s", "east": "e", "west": "w", "strasse": "str",
}
"""Words of a street line, each to the US Postal Service's abbreviation (and German Straße to Str)."""
_UNDECOMPOSED = str.maketrans({"ß": "ss", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae", "&": " and ",
                               "'": "", "’": ""})
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")
_COUNTRY_PREFIX = re.compile(r"^[A-Z]{2}(?=\d)")


def folded(text: pd.Series) -> pd.Series:
    """Lower-case ASCII words separated by single spaces: accents dropped, "&" as "and", punctuation as a space."""
    values = [_fold(value) for value in text.fillna("").astype(str).tolist()]
    return pd.Series(values, index=text.index, dtype="string")


def _fold(value: str) -> str:
    value = value.translate(_UNDECOMPOSED)
    if not value.isascii():
        value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _NOT_WORD.sub(" ", value.lower()).strip()


def names(text: pd.Series) -> pd.Series:
    """Company names as both sides spell them: folded, legal forms dropped, common words shortened one way."""
    return _words(folded(text), lambda word: "" if word in LEGAL_FORMS else ABBREVIATIONS.get(word, word))


def streets(text: pd.Series) -> pd.Series:
    """Street lines folded, with the street's words abbreviated as the US Postal Service does."""
    return _words(folded(text), lambda word: STREET_WORDS.get(word, word))


def _words(text: pd.Series, spell) -> pd.Series:
    values = [" ".join(filter(None, map(spell, value.split()))) for value in text.tolist()]
    return pd.Series(values, index=text.index, dtype="string")


def postal_codes(text: pd.Series) -> pd.Series:
    """Postal codes by their first five letters and digits: "60612-1234" (ZIP+4) and "60612" are one code, as
    are "M1 4AB" and "m14ab"."""
    return text.fillna("").astype(str).str.upper().str.replace(_NOT_ALNUM, "", regex=True).str[:5].astype("string")


def tax_ids(text: pd.Series) -> pd.Series:
    """Tax IDs by their letters and digits, without a leading country code: "12-3456789" is 123456789, and
    "GB 123 4567 89" is the UK VAT number 123456789 that a bureau may write without GB."""
    upper = text.fillna("").astype(str).str.upper().str.replace(_NOT_ALNUM, "", regex=True)
    return upper.str.replace(_COUNTRY_PREFIX, "", regex=True).astype("string")
