"""The GL tie-out of a close: the aging of the period's last day against the general ledger's receivables control
accounts that day, and the difference explained by what causes it in real life.

A document dated by the day that reached the GL after it (entered late, posted to the next period) is in the
aging and not yet in the GL; one the other way round is in the GL only. A journal entry typed into a control
account has no document in the aging. What those leave is the residual: nothing explains it, and the close says
so (0.00 when the ledgers agree).
"""
import datetime as dt
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class TieOut:
    """Amounts in base-currency cents; each explaining row's `effect_cents` is what it adds to aging less GL."""

    day: dt.date
    accounts: tuple[str, ...]
    aging_cents: int
    gl_cents: int
    timing: pd.DataFrame  # customer_id, doc_no, doc_date, gl_date, amount_cents, effect_cents
    entries: pd.DataFrame  # journal, date, description, amount_cents (debit less credit), effect_cents
    unposted: pd.DataFrame  # customer_id, doc_no, doc_date, amount_cents: in neither, listed, explaining nothing

    @property
    def difference_cents(self) -> int:
        return self.aging_cents - self.gl_cents

    @property
    def residual_cents(self) -> int:
        """The difference that neither the timing nor the journal entries explain."""
        explained = int(self.timing["effect_cents"].sum()) + int(self.entries["effect_cents"].sum())
        return self.difference_cents - explained


def tie_out(day: dt.date, accounts: tuple[str, ...], aging_cents: int, gl_cents: int, timing: pd.DataFrame,
            entries: pd.DataFrame, unposted: pd.DataFrame) -> TieOut:
    """The tie-out of `day` from the aging's total and the ledger's reads (see ardesk.erp.ledger.Ledger)."""
    in_aging_only = pd.to_datetime(timing["doc_date"]) <= pd.Timestamp(day)
    timing = timing.assign(effect_cents=timing["amount_cents"].where(in_aging_only, -timing["amount_cents"]))
    entries = entries.assign(effect_cents=-entries["amount_cents"])  # a credit typed into the GL lowers the GL
    return TieOut(day, accounts, aging_cents, gl_cents, timing, entries, unposted)
