"""Contacts: the Epicor profile reads each customer's primary billing contact (else the customer's own phone and
e-mail) from the demo ERP in SQLite, PostgreSQL and MariaDB, and the Worklist, Hit List and Past-Due Meeting
show name, phone and e-mail with a missing or malformed address flagged in words."""
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from ardesk import pipeline
from ardesk.ar import reach
from ardesk.demo import contacts as demo_contacts
from ardesk.demo import ledger
from ardesk.erp import demo, fetch
from ardesk.settings import ErpSettings, Settings

AS_OF = dt.date(2026, 11, 24)
HEADER = 4


@pytest.mark.parametrize("address, said", [
    ("fatima.brennan@atlas.example.com", ""),
    ("", reach.NO_EMAIL),
    ("   ", reach.NO_EMAIL),
    ("james.baker.ingram.example.com", "Malformed: An email address must have an @-sign"),
    ("karen moreau@cerny.example.com", "Malformed: The email address contains invalid characters before the "
                                      "@-sign: SPACE"),
    ("ap@@acme.example.com", "Malformed: The part after the @-sign contains invalid characters: '@'"),
    ("maria.baker@", "Malformed: There must be something after the @-sign"),
])
def test_an_email_address_is_checked_for_its_form(address, said):
    assert reach.email_check(address) == said


def test_beside_gives_a_customer_without_contacts_no_email():
    people = reach.checked(pd.DataFrame({
        "customer_id": ["C1"], "customer_name": ["Acme"], "address": [""], "city": [""], "state": [""],
        "postal_code": [""], "country": [""], "contact_name": ["Ann Lee"], "phone": ["555-0100"],
        "email": ["ann@acme.example.com"], "no_statements": [False], "tax_id": [""]}))
    frame = reach.beside(pd.DataFrame({"customer_id": ["C2", "C1"], "rank": [1, 2]}), people)
    assert frame.to_dict("list") == {
        "customer_id": ["C2", "C1"], "rank": [1, 2], "contact_name": ["", "Ann Lee"], "phone": ["", "555-0100"],
        "email": ["", "ann@acme.example.com"], "email_check": [reach.NO_EMAIL, ""]}


def test_the_profile_reads_the_billing_contact_else_the_customers_own(any_erp):
    _kind, connect = any_erp
    tables = ledger.generate(40, 7, AS_OF)
    demo.build(connect, tables=tables)
    _items, people = fetch.addressed(ErpSettings(connect=connect), AS_OF)
    people = people.set_index("customer_id")
    customer = tables["Erp.Customer"].set_index("CustNum")
    person = tables["Erp.CustCnt"].set_index("CustNum")

    def row(number):
        return people.loc[f"C{number:06d}"]

    billing = int(person.index[0])  # the first customer with a contact: CustNum 1 has its billing contact
    assert (billing, customer.loc[billing, "PrimBCon"]) == (1, 1)
    assert row(1)[["contact_name", "phone", "email"]].tolist() == person.loc[1, ["Name", "PhoneNum",
                                                                                 "EMailAddress"]].tolist()
    assert row(1)[["address", "city", "postal_code", "country"]].tolist() == customer.loc[
        1, ["Address1", "City", "Zip", "Country"]].tolist()
    nobody = row(demo_contacts.NO_CONTACT)
    assert (nobody["contact_name"], nobody["email"]) == ("", "")
    assert nobody["phone"] == customer.loc[demo_contacts.NO_CONTACT, "PhoneNum"]
    buyer = row(demo_contacts.BUYER_ONLY)  # a buyer on file is not the billing contact: the customer's own
    assert person.loc[demo_contacts.BUYER_ONLY, "Func"] == "Purchasing"
    assert buyer[["contact_name", "phone", "email"]].tolist() == [
        "", customer.loc[demo_contacts.BUYER_ONLY, "PhoneNum"], customer.loc[demo_contacts.BUYER_ONLY, "EMailAddress"]]
    assert reach.email_check(row(demo_contacts.MALFORMED)["email"]).startswith(reach.MALFORMED)
    assert row(demo_contacts.NO_STATEMENT)["no_statements"]
    assert (~people["no_statements"]).sum() == customer["PrintStatements"].sum()


def _sheet_rows(sheet) -> list[dict]:
    """The rows of a report sheet under its header row, by header, without group headings and totals."""
    rows = sheet.iter_rows(min_row=HEADER, values_only=True)
    header = next(rows)
    shown = [dict(zip(header, tuple(r) + (None,) * (len(header) - len(r)))) for r in rows]
    return [r for r in shown if str(r["Customer ID"] or "").startswith("C0")]


def test_the_collectors_lists_show_how_to_reach_each_customer(sqlite_erp, tmp_path):
    demo.build(sqlite_erp, customers=200, seed=7, as_of=AS_OF)
    settings = Settings(erp=ErpSettings(connect=sqlite_erp))
    path = pipeline.build(tmp_path / "aging.xlsx", settings, AS_OF).path
    _items, people = fetch.addressed(settings.erp, AS_OF)
    people = people.set_index("customer_id")
    book = openpyxl.load_workbook(path, read_only=True)
    for name in ("Worklist", "Hit List", "Past-Due Meeting"):
        rows = _sheet_rows(book[name])
        assert rows, name
        for shown in rows:
            erp = people.loc[shown["Customer ID"]]
            assert (shown["Contact"] or "", shown["Phone"] or "", shown["Email"] or "") == (
                erp["contact_name"], erp["phone"], erp["email"]), (name, shown["Customer ID"])
            assert (shown["Email Check"] or "") == reach.email_check(erp["email"])
        flagged = [r["Email Check"] for r in rows if r["Email Check"]]
        assert any(f == reach.NO_EMAIL for f in flagged) and any(f.startswith(reach.MALFORMED) for f in flagged), name
