"""Historical loss rates per aging bucket: of what each bucket held at past month-ends, the share that was written
off later. The accountant sets them beside the provision matrix's rates to justify (or correct) the matrix.

For each month-end of the window: each bucket's balance that day (the receivables rebuilt from HISTORY and the
APPLICATIONS since, as the Summary's month-ends are, so they are that day's aging to the cent), and what was
written off after it, by the close's last day, of the documents dated by it, counted in the bucket each document
was in that day (net of recoveries). A document written off after a month-end was open at it, so the second is
part of the first. Summed over the month-ends, their ratio is the bucket's rate. Recent month-ends have had less
time to be written off, which the window's length ([close] loss_months) weighs.
"""
import datetime as dt

import numpy as np
import pandas as pd

from ardesk.ar.aging import bucket_index, bucket_labels
from ardesk.ar.summary import entries, open_on
from ardesk.settings import AgingSettings

LOSS_RATES = {"bucket": "string", "balance_cents": "int64", "written_off_cents": "int64", "rate": "float64"}
"""One row per aging bucket, Current first: the balances summed over the month-ends, what of them was written
off, and the share (NaN where the bucket held nothing)."""


def loss_rates(history: pd.DataFrame, applications: pd.DataFrame, write_offs: pd.DataFrame, month_ends: list,
               end: dt.date, aging: AgingSettings) -> pd.DataFrame:
    """LOSS_RATES over `month_ends` from HISTORY and APPLICATIONS since the first of them and the WRITE_OFFS made
    after it up to `end`."""
    labels = bucket_labels(aging.thresholds)
    doc, due, applied, value = entries(history, applications)
    dated = doc if aging.basis == "doc" else due
    written_doc = write_offs["doc_date"].to_numpy("datetime64[D]")
    written_dated = written_doc if aging.basis == "doc" else write_offs["due_date"].fillna(
        write_offs["doc_date"]).to_numpy("datetime64[D]")
    written_on = write_offs["date"].to_numpy("datetime64[D]")
    written = write_offs["base_amount_cents"].to_numpy(np.int64)
    last = np.datetime64(end, "D")
    balance = np.zeros(len(labels), dtype=np.int64)
    lost = np.zeros(len(labels), dtype=np.int64)
    for month_end in month_ends:
        day = np.datetime64(month_end, "D")
        counted = open_on(day, doc, applied)
        np.add.at(balance, _buckets(day, dated[counted], aging), value[counted])
        later = (written_doc <= day) & (written_on > day) & (written_on <= last)
        np.add.at(lost, _buckets(day, written_dated[later], aging), written[later])
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(balance > 0, lost / np.where(balance > 0, balance, 1), np.nan)
    return pd.DataFrame({"bucket": labels, "balance_cents": balance, "written_off_cents": lost,
                         "rate": rate}).astype(LOSS_RATES)


def _buckets(day: np.datetime64, dated: np.ndarray, aging: AgingSettings) -> np.ndarray:
    return bucket_index((day - dated).astype(np.int64), aging.thresholds)
