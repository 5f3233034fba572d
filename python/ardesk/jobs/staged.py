"""Approved lines (credit applications, write-offs) into ardesk's staging table: each checked against today's open
items, each staged once, each with its outcome. `reconcile apply` and `writeoffs apply` both end here."""
import datetime as dt

import pandas as pd

from ardesk.ar import applications
from ardesk.erp import staging
from ardesk.settings import Settings


def stage_approved(settings: Settings, lines: pd.DataFrame, items: pd.DataFrame, now: dt.datetime,
                   command: str) -> tuple[pd.Series, pd.DataFrame]:
    """(each of `lines`' status: Staged, Already staged, or Rejected: why; the lines this call staged, with their
    keys and companies). `lines` are RECONCILE_LINES with an approver (amount_cents <NA> where none was read);
    `items` today's OPEN_ITEMS; `command` as typed, for the sentences."""
    reasons = applications.check(lines.fillna({"amount_cents": 0}).astype({"amount_cents": "int64"}), items)
    reasons = reasons.where(lines["amount_cents"].notna(), "the line has no amount")
    ready = lines[(reasons == "").to_numpy()].astype({"amount_cents": "int64"})
    ready = ready.assign(application_id=applications.keys(ready), company=applications.companies(ready, items))
    fresh = staging.stage(settings.erp, ready, now, command)
    status = pd.Series("Rejected: " + reasons, index=lines.index, dtype="string")
    status[ready.index] = fresh.map({True: "Staged", False: "Already staged"}).astype("string")
    return status, ready[fresh.to_numpy()]
