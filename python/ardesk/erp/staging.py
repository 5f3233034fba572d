"""Staging approvals in ardesk's own tables in the ERP database, each exactly once: applications of credits and
write-offs here (ardesk.erp.import_files writes the files that carry them into the ERP), credit limits in
ardesk.erp.limits.

One transaction per call (ardesk.erp.transaction.once): ask which of the lines' keys are staged already, insert the
others (each batch one JSON document bound to one statement, ardesk.erp.writer), commit. Each line carries the
company of the documents it applies (its `company` column), not the settings' company, which is "" when reading
every company. Two people applying at once collide on the primary key: the loser's transaction rolls back whole,
and it asks again and stages what is still missing.
"""
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ardesk.erp import profile as profiles, writer
from ardesk.erp.transaction import once
from ardesk.money import decimal_text
from ardesk.settings import ErpSettings

BATCH_ROWS = 500


@dataclass(frozen=True)
class Staged:
    """What one kind of approval is staged as: ardesk's table, its lookup and insert queries, the lines' key column
    (named as the lookup's JSON field, plural for its parameter), and the insert's row of one line."""

    table: str
    keys_query: str
    insert_query: str
    key: str
    row: Callable[[object, dt.datetime], dict]


def stage_once(erp: ErpSettings, staged: Staged, lines: pd.DataFrame, when: dt.datetime, command: str) -> pd.Series:
    """Stage `lines` (each with its key in the `staged.key` column) that are not staged yet, for `command` (as typed,
    for the sentences); per line True when this call staged it, False when it was staged before."""
    profile = profiles.load(erp.profile)
    keys = list(lines[staged.key])

    def write(conn, dialect: str) -> pd.Series:
        before = _staged(conn, profile, dialect, staged, keys)
        _insert(conn, profile, dialect, staged, lines[~lines[staged.key].isin(before)], when.replace(microsecond=0))
        return ~lines[staged.key].isin(before)
    return once(erp, command, [staged.table], profile.name, write,
                f"Another person kept staging the same lines at the same time: run ardesk {command} again.")


def _staged(conn, profile: profiles.Profile, dialect: str, staged: Staged, keys: list[str]) -> set[str]:
    rows = writer.execute(conn.cursor(), profile, staged.keys_query, dialect, [{staged.key: key} for key in keys],
                          into=f"{staged.key}s").fetchall()
    return {row[0].strip() for row in rows}


def _insert(conn, profile: profiles.Profile, dialect: str, staged: Staged, lines: pd.DataFrame,
            when: dt.datetime) -> None:
    rows = [staged.row(line, when) for line in lines.itertuples()]
    cursor = conn.cursor()
    for start in range(0, len(rows), BATCH_ROWS):
        writer.execute(cursor, profile, staged.insert_query, dialect, rows[start:start + BATCH_ROWS])


APPLICATIONS = Staged("ardesk.ardesk_application", "application_keys", "application_insert", "application_id",
                      lambda line, when: {
                          "application_id": line.application_id, "company": line.company,
                          "customer_id": line.customer_id, "credit_doc": line.credit_doc,
                          "invoice_customer_id": line.invoice_customer_id, "invoice_doc": line.invoice_doc,
                          "kind": line.kind, "currency": line.currency, "amount": decimal_text(line.amount_cents),
                          "rule": line.rule, "approver": line.approver, "staged": when})
"""Approved applications, write-offs and short pays (RECONCILE_LINES with an application_id, company, approver)."""


def stage(erp: ErpSettings, lines: pd.DataFrame, when: dt.datetime, command: str = "reconcile apply") -> pd.Series:
    """Stage `lines` (RECONCILE_LINES with an `application_id`, the `company` of its documents and its `approver`)
    for `command`; per line True when this call staged it, False when it was staged before."""
    return stage_once(erp, APPLICATIONS, lines, when, command)
