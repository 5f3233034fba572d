"""Collection notes before the ERP (validation, the text a note becomes), promises, payment plans: pure."""
import datetime as dt

import pandas as pd
import pytest

from ardesk.ar import notes, plans
from ardesk.errors import ArdeskError
from ardesk.frames import NOTES, PLAN, PLAN_ROWS, PLAN_STATUS, PROMISES
from ardesk.settings import NotesSettings, load

AS_OF = dt.date(2026, 11, 24)
CUSTOMERS = pd.DataFrame({"customer_id": ["C1", "C2"]})
INVOICES = pd.DataFrame({"customer_id": ["C1", "C1", "C2"], "doc_no": ["1001", "1002", "2001"]})


def note(**values) -> pd.DataFrame:
    """One NOTES row: a valid call to C1 unless `values` say otherwise."""
    row = {"customer_id": "C1", "doc_no": "", "written": pd.Timestamp("2026-11-20 10:00"), "contact_type": "Call",
           "contact_person": "", "outcome": "Reached", "promise_cents": pd.NA, "promise_date": pd.NaT,
           "dispute_reason": "", "dispute_cents": pd.NA, "follow_up": pd.NaT, "text": "Spoke to AP.", "author": "DK",
           "source": "Workbook"} | values
    return pd.DataFrame([row]).astype(NOTES)


def reason(**values) -> str:
    return notes.validate(note(**values), CUSTOMERS, INVOICES, AS_OF).iat[0]


def test_a_complete_note_is_valid():
    assert reason() == ""
    assert reason(doc_no="1001, 1002", outcome="Promised", promise_cents=50_000,
                  promise_date=pd.Timestamp("2026-12-01"), follow_up=pd.Timestamp("2026-11-20")) == ""
    assert reason(outcome="Disputed", dispute_reason="Pricing", dispute_cents=1_000) == ""


@pytest.mark.parametrize("values, sentence", [
    ({"customer_id": ""}, "The note names no customer: give the customer ID it is about."),
    ({"customer_id": "C9"}, "Customer C9 is not in the ERP: check the customer ID."),
    ({"contact_type": ""}, "The note has no contact type: pick one of Call, Email, Portal, Letter, Meeting."),
    ({"contact_type": "Fax"}, "Contact type 'Fax' is not one of Call, Email, Portal, Letter, Meeting: pick one."),
    ({"outcome": "Maybe"}, "Outcome 'Maybe' is not one of Reached, Left message, Promised, Disputed, Refused, "
                           "Wrong contact, Paid: pick one or leave it empty."),
    ({"doc_no": "1001 2001"}, "Invoice 2001 is not an invoice of customer C1: check the invoice number."),
    ({"promise_cents": 12_345}, "The promise of 123.45 has no date: give the date it is promised for."),
    ({"promise_date": pd.Timestamp("2026-12-01")},
     "The promise for 2026-12-01 has no amount: give the promised amount."),
    ({"outcome": "Promised"},
     "The outcome is Promised but no amount or date is given: give the promised amount and date."),
    ({"promise_cents": 0, "promise_date": pd.Timestamp("2026-12-01")},
     "The promised amount 0.00 is not above 0: give the amount promised."),
    ({"dispute_reason": "Weather"}, "Dispute reason 'Weather' is not one of Pricing, Shortage, Damage, Returns, "
                                    "Not received, Duplicate billing, Unauthorised deduction: pick one."),
    ({"outcome": "Disputed"}, "The dispute has no reason: pick one of Pricing, Shortage, Damage, Returns, "
                              "Not received, Duplicate billing, Unauthorised deduction."),
    ({"dispute_cents": 500}, "The dispute has no reason: pick one of Pricing, Shortage, Damage, Returns, "
                             "Not received, Duplicate billing, Unauthorised deduction."),
    ({"follow_up": pd.Timestamp("2026-11-19")},
     "The follow-up date 2026-11-19 is in the past: give 2026-11-20 or later."),
])
def test_each_rule_says_what_to_fix(values, sentence):
    assert reason(**values) == sentence


def test_the_first_broken_rule_is_the_one_reported_and_rows_stay_aligned():
    frame = pd.concat([note(), note(customer_id="C9", contact_type="Fax"), note(contact_type="Fax", outcome="x")])
    frame.index = [10, 20, 30]
    found = notes.validate(frame, CUSTOMERS, INVOICES, AS_OF)
    assert list(found.index) == [10, 20, 30]
    assert found.iat[0] == ""
    assert found.iat[1].startswith("Customer C9")
    assert found.iat[2].startswith("Contact type 'Fax'")


def test_a_follow_up_is_judged_against_the_day_written_or_else_today():
    assert reason(written=pd.Timestamp("2026-11-20 17:00"), follow_up=pd.Timestamp("2026-11-20")) == ""
    assert reason(written=pd.NaT, follow_up=pd.Timestamp("2026-11-23")).startswith("The follow-up date 2026-11-23")
    assert reason(written=pd.NaT, follow_up=pd.Timestamp("2026-11-24")) == ""


def test_choices_take_their_canonical_spelling():
    assert notes.spelled(["  left   MESSAGE ", "paid", "Later", None], notes.OUTCOMES) == [
        "Left message", "Paid", "Later", ""]


def test_invoices_of_a_note():
    assert notes.invoices_of(" 1001, 1002;1003  1004 ") == ["1001", "1002", "1003", "1004"]
    assert notes.invoices_of("") == []


def test_the_text_arrives_as_typed_and_details_follow_it():
    plain = notes.call_text(note(text="  It's \"fine\"\n'; DROP TABLE x; -- 😀 שלום  "))
    assert plain.iat[0, 0] == "Reached"
    assert plain.iat[0, 1] == "  It's \"fine\"\n'; DROP TABLE x; -- 😀 שלום  "
    full = notes.call_text(note(doc_no="1001 1002", contact_person="Maria Lopez", outcome="Disputed",
                                promise_cents=123_456_789, promise_date=pd.Timestamp("2026-12-01"),
                                dispute_reason="Pricing", dispute_cents=5_000, follow_up=pd.Timestamp("2026-12-05")))
    assert full.iat[0, 0] == "Disputed - Pricing"
    assert full.iat[0, 1] == ("Spoke to AP.\n\nInvoices: 1001, 1002\nContact: Maria Lopez\n"
                              "Promise: 1,234,567.89 by 2026-12-01\nDispute: Pricing 50.00\nFollow-up: 2026-12-05")
    assert notes.call_text(note(text="", outcome="", dispute_reason="Damage")).iloc[0].tolist() == [
        "Disputed - Damage", "Dispute: Damage"]


# --- promises ----------------------------------------------------------------------------------------------

def payments(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["customer_id", "paid", "amount_cents"]).astype(
        {"customer_id": "string", "paid": "datetime64[s]", "amount_cents": "int64"})


def promise(customer="C1", cents=10_000, on="2026-11-10", written="2026-11-01", note_id="") -> pd.DataFrame:
    return note(customer_id=customer, outcome="Promised", promise_cents=cents, promise_date=pd.Timestamp(on),
                written=pd.Timestamp(written)).assign(note_id=note_id)


def test_a_promise_is_kept_by_payments_within_the_grace_days_and_broken_without_them():
    made = pd.concat([promise(note_id="a"), promise(customer="C2", note_id="b"), promise(on="2026-11-23",
                                                                                          note_id="c")])
    paid = payments(("C1", "2026-11-13", 10_000), ("C2", "2026-11-14", 10_000))
    found = notes.promises(made, paid, AS_OF, grace_days=3)
    assert list(found.columns) == list(PROMISES)
    assert found["status"].tolist() == ["Kept", "Broken", "Pending"]
    assert found["due_by"].tolist() == [pd.Timestamp("2026-11-13"), pd.Timestamp("2026-11-13"),
                                        pd.Timestamp("2026-11-26")]
    assert found["paid_cents"].tolist() == [10_000, 0, 0]


def test_each_payment_counts_once_earliest_promise_first_and_not_before_the_promise():
    made = pd.concat([promise(cents=6_000, on="2026-11-12"), promise(cents=6_000, on="2026-11-10")])
    made.index = [7, 8]
    paid = payments(("C1", "2026-10-30", 50_000), ("C1", "2026-11-05", 8_000), ("C1", "2026-11-11", 3_000))
    found = notes.promises(made, paid, AS_OF, grace_days=0)
    assert list(found.index) == [7, 8]
    assert found.loc[8, ["paid_cents", "status"]].tolist() == [6_000, "Kept"]  # the earlier date goes first
    assert found.loc[7, ["paid_cents", "status"]].tolist() == [5_000, "Broken"]  # 2,000 left + 3,000
    assert notes.broken_by_customer(found).to_dict() == {"C1": 1}


def test_notes_without_a_full_promise_are_not_promises():
    found = notes.promises(pd.concat([note(), note(promise_cents=5)]), payments(), AS_OF, grace_days=3)
    assert found.empty and list(found.columns) == list(PROMISES)


# --- payment plans ------------------------------------------------------------------------------------------

def test_a_plan_splits_the_amount_and_the_last_installment_takes_the_rounding():
    plan = plans.payment_plan(100_00, 3, "2w", dt.date(2026, 12, 1))
    assert list(plan.columns) == list(PLAN) and plan.dtypes.to_dict() == {k: v for k, v in PLAN.items()}
    assert plan["amount_cents"].tolist() == [33_33, 33_33, 33_34]
    assert plan["due_date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-12-01", "2026-12-15", "2026-12-29"]
    assert int(plan["amount_cents"].sum()) == 100_00


def test_monthly_plans_keep_the_day_or_take_the_months_last():
    plan = plans.payment_plan(1_000_01, 4, "1m", dt.date(2027, 1, 31))
    assert plan["due_date"].dt.strftime("%Y-%m-%d").tolist() == ["2027-01-31", "2027-02-28", "2027-03-31",
                                                                 "2027-04-30"]
    assert plan["amount_cents"].tolist() == [250_00, 250_00, 250_00, 250_01]
    assert plans.payment_plan(500, 2, "10 days", dt.date(2026, 12, 30))["due_date"].iat[1] == pd.Timestamp(
        "2027-01-09")


@pytest.mark.parametrize("amount, installments, every, words", [
    (100, 3, "fortnightly", "The interval 'fortnightly' is not a number of days, weeks or months"),
    (100, 3, "0w", "The interval '0w'"),
    (100, 0, "1m", "A payment plan of 0 installments is not possible"),
    (-5, 2, "1m", "A payment plan for -0.05 is not possible"),
    (2, 3, "1m", "0.02 in 3 installments is less than a cent each"),
])
def test_impossible_plans_are_refused_in_a_sentence(amount, installments, every, words):
    with pytest.raises(ArdeskError, match=words.replace("(", r"\(").replace(".", r"\.")):
        plans.payment_plan(amount, installments, every, dt.date(2026, 12, 1))


def test_a_plan_is_recorded_as_a_note_and_read_back_from_its_text():
    plan = plans.payment_plan(1_234_567, 3, "2w", dt.date(2026, 12, 1))
    recorded = plans.plan_note("C1", plan, "2w", written=dt.datetime(2026, 11, 24, 9, 30), author="DK",
                               text="Agreed with the controller.")
    assert list(recorded.columns) == list(NOTES) and recorded.dtypes.to_dict() == NOTES
    row = recorded.iloc[0]
    assert (row["outcome"], row["promise_cents"], row["promise_date"]) == (
        "Promised", 1_234_567, pd.Timestamp("2026-12-29"))
    assert row["text"] == ("Agreed with the controller.\nPayment plan: 3 installments every 2 weeks, 12,345.67 in "
                           "all: 2026-12-01 4,115.22; 2026-12-15 4,115.22; 2026-12-29 4,115.23.")
    assert notes.validate(recorded, CUSTOMERS, INVOICES, AS_OF).iat[0] == ""
    back = plans.plan_from_text("Promised: " + row["text"] + "\n\nFollow-up: 2026-12-01")
    pd.testing.assert_frame_equal(back, plan)
    assert plans.plan_from_text("no plan here") is None
    cut = row["text"][:row["text"].index("2026-12-29")]  # the ERP's copy of a long note is read cut short
    assert plans.plan_from_text(cut) is None and plans.plan_from_text(cut + "2026-12-29 4,115.22.") is None


def test_each_customers_latest_plan_is_shown_installment_by_installment():
    first = plans.payment_plan(900_00, 3, "1m", dt.date(2026, 9, 1))
    second = plans.payment_plan(600_00, 2, "2w", dt.date(2026, 11, 1))  # replaces the first
    other = plans.payment_plan(100_00, 1, "1w", dt.date(2026, 12, 1))
    recorded = pd.concat([
        plans.plan_note("C1", first, "1m", written=dt.datetime(2026, 8, 20), author="DK"),
        plans.plan_note("C1", second, "2w", written=dt.datetime(2026, 10, 28), author="DK"),
        plans.plan_note("C2", other, "1w", written=dt.datetime(2026, 11, 20), author="DK"),
        note(customer_id="C2", written=pd.Timestamp("2026-11-21"), text="Payment plan: to be agreed next week"),
    ], ignore_index=True)
    aged = pd.DataFrame({"customer_id": ["C1", "C2"], "customer_name": ["One", "Two"], "collector": ["Ana", ""]})
    paid = payments(("C1", "2026-11-03", 300_00), ("C1", "2026-09-02", 300_00))
    shown = plans.latest_plans(aged, recorded, paid, AS_OF, grace_days=3)
    assert list(shown.columns) == list(PLAN_ROWS)
    assert list(zip(shown["customer_id"], shown["installment"], shown["status"], shown["paid_cents"])) == [
        ("C1", 1, "Kept", 300_00), ("C1", 2, "Missed", 0), ("C2", 1, "Due", 0)]
    assert shown["agreed"].tolist() == [pd.Timestamp("2026-10-28")] * 2 + [pd.Timestamp("2026-11-20")]
    assert (shown["customer_name"].tolist(), shown["collector"].tolist()) == (["One", "One", "Two"], ["Ana", "Ana", ""])
    assert plans.latest_plans(aged, recorded.iloc[:0], paid, AS_OF, 3).empty


def test_installments_are_kept_missed_or_due():
    plan = plans.payment_plan(300_00, 3, "2w", dt.date(2026, 11, 1))  # due 11-01, 11-15, 11-29
    paid = payments(("C1", "2026-10-20", 500_00),  # before the plan: does not count
                    ("C1", "2026-11-02", 100_00), ("C2", "2026-11-16", 200_00), ("C1", "2026-11-20", 50_00))
    status = plans.plan_status(plan, paid, "C1", since=dt.date(2026, 10, 25), as_of=AS_OF, grace_days=3)
    assert list(status.columns) == list(PLAN_STATUS)
    assert status["status"].tolist() == ["Kept", "Missed", "Due"]
    assert status["paid_cents"].tolist() == [100_00, 50_00, 0]  # the late 50.00 counts for the second


def test_notes_settings_come_from_the_notes_section(tmp_path):
    assert NotesSettings() == NotesSettings(grace_days=3, batch_rows=500)
    path = tmp_path / "ardesk.toml"
    path.write_text("[notes]\ngrace_days = 5\nbatch_rows = 200\n", encoding="utf-8")
    assert load(path).notes == NotesSettings(grace_days=5, batch_rows=200)
    path.write_text("[notes]\ngrace = 5\n", encoding="utf-8")
    with pytest.raises(ArdeskError, match=r"\[notes\] has an unknown setting 'grace'"):
        load(path)
    with pytest.raises(ArdeskError, match=r"\[notes\] batch_rows = 0 must be a whole number from 1 to 2000"):
        NotesSettings(batch_rows=0)


def test_every_note_type_fits_epicors_call_type_code():
    """CallTypeCode holds 8 characters: a longer type would be refused by the ERP at every push."""
    from ardesk.vocabulary import CONTACT_TYPES, RECORD_TYPES
    assert max(len(kind) for kind in CONTACT_TYPES + RECORD_TYPES) <= 8
