"""Dunning (issue 16, part 3): levels from the letters already sent, waits, cycles that reset when the customer is
current, what is left out and why, interest and fees to the cent, and the [dunning] settings; the letters a send
writes (PDF text by pdftotext, .eml drafts parsed back) and a bad template refusing the send before any letter or
note."""
import datetime as dt
import email
import email.policy
import re
import shutil
import subprocess
import sys
from decimal import Decimal

import numpy as np
import openpyxl
import pandas as pd
import pytest
from docx import Document

import lo
from ardesk.ar import dunning, reach
from ardesk.ar.contacts import latest_by_customer
from ardesk.book import carry
from ardesk.book.file_handle import WorkbookFile
from ardesk.demo import ledger
from ardesk.erp import demo, fetch
from ardesk.errors import ArdeskError
from ardesk.frames import HISTORY, PLAN_ROWS, empty
from ardesk.jobs import dunning as jobs
from ardesk.letters.template import location
from ardesk.settings import DUNNING_LEVELS, DunningLevel, DunningSettings, ErpSettings, LettersSettings, Settings
from ooxml import validation_errors
from test_statements import AMOUNT, REMIT_TO, SENDER, cents, pdf_text
from test_worklist import AS_OF, items, notes

LEVELS = (DunningLevel("Reminder", 7, 0, "reminder.docx"),
          DunningLevel("Second notice", 30, 14, "second.docx", Decimal("10.00"), Decimal(10)),
          DunningLevel("Final demand", 60, 14, "final.docx", Decimal("25.00"), Decimal(8)))


def letter(customer: str, level: int, written: str) -> pd.DataFrame:
    """The note of a letter sent."""
    note = notes((customer, "", written, "", pd.NA, None, None))
    return note.assign(contact_type=dunning.LETTER, text=dunning.letter_text(level, LEVELS[level - 1].name, 100, 0))


def history(*rows) -> pd.DataFrame:
    """(customer, doc date, due date, closed date or None) -> HISTORY of invoices."""
    return pd.DataFrame([{"customer_id": c, "doc_type": "INV", "doc_date": pd.Timestamp(d), "due_date": pd.Timestamp(u),
                          "closed_date": pd.Timestamp(x) if x else pd.NaT, "base_amount_cents": 100,
                          "base_balance_cents": 0 if x else 100} for c, d, u, x in rows],
                        columns=list(HISTORY)).astype(HISTORY)


def propose(aged, logged=None, hist=None, plans=None, held=None):
    logged = logged if logged is not None else notes()
    return dunning.propose(aged, held if held is not None else pd.Series("", index=aged.index, dtype="string"),
                           logged, hist if hist is not None else empty(HISTORY),
                           plans if plans is not None else empty(PLAN_ROWS), latest_by_customer(logged, AS_OF),
                           AS_OF, LEVELS)


def test_interest_and_fee_follow_the_usual_formula_to_the_cent():
    assert dunning.interest_cents(np.array([100_00]), np.array([15]), Decimal(10)) == 41  # 0.41095...
    assert dunning.interest_cents(np.array([100_00, 100_00]), np.array([15, 15]), Decimal(10)) == 82  # per item
    assert dunning.interest_cents(np.array([36_500_00]), np.array([1]), Decimal("0.5")) == 50
    assert dunning.interest_cents(np.array([100_00]), np.array([15]), Decimal(0)) == 0
    aged = items(("A", "Ana", "1", 15, 100_00))
    charged = (DunningLevel("Reminder", 7, 0, "", Decimal("10.00"), Decimal(10)),)
    proposed, _ = dunning.propose(aged, pd.Series("", index=aged.index, dtype="string"), notes(), empty(HISTORY),
                                  empty(PLAN_ROWS), latest_by_customer(notes(), AS_OF), AS_OF, charged)
    assert proposed[["level", "interest_cents", "fee_cents", "dunning_cents"]].values.tolist() == [[1, 41, 10_00,
                                                                                                  10_41]]


def test_the_first_letter_is_the_first_level_whatever_the_age_and_the_next_waits_its_days():
    aged = items(("OLD", "Ana", "1", 200, 500_00), ("NEW", "Ana", "2", 3, 50_00), ("MID", "Ana", "3", 40, 80_00))
    proposals, left = propose(aged)
    assert proposals[["customer_id", "level", "level_name"]].values.tolist() == [["OLD", 1, "Reminder"],
                                                                                  ["MID", 1, "Reminder"]]
    assert left.set_index("customer_id").loc["NEW", "reason"] == "oldest item 3 days past due: Reminder goes at 7"
    waiting = letter("OLD", 1, "2026-11-20")
    proposals, left = propose(aged, waiting)
    assert "OLD" not in set(proposals["customer_id"])
    assert left.set_index("customer_id").loc["OLD", "reason"] == ("Reminder sent 2026-11-20: Second notice may go "
                                                                  "from 2026-12-04")
    proposals, _ = propose(aged, letter("OLD", 1, "2026-11-01"))
    old = proposals.set_index("customer_id").loc["OLD"]
    assert (old["level"], old["level_name"], old["last_level"], old["fee_cents"]) == (2, "Second notice", 1, 10_00)
    assert old["interest_cents"] == dunning.interest_cents(np.array([500_00]), np.array([200]), Decimal(10)) == 2740
    assert old["dunning_cents"] == 2740 + 10_00
    assert old["cycle_start"] == pd.Timestamp("2026-11-01")
    assert old["why"] == "500.00 past due on 1 item, oldest 200 days; Reminder sent 2026-11-01"


def test_a_level_is_never_sent_twice_in_a_cycle_and_after_the_last_one_the_account_is_escalated():
    aged = items(("OLD", "Ana", "1", 200, 500_00))
    sent = pd.concat([letter("OLD", 1, "2026-09-01"), letter("OLD", 2, "2026-10-01"), letter("OLD", 3, "2026-11-01")])
    proposals, left = propose(aged, sent)
    assert proposals.empty
    assert left["reason"].tolist() == ["every level has been sent (Final demand on 2026-11-01): escalate"]
    twice = pd.concat([letter("OLD", 1, "2026-09-01"), letter("OLD", 1, "2026-10-01")])  # two collectors
    assert propose(aged, twice)[0]["level"].tolist() == [2]


def test_the_cycle_starts_again_once_the_customer_was_current():
    aged = items(("BACK", "Ana", "9", 10, 70_00))
    sent = pd.concat([letter("BACK", 1, "2026-06-01"), letter("BACK", 2, "2026-07-01")])
    paid_up = history(("BACK", "2026-04-01", "2026-05-01", "2026-08-10"),  # everything paid on 2026-08-10
                      ("BACK", "2026-10-15", "2026-11-14", None))  # the item 10 days late now
    proposals, _ = propose(aged, sent, paid_up)
    assert proposals[["level", "cycle_start"]].values.tolist() == [[1, pd.Timestamp(AS_OF)]]
    still_behind = history(("BACK", "2026-04-01", "2026-05-01", None),
                           ("BACK", "2026-05-01", "2026-06-01", "2026-08-10"))
    assert propose(aged, sent, still_behind)[1]["reason"].tolist() == [
        "oldest item 10 days past due: Final demand goes at 60"]


def test_disputes_promises_kept_plans_and_credit_balances_are_left_out_each_with_its_reason():
    aged = items(("DISP", "Ana", "1", 40, 100_00), ("HALF", "Ana", "2", 40, 100_00), ("HALF", "Ana", "3", 90, 50_00),
                 ("PROM", "Ana", "4", 40, 100_00), ("BROKE", "Ana", "5", 40, 100_00), ("PLAN", "Ana", "6", 40, 100_00),
                 ("CRED", "Ana", "7", 40, 100_00))
    credit = aged.iloc[[6]].assign(doc_no="8", doc_type="CM", base_balance_cents=-500_00, days_past_due=-5)
    aged = pd.concat([aged, credit], ignore_index=True)
    held = pd.Series(["Pricing", "", "Damage", "", "", "", "", ""], dtype="string")
    logged = notes(("PROM", "", "2026-11-20", "Promised", 100_00, "2026-12-01", None),
                   ("BROKE", "", "2026-10-20", "Promised", 100_00, "2026-11-01", None))
    plans = pd.DataFrame({"customer_id": ["PLAN", "PLAN"], "customer_name": "", "collector": "",
                          "agreed": pd.Timestamp("2026-11-01"), "installment": [1, 2],
                          "due_date": [pd.Timestamp("2026-11-15"), pd.Timestamp("2026-12-15")],
                          "amount_cents": [50_00, 50_00], "paid_cents": [50_00, 0], "status": ["Kept", "Due"]})
    proposals, left = propose(aged, logged, plans=plans.astype(PLAN_ROWS), held=held)
    assert proposals["customer_id"].tolist() == ["BROKE", "HALF"]  # as much past due each: by ID
    half = proposals.set_index("customer_id").loc["HALF"]
    assert (half["items"], half["past_due_cents"], half["oldest_days"]) == (1, 100_00, 40)  # the damaged one is out
    assert left.set_index("customer_id")["reason"].to_dict() == {
        "CRED": "the account is in credit overall (-400.00)",
        "DISP": "every past-due item is in dispute",
        "PLAN": "on a payment plan that is being kept",
        "PROM": "promised 100.00 by 2026-12-01",
    }


def test_a_letters_note_id_is_the_same_for_every_collector_and_its_text_reads_back():
    first = dunning.letter_note_id("EPIC06", "C1", 2, dt.date(2026, 11, 1))
    assert first == dunning.letter_note_id("EPIC06", "C1", 2, dt.date(2026, 11, 1))
    assert first != dunning.letter_note_id("EPIC06", "C1", 2, dt.date(2026, 12, 1))
    assert dunning.sent(letter("C1", 2, "2026-11-01"))[["customer_id", "level"]].values.tolist() == [["C1", 2]]
    assert dunning.sent(notes(("C1", "", "2026-11-01", "Dunning level 2 by phone", pd.NA, None, None))).empty


def test_dunning_levels_come_from_settings_and_a_wrong_one_is_said_in_one_sentence():
    assert DunningSettings().levels == DUNNING_LEVELS
    given = DunningSettings(levels=[{"name": "Gentle", "days": 5}, {"name": "Firm", "days": 20, "wait": 10,
                                                                     "fee": "7.50", "interest": 9.5}])
    assert given.levels[1] == DunningLevel("Firm", 20, 10, "", Decimal("7.50"), Decimal("9.5"))
    assert given.levels[1].fee_cents == 750
    for levels, says in (
        ([], "must list the levels in order"),
        ([{"name": "A", "days": 30}, {"name": "B", "days": 7}], "must rise from one level to the next"),
        ([{"name": "A", "days": 7}, {"name": "a", "days": 30}], "must each have a name of their own"),
        ([{"name": "A", "days": 7, "fee": "1.005"}], "fee = '1.005' must be an amount with at most two decimals"),
        ([{"name": "A", "days": 7, "interest": 150}], "interest = 150 must be an annual rate in percent"),
        ([{"name": "A", "days": "7"}], "days = '7' must be a whole number of days"),
        ([{"name": "A"}], "must give name and days"),
        ([{"name": "A", "days": 7, "colour": "red"}], "must give name and days"),
    ):
        with pytest.raises(ArdeskError, match=says):
            DunningSettings(levels=levels)


# --- the Dunning workbook and sending, on the demo ERP through the real drivers ----------------------------------

def _ardesk(*args, cwd):
    return subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True, cwd=cwd)


def _approve(path, customers: list[str]) -> None:
    """Type Yes in Approve beside each of `customers`' letters, as a collector would."""
    book = openpyxl.load_workbook(path)
    sheet = book["Dunning"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("Customer ID")].value in customers:
            row[header.index("Approve")].value = "Yes"
    book.save(path)


TODAY = dt.date.today()
"""Letters go out today: the demo ERP of these tests is built as of today."""


@pytest.fixture(scope="module")
def demo_frames():
    return ledger.generate(200, 3, TODAY)


def test_preview_proposes_and_send_logs_each_letter_once_even_sent_twice_at_once(any_erp, demo_frames, tmp_path):
    kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    demo.load(erp, demo_frames)
    path = tmp_path / "dunning.xlsx"
    settings = Settings(erp=erp)
    proposed = jobs.preview(WorkbookFile(path), settings, TODAY)
    assert validation_errors(path) == {}
    shown = lo.computed_values(path)
    assert len(shown["Dunning"]) == len(proposed.proposals) + 1 > 5
    assert len(shown["Not Dunned"]) == len(proposed.left_out) + 1
    assert set(proposed.proposals["level"]) == {1}  # the demo's ERP has no letters yet: the first level for all
    first = proposed.proposals["customer_id"].tolist()[:3]
    _approve(path, first)
    again = jobs.preview(WorkbookFile(path), settings, TODAY)  # a second preview keeps what was approved
    approved = carry.read_dunning(path)
    assert sorted(approved.loc[approved["approve"], "customer_id"]) == sorted(first)
    assert again.proposals.equals(proposed.proposals)

    runs = [subprocess.Popen([sys.executable, "-m", "ardesk", "dunning", "--send", "--workbook", str(path),
                              "--connect", connect, "--format", "docx"], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [run.communicate(timeout=300) + (run.returncode,) for run in runs]
    assert all("Traceback" not in err for _, err, _ in results), results
    letters = dunning.sent(fetch.notes(erp, TODAY, dt.date(2000, 1, 1)))
    assert sorted(letters["customer_id"]) == sorted(first) and set(letters["level"]) == {1}  # once each
    folder = tmp_path / f"dunning letters {TODAY.isoformat()}"
    assert sorted(p.name for p in folder.glob("*.docx")) == sorted(f"{c}.docx" for c in first)
    assert any(out.splitlines()[-1].startswith("3 letters and ") and out.splitlines()[-1].endswith(f"in {folder}")
               for out, _, _ in results), results
    later = _ardesk("dunning", "--send", "--workbook", str(path), "--connect", connect, "--format", "docx",
                    cwd=tmp_path)
    assert later.returncode == 1 and "not sent (each says why above)" in later.stderr
    assert later.stdout.count("Not sent: no letter due today") == 3
    assert len(dunning.sent(fetch.notes(erp, TODAY, dt.date(2000, 1, 1)))) == 3
    after = jobs.preview(WorkbookFile(tmp_path / "after.xlsx"), settings, TODAY)
    reasons = after.left_out.set_index("customer_id").loc[first, "reason"]
    assert all(reason.startswith("Reminder sent ") and "Second notice may go from" in reason for reason in reasons)


def test_send_without_an_approved_letter_says_so_and_sends_nothing(sqlite_erp, demo_frames, tmp_path):
    demo.load(ErpSettings(connect=sqlite_erp), demo_frames)
    previewed = _ardesk("dunning", "--preview", "--connect", sqlite_erp, cwd=tmp_path)
    assert previewed.returncode == 0, previewed.stderr
    assert previewed.stdout.splitlines()[0] == str(tmp_path / "dunning.xlsx")
    assert "Reminder proposed" in previewed.stdout
    nothing = _ardesk("dunning", "--send", "--connect", sqlite_erp, cwd=tmp_path)
    assert nothing.returncode == 1 and "Traceback" not in nothing.stderr
    assert "No letter is approved on the Dunning sheet of dunning.xlsx" in nothing.stderr
    back_dated = _ardesk("dunning", "--send", "--connect", sqlite_erp, "--as-of", "2026-01-31", cwd=tmp_path)
    assert back_dated.returncode == 1 and "Letters go out today, not as of 2026-01-31" in back_dated.stderr
    neither = _ardesk("dunning", "--connect", sqlite_erp, cwd=tmp_path)
    assert neither.returncode == 2 and "one of the arguments --preview --send is required" in neither.stderr


CHARGED = (DunningLevel("Reminder", 7, 0, "reminder.docx", Decimal("10.00"), Decimal(10)),
           DunningLevel("Second notice", 30, 14, "second.docx", Decimal("15.00"), Decimal(10)),
           DunningLevel("Final demand", 60, 14, "final.docx", Decimal("25.00"), Decimal(8)))


def _previewed(erp: ErpSettings, demo_frames, path, **letters) -> tuple[Settings, pd.DataFrame]:
    """The demo ERP loaded, a Dunning workbook previewed with fees and interest, and the first three proposed
    customers with a good e-mail address approved: (settings, their proposals)."""
    demo.load(erp, demo_frames)
    settings = Settings(erp=erp, dunning=DunningSettings(levels=CHARGED),
                        letters=LettersSettings(remit_to=REMIT_TO, sender=SENDER, **letters))
    proposed = jobs.preview(WorkbookFile(path), settings, TODAY).proposals
    _items, contacts = fetch.addressed(erp, TODAY)
    good = set(reach.checked(contacts).query("email_check == ''")["customer_id"])
    chosen = proposed[proposed["customer_id"].isin(good).to_numpy()].head(3)
    _approve(path, chosen["customer_id"].tolist())
    return settings, chosen


def test_send_writes_each_approved_letter_with_the_sheets_figures_and_a_draft_to_the_contact(
        sqlite_erp, demo_frames, tmp_path):
    erp = ErpSettings(connect=sqlite_erp)
    path = tmp_path / "dunning.xlsx"
    settings, chosen = _previewed(erp, demo_frames, path)
    assert len(chosen) == 3 and (chosen["dunning_cents"] > 10_00).all()  # interest on top of the 10.00 fee
    done = jobs.send(WorkbookFile(path), settings, TODAY)
    folder = tmp_path / f"dunning letters {TODAY.isoformat()}"
    assert done.folder == folder and set(done.letters["status"]) == {"Sent"}
    _items, contacts = fetch.addressed(erp, TODAY)
    emails = contacts.drop_duplicates("customer_id").set_index("customer_id")["email"]
    for proposal, row in zip(chosen.itertuples(), done.letters.set_index("customer_id").loc[chosen["customer_id"]]
                             .itertuples()):
        customer = proposal.customer_id
        assert (row.files, row.draft, row.mail) == (f"{customer}.pdf", f"{customer}.eml", "Draft")
        text = pdf_text(folder / f"{customer}.pdf")
        assert "Payment reminder" in text and "Reminder (level 1)" in text and REMIT_TO[0] in text
        assert cents(re.search(rf"Past due: \w+ ({AMOUNT})", text).group(1)) == proposal.past_due_cents
        assert cents(re.search(rf"Interest and fees: \w+ ({AMOUNT})", text).group(1)) == proposal.dunning_cents
        assert cents(re.search(rf"Now due: \w+ ({AMOUNT})", text).group(1)) == (proposal.past_due_cents
                                                                              + proposal.dunning_cents)
        items = text.split("Past-due items", 1)[1].split("Past due:", 1)[0]
        interest = [cents(m) for m in re.findall(rf"({AMOUNT})\s*$", items, re.MULTILINE)]
        assert sum(interest) == proposal.interest_cents and len(interest) == proposal.items  # per item, summed
        message = email.message_from_bytes((folder / f"{customer}.eml").read_bytes(), policy=email.policy.default)
        assert message["X-Unsent"] == "1" and message["To"] == emails[customer] and message["From"] == SENDER
        assert message["Subject"].startswith("Reminder: ") and customer in message["Subject"]
        [attached] = list(message.iter_attachments())
        assert attached.get_content() == (folder / f"{customer}.pdf").read_bytes()
    letters = dunning.sent(fetch.notes(erp, TODAY, dt.date(2000, 1, 1)))
    assert sorted(letters["customer_id"]) == sorted(chosen["customer_id"])


@pytest.mark.parametrize("template, said", [
    ("Dear {{ contact_nam }}", "names the field 'contact_nam', which ardesk does not fill in a dunning letter"),
    ("{%p for item in items %}", "names the field item.amount in its items, which ardesk does not fill in a "
                                 "dunning letter"),
])
def test_a_template_naming_an_unknown_field_refuses_the_send_before_any_letter_or_note(
        sqlite_erp, demo_frames, tmp_path, template, said):
    folder = tmp_path / "templates"
    folder.mkdir()
    for level in CHARGED:
        shutil.copy(location("", level.template), folder / level.template)
    paragraphs = [template] + (["{{ item.amount }}", "{%p endfor %}"] if "for" in template else [])
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(folder / "final.docx")  # the last level: the others are checked and fine
    erp = ErpSettings(connect=sqlite_erp)
    path = tmp_path / "dunning.xlsx"
    settings, chosen = _previewed(erp, demo_frames, path, templates=str(folder))
    assert len(chosen) == 3
    with pytest.raises(ArdeskError) as refused:
        jobs.send(WorkbookFile(path), settings, TODAY)
    message = str(refused.value)
    assert message.startswith(f"The template {folder / 'final.docx'} ") and said in message
    assert message.endswith("nothing was written.") and "\n" not in message
    assert not (tmp_path / f"dunning letters {TODAY.isoformat()}").exists()
    assert dunning.sent(fetch.notes(erp, TODAY, dt.date(2000, 1, 1))).empty


def test_the_dunning_emails_subject_is_checked_like_the_templates(sqlite_erp, tmp_path):
    settings = Settings(erp=ErpSettings(connect=sqlite_erp),
                        letters=LettersSettings(dunning_subject="{{ level_nme }} for {{ customer_id }}"))
    with pytest.raises(ArdeskError, match=r"^\[letters\] dunning_subject names the field 'level_nme', which"):
        jobs.send(WorkbookFile(tmp_path / "dunning.xlsx"), settings, TODAY)


def test_letters_that_cannot_be_written_log_no_note(sqlite_erp, demo_frames, tmp_path):
    erp = ErpSettings(connect=sqlite_erp)
    path = tmp_path / "dunning.xlsx"
    settings, chosen = _previewed(erp, demo_frames, path)
    (tmp_path / f"dunning letters {TODAY.isoformat()}").write_text("in the way")  # a file where the folder goes
    with pytest.raises(ArdeskError, match=r"^The letters could not be written into .*no letter was logged as sent\.$"):
        jobs.send(WorkbookFile(path), settings, TODAY, kept="docx")
    assert dunning.sent(fetch.notes(erp, TODAY, dt.date(2000, 1, 1))).empty
