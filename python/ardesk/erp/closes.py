"""Freezing a closed period in the ERP, beside ardesk's other tables (ardesk_close and ardesk_close_doc).

The closes live in the ERP, not on the accountant's PC, because a close is the company's: the supervisor's
scheduled refresh shows the closed month-ends in its Summary, and a colleague re-running the period is told what
changed since. One transaction freezes the period's row and its documents; the row's primary key (company, period
end) lets two closes at once freeze it once: the second rolls back whole and is told so.
"""
import pandas as pd
import pyodbc

from ardesk.erp import profile as profiles, writer
from ardesk.erp.dialect import render
from ardesk.erp.migrations import require
from ardesk.erp.odbc import collided, connect, dialect_of, translate
from ardesk.money import decimal_text, decimal_texts
from ardesk.settings import ErpSettings

BATCH_ROWS = 5_000


def freeze(erp: ErpSettings, close: dict, documents: pd.DataFrame, *, again: bool = False) -> bool:
    """Freeze one period: `close` holds the CLOSES figures of its row (period_end a date, closed a datetime,
    cents as ints, gl and residual None when not tied), `documents` its CLOSE_DOCUMENTS. `again` replaces what
    an earlier close froze. False when another close froze the period first (nothing was written)."""
    profile = profiles.load(erp.profile)
    end = close["period_end"]
    keys = {"company": erp.company, "period_end": end}
    row = keys | {"closed": close["closed"].replace(microsecond=0), "closed_by": close["closed_by"],
                  **{name: _money(close[f"{column}_cents"]) for name, column in _ROW_MONEY.items()}}
    columns = {"doc_company": documents["company"].tolist(), "doc_no": documents["doc_no"].tolist(),
               "customer_id": documents["customer_id"].tolist(), "doc_type": documents["doc_type"].tolist(),
               **{name: decimal_texts(documents[f"{name}_cents"].to_numpy()) for name in ("closing", "posted",
                                                                                         "applied")}}
    rows = [keys | dict(zip(columns, values)) for values in zip(*columns.values())]
    with connect(erp, autocommit=False) as conn:
        dialect = dialect_of(conn)
        require(conn, "close")
        cursor = conn.cursor()
        try:
            if again:
                for query in ("close_doc_reopen", "close_reopen"):
                    cursor.execute(render(profile.query(query), dialect),
                                   profile.parameters(query, {"company": erp.company, "as_of": end.isoformat()}))
            writer.execute(cursor, profile, "close_insert", dialect, [row])
            for start in range(0, len(rows), BATCH_ROWS):
                writer.execute(cursor, profile, "close_doc_insert", dialect, rows[start:start + BATCH_ROWS])
            conn.commit()
            return True
        except pyodbc.Error as exc:
            conn.rollback()
            if collided(exc):
                return False
            raise translate(exc, erp) from None


_ROW_MONEY = {"opening": "opening", "closing": "closing", "current_amount": "current", "over_90": "over_90",
              "gl_balance": "gl", "residual": "residual"}
"""close_insert.sql's money fields -> the CLOSES columns (without _cents) they carry."""


def _money(cents: int | None) -> str | None:
    return None if cents is None or pd.isna(cents) else decimal_text(int(cents))

