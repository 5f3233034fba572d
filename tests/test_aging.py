"""Aging rules pinned down: bucket boundaries, labels, sums, credits, basis."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ardesk.ar.aging import age, bucket_index, bucket_labels, grand_total, pivot
from ardesk.errors import ArdeskError
from ardesk.frames import conform
from ardesk.settings import AgingSettings, parse_thresholds

AS_OF = dt.date(2026, 11, 24)


def items(rows):
    """OPEN_ITEMS from (customer, collector, due date, doc date, base cents) tuples."""
    frame = pd.DataFrame(rows, columns=["customer_id", "collector", "due_date", "doc_date", "base_balance_cents"])
    frame["customer_name"] = frame["customer_id"] + " Ltd"
    frame["doc_no"] = [str(1000 + i) for i in range(len(frame))]
    frame["doc_type"] = np.where(frame["base_balance_cents"] < 0, "CM", "INV")
    frame["currency"] = "USD"
    frame["amount_cents"] = frame["balance_cents"] = frame["base_balance_cents"]
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    frame["doc_date"] = pd.to_datetime(frame["doc_date"])
    return conform(frame)


def test_default_labels_follow_the_erp_report():
    assert bucket_labels((30, 60, 90, 120)) == ["Current", "1-30", "31-60", "61-90", "91-120", "Over 120"]
    assert bucket_labels((5, 10, 15)) == ["Current", "1-5", "6-10", "11-15", "Over 15"]


@pytest.mark.parametrize(
    "days, label",
    [(-10, "Current"), (0, "Current"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"),
     (61, "61-90"), (90, "61-90"), (91, "91-120"), (120, "91-120"), (121, "Over 120"), (5000, "Over 120")],
)
def test_boundaries_at_t_and_t_plus_one(days, label):
    frame = items([("C1", "Ann", AS_OF - dt.timedelta(days=days), AS_OF - dt.timedelta(days=400), 100)])
    aged = age(frame, AS_OF, AgingSettings())
    assert aged["days_past_due"].tolist() == [days]
    assert aged["bucket"].astype(str).tolist() == [label]


def test_doc_basis_ages_from_the_document_date():
    frame = items([("C1", "Ann", AS_OF + dt.timedelta(days=10), AS_OF - dt.timedelta(days=45), 100)])
    assert age(frame, AS_OF, AgingSettings(basis="due"))["bucket"].astype(str).tolist() == ["Current"]
    assert age(frame, AS_OF, AgingSettings(basis="doc"))["bucket"].astype(str).tolist() == ["31-60"]


def test_credits_count_negative_in_their_own_bucket():
    frame = items([
        ("C1", "Ann", AS_OF - dt.timedelta(days=40), AS_OF, 50_000),
        ("C1", "Ann", AS_OF - dt.timedelta(days=5), AS_OF, -12_345),
        ("C2", "", AS_OF, AS_OF, 700),
    ])
    table = pivot(age(frame, AS_OF, AgingSettings()), by="customer")
    assert table.loc["C1", "31-60"] == 50_000
    assert table.loc["C1", "1-30"] == -12_345
    assert table.loc["C1", "Total"] == 37_655
    assert list(table.columns) == ["Current", "1-30", "31-60", "61-90", "91-120", "Over 120", "Total"]
    by_collector = pivot(age(frame, AS_OF, AgingSettings()), by="collector")
    assert list(by_collector.index) == ["(unassigned)", "Ann"]
    assert grand_total(table)["Total"] == 38_355


@pytest.mark.parametrize("text", ["60,30", "0,30", "30,30", "", "a,b"])
def test_bad_thresholds_are_refused_with_a_sentence(text):
    with pytest.raises(ArdeskError, match="thresholds"):
        parse_thresholds(text)


thresholds = st.lists(st.integers(1, 400), min_size=1, max_size=8, unique=True).map(lambda t: tuple(sorted(t)))


@settings(max_examples=200, deadline=None)
@given(t=thresholds, days=st.lists(st.integers(-400, 2000), min_size=1, max_size=50))
def test_every_day_lands_in_the_bucket_that_holds_it(t, days):
    index = bucket_index(np.array(days, dtype=np.int64), t)
    edges = (0,) + t
    for d, k in zip(days, index):
        if k == 0:
            assert d <= 0
        elif k == len(t) + 1:
            assert d > t[-1]
        else:
            assert edges[k - 1] < d <= edges[k]


@settings(max_examples=100, deadline=None)
@given(
    t=thresholds,
    rows=st.lists(
        st.tuples(st.sampled_from(["C1", "C2", "C3"]), st.integers(-300, 1500), st.integers(-10**9, 10**9)),
        min_size=1, max_size=40,
    ),
)
def test_buckets_sum_to_the_balance(t, rows):
    frame = items([(c, "", AS_OF - dt.timedelta(days=d), AS_OF, cents) for c, d, cents in rows])
    table = pivot(age(frame, AS_OF, AgingSettings(thresholds=t)))
    labels = bucket_labels(t)
    assert (table[labels].sum(axis=1) == table["Total"]).all()
    assert int(table["Total"].sum()) == sum(cents for _, _, cents in rows)
    for customer in table.index:
        assert table.loc[customer, "Total"] == sum(cents for c, _, cents in rows if c == customer)
