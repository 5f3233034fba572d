"""Where each account and document stands, read from the collection notes (NOTES).

A note naming a document belongs to that document; a note with doc_no "" to the account. A Detail row shows
its document's latest note, else its account's (a note about another invoice would mislead beside this one);
the account status reads every note of the customer. "Latest" goes by `written`, undated notes counting as
the oldest and ties keeping the order given.
"""
import datetime as dt

import pandas as pd

from ardesk.ar.accounts import amount_text, shaped
from ardesk.frames import ITEM_NOTES, NOTES, RECORD_TYPES

NOTE_CHARS = 200
"""A note shown in a cell is cut to this many characters (ending in "…"): enough to read, short enough to scan."""

STATUS = {
    "customer_id": "string",
    "last_contact": "datetime64[s]",  # the latest `written`; NaT when no note has a date
    "last_outcome": "string",  # the latest note's outcome
    "last_note": "string",  # the latest note's text on one line, cut to NOTE_CHARS
    "promise_cents": "Int64",  # the latest promise still to come (promise_date >= as_of); <NA> when none
    "promise_date": "datetime64[s]",
    "next_follow_up": "datetime64[s]",  # the earliest follow-up on or after as_of
}
"""latest_by_customer's frame: one row per customer with notes, sorted by customer_id."""

NOTE_TEXT = ("doc_no", "contact_type", "outcome", "dispute_reason", "text")


def clip(text: str, limit: int = NOTE_CHARS) -> str:
    """Text on one line, at most `limit` characters, ending in "…" when cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def promise_text(cents: int, day) -> str:
    """"1,234.56 by 2026-12-01": a promise to pay in a few words."""
    return f"{amount_text(cents)} by {day:%Y-%m-%d}"


def note_line(day: str, contact_type: str, outcome: str, text: str) -> str:
    """"2026-11-20 Call (Reached): text", leaving out what the note does not say, cut to NOTE_CHARS."""
    head = " ".join(part for part in (day, contact_type) if part) + (f" ({outcome})" if outcome else "")
    return clip(": ".join(part for part in (head.strip(), text) if part))


def item_notes(aged: pd.DataFrame, notes: pd.DataFrame, status: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """ITEM_NOTES aligned row for row with `aged`: the latest note and the next follow-up of each item, and its
    customer's open promise to pay (from `status`, latest_by_customer of the same notes)."""
    keys = ["customer_id", "doc_no"]
    ordered = _in_order(notes)
    latest = ordered.groupby(keys, sort=False).tail(1)
    days = latest["written"].dt.strftime("%Y-%m-%d").fillna("")
    lines = map(note_line, days, latest["contact_type"], latest["outcome"], latest["text"])
    per_key = latest[keys].assign(line=pd.Series(list(lines), index=latest.index, dtype="string"))
    coming = ordered[ordered["follow_up"] >= pd.Timestamp(as_of)]
    per_key = per_key.merge(coming.groupby(keys, as_index=False)["follow_up"].min(), on=keys, how="left")
    own = aged[keys].merge(per_key, on=keys, how="left")
    account = aged[keys].assign(doc_no="").merge(per_key, on=keys, how="left")
    promised = status.set_index("customer_id").dropna(subset=["promise_cents"])
    promise = pd.Series([promise_text(c, d) for c, d in zip(promised["promise_cents"], promised["promise_date"])],
                        index=promised.index, dtype="string")
    out = pd.DataFrame({
        "latest_note": own["line"].fillna(account["line"]).fillna(""),
        "next_follow_up": pd.concat([own["follow_up"], account["follow_up"]], axis=1).min(axis=1),
        "open_promise": promise.reindex(aged["customer_id"]).fillna("").to_numpy(),
    })
    return shaped(out, ITEM_NOTES).set_index(aged.index)


def latest_by_customer(notes: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """STATUS: per customer with notes, the last contact, the open promise, the next follow-up (open disputes are
    ardesk.ar.disputes'). The item notes, hit list, meeting and worklist of one workbook share one. A note that
    records a decision (RECORD_TYPES) is no contact."""
    ordered = _in_order(notes[~notes["contact_type"].isin(RECORD_TYPES).to_numpy()])
    day = pd.Timestamp(as_of)
    status = ordered.groupby("customer_id", sort=True)["written"].max().rename("last_contact").to_frame()
    last = ordered.groupby("customer_id").tail(1).set_index("customer_id")
    status["last_outcome"] = last["outcome"]
    status["last_note"] = last["text"].map(clip).astype("string")
    promise = ordered[ordered["promise_date"] >= day].groupby("customer_id").tail(1).set_index("customer_id")
    status[["promise_cents", "promise_date"]] = promise[["promise_cents", "promise_date"]]
    status["next_follow_up"] = ordered[ordered["follow_up"] >= day].groupby("customer_id")["follow_up"].min()
    text = ["last_outcome", "last_note"]
    status[text] = status[text].fillna("")
    return shaped(status.reset_index(), STATUS)


def _in_order(notes: pd.DataFrame) -> pd.DataFrame:
    """NOTES oldest first (undated first, ties as given), text columns with "" for missing."""
    texts = {name: notes[name].astype("string").fillna("") for name in NOTE_TEXT}
    frame = notes[list(NOTES)].assign(**texts)
    return frame.sort_values("written", na_position="first", kind="stable").reset_index(drop=True)
