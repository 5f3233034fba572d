"""Matching a bureau's rows to customers, worked by hand: tax IDs however written, names and addresses however a
bureau spells them, and each case a person must see (two customers alike, another house number, a tax ID that is
not the customer's, a company that is no customer, two reports of one day)."""
import pandas as pd
import pytest

from ardesk.ar import bureau_match
from ardesk.ar.bureau_names import names, postal_codes, streets, tax_ids
from ardesk.errors import ArdeskError
from ardesk.frames import BUREAU_ROWS, CONTACTS
from ardesk.settings import load

CUSTOMERS = pd.DataFrame([
    # customer_id, name, street, city, postal code, country, tax ID
    ("C1", "Anderson Industrial Supply, Inc.", "1200 Main St", "Chicago", "60612", "USA", "12-3456789"),
    ("C2", "Müller & Weiß GmbH", "Industriestraße 12", "München", "80331", "Germany", "DE201234567"),
    ("C3", "Harbor Plastics LLC", "55 Canal Ave", "Boston", "02110", "USA", ""),
    ("C4", "Harbor Plastic Co.", "55 Canal Ave", "Boston", "02110", "USA", ""),  # C3's near twin, same street
    ("C5", "Summit Controls Corp.", "9 Oak Dr", "Denver", "80202", "USA", "45-1111111"),
    ("C6", "Pennine Printing Ltd", "14 Mill Road", "Leeds", "LS1 4AB", "United Kingdom", "GB 987 6543 21"),
], columns=["customer_id", "customer_name", "address", "city", "postal_code", "country", "tax_id"])


def customers() -> pd.DataFrame:
    frame = CUSTOMERS.assign(state="", contact_name="", phone="", email="", no_statements=False)
    return frame[list(CONTACTS)].astype(CONTACTS)


def rows(*given: dict) -> pd.DataFrame:
    base = {"tax_id": "", "name": "", "address": "", "city": "", "state": "", "postal_code": "", "country": "",
            "score": 50, "risk_class": "", "recommended_limit_cents": 100_000, "days_beyond_terms": 0,
            "report_date": pd.Timestamp(2026, 11, 1), "customer_id": ""}
    frame = pd.DataFrame([{**base, **row, "line": n} for n, row in enumerate(given, 2)])
    return frame[list(BUREAU_ROWS)].astype(BUREAU_ROWS)


def outcome(*given: dict) -> list[tuple]:
    found = bureau_match.match(rows(*given), customers())
    return list(found[["status", "customer_id", "matched_by"]].itertuples(index=False, name=None))


def test_spelling_alike():
    assert names(pd.Series(["ANDERSON IND. SUPPLY INCORPORATED", "Anderson Industrial Supply, Inc.",
                            "Müller & Weiß G.m.b.H.", "MUELLER AND WEISS"])).tolist() == [
        "anderson ind supply", "anderson ind supply", "muller weiss", "mueller weiss"]
    assert streets(pd.Series(["1200 MAIN STREET SUITE 4", "Industriestraße 12"])).tolist() == [
        "1200 main st ste 4", "industriestrasse 12"]
    assert postal_codes(pd.Series(["60612-1234", "ls1 4ab", None])).tolist() == ["60612", "LS14A", ""]
    assert tax_ids(pd.Series(["12-3456789", "123456789", "GB 123 4567 89", "DE 201 234 567"])).tolist() == [
        "123456789", "123456789", "123456789", "201234567"]


def test_a_tax_id_however_written_names_its_customer():
    assert outcome({"tax_id": "123456789", "name": "Someone Else Entirely"},
                   {"tax_id": "987 6543 21", "name": "PENNINE PRINTING"},
                   {"tax_id": "DE201234567"}) == [
        ("Matched", "C1", "tax ID"), ("Matched", "C6", "tax ID"), ("Matched", "C2", "tax ID")]


def test_a_name_and_address_spelled_as_a_bureau_does_match():
    assert outcome({"name": "ANDERSON IND SUPPLY", "address": "1200 MAIN STREET", "city": "CHICAGO",
                    "postal_code": "60612-4410"},
                   {"name": "Mueller & Weiss", "address": "Industriestrasse 12", "city": "Munchen",
                    "postal_code": "80331"},
                   {"name": "Summit Contrls Corporation", "address": "9 Oak Drive Ste 200", "postal_code": "80202",
                    "city": "Denver"}) == [
        ("Matched", "C1", "name and address"), ("Matched", "C2", "name and address"),
        ("Matched", "C5", "name and address")]


def test_two_customers_alike_go_to_a_person():
    [(status, suggested, _)] = outcome({"name": "Harbor Plastics", "address": "55 Canal Ave", "city": "Boston",
                                        "postal_code": "02110"})
    assert (status, suggested) == ("Review", "C3")
    found = bureau_match.match(rows({"name": "Harbor Plastics", "address": "55 Canal Ave", "postal_code": "02110"}),
                               customers())
    assert found["reason"].iloc[0] == "another customer is nearly as alike: check which one the report is about"


def test_another_house_number_is_another_company():
    found = bureau_match.match(rows({"name": "Summit Controls", "address": "91 Oak Dr", "postal_code": "80202",
                                     "city": "Denver"}), customers())
    assert found[["status", "customer_id"]].values.tolist() == [["Review", "C5"]]
    assert found["reason"].iloc[0] == "alike, not certain (street 50%): check name and address"


def test_a_tax_id_that_is_not_the_customers_stops_a_name_match():
    found = bureau_match.match(rows({"tax_id": "45-9999999", "name": "Summit Controls Corp", "address": "9 Oak Dr",
                                     "postal_code": "80202", "city": "Denver"}), customers())
    assert found[["status", "customer_id", "confidence"]].values.tolist() == [["Review", "C5", 100]]
    assert found["reason"].iloc[0] == ("the bureau's tax ID is not the customer's: check which company the report "
                                       "is about")


def test_a_company_that_is_no_customer_is_not_found():
    assert outcome({"name": "Blue Ridge Foods", "address": "4 Elm St", "postal_code": "60612", "city": "Chicago"},
                   {"name": "Nobody Anywhere"}) == [("Not found", "", ""), ("Not found", "", "")]


def test_a_persons_confirmation_decides_and_an_unknown_customer_is_for_review():
    assert outcome({"name": "Whoever", "customer_id": "C3"}, {"name": "Whoever", "customer_id": "C99"}) == [
        ("Matched", "C3", "confirmed"), ("Review", "C99", "")]


def test_two_reports_of_one_day_about_one_customer_keep_the_surer():
    found = bureau_match.match(rows(
        {"name": "Anderson Industrial Supply", "address": "1200 Main St", "postal_code": "60612", "city": "Chicago"},
        {"tax_id": "12-3456789"}), customers())
    assert found[["status", "customer_id", "matched_by"]].values.tolist() == [
        ["Review", "C1", "name and address"], ["Matched", "C1", "tax ID"]]
    assert found["reason"].iloc[0] == "line 3 reports on this customer for the same day"


def test_a_bureaus_settings_are_checked_when_read(tmp_path):
    path = tmp_path / "ardesk.toml"
    path.write_text('[bureaus.acme]\ncolumns = { name = "Name", report_date = "Date", rating = "Rating" }\n',
                    encoding="utf-8")
    with pytest.raises(ArdeskError) as refused:
        load(path)
    assert str(refused.value) == ("[bureaus.acme] columns names 'rating', which ardesk does not read: use tax_id, "
                                  "name, address, city, state, postal_code, country, score, risk_class, "
                                  "recommended_limit, days_beyond_terms, report_date.")
    path.write_text('[bureaus.dnb]\nscore_scale = [300, 100]\n', encoding="utf-8")
    with pytest.raises(ArdeskError, match=r"^\[bureaus.dnb\] score_scale = \(300, 100\) must be the lowest and"):
        load(path)
    path.write_text('[bureaus.dnb]\ndate_format = "%d.%m.%Y"\n', encoding="utf-8")
    assert load(path).bureaus["dnb"].date_format == "%d.%m.%Y" and load(path).bureaus["dnb"].score_scale == (1001,
                                                                                                                1875)
