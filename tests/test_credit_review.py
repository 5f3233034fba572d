"""The credit review's rule pinned down by hand-worked examples (docs/credit.md#credit-review)."""
import datetime as dt

import pandas as pd
import pytest

from ardesk.ar.credit_review import review
from ardesk.errors import ArdeskError
from ardesk.frames import BUREAU_REPORTS, CREDIT_REVIEW, HISTORY, PROMISES, RETURNED_PAYMENTS, empty
from ardesk.settings import CreditSettings
from test_reports import AS_OF, aged_of, assert_contract, customers_of, item

DAY = pd.Timestamp


def debt(customer, cents, doc, due, closed=None) -> dict:
    """One invoice of HISTORY: dated `doc`, due `due`, paid `closed` (None: still open)."""
    return {"customer_id": customer, "doc_type": "INV", "doc_date": DAY(doc), "due_date": DAY(due),
            "closed_date": DAY(closed) if closed else pd.NaT, "base_amount_cents": cents,
            "base_balance_cents": 0 if closed else cents}


def frame(rows, contract) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(contract)).astype(contract)


def promise(customer, day, status) -> dict:
    return {"note_id": "", "customer_id": customer, "doc_no": "", "written": DAY(day) - pd.Timedelta(days=7),
            "promise_cents": 100_00, "promise_date": DAY(day), "due_by": DAY(day), "paid_cents": 0, "status": status}


def bureau(customer, name, day, limit, score=50) -> dict:
    return {"customer_id": customer, "bureau": name, "score": score, "risk_class": "High",
            "recommended_limit_cents": limit, "days_beyond_terms": 12, "report_date": dt.date.fromisoformat(day)}


@pytest.fixture(scope="module")
def worked() -> pd.DataFrame:
    """As of 2026-11-24 (the window: after 2025-11-24; the last 3 months: after 2026-08-24):
    A pays 17 days late on average, 20 days later lately, broke a promise, is 93% used and was reviewed 13 months
    ago; B owes one invoice 288 days past due, had a payment returned, and the bureau caps it; C sold nothing and
    was never reviewed; D has an open item but no customer row."""
    aged = aged_of(item("A", "A9", -5, 25_000_00), item("B", "B1", 288, 60_000_00),
                   item("D", "D1", 10, 1_000_00))
    customers = customers_of(
        {"customer_id": "A", "credit_limit_cents": 30_000_00, "open_orders_cents": 3_000_00,
         "credit_review_date": DAY("2025-10-15")},
        {"customer_id": "B", "credit_limit_cents": 0, "credit_review_date": DAY("2026-03-01")},
        {"customer_id": "C", "credit_limit_cents": 5_000_00})
    history = frame([
        debt("A", 40_000_50, "2025-12-01", "2025-12-31", "2026-01-20"),  # 20 days late
        debt("A", 40_000_50, "2026-03-01", "2026-03-31", "2026-03-31"),  # on time
        debt("A", 40_000_50, "2026-08-01", "2026-09-01", "2026-10-01"),  # 30 days late, in the last 3 months
        debt("A", 99_000_00, "2025-10-01", "2025-10-31", "2025-11-20"),  # sold and paid before the window
        debt("B", 60_000_00, "2026-01-10", "2026-02-09"),  # open: 288 days past due
    ], HISTORY)
    promised = frame([promise("A", "2026-09-10", "Broken"), promise("A", "2025-11-01", "Broken"),
                      promise("A", "2026-10-10", "Kept"), promise("B", "2026-11-20", "Pending")], PROMISES)
    returned = pd.DataFrame({"customer_id": ["B", "A"], "returned_on": [dt.date(2026, 6, 1), dt.date(2025, 11, 24)],
                             "amount_cents": [5_000_00, 7_00], "reason": ["NSF", "NSF"]})
    reports = pd.DataFrame([bureau("B", "Acme", "2026-05-01", 2_000_00, 40), bureau("B", "Beta", "2026-04-01",
                                                                                     50_000_00, 80)])
    return review(aged, customers, history, promised, returned, reports, AS_OF, CreditSettings())


def test_each_customer_once_due_reviews_first_by_exposure(worked):
    assert_contract(worked, CREDIT_REVIEW)
    assert worked["customer_id"].tolist() == ["A", "D", "C", "B"]
    assert worked["due"].tolist() == [True, True, True, False]
    assert worked["why_due"].tolist() == ["Review date passed (2026-10-15); Utilisation 93% over 90%",
                                          "Never reviewed", "Never reviewed", ""]
    assert worked["exposure_cents"].tolist() == [28_000_00, 1_000_00, 0, 60_000_00]


def test_behaviour_over_twelve_months(worked):
    a = worked.set_index("customer_id").loc["A"]
    # (20 x 40,000.50 + 0 + 30 x 40,000.50) / 120,001.50 = 16.7; lately 30, before (20 + 0) / 2 = 10
    assert (a["days_delinquent"], a["delinquency_trend"]) == (17, 20)
    assert a["paid_late_share"] == pytest.approx(2 / 3)
    assert (a["returned_payments"], a["broken_promises"]) == (0, 1)  # the return and the promise before the window
    assert a["monthly_sales_cents"] == 120_001_50 // 12
    assert a["utilisation"] == pytest.approx(28 / 30)
    b = worked.set_index("customer_id").loc["B"]
    assert b["days_delinquent"] == 288 and pd.isna(b["delinquency_trend"]) and pd.isna(b["paid_late_share"])
    assert b["returned_payments"] == 1 and pd.isna(b["utilisation"])
    assert b["next_review"] == DAY("2027-03-01")


def test_the_rule_worked_by_hand(worked):
    by = worked.set_index("customer_id")
    # A: 2 x 10,000.12 = 20,000.24; scale 0.75 - 0.1 (worsening) - 0.1 (one broken promise) = 0.55: 11,000.13
    assert by.loc["A", "recommended_limit_cents"] == 11_000_00
    assert by.loc["A", "reasons"] == (
        "2 x monthly sales 10,000.12 = 20,000.24; x 0.75: pays 17 days late on average (over 15); less 0.1: "
        "paying 20 days later in the last 3 months; less 0.1: 1 broken promise; scale 0.55: 11,000.13; rounded "
        "down to 11,000.00.")
    # B: 2 x 5,000.00 = 10,000.00; scale 0.5 - 0.25 = 0.25: 2,500.00; the latest report (Acme's) caps it
    assert by.loc["B", "recommended_limit_cents"] == 2_000_00
    assert by.loc["B", "reasons"] == (
        "2 x monthly sales 5,000.00 = 10,000.00; x 0.5: pays 288 days late on average (over 45); less 0.25: 1 "
        "returned payment; scale 0.25: 2,500.00; capped at Acme's recommended 2,000.00.")
    assert (by.loc["B", "bureau"], by.loc["B", "bureau_score"], by.loc["B", "bureau_date"]) == (
        "Acme", 40, DAY("2026-05-01"))
    assert by.loc["C", "recommended_limit_cents"] == 5_000_00
    assert by.loc["C", "reasons"] == "No sales in the last 12 months: keep the current limit (5,000.00)."
    assert by.loc["D", "recommended_limit_cents"] == 0
    assert by.loc["D", "reasons"] == "No sales in the last 12 months: keep the current limit (no limit)."


def _one(history_rows, credit=CreditSettings(), **customer) -> pd.Series:
    customers = customers_of({"customer_id": "E", "credit_limit_cents": 1_00, **customer})
    return review(aged_of(), customers, frame(history_rows, HISTORY), frame([], PROMISES), empty(RETURNED_PAYMENTS),
                  empty(BUREAU_REPORTS), AS_OF, credit).iloc[0]


def test_never_below_one_rounding_unit_and_scale_never_below_zero():
    paid = debt("E", 300_00, "2026-10-01", "2026-10-31", "2026-11-01")
    row = _one([paid])
    assert row["recommended_limit_cents"] == 1_000_00
    assert row["reasons"] == "2 x monthly sales 25.00 = 50.00; raised to the least limit 1,000.00."
    cut = _one([paid], CreditSettings(broken_cut="0.6", months_of_sales=3), credit_review_date=DAY("2026-11-01"))
    assert cut["recommended_limit_cents"] == 1_000_00 and not cut["due"]


def test_exact_cents_for_large_amounts_and_decimal_settings():
    sold = debt("E", 1_234_567_890_12, "2026-10-01", "2026-12-31")  # not yet due: on time
    row = _one([sold], CreditSettings(months_of_sales="2.5", rounding="0.01"))
    monthly = 1_234_567_890_12 // 12
    assert row["monthly_sales_cents"] == monthly
    assert row["recommended_limit_cents"] == monthly * 25_000 // 10_000 == 25_720_164_377
    assert pd.isna(row["days_delinquent"])  # nothing paid, nothing past due: nothing to weigh


def test_utilisation_threshold_is_a_setting():
    customers = customers_of({"customer_id": "F", "credit_limit_cents": 10_000_00, "open_orders_cents": 9_500_00,
                              "credit_review_date": DAY("2026-11-01")})
    for threshold, due in (("0.9", True), ("0.95", False)):
        row = review(aged_of(), customers, frame([], HISTORY), frame([], PROMISES), empty(RETURNED_PAYMENTS),
                     empty(BUREAU_REPORTS), AS_OF, CreditSettings(utilisation=threshold)).iloc[0]
        assert bool(row["due"]) is due


@pytest.mark.parametrize("given, said", [
    ({"slow_scale": "-1"}, "[credit] slow_scale = '-1' must be an amount of 0 or more"),
    ({"rounding": 0}, "[credit] rounding = 0 must be a number with at most 4 decimals and at least 0.01"),
    ({"late_days": 10}, "[credit] late_days = 10 must be at least slow_days = 15"),
    ({"review_months": 0}, "[credit] review_months = 0 must be a whole number of months above 0"),
    ({"approvers": {"": 5}}, "[credit] approvers = {'': 5} must map approvers' names"),
])
def test_settings_refused_in_one_sentence(given, said):
    with pytest.raises(ArdeskError, match="^" + said.replace("[", r"\[").replace("]", r"\]").replace("{", r"\{")
                       .replace("}", r"\}").replace("(", r"\(").replace(")", r"\)")):
        CreditSettings(**given)
