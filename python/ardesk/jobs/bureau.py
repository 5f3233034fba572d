"""`ardesk credit import FILE --bureau NAME`: a credit bureau's reports matched to customers and stored in the ERP,
each once; what is not certain goes to a review list beside the file."""
import datetime as dt
import getpass
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ardesk.ar import bureau_match
from ardesk.erp import bureau as reports, bureau_file, fetch
from ardesk.errors import ArdeskError
from ardesk.handle import WorkbookHandle
from ardesk.progress import QUIET, Progress
from ardesk.settings import Settings


@dataclass(frozen=True)
class Imported:
    """What one import did."""

    bureau: str
    rows: pd.DataFrame
    """BUREAU_ROWS of the file with their BUREAU_MATCHES and `stored`: True when this import stored the report,
    False when the ERP had it already, <NA> for a row not matched."""
    review: Path | None
    """The review list written beside the file (None when every row was matched)."""

    def count(self, status: str) -> int:
        return int((self.rows["status"] == status).sum())

    @property
    def stored(self) -> int:
        return int(self.rows["stored"].fillna(False).sum())


def import_reports(handle: WorkbookHandle | None, settings: Settings, as_of: dt.date, progress: Progress = QUIET, *,
                   source: Path, bureau: str) -> Imported:
    """Read `source` as [bureaus.`bureau`] describes it, match each row to a customer (tax ID, then name and
    address), store the matched reports in the ERP in one transaction (a report stored before is not stored
    again), and list the rows a person must look at in "<file> review.csv" beside it."""
    layout = settings.bureaus.get(bureau)
    if layout is None:
        raise ArdeskError(f"ardesk knows no bureau {bureau!r}: use one of {', '.join(sorted(settings.bureaus))}, or "
                          f"describe its export under [bureaus.{bureau}] in ardesk.toml.")
    if settings.source:
        raise ArdeskError("Bureau reports go to an ERP, not to an export file: give --connect or set [erp] connect "
                          "in ardesk.toml.")
    progress.step(f"Reading {source.name}")
    rows, written = bureau_file.read(source, layout)
    progress.step("Reading the customers from the ERP")
    customers = fetch.contacts(settings.erp)
    progress.step(f"Matching {len(rows):,} reports to {len(customers):,} customers")
    matches = bureau_match.match(rows, customers)
    found = rows.drop(columns="customer_id").join(matches)
    matched = found[found["status"] == "Matched"]
    progress.step("Storing the matched reports in the ERP")
    fresh = reports.store(settings.erp, bureau, matched, source.name, dt.datetime.now(), getpass.getuser())
    stored = pd.Series(pd.NA, index=found.index, dtype="boolean")
    stored[matched.index] = fresh.to_numpy()
    review = None
    if (matches["status"] != "Matched").any():
        review = bureau_file.write_review(source.with_name(f"{source.stem} review.csv"), written, rows, matches)
    return Imported(bureau, found.assign(stored=stored), review)
