"""What every letter to a customer says the same way: who it is to (the addressee block from the customer's
CONTACTS row), text from the ERP on one line, and dates as YYYY-MM-DD.

Values are text as the letter shows them: dates read the same way by a customer in Chicago and one in Munich,
and a line break typed into an address in the ERP is a space here (a letter's values are single lines, which
ardesk.letters.template relies on).
"""
import pandas as pd

ADDRESSEE = frozenset({"customer_id", "customer_name", "contact_name", "contact_phone", "contact_email"})
"""The addressee's fields that are one value; `address` (lines) and `remit_to` (lines) are lists."""


def addressee(customer_id: str, customer_name: str, contact: dict, remit_to: tuple[str, ...]) -> dict:
    """The values of ADDRESSEE, `address` and `remit_to` for a customer; `contact` is its CONTACTS row ({} for
    none), whose name wins over `customer_name` (the open items')."""
    said = {name: line(contact.get(name, "")) for name in ("customer_name", "address", "city", "state",
                                                            "postal_code", "country", "contact_name", "phone", "email")}
    city = " ".join(part for part in (said["city"], said["state"], said["postal_code"]) if part)
    return {
        "remit_to": [line(text) for text in remit_to],
        "customer_id": customer_id,
        "customer_name": said["customer_name"] or line(customer_name),
        "address": [text for text in (said["address"], city, said["country"]) if text],
        "contact_name": said["contact_name"],
        "contact_phone": said["phone"],
        "contact_email": said["email"],
    }


def line(text) -> str:
    """Text from the ERP on one line ("" for a missing value)."""
    return "" if text is None or (not isinstance(text, str) and pd.isna(text)) else " ".join(str(text).split())


def day(value) -> str:
    """A date as YYYY-MM-DD ("" for none)."""
    return "" if pd.isna(value) else f"{value:%Y-%m-%d}"
