"""Credit limits approved on the Credit Review sheet, staged in ardesk's table in the ERP database each exactly once
(ardesk.erp.staging), for the ERP's customer import to set Customer.CreditLimit and CreditReviewDate from."""
import datetime as dt

import pandas as pd
import pyodbc

from ardesk.erp import profile as profiles
from ardesk.erp.dialect import render
from ardesk.erp.odbc import connect, dialect_of, translate
from ardesk.erp.staging import Staged, stage_once
from ardesk.money import cents_from_decimal, decimal_text
from ardesk.settings import ErpSettings

LIMITS = Staged("ardesk.ardesk_credit_limit", "limit_keys", "limit_insert", "limit_id", lambda line, when: {
    "limit_id": line.limit_id, "company": line.company, "customer_id": line.customer_id,
    "credit_limit": decimal_text(line.limit_cents), "previous_limit": decimal_text(line.previous_cents),
    "review_date": line.review_date.date(), "approver": line.approver, "note_id": line.note_id, "staged": when})
"""Approved limits (ardesk.ar.credit_limits.LIMIT_LINES with their company and previous limit)."""


def customers(erp: ErpSettings) -> pd.DataFrame:
    """The ERP's customers of [erp] company (every company when ""): company, customer_id and credit_limit_cents
    (the limit today, exact: SQLite's driver hands DECIMAL back as a float, read through its text)."""
    profile = profiles.load(erp.profile)
    try:
        with connect(erp) as conn:
            rows = conn.cursor().execute(render(profile.query("limit_customers"), dialect_of(conn)),
                                         profile.parameters("limit_customers", {"company": erp.company})).fetchall()
    except pyodbc.Error as exc:
        raise translate(exc, erp) from None
    return pd.DataFrame({"company": [r[0].strip() for r in rows], "customer_id": [r[1].strip() for r in rows],
                         "credit_limit_cents": [cents_from_decimal(str(r[2])) for r in rows]}).astype(
        {"company": "string", "customer_id": "string", "credit_limit_cents": "int64"})


def stage(erp: ErpSettings, lines: pd.DataFrame, when: dt.datetime, command: str) -> pd.Series:
    """Stage `lines` (each with its limit_id, company and previous_cents) for `command` (as typed); per line True
    when this call staged it, False when it was staged before."""
    return stage_once(erp, LIMITS, lines, when, command)
