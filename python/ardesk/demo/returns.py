"""Returned payments in the demo ERP: receipts that came back unpaid (a bounced cheque, a rejected direct debit, a
stopped payment), recorded as Epicor's Reverse Cash Receipt records them, and most of them made good later.

A return is a second posted Erp.CashHead row of the receipt's negative amount, ReverseRef naming the receipt, with a
negative Erp.CashDtl line for each invoice the receipt had paid, dated the day the bank returned it and carrying the
return's reason (Erp.Reason, ReasonType R): the invoices open again from that day, so an aging as of any day before
it still sees them paid, and the ERP's own total (documents less applications) moves with it. The receivables
module posts the reversal to the GL (the control account debited, journal CR), so the close ties as before. Most
customers make a return good RETURN_DAYS + REPLACED_DAYS after the receipt, by wire: another receipt applied to the
same invoices; the rest are still owed.

Everything is a pure function of each receipt's identity (its customer and day: a customer pays once a day) and
the seed, never of what else the ledger holds: which receipts come back, why, and whether they are made good are
hashes, and each follows its receipt by a fixed number of days, left out when that is after as_of. So the ERP built
as of a later day holds the same returns up to any earlier day. Numbers follow the same rule: a reversal's HeadNum
and DtlNums are its receipt's plus REVERSALS, a replacement's plus REPLACEMENTS.
"""
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ardesk.demo.arrays import concat, dates, decimal, digits, ymd
from ardesk.money import cents_from_arrow

RETURN_DAYS = 7
"""Days from a receipt to the bank's return of it."""
REPLACED_DAYS = 14
"""Days from a return to the wire that makes it good."""
SHAKY_CUSTOMERS = 0.03
"""Share of customers short of cash: a tenth of their cheques and debits come back (several a year)."""
RETURN_RATE = (0.007, 0.12)
"""Chance that a receipt comes back: another customer's, a shaky one's (about 0.8% of the receipts that can come back)."""
UNREPLACED = 0.2
"""Share of returns never made good."""
REVERSALS = 900_000_000
REPLACEMENTS = 1_800_000_000
"""Added to a receipt's HeadNum and its lines' DtlNum to number its reversal and its replacement: a number that
depends on the receipt alone (Epicor's INT keys hold both)."""
REASON_TYPE = "R"
REASONS = (("NSF", "Insufficient funds"), ("STOP", "Payment stopped by the customer"),
           ("CLOSED", "Account closed"), ("UNAUTH", "Debit not authorised by the customer"))
"""Erp.Reason's return codes (ReasonType R)."""
_CHEQUE_REASONS = (0.7, 0.2, 0.1, 0.0)
_DEBIT_REASONS = (0.6, 0.0, 0.15, 0.25)
"""How often each reason returns a cheque and an ACH debit; wires do not come back."""
_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def returned(tables: dict[str, pd.DataFrame], seed: int, today: int, account: str) -> dict[str, pd.DataFrame]:
    """`tables` (the demo ERP's frames) with the returns and replacements of its receipts up to `today` (a day
    number), each posted to the receivables control `account`."""
    head, detail = tables["Erp.CashHead"], tables["Erp.CashDtl"]
    day = _days(head["TranDate"])
    customer = head["CustNum"].to_numpy(np.int64)
    shaky = _uniform(seed, 1, customer) < SHAKY_CUSTOMERS
    chance = np.where(shaky, RETURN_RATE[1], RETURN_RATE[0])
    back = (_eligible(head, detail) & (_uniform(seed, 2, customer, day) < chance)
            & (day + RETURN_DAYS <= today))
    cheque = ~head["CheckRef"].str.startswith("ACH ").to_numpy(bool)
    odds = np.where(cheque[:, None], _CHEQUE_REASONS, _DEBIT_REASONS).cumsum(axis=1)
    reason = (_uniform(seed, 3, customer, day)[:, None] >= odds).sum(axis=1).clip(0, len(REASONS) - 1)
    made_good = (_uniform(seed, 4, customer, day) >= UNREPLACED) & (day + RETURN_DAYS + REPLACED_DAYS <= today)
    reversal = pd.DataFrame({"row": np.flatnonzero(back), "day": day[back] + RETURN_DAYS,
                             "reason": np.array([r[0] for r in REASONS], dtype=object)[reason[back]],
                             "sign": -1, "offset": REVERSALS, "group": "RV"})
    good = back & made_good
    replacement = pd.DataFrame({"row": np.flatnonzero(good), "day": day[good] + RETURN_DAYS + REPLACED_DAYS,
                                "reason": "", "sign": 1, "offset": REPLACEMENTS, "group": "CR"})
    moves = pd.concat([reversal, replacement], ignore_index=True)
    heads = _heads(head, moves)
    lines = _lines(detail, head, moves)
    reason_rows = _rows(tables["Erp.Reason"], {
        "Company": tables["Erp.Reason"]["Company"].iloc[:1].repeat(len(REASONS)).to_numpy(),
        "ReasonType": [REASON_TYPE] * len(REASONS), "ReasonCode": [r[0] for r in REASONS],
        "Description": [r[1] for r in REASONS]})
    added = {"Erp.CashHead": heads, "Erp.CashDtl": lines, "Erp.Reason": reason_rows,
             "Erp.GLJrnDtl": _journal(tables["Erp.GLJrnDtl"], heads, account)}
    return tables | {name: pd.concat([tables[name], rows], ignore_index=True) for name, rows in added.items()} | {
        "Erp.InvcHead": _reopened(tables["Erp.InvcHead"], lines)}


def _uniform(seed: int, stream: int, *keys: np.ndarray) -> np.ndarray:
    """A number in [0, 1) per row that depends only on the seed, the stream (one per decision) and the row's keys:
    splitmix64 over each in turn."""
    x = np.full(len(keys[0]), (int(seed) << 8) | stream, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for key in keys:
            x = x ^ np.asarray(key).astype(np.uint64)
            x = x + _MIX[0]
            x = (x ^ (x >> np.uint64(30))) * _MIX[1]
            x = (x ^ (x >> np.uint64(27))) * _MIX[2]
            x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _eligible(head: pd.DataFrame, detail: pd.DataFrame) -> np.ndarray:
    """Receipts that can come back: cheques and debits (not wires) that paid invoices, none of them written off
    (a recovery is not bounced here), themselves neither reversals nor unapplied cash."""
    adjusted = detail.loc[(detail["TranType"] == "Adjust").to_numpy(bool), "InvoiceNum"]
    touched = detail.loc[detail["InvoiceNum"].isin(adjusted).to_numpy(bool), "HeadNum"]
    return ((head["CreditMemoNum"] == 0) & (head["ReverseRef"] == 0) & (cents_from_arrow(pa.array(
        head["AppliedAmt"])) > 0) & ~head["CheckRef"].str.startswith("WIRE") & ~head["HeadNum"].isin(touched)
            ).to_numpy(bool)


def _heads(head: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """CashHead of each reversal (the receipt's negative amount, naming it in ReverseRef) and replacement (a wire
    of the same amount)."""
    original = head.iloc[moves["row"]]
    number = original["HeadNum"].to_numpy(np.int64)
    year, month, day = ymd(moves["day"])
    amount = cents_from_arrow(pa.array(original["TranAmt"])) * moves["sign"].to_numpy()
    reversal = (moves["sign"] < 0).to_numpy()
    return _rows(head, {
        "Company": original["Company"].to_numpy(), "GroupID": concat(pa.array(moves["group"], pa.string()), digits(
            (year % 100) * 10_000 + month * 100 + day, 6)),
        "HeadNum": number + moves["offset"].to_numpy(), "Posted": np.ones(len(moves), bool),
        "TranType": ["PayInv"] * len(moves),
        "CheckRef": pc.if_else(pa.array(reversal), pa.array(original["CheckRef"], pa.string()),
                               concat("WIRE FT", digits(number % 100_000_000, 8))),
        "CustNum": original["CustNum"].to_numpy(), "TranDate": dates(moves["day"]),
        "CurrencyCode": original["CurrencyCode"].to_numpy(), "TranAmt": decimal(amount, 2),
        "AppliedAmt": decimal(amount, 2), "UnAppliedAmt": decimal(np.zeros(len(moves), np.int64), 2),
        "CreditMemoNum": np.zeros(len(moves), np.int64), "ReverseRef": np.where(reversal, number, 0),
    })


def _lines(detail: pd.DataFrame, head: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """CashDtl of each reversal and replacement: the receipt's lines again, signed and dated as the move, a
    reversal's with its reason."""
    moves = moves.assign(HeadNum=head["HeadNum"].to_numpy(np.int64)[moves["row"]])
    paid = detail.reset_index(drop=True).reset_index().merge(moves, on="HeadNum", validate="many_to_many")
    paid = paid.sort_values(["day", "offset", "DtlNum"], kind="stable")
    sign = paid["sign"].to_numpy()
    return _rows(detail, {
        "Company": paid["Company"].to_numpy(), "HeadNum": paid["HeadNum"].to_numpy(np.int64) + paid["offset"],
        "DtlNum": paid["DtlNum"].to_numpy(np.int64) + paid["offset"], "InvoiceNum": paid["InvoiceNum"].to_numpy(),
        "TranType": ["PayInv"] * len(paid), "TranDate": dates(paid["day"]),
        "TranAmt": decimal(cents_from_arrow(pa.array(paid["TranAmt"])) * sign, 2),
        "DocTranAmt": decimal(cents_from_arrow(pa.array(paid["DocTranAmt"])) * sign, 2),
        "ReasonCode": paid["reason"].to_numpy(object),
    })


def _reopened(invoices: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """InvcHead with what the moves did to each invoice's balance today: a return not made good leaves it open
    again; one made good closes it on the replacement's day."""
    moved = pd.DataFrame({"InvoiceNum": lines["InvoiceNum"].to_numpy(np.int64),
                          "base": -cents_from_arrow(pa.array(lines["TranAmt"])),
                          "doc": -cents_from_arrow(pa.array(lines["DocTranAmt"])),
                          "day": _days(lines["TranDate"])}).groupby("InvoiceNum").agg(
        base=("base", "sum"), doc=("doc", "sum"), day=("day", "max"))
    at = invoices["InvoiceNum"].isin(moved.index).to_numpy(bool)
    if not at.any():
        return invoices
    changed = invoices[at]
    move = moved.loc[changed["InvoiceNum"].to_numpy(np.int64)]
    base = cents_from_arrow(pa.array(changed["InvoiceBal"])) + move["base"].to_numpy()
    doc = cents_from_arrow(pa.array(changed["DocInvoiceBal"])) + move["doc"].to_numpy()
    open_ = doc != 0
    closed = np.maximum(_days(changed["ClosedDate"], fill=0), move["day"].to_numpy())
    out = invoices.copy()
    for name, values in (("InvoiceBal", decimal(base, 2)), ("DocInvoiceBal", decimal(doc, 2)),
                         ("OpenInvoice", pa.array(open_)),
                         ("ClosedDate", pa.array(np.where(open_, np.datetime64("NaT"), dates(closed)),
                                                 pa.date32()))):
        out.loc[at, name] = pd.array(values, dtype=out[name].dtype)
    return out


def _journal(journal: pd.DataFrame, heads: pd.DataFrame, account: str) -> pd.DataFrame:
    """GLJrnDtl of the moves, one CR journal each numbered as its receipt: the control account debited by a return
    (what the customer owes again) and credited by its replacement."""
    cents = cents_from_arrow(pa.array(heads["TranAmt"]))
    number = heads["HeadNum"].to_numpy(np.int64)
    original = np.where(number >= REPLACEMENTS, number - REPLACEMENTS, number - REVERSALS)
    return _rows(journal, {
        "Company": heads["Company"].to_numpy(), "JournalCode": ["CR"] * len(heads), "JournalNum": number,
        "JournalLine": np.ones(len(heads), np.int64), "GLAccount": [account] * len(heads),
        "JEDate": heads["TranDate"], "SourceModule": ["AR"] * len(heads),
        "Description": concat(pc.if_else(pa.array(cents < 0), "Returned payment, receipt ",
                                         "Returned payment made good, receipt "), pc.cast(pa.array(original),
                                                                                          pa.string())),
        "DebitAmount": decimal(np.maximum(-cents, 0), 2), "CreditAmount": decimal(np.maximum(cents, 0), 2),
    })


def _days(column: pd.Series, fill: int | None = None) -> np.ndarray:
    """A date column as day numbers since 1970 (nulls as `fill`)."""
    days = pc.cast(pa.array(column), pa.int32())
    return (pc.fill_null(days, fill) if fill is not None else days).to_numpy(zero_copy_only=False).astype(np.int64)


def _rows(like: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """New rows of the table `like` is a frame of: its columns, in order, of its types."""
    arrays = {name: pa.array(columns[name], like[name].dtype.pyarrow_dtype) if not isinstance(
        columns[name], (pa.Array, pa.ChunkedArray)) else pc.cast(columns[name], like[name].dtype.pyarrow_dtype)
              for name in like.columns}
    return pa.table(arrays).to_pandas(types_mapper=pd.ArrowDtype)
