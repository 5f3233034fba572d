"""Setting and lifting customers' credit holds in the ERP: Erp.Customer's CreditHold, with the day in
CreditHoldDate and ardesk as the CreditHoldSource.

Each change is one conditional update that sets the flag only while it still stands as it was read, all in one
transaction: a hold someone set since, or another run at the same moment, changes nothing twice (the second
update finds no row to change and waits for the first on the row's lock). Where the flag is found already set,
it is read again after the commit, in a fresh transaction (MariaDB's snapshot would show the old flag), to tell
whether ardesk set it today: a run killed between its update and its note, or a run that lost the race, then
logs the same note as the winner would, under the same note ID, so the ERP records it once.
"""
import datetime as dt

import pandas as pd
import pyodbc

from ardesk.erp import profile as profiles
from ardesk.erp.dialect import render
from ardesk.erp.odbc import connect, dialect_of, translate
from ardesk.settings import ErpSettings

SOURCE = "ARDESK"
"""CreditHoldSource of a hold ardesk set or lifted (Epicor's own are CREDIT and MANUAL)."""
CHANGED = "Changed"
EARLIER = "Changed by ardesk earlier today"
ALREADY = "Already so"


def set_holds(erp: ErpSettings, changes: pd.DataFrame, day: dt.date) -> pd.Series:
    """Set (`hold` True) or lift (False) each customer's credit hold: `changes` has customer_id and hold. Per row:
    CHANGED, EARLIER (ardesk made this change today already: its note is still due), ALREADY (someone else did), or
    a refusal sentence (the customer is not in the ERP, or in two companies when [erp] company names none)."""
    profile = profiles.load(erp.profile)
    with connect(erp, autocommit=False) as conn:
        dialect = dialect_of(conn)
        try:
            where, refused = _companies(_states(conn, profile, dialect, erp), changes, erp)
            update = render(profile.query("credit_hold_set"), dialect)
            changed = []
            for customer, hold, company in zip(changes["customer_id"], changes["hold"], where):
                if company is None:
                    changed.append(False)
                    continue
                values = {"hold": bool(hold), "day": day, "source": SOURCE, "customer_company": company,
                          "customer_id": customer, "was": not hold}
                changed.append(conn.cursor().execute(update, profile.parameters("credit_hold_set", values)).rowcount == 1)
            conn.commit()
            after = _states(conn, profile, dialect, erp) if not all(changed) else None
            conn.commit()
        except pyodbc.Error as exc:
            conn.rollback()
            raise translate(exc, erp) from None
    outcomes = []
    for customer, hold, company, made, refusal in zip(changes["customer_id"], changes["hold"], where, changed, refused):
        if made or refusal:
            outcomes.append(CHANGED if made else refusal)
            continue
        _held, since, source = after[(company, customer)]
        ours = source == SOURCE and since is not None and _day(since) == day
        outcomes.append(EARLIER if ours else ALREADY)
    return pd.Series(outcomes, index=changes.index, dtype="string")


def _states(conn, profile: profiles.Profile, dialect: str, erp: ErpSettings) -> dict[tuple[str, str], tuple]:
    """(company, customer ID) -> (hold flag, day set or lifted, source), for [erp] company's customers."""
    query = "credit_holds"
    rows = conn.cursor().execute(render(profile.query(query), dialect),
                                 profile.parameters(query, {"company": erp.company})).fetchall()
    return {(str(company).strip(), str(customer).strip()): (held, since, (source or "").strip())
            for company, customer, held, since, source in rows}


def _companies(states: dict[tuple[str, str], tuple], changes: pd.DataFrame, erp: ErpSettings
               ) -> tuple[list[str | None], list[str]]:
    """The company of each change's customer (None where it cannot be changed) and the refusal ("" where none)."""
    found: dict[str, list[str]] = {}
    for company, customer in states:
        found.setdefault(customer, []).append(company)
    where, refused = [], []
    for customer in changes["customer_id"]:
        companies = found.get(customer, [])
        if len(companies) == 1:
            where.append(companies[0])
            refused.append("")
            continue
        where.append(None)
        refused.append(f"Customer {customer} is not in the ERP: check the Customer ID on the sheet." if not companies
                       else f"Customer {customer} is in companies {', '.join(sorted(companies))}: set [erp] company "
                            "to the one to change and apply again.")
    return where, refused


def _day(value) -> dt.date:
    """A date column as the driver returns it (date, datetime or ISO text) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
