"""Credit limits approved on the Credit Review sheet: the lines `ardesk credit limits` stages, each with its
idempotency key, and the collection note that says who approved what.

A credit manager approves a row by typing their name under Approve: the limit typed in Approved Limit, or the
recommended one when that is empty. The name must be one of [credit] approvers and the limit within that approver's
authority, or the whole run stops with nothing staged (approval is the control). A limit of 0 cannot be approved:
0 is no limit in the ERP, the opposite of what a reviewer would mean by it.

The key is the approval itself (company, customer, limit, review date): staging it again, on any day, finds it
staged; a different limit approved later for the same review is a new approval and stages too. The review date is
the as-of date of the workbook it was approved on.
"""
import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping
from decimal import Decimal

import pandas as pd

from ardesk.ar.accounts import amount_text
from ardesk.ar.notes import logged
from ardesk.ar.summary import month_back
from ardesk.ar.write_offs import approver_named
from ardesk.errors import ArdeskError
from ardesk.vocabulary import CREDIT

LIMIT_LINES = {
    "limit_id": "string",  # the idempotency key
    "note_id": "string",  # the key of the note that says who approved what (derived from limit_id)
    "customer_id": "string",
    "customer_name": "string",
    "approver": "string",  # as [credit] approvers names them
    "limit_cents": "int64",  # the approved limit
    "recommended_cents": "Int64",  # what the review recommended
    "review_date": "datetime64[s]",
}
_NOTES = uuid.UUID("8a1d6c62-0f4e-4c1f-9d0b-5e6c2f3a7b41")
"""The namespace of the limits' note IDs."""


def approved(typed: pd.DataFrame, approvers: Mapping[str, Decimal], reviewed: dt.date, company: str) -> pd.DataFrame:
    """The approvals read from the sheet (book.carry.read_limits) as LIMIT_LINES, the review of `reviewed`, keyed
    for [erp] `company`. An approver not in `approvers`, a row with no limit (or 0), or a limit over its approver's
    authority stops it all: ArdeskError, nothing is staged."""
    names, limits = [], []
    for row in typed.itertuples():
        name = approver_named(row.approver, approvers, f"the credit limit of {row.customer_id}", "[credit]")
        limit = row.recommended_cents if pd.isna(row.approved_cents) else row.approved_cents
        if pd.isna(limit) or limit <= 0:
            raise ArdeskError(f"{name} approved a credit limit of {row.customer_id} that is not an amount above 0 "
                              "(0 is no limit in the ERP): type the limit under Approved Limit; nothing was staged.")
        authority = int(approvers[name] * 100)
        if limit > authority:
            raise ArdeskError(f"{name} approved a credit limit of {amount_text(limit)} for {row.customer_id}, over "
                              f"{name}'s authority of {amount_text(authority)}: have someone with a higher authority "
                              "approve it; nothing was staged.")
        names.append(name)
        limits.append(int(limit))
    lines = pd.DataFrame({
        "customer_id": typed["customer_id"], "customer_name": typed["customer_name"], "approver": names,
        "limit_cents": limits, "recommended_cents": typed["recommended_cents"],
        "review_date": pd.Timestamp(reviewed)}).reset_index(drop=True)
    text = company + "\x1f" + lines["customer_id"].astype(str) + "\x1f" + lines["limit_cents"].astype(str) + \
        "\x1f" + reviewed.isoformat()
    lines["limit_id"] = text.map(lambda key: hashlib.sha256(key.encode("utf-8")).hexdigest()[:32])
    lines["note_id"] = lines["limit_id"].map(lambda key: str(uuid.uuid5(_NOTES, key)))
    return lines.astype(LIMIT_LINES)[list(LIMIT_LINES)]


def notes(lines: pd.DataFrame, previous_cents: pd.Series, review_months: int, written: dt.datetime) -> pd.DataFrame:
    """NOTES with their note_id, one per line of LIMIT_LINES: who approved which limit, what it was
    (`previous_cents`, aligned), and when the next review is; written by the approver at `written`."""
    text = [f"Credit limit {amount_text(limit)} approved by {who} (was {amount_text(was) if was else 'no limit'}"
            f"{'' if pd.isna(advised) or advised == limit else f', recommended {amount_text(advised)}'}); "
            f"next review {month_back(day.date(), -review_months):%Y-%m-%d}."
            for limit, who, was, advised, day in zip(lines["limit_cents"], lines["approver"], previous_cents,
                                                     lines["recommended_cents"], lines["review_date"])]
    return logged(lines["note_id"].tolist(), lines["customer_id"].tolist(), text,
                  written=pd.Timestamp(written.replace(microsecond=0)), contact_type=CREDIT,
                  author=lines["approver"].tolist(), source="Credit Review")
