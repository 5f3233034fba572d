"""Write-off proposals of a close, and the approvals that may go to the ERP.

Proposed from the month-end's open debts (invoices and debit memos with a balance): balances so small that
collecting them costs more than they are worth, items nothing was applied to for longer than the accountant
still hopes for, and the invoices of disputes marked Invalid: uncollectible on the aging workbook. A person approves each by typing their name; `ardesk writeoffs apply` stages the approved ones.
Approvers and their limits are settings: a name that is not among them, or an item larger than the approver may
approve, stops the whole apply before anything is written (approval is the control, not a formality).
"""
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import numpy as np
import pandas as pd

from ardesk.ar.accounts import DEBITS, amount_text, shaped
from ardesk.ar.applications import WRITE_OFF
from ardesk.ar.notes import invoices_of, spelled
from ardesk.errors import ArdeskError
from ardesk.frames import DISPUTE_STATES
from ardesk.settings import WriteOffSettings

UNCOLLECTIBLE = DISPUTE_STATES[-1]
"""The dispute state that proposes the dispute's invoices for write-off."""

PROPOSALS = {
    "customer_id": "string",
    "customer_name": "string",
    "collector": "string",
    "doc_no": "string",
    "doc_type": "string",
    "doc_date": "datetime64[s]",
    "due_date": "datetime64[s]",
    "last_activity": "datetime64[s]",  # the last application to it, or its date when there was none
    "idle_days": "int64",  # days from last_activity to the month-end
    "currency": "string",
    "balance_cents": "int64",  # document currency: what the write-off takes off
    "base_balance_cents": "int64",  # base currency: what the approval limits are in
    "reason_code": "string",  # the ERP's reason code it would be written off with
    "why": "string",
    "company": "string",
}
"""One row per proposed write-off, the customers in order, each one's oldest first."""


def uncollectible(disputes: pd.DataFrame) -> pd.DataFrame:
    """The invoices of the disputes typed Invalid: uncollectible on an aging workbook's Disputes sheet (`disputes`:
    its typed rows, book.carry.Previous.disputes), one row each: customer_id, doc_no and the dispute's reason."""
    state = pd.Series(spelled(disputes["Dispute Status"].map(_text).tolist(), DISPUTE_STATES), dtype="string")
    marked = disputes[(state == UNCOLLECTIBLE).to_numpy()]
    rows = [(customer, doc, reason or "Disputed") for customer, docs, reason in
            zip(marked["Customer ID"].map(_text), marked["Invoice"].map(_text), marked["Reason"].map(_text))
            for doc in invoices_of(docs)]
    return pd.DataFrame(rows, columns=["customer_id", "doc_no", "reason"], dtype="string")


def proposals(items: pd.DataFrame, last_activity: pd.DataFrame, end: dt.date, settings: WriteOffSettings,
              disputed: pd.DataFrame | None = None) -> pd.DataFrame:
    """PROPOSALS among the OPEN_ITEMS of the month-end `end`, LAST_ACTIVITY giving what was applied when, and
    `disputed` (see `uncollectible`) the invoices of disputes marked uncollectible."""
    debts = items[items["doc_type"].isin(DEBITS) & (items["base_balance_cents"] > 0)]
    applied = debts[["company", "doc_no"]].merge(last_activity, how="left", on=["company", "doc_no"])["last_applied"]
    last = pd.Series(applied.to_numpy(), index=debts.index, dtype="datetime64[s]")
    last = last.where(last > debts["doc_date"], debts["doc_date"])
    idle = (pd.Timestamp(end) - last).dt.days.astype(np.int64)
    small = (debts["base_balance_cents"] <= settings.small_balance_cents).to_numpy()
    stale = (idle > settings.inactive_days).to_numpy()
    dispute = np.full(len(debts), "", dtype=object)
    if disputed is not None and len(disputed):
        reasons = dict(zip(zip(disputed["customer_id"], disputed["doc_no"]), disputed["reason"]))
        dispute[:] = [reasons.get(key, "") for key in zip(debts["customer_id"], debts["doc_no"])]
    kept = small | stale | (dispute != "")
    chosen = debts.assign(last_activity=last, idle_days=idle)[kept]
    small, stale, dispute = small[kept], stale[kept], dispute[kept]
    limit = amount_text(settings.small_balance_cents)
    why = [" and ".join(([f"balance at most {limit}"] if s else []) + ([f"nothing applied for {d} days"] if i else [])
                        + ([f"dispute ({r}) marked {UNCOLLECTIBLE}"] if r else []))
           for s, i, d, r in zip(small, stale, chosen["idle_days"], dispute)]
    chosen = chosen.assign(reason_code=np.where(small, settings.small_reason, settings.inactive_reason), why=why)
    chosen = chosen.sort_values(["customer_id", "doc_date", "doc_no"], kind="stable")
    return shaped(chosen, PROPOSALS)


def approved(typed: pd.DataFrame, limits: Mapping[str, Decimal]) -> pd.DataFrame:
    """The write-offs approved on the sheet (book.carry.read_write_offs) as lines for the staging table
    (RECONCILE_LINES' columns, kind Write off, the reason code as the rule) with their approver, named as in
    `limits` (approver -> the most they may approve). An approver not in `limits`, or a write-off over the
    approver's limit, stops it all: ArdeskError, nothing is staged."""
    names = []
    for line in typed.itertuples():
        name = approver_named(line.approver, limits, f"the write-off of {line.doc_no}", "[writeoffs]")
        limit = int(limits[name] * 100)
        amount = line.base_balance_cents
        if not pd.isna(amount) and amount > limit:  # a line without an amount is rejected on its own
            raise ArdeskError(f"{name} approved the write-off of {line.doc_no} for {amount_text(amount)}, over {name}'s "
                              f"limit of {amount_text(limit)}: have someone with a higher limit approve it; nothing "
                              "was staged.")
        names.append(name)
    return pd.DataFrame({
        "kind": WRITE_OFF, "customer_id": typed["customer_id"], "credit_doc": "",
        "invoice_customer_id": typed["customer_id"], "invoice_doc": typed["doc_no"], "currency": typed["currency"],
        "amount_cents": typed["balance_cents"], "rule": typed["reason_code"], "approver": names,
    }).astype({"kind": "string", "credit_doc": "string", "approver": "string"}).reset_index(drop=True)


def approver_named(typed: str, limits: Mapping[str, Decimal], approved: str, section: str) -> str:
    """The approver of `limits` (name -> the most they may approve; the `section` of ardesk.toml) that `typed`
    names, whatever its case and spacing. Naming none stops the whole run: the sentence says who approved what
    (`approved`, "the write-off of 1001") and that nothing was staged."""
    name = {_fold(name): name for name in limits}.get(_fold(typed))
    if name is None:
        known = ", ".join(limits) or "none is set"
        raise ArdeskError(f"{typed} approved {approved} but is not an approver in {section} approvers ({known}): "
                          "have an approver approve it; nothing was staged.")
    return name


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _fold(name) -> str:
    return " ".join(str(name).split()).casefold()
