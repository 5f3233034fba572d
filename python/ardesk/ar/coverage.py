"""Contact coverage: of the accounts that needed contact this cycle, how many were contacted.

The cycle is the calendar month up to the as-of date (from its first day): the month a supervisor reviews and
the close closes, so the figure starts afresh each month and reads the same for everyone on a given day.

An account needed contact when it is on today's worklist (ardesk.ar.worklist), except one parked by a note
written before the cycle: a follow-up or a promise or plan agreed last month asked nothing of the collector this
month. It was contacted when a note about it (from the ERP or typed into the workbook) is dated in the cycle (a note
recording a decision, RECORD_TYPES, is no contact), so
an account parked by this month's call counts as needed and contacted. Today's worklist, not the month's: an
account paid in full since leaves the figure, whoever got it paid.
"""
import datetime as dt

import numpy as np
import pandas as pd

from ardesk.vocabulary import RECORD_TYPES

COVERAGE = {
    "collector": "string",  # "" for the accounts without one, last
    "to_contact": "int64",
    "contacted": "int64",
}
"""Per collector of the worklist: the accounts that needed contact this cycle and those of them contacted."""


def cycle_start(as_of: dt.date) -> dt.date:
    """The first day of the contact cycle that holds `as_of`."""
    return as_of.replace(day=1)


def coverage(worklist: pd.DataFrame, notes: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """WORKLIST + NOTES -> COVERAGE, collectors in the worklist's order."""
    day = notes["written"].dt.normalize()
    in_cycle = (day >= pd.Timestamp(cycle_start(as_of))).to_numpy() & (day <= pd.Timestamp(as_of)).to_numpy() & \
        ~notes["contact_type"].isin(RECORD_TYPES).to_numpy()
    contacted = worklist["customer_id"].isin(set(notes["customer_id"][in_cycle])).to_numpy()
    needed = worklist["parked_until"].isna().to_numpy() | contacted
    counts = pd.DataFrame({"to_contact": needed, "contacted": needed & contacted}, dtype=np.int64).groupby(
        worklist["collector"].to_numpy(), sort=False).sum()
    return counts.rename_axis("collector").reset_index().astype(COVERAGE)
