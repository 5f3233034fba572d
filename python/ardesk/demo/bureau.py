"""A labelled credit bureau export of the demo customers: what `ardesk credit import` is tested and measured on.

Most rows are about customers, written the way a bureau's data differs from an ERP's: upper case, another legal
form or none ("Inc." as "INCORPORATED"), words shortened ("Industrial" as "IND"), accents dropped, the twin's
" - City" the ERP added missing, a typo in the name, street or city, "Street" for "St", a suite added, ZIP+4,
a postal code missing, a tax ID missing or written another way. The others are companies that are not customers:
new names, and near twins of customers (a customer's name with another trade, at another number of its street).
Each row carries its label: the customer it is about, "" for none. Seeded: the same inputs give the same file.
"""
import datetime as dt

import numpy as np
import pandas as pd

from ardesk.demo.addresses import name_and_address
from ardesk.demo.arrays import pick
from ardesk.settings import Bureau

STRANGERS = 0.08
"""Share of rows about companies that are not customers, with new names and addresses."""
NEAR_TWINS = 0.04
"""Share of rows about companies that are not customers but look like one (same street, another trade)."""
_SUFFIX_SWAPS = {"Inc.": "INCORPORATED", "Corp.": "Corporation", "Co.": "Company", "Ltd.": "Limited",
                 "LLC": "L.L.C.", "Ltd": "Limited", "Limited": "Ltd", "Corporation": "Corp", "Company": "Co",
                 "GmbH": "G.m.b.H.", "PLC": "P.L.C."}
_SHORT = {"Industrial": "Ind.", "Manufacturing": "Mfg.", "Distribution": "Dist.", "Equipment": "Equip.",
          "Products": "Prods.", "Mechanical": "Mech.", "Electric": "Elec.", "Services": "Svcs", "Supply": "Sply",
          "Holdings": "Hldgs", "&": "and", "Group": "Grp"}
_STREET_LONG = {"St": "Street", "Ave": "Avenue", "Blvd": "Boulevard", "Rd": "Road", "Dr": "Drive", "Pkwy": "Parkway",
                "Ct": "Court", "Road": "Rd"}
_OTHER_TRADES = ("Plastics", "Packaging", "Controls", "Logistics", "Fasteners", "Coatings", "Printing", "Lumber")
_RISK_CLASSES = ((80, "1"), (60, "2"), (40, "3"), (20, "4"), (0, "5"))
"""Score on 0-100 from which each risk class is given (1 the least risk, as D&B's classes run)."""


def contacts(customer: pd.DataFrame) -> pd.DataFrame:
    """The demo's Erp.Customer frame as the columns of CONTACTS a bureau file is made from (and matched to)."""
    columns = {"CustID": "customer_id", "Name": "customer_name", "Address1": "address", "City": "city",
               "State": "state", "Zip": "postal_code", "Country": "country", "ResaleID": "tax_id"}
    return customer[list(columns)].astype(str).rename(columns=columns).astype("string")


def bureau_rows(customers: pd.DataFrame, as_of: dt.date, seed: int = 11, share: float = 1.0) -> pd.DataFrame:
    """The export's rows in ardesk's terms (BUREAU_FIELDS, score on 0-100, recommended_limit in cents) with
    `label`: the customer each is about, "" for a company that is not one. `customers` is CONTACTS with tax IDs;
    `share` of them are in the file, each once, in a shuffled order."""
    rng = np.random.default_rng(seed)
    chosen = customers.iloc[np.flatnonzero(rng.random(len(customers)) < share)]
    about = pd.DataFrame({
        "label": chosen["customer_id"].to_numpy(), "tax_id": _tax_ids(chosen["tax_id"].to_numpy(), rng),
        "name": _names(chosen["customer_name"].to_numpy(), chosen["city"].to_numpy(), rng),
        "address": _streets(chosen["address"].to_numpy(), rng), "city": _typos(chosen["city"].to_numpy(), 0.03, rng),
        "state": chosen["state"].to_numpy(), "postal_code": _postal(chosen["postal_code"].to_numpy(),
                                                                    chosen["country"].to_numpy(), rng),
        "country": chosen["country"].to_numpy(),
    })
    frame = pd.concat([about, _strangers(len(chosen), rng), _near_twins(chosen, rng)], ignore_index=True)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    return pd.concat([frame, _figures(len(frame), as_of, rng)], axis=1)


def export(rows: pd.DataFrame, bureau: Bureau) -> pd.DataFrame:
    """`rows` (bureau_rows) as `bureau`'s export lays them out: its headers, its date format, its score scale, the
    limit in whole currency units, and an empty column for each header it ignores."""
    low, high = bureau.score_scale
    values = {
        **{field: rows[field] for field in ("tax_id", "name", "address", "city", "state", "postal_code", "country",
                                            "risk_class")},
        "score": (low + rows["score"] * (high - low) / 100).round().astype(int).astype(str),
        "recommended_limit": (rows["recommended_limit_cents"] // 100).astype(str),
        "days_beyond_terms": rows["days_beyond_terms"].astype(str),
        "report_date": rows["report_date"].dt.strftime(bureau.date_format),
    }
    out = pd.DataFrame({header: values[field] for field, header in bureau.columns.items()})
    for header in bureau.ignore:
        out[header] = ""
    return out


def _tax_ids(tax: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Kept as the ERP writes it, written without punctuation or country code, or missing."""
    roll = rng.random(len(tax))
    bare = np.array([t.replace("-", "").replace(" ", "").removeprefix("GB") for t in tax], dtype=object)
    return np.where(roll < 0.45, tax, np.where(roll < 0.65, bare, ""))


def _names(names: np.ndarray, cities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = []
    roll = rng.random((len(names), 5))
    for (name, city), (upper, swap, short, typo, _) in zip(zip(names, cities), roll):
        name = name.removesuffix(f" - {city}")
        words = name.split(" ")
        if swap < 0.5:
            words = [_SUFFIX_SWAPS.get(w, w) for w in words] if swap < 0.3 else \
                [w for w in words if w.rstrip(".,") not in ("Inc", "LLC", "Corp", "Co", "Ltd", "Limited")]
        if short < 0.4:
            words = [_SHORT.get(w, w) for w in words]
        name = " ".join(words).rstrip(",")
        if typo < 0.12:
            name = _typo(name, rng)
        out.append(name.upper() if upper < 0.5 else name)
    return np.array(out, dtype=object)


def _streets(streets: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    out = []
    for street, (upper, long, suite, typo) in zip(streets, rng.random((len(streets), 4))):
        words = street.split(" ")
        if long < 0.4:
            words = [_STREET_LONG.get(w, w) for w in words]
        street = " ".join(words) + (f" Ste {int(suite * 1000) + 100}" if suite < 0.1 else "")
        if typo < 0.05:
            street = _typo(street, rng)
        out.append(street.upper() if upper < 0.5 else street)
    return np.array(out, dtype=object)


def _postal(codes: np.ndarray, countries: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Missing (3%), as ZIP+4 (30% of US codes) or without its space (17% of the others)."""
    roll = rng.random(len(codes))
    plus4 = rng.integers(1000, 9999, len(codes))
    return np.array([
        "" if r < 0.03 else f"{code}-{p}" if country == "USA" and r < 0.33
        else code.replace(" ", "") if r < 0.2 else code
        for code, country, r, p in zip(codes, countries, roll, plus4)], dtype=object)


def _typos(values: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    hit = rng.random(len(values)) < share
    return np.array([_typo(v, rng) if h else v for v, h in zip(values, hit)], dtype=object)


def _typo(text: str, rng: np.random.Generator) -> str:
    """One letter of a word of five or more letters dropped, doubled, swapped with the next or replaced."""
    words = [i for i, w in enumerate(text.split(" ")) if len(w) >= 5 and w.isalpha()]
    if not words:
        return text
    parts = text.split(" ")
    i = words[rng.integers(len(words))]
    word, at, kind = parts[i], int(rng.integers(1, len(parts[i]) - 1)), int(rng.integers(4))
    parts[i] = (word[:at] + word[at + 1:], word[:at] + word[at] + word[at:],
                word[:at] + word[at + 1] + word[at] + word[at + 2:],
                word[:at] + "aeiou"[int(rng.integers(5))] + word[at + 1:])[kind]
    return " ".join(parts)


def _strangers(customers: int, rng: np.random.Generator) -> pd.DataFrame:
    """Companies that are not customers: names and addresses drawn as the demo's own are."""
    n = int(customers * STRANGERS)
    currency = pick(rng, ("USD",) * 17 + ("EUR", "EUR", "GBP"), n)
    territory = pick(rng, ("EAST", "WEST", "CENTRAL", "SOUTH"), n)
    drawn = name_and_address(np.asarray(currency, dtype=str), np.asarray(territory, dtype=str), rng)
    return pd.DataFrame({"label": "", "tax_id": "", "name": drawn["Name"], "address": drawn["Address1"],
                         "city": drawn["City"], "state": drawn["State"], "postal_code": drawn["Zip"],
                         "country": drawn["Country"]})


def _near_twins(customers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Companies that are not customers at a customer's postal code and street, under a name one word off."""
    twins = customers.iloc[rng.permutation(len(customers))[:int(len(customers) * NEAR_TWINS)]]
    names = [_other_trade(name, rng) for name in twins["customer_name"]]
    streets = [f"{int(rng.integers(10, 9900))} {street.split(' ', 1)[-1]}" for street in twins["address"]]
    return pd.DataFrame({"label": "", "tax_id": "", "name": names, "address": streets, "city": twins["city"].to_numpy(),
                         "state": twins["state"].to_numpy(), "postal_code": twins["postal_code"].to_numpy(),
                         "country": twins["country"].to_numpy()})


def _other_trade(name: str, rng: np.random.Generator) -> str:
    words = name.split(" ")
    at = int(rng.integers(len(words)))
    words[at] = _OTHER_TRADES[int(rng.integers(len(_OTHER_TRADES)))]
    return " ".join(words)


def _figures(n: int, as_of: dt.date, rng: np.random.Generator) -> pd.DataFrame:
    """What the bureau says: a score (0-100), its risk class, a recommended limit in round hundreds of dollars,
    days beyond terms, and a report date in the two months before as_of."""
    score = np.clip(rng.normal(62, 18, n).round(), 1, 100).astype(int)
    classes = np.select([score >= floor for floor, _ in _RISK_CLASSES], [c for _, c in _RISK_CLASSES], "5")
    limit = (np.exp(rng.normal(np.log(25_000), 1.0, n)) // 100 * 100 * 100).astype(np.int64)
    return pd.DataFrame({
        "score": score, "risk_class": classes.astype(object), "recommended_limit_cents": limit,
        "days_beyond_terms": np.clip(rng.normal(8, 10, n).round(), 0, 120).astype(int),
        "report_date": pd.to_datetime(as_of) - pd.to_timedelta(rng.integers(0, 60, n), unit="D"),
    })
