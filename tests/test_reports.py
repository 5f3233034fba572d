"""Report rules pinned down by hand-worked examples: Exceptions, Credit Hold, contacts, Hit List, Meeting."""
import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ardesk.ar.aging import age
from ardesk.ar.contacts import STATUS, item_notes, latest_by_customer, note_line
from ardesk.ar.credit import credit_hold, customers_from_items
from ardesk.ar.exception_report import exceptions, titles
from ardesk.ar.hitlist import contract, hit_list, split
from ardesk.ar.meeting import meeting
from ardesk.frames import CREDIT_HOLD, CUSTOMERS, EXCEPTIONS, ITEM_NOTES, MEETING, NOTES, conform, empty
from ardesk.settings import AgingSettings, ReportSettings

AS_OF = dt.date(2026, 11, 24)
DAY = dt.timedelta(days=1)


def assert_contract(frame: pd.DataFrame, contract: dict[str, str]) -> None:
    """Exactly the contract's columns, in its order, with its dtypes."""
    assert list(frame.columns) == list(contract)
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == contract


def item(customer, doc, days, cents, kind=None, doc_age=None, **extra) -> dict:
    """One open item `days` past due (due date as_of - days); document date `doc_age` days ago (default days+30)."""
    return {"customer_id": customer, "doc_no": doc, "doc_type": kind or ("INV" if cents > 0 else "CM"),
            "due_date": pd.Timestamp(AS_OF - days * DAY),
            "doc_date": pd.Timestamp(AS_OF - (days + 30 if doc_age is None else doc_age) * DAY),
            "base_balance_cents": cents, "sales_rep": "", "collector": "", "terms": "", "credit_limit_cents": 0,
            **extra}


def aged_of(*rows, aging=AgingSettings()) -> pd.DataFrame:
    """AGED from item() rows (customer name "<id> Ltd" unless given, USD, amount = balance)."""
    frame = pd.DataFrame(list(rows), columns=list(item("", "", 0, 1)))
    frame["customer_name"] = frame["customer_id"] + " Ltd"
    frame["currency"] = "USD"
    frame["amount_cents"] = frame["balance_cents"] = frame["base_balance_cents"]
    return age(conform(frame), AS_OF, aging)


def notes_of(*rows) -> pd.DataFrame:
    """NOTES from partial dicts (missing text "", missing dates NaT, missing amounts <NA>)."""
    frame = pd.DataFrame(list(rows), columns=list(NOTES))
    for name, dtype in NOTES.items():
        column = frame[name]
        frame[name] = (column.astype("string").fillna("") if dtype == "string"
                       else pd.to_datetime(column) if dtype.startswith("datetime") else column)
    return frame.astype(NOTES)


def customers_of(*rows) -> pd.DataFrame:
    frame = pd.DataFrame([{"customer_name": r["customer_id"] + " Ltd", "sales_rep": "", "collector": "",
                           "terms": "Net 30", "credit_limit_cents": 0, "credit_hold": False, "open_orders_cents": 0,
                           "credit_hold_date": pd.NaT, "credit_hold_source": "", **r} for r in rows],
                         columns=list(CUSTOMERS))
    return frame.astype(CUSTOMERS)


def section(frame, title) -> pd.DataFrame:
    return frame[frame["section"] == title].reset_index(drop=True)


# Exceptions

def test_past_due_sections_hold_debts_more_than_n_days_late():
    reports = ReportSettings(past_due_days=(5, 10))
    aged = aged_of(
        item("C1", "101", 5, 100), item("C1", "102", 6, 200),  # 5 days is not more than 5
        item("C2", "201", 11, 300), item("C2", "202", 20, -50, "CM"),  # credits never offset a late debt
        item("C3", "301", 10, 400), item("C3", "302", 10, 1, "DM"),
        item("C4", "401", 40, 0), item("C5", "501", 60, -70, "INV"),  # nothing owed: not a debt
    )
    table = exceptions(aged, AS_OF, reports)
    assert_contract(table, EXCEPTIONS)
    five = section(table, "Past due more than 5 days")
    assert five[["customer_id", "balance_cents", "items", "days"]].values.tolist() == [
        ["C3", 401, 2, 10], ["C2", 300, 1, 11], ["C1", 200, 1, 6]]
    assert five["customer_name"].tolist() == ["C3 Ltd", "C2 Ltd", "C1 Ltd"]
    assert (five["doc_no"] == "").all() and (five["doc_type"] == "").all() and five["doc_date"].isna().all()
    ten = section(table, "Past due more than 10 days")
    assert ten[["customer_id", "balance_cents", "items", "days"]].values.tolist() == [["C2", 300, 1, 11]]


def test_sections_come_in_settings_order_and_ties_sort_by_customer():
    reports = ReportSettings(past_due_days=(0, 1), credit_age_days=0, large_balance=Decimal(0), large_balance_days=1)
    aged = aged_of(item("B", "1", 2, 500), item("A", "2", 2, 500), item("A", "3", -1, -5, "PAY", doc_age=1))
    table = exceptions(aged, AS_OF, reports)
    order = list(dict.fromkeys(table["section"]))
    assert order == titles(reports) == ["Past due more than 0 days", "Past due more than 1 days",
                                        "Balance more than 1 days past due over 0", "Credits older than 0 days"]
    assert section(table, "Past due more than 0 days")["customer_id"].tolist() == ["A", "B"]


def test_large_balance_must_exceed_the_amount():
    reports = ReportSettings(past_due_days=(90,), large_balance=Decimal(1000), large_balance_days=10)
    aged = aged_of(item("C1", "1", 11, 100_000), item("C2", "2", 11, 100_001), item("C3", "3", 10, 900_000),
                   item("C4", "4", 30, 60_000), item("C4", "5", 11, 40_001))
    title = "Balance more than 10 days past due over 1,000"
    assert titles(reports)[1] == title
    rows = section(exceptions(aged, AS_OF, reports), title)
    assert rows[["customer_id", "balance_cents", "items", "days"]].values.tolist() == [
        ["C2", 100_001, 1, 11], ["C4", 100_001, 2, 30]]


def test_large_balance_title_shows_cents_only_when_there_are_some():
    assert titles(ReportSettings(large_balance=Decimal("1234.5")))[-2].endswith("over 1,234.50")
    assert titles(ReportSettings(large_balance=Decimal("50000.00")))[-2].endswith("over 50,000")


def test_credits_older_than_c_days_are_listed_one_by_one():
    reports = ReportSettings(past_due_days=(5,), credit_age_days=30)
    aged = aged_of(
        item("C1", "CM1", 0, -100, "CM", doc_age=30),  # 30 days old is not older than 30
        item("C1", "CM2", 0, -200, "CM", doc_age=31),
        item("C2", "P1", -10, -5_000, "PAY", doc_age=45),  # credits age by their document date
        item("C3", "INV1", 0, -900, "INV", doc_age=90),  # an overpaid invoice is not a credit document
        item("C3", "CM3", 0, 0, "CM", doc_age=90),  # nothing left on it
    )
    rows = section(exceptions(aged, AS_OF, reports), "Credits older than 30 days")
    assert rows[["customer_id", "doc_no", "doc_type", "days", "items", "balance_cents"]].values.tolist() == [
        ["C2", "P1", "PAY", 45, 1, -5_000], ["C1", "CM2", "CM", 31, 1, -200]]
    assert rows["doc_date"].tolist() == [pd.Timestamp(AS_OF - 45 * DAY), pd.Timestamp(AS_OF - 31 * DAY)]


def test_empty_aging_gives_empty_exceptions():
    table = exceptions(aged_of(), AS_OF, ReportSettings())
    assert table.empty
    assert_contract(table, EXCEPTIONS)


amounts = st.integers(-10**9, 10**9)
rows_strategy = st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from(("INV", "DM", "CM", "PAY")),
                                   st.integers(-30, 200), amounts, st.integers(0, 200)), max_size=40)


@settings(max_examples=50, deadline=None)
@given(rows=rows_strategy, days=st.lists(st.integers(0, 120), min_size=1, max_size=4, unique=True))
def test_each_section_adds_up_to_its_qualifying_items(rows, days):
    reports = ReportSettings(past_due_days=tuple(sorted(days)), credit_age_days=20)
    aged = aged_of(*(item(c, str(i), d, cents, kind, doc_age=a) for i, (c, kind, d, cents, a) in enumerate(rows)))
    table = exceptions(aged, AS_OF, reports)
    debit = aged["doc_type"].isin(["INV", "DM"]) & (aged["base_balance_cents"] > 0)
    for n in reports.past_due_days:
        rows_n = section(table, f"Past due more than {n} days")
        late = aged[debit & (aged["days_past_due"] > n)]
        assert rows_n["balance_cents"].sum() == late["base_balance_cents"].sum()
        assert rows_n["items"].sum() == len(late)
        assert rows_n["customer_id"].is_unique
    credits = section(table, "Credits older than 20 days")
    old = aged["doc_type"].isin(["CM", "PAY"]) & (aged["base_balance_cents"] < 0) & (
        (pd.Timestamp(AS_OF) - aged["doc_date"]).dt.days > 20)
    assert credits["balance_cents"].sum() == aged.loc[old, "base_balance_cents"].sum()
    assert credits["balance_cents"].is_monotonic_increasing


# Credit Hold

def test_an_invoice_more_than_the_limit_beyond_terms_recommends_a_hold():
    reports = ReportSettings(hold_days_beyond_terms=30)
    aged = aged_of(
        item("C1", "11", 30, 1_000),  # 30 days is not more than 30
        item("C2", "21", 31, 2_000), item("C2", "22", 29, 5),
        item("C3", "31", 40, 3_000), item("C3", "32", 47, 3_000), item("C3", "33", 35, 3_000),
        item("C4", "41", 90, 100, "DM"), item("C4", "42", 31, 100),
        item("C5", "51", 99, -700, "CM"),  # old credits do not make a customer risky
    )
    table = credit_hold(aged, customers_of(), AS_OF, reports)
    assert_contract(table, CREDIT_HOLD)
    assert table[["customer_id", "status", "reasons", "balance_cents", "max_days_past_due"]].values.tolist() == [
        ["C3", "Recommend hold", "Invoice 32 is 47 days past due (limit 30), and 2 more are past the limit.",
         9_000, 47],
        ["C2", "Recommend hold", "Invoice 21 is 31 days past due (limit 30).", 2_005, 31],
        ["C4", "Recommend hold", "Debit memo 41 is 90 days past due (limit 30), and 1 more is past the limit.",
         200, 90],
    ]


def test_credit_hold_counts_days_beyond_terms_whatever_the_aging_basis():
    # due in 5 days, dated 200 days ago: the doc-basis aging says 200 days, the terms say not yet due
    aged = aged_of(item("C1", "1", -5, 1_000, doc_age=200), aging=AgingSettings(basis="doc"))
    assert aged["days_past_due"].tolist() == [200]
    assert credit_hold(aged, customers_of(), AS_OF, ReportSettings()).empty


def test_balance_plus_orders_over_a_limit_recommends_a_hold_and_zero_is_unlimited():
    customers = customers_of(
        {"customer_id": "C1", "credit_limit_cents": 1_000_000, "open_orders_cents": 200_000},
        {"customer_id": "C2", "credit_limit_cents": 0, "open_orders_cents": 10**12},  # 0 = unlimited
        {"customer_id": "C3", "credit_limit_cents": 1_000_000, "open_orders_cents": 0},
        {"customer_id": "C4", "credit_limit_cents": 500_000, "open_orders_cents": 500_001},  # no open items
        {"customer_id": "C5", "credit_limit_cents": 1_000_000, "open_orders_cents": 1},  # exactly at the limit
    )
    aged = aged_of(item("C1", "1", 0, 1_234_567), item("C2", "2", 0, 10**11), item("C3", "3", -3, 1_000_001),
                   item("C5", "5", 0, 999_999))
    table = credit_hold(aged, customers, AS_OF, ReportSettings())
    columns = ["customer_id", "reasons", "balance_cents", "open_orders_cents", "credit_limit_cents"]
    assert table[columns].values.tolist() == [  # orders waiting first, the largest first; then over the limit
        ["C4", "Balance 0.00 plus open orders 5,000.01 exceeds the credit limit 5,000.00.", 0, 500_001, 500_000],
        ["C1", "Balance 12,345.67 plus open orders 2,000.00 exceeds the credit limit 10,000.00.",
         1_234_567, 200_000, 1_000_000],
        ["C3", "Balance 10,000.01 exceeds the credit limit 10,000.00.", 1_000_001, 0, 1_000_000],
    ]
    assert (table["status"] == "Recommend hold").all()


def test_customers_on_hold_are_never_recommended_again_and_those_paid_down_are_recommended_for_release():
    customers = customers_of(
        {"customer_id": "H1", "credit_hold": True},  # on hold, nothing else wrong, no open items: release
        {"customer_id": "H2", "credit_hold": True, "credit_limit_cents": 100},
        {"customer_id": "H3", "credit_hold": True, "credit_limit_cents": 10_000, "open_orders_cents": 2_000},
        {"customer_id": "H4", "credit_hold": True},  # within any limit, but an invoice 6 days past due
        {"customer_id": "R1", "credit_limit_cents": 100},
        {"customer_id": "OK"},
    )
    aged = aged_of(item("H2", "1", 45, 5_000), item("R1", "2", 0, 101), item("OK", "3", 12, 10**9),
                   item("H3", "4", 5, 8_000), item("H4", "5", 6, 100))
    table = credit_hold(aged, customers, AS_OF, ReportSettings(release_days_beyond_terms=5))
    assert table[["customer_id", "status", "reasons"]].values.tolist() == [
        ["R1", "Recommend hold", "Balance 1.01 exceeds the credit limit 1.00."],
        ["H3", "Recommend release", "Paid down: balance 80.00 plus open orders 20.00, within the credit limit "
                                    "100.00, and nothing more than 5 days past due."],
        ["H1", "Recommend release", "Paid down: balance 0.00, no credit limit, and nothing more than 5 days past "
                                    "due."],
        ["H2", "On hold", "Invoice 1 is 45 days past due (limit 30); Balance 50.00 exceeds the credit limit 1.00."],
        ["H4", "On hold", "On hold in the ERP."],
    ]


def test_customers_without_a_customer_row_are_judged_from_their_items():
    aged = aged_of(item("C1", "1", 0, 900, credit_limit_cents=500), item("C1", "2", 0, 100, credit_limit_cents=800),
                   item("C2", "3", 0, 10**9))
    table = credit_hold(aged, customers_of(), AS_OF, ReportSettings())
    assert table[["customer_id", "reasons", "credit_limit_cents"]].values.tolist() == [
        ["C1", "Balance 10.00 exceeds the credit limit 8.00.", 800]]


def test_customers_from_items_take_the_first_name_and_the_highest_limit():
    aged = aged_of(item("B", "1", 0, 5, sales_rep="", credit_limit_cents=300),
                   item("B", "2", 0, 5, sales_rep="Sue", collector="Ann", credit_limit_cents=700),
                   item("A", "3", 0, 5, sales_rep="Bob", terms="Net 30"))
    table = customers_from_items(aged)
    assert_contract(table, CUSTOMERS)
    assert table.values.tolist() == [["A", "A Ltd", "Bob", "", "Net 30", 0, False, 0, pd.NaT, "", pd.NaT],
                                     ["B", "B Ltd", "Sue", "Ann", "", 700, False, 0, pd.NaT, "", pd.NaT]]
    assert_contract(customers_from_items(aged_of()), CUSTOMERS)


def test_empty_inputs_give_an_empty_credit_hold():
    table = credit_hold(aged_of(), empty(CUSTOMERS), AS_OF, ReportSettings())
    assert table.empty
    assert_contract(table, CREDIT_HOLD)


# Contacts

def test_note_line_says_what_the_note_says():
    assert note_line("2026-11-20", "Call", "Reached", "Will pay") == "2026-11-20 Call (Reached): Will pay"
    assert note_line("", "Email", "", "") == "Email"
    assert note_line("", "", "Paid", "") == "(Paid)"
    assert note_line("", "", "", "just text") == "just text"
    long = note_line("2026-11-20", "Call", "", "word " * 100)
    assert len(long) == 200 and long.endswith("…")
    assert note_line("", "", "", "two\nlines") == "two lines"


def test_item_notes_prefer_the_document_then_the_account():
    aged = aged_of(item("C1", "1", 10, 100), item("C1", "2", 10, 100), item("C2", "3", 10, 100),
                   item("C3", "4", 10, 100))
    notes = notes_of(
        {"customer_id": "C1", "doc_no": "", "written": "2026-11-01", "contact_type": "Call", "text": "account",
         "follow_up": "2026-12-10"},
        {"customer_id": "C1", "doc_no": "1", "written": "2026-10-01", "contact_type": "Email", "outcome": "Promised",
         "text": "about 1", "follow_up": "2026-12-05", "promise_cents": 123_456_78, "promise_date": "2026-12-01"},
        {"customer_id": "C2", "doc_no": "9", "written": "2026-10-01", "contact_type": "Call", "outcome": "Promised",
         "text": "long ago", "promise_cents": 5_00, "promise_date": "2026-10-15"},  # its date passed: not open
        {"customer_id": "C1", "doc_no": "1", "written": None, "contact_type": "Call", "text": "undated is oldest",
         "follow_up": "2026-11-23"},  # before as_of: not next
        {"customer_id": "C2", "doc_no": "9", "written": "2026-11-20", "contact_type": "Call", "text": "closed doc"},
        {"customer_id": "C3", "doc_no": "", "written": "2026-11-02", "text": "later", "follow_up": "2026-11-24"},
        {"customer_id": "C3", "doc_no": "", "written": "2026-11-02", "text": "same day, given later wins"},
    )
    aged.index = [10, 11, 12, 13]
    table = item_notes(aged, notes, latest_by_customer(notes, AS_OF), AS_OF)
    assert_contract(table, ITEM_NOTES)
    assert list(table.index) == [10, 11, 12, 13]
    assert table["latest_note"].tolist() == [
        "2026-10-01 Email (Promised): about 1", "2026-11-01 Call: account", "",
        "2026-11-02: same day, given later wins"]
    assert table["next_follow_up"].tolist() == [pd.Timestamp("2026-12-05"), pd.Timestamp("2026-12-10"), pd.NaT,
                                                pd.Timestamp("2026-11-24")]
    assert table["open_promise"].tolist() == ["123,456.78 by 2026-12-01"] * 2 + ["", ""]  # the customer's


def test_item_notes_without_notes_are_blank():
    table = item_notes(aged_of(item("C1", "1", 1, 1)), notes_of(), latest_by_customer(notes_of(), AS_OF), AS_OF)
    assert table["latest_note"].tolist() == [""] and table["next_follow_up"].isna().all()
    assert table["open_promise"].tolist() == [""]
    assert_contract(item_notes(aged_of(), notes_of(), latest_by_customer(notes_of(), AS_OF), AS_OF), ITEM_NOTES)


def test_account_status_reads_every_note_of_the_customer():
    notes = notes_of(
        {"customer_id": "C1", "written": "2026-11-01", "outcome": "Disputed", "dispute_reason": "Pricing",
         "dispute_cents": 123_400},
        {"customer_id": "C1", "written": "2026-11-05", "outcome": "Promised", "promise_cents": 500,
         "promise_date": "2026-11-30", "follow_up": "2026-12-01"},
        {"customer_id": "C1", "doc_no": "7", "written": "2026-11-10", "outcome": "Promised", "promise_cents": 900,
         "promise_date": "2026-11-23", "text": "Broken already", "follow_up": "2026-11-26"},  # promise is past
        {"customer_id": "C4", "written": None, "text": "undated"},
    )
    table = latest_by_customer(notes, AS_OF)
    assert_contract(table, STATUS)
    by = table.set_index("customer_id")
    assert by.loc["C1", "last_contact"] == pd.Timestamp("2026-11-10")
    assert (by.loc["C1", "last_outcome"], by.loc["C1", "last_note"]) == ("Promised", "Broken already")
    assert (by.loc["C1", "promise_cents"], by.loc["C1", "promise_date"]) == (500, pd.Timestamp("2026-11-30"))
    assert by.loc["C1", "next_follow_up"] == pd.Timestamp("2026-11-26")
    assert pd.isna(by.loc["C4", "last_contact"]) and by.loc["C4", "last_note"] == "undated"
    assert pd.isna(by.loc["C4", "promise_cents"])
    assert_contract(latest_by_customer(notes_of(), AS_OF), STATUS)


# Hit List and Meeting

def test_hit_list_groups_past_due_customers_by_sales_rep():
    aged = aged_of(
        item("C1", "11", 45, 10_000, sales_rep="Sue", collector="Ann"), item("C1", "12", -3, 500, sales_rep="Sue"),
        item("C2", "21", 5, 20_000, sales_rep="Sue"), item("C2", "22", 100, 30, sales_rep="Sue"),
        item("C3", "31", 1, 99, sales_rep=""),
        item("C4", "41", 10, 5_000, sales_rep="Bob"), item("C4", "42", 20, -5_000, "CM"),  # nets to 0: not listed
        item("C5", "51", 0, 7_000, sales_rep="Bob"),  # due today: not past due
        item("C6", "61", 200, 1, sales_rep="Bob"),
    )
    notes = notes_of({"customer_id": "C1", "written": "2026-11-20", "contact_type": "Call", "text": "Called"})
    table = hit_list(aged, latest_by_customer(notes, AS_OF), customers_of(), AS_OF, 30)
    labels = ["Current", "1-30", "31-60", "61-90", "91-120", "Over 120"]
    assert_contract(table, contract(labels))
    assert list(table.columns[4:11]) == [*labels, "past_due_cents"]
    assert table[["sales_rep", "customer_id", "past_due_cents", "total_cents", "oldest_doc", "oldest_days"]
                 ].values.tolist() == [
        ["Bob", "C6", 1, 1, "61", 200],
        ["Sue", "C2", 20_030, 20_030, "22", 100],
        ["Sue", "C1", 10_000, 10_500, "11", 45],
        ["", "C3", 99, 99, "31", 1],
    ]
    c1 = table.iloc[2]
    assert [c1[label] for label in labels] == [500, 0, 10_000, 0, 0, 0]
    assert (c1["collector"], c1["last_note_date"], c1["last_note"]) == ("Ann", pd.Timestamp("2026-11-20"), "Called")
    assert table.iloc[0]["last_note"] == "" and pd.isna(table.iloc[0]["last_note_date"])
    parts = split(table)
    assert list(parts) == ["Bob", "Sue", ""]
    assert parts["Sue"]["customer_id"].tolist() == ["C2", "C1"] and list(parts["Sue"].index) == [0, 1]


def test_hit_list_of_nothing_has_the_bucket_columns():
    aged = aged_of(aging=AgingSettings(thresholds=(5, 10)))
    table = hit_list(aged, latest_by_customer(notes_of(), AS_OF), customers_of(), AS_OF, 30)
    assert_contract(table, contract(["Current", "1-5", "6-10", "Over 10"]))
    assert split(table) == {}


def test_hit_list_shows_holds_and_releases_lately_to_the_sales_rep():
    """A held customer is listed even with nothing past due (its orders stop); a hold lifted within the window
    stays listed saying so; one lifted before it, or never held, is not."""
    aged = aged_of(item("C1", "11", 45, 10_000, sales_rep="Sue"), item("C2", "21", -5, 700, sales_rep="Sue"))
    day = pd.Timestamp
    customers = customers_of(
        {"customer_id": "C1", "sales_rep": "Sue", "credit_hold": True, "credit_hold_date": day("2026-11-02"),
         "credit_hold_source": "ARDESK"},
        {"customer_id": "C2", "sales_rep": "Sue", "credit_hold": True, "credit_hold_date": pd.NaT,
         "credit_hold_source": "MANUAL"},
        {"customer_id": "C3", "sales_rep": "Bob", "credit_hold_date": day(AS_OF - dt.timedelta(days=30)),
         "credit_hold_source": "ARDESK"},
        {"customer_id": "C4", "sales_rep": "Bob", "credit_hold_date": day(AS_OF - dt.timedelta(days=31)),
         "credit_hold_source": "ARDESK"},
        {"customer_id": "C5", "sales_rep": "Bob"})
    table = hit_list(aged, latest_by_customer(notes_of(), AS_OF), customers, AS_OF, 30)
    assert table[["sales_rep", "customer_id", "customer_name", "past_due_cents", "total_cents", "credit_hold"]
                 ].values.tolist() == [
        ["Bob", "C3", "C3 Ltd", 0, 0, f"Released {AS_OF - dt.timedelta(days=30)}"],
        ["Sue", "C1", "C1 Ltd", 10_000, 10_000, "On hold since 2026-11-02"],
        ["Sue", "C2", "C2 Ltd", 0, 700, "On hold"]]


def test_meeting_lists_delinquent_accounts_per_collector_with_their_status():
    aged = aged_of(
        item("C1", "11", 95, 10_000, collector="Ann"), item("C1", "12", 10, 2_000, collector="Ann"),
        item("C2", "21", 5, 50_000, collector="Ann"),
        item("C3", "31", 40, 300, collector=""),
        item("C4", "41", 3, 1_000, collector="Zed"),
        item("C5", "51", -1, 1_000, collector="Ann"),  # not yet due
    )
    notes = notes_of(
        {"customer_id": "C1", "written": "2026-11-10", "outcome": "Disputed", "dispute_reason": "Pricing",
         "dispute_cents": 123_400},
        {"customer_id": "C1", "written": "2026-11-20", "contact_type": "Call", "outcome": "Promised",
         "promise_cents": 2_000, "promise_date": "2026-11-28", "follow_up": "2026-12-01",
         "text": "Will pay the undisputed part " + "x" * 100},
        {"customer_id": "C4", "written": "2026-11-21", "outcome": "Left message"},
        {"customer_id": "C3", "written": "2026-11-01", "outcome": "Disputed"},
    )
    disputes = pd.Series({"C1": "Pricing 1,234.00", "C3": "Disputed", "C9": "not delinquent"}, dtype="string")
    table = meeting(aged, latest_by_customer(notes, AS_OF), disputes)
    assert_contract(table, MEETING)
    assert table[["collector", "customer_id", "past_due_cents", "over_90_cents", "oldest_days"]].values.tolist() == [
        ["Ann", "C2", 50_000, 0, 5], ["Ann", "C1", 12_000, 10_000, 95], ["Zed", "C4", 1_000, 0, 3],
        ["", "C3", 300, 0, 40]]
    c1 = table.iloc[1]
    assert (c1["last_contact"], c1["last_outcome"]) == (pd.Timestamp("2026-11-20"), "Promised")
    assert (c1["promise_cents"], c1["promise_date"]) == (2_000, pd.Timestamp("2026-11-28"))
    assert c1["dispute"] == "Pricing 1,234.00"
    assert c1["next_step"].startswith("Follow up 2026-12-01: Will pay the undisputed part x")
    assert len(c1["next_step"]) == len("Follow up 2026-12-01: ") + 80 and c1["next_step"].endswith("…")
    assert table["next_step"].tolist()[::2] == ["No contact logged", ""]
    assert table["dispute"].tolist() == ["", "Pricing 1,234.00", "", "Disputed"]
    assert pd.isna(table.iloc[0]["promise_cents"]) and pd.isna(table.iloc[0]["last_contact"])


def test_meeting_of_nothing_is_empty():
    table = meeting(aged_of(), latest_by_customer(notes_of(), AS_OF), pd.Series(dtype="string"))
    assert table.empty
    assert_contract(table, MEETING)


@pytest.mark.parametrize("collector", ["", "Ann"])
def test_amounts_stay_exact_to_the_cent(collector):
    big = 2**53  # big + 1 is the first whole number a float cannot hold: a float sum would lose the cent
    aged = aged_of(item("C1", "1", 91, big, collector=collector), item("C1", "2", 91, 1, collector=collector))
    nobody = latest_by_customer(notes_of(), AS_OF)
    assert meeting(aged, nobody, pd.Series(dtype="string"))["past_due_cents"].tolist() == [big + 1]
    assert hit_list(aged, nobody, customers_of(), AS_OF, 30)["91-120"].tolist() == [big + 1]
    assert exceptions(aged, AS_OF, ReportSettings(past_due_days=(90,)))["balance_cents"].iloc[0] == big + 1
    assert np.int64(big + 1) == credit_hold(aged, customers_of(), AS_OF, ReportSettings())["balance_cents"].iloc[0]
