"""Contact coverage: of the accounts that needed contact this month, those with a note dated in it; every count
hand-worked."""
import datetime as dt

import pandas as pd

from ardesk.ar.coverage import COVERAGE, coverage, cycle_start
from ardesk.frames import CAPTURED_NOTES

AS_OF = dt.date(2026, 11, 24)


def test_the_cycle_is_the_calendar_month_up_to_the_as_of_date():
    assert cycle_start(AS_OF) == dt.date(2026, 11, 1)
    assert cycle_start(dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)


def test_accounts_parked_before_the_month_need_no_contact_and_a_note_in_it_counts():
    worklist = pd.DataFrame({
        "collector": ["Ana", "Ana", "Ana", "Ana", "Ana", "Ana", ""],
        "customer_id": ["A1", "A2", "A3", "A4", "A5", "A6", "B1"],
        "parked_until": pd.to_datetime([None, None, "2026-11-28", "2026-12-05", None, None, None]),
    })
    written = {"A1": "2026-11-01 08:00", "A2": "2026-10-31 17:00", "A3": "2026-11-20 09:00", "A4": "2026-10-20 09:00",
               "A5": "2026-11-25 09:00", "A6": None, "Z9": "2026-11-10 09:00"}
    notes = pd.DataFrame({name: pd.Series([None] * len(written)) for name in CAPTURED_NOTES}).assign(
        customer_id=list(written), written=pd.to_datetime(list(written.values()))).astype(CAPTURED_NOTES)
    got = coverage(worklist, notes, AS_OF)
    assert dict(got.dtypes.astype(str)) == COVERAGE
    # Ana: A1 (first day of the month), A2 (the day before it: not contacted), A3 (parked by this month's call),
    # A5 (a note dated after the as-of date), A6 (an undated note); A4, parked by last month's note, needs none
    assert got.to_dict("records") == [{"collector": "Ana", "to_contact": 5, "contacted": 2},
                                      {"collector": "", "to_contact": 1, "contacted": 0}]


def test_an_empty_worklist_has_no_collectors():
    empty = pd.DataFrame({"collector": [], "customer_id": [], "parked_until": pd.to_datetime([])})
    notes = pd.DataFrame({name: pd.Series([], dtype=object) for name in CAPTURED_NOTES}).astype(CAPTURED_NOTES)
    assert coverage(empty, notes, AS_OF).empty
