"""The aging printed: the pivot a person reads in the terminal or a script reads as CSV or JSON."""
import datetime as dt

import pandas as pd

from ardesk import receivables
from ardesk.ar import aging
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


def aging_report(handle: None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
                 by: str = "customer") -> pd.DataFrame:
    """`ardesk aging`: the aging pivot in base-currency cents."""
    items, _total = receivables.open_items(settings, as_of, progress)
    progress.step("Aging")
    return aging.pivot(aging.age(items, as_of, settings.aging), by=by)
