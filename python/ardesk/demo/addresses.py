"""Customer names, e-mail addresses, street addresses and phones, in the style of each customer's country.

US customers mix surnames, places and trades; EUR and GBP customers get European names (accents, apostrophes and
all). A few fixed customers have names that look like formulas.
"""
import re
import unicodedata

import numpy as np
import pandas as pd

from ardesk.demo.arrays import pick

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


def name_and_address(currency: np.ndarray, territory: np.ndarray, rng: np.random.Generator) -> dict:
    """Company name, e-mail, street address and phone, in the style of the customer's country (`currency`: its
    code, USD, EUR or GBP; `territory`: the sales territory of a US customer)."""
    n = len(currency)
    pattern = rng.integers(0, 5, n)
    sur, sur2, place = pick(rng, _SURNAMES, n), pick(rng, _SURNAMES, n), pick(rng, _PLACES, n)
    trade, us_suffix = pick(rng, _TRADES, n), pick(rng, _US_SUFFIXES, n)
    eu_sur, eu_sur2 = pick(rng, _EU_SURNAMES, n), pick(rng, _EU_SURNAMES, n)
    eu_trade, eu_suffix = pick(rng, _EU_TRADES, n), pick(rng, _EU_SUFFIXES, n)
    uk_sur, uk_place, uk_suffix = pick(rng, _UK_SURNAMES, n), pick(rng, _UK_PLACES, n), pick(rng, _UK_SUFFIXES, n)
    city_pick, number, phone = rng.integers(0, 1000, n), rng.integers(10, 9900, n), rng.integers(0, 100, n)
    street, street_type, eu_street = pick(rng, _STREETS, n), pick(rng, _STREET_TYPES, n), pick(rng, _EU_STREETS, n)
    mailbox, no_email = pick(rng, _AP_MAILBOXES, n), rng.random(n) < 0.04
    names, rows = [], []
    for i, (money, region) in enumerate(zip(currency.tolist(), territory.tolist())):
        if money == "EUR":
            name = (f"{eu_sur[i]} & {eu_sur2[i]} {eu_suffix[i]}" if pattern[i] == 0
                    else f"{eu_sur[i]} {eu_trade[i]} {eu_suffix[i]}")
            city, postcode, country, dial = _EU_CITIES[city_pick[i] % len(_EU_CITIES)]
            row = (f"{eu_street[i]} {number[i] % 200 + 1}", city, "", postcode, country,
                   f"+{dial} {number[i]:04d} 5550{phone[i]:02d}")
        elif money == "GBP":
            name = f"{uk_sur[i] if pattern[i] % 2 else uk_place[i]} {trade[i]} {uk_suffix[i]}"
            city, district = _UK_CITIES[city_pick[i] % len(_UK_CITIES)]
            row = (f"{number[i] % 300 + 1} {street[i]} Road", city, "", f"{district} {number[i] % 9 + 1}AB",
                   "United Kingdom", f"+44 161 496 0{phone[i]:03d}")
        else:
            name = (f"{sur[i]} {trade[i]}{us_suffix[i]}", f"{place[i]} {trade[i]}{us_suffix[i]}",
                    f"{sur[i]} & {sur2[i]}{us_suffix[i]}", f"{place[i]} {sur[i]} {trade[i]}",
                    f"{sur[i]} & Sons{us_suffix[i]}")[pattern[i]]
            cities = _CITIES[region]
            city, state, zip_prefix = cities[city_pick[i] % len(cities)]
            row = (f"{number[i]} {street[i]} {street_type[i]}", city, state, f"{zip_prefix}{number[i] % 100:02d}",
                   "USA", f"({number[i] % 800 + 200}) 555-01{phone[i]:02d}")
        names.append(_FORMULA_LIKE.get(i + 1, name)[:50].rstrip())
        rows.append(row)
    columns = dict(zip(("Address1", "City", "State", "Zip", "Country", "PhoneNum"), zip(*rows)))
    twin = pd.Series(names).duplicated().to_numpy()  # two companies of one name are told apart by city
    names = [f"{nm} - {city}"[:50] if double else nm for nm, city, double in zip(names, columns["City"], twin)]
    emails = ["" if none else f"{box}@{slug(nm)}.example.com" for nm, box, none in zip(names, mailbox, no_email)]
    return {"Name": names, "EMailAddress": emails, **columns}


_NOT_ALNUM = re.compile("[^a-z0-9]")
_UNDECOMPOSED = str.maketrans({"ß": "ss", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae"})


def slug(name: str) -> str:
    """'Müller & Weiß GmbH' -> 'mullerweissgmbh': an e-mail domain from a company name."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED)).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", name.lower())[:24] or "customer"

