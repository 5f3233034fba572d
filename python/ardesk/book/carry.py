"""Carrying what people typed across a refresh: read it from the old workbook, put it on the new rows.

`ardesk refresh` calls `read_typed` on the workbook before rewriting it, `carry` to line the typed values up
with the fresh ERP data, and `notes_frame` to turn the typed notes into NOTES for the reports.

- Columns are found by header (case and spaces ignored), never by position: people move columns. A header
  row is looked for near the top, so a sheet may have titles above its table. A renamed user column is not
  recognised; a sheet that still has user columns but lost a key column is refused, as its values could not
  be matched.
- Cells come back as typed: text, numbers, dates, booleans; a formula as its text ("=B2*2"), never a stale
  cached result; blank text as None.
- Keys compare as text ("123" and the number 123 are the same document). A Detail row follows its
  (Customer ID, Document); when that pair is gone but the document number names exactly one row of the new
  data (and one gone row), the document moved to another customer ID and its values follow it, since ERP
  invoice numbers are unique within a company. Credit Hold rows follow their Customer ID.
- Nothing is dropped: a typed row whose key left the data goes to the Archive, as does a second, different
  row typed under the same key; every Notes and Archive row stays unless it is completely empty.
- What left comes back: a Detail row archived when its document closed is taken out of the Archive onto the
  document's row when the document is open again (a payment reversed), the latest archived first, unless
  something is typed on that row already.
"""
import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ardesk.book.detail import SHEET as DETAIL_SHEET
from ardesk.book.lists import CREDIT_HOLD_SHEET
from ardesk.book.settings_sheet import config_of
from ardesk.book.userdata import (
    ALLOWANCE_KEY, ALLOWANCE_SHEET, ALLOWANCE_USER, ARCHIVE_LEAD, ARCHIVE_SHEET, CREDIT_REVIEW_SHEET, DETAIL_KEY,
    DETAIL_USER, DISPUTE_KEY, DISPUTE_USER, DISPUTES_SHEET, DUNNING_KEY, DUNNING_SHEET, DUNNING_USER, HOLD_KEY,
    HOLD_USER, NOTES_COLUMNS, NOTES_SHEET, RECONCILE_KEY, RECONCILE_SHEET, RECONCILE_USER, REVIEW_KEY, REVIEW_USER,
    WRITE_OFF_KEY, WRITE_OFF_USER, WRITE_OFFS_SHEET, Typed, archive_headers, blank,
)
from ardesk.errors import ArdeskError
from ardesk.frames import CAPTURED_NOTES, CONTACT_TYPES, DISPUTE_REASONS, OUTCOMES
from ardesk.money import cents_from_decimal
from ardesk.xlsx.reading import SavedWorkbook, opened

_NAME = ARCHIVE_LEAD[-1]
"""Customer Name: kept beside a typed row so the Archive can show whose it was."""
DETAIL_LEAD = (*DETAIL_KEY, _NAME)
HOLD_LEAD = (*HOLD_KEY, _NAME)
REVIEW_LEAD = (*REVIEW_KEY, _NAME)
DISPUTE_LEAD = (*DISPUTE_KEY, _NAME)
_DETAIL_TYPED = tuple(c.header for c in DETAIL_USER)
_HOLD_TYPED = tuple(c.header for c in HOLD_USER)
_REVIEW_TYPED = tuple(c.header for c in REVIEW_USER)
_RECONCILE_TYPED = tuple(c.header for c in RECONCILE_USER)
_DISPUTE_TYPED = tuple(c.header for c in DISPUTE_USER)
_NOTES = tuple(c.header for c in NOTES_COLUMNS)
SEARCH_ROWS = 30
"""How far down a sheet its header row is looked for."""
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d*)?")
"""An amount typed as text with thousands separators ("1,234.50"); other commas are not guessed at."""
_INT64 = 2**63
SHOWN = "open_items"
"""The workbook setting that says how many open items it showed (pipeline writes it)."""


@dataclass(frozen=True)
class Previous:
    """What was typed into the old workbook. Cells as read (see the module's notes), None where empty."""

    detail: pd.DataFrame
    """DETAIL_LEAD then the DETAIL_USER headers: each Detail row with something typed (keys as text)."""
    hold: pd.DataFrame
    """HOLD_LEAD then the HOLD_USER headers: each Credit Hold row with something typed (key as text)."""
    notes: pd.DataFrame
    """NOTES_COLUMNS headers: every Notes row that is not empty, typed below the table too."""
    archive: pd.DataFrame
    """archive_headers(): every Archive row that is not empty."""
    reconcile: pd.DataFrame
    """RECONCILE_KEY then RECONCILE_USER headers: each Reconcile line with an approval typed (keys as text)."""
    disputes: pd.DataFrame
    """DISPUTE_LEAD then the DISPUTE_USER headers: each dispute with something typed (keys as text)."""
    shown_items: int = 0
    """How many open items the workbook showed: its SHOWN setting, or for a workbook written before it kept one,
    its Detail rows with something typed."""
    credit_review: pd.DataFrame = field(default_factory=lambda: blank((*REVIEW_LEAD, *_REVIEW_TYPED), 0))
    """REVIEW_LEAD then the REVIEW_USER headers: each Credit Review row with something typed (key as text)."""


def read_typed(path: str | Path) -> Previous:
    """The typed values of the workbook at `path`; a workbook without these sheets or columns (one written
    before they existed) reads as nothing typed."""
    with opened(path) as book:
        def read(sheet, keys, lead, typed):
            return _read_sheet(book, sheet, f"The {sheet} sheet of {Path(path).name}", keys, lead, typed)

        detail = read(DETAIL_SHEET, DETAIL_KEY, DETAIL_LEAD, _DETAIL_TYPED)
        hold = read(CREDIT_HOLD_SHEET, HOLD_KEY, HOLD_LEAD, _HOLD_TYPED)
        notes = read(NOTES_SHEET, (), (), _NOTES)
        archive = read(ARCHIVE_SHEET, (), (), archive_headers())
        reconcile = read(RECONCILE_SHEET, RECONCILE_KEY, RECONCILE_KEY, _RECONCILE_TYPED)
        disputes = read(DISPUTES_SHEET, DISPUTE_KEY, DISPUTE_LEAD, _DISPUTE_TYPED)
        review = read(CREDIT_REVIEW_SHEET, REVIEW_KEY, REVIEW_LEAD, _REVIEW_TYPED)
        shown = _shown(book, path, len(detail))
    for frame, keys in ((detail, DETAIL_KEY), (hold, HOLD_KEY), (reconcile, RECONCILE_KEY), (disputes, DISPUTE_KEY),
                        (review, REVIEW_KEY)):
        for key in keys:
            frame[key] = frame[key].map(_as_text).astype(object)
    return Previous(detail, hold, notes, archive, reconcile, disputes, shown, review)


def _shown(book: SavedWorkbook, path: str | Path, typed_rows: int) -> int:
    """The workbook's SHOWN setting; `typed_rows` when it has none (written before ardesk kept it, or without
    ardesk's settings sheet) or it is not a whole number. Read from the workbook already open."""
    try:
        shown = config_of(book, path).get(SHOWN, "")
    except ArdeskError:
        shown = ""
    return int(shown) if shown.isdigit() else typed_rows


_APPROVED_LEAD = (*RECONCILE_KEY, "Invoice Customer", "Currency", "Amount", "Rule")


def read_approved(path: str | Path) -> pd.DataFrame:
    """The Reconcile lines approved in the workbook at `path` (Approve said Yes), as RECONCILE_LINES columns
    (kind, customer_id, credit_doc, invoice_customer_id, invoice_doc, currency, amount_cents, rule); a workbook
    without a Reconcile sheet is refused (nothing was proposed there to approve)."""
    with opened(path) as book:
        if RECONCILE_SHEET not in book.sheetnames:
            raise ArdeskError(f"{Path(path).name} has no {RECONCILE_SHEET} sheet: run ardesk reconcile --workbook "
                              f"{Path(path).name} to propose applications, approve lines there, then apply.")
        rows = _read_sheet(book, RECONCILE_SHEET, f"The {RECONCILE_SHEET} sheet of {Path(path).name}", RECONCILE_KEY,
                           _APPROVED_LEAD, _RECONCILE_TYPED)
    approved = rows[rows["Approve"].map(said_yes).to_numpy(bool)]
    return pd.DataFrame({
        "kind": approved["Kind"].map(_as_text), "customer_id": approved["Customer ID"].map(_as_text),
        "credit_doc": approved["Credit"].map(_as_text), "invoice_customer_id": approved["Invoice Customer"].map(_as_text),
        "invoice_doc": approved["Invoice"].map(_as_text), "currency": approved["Currency"].map(_as_text),
        "amount_cents": approved["Amount"].map(_cents), "rule": approved["Rule"].map(_as_text),
    }).astype({"amount_cents": "Int64"}).reset_index(drop=True)


def read_dunning(path: str | Path) -> pd.DataFrame:
    """The letters approved or declined on the Dunning sheet of the workbook at `path`: customer_id, level (int)
    and approve (bool), one row per letter with an Approve typed; none when the file or the sheet is missing."""
    typed = tuple(c.header for c in DUNNING_USER)
    rows = pd.DataFrame(columns=[*DUNNING_KEY, *typed])
    if Path(path).exists():
        with opened(path) as book:
            rows = _read_sheet(book, DUNNING_SHEET, f"The {DUNNING_SHEET} sheet of {Path(path).name}", DUNNING_KEY,
                               DUNNING_KEY, typed)
    return pd.DataFrame({"customer_id": rows["Customer ID"].map(_as_text).astype("string"),
                         "level": pd.to_numeric(rows["Level"], errors="coerce").fillna(0).astype("int64"),
                         "approve": rows["Approve"].map(said_yes).astype(bool)})


def read_holds(path: str | Path) -> pd.DataFrame:
    """The holds and releases approved on the Credit Hold sheet of the aging workbook at `path` (Approve Hold
    Yes): customer_id, status as the sheet showed it, and comment. A workbook without the sheet is refused."""
    with opened(path) as book:
        if CREDIT_HOLD_SHEET not in book.sheetnames:
            raise ArdeskError(f"{Path(path).name} has no {CREDIT_HOLD_SHEET} sheet: refresh it with ardesk refresh "
                              "to see the recommendations, approve them there, then apply.")
        rows = _read_sheet(book, CREDIT_HOLD_SHEET, f"The {CREDIT_HOLD_SHEET} sheet of {Path(path).name}", HOLD_KEY,
                           (*HOLD_KEY, "Status"), _HOLD_TYPED)
    approve, comment = _HOLD_TYPED
    rows = rows[rows[approve].map(said_yes).astype(bool)]
    return pd.DataFrame({"customer_id": rows["Customer ID"].map(_as_text), "status": rows["Status"].map(_as_text),
                         "comment": rows[comment].map(_as_text)}, dtype="string").reset_index(drop=True)


_ALLOWANCE_TYPED = tuple(c.header for c in ALLOWANCE_USER)
_WRITE_OFF_TYPED = tuple(c.header for c in WRITE_OFF_USER)


@dataclass(frozen=True)
class MonthEndTyped:
    """What was typed into a Month-End workbook, to be written again when the close is run again onto it."""

    reserves: pd.DataFrame
    """customer_id, specific_cents (Int64) and note: each specific reserve typed on the Allowance sheet."""
    approvals: pd.DataFrame
    """WRITE_OFF_KEY then the WRITE_OFF_USER headers: each proposed write-off with a name typed (keys as text)."""

    def approvers(self, proposals: pd.DataFrame) -> pd.Series:
        """The name typed beside each of `proposals` (ar.write_offs.PROPOSALS), None where none is: an approval
        whose item is no longer proposed is dropped (it was paid, or the ERP changed it)."""
        aligned, _gone = _match(self.approvals, WRITE_OFF_KEY, _WRITE_OFF_TYPED,
                                _keys(proposals, ("customer_id", "doc_no")), by_document=False)
        return aligned[_WRITE_OFF_TYPED[0]].map(lambda name: None if name is None else _as_text(name))


def read_month_end(path: str | Path) -> MonthEndTyped:
    """The typed values of the Month-End workbook at `path`: nothing typed when there is no file yet or it has none
    of these sheets (one written before they existed). A specific reserve that is not an amount is refused."""
    reserves = blank(("customer_id", "specific_cents", "note"), 0)
    approvals = blank((*WRITE_OFF_KEY, *_WRITE_OFF_TYPED), 0)
    if Path(path).exists():
        with opened(path) as book:
            where = f"The {ALLOWANCE_SHEET} sheet of {Path(path).name}"
            typed = _read_sheet(book, ALLOWANCE_SHEET, where, ALLOWANCE_KEY, ALLOWANCE_KEY, _ALLOWANCE_TYPED)
            approvals = _read_sheet(book, WRITE_OFFS_SHEET, f"The {WRITE_OFFS_SHEET} sheet of {Path(path).name}",
                                    WRITE_OFF_KEY, WRITE_OFF_KEY, _WRITE_OFF_TYPED)
        reserves = _reserves(typed, where)
    for key in WRITE_OFF_KEY:
        approvals[key] = approvals[key].map(_as_text).astype(object)
    return MonthEndTyped(reserves, approvals)


_WRITE_OFF_LEAD = (*WRITE_OFF_KEY, "Currency", "Balance", "Base Balance", "Reason Code")


def read_write_offs(path: str | Path) -> pd.DataFrame:
    """The write-offs approved on the Write-Offs sheet of the Month-End workbook at `path` (a name typed under
    Approve): approver, customer_id, doc_no, currency, balance_cents and base_balance_cents (Int64, <NA> where the
    cell is not an amount) and reason_code. A workbook without the sheet is refused (nothing was proposed)."""
    with opened(path) as book:
        if WRITE_OFFS_SHEET not in book.sheetnames:
            raise ArdeskError(f"{Path(path).name} has no {WRITE_OFFS_SHEET} sheet: run ardesk close --period YYYY-MM "
                              "onto it to propose write-offs, approve them there, then apply.")
        rows = _read_sheet(book, WRITE_OFFS_SHEET, f"The {WRITE_OFFS_SHEET} sheet of {Path(path).name}",
                           WRITE_OFF_KEY, _WRITE_OFF_LEAD, _WRITE_OFF_TYPED)
    return pd.DataFrame({
        "approver": rows["Approve"].map(_as_text), "customer_id": rows["Customer ID"].map(_as_text),
        "doc_no": rows["Document"].map(_as_text), "currency": rows["Currency"].map(_as_text),
        "balance_cents": rows["Balance"].map(_cents), "base_balance_cents": rows["Base Balance"].map(_cents),
        "reason_code": rows["Reason Code"].map(_as_text),
    }).astype({"approver": "string", "customer_id": "string", "doc_no": "string", "currency": "string",
               "balance_cents": "Int64", "base_balance_cents": "Int64", "reason_code": "string"})


_REVIEW_READ = (*REVIEW_LEAD, "Credit Limit", "Recommended Limit", *_REVIEW_TYPED[1:])


def read_limits(path: str | Path) -> tuple[pd.DataFrame, dt.date]:
    """(The limits approved on the Credit Review sheet of the aging workbook at `path` (a name typed under Approve),
    the workbook's as-of date). Each limit: approver, customer_id, customer_name, and credit_limit_cents,
    recommended_cents and approved_cents as the sheet shows them (Int64, <NA> where the cell is empty or not an
    amount). A workbook without the sheet is refused."""
    with opened(path) as book:
        if CREDIT_REVIEW_SHEET not in book.sheetnames:
            raise ArdeskError(f"{Path(path).name} has no {CREDIT_REVIEW_SHEET} sheet: run ardesk refresh "
                              f"{Path(path).name} to review the customers' credit, approve limits there, then stage.")
        rows = _read_sheet(book, CREDIT_REVIEW_SHEET, f"The {CREDIT_REVIEW_SHEET} sheet of {Path(path).name}",
                           REVIEW_KEY, _REVIEW_READ, _REVIEW_TYPED[:1])
        as_of = dt.date.fromisoformat(config_of(book, path)["as_of"])
    return pd.DataFrame({
        "approver": rows["Approve"].map(_as_text), "customer_id": rows["Customer ID"].map(_as_text),
        "customer_name": rows[_NAME].map(_as_text), "credit_limit_cents": rows["Credit Limit"].map(_cents),
        "recommended_cents": rows["Recommended Limit"].map(_cents),
        "approved_cents": rows["Approved Limit"].map(_cents),
    }).astype({"approver": "string", "customer_id": "string", "customer_name": "string",
               "credit_limit_cents": "Int64", "recommended_cents": "Int64", "approved_cents": "Int64"}), as_of


def _reserves(typed: pd.DataFrame, where: str) -> pd.DataFrame:
    """The typed Allowance rows as specific reserves, one per customer (the first typed); a note alone is kept
    with no reserve."""
    amount, note = _ALLOWANCE_TYPED
    customers = typed[ALLOWANCE_KEY[0]].map(_as_text)
    cents = []
    for customer, value in zip(customers, typed[amount]):
        given = None if value is None else _cents(value)
        if value is not None and (given is None or given < 0):
            raise ArdeskError(f"{where} has {value!r} as the specific reserve of {customer}, which is not an amount "
                              "of 0 or more: type an amount there or clear it, then close again.")
        cents.append(given)
    frame = pd.DataFrame({"customer_id": customers, "specific_cents": pd.array(cents, dtype="Int64"),
                          "note": typed[note].map(_as_text)}, index=typed.index)
    return frame[frame["customer_id"] != ""].drop_duplicates("customer_id").reset_index(drop=True)


def _read_sheet(book: SavedWorkbook, sheet: str, where: str, keys: tuple[str, ...], lead: tuple[str, ...],
                typed: tuple[str, ...]) -> pd.DataFrame:
    """The `lead` and `typed` columns of the rows under the sheet's header row that have a `typed` value."""
    headers = lead + typed
    records = []
    if sheet in book.sheetnames:
        with book.cells(sheet) as cells:
            found = _header(cells.rows(limit=SEARCH_ROWS), where, keys, headers, typed)
            picks = [found.get(h) for h in headers]
            wanted = {found[h] for h in typed if h in found}
            for _, row in cells.rows(columns=set(found.values()), having=wanted) if wanted else ():
                values = [_typed(row.get(column)) for column in picks]
                if any(v is not None for v in values[len(lead):]):
                    records.append(values)
    return pd.DataFrame(records, columns=list(headers), dtype=object)


def _header(rows: Iterable[tuple[int, dict[int, object]]], where: str, keys: tuple[str, ...],
            headers: tuple[str, ...], typed: tuple[str, ...]) -> dict[str, int]:
    """Header -> column, from the first of `rows` holding every key header (and some header); {} when none."""
    wanted = {_fold(h): h for h in headers}
    lost = None
    for _, row in rows:
        found = {}
        for column, value in row.items():
            header = wanted.get(_fold(value)) if isinstance(value, str) else None
            if header is not None:
                found.setdefault(header, column)
        missing = [k for k in keys if k not in found]
        if found and not missing:
            return found
        if lost is None and missing and any(h in found for h in typed):
            lost = missing[0]
    if lost is not None:
        raise ArdeskError(f"{where} has lost its {lost!r} column, so what was typed there cannot be matched to "
                          "the new data: put the column back in the workbook and refresh again.")
    return {}


def said_yes(value) -> bool:
    """A typed Yes/No cell read as a flag: Yes (any case or spacing), or TRUE typed as a boolean."""
    return value is True or (isinstance(value, str) and _fold(value) == "yes")


def _typed(value):
    """A cell's value as typed, blank text as None."""
    return None if isinstance(value, str) and not value.strip() else value


def _fold(text: str) -> str:
    """Text compared without regard to case or spaces (headers, choices, customer IDs)."""
    return "".join(text.split()).casefold()


def _as_text(value) -> str:
    """A cell as the text it shows: a whole number without ".0", a date as ISO, "" when empty. Text is looked
    for first: it is what nearly every key holds (the Detail's 55,000 a refresh)."""
    if isinstance(value, str):
        return str(value).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def carry(previous: Previous, aged: pd.DataFrame, credit_hold: pd.DataFrame, as_of: dt.date,
          reconcile: pd.DataFrame | None = None, disputes: pd.DataFrame | None = None,
          review: pd.DataFrame | None = None) -> Typed:
    """The typed values for a workbook of `aged` (AGED), `credit_hold` (CREDIT_HOLD), `disputes` (DISPUTES; None:
    none), `review` (CREDIT_REVIEW; None: none) and, when it has a Reconcile sheet, `reconcile` (RECONCILE_LINES), as
    of `as_of`. A dispute that left the log (its invoices closed) takes what was typed about it to the Archive, as
    does a Credit Review row whose customer left the ERP.

    An approval whose line is no longer proposed is dropped, not archived: the credit or the invoice changed
    in the ERP, and an approval of the old proposal must not carry over to anything else."""
    items = _keys(aged, ("customer_id", "doc_no"))
    holds = _keys(credit_hold, ("customer_id",))
    detail, gone_items = _match(previous.detail, DETAIL_KEY, _DETAIL_TYPED, items, by_document=True)
    detail, kept_archive = _restored(detail, items, previous.archive)
    hold, gone_holds = _match(previous.hold, HOLD_KEY, _HOLD_TYPED, holds, by_document=False)
    logged = [] if disputes is None else _keys(disputes, ("customer_id", "doc_no", "reason"))
    worked, gone_disputes = _match(previous.disputes, DISPUTE_KEY, _DISPUTE_TYPED, logged, by_document=False)
    reviewed = [] if review is None else _keys(review, ("customer_id",))
    approved, gone_reviews = _match(previous.credit_review, REVIEW_KEY, _REVIEW_TYPED, reviewed, by_document=False)
    archived_on = dt.datetime.combine(as_of, dt.time())
    archive = _stack([
        kept_archive,
        _archived(gone_items, DETAIL_SHEET, archived_on),
        _archived(gone_holds.assign(Document=""), CREDIT_HOLD_SHEET, archived_on),
        _archived(gone_disputes.assign(Document=gone_disputes["Invoice"]), DISPUTES_SHEET, archived_on),
        _archived(gone_reviews.assign(Document=""), CREDIT_REVIEW_SHEET, archived_on),
    ])
    approvals = None
    if reconcile is not None:
        lines = _keys(reconcile, ("customer_id", "credit_doc", "invoice_doc", "kind"))
        approvals, _ = _match(previous.reconcile, RECONCILE_KEY, _RECONCILE_TYPED, lines, by_document=False)
    return Typed(detail=detail, hold=hold, notes=previous.notes, archive=archive, reconcile=approvals,
                 disputes=worked, credit_review=approved)


def _keys(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Each row's `columns` as text (_as_text), read through lists: iterating a pyarrow-backed column value by
    value costs twice as much (27,522 Detail keys: 17 ms a column)."""
    return list(zip(*([_as_text(v) for v in frame[c].tolist()] for c in columns)))


def _match(old: pd.DataFrame, keys: tuple[str, ...], typed: tuple[str, ...], new: list[tuple[str, ...]],
           by_document: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`typed` values aligned with the `new` keys, the old rows that found no place)."""
    old = old.drop_duplicates(ignore_index=True)
    source: dict[tuple[str, ...], int] = {}
    for index, key in enumerate(zip(*(old[k] for k in keys))):
        source.setdefault(key, index)
    if by_document:
        source.update(_moved(source, new))
    picks = np.array([source.get(key, -1) for key in new], dtype=np.int64)
    values = np.vstack([old[list(typed)].to_numpy(object).reshape(-1, len(typed)), [[None] * len(typed)]])
    aligned = pd.DataFrame(values[picks], columns=list(typed), dtype=object)
    return aligned, old[~old.index.isin(picks)]


def _restored(detail: pd.DataFrame, items: list[tuple[str, str]], archive: pd.DataFrame
              ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`detail` with the archived Detail values of documents open again on their rows where nothing is typed,
    the Archive without the rows so taken back). The latest archived row of a key comes back; others stay."""
    is_detail = archive["Sheet"].map(_as_text) == DETAIL_SHEET
    candidates = archive[is_detail].iloc[::-1]
    candidates = pd.DataFrame({
        **{key: candidates[key].map(_as_text) for key in DETAIL_KEY},
        **{header: candidates[header] for header in _DETAIL_TYPED},
        "_at": candidates.index,
    }, dtype=object)
    empty = detail.isna().all(axis=1).to_numpy()
    wanted = [key if free else () for key, free in zip(items, empty)]
    back, _left = _match(candidates, DETAIL_KEY, (*_DETAIL_TYPED, "_at"), wanted, by_document=False)
    taken = back["_at"].notna().to_numpy()
    restored = detail.copy()
    restored.loc[taken, :] = back.loc[taken, list(_DETAIL_TYPED)].to_numpy()
    return restored, archive.drop(index=back.loc[taken, "_at"].tolist())


def _moved(source: dict[tuple[str, str], int], new: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """New (customer, document) keys that take the old row of the same document under another customer ID:
    only where the document names one new row with no typed row of its own, and one typed row that is gone."""
    present = set(new)
    per_document = Counter(document for _, document in new)
    open_new = {key[1]: key for key in new if key not in source and per_document[key[1]] == 1}
    gone = [(key, index) for key, index in source.items() if key not in present and key[1]]
    per_gone = Counter(key[1] for key, _ in gone)
    return {open_new[key[1]]: index for key, index in gone if per_gone[key[1]] == 1 and key[1] in open_new}


def _archived(rows: pd.DataFrame, sheet: str, archived_on: dt.datetime) -> pd.DataFrame:
    """Archive rows for typed rows of `sheet` whose key left the data."""
    count = len(rows)
    columns = {h: rows[h].tolist() if h in rows else [None] * count for h in archive_headers()}
    columns |= {ARCHIVE_LEAD[0]: [archived_on] * count, ARCHIVE_LEAD[1]: [sheet] * count}
    return pd.DataFrame(columns, index=pd.RangeIndex(count), dtype=object)


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Archive frames one under another, earlier first."""
    kept = [f for f in frames if len(f)]
    return pd.concat(kept, ignore_index=True) if kept else blank(archive_headers(), 0)


def notes_frame(notes: pd.DataFrame, customers: Iterable[str]) -> pd.DataFrame:
    """Typed Notes rows (NOTES_COLUMNS headers) as CAPTURED_NOTES with source "Workbook" (note_id "" until a
    push gives the note one).

    A customer ID typed in another case or spacing than one of `customers` takes that customer's spelling;
    choices take their canonical spelling the same way (an unknown choice stays as typed). Dates are datetimes
    or ISO text, amounts numbers or text, exactly to the cent; anything else is missing (NaT, <NA>).
    """
    column = {header: notes[header].tolist() for header in _NOTES}
    frame = pd.DataFrame({
        "note_id": [_as_text(v) for v in column["Note ID"]],
        "customer_id": _spelled(column["Customer ID"], customers),
        "doc_no": [_as_text(v) for v in column["Invoice"]],
        "written": _dates(column["Written"]),
        "contact_type": _spelled(column["Contact Type"], CONTACT_TYPES),
        "contact_person": [_as_text(v) for v in column["Contact Person"]],
        "outcome": _spelled(column["Outcome"], OUTCOMES),
        "promise_cents": [_cents(v) for v in column["Promise Amount"]],
        "promise_date": _dates(column["Promise Date"]),
        "dispute_reason": _spelled(column["Dispute Reason"], DISPUTE_REASONS),
        "dispute_cents": [_cents(v) for v in column["Dispute Amount"]],
        "follow_up": _dates(column["Follow-up Date"]),
        "text": [_as_text(v) for v in column["Text"]],
        "author": [_as_text(v) for v in column["Author"]],
        "source": "Workbook",
    }, index=pd.RangeIndex(len(notes)))
    return frame.astype(CAPTURED_NOTES)


def _spelled(values: list, spellings: Iterable[str]) -> list[str]:
    """Values as text, each in the spelling of `spellings` it matches without regard to case or spaces."""
    spelled = {_fold(s): s for s in spellings}
    return [spelled.get(_fold(t), t) for t in map(_as_text, values)]


def _dates(values: list) -> pd.Series:
    return pd.Series([_date(v) for v in values], dtype=object).astype("datetime64[s]")


def _date(value) -> dt.datetime | None:
    """A typed date: a datetime or date cell, or ISO text ("2024-07-15", "2024-07-15 14:30")."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip()).replace(tzinfo=None)
        except ValueError:
            return None
    return None


def _cents(value) -> int | None:
    """A typed amount in cents, exactly (through Decimal, never a float sum); None when it is not one."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, int):
        cents = value * 100
    else:
        text = repr(value) if isinstance(value, float) else value.strip()
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        try:
            cents = cents_from_decimal(text)
        except (ValueError, ArithmeticError):  # not a number, or one too large for a Decimal
            return None
    return cents if -_INT64 < cents < _INT64 else None
