"""How to reach each customer: its billing contact's name, phone and e-mail beside the rows of a report, the
e-mail checked so that a letter is never sent to an address that cannot work, nor one silently skipped.

E-mail addresses are checked for their form only (email-validator, no DNS look-up: the core does no I/O, and a
collector's laptop may have no resolver for the customer's domain); what the check finds is said in words in
`email_check`: "" for a good address, NO_EMAIL, or "Malformed: " and why.
"""
import pandas as pd
from email_validator import EmailNotValidError, validate_email

from ardesk.ar.accounts import shaped
from ardesk.frames import CONTACTS

NO_EMAIL = "No email"
MALFORMED = "Malformed: "

CHECKED = {**CONTACTS, "email_check": "string"}
"""CONTACTS with the check of each e-mail address."""

BESIDE = {"contact_name": "Contact", "phone": "Phone", "email": "Email", "email_check": "Email Check"}
"""The columns `beside` adds to a report, and their headings on its sheet."""


def email_check(address: str) -> str:
    """"" when `address` is a well-formed e-mail address, else what is wrong with it, in a few words."""
    if not address.strip():
        return NO_EMAIL
    try:
        validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as problem:
        return MALFORMED + str(problem).rstrip(".")
    return ""


def checked(contacts: pd.DataFrame) -> pd.DataFrame:
    """CONTACTS -> CHECKED (each distinct address checked once)."""
    emails = contacts["email"].astype("string").fillna("")
    verdicts = {address: email_check(address) for address in emails.unique()}
    return shaped(contacts.assign(email=emails, email_check=emails.map(verdicts)), CHECKED)


def beside(frame: pd.DataFrame, contacts: pd.DataFrame) -> pd.DataFrame:
    """`frame` (any report with a customer_id column) with its customers' contact name, phone, e-mail and the
    e-mail's check (`contacts`: CHECKED) as its last columns; a customer without contacts has no e-mail."""
    found = contacts.drop_duplicates("customer_id").set_index("customer_id").reindex(frame["customer_id"])
    columns = {name: found[name].fillna(NO_EMAIL if name == "email_check" else "").astype("string").to_numpy()
               for name in BESIDE}
    return frame.assign(**columns)
