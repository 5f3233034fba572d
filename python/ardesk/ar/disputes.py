"""The dispute log: the disputes still open with customers, where each is routed, how old it is, and which items
they take out of the collector's dunning.

A dispute is opened by a note with a dispute reason (or the outcome Disputed). Notes that repeat it (same
customer, invoices and reason) do not open another: they update its amount and latest note. It stays on the
log while an invoice it names is open (an account dispute: while the customer has open items) and no later Paid
note on the same invoices closed it; a dispute note after such a Paid note opens a new dispute.

What happened to a dispute is typed on the Disputes sheet (frames.DISPUTE_STATES, empty read as Open). Open and
Valid: credit requested keep the invoices out of the dunning, listed apart in the aging; Invalid ones (re-billed,
or to be collected as they are) go back to the collector.
"""
import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ardesk.ar.accounts import among, amount_text, first_text, shaped
from ardesk.ar.contacts import clip
from ardesk.ar.notes import invoices_of, spelled
from ardesk.frames import DISPUTE_STATES, DISPUTES, OUT_OF_DUNNING

MARKED = "Marked"
"""What the aging shows as the dispute of an item marked Disputed on the Detail sheet with no dispute logged."""
_KEY = ["customer_id", "docs", "reason"]


def log(aged: pd.DataFrame, notes: pd.DataFrame, as_of: dt.date, departments: Mapping[str, str]) -> pd.DataFrame:
    """AGED + NOTES -> DISPUTES, the oldest dispute first; `departments` routes a reason ("" for none)."""
    ordered = _ordered(notes)
    paid = ordered[ordered["outcome"] == "Paid"].groupby(["customer_id", "docs"])["position"].max()
    said = ordered[(ordered["outcome"] == "Disputed") | (ordered["reason"] != "")]
    closed_at = paid.reindex(pd.MultiIndex.from_frame(said[["customer_id", "docs"]])).to_numpy()
    said = said[~(said["position"].to_numpy() < closed_at)]
    groups = said.groupby(_KEY, sort=False)
    first, last = groups.head(1).set_index(_KEY), groups.tail(1).set_index(_KEY)
    table = first[["written", "note_id"]].rename(columns={"written": "opened"})
    table["latest_note"] = last["text"].map(clip).astype("string")
    table["dispute_cents"] = groups["dispute_cents"].last()  # the latest amount given
    table = table.reset_index()
    balance = _open_balance(aged, table)
    table = table[balance.notna().to_numpy()].assign(open_cents=balance.dropna().astype(np.int64).to_numpy())
    table["dispute_cents"] = table["dispute_cents"].astype("Int64").fillna(
        table["open_cents"].where(table["docs"] != "").astype("Int64"))
    who = first_text(aged, ("customer_name", "collector")).reindex(table["customer_id"]).fillna("")
    table[["customer_name", "collector"]] = who.to_numpy()
    table["department"] = table["reason"].map(lambda reason: departments.get(reason) or departments[""])
    table["age_days"] = (pd.Timestamp(as_of) - table["opened"].dt.normalize()).dt.days.fillna(0).astype(np.int64)
    table["opened"] = table["opened"].dt.normalize()
    table = table.rename(columns={"docs": "doc_no"}).sort_values(
        ["age_days", "customer_id", "doc_no", "reason"], ascending=[False, True, True, True], kind="stable")
    return shaped(table, DISPUTES)


def _ordered(notes: pd.DataFrame) -> pd.DataFrame:
    """The notes oldest first (undated first, ties as given) with their position, invoices as "1001, 1002" (docs)
    and dispute reason as text."""
    ordered = notes.sort_values("written", na_position="first", kind="stable").reset_index(drop=True)
    return pd.DataFrame({
        "position": np.arange(len(ordered)),
        "customer_id": ordered["customer_id"].astype("string").fillna(""),
        "docs": [", ".join(invoices_of(docs)) for docs in ordered["doc_no"].astype("string").fillna("")],
        "reason": ordered["dispute_reason"].astype("string").fillna("").str.strip(),
        "outcome": ordered["outcome"].astype("string").fillna(""),
        "written": ordered["written"],
        "note_id": ordered["note_id"].astype("string").fillna(""),
        "text": ordered["text"].astype("string").fillna(""),
        "dispute_cents": ordered["dispute_cents"].astype("Int64"),
    })


def _open_balance(aged: pd.DataFrame, disputes: pd.DataFrame) -> pd.Series:
    """Per dispute, the base balance of the invoices it names that are open (the customer's whole balance for an
    account dispute); <NA> when none of them is open. Summed over the disputing customers' items only: a dict of
    every item's sum costs 20 ms."""
    aged = aged[among(aged["customer_id"], disputes["customer_id"])]
    items = aged.groupby(["customer_id", "doc_no"], sort=False)["base_balance_cents"].sum().to_dict()
    accounts = aged.groupby("customer_id", sort=False)["base_balance_cents"].sum().to_dict()
    out = []
    for customer, docs in zip(disputes["customer_id"].tolist(), disputes["docs"].tolist()):
        if not docs:
            out.append(accounts.get(customer, pd.NA))
            continue
        found = [items[(customer, doc)] for doc in invoices_of(docs) if (customer, doc) in items]
        out.append(sum(found) if found else pd.NA)
    return pd.Series(out, index=disputes.index, dtype="Int64")


def holding(disputes: pd.DataFrame, states: pd.Series) -> pd.DataFrame:
    """The disputes (DISPUTES) that keep their invoices out of the dunning: `states` are the typed DISPUTE_STATES
    aligned with them, empty or unknown read as Open."""
    state = pd.Series(spelled(states.tolist(), DISPUTE_STATES), index=disputes.index).replace("", DISPUTE_STATES[0])
    return disputes[(state.isin(OUT_OF_DUNNING) | ~state.isin(DISPUTE_STATES)).to_numpy()]


def by_customer(held: pd.DataFrame) -> pd.Series:
    """Per customer_id with disputes in `held` (DISPUTES), what they are: "Pricing 1,234.00; Disputed"."""
    said = [(reason or "Disputed") + ("" if cents is pd.NA else f" {amount_text(cents)}")
            for reason, cents in zip(held["reason"], held["dispute_cents"])]
    return pd.Series(said, index=held.index, dtype="string").groupby(held["customer_id"]).agg("; ".join)


def in_dispute(aged: pd.DataFrame, held: pd.DataFrame, marked: pd.Series | None = None) -> pd.Series:
    """Per AGED row, the reasons of the disputes in `held` (see `holding`) that name it ("Pricing; Damage"),
    MARKED for an item only `marked` (a boolean per row: Detail's Disputed column), "" for an item to collect."""
    reasons: dict[tuple[str, str], dict[str, None]] = {}
    for customer, docs, reason in zip(held["customer_id"], held["doc_no"], held["reason"]):
        for doc in invoices_of(docs):
            reasons.setdefault((customer, doc), {})[reason or "Disputed"] = None
    label = {key: "; ".join(said) for key, said in reasons.items()}
    labels = [label.get(key, "") for key in zip(aged["customer_id"].tolist(), aged["doc_no"].tolist())]
    out = pd.Series(labels, index=aged.index, dtype="string")
    if marked is not None:
        out = out.mask((out == "").to_numpy() & marked.fillna(False).to_numpy(bool), MARKED)
    return out
