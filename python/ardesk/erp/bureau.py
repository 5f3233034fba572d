"""Storing credit bureau reports in ardesk's table in the ERP (ardesk_bureau_report), each exactly once.

One transaction for the whole file: ask which of the reports' keys are stored already, insert the others (each
batch one JSON document bound to one statement, ardesk.erp.writer), commit; so an import is in the ERP whole or
not at all. A report's key is its company, bureau, customer and report date: importing the same file again stores
nothing, and a later file with that day's report about that customer keeps the first. Two imports at once
collide on the primary key: the loser's transaction rolls back whole, and it asks again and stores what is still
missing.
"""
import datetime as dt
import hashlib

import pandas as pd

from ardesk.erp import profile as profiles, writer
from ardesk.erp.transaction import once
from ardesk.money import decimal_text
from ardesk.settings import ErpSettings

TABLE = "ardesk.ardesk_bureau_report"
COMMAND = "credit import"
BATCH_ROWS = 2_000


def keys(company: str, bureau: str, reports: pd.DataFrame) -> pd.Series:
    """Each report's idempotency key: 32 hex digits of its company, bureau, customer and report date."""
    days = reports["report_date"].dt.strftime("%Y-%m-%d")
    return pd.Series([hashlib.md5(f"{company}\x1f{bureau}\x1f{customer}\x1f{day}".encode()).hexdigest()
                      for customer, day in zip(reports["customer_id"], days)], index=reports.index, dtype="string")


def store(erp: ErpSettings, bureau: str, reports: pd.DataFrame, source: str, when: dt.datetime, by: str
          ) -> pd.Series:
    """Store `reports` (BUREAU_ROWS joined with their BUREAU_MATCHES, each matched to one customer) as `bureau`'s,
    read from the file named `source`, imported at `when` by `by`; per report True when this call stored it,
    False when it was stored before."""
    profile = profiles.load(erp.profile)
    ids = keys(erp.company, bureau, reports)

    def write(conn, dialect: str) -> pd.Series:
        cursor = conn.cursor()
        before = {row[0].strip() for row in writer.execute(
            cursor, profile, "bureau_report_keys", dialect, [{"report_id": key} for key in ids],
            into="report_ids").fetchall()}
        fresh = ~ids.isin(before)
        rows = _rows(erp.company, bureau, reports[fresh.to_numpy()], ids[fresh], source, when, by)
        for start in range(0, len(rows), BATCH_ROWS):
            writer.execute(cursor, profile, "bureau_report_insert", dialect, rows[start:start + BATCH_ROWS])
        return fresh
    return once(erp, COMMAND, [TABLE], profile.name, write,
                f"Another person kept importing the same reports at the same time: run ardesk {COMMAND} again.")


def _rows(company: str, bureau: str, reports: pd.DataFrame, ids: pd.Series, source: str, when: dt.datetime,
          by: str) -> list[dict]:
    def whole(value):
        return None if pd.isna(value) else int(value)
    imported = when.replace(microsecond=0)
    return [{
        "report_id": key, "company": company, "customer_id": report.customer_id, "bureau": bureau,
        "report_date": report.report_date.date(), "score": whole(report.score), "risk_class": report.risk_class,
        "recommended_limit": None if pd.isna(report.recommended_limit_cents)
        else decimal_text(int(report.recommended_limit_cents)),
        "days_beyond_terms": whole(report.days_beyond_terms), "matched_by": report.matched_by,
        "confidence": int(report.confidence), "source_file": source[-255:], "source_line": int(report.line),
        "imported": imported, "imported_by": by,
    } for key, report in zip(ids, reports.itertuples())]
