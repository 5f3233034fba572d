"""The allowance for doubtful accounts and the write-offs of a close (issue 15, part 4), pinned with hand-worked
figures: the provision matrix to the cent, a specific reserve replacing a customer's matrix reserve, the adjusting
entry's direction, historical loss rates per bucket, the write-offs proposed, approval limits, bad debt."""
import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from ardesk.ar import aging, allowance, bad_debt, loss_rates, write_offs
from ardesk.errors import ArdeskError
from ardesk.frames import APPLICATIONS, HISTORY, LAST_ACTIVITY, WRITE_OFFS, conform
from ardesk.settings import AgingSettings, CloseSettings, WriteOffSettings

END = dt.date(2026, 10, 31)
RATES = CloseSettings().allowance_ppm  # 1, 2, 5, 10, 25, 50 percent


def _items(*rows) -> pd.DataFrame:
    """OPEN_ITEMS from (customer, document, type, due date, base cents) tuples, dated 30 days before due."""
    frame = pd.DataFrame(rows, columns=["customer_id", "doc_no", "doc_type", "due_date", "base_balance_cents"])
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    frame["doc_date"] = frame["due_date"] - pd.Timedelta(days=30)
    frame["customer_name"] = frame["customer_id"] + " Ltd"
    frame["currency"], frame["company"] = "USD", "EPIC06"
    frame["amount_cents"] = frame["balance_cents"] = frame["base_balance_cents"]
    return conform(frame)


def _typed(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "specific_cents", "note"]).astype(
        {"customer_id": "string", "specific_cents": "Int64", "note": "string"})


def test_the_matrix_reserves_each_customer_to_the_cent_and_a_typed_reserve_replaces_it():
    aged = aging.age(_items(
        ("A", "1", "INV", "2026-11-15", 1000_00),  # Current: 1% = 10.00
        ("A", "2", "INV", "2026-09-15", 333_33),  # 46 days, 31-60: 5% = 16.6665; A: 26.6665 -> 26.67
        ("B", "3", "INV", "2026-10-15", 10_00),  # 1-30: 2% = 0.20
        ("B", "4", "CM", "2026-05-01", -50_00),  # Over 120: 50% of a credit = -25.00; B: -24.80 -> 0.00
    ), END, AgingSettings())
    plain = allowance.allowance(aged, RATES, _typed(), None)
    assert plain.customers.set_index("customer_id")["matrix_cents"].to_dict() == {"A": 26_67, "B": 0}
    assert plain.required_cents == 26_67 and plain.adjustment_cents is None
    assert plain.buckets.sum().to_dict() == {"Current": 1000_00, "1-30": 10_00, "31-60": 333_33, "61-90": 0,
                                             "91-120": 0, "Over 120": -50_00}
    judged = allowance.allowance(aged, RATES, _typed(("B", 40_00, "in administration"), ("C", 5_00, "")), 100_00)
    rows = judged.customers.set_index("customer_id")
    assert rows["reserve_cents"].to_dict() == {"A": 26_67, "B": 40_00, "C": 5_00}  # C has no balance: kept
    assert rows.loc["B", "note"] == "in administration" and rows.loc["C", "balance_cents"] == 0
    assert judged.required_cents == 71_67 and judged.adjustment_cents == -28_33


def test_the_entry_raises_a_low_allowance_and_releases_a_high_one():
    assert allowance.entry(123_45, "1290", "6150") == [("6150", 123_45, 0), ("1290", 0, 123_45)]
    assert allowance.entry(-28_33, "1290", "6150") == [("1290", 28_33, 0), ("6150", 0, 28_33)]
    assert allowance.entry(0, "1290", "6150") == []


def test_rates_round_half_up_once_per_customer():
    # 0.5 cent each in two buckets: 1.00 at 0.5% and 1.00 at 0.5% is 1 cent, not 0 + 0 or 1 + 1
    assert allowance.matrix(np.array([[100, 100], [1, 0]]), (5_000, 5_000)).tolist() == [1, 0]


def _frame(contract: dict, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(contract))
    return frame.astype(contract)


def test_historical_loss_rates_follow_each_month_ends_buckets_to_their_write_offs():
    day = pd.Timestamp
    # X: dated Jan 1, due Jan 31, 100.00, written off Apr 15. Y: dated Feb 10, due Mar 12, 300.00, paid Mar 20.
    history = _frame(HISTORY, [
        {"customer_id": "A", "doc_type": "INV", "doc_date": day("2026-01-01"), "due_date": day("2026-01-31"),
         "closed_date": day("2026-04-15"), "base_amount_cents": 100_00, "base_balance_cents": 0},
        {"customer_id": "A", "doc_type": "INV", "doc_date": day("2026-02-10"), "due_date": day("2026-03-12"),
         "closed_date": day("2026-03-20"), "base_amount_cents": 300_00, "base_balance_cents": 0}])
    applications = _frame(APPLICATIONS, [
        {"doc_date": day("2026-01-01"), "due_date": day("2026-01-31"), "applied": day("2026-04-15"),
         "base_amount_cents": 100_00},
        {"doc_date": day("2026-02-10"), "due_date": day("2026-03-12"), "applied": day("2026-03-20"),
         "base_amount_cents": 300_00}])
    written = _frame(WRITE_OFFS, [
        {"customer_id": "A", "customer_name": "A Ltd", "doc_no": "1", "doc_date": day("2026-01-01"),
         "due_date": day("2026-01-31"), "date": day("2026-04-15"), "base_amount_cents": 100_00, "reason_code": "BANKR",
         "reason": "Customer bankrupt", "company": "EPIC06"}])
    ends = [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)]
    # Jan 31: X Current. Feb 28: X 1-30 (28 days), Y Current. Mar 31: X 31-60 (59 days), Y paid.
    rates = loss_rates.loss_rates(history, applications, written, ends, dt.date(2026, 4, 30), AgingSettings())
    rates = rates.set_index("bucket")
    assert rates["balance_cents"].tolist() == [400_00, 100_00, 100_00, 0, 0, 0]
    assert rates["written_off_cents"].tolist() == [100_00, 100_00, 100_00, 0, 0, 0]
    assert rates["rate"].iloc[:3].tolist() == [0.25, 1.0, 1.0] and rates["rate"].iloc[3:].isna().all()
    before = loss_rates.loss_rates(history, applications, written, ends, dt.date(2026, 4, 14), AgingSettings())
    assert before["written_off_cents"].sum() == 0  # not yet written off by the end


def test_small_balances_and_idle_items_are_proposed_with_why():
    items = _items(
        ("A", "10", "INV", "2026-10-20", 20_00),  # small
        ("A", "11", "INV", "2025-08-01", 900_00),  # dated 2025-07-02, applied to 2025-09-01: 425 days idle
        ("A", "12", "INV", "2025-08-01", 900_00),  # applied to last week: not idle
        ("B", "13", "CM", "2026-10-20", -5_00),  # a credit is never written off here
        ("B", "14", "INV", "2025-01-01", 10_00),  # small and idle
    )
    last = _frame(LAST_ACTIVITY, [
        {"company": "EPIC06", "doc_no": "11", "last_applied": pd.Timestamp("2025-09-01")},
        {"company": "EPIC06", "doc_no": "12", "last_applied": pd.Timestamp("2026-10-24")}])
    proposed = write_offs.proposals(items, last, END, WriteOffSettings())
    assert proposed[["doc_no", "reason_code", "idle_days", "why"]].values.tolist() == [
        ["11", "UNCOLL", 425, "nothing applied for 425 days"],
        ["10", "SMALL", 41, "balance at most 25.00"],
        ["14", "SMALL", 698, "balance at most 25.00 and nothing applied for 698 days"],
    ]


def _approved(*rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["approver", "doc_no", "base_balance_cents"])
    frame["customer_id"], frame["currency"], frame["reason_code"] = "A", "USD", "SMALL"
    frame["balance_cents"] = frame["base_balance_cents"]
    return frame.astype({"base_balance_cents": "Int64", "balance_cents": "Int64"})


LIMITS = {"Dana Lee": Decimal("500"), "Ann Cole": Decimal("100000")}


def test_approvers_within_their_limits_make_staging_lines():
    lines = write_offs.approved(_approved(("dana  lee", "10", 500_00), ("Ann Cole", "11", 90_000_00)), LIMITS)
    assert lines[["kind", "invoice_doc", "amount_cents", "rule", "approver"]].values.tolist() == [
        ["Write off", "10", 500_00, "SMALL", "Dana Lee"], ["Write off", "11", 90_000_00, "SMALL", "Ann Cole"]]


def test_an_amount_over_the_approvers_limit_or_an_unknown_approver_stops_it_all():
    with pytest.raises(ArdeskError) as over:
        write_offs.approved(_approved(("Ann Cole", "9", 5_00), ("Dana Lee", "10", 500_01)), LIMITS)
    assert str(over.value) == ("Dana Lee approved the write-off of 10 for 500.01, over Dana Lee's limit of 500.00: "
                               "have someone with a higher limit approve it; nothing was staged.")
    with pytest.raises(ArdeskError) as unknown:
        write_offs.approved(_approved(("Bob", "12", 1_00)), LIMITS)
    assert str(unknown.value) == ("Bob approved the write-off of 12 but is not an approver in [writeoffs] approvers "
                                  "(Dana Lee, Ann Cole): have an approver approve it; nothing was staged.")


def test_bad_debt_of_the_period_and_the_year_by_customer_and_reason_with_recoveries():
    def row(customer, doc, day, cents, reason):
        return {"customer_id": customer, "customer_name": customer + " Ltd", "doc_no": doc,
                "doc_date": pd.Timestamp("2025-06-01"), "due_date": pd.Timestamp("2025-07-01"),
                "date": pd.Timestamp(day), "base_amount_cents": cents, "reason_code": reason[:5], "reason": reason,
                "company": "EPIC06"}
    written = _frame(WRITE_OFFS, [
        row("A", "1", "2025-12-20", 70_00, "Small"),  # last year: left out
        row("A", "2", "2026-03-02", 100_00, "Bankrupt"), row("A", "3", "2026-10-05", 40_00, "Bankrupt"),
        row("A", "4", "2026-10-09", 5_00, "Small"), row("B", "5", "2026-02-01", 300_00, "Bankrupt"),
        row("B", "5", "2026-04-01", -300_00, "Recovered"), row("A", "2", "2026-10-30", -25_00, "Recovered"),
    ])
    bad = bad_debt.bad_debt(written, dt.date(2026, 10, 1), END)
    assert bad.by_reason[["customer_id", "reason", "period_cents", "year_cents"]].values.tolist() == [
        ["A", "Bankrupt", 40_00, 140_00], ["A", "Small", 5_00, 5_00], ["B", "Bankrupt", 0, 300_00]]
    assert bad.recoveries[["doc_no", "recovered_cents", "in_period"]].values.tolist() == [
        ["5", 300_00, False], ["2", 25_00, True]]


def test_the_invoices_of_disputes_marked_uncollectible_are_proposed():
    typed = pd.DataFrame({  # as book.carry reads the aging workbook's Disputes sheet
        "Customer ID": ["A", "A", "B"], "Invoice": ["12, 13", "10", "14"], "Reason": ["Pricing", "Damage", ""],
        "Customer Name": ["A Ltd", "A Ltd", "B Ltd"],
        "Dispute Status": ["invalid:  UNCOLLECTIBLE", "Invalid: collect", "Invalid: uncollectible"],
        "Resolution": [None, None, None]}, dtype=object)
    disputed = write_offs.uncollectible(typed)
    assert disputed.values.tolist() == [["A", "12", "Pricing"], ["A", "13", "Pricing"], ["B", "14", "Disputed"]]
    items = _items(("A", "12", "INV", "2026-10-01", 5_000_00), ("A", "10", "INV", "2026-10-01", 7_000_00),
                   ("B", "14", "INV", "2026-09-01", 20_00))
    last = _frame(LAST_ACTIVITY, [])
    proposed = write_offs.proposals(items, last, END, WriteOffSettings(), disputed)
    assert proposed[["doc_no", "reason_code", "why"]].values.tolist() == [
        ["12", "UNCOLL", "dispute (Pricing) marked Invalid: uncollectible"],
        ["14", "SMALL", "balance at most 25.00 and dispute (Disputed) marked Invalid: uncollectible"]]


@pytest.mark.parametrize("toml, sentence", [
    ("[close]\nallowance_rates = [1, 2, 120]\n", "[close] allowance_rates = [1, 2, 120] must be percents from 0 to 100 "
                                                 "with at most four decimals, like [1, 2, 5, 10, 25, 50]."),
    ("[close]\nallowance_rates = [1, -2]\n", "[close] allowance_rates = -2 must be an amount of 0 or more, like "
                                             "[1, 2, 5, 10, 25, 50]."),
    ("[close]\nloss_months = 0\n", "[close] loss_months = 0 must be a whole number of months from 1 to 60, like 12."),
    ("[writeoffs]\napprovers = { Dana = -5 }\n", "[writeoffs] approvers 'Dana' = -5 must be an amount of 0 or more, "
                                                 "like 5000."),
    ("[writeoffs]\ninactive_days = 0\n", "[writeoffs] inactive_days = 0 must be a whole number of days above 0, "
                                         "like 365."),
])
def test_a_bad_allowance_or_write_off_setting_is_one_sentence(tmp_path, toml, sentence):
    from ardesk.settings import load

    (tmp_path / "ardesk.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ArdeskError) as refused:
        load(tmp_path / "ardesk.toml")
    assert str(refused.value) == sentence


def test_rates_that_do_not_fit_the_buckets_are_refused_in_one_sentence(tmp_path):
    from ardesk.jobs.allowance import read
    from ardesk.settings import Settings

    settings = Settings(aging=AgingSettings(thresholds=(30, 60)))  # 4 buckets, 6 rates; no ERP: nothing is read
    with pytest.raises(ArdeskError) as refused:
        read(settings, dt.date(2026, 10, 1), END)
    assert str(refused.value) == ("[close] allowance_rates gives 6 rates for the 4 aging buckets (Current, 1-30, "
                                  "31-60, Over 60): give one percent per bucket, Current first.")


def test_a_specific_reserve_that_is_not_an_amount_is_refused_in_one_sentence(tmp_path):
    import openpyxl

    from ardesk.book import carry

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Allowance"
    sheet.append(["Customer ID", "Customer Name", "Specific Reserve", "Reserve Note"])
    sheet.append(["C000001", "A Ltd", "lots", None])
    book.save(tmp_path / "month-end.xlsx")
    with pytest.raises(ArdeskError) as refused:
        carry.read_month_end(tmp_path / "month-end.xlsx")
    assert str(refused.value) == ("The Allowance sheet of month-end.xlsx has 'lots' as the specific reserve of C000001, "
                                  "which is not an amount of 0 or more: type an amount there or clear it, then close "
                                  "again.")
