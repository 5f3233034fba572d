"""The dispute log: one row per dispute while it is open, routed by reason, aged, and which items it takes out
of the dunning as its status moves on."""
import pandas as pd
import pytest

from ardesk.ar import disputes
from ardesk.errors import ArdeskError
from ardesk.frames import CAPTURED_NOTES, DISPUTE_REASONS, DISPUTE_STATES, DISPUTES
from ardesk.settings import DEPARTMENTS, NotesSettings
from test_worklist import AS_OF, items


def notes(*rows):
    """(customer, invoices, written, outcome, reason, disputed cents, text) -> CAPTURED_NOTES."""
    return pd.DataFrame([{
        "note_id": f"n{n}", "customer_id": c, "doc_no": d, "written": pd.Timestamp(w), "contact_type": "Call",
        "contact_person": "", "outcome": o, "promise_cents": pd.NA, "promise_date": pd.NaT, "dispute_reason": r,
        "dispute_cents": a, "follow_up": pd.NaT, "text": t, "author": "ana", "source": "ERP"}
        for n, (c, d, w, o, r, a, t) in enumerate(rows)], columns=list(CAPTURED_NOTES)).astype(CAPTURED_NOTES)


LEDGER = items(("C1", "Ana", "101", 40, 50_000), ("C1", "Ana", "102", 10, 20_000), ("C2", "Ana", "201", 5, 7_000),
               ("C3", "Ana", "301", 70, 9_900))


def log(notes_frame, departments=DEPARTMENTS):
    return disputes.log(LEDGER, notes_frame, AS_OF, departments)


def test_each_dispute_is_one_row_routed_aged_and_valued():
    table = log(notes(
        ("C1", "101", "2026-10-25 09:00", "Disputed", "Pricing", pd.NA, "Price should be 4.50"),
        ("C1", "101", "2026-11-20 10:00", "Disputed", "Pricing", 12_345, "Sales agrees on 123.45"),
        ("C1", "101, 102", "2026-11-01", "", "Shortage", pd.NA, "Two cartons short"),
        ("C2", "", "2026-11-23", "Disputed", "", pd.NA, "Says the account is wrong"),
        ("C3", "301", "2026-11-02", "Reached", "", pd.NA, "Not a dispute"),
    ))
    assert table.columns.tolist() == list(DISPUTES)
    assert list(zip(table["customer_id"], table["doc_no"], table["reason"])) == [
        ("C1", "101", "Pricing"), ("C1", "101, 102", "Shortage"), ("C2", "", "")]  # oldest first
    assert table["department"].tolist() == ["Sales", "Shipping", "Collections"]
    assert table["opened"].tolist() == [pd.Timestamp("2026-10-25"), pd.Timestamp("2026-11-01"),
                                        pd.Timestamp("2026-11-23")]
    assert table["age_days"].tolist() == [30, 23, 1]
    # the latest amount given; else the named invoices' balance; an account dispute without one has none
    assert table["dispute_cents"].tolist() == [12_345, 70_000, pd.NA]
    assert table["open_cents"].tolist() == [50_000, 70_000, 7_000]
    assert table["latest_note"].iat[0] == "Sales agrees on 123.45"
    assert table["note_id"].tolist() == ["n0", "n2", "n3"]  # the note that opened it
    assert (table["customer_name"].iat[0], table["collector"].iat[0]) == ("C1 Ltd", "Ana")


def test_a_dispute_leaves_the_log_when_its_invoices_close_or_a_paid_note_follows_and_can_open_again():
    said = notes(("C1", "101", "2026-10-01", "Disputed", "Damage", pd.NA, "broken"),
                 ("C9", "999", "2026-10-01", "Disputed", "Damage", pd.NA, "invoice no longer open"),
                 ("C3", "301", "2026-10-01", "Disputed", "Returns", pd.NA, "returned"),
                 ("C3", "301", "2026-10-20", "Paid", "", pd.NA, "credit issued, rest paid"))
    assert list(zip(log(said)["customer_id"], log(said)["reason"])) == [("C1", "Damage")]
    again = pd.concat([said, notes(("C3", "301", "2026-11-04", "Disputed", "Returns", pd.NA, "more returns"))],
                      ignore_index=True)
    reopened = log(again).set_index("customer_id").loc["C3"]
    assert (reopened["opened"], reopened["age_days"]) == (pd.Timestamp("2026-11-04"), 20)


def test_open_and_valid_disputes_keep_items_out_of_dunning_invalid_ones_send_them_back():
    table = log(notes(("C1", "101, 102", "2026-11-01", "", "Shortage", pd.NA, ""),
                      ("C1", "101", "2026-11-02", "", "Pricing", pd.NA, ""),
                      ("C3", "301", "2026-11-02", "", "Not received", pd.NA, "")))

    def held(*states, marked=None):
        return disputes.in_dispute(LEDGER, disputes.holding(table, pd.Series(states, dtype=object)), marked).tolist()

    assert held(None, None, None) == ["Shortage; Pricing", "Shortage", "", "Not received"]
    assert held("valid: CREDIT requested", "Open", "Invalid: collect") == ["Shortage; Pricing", "Shortage", "", ""]
    assert held("Invalid: re-billed", "Invalid: collect", "Open") == ["", "", "", "Not received"]
    assert held("Invalid: re-billed", "Invalid: collect", "Open", marked=pd.Series([True, False, True, True])) == [
        disputes.MARKED, "", disputes.MARKED, "Not received"]
    assert held("whatever typed", "", "Invalid: collect")[:2] == ["Shortage; Pricing", "Shortage"]  # read as Open


def test_no_disputes_make_an_empty_log_and_nothing_held():
    table = log(notes(("C1", "101", "2026-11-01", "Reached", "", pd.NA, "fine")))
    assert table.empty and table.columns.tolist() == list(DISPUTES)
    held = disputes.holding(table, pd.Series([], dtype=object))
    assert (disputes.in_dispute(LEDGER, held) == "").all() and disputes.by_customer(held).empty


def test_every_reason_is_routed_and_the_routing_can_be_changed():
    assert set(DEPARTMENTS) == set(DISPUTE_REASONS) | {""}
    own = NotesSettings(departments={"Pricing": " Sales ops "}).departments
    assert own["Pricing"] == "Sales ops" and own["Damage"] == DEPARTMENTS["Damage"]
    table = log(notes(("C1", "101", "2026-11-01", "", "Pricing", pd.NA, "")), own)
    assert table["department"].tolist() == ["Sales ops"]
    assert DISPUTE_STATES[0] == "Open"


@pytest.mark.parametrize("departments, words", [
    ({"Price": "Sales"}, "not a dispute reason"),
    ({"Pricing": ""}, "must map dispute reasons"),
    (["Sales"], "must map dispute reasons"),
])
def test_a_wrong_routing_is_refused_in_one_sentence(departments, words):
    with pytest.raises(ArdeskError, match=words):
        NotesSettings(departments=departments)


def test_each_customers_open_disputes_in_a_few_words():
    table = log(notes(("C1", "101", "2026-11-01", "", "Pricing", 12_345, ""),
                      ("C1", "102", "2026-11-02", "Disputed", "", pd.NA, ""),
                      ("C2", "201", "2026-11-03", "", "Damage", pd.NA, ""),
                      ("C3", "301", "2026-11-02", "", "Returns", pd.NA, "")))
    states = table["customer_id"].map({"C3": "Invalid: collect"}).astype(object)
    said = disputes.by_customer(disputes.holding(table, states))
    assert said.to_dict() == {"C1": "Pricing 123.45; Disputed 200.00", "C2": "Damage 70.00"}
