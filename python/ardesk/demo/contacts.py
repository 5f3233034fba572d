"""The customers' people, as Epicor keeps them: contacts (CustCnt), the primary billing contact (PrimBCon) and who
gets no statement (PrintStatements).

Most customers name an AR or accounts-payable person as their billing contact; some have only a buyer on file
(no billing contact: letters fall back to the customer's own phone and e-mail), some nobody. A few e-mail
addresses are typed wrong, as in any ERP, and a few customers take no statements (they read a portal). Four
fixed customers make each case certain for the tests: CustNum 2 has no contact and no e-mail of its own, 3 a
billing contact with a malformed e-mail, 5 a buyer but no billing contact, 6 takes no statements.
"""
import numpy as np

from ardesk.demo.addresses import slug
from ardesk.demo.arrays import pick

_FIRST = ("Maria", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Susan", "James", "Karen",
          "Carlos", "Aisha", "Tom", "Rachel", "Greg", "Yvonne", "Luis", "Megan", "Ahmed", "Ingrid", "Pierre",
          "Giulia", "Søren", "Fatima", "Oliver", "Chloé", "Hiroshi")
_LAST = ("Nguyen", "Baker", "Okafor", "Schmidt", "Rossi", "Dubois", "Kowalczyk", "Hughes", "Patel", "O'Brien",
         "García", "Lindqvist", "Moreau", "Sato", "Walsh", "Brennan", "Fischer", "Novak", "Jensen", "Keller")
_BILLING_ROLES = ("Accounts Payable", "AP Specialist", "Controller", "AP Manager", "Finance Manager")
_BUYER = "Purchasing"
_MALFORMED = ("{first}.{last}@", "{first} {last}@{domain}", "{first}@@{domain}", "{first}.{last}.{domain}",
              "{first}@{domain_no_dot}")
"""What a clerk types wrong: no domain, a space, a doubled @, no @ at all, a domain without a dot."""
BILLING_SHARE, BUYER_ONLY_SHARE, MALFORMED_SHARE, NO_STATEMENT_SHARE = 0.82, 0.08, 0.03, 0.05
NO_CONTACT, MALFORMED, BUYER_ONLY, NO_STATEMENT = 2, 3, 5, 6
"""The CustNum of the fixed cases."""


def contacts(cust_num: np.ndarray, names: list[str], emails: np.ndarray, phones: np.ndarray,
             rng: np.random.Generator) -> dict:
    """{"Erp.CustCnt": its columns, "Customer": the Customer columns PrimBCon and PrintStatements, and
    EMailAddress with NO_CONTACT's emptied} for customers numbered `cust_num`, named `names`, with their own
    e-mail `emails` and main line `phones` (a contact is an extension of it)."""
    n = len(cust_num)
    roll = rng.random(n)
    billing = roll < BILLING_SHARE
    buyer = (roll >= BILLING_SHARE) & (roll < BILLING_SHARE + BUYER_ONLY_SHARE)
    fixed = {NO_CONTACT: (False, False), MALFORMED: (True, False), BUYER_ONLY: (False, True)}
    for number, (has_billing, has_buyer) in fixed.items():
        at = cust_num == number
        billing[at], buyer[at] = has_billing, has_buyer
    malformed = billing & ((rng.random(n) < MALFORMED_SHARE) | (cust_num == MALFORMED))
    first, last = pick(rng, _FIRST, n), pick(rng, _LAST, n)
    role, style, extension = pick(rng, _BILLING_ROLES, n), rng.integers(0, len(_MALFORMED), n), rng.integers(100, 999, n)
    rows = []
    for i in np.flatnonzero(billing | buyer):
        domain = f"{slug(names[i])}.example.com"
        mailbox = f"{slug(first[i])}.{slug(last[i])}"
        email = (_MALFORMED[style[i]].format(first=slug(first[i]), last=slug(last[i]), domain=domain,
                                             domain_no_dot=slug(names[i])) if malformed[i] else f"{mailbox}@{domain}")
        rows.append((cust_num[i], 1, f"{first[i]} {last[i]}", role[i] if billing[i] else _BUYER,
                     f"{phones[i]} ext. {extension[i]}", email))
    columns = dict(zip(("CustNum", "ConNum", "Name", "Func", "PhoneNum", "EMailAddress"),
                       (list(c) for c in zip(*rows)) if rows else ([] for _ in range(6))))
    statements = (rng.random(n) >= NO_STATEMENT_SHARE) & (cust_num != NO_STATEMENT)
    return {
        "Erp.CustCnt": {**columns, "ShipToNum": ""},
        "Customer": {"PrimBCon": np.where(billing, 1, 0), "PrintStatements": statements,
                     "EMailAddress": np.where(cust_num == NO_CONTACT, "", emails)},
    }
