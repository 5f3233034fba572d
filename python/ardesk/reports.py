"""The report model: everything the aging workbook shows, composed from what was read and what was typed.

One function, `contents`, runs the pure reports of ardesk.ar over the ERP's receivables and lines up what people
typed into the workbook being refreshed with the new rows (book.carry), so the writer only lays it out.
"""
import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd

from ardesk.ar import aging, applications, contacts, coverage, credit, credit_review, disputes, escalation
from ardesk.ar import exception_report, hitlist, matching, meeting, plans, reach, returns, worklist
from ardesk.ar.notes import promises
from ardesk.ar.summary import summarize
from ardesk.book import carry
from ardesk.book.contents import Contents
from ardesk.book.userdata import nothing_typed
from ardesk.erp.fetch import Receivables
from ardesk.settings import Settings


def contents(settings: Settings, found: Receivables, as_of: dt.date, previous: carry.Previous | None = None,
             reconcile: bool = False) -> Contents:
    """Every report of the aging workbook, with what was typed into `previous` (the workbook being refreshed)
    lined up with the new rows. Typed notes count with the ERP's in the reports (latest note, promises, disputes,
    payment plans). With `reconcile`, also the credit matcher's proposals, high-confidence applications approved
    unless someone typed otherwise."""
    reports = settings.reports
    aged = aging.age(found.items, as_of, settings.aging)
    returned = returns.history(found.returned, aged, as_of, settings.returns, settings.erp.company)
    hold = returns.on_hold_sheet(credit.credit_hold(aged, found.customers, as_of, reports), returned,
                                 settings.returns.months)
    notes = _every_note(found, previous.notes if previous else None)
    logged = disputes.log(aged, notes, as_of, settings.notes.departments)
    lines = match_review = None
    if reconcile:
        matches = matching.match(found.items, settings.reconcile, settings.reconcile.parents)
        lines, match_review = applications.lines(matches), matches.review
    grace = settings.notes.grace_days
    review = credit_review.review(aged, found.customers, found.history,
                                  promises(notes[~plans.records_plan(notes)], found.payments, as_of, grace),
                                  found.returned, found.bureau, as_of,
                                  settings.credit)
    if previous:
        typed = carry.carry(previous, aged, hold, as_of, lines, logged, review)
    else:
        typed = nothing_typed(len(aged), len(hold), None if lines is None else len(lines), len(logged), len(review))
    if lines is not None:
        starting = np.where(applications.pre_approved(lines), "Yes", None)
        typed = replace(typed, reconcile=typed.reconcile.assign(Approve=typed.reconcile["Approve"].where(
            typed.reconcile["Approve"].notna(), starting)))
    holding = disputes.holding(logged, typed.disputes["Dispute Status"])
    held = disputes.in_dispute(aged, holding, typed.detail["Disputed"].map(carry.said_yes))
    planned = plans.latest_plans(aged, notes, found.payments, as_of, grace)
    status = contacts.latest_by_customer(notes, as_of)
    people = reach.checked(found.contacts)
    work = worklist.worklist(aged, notes, status, found.payments, found.history, as_of, grace, (held != "").to_numpy(),
                             planned)
    escalated = escalation.candidates(aged, held, notes, found.payments, planned, status, as_of, settings.escalation,
                                      settings.dunning.levels, grace)
    return Contents(
        aged=aged,
        item_notes=contacts.item_notes(aged, notes, status, as_of),
        summary=summarize(aged, found.history, found.applications, as_of, reports, found.closes,
                          coverage.coverage(work, notes, as_of), found.customers),
        exceptions=exception_report.exceptions(aged, as_of, reports),
        credit_hold=hold,
        hit_list=reach.beside(hitlist.hit_list(aged, status, found.customers, as_of, reports.released_shown_days),
                              people),
        meeting=reach.beside(meeting.meeting(aged, status, disputes.by_customer(holding)), people),
        worklist=reach.beside(work, people),
        in_dispute=held,
        disputes=logged,
        plans=planned,
        notes=notes,
        typed=typed,
        customer_ids=tuple(found.customers["customer_id"]),
        erp_total_cents=found.erp_total_cents,
        escalation=escalated,
        placed=escalation.placed_accounts(aged, notes, found.payments, found.write_offs),
        reconcile=lines,
        review=match_review,
        credit_review=review,
        returned=returned,
        returned_months=settings.returns.months,
    )


def _every_note(found: Receivables, typed_notes: pd.DataFrame | None) -> pd.DataFrame:
    """CAPTURED_NOTES: the ERP's, then those typed into the workbook's Notes table (`typed_notes`; None on a first
    build) that the ERP does not hold yet (a pushed note comes back from the ERP with its note ID)."""
    if typed_notes is None:
        return found.notes
    typed_notes = carry.notes_frame(typed_notes, tuple(found.customers["customer_id"]))
    in_erp = set(found.notes["note_id"]) - {""}
    return pd.concat([found.notes, typed_notes[~typed_notes["note_id"].isin(in_erp)]], ignore_index=True)
