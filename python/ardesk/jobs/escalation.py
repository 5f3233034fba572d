"""`ardesk escalate CUSTOMER --agency NAME` (or `--attorney NAME`): an account placed with a collection agency or an
attorney, recorded as a collection note in the ERP through the user's notes outbox, once (its note ID is the
company's, the customer's and the agency's: placing it twice, or from two desks at once, logs one note). From then
on the account leaves the collector's worklist and shows on the Placed Accounts sheet (ardesk.ar.escalation)."""
import datetime as dt
import getpass

import pandas as pd

from ardesk import receivables
from ardesk.ar import aging, escalation, notes as note_rules
from ardesk.erp import outbox, writeback
from ardesk.errors import ArdeskError
from ardesk.jobs.notes import push_captured
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings
from ardesk.vocabulary import PLACEMENT


def escalate(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *, customer: str,
             placed_with: str, kind: str, author: str | None = None) -> writeback.PushResult:
    """The placement of `customer` with `placed_with` (`kind`: agency or attorney) logged as a note, with what it
    has past due today; a customer with nothing open is refused in one sentence."""
    if settings.source:
        raise ArdeskError("A placement is a note in the ERP, which an export file cannot take: give --connect or set "
                          "[erp] connect in ardesk.toml.")
    if not placed_with.strip():
        raise ArdeskError("Name the agency or attorney the account goes to: --agency \"Acme Recovery\"; nothing was "
                          "written.")
    items, _total = receivables.open_items(settings, as_of, progress)
    own = aging.age(items[(items["customer_id"] == customer).to_numpy()], as_of, settings.aging)
    if own.empty:
        raise ArdeskError(f"{customer} has nothing open in the ERP as of {as_of}: check the customer ID; nothing was "
                          "placed.")
    late = own["days_past_due"].to_numpy() > 0
    past_due = int(own.loc[late, "base_balance_cents"].sum())
    note = note_rules.logged(
        [escalation.placement_note_id(settings.erp.company, customer, placed_with)], [customer],
        [escalation.placement_text(placed_with.strip(), kind, past_due)],
        written=pd.Timestamp(dt.datetime.now().replace(microsecond=0)), contact_type=PLACEMENT,
        author=author or getpass.getuser(), source="Escalation", contact_person=placed_with.strip())
    return push_captured(note, outbox.default_path(), settings, as_of, progress)
