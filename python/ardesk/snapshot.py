"""The data behind a workbook, kept beside it for the worksheet functions.

Every build or refresh of a workbook also writes its open items and notes, as read, to
`.ardesk/<workbook name>.items.arrow` and `.notes.arrow` in the workbook's folder (Arrow IPC files: a 30,000-item
ledger loads in milliseconds), and removes those of workbooks no longer in the folder. The worksheet functions (worksheet_functions.py) answer from these, so a cell never
queries the ERP, and a workbook refreshed by a supervisor's scheduled job answers on every PC that opens it
from the shared folder.
"""
import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather

from ardesk.errors import ArdeskError
from ardesk.frames import NOTES, OPEN_ITEMS
from ardesk.settings import AgingSettings

FOLDER = ".ardesk"
_META = b"ardesk"


@dataclass(frozen=True)
class Snapshot:
    items: pd.DataFrame
    """OPEN_ITEMS as of `as_of`."""
    notes: pd.DataFrame
    """NOTES: the ERP's and the workbook's."""
    as_of: dt.date
    aging: AgingSettings
    base_currency: str
    customers: tuple[str, ...] = ()
    """Every customer of the ledger, open items or not."""


def paths(workbook: Path) -> tuple[Path, Path]:
    """The items and notes files of `workbook`."""
    folder = Path(workbook).parent / FOLDER
    return folder / f"{Path(workbook).name}.items.arrow", folder / f"{Path(workbook).name}.notes.arrow"


def save(workbook: Path, snapshot: Snapshot) -> None:
    """Write the snapshot of `workbook`, each file atomically (a reader sees the old file or the new one); the
    items file last, as its time is the snapshot's `stamp`."""
    meta = json.dumps({"as_of": snapshot.as_of.isoformat(), "thresholds": list(snapshot.aging.thresholds),
                       "basis": snapshot.aging.basis, "base_currency": snapshot.base_currency,
                       "customers": list(snapshot.customers)}).encode()
    items_path, notes_path = paths(workbook)
    items_path.parent.mkdir(exist_ok=True)
    for path, frame, contract in ((notes_path, snapshot.notes, NOTES), (items_path, snapshot.items, OPEN_ITEMS)):
        table = pa.Table.from_pandas(frame[list(contract)], preserve_index=False).replace_schema_metadata({_META: meta})
        temporary = path.with_name(f"{path.name}.{secrets.token_hex(4)}.tmp")  # two refreshes at once write apart
        try:
            feather.write_feather(table, temporary, compression="uncompressed")
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    _drop_orphans(items_path.parent)


_KINDS = (".items.arrow", ".notes.arrow")


def _drop_orphans(folder: Path) -> None:
    """Remove the snapshots of workbooks no longer beside the folder (renamed, deleted, or written under a new
    name each time by a scheduled refresh), so that the folder holds two files per workbook, however often
    workbooks come and go."""
    for path in folder.iterdir():
        kind = next((k for k in _KINDS if path.name.endswith(k)), None)
        if kind and not (folder.parent / path.name[: -len(kind)]).exists():
            path.unlink(missing_ok=True)


def load(workbook: Path) -> Snapshot:
    """The snapshot of `workbook`; an ArdeskError when the workbook has none (refreshed before ardesk kept them)."""
    items_path, notes_path = paths(workbook)
    try:
        items, notes = feather.read_table(items_path), feather.read_table(notes_path)
    except (FileNotFoundError, pa.ArrowInvalid):
        raise ArdeskError(f"{Path(workbook).name} has no saved data beside it: refresh it once with AR Desk > Refresh "
                          "or ardesk refresh.") from None
    meta = json.loads(items.schema.metadata[_META])
    return Snapshot(
        items=items.to_pandas().astype(OPEN_ITEMS), notes=notes.to_pandas().astype(NOTES),
        as_of=dt.date.fromisoformat(meta["as_of"]),
        aging=AgingSettings(thresholds=tuple(meta["thresholds"]), basis=meta["basis"]),
        base_currency=meta["base_currency"], customers=tuple(meta.get("customers", ())),
    )


def stamp(workbook: Path) -> int:
    """Changes whenever the snapshot is rewritten (the items file's modification time, 0 when missing)."""
    try:
        return paths(workbook)[0].stat().st_mtime_ns
    except FileNotFoundError:
        return 0
