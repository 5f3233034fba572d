"""Approved credit limits: staged in the ERP exactly once, each with a collection note saying who approved what."""
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ardesk.ar import credit_limits
from ardesk.book import carry
from ardesk.erp import limits, outbox, writeback
from ardesk.errors import ArdeskError
from ardesk.handle import WorkbookHandle
from ardesk.jobs.notes import push_captured
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings

COMMAND = "credit limits"


@dataclass(frozen=True)
class Limits:
    lines: pd.DataFrame
    """The approved limits (ardesk.ar.credit_limits.LIMIT_LINES) with previous_cents (the ERP's limit before, <NA>
    for a customer the ERP does not have) and `status`: Staged, Already staged, or Rejected: why."""
    pushed: writeback.PushResult | None
    """The push of the limits' notes (None when no limit was staged)."""


def stage_limits(handle: WorkbookHandle, settings: Settings, as_of: dt.date, progress: Progress = QUIET) -> Limits:
    """`ardesk credit limits WORKBOOK`: stage the credit limits approved on the aging workbook's Credit Review sheet
    in the ERP, once each however often it runs (two runs at once stage once), and log a note of each through the
    outbox beside the workbook. The review date is the workbook's as-of date, not `as_of`.

    Every approval is checked against [credit] approvers first: an unknown approver, a row without a limit, or a
    limit over the approver's authority stops the whole run, nothing written. A customer the ERP does not have (in
    [erp] company) is rejected with why, and the others still go."""
    workbook = handle.path
    progress.step(f"Reading the approvals in {workbook.name}")
    typed, reviewed = carry.read_limits(workbook)
    lines = credit_limits.approved(typed, settings.credit.approvers, reviewed, settings.erp.company)
    if settings.source:
        raise ArdeskError("Credit limits go to an ERP, not to an export file: give --connect or set [erp] connect in "
                          "ardesk.toml.")
    progress.step("Reading the ERP's customers")
    known = limits.customers(settings.erp)
    places = known.groupby("customer_id")["company"].agg(list)
    found = lines["customer_id"].map(places)
    reasons = pd.Series([_rejected(customer, companies) for customer, companies in zip(lines["customer_id"], found)],
                        index=lines.index, dtype="string")
    fine = (reasons == "").to_numpy()
    ready = lines[fine].assign(company=[companies[0] for companies in found[fine]])
    previous = ready.merge(known, on=["company", "customer_id"], how="left")["credit_limit_cents"].to_numpy()
    ready = ready.assign(previous_cents=previous)
    now = dt.datetime.now()
    progress.step("Staging the approved limits in the ERP")
    fresh = limits.stage(settings.erp, ready, now, COMMAND)
    status = "Rejected: " + reasons
    status[ready.index] = fresh.map({True: "Staged", False: "Already staged"}).to_numpy()
    pushed = None
    if len(ready):
        notes = credit_limits.notes(ready, ready["previous_cents"], settings.credit.review_months, now)
        pushed = push_captured(notes, outbox.beside(workbook), settings, as_of, progress)
    shown = lines.assign(previous_cents=pd.array([pd.NA] * len(lines), dtype="Int64"), status=status)
    shown.loc[ready.index, "previous_cents"] = ready["previous_cents"].to_numpy()
    return Limits(shown, pushed)


def _rejected(customer: str, companies) -> str:
    """Why a customer's limit cannot be staged ("" when it can): the ERP has no such customer, or has it in
    several companies and [erp] company names none."""
    if not isinstance(companies, list):
        return f"the ERP has no customer {customer}"
    if len(companies) > 1:
        return f"{customer} is a customer of {', '.join(companies)}: set [erp] company to the one meant"
    return ""
