"""Which customer each row of a bureau's export is about: by tax ID first, then by name and address with a
confidence; a row that is not certain goes to a person, never into the ERP unseen.

A row is Matched when a person confirmed its customer on an earlier review list, when its tax ID is one
customer's, or when one customer's name and address are close enough to it (AUTO and the floors below) and no
other customer comes near (MARGIN). A row close to a customer but short of that, or whose tax ID differs from
the customer's, is for Review with its likely customer and what to check; a row like no customer is Not found
(a company the bureau follows that is not, or not yet, a customer).

Name and address are compared only between rows and customers that share a block (BLOCKS): the same postal code
and name initial first, then for the rows still unmatched the same postal code, then the same city and
initial. 50,000 rows against 50,000 customers compare about a million pairs, not 2.5 billion.
"""
from collections import Counter

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from ardesk.ar.bureau_names import folded, house_numbers, legal_forms, names, postal_codes, streets, tax_ids
from ardesk.frames import BUREAU_MATCHES

AUTO = 92
"""Confidence (0-100) from which a row matches a customer without a person: with NAME_FLOOR, ADDRESS_FLOOR and
MARGIN it kept precision at 100% on the labelled generated file (bench/bench_bureau.py, 50,000 rows)."""
REVIEW = 70
"""Confidence from which the closest customer is suggested for review; below it the row is Not found."""
NAME_FLOOR = 85
"""The name score (rapidfuzz token_sort_ratio of the spelled-alike names) a match needs whatever its address."""
ADDRESS_FLOOR = 85
"""The street score (token_set_ratio, "Ste 100" added is no difference) a match needs whatever its name."""
MARGIN = 8
"""Points by which the closest customer must beat the next: two customers alike are for a person to tell apart."""
NAME_WEIGHT = 0.6
"""The name's share of the confidence; the street's is the rest (the postal code or city is the block)."""
BLOCKS = (("postal", "initial"), ("postal", "house"), ("city", "house"))
"""The keys a row and a customer must share to be compared, pass by pass; a later pass sees only the rows an
earlier one left unmatched (a typo in the name's first letter, a postal code missing or mistyped). The later
passes block on the house number, which a match needs anyway (HOUSE_NUMBER_CAP): blocking on the postal code
alone, then on city and initial, compared 1.2 million more pairs of 50,000 rows and took 7 s more."""
HOUSE_NUMBER_CAP = 50
"""The street score when both streets have a house number and the numbers differ: one street, two companies."""
LEGAL_FORM_CAP = NAME_FLOOR - 1
"""The name score when both names write a legal form and they share none ("Impianti S.p.A." and "Impianti Oy"):
alike names of two companies are for a person. Without it 13 of 43,900 automatic matches of the generated file
were wrong; the bureau's other spellings of one form ("Limited" for "Ltd") are the same form."""


def match(rows: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """BUREAU_MATCHES for `rows` (BUREAU_ROWS) against `customers` (CONTACTS with their tax IDs), same index."""
    out = pd.DataFrame({"customer_id": "", "confidence": 0, "matched_by": "", "status": "Not found",
                        "reason": "no customer's tax ID, name and address is like the row's"}, index=rows.index)
    known = set(customers["customer_id"].tolist())
    given = rows["customer_id"].fillna("").to_numpy(dtype=object)
    confirmed = given != ""
    real = np.array([customer in known for customer in given])
    out.loc[confirmed, "customer_id"] = given[confirmed]
    out.loc[confirmed & real, ["confidence", "matched_by", "status", "reason"]] = [100, "confirmed", "Matched", ""]
    out.loc[confirmed & ~real, ["status", "reason"]] = ["Review", "the review list names a customer ID the ERP "
                                                                  "does not have"]
    theirs, ours = tax_ids(rows["tax_id"]), tax_ids(customers["tax_id"])
    by_tax = _unique(ours.tolist(), customers["customer_id"].tolist())
    owner = np.array([by_tax.get(tax, "") for tax in theirs.tolist()], dtype=object)
    taxed = ~confirmed & (owner != "")
    out.loc[taxed, "customer_id"] = owner[taxed]
    out.loc[taxed, ["confidence", "matched_by", "status", "reason"]] = [100, "tax ID", "Matched", ""]
    rest = ~confirmed & ~taxed
    if rest.any() and len(customers):
        _by_name_and_address(rows[rest], theirs[rest], customers, ours, out)
    _one_report_a_day(rows, out)
    return out.astype(BUREAU_MATCHES)


def _unique(keys: list[str], values: list[str]) -> dict[str, str]:
    """key -> value for the non-empty keys that occur once (a tax ID two customers share names neither)."""
    seen = Counter(keys)
    return {key: value for key, value in zip(keys, values) if key and seen[key] == 1}


def _sides(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """What the comparison reads of rows or customers, as arrays: names and streets spelled alike, house numbers,
    the blocks' keys."""
    named = frame["name"] if "name" in frame else frame["customer_name"]
    spelled = names(named)
    street = streets(frame["address"])
    return {
        "name": spelled.to_numpy(dtype=object), "street": street.to_numpy(dtype=object),
        "house": house_numbers(street).to_numpy(dtype=object),
        "legal": legal_forms(named).to_numpy(dtype=object),
        "postal": postal_codes(frame["postal_code"]).to_numpy(dtype=object),
        "city": folded(frame["city"]).str.replace(" ", "", regex=False).to_numpy(dtype=object),
        "initial": spelled.str[:1].fillna("").to_numpy(dtype=object),
    }


_SCORES = ("at", "confidence", "name", "street", "runner_up")


def _by_name_and_address(rows: pd.DataFrame, row_tax: pd.Series, customers: pd.DataFrame, customer_tax: pd.Series,
                         out: pd.DataFrame) -> None:
    """Score `rows` against the customers of their blocks, pass by pass; write each row's outcome into `out`."""
    left, right = _sides(rows), _sides(customers)
    best = {name: np.zeros(len(rows)) for name in _SCORES}
    best["at"] -= 1
    pending = np.ones(len(rows), dtype=bool)
    for keys in BLOCKS:
        _compare(left, right, keys, np.flatnonzero(pending), best)
        pending &= ~_auto(best)
    at = best["at"].astype(int)
    found = at >= 0
    suggested = np.where(found, customers["customer_id"].to_numpy(dtype=object)[np.maximum(at, 0)], "")
    theirs, ours = row_tax.to_numpy(dtype=object), customer_tax.to_numpy(dtype=object)[np.maximum(at, 0)]
    conflict = found & (theirs != "") & (ours != "") & (theirs != ours)
    auto = _auto(best) & ~conflict
    review = ~auto & (best["confidence"] >= REVIEW)
    index = rows.index
    out.loc[index[auto | review], "customer_id"] = suggested[auto | review]
    out.loc[index[auto | review], "confidence"] = best["confidence"][auto | review].round().astype(int)
    out.loc[index[auto], ["matched_by", "status", "reason"]] = ["name and address", "Matched", ""]
    out.loc[index[review], "status"] = "Review"
    out.loc[index[review], "reason"] = [
        _why({name: best[name][i] for name in _SCORES}, conflict[i]) for i in np.flatnonzero(review)]


def _compare(rows: dict, customers: dict, keys: tuple[str, ...], todo: np.ndarray, best: dict) -> None:
    """Score the rows at positions `todo` against the customers sharing their `keys`, keeping in `best` each
    row's closest customer so far (position, confidence, name and street scores, the runner-up's confidence).

    The pairs of a pass are scored in one rapidfuzz call each (cpdist, on every core): a loop over 30,000 blocks
    of a few customers each spent its time in Python, 16 s for 50,000 rows instead of 3."""
    def side(values: dict, at: np.ndarray, name: str) -> pd.DataFrame:
        frame = pd.DataFrame({k: values[k][at] for k in keys}).assign(**{name: at})
        return frame[(frame[list(keys)] != "").all(axis=1).to_numpy()]
    pairs = side(rows, todo, "r").merge(side(customers, np.arange(len(customers["name"])), "c"), on=list(keys))
    if pairs.empty:
        return
    r, c = pairs["r"].to_numpy(), pairs["c"].to_numpy()
    name = process.cpdist(rows["name"][r], customers["name"][c], scorer=fuzz.token_sort_ratio, workers=-1)
    street = process.cpdist(rows["street"][r], customers["street"][c], scorer=fuzz.token_set_ratio, workers=-1)
    a, b = rows["house"][r], customers["house"][c]
    street = np.where((a != "") & (b != "") & (a != b), np.minimum(street, HOUSE_NUMBER_CAP), street)
    name = np.where(_other_forms(rows["legal"][r], customers["legal"][c]), np.minimum(name, LEGAL_FORM_CAP), name)
    confidence = NAME_WEIGHT * name + (1 - NAME_WEIGHT) * street
    order = np.lexsort((-confidence, r))
    r, c, name, street, confidence = r[order], c[order], name[order], street[order], confidence[order]
    first = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    has_second = np.r_[r[first[:-1] + 1] == r[first[:-1]], len(r) > first[-1] + 1]
    runner_up = np.where(has_second, confidence[np.minimum(first + 1, len(r) - 1)], 0.0)
    mine = r[first]
    better = confidence[first] > best["confidence"][mine]
    for name_of, values in (("at", c[first]), ("confidence", confidence[first]), ("name", name[first]),
                            ("street", street[first]), ("runner_up", runner_up)):
        best[name_of][mine[better]] = values[better]


def _other_forms(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
    """Per pair: both names write a legal form, and none is the same ("S.L." and "N.V.": two companies)."""
    both = np.flatnonzero((mine != "") & (theirs != ""))
    other = np.zeros(len(mine), dtype=bool)
    other[both] = [not set(a.split()) & set(b.split()) for a, b in zip(mine[both], theirs[both])]
    return other


def _auto(best: dict) -> np.ndarray:
    """The rows whose closest customer is theirs without a person (before any tax ID says otherwise)."""
    return ((best["at"] >= 0) & (best["confidence"] >= AUTO) & (best["name"] >= NAME_FLOOR)
            & (best["street"] >= ADDRESS_FLOOR) & (best["confidence"] - best["runner_up"] >= MARGIN))


def _why(best: dict, tax_differs: bool) -> str:
    """What a person checks before confirming a suggested customer."""
    if tax_differs:
        return "the bureau's tax ID is not the customer's: check which company the report is about"
    if best["confidence"] - best["runner_up"] < MARGIN:
        return "another customer is nearly as alike: check which one the report is about"
    weak = [f"{part} {score:.0f}%" for part, score, floor in
            (("name", best["name"], NAME_FLOOR), ("street", best["street"], ADDRESS_FLOOR)) if score < floor]
    said = ", ".join(weak) or f"{best['confidence']:.0f}% overall"
    return f"alike, not certain ({said}): check name and address"


def _one_report_a_day(rows: pd.DataFrame, out: pd.DataFrame) -> None:
    """A customer matched by two rows reporting on one day keeps the surer one (a person's, then a tax ID's, then
    the earlier line); the other goes to review."""
    matched = out[out["status"] == "Matched"]
    at = matched.index
    matched = matched.assign(day=rows.loc[at, "report_date"].to_numpy(), line=rows.loc[at, "line"].to_numpy(),
                             rank=matched["matched_by"].map({"confirmed": 0, "tax ID": 1}).fillna(2).to_numpy())
    matched = matched.sort_values(["rank", "line"], kind="stable")
    twice = matched.duplicated(["customer_id", "day"], keep="first")
    if twice.any():
        first = matched[~twice].set_index(["customer_id", "day"])["line"]
        later = matched[twice]
        lines = [first[(customer, day)] for customer, day in zip(later["customer_id"], later["day"])]
        out.loc[later.index, "status"] = "Review"
        out.loc[later.index, "reason"] = [f"line {line} reports on this customer for the same day" for line in lines]
