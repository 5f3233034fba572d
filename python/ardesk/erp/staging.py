"""Staging approved applications of credits and approved write-offs in ardesk's own table in the ERP database,
each exactly once (ardesk.erp.import_files writes the files that carry them into the ERP).

One transaction per call: ask which of the lines' keys are staged already, insert the others (each batch one
JSON document bound to one statement, ardesk.erp.writer), commit. Each line carries the company of the documents
it applies (its `company` column), not the settings' company, which is "" when reading every company. Two people applying at once collide on the primary key: the loser's
transaction rolls back whole, and it asks again and stages what is still missing.
"""
import datetime as dt

import pandas as pd

from ardesk.erp import profile as profiles, writer
from ardesk.erp.transaction import once
from ardesk.money import decimal_text
from ardesk.settings import ErpSettings

TABLE = "ardesk.ardesk_application"
BATCH_ROWS = 500


def stage(erp: ErpSettings, lines: pd.DataFrame, when: dt.datetime, command: str = "reconcile apply") -> pd.Series:
    """Stage `lines` (RECONCILE_LINES with an `application_id`, the `company` of its documents and its `approver`)
    for `command` (as typed, for the sentence refusing an ERP to migrate); per line True when this call staged it,
    False when it was staged before."""
    profile = profiles.load(erp.profile)

    def write(conn, dialect: str) -> pd.Series:
        before = _staged(conn, profile, dialect, list(lines["application_id"]))
        _insert(conn, profile, dialect, lines[~lines["application_id"].isin(before)], when)
        return ~lines["application_id"].isin(before)
    return once(erp, command, [TABLE], profile.name, write,
                f"Another person kept staging the same lines at the same time: run ardesk {command} again.")


def _staged(conn, profile: profiles.Profile, dialect: str, ids: list[str]) -> set[str]:
    rows = writer.execute(conn.cursor(), profile, "application_keys", dialect,
                          [{"application_id": key} for key in ids], into="application_ids").fetchall()
    return {row[0].strip() for row in rows}


def _insert(conn, profile: profiles.Profile, dialect: str, lines: pd.DataFrame, when: dt.datetime) -> None:
    staged = when.replace(microsecond=0)
    rows = [{
        "application_id": line.application_id, "company": line.company, "customer_id": line.customer_id,
        "credit_doc": line.credit_doc, "invoice_customer_id": line.invoice_customer_id,
        "invoice_doc": line.invoice_doc, "kind": line.kind, "currency": line.currency,
        "amount": decimal_text(line.amount_cents), "rule": line.rule, "approver": line.approver, "staged": staged,
    } for line in lines.itertuples()]
    cursor = conn.cursor()
    for start in range(0, len(rows), BATCH_ROWS):
        writer.execute(cursor, profile, "application_insert", dialect, rows[start:start + BATCH_ROWS])
