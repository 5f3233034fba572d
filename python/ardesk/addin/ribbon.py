"""The AR Desk ribbon's buttons: the one place that pairs each control id with the job it runs.

The ids are those of xladdin/customUI14.xml. Excel and people's Quick Access Toolbars remember a button by its
id, so ids stay fixed while job names may follow the code; the Excel front door binds each job name to its
function in ardesk.jobs.
"""
from ardesk.errors import ArdeskError

ENTRY_POINT = "ardesk.excel.ribbon.run"
"""What the VBA dispatcher (xladdin/ardesk.bas) runs through RunPython, with the pressed button's id."""

JOBS = {
    # ERP
    "settings": "settings",
    "refresh": "refresh",
    # Collect
    "worklist": "worklist",
    "log_note": "log_note",
    "push_notes": "push_notes",
    "disputes": "disputes",
    "payment_plans": "payment_plans",
    # Reconcile
    "match_credits": "match_credits",
    "apply_approved": "apply_approved",
    # Reports
    "exceptions": "exceptions",
    "credit_hold": "credit_hold",
    "hit_list": "hit_lists",
    "meeting": "meeting",
}
"""Control id -> job name."""


def job_for(control_id: str) -> str:
    """The job the button `control_id` runs."""
    try:
        return JOBS[control_id]
    except KeyError:
        raise ArdeskError(
            f"This AR Desk add-in has a button {control_id!r} that ardesk does not know: install the add-in again "
            "with ardesk addin install."
        ) from None
