"""The column contracts passed between layers.

Every reader (an ERP profile, an export file) produces an OPEN_ITEMS frame; ar/ functions take and return
frames named here. Money is integer cents (int64) in columns ending in `_cents`: exact, fast to sum, and
converted to a decimal amount only at the edges (a cell, a JSON number).
"""
import numpy as np
import pandas as pd

from ardesk.vocabulary import CONTACT_TYPES, DISPUTE_REASONS, OUTCOMES, RECORD_TYPES  # noqa: F401 - part of the contracts

DOC_TYPES = ("INV", "CM", "PAY", "DM")
"""Invoice, credit memo, unapplied payment (cash on account), debit memo."""

OPEN_ITEMS = {
    "customer_id": "string",
    "customer_name": "string",
    "doc_no": "string",
    "doc_type": "string",
    "doc_date": "datetime64[s]",
    "due_date": "datetime64[s]",
    "currency": "string",
    "amount_cents": "int64",  # original document amount, document currency
    "balance_cents": "int64",  # open balance, document currency; credits negative
    "base_balance_cents": "int64",  # open balance in the base currency, at the ERP's rate
    "terms": "string",
    "sales_rep": "string",
    "collector": "string",
    "reference": "string",
    "po_number": "string",
    "credit_limit_cents": "int64",  # base currency; 0 means unlimited, as in Epicor
    "company": "string",  # the ERP company the document is in: every write-back about it carries it
}
"""One row per open document."""

OPTIONAL_TEXT = ("terms", "sales_rep", "collector", "reference", "po_number", "company")
"""Columns a source may leave out; they become empty strings."""

AGED = {**OPEN_ITEMS, "days_past_due": "int64", "bucket": "category"}
"""OPEN_ITEMS plus the aging: days past due (negative when not yet due) and the ordered bucket label."""


CUSTOMERS = {
    "customer_id": "string",
    "customer_name": "string",
    "sales_rep": "string",
    "collector": "string",
    "terms": "string",
    "credit_limit_cents": "int64",  # base currency; 0 means unlimited, as in Epicor
    "credit_hold": "bool",  # already on credit hold in the ERP
    "open_orders_cents": "int64",  # open sales orders, base currency
    "credit_hold_date": "datetime64[s]",  # the day the hold was last set or lifted; NaT when never
    "credit_hold_source": "string",  # who set or lifted it last (Epicor: CREDIT, MANUAL; ardesk: ARDESK)
    "credit_review_date": "datetime64[s]",  # the ERP's credit review date: the last review (NaT: never reviewed)
}
"""One row per customer of the ledger (with or without open items): what credit decisions need."""

CONTACTS = {
    "customer_id": "string",
    "customer_name": "string",
    "address": "string",  # the billing address's street line
    "city": "string",
    "state": "string",
    "postal_code": "string",
    "country": "string",
    "contact_name": "string",  # the primary billing contact; "" when the customer has none
    "phone": "string",  # the contact's, else the customer's own
    "email": "string",  # the contact's, else the customer's own; as the ERP holds it, unchecked
    "no_statements": "bool",  # the ERP says the customer takes no statements (a profile without the flag: all take them)
    "tax_id": "string",  # the tax ID on file (EIN, VAT number) as the ERP holds it; "" for none
}
"""How to reach each customer of the ledger: where its letters go, whom to call or write to."""

CREDIT_REVIEW = {
    "customer_id": "string",
    "customer_name": "string",
    "sales_rep": "string",
    "collector": "string",
    "due": "bool",  # a review is due: listed first
    "why_due": "string",  # "Review date passed", "Never reviewed", "Utilisation 95% over 90%" ("; "-joined), or ""
    "balance_cents": "int64",
    "open_orders_cents": "int64",
    "exposure_cents": "int64",  # balance plus open orders
    "credit_limit_cents": "int64",  # 0 = unlimited
    "utilisation": "Float64",  # exposure / limit; <NA> when unlimited
    "monthly_sales_cents": "int64",  # average monthly sales of the last 12 months (invoices and debit memos)
    "days_delinquent": "Int64",  # amount-weighted average days beyond terms over 12 months; <NA>: nothing to weigh
    "delinquency_trend": "Int64",  # the last 3 months' days_delinquent less the 9 months' before (+: paying later)
    "paid_late_share": "Float64",  # of the debts paid in 12 months, the share paid after their due date
    "returned_payments": "int64",  # payments returned in 12 months
    "broken_promises": "int64",  # promises to pay broken in 12 months
    "bureau": "string",  # the bureau of the latest report ("" for none)
    "bureau_score": "Int64",
    "bureau_risk_class": "string",
    "bureau_limit_cents": "Int64",  # the bureau's recommended limit
    "bureau_date": "datetime64[s]",
    "last_review": "datetime64[s]",  # the ERP's credit review date
    "next_review": "datetime64[s]",  # last_review + [credit] review_months; NaT when never reviewed
    "recommended_limit_cents": "int64",  # by the rule of docs/credit.md#credit-review (0: keep unlimited)
    "reasons": "string",  # how the rule came to it, in one line
}
HISTORY = {
    "customer_id": "string",
    "doc_type": "string",  # DOC_TYPES
    "doc_date": "datetime64[s]",
    "due_date": "datetime64[s]",
    "closed_date": "datetime64[s]",  # NaT while the document is open
    "base_amount_cents": "int64",  # original amount in the base currency; credits negative
    "base_balance_cents": "int64",  # open balance today in the base currency; 0 once closed
}
"""Posted documents since a start date (plus every still-open one): sales per period and month-end AR."""

APPLICATIONS = {
    "customer_id": "string",  # of the document applied to
    "doc_date": "datetime64[s]",  # of the document applied to
    "due_date": "datetime64[s]",
    "applied": "datetime64[s]",
    "base_amount_cents": "int64",  # what it took off the document's balance, base currency; credits negative
}
"""What was applied to posted documents after a start date: the month-end AR since then is each document's
balance today plus what was applied to it after the month-end."""

MOVEMENTS = ("Posted", "Applied", "Written off")

PERIOD_ACTIVITY = {
    "customer_id": "string",
    "customer_name": "string",
    "collector": "string",
    "doc_no": "string",
    "doc_type": "string",  # DOC_TYPES of the document posted or applied to
    "movement": "string",  # MOVEMENTS
    "date": "datetime64[s]",
    "base_amount_cents": "int64",  # the effect on the receivables, base currency: a posted credit or cash applied < 0
    "company": "string",
}
"""What moved the receivables in a period: documents posted and applications made (the rollforward's lines)."""

WRITE_OFFS = {
    "customer_id": "string",
    "customer_name": "string",
    "doc_no": "string",
    "doc_date": "datetime64[s]",
    "due_date": "datetime64[s]",
    "date": "datetime64[s]",  # the day it was written off (or recovered)
    "base_amount_cents": "int64",  # what it took off the balance, base currency: a recovery (putting back) < 0
    "reason_code": "string",
    "reason": "string",  # the reason's description
    "company": "string",
}
"""Write-offs and recoveries of a period: the Bad Debt sheet and the historical loss rates."""

RETURNED_PAYMENTS = {
    "customer_id": "string",
    "returned_on": "datetime64[s]",  # the day the bank returned it (the reversal's date)
    "amount_cents": "int64",  # what came back, base currency (positive)
    "reason": "string",  # the reason's description (NSF, stopped, account closed ...)
    "customer_name": "string",
    "reason_code": "string",
    "receipt": "string",  # the receipt that came back (its number in the ERP)
    "reversal": "string",  # the ERP's reversing receipt
    "received_on": "datetime64[s]",  # the original receipt's date
    "check_ref": "string",  # the cheque number or debit reference
    "invoices": "string",  # the invoices it had paid, open again from returned_on: "10234, 10251"
    "company": "string",
}
"""Payments returned unpaid (bounced cheques, rejected debits, stopped payments): one row per receipt reversed."""

RETURN_HISTORY = {
    **RETURNED_PAYMENTS,
    "returns": "int64",  # the customer's returns in the window ([returns] months up to as_of)
    "open_cents": "int64",  # what the invoices it had paid still owe as of the day, base currency
    "fee_cents": "int64",  # the returned-payment fee proposed: a debit memo to raise
    "cash_in_advance": "bool",  # the customer has [returns] cash_in_advance_after returns or more in the window
    "note_id": "string",  # the ID its notice is logged under: one notice per return, ever
}
"""The Returned Payments sheet: each customer's returns of the window, flagged customers first."""

LAST_ACTIVITY = {
    "company": "string",
    "doc_no": "string",
    "last_applied": "datetime64[s]",
}
"""The last day something was applied to each document (documents nothing was applied to are absent)."""

CLOSES = {
    "period_end": "datetime64[s]",
    "closed": "datetime64[s]",  # when `ardesk close` froze it
    "closed_by": "string",
    "opening_cents": "int64",  # base currency, as every figure here
    "closing_cents": "int64",
    "current_cents": "int64",  # of closing, not yet due at period_end
    "over_90_cents": "int64",  # of closing, more than 90 days past due at period_end
    "gl_cents": "Int64",  # the receivables control accounts' balance; <NA> when the close was not tied
    "residual_cents": "Int64",  # what the tie-out left unexplained; <NA> likewise
}
"""The closed periods, one row each, as they were frozen."""

CLOSE_DOCUMENTS = {
    "company": "string",
    "doc_no": "string",
    "customer_id": "string",
    "doc_type": "string",
    "closing_cents": "int64",  # its balance at period end, base currency; 0 when it closed in the period
    "posted_cents": "int64",  # its PERIOD_ACTIVITY, Posted and Applied, summed
    "applied_cents": "int64",
}
"""A period's documents (open at either end or moved in it): what a re-run of the close compares."""


NOTES = {
    "customer_id": "string",
    "doc_no": "string",  # "" when the note is about the account, not one document
    "written": "datetime64[s]",  # when the contact happened (NaT if unknown)
    "contact_type": "string",  # CONTACT_TYPES, RECORD_TYPES, or the ERP's own call type code
    "contact_person": "string",
    "outcome": "string",  # OUTCOMES or ""
    "promise_cents": "Int64",  # promised amount, base currency; <NA> when none
    "promise_date": "datetime64[s]",
    "dispute_reason": "string",  # DISPUTE_REASONS or ""
    "dispute_cents": "Int64",
    "follow_up": "datetime64[s]",
    "text": "string",
    "author": "string",
    "source": "string",  # "ERP" (read back from the ERP) or "Workbook" (typed in the Notes sheet)
}
"""Collection notes, from the ERP and from the workbook's Notes sheet, in one shape."""


ITEM_NOTES = {
    "latest_note": "string",  # "2026-11-20 Call (Reached): text ..." of the document, else of its customer
    "next_follow_up": "datetime64[s]",  # the earliest follow-up on or after the as-of date; NaT if none
    "open_promise": "string",  # the customer's promise to pay still to come, "1,234.56 by 2026-12-01"; "" if none
}
"""Aligned row for row with an AGED frame: what the Detail sheet shows beside each item."""


# --- notes written back to the ERP, promises, payment plans, disputes --------------------------------------

CAPTURED_NOTES = {"note_id": "string", **NOTES}
"""NOTES with each note's idempotency key: a UUID (lower-case text) given when the note is first captured and
never changed, stored beside the ERP's row so that a note is written there exactly once. "" before capture."""

NOTE_STATES = ("Queued", "Invalid", "Pushed", "Discarded")

NOTE_STATUS = {
    "note_id": "string",
    "state": "string",  # NOTE_STATES
    "reason": "string",  # Invalid: what to fix; Queued: why the last push did not send it; Pushed: usually ""
    "pushed": "datetime64[s]",  # when the ERP took the note; NaT until then
    "erp_key": "string",  # the key of the ERP's row, e.g. "EPIC06/42/1001" (company/customer/call); "" until then
}
"""Where each captured note stands: what the workbook shows beside the note after a push."""

PAYMENTS = {
    "customer_id": "string",
    "paid": "datetime64[s]",
    "amount_cents": "int64",  # base currency; refunds negative
}
"""Money received from customers: what keeps promises and payment plans."""

PROMISE_STATES = ("Pending", "Kept", "Broken")

PROMISES = {
    "note_id": "string",
    "customer_id": "string",
    "doc_no": "string",
    "written": "datetime64[s]",  # when the promise was made: payments before it do not count
    "promise_cents": "int64",
    "promise_date": "datetime64[s]",
    "due_by": "datetime64[s]",  # the promise date plus the grace days: the last day a payment keeps it
    "paid_cents": "int64",  # payments counted towards it (each payment counts once, earliest promise first)
    "status": "string",  # PROMISE_STATES: Pending until due_by, then Kept or Broken
}
"""One row per promise to pay (a note with a promised amount and date), indexed like its note."""

INSTALLMENT_STATES = ("Due", "Kept", "Missed")

PLAN = {
    "installment": "int64",  # 1, 2, ...
    "due_date": "datetime64[s]",
    "amount_cents": "int64",  # equal installments; the last one absorbs the rounding
}
"""A payment plan's schedule."""

PLAN_STATUS = {
    **PLAN,
    "paid_cents": "int64",  # payments since the plan began counted towards this installment
    "status": "string",  # INSTALLMENT_STATES
}
"""A payment plan's schedule with each installment kept, missed or still due."""

DISPUTE_STATES = ("Open", "Valid: credit requested", "Invalid: re-billed", "Invalid: collect",
                  "Invalid: uncollectible")
"""Where a dispute stands, as typed on the Disputes sheet (empty reads as Open). Open: being looked into. Valid:
the customer is right and a credit memo is requested. Invalid: the customer owes it after all, re-billed on a new
invoice or collected as it is, or uncollectible (the customer will not pay it): the next close proposes its
invoices for write-off."""
OUT_OF_DUNNING = DISPUTE_STATES[:2]
"""The states that keep a dispute's invoices out of the collector's dunning; Invalid ones go back to it."""

DISPUTES = {
    "customer_id": "string",
    "customer_name": "string",
    "collector": "string",
    "doc_no": "string",  # the invoices disputed, "1001, 1002"; "" when the dispute is about the account
    "reason": "string",  # DISPUTE_REASONS, or "" when the ERP's note gives none
    "department": "string",  # where the reason is routed ([notes] departments)
    "opened": "datetime64[s]",  # the day of the note that opened it; NaT when that note has no date
    "age_days": "int64",  # days from opened to the as-of date (0 when undated)
    "dispute_cents": "Int64",  # the disputed amount the latest note gives, else the named invoices' open balance
    "open_cents": "int64",  # the named invoices' open balance today (the account's, for an account dispute)
    "latest_note": "string",  # the latest note about it, on one line
    "note_id": "string",  # the note that opened it ("" for an ERP call ardesk did not push)
}
"""The dispute log: one row per customer, invoices and reason while an invoice it names is open (an account
dispute while the customer has open items), until a Paid note on the same invoices closes it."""

PLAN_ROWS = {
    "customer_id": "string",
    "customer_name": "string",
    "collector": "string",
    "agreed": "datetime64[s]",  # when the note recording the plan was written
    **PLAN_STATUS,
}
"""The Payment Plans sheet: each customer's latest payment plan, installment by installment."""

EXCEPTIONS = {
    "section": "string",  # the section's title, e.g. "Past due more than 5 days"; rows come grouped by section
    "customer_id": "string",
    "customer_name": "string",
    "collector": "string",
    "sales_rep": "string",
    "doc_no": "string",  # "" on customer-level rows
    "doc_type": "string",  # "" on customer-level rows
    "doc_date": "datetime64[s]",  # NaT on customer-level rows
    "days": "int64",  # customer rows: oldest days past due; credit rows: the credit's age in days
    "items": "int64",  # documents behind the row
    "balance_cents": "int64",  # base currency
}
"""The Exceptions sheet: one section per threshold (sections in settings order, a section may be empty)."""

CREDIT_HOLD = {
    "customer_id": "string",
    "customer_name": "string",
    "sales_rep": "string",
    "collector": "string",
    "status": "string",  # "Recommend hold", "Recommend release" or "On hold" (held in the ERP: never recommended again)
    "reasons": "string",  # every reason, "; "-joined sentences
    "balance_cents": "int64",
    "open_orders_cents": "int64",
    "credit_limit_cents": "int64",  # 0 = unlimited
    "max_days_past_due": "int64",
}
"""The Credit Hold sheet: one row per customer recommended for hold or already on hold."""

HIT_LIST = {
    "sales_rep": "string",
    "customer_id": "string",
    "customer_name": "string",
    "collector": "string",
    # then one int64 cents column per bucket label, in bucket order (named exactly as the label)
    "past_due_cents": "int64",
    "total_cents": "int64",
    "oldest_doc": "string",
    "oldest_days": "int64",
    "last_note_date": "datetime64[s]",
    "last_note": "string",
    "credit_hold": "string",  # "On hold since <day>", "Released <day>" (within [reports] released_shown_days) or ""
}
"""The Hit List: past-due customers, and those on credit hold or lately released, grouped by sales rep (rows
sorted by rep, then past due descending)."""

MEETING = {
    "collector": "string",
    "customer_id": "string",
    "customer_name": "string",
    "past_due_cents": "int64",
    "over_90_cents": "int64",
    "oldest_days": "int64",
    "last_contact": "datetime64[s]",
    "last_outcome": "string",
    "promise_cents": "Int64",
    "promise_date": "datetime64[s]",
    "dispute": "string",  # open dispute reason (and amount) or ""
    "next_step": "string",  # the next follow-up date and what the last note says to do, or ""
}
"""The Past-Due Meeting: per collector, the delinquent accounts and their status."""

WORKLIST = {
    "collector": "string",
    "rank": "int64",  # 1 is the account to work first, within the collector
    "customer_id": "string",
    "customer_name": "string",
    "past_due_cents": "int64",  # past due without the disputed items
    "disputed_cents": "int64",  # past-due items in dispute: out of dunning, listed apart
    "at_risk_cents": "int64",  # the past due no pending promise or kept payment plan covers
    "oldest_days": "int64",
    "days_late": "int64",  # how late the customer pays on average (closed - due, weighted by amount)
    "broken_promises": "int64",
    "missed_installments": "int64",  # installments of the latest payment plan past their day unpaid
    "promise_cents": "Int64",  # the open promise to pay; <NA> when none
    "promise_date": "datetime64[s]",
    "next_follow_up": "datetime64[s]",
    "parked_until": "datetime64[s]",  # nothing due from the collector before this day; NaT when not parked
    "last_contact": "datetime64[s]",
    "why": "string",  # one line: why the account is on the list at this rank
}
"""The collector's worklist: the accounts to work today, in the order a contact is worth most (ardesk.ar.worklist),
parked accounts last."""


# Matching unapplied credits to open invoices (ardesk.ar.matching): what a person approves, one row per
# application, plus the differences it leaves and the credits it could not place. Amounts are positive cents in
# the documents' currency.

MATCH_RULES = ("reference", "amount", "combination", "tolerance", "oldest")
"""Strongest first: what decided an application (see ardesk.ar.matching for each rule)."""
CONFIDENCES = ("high", "medium", "low")
"""high: pre-approved, near-certain; medium: likely, a person approves it; low: a lead, the evidence conflicts."""
REVIEW_REASONS = ("ambiguous", "gave up", "contested", "reference not open", "no match", "left over")
"""Why (part of) a credit was not applied; ardesk.ar.matching says when each is given."""

PROPOSALS = {
    "customer_id": "string",  # the credit's customer
    "credit_doc": "string",
    "credit_type": "string",  # CM or PAY
    "invoice_customer_id": "string",  # the invoice's: another customer only within a parent/child family
    "invoice_doc": "string",
    "currency": "string",
    "amount_cents": "int64",  # applied to the invoice
    "rule": "string",  # MATCH_RULES
    "confidence": "string",  # CONFIDENCES
    "matched": "string",  # the invoices the rule matched as one set, "10234 + 10235"
    "reference": "string",  # the credit's reference text, as the ERP holds it
    "evidence": "string",  # one sentence: why this application, why this confidence
}
"""Proposed applications, grouped by credit (credits by customer, currency, date); invoices in due-date order."""

DIFFERENCES = {
    "customer_id": "string",
    "credit_doc": "string",
    "invoice_customer_id": "string",
    "invoice_doc": "string",
    "currency": "string",
    "amount_cents": "int64",  # what the credit leaves open on the invoice
    "rule": "string",
    "confidence": "string",  # that of the application beside it
    "evidence": "string",
}
"""Write-offs (a shortfall within the tolerance) and short pays (a payment's deduction, to investigate)."""

REVIEW = {
    "customer_id": "string",
    "credit_doc": "string",
    "credit_type": "string",
    "currency": "string",
    "credit_cents": "int64",  # the credit's open amount
    "left_cents": "int64",  # what no proposal applies
    "reason": "string",  # REVIEW_REASONS
    "candidates": "string",  # the invoices or sets that fit, "10234 | 10235 + 10236", or ""
    "reference": "string",
    "evidence": "string",
}
"""Credits, or what is left of them, that a person places by hand: one row per credit, in credit order."""

RECONCILE_LINES = {
    "kind": "string",  # Apply, Write off or Short pay (ardesk.ar.reconcile)
    **PROPOSALS,
}
"""The Reconcile sheet's lines: PROPOSALS, write-offs and short pays (their credit_type, matched and reference
""), each credit's lines together."""

BUREAU_ROWS = {
    "line": "int64",  # the row's line (CSV) or row (XLSX) in the file, as a person finds it
    "tax_id": "string",  # as the bureau writes it; "" when it gives none
    "name": "string",
    "address": "string",  # the street line
    "city": "string",
    "state": "string",
    "postal_code": "string",
    "country": "string",
    "score": "Int64",  # on 0-100, the highest the least risk (the bureau's own scale mapped onto it)
    "risk_class": "string",  # as the bureau writes it
    "recommended_limit_cents": "Int64",  # base currency
    "days_beyond_terms": "Int64",
    "report_date": "datetime64[s]",
    "customer_id": "string",  # the customer a person confirmed on the review list; "" when none was
}
"""One row per report in a bureau's export (`ardesk credit import`): who it is about and what the bureau says."""

BUREAU_MATCHES = {
    "customer_id": "string",  # the customer matched (Matched) or suggested (Review); "" for none
    "confidence": "int64",  # 0-100: 100 for a tax ID or a person's confirmation
    "matched_by": "string",  # "tax ID", "name and address", "confirmed" or ""
    "status": "string",  # MATCH_STATUSES
    "reason": "string",  # why a row is not matched: what a person checks
}
"""How each row of BUREAU_ROWS (same index) was matched to a customer."""

MATCH_STATUSES = ("Matched", "Review", "Not found")
"""Matched: stored; Review: a likely customer a person confirms first; Not found: no customer is like it."""

BUREAU_REPORTS = {
    "customer_id": "string",
    "bureau": "string",  # the NAME of [bureaus.NAME]
    "score": "Int64",  # on 0-100, the highest the least risk
    "risk_class": "string",
    "recommended_limit_cents": "Int64",
    "days_beyond_terms": "Int64",
    "report_date": "datetime64[s]",
}
"""The latest report of each bureau about each customer, as imported into the ERP (fetch.bureau_reports)."""


def empty(contract: dict[str, str]) -> pd.DataFrame:
    """A frame with no rows and the contract's columns and dtypes."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in contract.items()})


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the OPEN_ITEMS columns of `frame` in contract order and dtypes (missing optionals filled)."""
    out = {}
    for name, dtype in OPEN_ITEMS.items():
        if name in frame:
            column = frame[name]
        elif name in OPTIONAL_TEXT:
            column = pd.Series("", index=frame.index)
        elif name == "credit_limit_cents":
            column = pd.Series(0, index=frame.index)
        else:
            raise KeyError(f"open items lack the column {name!r}")
        if dtype == "string":
            column = column.astype("string").fillna("")
        out[name] = column.astype(dtype)
    return pd.DataFrame(out).reset_index(drop=True)


def cents_to_amount(cents) -> np.ndarray:
    """Cents as float amounts for a cell or a JSON number: exact to the cent for any ERP-sized total."""
    return np.asarray(cents, dtype=np.int64) / 100.0
