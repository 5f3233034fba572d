"""The aging workbook's Credit Review sheet: a Table of CREDIT_REVIEW, due reviews first, with the credit manager's
Approve (their name) and Approved Limit (empty: the recommended one) beside each row; `ardesk credit limits` stages
the approved limits in the ERP."""
import pandas as pd

from ardesk.book.cells import SharedStrings
from ardesk.book.columns import DATE, INTEGER, LIMIT, MONEY, PERCENT, TEXT, Column, typed_columns
from ardesk.book.tables import TableSheet, typed_table
from ardesk.book.userdata import CREDIT_REVIEW_SHEET, REVIEW_USER

SHEET = CREDIT_REVIEW_SHEET
TABLE = "CreditReview"


def columns(base_currency: str) -> tuple[Column, ...]:
    """The sheet's columns: who, whether a review is due, exposure against the limit, payment behaviour, the
    bureau, the review dates, the recommendation, then the typed columns."""
    return (
        Column("Customer ID", "customer_id", TEXT),
        Column("Customer Name", "customer_name", TEXT),
        Column("Sales Rep", "sales_rep", TEXT),
        Column("Collector", "collector", TEXT),
        Column("Review Due", "review_due", TEXT),
        Column("Why Due", "why_due", TEXT),
        Column(f"Balance {base_currency}", "balance_cents", MONEY),
        Column("Open Orders", "open_orders_cents", MONEY),
        Column("Exposure", "exposure_cents", MONEY),
        Column("Credit Limit", "credit_limit_cents", LIMIT),
        Column("Utilisation", "utilisation", PERCENT),
        Column("Monthly Sales", "monthly_sales_cents", MONEY),
        Column("Days Delinquent", "days_delinquent", INTEGER),
        Column("Trend (Days)", "delinquency_trend", INTEGER),
        Column("Paid Late", "paid_late_share", PERCENT),
        Column("Returned Payments", "returned_payments", INTEGER),
        Column("Broken Promises", "broken_promises", INTEGER),
        Column("Bureau", "bureau", TEXT),
        Column("Bureau Score", "bureau_score", INTEGER),
        Column("Risk Class", "bureau_risk_class", TEXT),
        Column("Bureau Limit", "bureau_limit_cents", MONEY),
        Column("Bureau Date", "bureau_date", DATE),
        Column("Last Review", "last_review", DATE),
        Column("Next Review", "next_review", DATE),
        Column("Recommended Limit", "recommended_limit_cents", LIMIT),
        Column("Reasons", "reasons", TEXT),
        *typed_columns(REVIEW_USER),
    )


def table(review: pd.DataFrame, typed: pd.DataFrame, base_currency: str, number: int,
          strings: SharedStrings) -> TableSheet:
    """CREDIT_REVIEW as Table `number`, with what was typed beside each row (`typed`, aligned, REVIEW_USER)."""
    shown = review.assign(review_due=review["due"].map({True: "Yes", False: "No"}).astype("string"))
    return typed_table(number, TABLE, columns(base_currency), shown, typed, REVIEW_USER, strings)
