"""The demo ERP: an Epicor-shaped database filled with seeded, realistic receivables.

`ardesk demo` builds it in an SQLite file and the tests build it in SQLite, PostgreSQL and MariaDB, so every
other part of ardesk has something a collector would recognise to work on: customers with skewed sizes and
payment habits, open items in every aging bucket, credit memos and unapplied cash to match, 16 months of paid
history (sales for DSO), receipts, orders and collection notes.

`generate` is a pure function of (customers, seed, as_of): nothing is dated after as_of. Its frames are
pyarrow-backed with the exact columns of sql/demo/schema.sql: money is decimal128 (sums are exact, no
float ever reaches the database), dates are date32. `load` writes them with bound multi-row INSERTs.
"""
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyodbc
import sqlglot
from sqlglot import exp

from ardesk.erp import dialect
from ardesk.erp.connect import connect as open_connection
from ardesk.erp.connect import describe, driver_kind, parse
from ardesk.errors import ArdeskError, redact
from ardesk.settings import ErpSettings, data_dir

COMPANY = "EPIC06"
BASE_CURRENCY = "USD"
OPEN_PER_CUSTOMER = 20
"""Average open items per customer; activity is lognormal, so most accounts are small and a few are big."""
HISTORY_DAYS = 480
"""Paid invoices go back about 16 months: the Summary's twelve month-end AR snapshots and the 90 days of
sales before the oldest one."""
HISTORY_SIZE = 10.0
"""Paid invoices are this many times fewer, and larger, than the invoices they stand for: the same sales in
fewer rows, so 50,000 customers still load in a minute."""

_ROWS_PER_INSERT = 500
_PARAMS_PER_INSERT = 30_000  # stays under every driver's limit on bound parameters per statement

INV, CM, UR, DN = range(4)
_SUFFIX = ("", "CM", "UR", "DN")
_INVOICES = 0.905
"""Share of open items that are invoices (the rest credit memos, unapplied cash and debit notes)."""

_CURRENCIES = (  # code, description, share of customers, rate to USD the monthly rate walks around
    ("USD", "US Dollar", 0.85, 1.0),
    ("EUR", "Euro", 0.10, 1.08),
    ("GBP", "Pound Sterling", 0.05, 1.27),
)
_TERMS = (  # code (Epicor keeps four characters), description, pay days, discount %, discount days, share
    ("N30", "Net 30", 30, 0, 0, 0.48),
    ("N45", "Net 45", 45, 0, 0, 0.12),
    ("N60", "Net 60", 60, 0, 0, 0.10),
    ("N15", "Net 15", 15, 0, 0, 0.05),
    ("N90", "Net 90", 90, 0, 0, 0.03),
    ("2N30", "2% 10 Net 30", 30, 2, 10, 0.13),
    ("1N30", "1% 10 Net 30", 30, 1, 10, 0.04),
    ("DUE", "Due on receipt", 0, 0, 0, 0.05),
)
_TERRITORIES = ("EAST", "WEST", "CENTRAL", "SOUTH", "EMEA")
_US_TERRITORY_SHARE = (0.32, 0.24, 0.26, 0.18)
_REPS = (  # code, name, territory
    ("JWALSH", "James Walsh", "EAST"), ("LCHEN", "Linda Chen", "EAST"), ("RPATEL", "Raj Patel", "EAST"),
    ("AMORENO", "Ana Moreno", "WEST"), ("BKIM", "Brian Kim", "WEST"), ("KOKAFOR", "Kemi Okafor", "WEST"),
    ("DMILLER", "Dave Miller", "CENTRAL"), ("SJOHNSON", "Sarah Johnson", "CENTRAL"),
    ("TGARCIA", "Teresa Garcia", "SOUTH"), ("MBROOKS", "Marcus Brooks", "SOUTH"),
    ("HSCHMIDT", "Hanna Schmidt", "EMEA"), ("OBENNETT", "Oliver Bennett", "EMEA"),
)
_COLLECTORS = (  # id, name, the territories of their portfolio (the last one keeps the key accounts)
    ("DKOWALSKI", "Dana Kowalski", ("EAST",)),
    ("MREYES", "Miguel Reyes", ("WEST",)),
    ("PNAIR", "Priya Nair", ("CENTRAL", "SOUTH")),
    ("SFOURNIER", "Sophie Fournier", ("EMEA",)),
    ("TBRADLEY", "Tom Bradley", ()),
)
_KEY_ACCOUNTS = 0.03
"""Share of customers, the most active, that the key-account collector keeps wherever they are."""
_GROUPS = ("DIST", "OEM", "RETL", "SERV", "GOVT")
_HABITS = (  # payment habit: share of customers, typical days late, chance of being on credit hold
    (0.35, 5, 0.01),
    (0.30, 20, 0.03),
    (0.22, 50, 0.10),
    (0.13, 150, 0.35),
)

# Customer names and addresses. US customers mix surnames, places and trades; EUR and GBP customers get
# European names (accents, apostrophes and all). A few fixed customers have names that look like formulas.
_SURNAMES = (
    "Anderson", "Baker", "Callahan", "Delgado", "Eastman", "Fischer", "Garrison", "Hartley", "Ingram",
    "Jensen", "Kowalski", "Lindqvist", "Marsh", "Novak", "O'Brien", "O'Connell", "D'Angelo", "Pemberton",
    "Quinn", "Ramírez", "Sato", "Thornton", "Underwood", "Vance", "Whitfield", "Yamamoto", "Zimmerman",
    "Brennan", "Castillo", "Donnelly", "Ellison", "Fairbanks", "Gallagher", "Holloway", "Iverson", "Keller",
    "Lachance", "McAllister", "Nakamura", "Okafor", "Prescott", "Rutherford", "Sinclair", "Townsend",
    "Voss", "Walsh", "Hughes", "Morrison", "Patel", "Nguyen", "Kaur", "Schäfer", "Peña", "Dubois",
)
_PLACES = (
    "Great Lakes", "Blue Ridge", "Pacific", "Summit", "Riverside", "Lakeshore", "Cascade", "Prairie",
    "Northstar", "Harbor", "Bayside", "Red River", "Granite", "Ironwood", "Cedar Hill", "Silverline",
    "Keystone", "Tri-County", "Midwest", "Gulf Coast", "Mountain View", "Heartland", "Evergreen",
    "Frontier", "Coastal", "Canyon", "Metro", "Liberty", "Pioneer", "Atlas", "Sterling", "Apex",
)
_TRADES = (
    "Industrial Supply", "Fabrication", "Machine Works", "Plastics", "Packaging", "Electric",
    "Hydraulics", "Tool & Die", "Logistics", "Foods", "Distribution", "Controls", "Components", "Steel",
    "Fasteners", "Precision", "Automation", "Building Supply", "Mechanical", "Welding", "Coatings",
    "Medical Devices", "Instruments", "Paper Products", "Printing", "Marine", "Aerospace", "Farm Equipment",
    "Chemical", "Lumber", "Textiles", "Pumps & Valves", "HVAC Services", "Signs & Graphics", "Office Products",
)
_US_SUFFIXES = (", Inc.", " LLC", " Co.", " Corp.", " Corporation", " Ltd.", " Group", " Company", "",
                " Holdings")
_EU_SURNAMES = (
    "Müller", "Schröder", "Weiß", "Lefèvre", "García", "Núñez", "Rossi", "Bianchi", "Jørgensen", "Nowak",
    "Wiśniewski", "Lindström", "Östberg", "Janssen", "Van der Berg", "Fernández", "Łukasiewicz", "Šimek",
    "Černý", "Kovač", "Moreau", "Dell'Acqua", "D'Amico", "L'Hermitte", "Brandão", "Håkansson", "Ødegaard",
)
_EU_TRADES = (
    "Maschinenbau", "Logistik", "Industrie", "Technik", "Métallurgie", "Emballages", "Componenti",
    "Impianti", "Transportes", "Kunststoffe", "Automação", "Elektro", "Hydraulique", "Verpakkingen",
    "Precisión", "Stahlbau", "Meccanica", "Systèmes",
)
_EU_SUFFIXES = ("GmbH", "AG", "S.A.", "SARL", "S.r.l.", "S.p.A.", "B.V.", "N.V.", "S.L.", "Sp. z o.o.",
                "GmbH & Co. KG", "Oy", "A/S")
_UK_SURNAMES = ("Ashworth", "Blackwood", "Cartwright", "Fairweather", "Hargreaves", "Pennington",
                "Rowntree", "Stanhope", "Whitworth", "Ainsworth", "McKenzie", "O'Neill", "Llewellyn")
_UK_PLACES = ("Thames Valley", "Pennine", "Cotswold", "Humber", "Mersey", "Severn", "Solent", "Clyde",
              "Tyneside", "Chiltern", "Wessex", "Anglia")
_UK_SUFFIXES = ("Ltd", "Limited", "PLC", "LLP", "& Co Ltd")
_FORMULA_LIKE = {  # CustNum -> a name a spreadsheet would take for a formula
    4: "=Equal Exchange Trading Co.",
    27: "-40 Below Cold Storage LLC",
    64: "+Plus Staffing Solutions",
    131: "@Home Furnishings Inc.",
}
_CITIES = {  # territory -> (city, state, first three digits of the ZIP code)
    "EAST": (("New York", "NY", "100"), ("Boston", "MA", "021"), ("Philadelphia", "PA", "191"),
             ("Hartford", "CT", "061"), ("Newark", "NJ", "071"), ("Pittsburgh", "PA", "152"),
             ("Baltimore", "MD", "212"), ("Albany", "NY", "122"), ("Providence", "RI", "029")),
    "WEST": (("Seattle", "WA", "981"), ("Portland", "OR", "972"), ("San Jose", "CA", "951"),
             ("Sacramento", "CA", "958"), ("Denver", "CO", "802"), ("Salt Lake City", "UT", "841"),
             ("Phoenix", "AZ", "850"), ("Boise", "ID", "837"), ("Los Angeles", "CA", "900")),
    "CENTRAL": (("Chicago", "IL", "606"), ("Milwaukee", "WI", "532"), ("Minneapolis", "MN", "554"),
                ("Detroit", "MI", "482"), ("Columbus", "OH", "432"), ("Indianapolis", "IN", "462"),
                ("St. Louis", "MO", "631"), ("Omaha", "NE", "681"), ("Grand Rapids", "MI", "495")),
    "SOUTH": (("Atlanta", "GA", "303"), ("Charlotte", "NC", "282"), ("Nashville", "TN", "372"),
              ("Dallas", "TX", "752"), ("Houston", "TX", "770"), ("Tampa", "FL", "336"),
              ("Birmingham", "AL", "352"), ("New Orleans", "LA", "701"), ("Richmond", "VA", "232")),
}
_EU_CITIES = (  # city, postal code, country, international dialling code
    ("München", "80331", "Germany", "49"), ("Köln", "50667", "Germany", "49"),
    ("Düsseldorf", "40213", "Germany", "49"), ("Lyon", "69002", "France", "33"), ("Paris", "75008", "France", "33"),
    ("Milano", "20121", "Italy", "39"), ("Torino", "10121", "Italy", "39"), ("Madrid", "28001", "Spain", "34"),
    ("Barcelona", "08001", "Spain", "34"), ("Rotterdam", "3011", "Netherlands", "31"),
    ("Antwerpen", "2000", "Belgium", "32"), ("Wien", "1010", "Austria", "43"), ("Dublin", "D02", "Ireland", "353"),
    ("Helsinki", "00100", "Finland", "358"), ("Lisboa", "1100-148", "Portugal", "351"),
)
_UK_CITIES = (("Manchester", "M1"), ("Birmingham", "B2"), ("Leeds", "LS1"), ("Sheffield", "S1"), ("Bristol", "BS1"),
              ("Glasgow", "G1"), ("Edinburgh", "EH1"), ("Cardiff", "CF10"), ("Nottingham", "NG1"),
              ("Leicester", "LE1"))
_STREETS = ("Main", "Industrial", "Commerce", "Oak", "Maple", "Lake", "Park", "Mill", "Railroad", "Center",
            "Airport", "Enterprise", "Harbor", "Elm", "Washington", "Canal", "Ridge", "Market")
_STREET_TYPES = ("St", "Ave", "Blvd", "Rd", "Dr", "Pkwy", "Way", "Ct")
_EU_STREETS = ("Industriestraße", "Rue de la Gare", "Via Roma", "Calle Mayor", "Havenweg", "Hauptstraße",
               "Avenue Jean Jaurès", "Via dell'Industria", "Gewerbepark", "Rua Augusta")
_AP_MAILBOXES = ("ap", "accounts.payable", "payables", "invoices", "finance", "ap.team")
_CONTACTS = ("Maria", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Susan", "James",
             "Karen", "Carlos", "Aisha", "Tom", "Rachel", "Greg", "Yvonne", "Luis", "Megan", "Ahmed")


# ---------------------------------------------------------------- the schema


def _schema_text() -> str:
    return resources.files("ardesk.sql").joinpath("demo", "schema.sql").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def schema() -> dict[str, tuple[str, ...]]:
    """Canonical table name -> its columns, in the order schema.sql creates them."""
    tables = {}
    for tree in sqlglot.parse(_schema_text(), read=dialect.CANONICAL):
        if isinstance(tree, exp.Create) and tree.kind == "TABLE":
            table = tree.find(exp.Table)
            tables[f"{table.db}.{table.name}"] = tuple(
                column.name for column in tree.this.expressions if isinstance(column, exp.ColumnDef))
    return tables


# ---------------------------------------------------------------- generation
# Dates are whole days since 1970-01-01 (int64) until a frame is built: day arithmetic stays exact and
# pandas never turns them into seconds. _NO_DATE is the int64 that numpy reads as NaT.

_NO_DATE = np.iinfo(np.int64).min
_EPOCH = dt.date(1970, 1, 1).toordinal()


def _dates(days) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]")


def _pick(rng: np.random.Generator, options, n: int) -> np.ndarray:
    """n random picks from a sequence, as an object array."""
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), n)]


def generate(customers: int = 1500, seed: int = 7, as_of: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """Every demo table as a frame; the same (customers, seed, as_of) gives identical frames (as_of: today)."""
    if int(customers) < 1:
        raise ArdeskError(f"The demo ERP needs at least one customer, not {customers}: pass --customers 1 or more.")
    if int(seed) < 0:
        raise ArdeskError(f"The demo seed {seed} is negative: pass --seed 0 or more.")
    today = (as_of or dt.date.today()).toordinal() - _EPOCH
    rng = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(7)]
    cust = _customers(int(customers), rng[0])
    docs = _documents(cust, today, rng[1])
    rates = _exchange_rates(np.min(docs["date"].to_numpy(), initial=today - 365), today, rng[2])
    _price(docs, cust, rates)
    receipts = _receipts(docs, cust, today, rng[3])
    orders, po = _orders(docs, cust, rates, today, rng[4])
    calls = _calls(docs, po, cust, today, rng[5])
    credit = _credit(cust, docs, today, rng[6])
    return {
        "Erp.Currency": _frame("Erp.Currency", {
            "CurrencyCode": [c[0] for c in _CURRENCIES], "CurrDesc": [c[1] for c in _CURRENCIES],
            "BaseCurr": [c[0] == BASE_CURRENCY for c in _CURRENCIES]}),
        "Erp.CurrExRate": _frame("Erp.CurrExRate", rates),
        "Erp.Terms": _frame("Erp.Terms", _terms()),
        "Erp.TermsSched": _frame("Erp.TermsSched", _terms()),
        "Erp.SalesRep": _frame("Erp.SalesRep", {
            "SalesRepCode": [r[0] for r in _REPS], "Name": [r[1] for r in _REPS],
            "EMailAddress": [r[1].lower().replace(" ", ".") + "@epic06.example.com" for r in _REPS]}),
        "Erp.Customer": _frame("Erp.Customer", {**cust, **credit}),
        "Erp.InvcHead": _invoices(docs, po, cust),
        "Erp.CashHead": _frame("Erp.CashHead", receipts),
        "Erp.OrderHed": _frame("Erp.OrderHed", orders),
        "Erp.CRMCall": _frame("Erp.CRMCall", calls),
        "ardesk.ardesk_collector": _frame("ardesk.ardesk_collector", cust),
        "ardesk.ardesk_note": _empty("ardesk.ardesk_note"),  # no note of the demo was pushed by ardesk
        "ardesk.ardesk_application": _empty("ardesk.ardesk_application"),  # nothing applied yet
    }


def _customers(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per customer: the Customer columns plus the habits its documents are drawn from."""
    currency = rng.choice(len(_CURRENCIES), n, p=[c[2] for c in _CURRENCIES])
    territory = np.where(currency == 0, rng.choice(4, n, p=_US_TERRITORY_SHARE), 4)
    rep = np.empty(n, dtype=object)
    for t, name in enumerate(_TERRITORIES):
        here = territory == t
        rep[here] = _pick(rng, [r[0] for r in _REPS if r[2] == name], int(here.sum()))
    terms = rng.choice(len(_TERMS), n, p=[t[5] for t in _TERMS])
    habit = rng.choice(len(_HABITS), n, p=[h[0] for h in _HABITS])
    sigma = 1.2
    activity = rng.lognormal(np.log(OPEN_PER_CUSTOMER) - sigma**2 / 2, sigma, n)
    cadence = rng.choice([7, 14, 30], n, p=[0.4, 0.35, 0.25])  # the customer's check run, in days
    key = activity >= np.quantile(activity, 1 - _KEY_ACCOUNTS)
    portfolio = {t: i for i, c in enumerate(_COLLECTORS) for t in c[2]}
    collector = np.where(key, len(_COLLECTORS) - 1, [portfolio[_TERRITORIES[t]] for t in territory])
    cust = pd.DataFrame({
        "CustNum": np.arange(1, n + 1),
        "CustID": [f"C{num:06d}" for num in range(1, n + 1)],
        "TermsCode": np.array([t[0] for t in _TERMS], dtype=object)[terms],
        "SalesRepCode": rep,
        "TerritoryID": np.array(_TERRITORIES, dtype=object)[territory],
        "GroupCode": _pick(rng, _GROUPS, n),
        "CurrencyCode": np.array([c[0] for c in _CURRENCIES], dtype=object)[currency],
        "CollectorID": np.array([c[0] for c in _COLLECTORS], dtype=object)[collector],
        "CollectorName": np.array([c[1] for c in _COLLECTORS], dtype=object)[collector],
        "currency": currency,
        "pay_days": np.array([t[2] for t in _TERMS])[terms],
        "habit": habit,
        "lateness": np.array([h[1] for h in _HABITS])[habit] * rng.lognormal(0, 0.3, n),
        "activity": activity,
        "invoice_size": rng.lognormal(np.log(1_800_00), 0.8, n),  # cents, document currency
        "cadence": cadence,
        "run_offset": rng.integers(0, cadence),
        **_name_and_address(currency, territory, rng),
    })
    return cust


def _name_and_address(currency: np.ndarray, territory: np.ndarray, rng: np.random.Generator) -> dict:
    """Company name, e-mail, street address and phone, in the style of the customer's country."""
    n = len(currency)
    pattern = rng.integers(0, 5, n)
    sur, sur2, place = _pick(rng, _SURNAMES, n), _pick(rng, _SURNAMES, n), _pick(rng, _PLACES, n)
    trade, us_suffix = _pick(rng, _TRADES, n), _pick(rng, _US_SUFFIXES, n)
    eu_sur, eu_sur2 = _pick(rng, _EU_SURNAMES, n), _pick(rng, _EU_SURNAMES, n)
    eu_trade, eu_suffix = _pick(rng, _EU_TRADES, n), _pick(rng, _EU_SUFFIXES, n)
    uk_sur, uk_place, uk_suffix = _pick(rng, _UK_SURNAMES, n), _pick(rng, _UK_PLACES, n), _pick(rng, _UK_SUFFIXES, n)
    city_pick, number, phone = rng.integers(0, 1000, n), rng.integers(10, 9900, n), rng.integers(0, 100, n)
    street, street_type, eu_street = _pick(rng, _STREETS, n), _pick(rng, _STREET_TYPES, n), _pick(rng, _EU_STREETS, n)
    mailbox, no_email = _pick(rng, _AP_MAILBOXES, n), rng.random(n) < 0.04
    names, rows = [], []
    for i, (money, region) in enumerate(zip(currency.tolist(), territory.tolist())):
        if _CURRENCIES[money][0] == "EUR":
            name = (f"{eu_sur[i]} & {eu_sur2[i]} {eu_suffix[i]}" if pattern[i] == 0
                    else f"{eu_sur[i]} {eu_trade[i]} {eu_suffix[i]}")
            city, postcode, country, dial = _EU_CITIES[city_pick[i] % len(_EU_CITIES)]
            row = (f"{eu_street[i]} {number[i] % 200 + 1}", city, "", postcode, country,
                   f"+{dial} {number[i]:04d} 5550{phone[i]:02d}")
        elif _CURRENCIES[money][0] == "GBP":
            name = f"{uk_sur[i] if pattern[i] % 2 else uk_place[i]} {trade[i]} {uk_suffix[i]}"
            city, district = _UK_CITIES[city_pick[i] % len(_UK_CITIES)]
            row = (f"{number[i] % 300 + 1} {street[i]} Road", city, "", f"{district} {number[i] % 9 + 1}AB",
                   "United Kingdom", f"+44 161 496 0{phone[i]:03d}")
        else:
            name = (f"{sur[i]} {trade[i]}{us_suffix[i]}", f"{place[i]} {trade[i]}{us_suffix[i]}",
                    f"{sur[i]} & {sur2[i]}{us_suffix[i]}", f"{place[i]} {sur[i]} {trade[i]}",
                    f"{sur[i]} & Sons{us_suffix[i]}")[pattern[i]]
            cities = _CITIES[_TERRITORIES[region]]
            city, state, zip_prefix = cities[city_pick[i] % len(cities)]
            row = (f"{number[i]} {street[i]} {street_type[i]}", city, state, f"{zip_prefix}{number[i] % 100:02d}",
                   "USA", f"({number[i] % 800 + 200}) 555-01{phone[i]:02d}")
        names.append(_FORMULA_LIKE.get(i + 1, name)[:50].rstrip())
        rows.append(row)
    columns = dict(zip(("Address1", "City", "State", "Zip", "Country", "PhoneNum"), zip(*rows)))
    twin = pd.Series(names).duplicated().to_numpy()  # two companies of one name are told apart by city
    names = [f"{nm} - {city}"[:50] if double else nm for nm, city, double in zip(names, columns["City"], twin)]
    emails = ["" if none else f"{box}@{_slug(nm)}.example.com" for nm, box, none in zip(names, mailbox, no_email)]
    return {"Name": names, "EMailAddress": emails, **columns}


_NOT_ALNUM = re.compile("[^a-z0-9]")
_UNDECOMPOSED = str.maketrans({"ß": "ss", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae"})


def _slug(name: str) -> str:
    """'Müller & Weiß GmbH' -> 'mullerweissgmbh': an e-mail domain from a company name."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED)).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", name.lower())[:24] or "customer"


def _documents(cust: pd.DataFrame, today: int, rng: np.random.Generator) -> pd.DataFrame:
    """Open items, then the paid history, each by customer; amounts in document-currency cents.
    ref_num and ref2_num hold the invoice numbers a document refers to (0 for none)."""
    docs = pd.concat([_open_items(cust, today, rng), _paid_invoices(cust, today, rng)], ignore_index=True)
    _reference(docs, today, rng)
    number = _numbers_by_date(docs["date"].to_numpy(), 10_001, rng)
    docs["InvoiceNum"] = number
    for ref in ("ref", "ref2"):
        docs[f"{ref}_num"] = np.where(docs[ref] >= 0, number[docs[ref]], 0)
    return docs


def _numbers_by_date(day: np.ndarray, first: int, rng: np.random.Generator) -> np.ndarray:
    """Document numbers from `first` that rise with the date, as an ERP hands them out (ties at random)."""
    shuffle = rng.permutation(len(day))
    since = (day[shuffle] - np.min(day, initial=0)).astype(np.uint16)  # a radix sort: days span < 179 years
    number = np.empty(len(day), dtype=np.int64)
    number[shuffle[np.argsort(since, kind="stable")]] = first + np.arange(len(day))
    return number


def _open_items(cust: pd.DataFrame, today: int, rng: np.random.Generator) -> pd.DataFrame:
    """What is open today. An invoice's age is uniform over the time its customer takes to pay it (terms
    plus that customer's lateness): what a steady stream of invoices leaves open on any given day."""
    c = np.repeat(np.arange(len(cust)), rng.poisson(cust["activity"]))
    n = len(c)
    kind = rng.choice(4, n, p=[_INVOICES, 0.05, 0.03, 0.015])
    pay = cust["pay_days"].to_numpy()[c]
    late = rng.gamma(1.5, cust["lateness"].to_numpy()[c] / 1.5)
    age = np.floor(rng.random(n) * (pay + late)).astype(np.int64)
    stuck = (kind == INV) & (rng.random(n) < 0.07)  # held up by a dispute or a lost invoice
    age[stuck] += rng.integers(30, 300, int(stuck.sum()))
    forgotten = (kind == INV) & (rng.random(n) < 0.004)  # disputed long ago and never cleared
    age[forgotten] += rng.integers(365, 900, int(forgotten.sum()))
    credit = (kind == CM) | (kind == UR)
    age[credit] = np.minimum(rng.exponential(60, int(credit.sum())), 700).astype(np.int64)
    posted = np.ones(n, dtype=bool)
    invoices = np.flatnonzero(kind == INV)
    unposted = rng.choice(invoices, min(len(invoices), max(3, n // 2000)), replace=False)
    posted[unposted] = False  # entered this week and not yet posted: not on the ledger
    age[unposted] = rng.integers(0, 4, len(unposted))
    amount = _invoice_amounts(cust, c, rng)
    amount[kind == DN] = rng.integers(25_00, 400_00, int((kind == DN).sum()))
    balance = amount.copy()
    partial = (kind == INV) & posted & (rng.random(n) < 0.07)
    short_paid = partial & (rng.random(n) < 0.4)  # a deduction: a small balance left behind
    balance[partial] = np.round(amount[partial] * rng.uniform(0.2, 0.8, int(partial.sum())))
    balance[short_paid] = np.minimum(amount[short_paid], rng.integers(5_00, 250_00, int(short_paid.sum())))
    date = today - age
    return pd.DataFrame({
        "c": c, "kind": kind, "date": date, "due": np.where(credit, date, date + pay),
        "doc_amt": amount, "doc_bal": balance, "open": True, "posted": posted, "closed": _NO_DATE,
        "shipped": (kind == INV) & (rng.random(n) < 0.85),
    })


def _paid_invoices(cust: pd.DataFrame, today: int, rng: np.random.Generator) -> pd.DataFrame:
    """Invoices of the last HISTORY_DAYS that were paid by today, on the customer's check-run days.

    A customer's open invoices are those of its last pay_days + lateness days, so that is its pace of
    invoicing; the history keeps the pace all the way back, so monthly sales run level up to today (the
    invoices not yet paid drop out here: the open items stand for them)."""
    per_day = cust["activity"].to_numpy() * _INVOICES / (cust["pay_days"] + cust["lateness"]).to_numpy()
    c = np.repeat(np.arange(len(cust)), rng.poisson(per_day * HISTORY_DAYS / HISTORY_SIZE))
    date = today - rng.integers(0, HISTORY_DAYS, len(c))
    pay = cust["pay_days"].to_numpy()[c]
    late = rng.gamma(1.5, cust["lateness"].to_numpy()[c] / 1.5).astype(np.int64)
    cadence, offset = cust["cadence"].to_numpy()[c], cust["run_offset"].to_numpy()[c]
    due_paid = date + pay + late
    closed = due_paid + (offset - due_paid) % cadence  # the first check-run day on or after it
    keep = closed <= today
    c, date, closed, pay = c[keep], date[keep], closed[keep], pay[keep]
    return pd.DataFrame({
        "c": c, "kind": INV, "date": date, "due": date + pay, "doc_amt": _invoice_amounts(cust, c, rng, HISTORY_SIZE),
        "doc_bal": 0, "open": False, "posted": True, "closed": closed, "shipped": rng.random(len(c)) < 0.85,
    })


def _invoice_amounts(cust: pd.DataFrame, c: np.ndarray, rng: np.random.Generator, size: float = 1.0) -> np.ndarray:
    """Invoice amounts in cents around `size` times each customer's typical one, never under 25.00."""
    cents = size * cust["invoice_size"].to_numpy()[c] * rng.lognormal(0, 0.7, len(c))
    return np.maximum(np.round(cents), 25_00).astype(np.int64)


def _same_customer(c: np.ndarray, pool: np.ndarray, pool_c: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each customer in c a random row of pool (rows sorted by their customers pool_c); -1 when none."""
    lo, hi = np.searchsorted(pool_c, c, "left"), np.searchsorted(pool_c, c, "right")
    pick = lo + (rng.random(len(c)) * (hi - lo)).astype(np.int64)
    return np.where(hi > lo, pool[np.minimum(pick, len(pool) - 1)], -1) if len(pool) else np.full(len(c), -1)


def _reference(docs: pd.DataFrame, today: int, rng: np.random.Generator) -> None:
    """Tie credits, unapplied cash and debit notes to the invoices they concern, and size and date them after those.

    A credit memo credits an open (60%) or a paid (25%) invoice of its customer, in full or in part.
    Unapplied cash is often exactly one open invoice's balance, or two: the customer paid them and nobody
    applied the cash; the rest is a round sum on account. A debit note rebills against an open invoice.
    """
    c, kind = docs["c"].to_numpy(), docs["kind"].to_numpy()
    amount, balance = docs["doc_amt"].to_numpy().copy(), docs["doc_bal"].to_numpy().copy()
    open_inv = np.flatnonzero((kind == INV) & docs["open"].to_numpy() & docs["posted"].to_numpy())
    paid = np.flatnonzero(~docs["open"].to_numpy())  # both come out sorted by customer
    ref, ref2 = np.full(len(docs), -1), np.full(len(docs), -1)

    cm = np.flatnonzero(kind == CM)
    roll = rng.random(len(cm))
    ref[cm] = np.where(roll < 0.60, _same_customer(c[cm], open_inv, c[open_inv], rng),
                       np.where(roll < 0.85, _same_customer(c[cm], paid, c[paid], rng), -1))
    share = np.where(rng.random(len(cm)) < 0.4, 1.0, rng.uniform(0.05, 0.3, len(cm)))
    credited = np.where(ref[cm] >= 0, amount[np.maximum(ref[cm], 0)] * share, amount[cm] * 0.3)
    amount[cm] = -np.maximum(np.round(credited), 10_00).astype(np.int64)
    partly_used = rng.random(len(cm)) < 0.2
    balance[cm] = np.where(partly_used, np.round(amount[cm] * rng.uniform(0.2, 0.9, len(cm))), amount[cm])

    ur = np.flatnonzero(kind == UR)
    roll = rng.random(len(ur))
    ref[ur] = np.where(roll < 0.6, _same_customer(c[ur], open_inv, c[open_inv], rng), -1)
    second = np.where(roll < 0.2, _same_customer(c[ur], open_inv, c[open_inv], rng), -1)
    ref2[ur] = np.where(second == ref[ur], -1, second)
    on_account = np.round(amount[ur] / 50_00) * 50_00 + 50_00
    cash = np.where(ref[ur] >= 0, balance[np.maximum(ref[ur], 0)], on_account)
    cash = cash + np.where(ref2[ur] >= 0, balance[np.maximum(ref2[ur], 0)], 0)
    amount[ur] = balance[ur] = -cash.astype(np.int64)

    dn = np.flatnonzero(kind == DN)
    ref[dn] = np.where(rng.random(len(dn)) < 0.7, _same_customer(c[dn], open_inv, c[open_inv], rng), -1)
    docs["doc_amt"], docs["doc_bal"], docs["ref"], docs["ref2"] = amount, balance, ref, ref2

    date, due = docs["date"].to_numpy(), docs["due"].to_numpy()
    latest = np.maximum(*(np.where(r >= 0, date[np.maximum(r, 0)], _NO_DATE) for r in (ref, ref2)))
    after = np.where(ref >= 0, np.minimum(np.maximum(date, latest + rng.integers(0, 15, len(docs))), today), date)
    docs["date"], docs["due"] = after, due + (after - date)


def _exchange_rates(first: int, today: int, rng: np.random.Generator) -> dict:
    """Monthly EUR and GBP rates to USD (a random walk of about 1.5% a month) from the oldest document on."""
    months = np.arange(_dates(first).astype("datetime64[M]"), _dates(today).astype("datetime64[M]") + 1)
    foreign = [c for c in _CURRENCIES if c[0] != BASE_CURRENCY]
    walk = np.exp(np.cumsum(rng.normal(0, 0.015, (len(foreign), len(months))), axis=1))
    micro = np.round(np.array([c[3] for c in foreign])[:, None] * walk * 1e6).astype(np.int64)
    return {
        "SourceCurrCode": np.repeat([c[0] for c in foreign], len(months)),
        "TargetCurrCode": BASE_CURRENCY,
        "EffectiveDate": np.tile(months.astype("datetime64[D]"), len(foreign)),
        "CurrentRate": _decimal(micro.ravel(), 6),
        "micro": np.vstack([np.full(len(months), 1_000_000), micro]),  # [currency, month], base currency first
        "first_month": months[0],
    }


def _rate_on(rates: dict, currency: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The rate in force on each day, in millionths of a dollar per unit (1,000,000 for dollars)."""
    month = (_dates(day).astype("datetime64[M]") - rates["first_month"]).astype(np.int64)
    return rates["micro"][currency, month]


def _to_base(doc_cents: np.ndarray, rate_micro: np.ndarray) -> np.ndarray:
    """round(amount * rate) to the cent, half away from zero, in exact integer arithmetic."""
    doc_cents = np.asarray(doc_cents, dtype=np.int64)
    return np.sign(doc_cents) * ((np.abs(doc_cents) * rate_micro + 500_000) // 1_000_000)


def _price(docs: pd.DataFrame, cust: pd.DataFrame, rates: dict) -> None:
    """Each document's exchange rate (that of its date) and its amount and balance in the base currency."""
    docs["rate"] = _rate_on(rates, cust["currency"].to_numpy()[docs["c"]], docs["date"].to_numpy())
    docs["base_amt"] = _to_base(docs["doc_amt"].to_numpy(), docs["rate"].to_numpy())
    docs["base_bal"] = _to_base(docs["doc_bal"].to_numpy(), docs["rate"].to_numpy())


def _receipts(docs: pd.DataFrame, cust: pd.DataFrame, today: int, rng: np.random.Generator) -> dict:
    """CashHead: a receipt per customer and day that paid invoices (in full or in part), and one per
    unapplied-cash document, which it names in CreditMemoNum."""
    kind, is_open = docs["kind"].to_numpy(), docs["open"].to_numpy()
    paid = ~is_open
    partial = is_open & (kind == INV) & (docs["doc_bal"] != docs["doc_amt"]).to_numpy()
    partial_date = docs["date"].to_numpy()[partial]
    partial_paid = partial_date + (rng.random(len(partial_date)) * (today - partial_date)).astype(np.int64)
    applied = pd.DataFrame({
        "c": np.concatenate([docs["c"].to_numpy()[paid], docs["c"].to_numpy()[partial]]),
        "day": np.concatenate([docs["closed"].to_numpy()[paid], partial_paid]),
        "amount": np.concatenate([docs["base_amt"].to_numpy()[paid],
                                  (docs["base_amt"] - docs["base_bal"]).to_numpy()[partial]]),
    }).groupby(["c", "day"], as_index=False)["amount"].sum()
    ur = docs[kind == UR]  # a few percent of the rows
    none = np.zeros(len(applied), dtype=np.int64)
    head = pd.DataFrame({
        "c": np.concatenate([applied["c"], ur["c"]]),
        "day": np.concatenate([applied["day"], ur["date"]]),
        "applied": np.concatenate([applied["amount"], np.zeros(len(ur), dtype=np.int64)]),
        "unapplied": np.concatenate([none, -ur["base_bal"].to_numpy()]),
        "memo": np.concatenate([none, ur["InvoiceNum"]]),
        "hint": np.concatenate([none, ur["ref_num"]]),
        "hint2": np.concatenate([none, ur["ref2_num"]]),
    })
    head = head.iloc[np.lexsort((head["c"], head["day"]))].reset_index(drop=True)
    year, month, day = _ymd(head["day"])
    return {
        "GroupID": _concat("CR", _digits((year % 100) * 10_000 + month * 100 + day, 6)),  # a day's receipts
        "HeadNum": np.arange(1, len(head) + 1),
        "Posted": True,
        "TranType": "PayInv",
        "CheckRef": _check_refs(head, cust["currency"].to_numpy()[head["c"]] == 0, rng),
        "CustNum": cust["CustNum"].to_numpy()[head["c"]],
        "TranDate": _dates(head["day"]),
        "CurrencyCode": _lookup(cust["CurrencyCode"], head["c"]),
        "TranAmt": _decimal(head["applied"] + head["unapplied"], 2),
        "AppliedAmt": _decimal(head["applied"], 2),
        "UnAppliedAmt": _decimal(head["unapplied"], 2),
        "CreditMemoNum": head["memo"],
        "ReverseRef": 0,
    }


def _check_refs(head: pd.DataFrame, domestic: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Check numbers, ACH and wire references; unapplied cash often carries the remittance text instead."""
    n = len(head)
    number = rng.integers(1000, 999_999, n)
    method = np.where(domestic, rng.choice(3, n, p=[0.6, 0.32, 0.08]), 2)
    hint, hint2 = head["hint"].to_numpy(), head["hint2"].to_numpy()
    remit = (hint > 0) & (rng.random(n) < 0.6)
    style = np.where(remit, np.where(hint2 > 0, 5, 3 + number % 2), method)
    check = _digits(number, 6)
    return pc.choose(pa.array(style, pa.int8()),
                     check,
                     _concat("ACH ", check),
                     _concat("WIRE FT", _digits(number, 8)),
                     _concat("INV ", _text(hint)),
                     _concat("INV#", _text(hint)),
                     _concat("PMT INV ", _text(hint), " ", _text(hint2)))


def _po_numbers(cust: pd.DataFrame, c: np.ndarray, rng: np.random.Generator) -> pa.Array:
    """Purchase-order numbers in the customer's own style (each keeps one; some never send a PO)."""
    number = rng.integers(10_000, 99_999_999, len(c))
    style = cust["CustNum"].to_numpy()[c] * 7919 % 10 // 2
    return pc.choose(pa.array(style, pa.int8()),
                     _concat("PO-", _text(number % 1_000_000)),
                     _concat("45", _digits(number, 8)),
                     _text(number % 100_000),
                     _concat("BLANKET-", _text(number % 100)),
                     pa.array(np.full(len(c), ""), pa.string()))


def _orders(docs: pd.DataFrame, cust: pd.DataFrame, rates: dict, today: int,
            rng: np.random.Generator) -> tuple[dict, pa.Array]:
    """OrderHed, and the PO number of every document.

    Shipment invoices are releases of orders: a customer's consecutive shipments, two or three to an order,
    share its number and PO. Miscellaneous invoices carry a PO of their own, credits none. Open orders,
    not shipped yet, come on top for about 30% of customers: they count towards credit exposure.
    """
    c_doc, date_doc = docs["c"].to_numpy(), docs["date"].to_numpy()
    is_shipped = docs["shipped"].to_numpy()
    shipped = np.flatnonzero(is_shipped)
    by_customer = c_doc[shipped] * 65_536 + (date_doc[shipped] - np.min(date_doc, initial=0))
    release = shipped[np.argsort(by_customer, kind="stable")]
    first = np.ones(len(release), dtype=bool)  # a new order: another customer, a month's gap, or by chance
    first[1:] = ((c_doc[release][1:] != c_doc[release][:-1]) | (np.diff(date_doc[release]) > 30)
                 | (rng.random(len(release) - 1) < 0.4))
    starts = np.flatnonzero(first)
    with_open = np.flatnonzero(rng.random(len(cust)) < 0.3)
    c_open = np.repeat(with_open, 1 + rng.poisson(1, len(with_open)))
    open_doc = _invoice_amounts(cust, c_open, rng, 2.0)
    open_base = _to_base(open_doc, _rate_on(rates, cust["currency"].to_numpy()[c_open], np.full(len(c_open), today)))
    c = np.concatenate([c_doc[release][starts], c_open])
    day = np.concatenate([date_doc[release][starts] - rng.integers(1, 21, len(starts)),
                          today - rng.integers(0, 45, len(c_open))])
    number, po = _numbers_by_date(day, 50_001, rng), _po_numbers(cust, c, rng)
    order_of = np.full(len(docs), len(number))  # one past the last order: no order
    order_of[release] = np.cumsum(first) - 1
    docs["OrderNum"] = np.append(number, 0)[order_of]
    miscellaneous = (docs["kind"] == INV).to_numpy() & ~is_shipped
    doc_po = pc.replace_with_mask(pa.concat_arrays([po, pa.array([""])]).take(order_of), pa.array(miscellaneous),
                                  _po_numbers(cust, c_doc[miscellaneous], rng))
    shipped_base, shipped_doc = (np.add.reduceat(docs[k].to_numpy()[release], starts) for k in ("base_amt", "doc_amt"))
    return {
        "OrderNum": number,
        "CustNum": cust["CustNum"].to_numpy()[c],
        "OrderDate": _dates(day),
        "OpenOrder": np.arange(len(c)) >= len(starts),
        "CurrencyCode": _lookup(cust["CurrencyCode"], c),
        "OrderAmt": _decimal(np.concatenate([shipped_base, open_base]), 2),
        "DocOrderAmt": _decimal(np.concatenate([shipped_doc, open_doc]), 2),
        "PONum": po,
    }, doc_po


_SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£"}
_CALL_TYPES = ("CALL", "EMAIL", "PROMISE", "DISPUTE")


def _calls(docs: pd.DataFrame, po: pa.Array, cust: pd.DataFrame, today: int, rng: np.random.Generator) -> dict:
    """CRMCall: collection notes of the last 90 days, more where more is past due; some disputes."""
    due_before = docs["open"] & docs["posted"] & (docs["kind"] == INV) & (docs["due"] < today)
    past_due = np.flatnonzero(due_before.to_numpy())  # sorted by customer, as the open items are
    overdue = np.bincount(docs["c"].to_numpy()[past_due], minlength=len(cust))
    count = np.where(overdue > 0, np.minimum(1 + rng.poisson(np.sqrt(overdue)), 8), rng.random(len(cust)) < 0.1)
    c = np.repeat(np.arange(len(cust)), count)
    pick = _same_customer(c, past_due, docs["c"].to_numpy()[past_due], rng)
    kind = np.where(pick >= 0, rng.choice(4, len(c), p=[0.45, 0.33, 0.14, 0.08]), 1)
    day = today - rng.integers(0, 91, len(c))
    order = np.lexsort((c, day))
    c, pick, kind, day = c[order], pick[order], kind[order], day[order]
    contact, detail = _pick(rng, _CONTACTS, len(c)), rng.integers(0, 1000, len(c))
    row = np.maximum(pick, 0)
    invoice = np.where(pick >= 0, docs["InvoiceNum"].to_numpy()[row], 0)
    balance = docs["doc_bal"].to_numpy()[row] / 100
    due, later = _date_texts(docs["due"].to_numpy()[row]), _date_texts(day + 7 + detail % 14)
    po = po.take(row).to_pylist()
    email, symbol = cust["EMailAddress"].to_numpy()[c], np.array([_SYMBOL[k] for k in cust["CurrencyCode"]])[c]
    notes = [
        _note(kind[i], contact[i], detail[i], email[i]) if pick[i] < 0 else
        _note(kind[i], contact[i], detail[i], invoice[i], f"{symbol[i]}{balance[i]:,.2f}", due[i], later[i], po[i])
        for i in range(len(c))
    ]
    return {
        "RelatedToFile": "Customer", "Key1": _text(cust["CustNum"].to_numpy()[c]), "Key2": "", "Key3": "",
        "CallSeqNum": np.arange(1, len(c) + 1), "CallTypeCode": _lookup(_CALL_TYPES, kind),
        "CallDesc": [n[0] for n in notes], "CallText": [n[1] for n in notes],
        "CallCustNum": cust["CustNum"].to_numpy()[c], "CallInvoiceNum": invoice,
        "SalesRepCode": _lookup(cust["SalesRepCode"], c), "OrigDcdUserID": _lookup(cust["CollectorID"], c),
        "OrigDate": _dates(day),
    }


def _date_texts(days: np.ndarray) -> list[str]:
    """Days as the MM/DD/YYYY a collector types into a note."""
    year, month, day = _ymd(days)
    return _concat(_digits(month, 2), "/", _digits(day, 2), "/", _text(year)).to_pylist()


def _ymd(days) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of month of each day number."""
    date = _dates(days)
    month_start = date.astype("datetime64[M]")
    return (date.astype("datetime64[Y]").astype(np.int64) + 1970, month_start.astype(np.int64) % 12 + 1,
            (date - month_start).astype(np.int64) + 1)


def _note(kind: int, contact: str, detail: int, *about) -> tuple[str, str]:
    """Subject and text of one collection note (kind indexes _CALL_TYPES) as a collector types it; about is
    (e-mail) when no invoice is concerned, else (invoice, balance, due date, a date a week or two on, PO)."""
    if len(about) == 1:
        return "Statement sent", f"Emailed statement of account to {about[0] or 'AP (no e-mail on file)'}."
    inv, money, due, later, po = about
    if kind == 0:
        return "Past-due follow-up", (
            f"Left voicemail for {contact} in AP about invoice {inv} ({money}, due {due}).",
            f"Spoke with {contact}: invoice {inv} is approved and goes out on the next check run.",
            f"{contact} says invoice {inv} was never received; resent a copy.",
            f"Called AP about invoice {inv}, no answer. Will try again {later}.",
        )[detail % 4]
    if kind == 1:
        return "Reminder sent", (
            f"Sent reminder for invoice {inv}, {money} due {due}.",
            f"Emailed {contact} a copy of invoice {inv} with our remittance details.",
            f"Second notice for invoice {inv} ({money}); asked for a payment date.",
        )[detail % 3]
    if kind == 2:
        return "Promise to pay", f"{contact} promised payment of {money} for invoice {inv} by {later}."
    return (("Dispute - pricing", f"Customer disputes invoice {inv}: pricing does not match PO {po or 'on file'}."),
            ("Dispute - short ship", f"Dispute on invoice {inv}: {contact} reports {detail % 40 + 2} units short."),
            ("Dispute - damaged", f"Invoice {inv} disputed: goods arrived damaged, RMA requested."))[detail % 3]


def _credit(cust: pd.DataFrame, docs: pd.DataFrame, today: int, rng: np.random.Generator) -> dict:
    """Credit limit (0.8-2.5x what the customer owes; 0, unlimited, for one in ten), holds and reviews."""
    n = len(cust)
    ledger = (docs["open"] & docs["posted"]).to_numpy()
    owed = np.bincount(docs["c"].to_numpy()[ledger], weights=docs["base_bal"].to_numpy()[ledger], minlength=n)
    exposure = np.maximum(owed, cust["invoice_size"].to_numpy()) * rng.uniform(0.8, 2.5, n)
    step = np.where(exposure > 50_000_00, 5_000_00, 1_000_00)
    limit = np.where(rng.random(n) < 0.1, 0, np.ceil(exposure / step) * step).astype(np.int64)
    hold = rng.random(n) < np.array([h[2] for h in _HABITS])[cust["habit"]]
    return {
        "CreditLimit": _decimal(limit, 2),
        "CreditHold": hold,
        "CreditHoldDate": _dates(np.where(hold, today - rng.integers(1, 180, n), _NO_DATE)),
        "CreditHoldSource": np.where(hold, np.where((limit > 0) & (owed > limit), "CREDIT", "MANUAL"), ""),
        "CreditIncludeOrders": rng.random(n) < 0.7,
        "CreditReviewDate": _dates(np.where(rng.random(n) < 0.85, today - rng.integers(0, 365, n), _NO_DATE)),
    }


_REF_FORMATS = ("INV-{n:07d}", "inv {n}", "#{n}", "Inv#{n}", "{n}", "RE: INVOICE {n}", "Credit for inv. {n}")
_FREE_REFS = {CM: ("Pricing adjustment", "Volume rebate", "RMA {r}", "", "Freight allowance"),
              DN: ("NSF check fee", "Freight rebill", "", "Restocking fee")}


def _invoices(docs: pd.DataFrame, po: pa.Array, cust: pd.DataFrame) -> pd.DataFrame:
    """Erp.InvcHead; credits and debit notes quote the invoice they concern in whatever format the clerk
    typed, which is what a matcher has to read."""
    kind, c, number = docs["kind"].to_numpy(), docs["c"].to_numpy(), docs["InvoiceNum"].to_numpy()
    quoted = docs["ref_num"].to_numpy()
    referring = (kind == CM) | (kind == DN)
    refs = [_REF_FORMATS[number[i] % len(_REF_FORMATS)].format(n=quoted[i]) if quoted[i] else
            _FREE_REFS[kind[i]][number[i] % len(_FREE_REFS[kind[i]])].format(r=number[i] % 9000 + 1000)
            for i in np.flatnonzero(referring)]
    return _frame("Erp.InvcHead", {
        "InvoiceNum": number, "InvoiceSuffix": _lookup(_SUFFIX, kind), "CustNum": cust["CustNum"].to_numpy()[c],
        "InvoiceType": _lookup(("MIS", "SHP"), docs["shipped"].to_numpy().astype(np.int64)),
        "CreditMemo": (kind == CM) | (kind == UR),
        "UnappliedCash": kind == UR, "Posted": docs["posted"], "OpenInvoice": docs["open"],
        "ClosedDate": _dates(docs["closed"]), "InvoiceDate": _dates(docs["date"]), "DueDate": _dates(docs["due"]),
        "TermsCode": _lookup(cust["TermsCode"], c),
        "InvoiceAmt": _decimal(docs["base_amt"], 2), "InvoiceBal": _decimal(docs["base_bal"], 2),
        "DocInvoiceAmt": _decimal(docs["doc_amt"], 2), "DocInvoiceBal": _decimal(docs["doc_bal"], 2),
        "CurrencyCode": _lookup(cust["CurrencyCode"], c), "ExchangeRate": _decimal(docs["rate"], 6),
        "SalesRepList": _lookup(cust["SalesRepCode"], c), "OrderNum": docs["OrderNum"], "PONum": po,
        "InvoiceRef": pc.replace_with_mask(pa.repeat("", len(docs)), pa.array(referring), pa.array(refs, pa.string())),
    })


def _terms() -> dict:
    """The columns of Terms and TermsSched (one payment of 100% for every code)."""
    return {
        "TermsCode": [t[0] for t in _TERMS], "Description": [t[1] for t in _TERMS], "NumberOfPayments": 1,
        "DiscountPercent": _decimal([t[3] * 100 for t in _TERMS], 2), "DiscountDays": [t[4] for t in _TERMS],
        "PaySeq": 1, "PayDays": [t[2] for t in _TERMS], "PayPercent": _decimal([100_00] * len(_TERMS), 2),
    }


def _decimal(units, scale: int) -> pa.Array:
    """Integers counted in 10**-scale (cents for scale 2) as exact decimals.

    A decimal128 is stored as exactly that integer, 128 bits little-endian: sign-extend the int64 in place.
    """
    low = np.asarray(units, dtype=np.int64)
    words = np.empty((len(low), 2), dtype=np.int64)
    words[:, 0], words[:, 1] = low, low >> 63
    return pa.Array.from_buffers(pa.decimal128(20, scale), len(low), [None, pa.py_buffer(words)])


def _lookup(values, index) -> pa.Array:
    """values[index] as a text column: one string per distinct value, not one per row."""
    return pa.array(values, pa.string()).take(pa.array(np.asarray(index, dtype=np.int64)))


def _text(values) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def _digits(values, width: int) -> pa.Array:
    """Whole numbers as text zero-padded to `width` digits."""
    return pc.utf8_lpad(_text(values), width, "0")


def _concat(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def _column(values, rows: int) -> pa.Array:
    """A frame column: scalars repeat, numpy dates become date32 (NaT -> null), text stays text."""
    if isinstance(values, (pa.Array, pa.ChunkedArray, pd.Series)):
        return pa.array(values)
    if np.isscalar(values):
        return pa.repeat(values, rows)
    array = np.asarray(values)
    return pa.array(array, pa.string() if array.dtype.kind in "OU" else None, from_pandas=True)


def _empty(table: str) -> pd.DataFrame:
    """The table's frame without rows: one of ardesk's own tables that only ardesk fills."""
    return _frame(table, {name: pa.array([], pa.string()) for name in schema()[table]})


def _frame(table: str, columns) -> pd.DataFrame:
    """The table's frame: exactly its schema.sql columns, in order, with Company filled in."""
    names = schema()[table]
    given = {name: columns[name] for name in names if name != "Company"}
    rows = max((len(v) for v in given.values() if not np.isscalar(v)), default=0)
    arrays = {name: _column(COMPANY if name == "Company" else given[name], rows) for name in names}
    return pa.table(arrays).to_pandas(types_mapper=pd.ArrowDtype)


# ---------------------------------------------------------------- loading


_ANALYZE = {"sqlite": "ANALYZE {}", "postgres": "ANALYZE {}", "mysql": "ANALYZE TABLE {}"}
"""Statistics for the query planner after a bulk load. Without them MariaDB looked up every customer's
invoices by company alone and read a 1,500-customer ledger in a minute instead of a second; PostgreSQL waits
for autovacuum. SQL Server builds its statistics on first use."""


def load(erp: ErpSettings, tables: dict[str, pd.DataFrame], *, replace: bool = False,
         on_rows: Callable[[int], None] | None = None) -> None:
    """Create the demo schema and insert the frames, all in one transaction (MariaDB commits DDL on its own),
    then gather the tables' statistics, as a live ERP has them.

    Refuses to touch existing demo tables unless `replace`, which drops them first.
    """
    unknown = sorted(set(tables) - set(schema()))
    if unknown:
        raise ValueError(f"{unknown[0]} is not a demo ERP table")
    with open_connection(erp) as conn:
        name = _dialect(conn)
        cursor = conn.cursor()
        try:
            present = _present(conn, name)
            if present and not replace:
                raise ArdeskError(f"The demo ERP table {present[0]} already exists in {describe(erp)}: "
                                  "pass --replace to drop the demo tables and build them again.")
            for table in reversed(present):
                cursor.execute(dialect.render(f"DROP TABLE {table}", name))
            for statement in dialect.render_script(_schema_text(), name):
                cursor.execute(statement)
            for table in schema():
                if table in tables:
                    _insert(cursor, name, table, tables[table], on_rows)
            conn.commit()
            if name in _ANALYZE:
                for table in schema():
                    cursor.execute(dialect.render(_ANALYZE[name].format(table), name))
                conn.commit()
        except BaseException:
            conn.rollback()
            raise


def _dialect(conn: pyodbc.Connection) -> str:
    try:
        return dialect.dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME))
    except ValueError as exc:
        raise ArdeskError(f"{exc}.") from None


def _present(conn: pyodbc.Connection, name: str) -> list[str]:
    """The demo tables that already exist in the connection's database, in schema order.

    Names compare without case (PostgreSQL folds them); the schema counts only where the database has them.
    """
    database = conn.getinfo(pyodbc.SQL_DATABASE_NAME)
    schemaless = name in dialect.SCHEMALESS
    found = {("" if schemaless else (row.table_schem or "").lower(), row.table_name.lower())
             for row in conn.cursor().tables(tableType="TABLE") if row.table_cat in (None, "", database)}
    return [t for t in schema() if ("" if schemaless else t.split(".")[0].lower(), t.split(".")[1].lower()) in found]


def _insert(cursor: pyodbc.Cursor, name: str, table: str, frame: pd.DataFrame,
            on_rows: Callable[[int], None] | None) -> None:
    """Multi-row INSERTs of bound parameters, ~500 rows each (fewer for wide tables).

    Decimals are bound as their exact text, dates as datetime.date, booleans as bool: all three drivers
    take these (fast_executemany is not an option: it crashes the SQLite driver and exhausts MariaDB's).
    """
    columns = schema()[table]
    rows = max(1, min(_ROWS_PER_INSERT, _PARAMS_PER_INSERT // len(columns)))
    data = pa.Table.from_pandas(frame[list(columns)], preserve_index=False).combine_chunks()
    data = pa.table([pc.cast(col, pa.string()) if pa.types.is_decimal(col.type) else col for col in data.columns],
                    names=list(columns))
    one_row = dialect.render(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             name)
    full = dialect.repeat_rows(one_row, rows)  # one object: pyodbc prepares again for a new string
    for batch in data.to_batches(max_chunksize=rows):
        values = [column.to_pylist() for column in batch.columns]
        statement = full if batch.num_rows == rows else dialect.repeat_rows(one_row, batch.num_rows)
        cursor.execute(statement, [value for row in zip(*values) for value in row])
        if on_rows:
            on_rows(batch.num_rows)


# ---------------------------------------------------------------- the default demo database


def default_connect() -> str:
    """The connection string of the default demo ERP: an SQLite file in ardesk's data directory."""
    return f"DRIVER={{{_sqlite_driver()}}};Database={data_dir() / 'demo-erp.sqlite'}"


def _sqlite_driver() -> str:
    """unixODBC registers the SQLite ODBC driver as `SQLite3`, its Windows installer as `SQLite3 ODBC Driver`."""
    return next((d for d in pyodbc.drivers() if "sqlite3" in d.lower()), "SQLite3")


def exists(connect: str) -> bool:
    """Whether the database behind `connect` already holds every demo table with every column (a missing SQLite
    file does not: looking must not create it)."""
    if driver_kind(connect) == "sqlite":
        options = {key.lower(): value for key, value in parse(connect).items()}
        if not Path(options.get("database", "").strip("{}")).is_file():
            return False
    with open_connection(ErpSettings(connect=connect)) as conn:
        name = _dialect(conn)
        return all(_has_columns(conn, name, table, columns) for table, columns in schema().items())


def _has_columns(conn: pyodbc.Connection, name: str, table: str, columns: tuple[str, ...]) -> bool:
    """Whether `table` exists with every one of `columns` (an older ardesk may have made it with fewer, or not
    at all), probed as the profile's queries will find it."""
    try:
        conn.cursor().execute(dialect.render(f"SELECT {', '.join(columns)} FROM {table} WHERE 1 = 0", name)).fetchall()
        return True
    except pyodbc.Error:
        conn.rollback()
        return False


def build(connect: str | None = None, *, customers: int = 1500, seed: int = 7, as_of: dt.date | None = None,
          replace: bool = False, on_rows: Callable[[int], None] | None = None) -> str:
    """Generate the demo ERP and load it (by default into the SQLite file); returns the connection string."""
    connect = connect or default_connect()
    if connect == default_connect():
        data_dir().mkdir(parents=True, exist_ok=True)
    load(ErpSettings(connect=connect), generate(customers, seed, as_of), replace=replace, on_rows=on_rows)
    return redact(connect)
