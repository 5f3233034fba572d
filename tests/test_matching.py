"""Matching unapplied credits to open invoices: each rule, the hard cases by name, and the invariants."""
import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ardesk.ar.matching import families, match
from ardesk.errors import ArdeskError
from ardesk.frames import CONFIDENCES, DIFFERENCES, MATCH_RULES, PROPOSALS, REVIEW, REVIEW_REASONS, conform
from ardesk.settings import ReconcileSettings

DAY = dt.timedelta(days=1)
START = dt.date(2026, 9, 1)


def item(customer, doc, cents, kind=None, ref="", currency="USD", due=0) -> dict:
    """One open item; invoices (positive) due `due` days after START, credits (negative) payments by default."""
    date = pd.Timestamp(START + due * DAY)
    return {"customer_id": customer, "customer_name": f"{customer} Ltd", "doc_no": doc,
            "doc_type": kind or ("INV" if cents > 0 else "PAY"), "doc_date": date, "due_date": date,
            "currency": currency, "amount_cents": cents, "balance_cents": cents, "base_balance_cents": cents,
            "reference": ref}


def items_of(*rows) -> pd.DataFrame:
    return conform(pd.DataFrame(list(rows)))


def applied(result, credit=None) -> list[tuple]:
    """(credit_doc, invoice_doc, cents, rule, confidence) of the proposals (of one credit)."""
    table = result.proposals
    if credit is not None:
        table = table[table["credit_doc"] == credit]
    return list(table[["credit_doc", "invoice_doc", "amount_cents", "rule", "confidence"]].itertuples(index=False,
                                                                                                      name=None))


def reviewed(result) -> dict[str, str]:
    return dict(zip(result.review["credit_doc"], result.review["reason"]))


def assert_contract(frame: pd.DataFrame, contract: dict[str, str]) -> None:
    assert list(frame.columns) == list(contract)
    assert {name: str(dtype) for name, dtype in frame.dtypes.items()} == contract


# The hard cases of the issue, by name


def test_two_equal_invoices_and_a_payment_of_that_amount_without_reference_go_to_review():
    result = match(items_of(item("A", "101", 500_00, due=1), item("A", "102", 500_00, due=2),
                            item("A", "P1", -500_00)))
    assert applied(result) == []
    row = result.review.iloc[0]
    assert (row["credit_doc"], row["reason"], row["candidates"]) == ("P1", "ambiguous", "101 | 102")


def test_a_payment_equal_to_one_invoice_and_to_the_sum_of_two_others_is_medium_not_preapproved():
    result = match(items_of(item("A", "101", 300_00), item("A", "102", 100_00), item("A", "103", 200_00),
                            item("A", "P1", -300_00)))
    assert applied(result) == [("P1", "101", 300_00, "amount", "medium")]
    assert "102 + 103 also sum to it" in result.proposals["evidence"].iloc[0]


def test_a_reference_to_a_closed_invoice_is_never_applied_with_confidence():
    only_reference = match(items_of(item("A", "105", 40_00), item("A", "P1", -123_45, ref="INV 99")))
    assert applied(only_reference) == []
    assert reviewed(only_reference) == {"P1": "reference not open"}
    assert "99" in only_reference.review["evidence"].iloc[0]
    # the amount fits another invoice: proposed as a lead only
    same_amount = match(items_of(item("A", "105", 123_45), item("A", "P1", -123_45, ref="INV 99")))
    assert applied(same_amount) == [("P1", "105", 123_45, "amount", "low")]
    assert "99, not an open invoice" in same_amount.proposals["evidence"].iloc[0]


def test_a_credit_in_another_currency_is_not_applied():
    result = match(items_of(item("A", "101", 250_00, currency="USD"),
                            item("A", "P1", -250_00, ref="INV 101", currency="EUR")))
    assert applied(result) == []
    assert reviewed(result) == {"P1": "reference not open"}
    assert "in USD" in result.review["evidence"].iloc[0]


# Rule 1: reference


@pytest.mark.parametrize("reference", ["INV-00123", "inv 123", "#123", "Inv#123", "RE: INVOICE 123", "123",
                                       "Credit for inv. 123", "PO 4500012345 INV 123 $99.00 on 2026-11-02"])
def test_a_reference_names_its_invoice_in_any_format(reference):
    result = match(items_of(item("A", "00123", 99_00), item("A", "124", 99_00), item("A", "P1", -99_00,
                                                                                      ref=reference)))
    assert applied(result) == [("P1", "00123", 99_00, "reference", "high")]
    assert result.proposals["reference"].iloc[0] == reference


def test_a_reference_naming_several_invoices_pays_them_all():
    result = match(items_of(item("A", "10", 10_00, due=2), item("A", "11", 25_00, due=1), item("A", "12", 5_00),
                            item("A", "P1", -35_00, ref="PMT INV 10 11")))
    assert applied(result) == [("P1", "11", 25_00, "reference", "high"), ("P1", "10", 10_00, "reference", "high")]
    assert result.proposals["matched"].tolist() == ["11 + 10", "11 + 10"]


def test_a_reference_to_another_customers_invoice_is_not_applied_and_says_whose():
    result = match(items_of(item("A", "101", 80_00), item("B", "202", 80_00), item("B", "P1", -80_00, ref="INV 101")))
    assert applied(result) == [("P1", "202", 80_00, "amount", "low")]
    assert "customer A" in result.proposals["evidence"].iloc[0]


def test_a_bare_number_that_may_be_a_closed_invoice_makes_an_amount_match_medium():
    rows = (item("A", "10234", 77_00), item("A", "10300", 5_00), item("A", "P1", -77_00, ref="10250"))
    assert applied(match(items_of(*rows))) == [("P1", "10234", 77_00, "amount", "medium")]
    check_number = (item("A", "10234", 77_00), item("A", "10300", 5_00), item("A", "P1", -77_00, ref="4711"))
    assert applied(match(items_of(*check_number))) == [("P1", "10234", 77_00, "amount", "high")]


def test_a_reference_with_a_typing_slip_is_proposed_at_medium():
    result = match(items_of(item("A", "10234", 77_00), item("A", "P1", -77_00, ref="INV 10243")))
    assert applied(result) == [("P1", "10234", 77_00, "amount", "medium")]
    assert "typing slip" in result.proposals["evidence"].iloc[0]


def test_two_payments_naming_one_invoice_the_second_is_contested():
    result = match(items_of(item("A", "101", 60_00), item("A", "P1", -60_00, ref="INV 101"),
                            item("A", "P2", -60_00, ref="INV 101")))
    assert applied(result) == [("P1", "101", 60_00, "reference", "high")]
    assert reviewed(result) == {"P2": "contested"}
    assert "P1 already pays it" in result.review["evidence"].iloc[0]


def test_instalments_naming_one_invoice_share_it():
    result = match(items_of(item("A", "101", 60_00), item("A", "P1", -20_00, ref="INV 101"),
                            item("A", "P2", -40_00, ref="INV 101")))
    assert applied(result) == [("P1", "101", 20_00, "reference", "high"), ("P2", "101", 40_00, "reference", "high")]
    assert result.short_pays.empty and result.review.empty


# Rule 2 and 3: amount and combination


def test_one_invoice_of_the_amount_and_no_set_is_high():
    result = match(items_of(item("A", "101", 45_10), item("A", "102", 30_00), item("A", "P1", -45_10)))
    assert applied(result) == [("P1", "101", 45_10, "amount", "high")]


def test_exactly_one_set_summing_to_the_credit_pays_all_of_it():
    result = match(items_of(item("A", "101", 10_01), item("A", "102", 20_02), item("A", "103", 30_04),
                            item("A", "104", 99_00), item("A", "P1", -60_07)))
    assert [(i, r, c) for _, i, _, r, c in applied(result)] == [("101", "combination", "high"),
                                                               ("102", "combination", "high"),
                                                               ("103", "combination", "high")]


@pytest.mark.parametrize("credit, why", [
    (item("A", "C1", -60_07, kind="CM"), "a credit memo is usually raised for one invoice"),
    (item("A", "P1", -600_00), "a round sum is often a payment on account"),
])
def test_a_set_that_may_be_chance_is_medium(credit, why):
    cents = -credit["balance_cents"]
    rows = (item("A", "101", 10_01), item("A", "102", cents - 10_01), item("A", "104", 99_00), credit)
    result = match(items_of(*rows))
    assert {c for *_, c in applied(result)} == {"medium"}
    assert why in result.proposals["evidence"].iloc[0]


def test_a_set_among_invoices_that_sum_to_nearly_every_amount_is_medium():
    rows = [item("A", str(100 + k), 10_00 + k) for k in range(20)]  # only the six largest sum to 60.99, other sixes
    # to most amounts just under it
    result = match(items_of(*rows, item("A", "P1", -(6 * 10_00 + 14 + 15 + 16 + 17 + 18 + 19))))
    assert [(i, c) for _, i, _, _, c in applied(result)] == [(str(k), "medium") for k in range(114, 120)]
    assert "may be chance" in result.proposals["evidence"].iloc[0]


def test_several_sets_summing_to_the_credit_go_to_review_with_the_sets():
    result = match(items_of(item("A", "101", 10_00), item("A", "102", 20_00), item("A", "103", 5_00),
                            item("A", "104", 25_00), item("A", "P1", -30_00)))
    assert applied(result) == []
    assert result.review[["reason", "candidates"]].values.tolist() == [["ambiguous", "103 + 104 | 101 + 102"]]


def test_sets_larger_than_the_setting_are_not_tried():
    rows = [item("A", str(100 + k), 10_00 + k) for k in range(4)] + [item("A", "P1", -(40_00 + 6))]
    assert applied(match(items_of(*rows), ReconcileSettings(max_combination=3))) == []
    assert len(applied(match(items_of(*rows), ReconcileSettings(max_combination=4)))) == 4


def test_the_search_gives_up_at_its_budget_and_says_so():
    rows = [item("A", str(1000 + k), 1_00 + k) for k in range(60)] + [item("A", "P1", -7_77)]
    result = match(items_of(*rows), ReconcileSettings(search_budget=1_000))
    assert applied(result) == []
    assert reviewed(result) == {"P1": "gave up"}
    assert "gave up after 1,000 tries" in result.review["evidence"].iloc[0]


def test_a_single_match_whose_search_gave_up_is_medium():
    evens = [item("A", str(1000 + k), 1_00 + 2 * k) for k in range(60)]  # no set of them is odd
    rows = evens + [item("A", "2000", 7_77), item("A", "P1", -7_77)]
    assert applied(match(items_of(*rows))) == [("P1", "2000", 7_77, "amount", "high")]
    assert applied(match(items_of(*rows), ReconcileSettings(search_budget=1_000))) == [
        ("P1", "2000", 7_77, "amount", "medium")]


def test_two_credits_wanting_the_same_invoice_are_both_contested():
    result = match(items_of(item("A", "101", 70_00), item("A", "P1", -70_00), item("A", "P2", -70_00)))
    assert applied(result) == []
    assert reviewed(result) == {"P1": "contested", "P2": "contested"}


# Rule 4: tolerance, short pays and over-payments


def test_a_shortfall_within_the_tolerance_is_written_off():
    tolerance = ReconcileSettings(tolerance_pct=Decimal("1"), tolerance_abs=Decimal("5"))
    result = match(items_of(item("A", "101", 200_00), item("A", "P1", -198_50, ref="INV 101")), tolerance)
    assert applied(result) == [("P1", "101", 198_50, "reference", "high")]
    assert result.write_offs[["invoice_doc", "amount_cents"]].values.tolist() == [["101", 1_50]]
    assert result.short_pays.empty and result.review.empty


def test_both_tolerance_limits_must_allow_a_write_off():
    rows = (item("A", "101", 200_00), item("A", "P1", -197_50, ref="INV 101"))
    by_share = match(items_of(*rows), ReconcileSettings(tolerance_pct=Decimal("1"), tolerance_abs=Decimal("2")))
    assert by_share.write_offs.empty and by_share.short_pays["amount_cents"].tolist() == [2_50]
    assert match(items_of(*rows)).write_offs.empty  # the default tolerance is 0


def test_a_limit_not_given_does_not_cancel_one_given():
    rows = (item("A", "101", 200_00), item("A", "P1", -198_50, ref="INV 101"))  # 1.50 short of 200.00
    by_share = match(items_of(*rows), ReconcileSettings(tolerance_pct=Decimal("1")))  # 1 % of 200.00 = 2.00
    assert by_share.write_offs[["invoice_doc", "amount_cents"]].values.tolist() == [["101", 1_50]]
    by_amount = match(items_of(*rows), ReconcileSettings(tolerance_abs=Decimal("1.50")))
    assert by_amount.write_offs[["invoice_doc", "amount_cents"]].values.tolist() == [["101", 1_50]]
    too_little = match(items_of(*rows), ReconcileSettings(tolerance_pct=Decimal("0.7")))  # 1.40 < 1.50
    assert too_little.write_offs.empty and too_little.short_pays["amount_cents"].tolist() == [1_50]


def test_a_shortfall_over_the_tolerance_is_a_partial_application_and_a_short_pay():
    result = match(items_of(item("A", "101", 200_00), item("A", "P1", -150_00, ref="INV 101")))
    assert applied(result) == [("P1", "101", 150_00, "reference", "high")]
    assert result.short_pays[["credit_doc", "invoice_doc", "amount_cents"]].values.tolist() == [["P1", "101", 50_00]]


def test_a_partial_credit_memo_is_no_short_pay():
    result = match(items_of(item("A", "101", 200_00), item("A", "C1", -20_00, kind="CM", ref="Credit for inv 101")))
    assert applied(result) == [("C1", "101", 20_00, "reference", "high")]
    assert result.short_pays.empty and result.review.empty


def test_a_short_pay_of_several_invoices_is_medium():
    result = match(items_of(item("A", "101", 100_00, due=1), item("A", "102", 100_00, due=2),
                            item("A", "P1", -150_00, ref="INV 101, 102")))
    assert applied(result) == [("P1", "101", 100_00, "reference", "medium"),
                               ("P1", "102", 50_00, "reference", "medium")]
    assert result.short_pays["amount_cents"].tolist() == [50_00]


def test_an_over_payment_is_applied_and_the_rest_stays_a_credit():
    result = match(items_of(item("A", "101", 100_00), item("A", "P1", -130_00, ref="INV 101")))
    assert applied(result) == [("P1", "101", 100_00, "reference", "high")]
    assert result.review[["reason", "credit_cents", "left_cents"]].values.tolist() == [["left over", 130_00, 30_00]]


def test_an_amount_within_the_tolerance_of_one_invoice_is_medium_with_a_write_off():
    tolerance = ReconcileSettings(tolerance_pct=Decimal("0.5"), tolerance_abs=Decimal("10"))
    result = match(items_of(item("A", "101", 1000_00), item("A", "P1", -995_00)), tolerance)
    assert applied(result) == [("P1", "101", 995_00, "tolerance", "medium")]
    assert result.write_offs["amount_cents"].tolist() == [5_00]


# Rule 5: oldest first


def test_oldest_first_only_for_customers_that_want_it():
    rows = (item("A", "101", 100_00, due=5), item("A", "102", 100_00, due=1), item("A", "103", 100_00, due=9),
            item("A", "P1", -150_00))
    assert applied(match(items_of(*rows))) == []
    wanted = match(items_of(*rows), ReconcileSettings(apply_oldest_customers=("A",)))
    assert applied(wanted) == [("P1", "102", 100_00, "oldest", "high"), ("P1", "101", 50_00, "oldest", "high")]
    assert wanted.review.empty


def test_nothing_fits_no_match():
    result = match(items_of(item("A", "101", 10_00), item("A", "P1", -7_00, ref="Remittance to follow")))
    assert applied(result) == [] and reviewed(result) == {"P1": "no match"}


def test_oldest_first_is_medium_when_the_reference_names_a_closed_invoice():
    rows = (item("A", "101", 100_00), item("A", "P1", -40_00, ref="INV 99"))
    assert applied(match(items_of(*rows), ReconcileSettings(apply_oldest=True))) == [
        ("P1", "101", 40_00, "oldest", "medium")]


def test_oldest_first_settles_an_ambiguous_credit():
    rows = (item("A", "101", 500_00, due=2), item("A", "102", 500_00, due=1), item("A", "P1", -500_00))
    assert applied(match(items_of(*rows), ReconcileSettings(apply_oldest=True))) == [
        ("P1", "102", 500_00, "oldest", "high")]


# Families


def test_a_parent_pays_its_childs_invoice_only_when_the_family_is_given():
    rows = (item("CHILD", "101", 42_00), item("PARENT", "P1", -42_00, ref="INV 101"))
    assert applied(match(items_of(*rows))) == []
    family = match(items_of(*rows), parents={"CHILD": "PARENT"})
    assert applied(family) == [("P1", "101", 42_00, "reference", "high")]
    assert family.proposals[["customer_id", "invoice_customer_id"]].values.tolist() == [["PARENT", "CHILD"]]


def test_families_follow_parents_of_parents_and_refuse_cycles():
    assert families({"a": "b", "b": "c"}) == {"a": "c", "b": "c"}
    with pytest.raises(ArdeskError, match="each other's parents"):
        families({"a": "b", "b": "a"})


# Contracts


def test_proposals_carry_their_evidence():
    result = match(items_of(item("A", "10", 10_00), item("A", "11", 25_00), item("A", "P1", -35_00, ref="PMT 10 11")))
    row = result.proposals.iloc[0]
    assert (row["customer_id"], row["credit_type"], row["currency"], row["matched"], row["reference"]) == (
        "A", "PAY", "USD", "10 + 11", "PMT 10 11")
    assert row["evidence"] == 'The reference "PMT 10 11" names 10, 11; their open balance is the credit\'s amount.'


def test_frames_keep_their_contracts_even_when_empty():
    for result in (match(items_of(item("A", "101", 1_00))), match(items_of(item("A", "101", 1_00),
                                                                            item("A", "P1", -2_00, ref="INV 101")))):
        assert_contract(result.proposals, PROPOSALS)
        assert_contract(result.review, REVIEW)
        assert_contract(result.write_offs, DIFFERENCES)
        assert_contract(result.short_pays, DIFFERENCES)


# Invariants


@st.composite
def ledgers(draw):
    """Small ledgers of 1-3 customers and 2 currencies where many credits fit invoices or sets of them."""
    rows, number = [], 100
    for customer in draw(st.lists(st.sampled_from("ABC"), min_size=1, max_size=3, unique=True)):
        invoices = draw(st.lists(st.integers(1, 12).map(lambda k: k * 250), min_size=0, max_size=8))
        for cents in invoices:
            number += 1
            rows.append(item(customer, str(number), cents, kind=draw(st.sampled_from(["INV", "DM"])),
                             currency=draw(st.sampled_from(["USD", "EUR"])), due=draw(st.integers(0, 30))))
        for _ in range(draw(st.integers(0, 4))):
            number += 1
            named = draw(st.lists(st.integers(101, number + 3), max_size=3))
            rows.append(item(customer, f"P{number}", -draw(st.integers(1, 24)) * 250,
                             kind=draw(st.sampled_from(["PAY", "CM"])), ref=" ".join(f"INV {n}" for n in named),
                             currency=draw(st.sampled_from(["USD", "EUR"])), due=draw(st.integers(0, 30))))
    return rows


SETTINGS = st.builds(ReconcileSettings, tolerance_pct=st.sampled_from([Decimal(0), Decimal(10)]),
                     tolerance_abs=st.sampled_from([Decimal(0), Decimal(3)]), apply_oldest=st.booleans(),
                     max_combination=st.integers(1, 6), search_budget=st.sampled_from([100, 50_000]))
FAMILY = st.sampled_from([{}, {"B": "A"}])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), SETTINGS, FAMILY, st.randoms(use_true_random=False))
def test_invariants(rows, reconcile, parents, random):
    items = items_of(*rows) if rows else conform(pd.DataFrame([item("A", "1", 1)]))
    result = match(items, reconcile, parents)
    proposals = result.proposals
    credits = items[items["balance_cents"] < 0].set_index("doc_no")
    debits = items[items["balance_cents"] > 0].set_index("doc_no")
    # never more than the credit, nor more than an invoice's balance (with its write-off or short pay)
    assert (proposals["amount_cents"] > 0).all()
    used = proposals.groupby("credit_doc")["amount_cents"].sum()
    assert (used <= -credits["balance_cents"].reindex(used.index)).all()
    taken = pd.concat([proposals, result.write_offs, result.short_pays]).groupby("invoice_doc")["amount_cents"].sum()
    assert (taken <= debits["balance_cents"].reindex(taken.index)).all()
    # never across customers (outside a family) or currencies
    top = families(parents)
    account = lambda c: top.get(c, c)  # noqa: E731
    assert all(account(a) == account(b) for a, b in zip(proposals["customer_id"], proposals["invoice_customer_id"]))
    assert (credits.loc[proposals["credit_doc"], "currency"].to_numpy()
            == debits.loc[proposals["invoice_doc"], "currency"].to_numpy()).all()
    # every credit is either fully proposed or in review with what is left, once
    left = (-credits["balance_cents"]).sub(used, fill_value=0)
    review = result.review.set_index("credit_doc")
    assert review.index.is_unique and set(review.index) == set(left[left > 0].index)
    assert (review["left_cents"] == left.reindex(review.index)).all()
    assert set(proposals["rule"]) <= set(MATCH_RULES) and set(proposals["confidence"]) <= set(CONFIDENCES)
    assert set(review["reason"]) <= set(REVIEW_REASONS)
    # the same input in any row order gives the same frames in the same order
    shuffled = items.sample(frac=1, random_state=random.randint(0, 2**31)).reset_index(drop=True)
    again = match(shuffled, reconcile, parents)
    for name in ("proposals", "review", "write_offs", "short_pays"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(again, name))
