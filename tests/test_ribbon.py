"""The AR Desk ribbon's buttons pressed on the workbook-file handle, for real: the same jobs the ribbon runs on
the workbook open in Excel."""
import datetime as dt
import re
import sys

import openpyxl
import pytest

from ardesk import pipeline
from ardesk.excel import outlook
from ardesk.excel.buttons import BUTTONS, press
from ardesk.excel.outlook import drafter
from ardesk.book import read_config
from ardesk.book.file_handle import WorkbookFile
from ardesk.errors import ArdeskError
from ardesk.settings import Settings

AS_OF = dt.date(2026, 11, 24)
ITEMS = (
    "customer_id,customer_name,doc_no,doc_type,doc_date,due_date,currency,amount,balance,sales_rep\n"
    "C1,Acme,1001,INV,2026-09-01,2026-10-01,USD,1000.00,1000.00,Rep A\n"
    "C2,Bolt,1003,INV,2026-08-20,2026-09-20,USD,99.99,99.99,Rep B\n"
)


def own(handle):
    """The settings the ribbon's dispatcher resolves for the workbook: its own saved ones."""
    return Settings().with_saved(read_config(handle.path))


@pytest.fixture
def handle(tmp_path):
    source = tmp_path / "items.csv"
    source.write_text(ITEMS, encoding="utf-8")
    path = pipeline.build(tmp_path / "aging.xlsx", Settings(source=str(source)), AS_OF).path
    return WorkbookFile(path)


def test_refresh_keeps_what_was_typed_and_says_so(handle):
    book = openpyxl.load_workbook(handle.path)
    detail = book["Detail"]
    comment = [c.value for c in detail[1]].index("Comment") + 1
    detail.cell(2, comment, "call Monday")
    book.save(handle.path)
    said = press("refresh", handle, own(handle), dt.date(2026, 12, 1))
    assert said == "aging.xlsx is refreshed as of 2026-12-01."
    detail = openpyxl.load_workbook(handle.path)["Detail"]
    assert detail.cell(2, comment).value == "call Monday"
    assert read_config(handle.path)["as_of"] == "2026-12-01"


def test_refresh_refuses_while_someone_else_has_the_file_open(handle):
    (handle.path.parent / f"~${handle.path.name}").write_bytes(b"\x05Maria" + b" " * 48 + b"\x05\x00M\x00a\x00r\x00i\x00a\x00")
    with pytest.raises(ArdeskError, match="Maria"):
        press("refresh", handle, own(handle), AS_OF)


@pytest.mark.parametrize("job, sheet", [("exceptions", "Exceptions"), ("credit_hold", "Credit Hold"),
                                        ("meeting", "Past-Due Meeting"), ("worklist", "Worklist")])
def test_report_buttons_bring_their_sheet_to_the_front(handle, job, sheet):
    assert press(job, handle, own(handle), AS_OF) == ""
    assert handle.shown == sheet


def test_hit_list_button_writes_the_lists_beside_the_workbook(handle):
    said = press("hit_list", handle, own(handle), AS_OF)
    assert said == "Wrote aging hit list.xlsx and 2 hit lists by sales rep beside aging.xlsx."
    assert {p.name for p in handle.path.parent.glob("aging hit list*.xlsx")} == {
        "aging hit list.xlsx", "aging hit list-Rep-A.xlsx", "aging hit list-Rep-B.xlsx"}


def test_settings_button_says_where_the_workbook_reads_from(handle):
    said = press("settings", handle, own(handle), AS_OF)
    assert said.startswith(f"aging.xlsx reads the export file {handle.path.parent / 'items.csv'}, aged in USD with "
                           "buckets 30, 60, 90, 120 by due date;")


def test_match_credits_then_apply_approved_through_the_file_handle(sqlite_erp, tmp_path):
    from ardesk.erp import demo
    from ardesk.settings import ErpSettings

    demo.build(sqlite_erp, customers=80, seed=3, as_of=AS_OF)
    path = pipeline.build(tmp_path / "erp.xlsx", Settings(erp=ErpSettings(connect=sqlite_erp)), AS_OF).path
    handle = WorkbookFile(path)
    said = press("match_credits", handle, own(handle), AS_OF)
    assert handle.shown == "Reconcile"
    lines, ready = map(int, re.match(r"(\d+) lines proposed \((\d+) high-confidence", said).groups())
    assert 0 < ready <= lines
    applied = press("apply_approved", handle, own(handle), AS_OF)
    assert applied.startswith(f"{ready} staged; the cash receipt import is erp cash applications ")
    assert press("apply_approved", handle, own(handle), AS_OF) == f"{ready} already staged."


def test_log_note_then_push_notes_through_the_file_handle(postgres_erp, tmp_path):
    from ardesk.erp import demo
    from ardesk.settings import ErpSettings

    today = dt.date.today()
    demo.build(postgres_erp, customers=30, seed=4, as_of=today)
    path = pipeline.build(tmp_path / "erp.xlsx", Settings(erp=ErpSettings(connect=postgres_erp)), today).path
    detail = openpyxl.load_workbook(path)["Detail"]
    customer, document = detail["A2"].value, detail["C2"].value
    handle = WorkbookFile(path, selected={"Customer ID": customer, "Document": document})
    said = press("log_note", handle, own(handle), today)
    assert said == (f"A new note for {customer}, {document} is the last row of the Notes table: type what was "
                    "said, then press Push Notes.")
    assert handle.shown == "Notes"
    book = openpyxl.load_workbook(path)
    notes = book["Notes"]
    header = [c.value for c in notes[1]]
    assert notes.cell(2, header.index("Customer ID") + 1).value == customer
    assert notes.cell(2, header.index("Invoice") + 1).value == document
    notes.cell(2, header.index("Text") + 1, "Called AP, cheque in the post")
    book.save(path)
    pushed = press("push_notes", handle, own(handle), today)
    assert pushed == "1 notes sent, 0 already in the ERP, 0 to fix (see Status), 0 still queued."
    status = openpyxl.load_workbook(path)["Notes"].cell(2, header.index("Status") + 1).value
    assert status.startswith(f"Pushed {today:%Y-%m-%d}")


def test_an_unknown_button_asks_for_the_add_in_again(handle):
    with pytest.raises(ArdeskError, match="install the add-in again"):
        press("print_everything", handle, own(handle), AS_OF)


def test_close_month_button_writes_the_last_months_rollforward_beside_the_workbook(tmp_path, sqlite_erp):
    from ardesk.demo import ledger
    from ardesk.erp import demo
    from ardesk.settings import CloseSettings, ErpSettings

    erp = ErpSettings(connect=sqlite_erp)
    demo.load(erp, ledger.generate(120, 3, AS_OF))
    settings = Settings(erp=erp, close=CloseSettings(ar_accounts=(ledger.GL_ACCOUNT,)))
    handle = WorkbookFile(pipeline.build(tmp_path / "aging.xlsx", settings, AS_OF).path)
    said = press("close_month", handle, settings, AS_OF)
    assert said == ("Wrote month-end-2026-10.xlsx beside aging.xlsx: the month rolled forward, tied to the general "
                    "ledger with 0.00 unexplained.")
    assert openpyxl.load_workbook(tmp_path / "month-end-2026-10.xlsx").sheetnames == [
        "Rollforward", "GL Tie-Out", "Allowance", "Write-Offs", "Bad Debt", "Period Activity"]


def _worklist_customers(path) -> list[dict]:
    """The Worklist's customer rows of the workbook at `path`, each as header -> value."""
    rows = list(openpyxl.load_workbook(path)["Worklist"].iter_rows(min_row=4, values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if str(r[1] or "").startswith("C0")]


def _assert_drafts(folder, rows: list[dict]) -> None:
    """Each of `rows`' customers has its PDF and an unsent e-mail draft to its Email in `folder`."""
    import email
    import email.policy

    for row in rows:
        draft = email.message_from_bytes((folder / f"{row['Customer ID']}.eml").read_bytes(),
                                         policy=email.policy.default)
        assert draft["X-Unsent"] == "1" and draft["To"] == row["Email"]
        assert (folder / f"{row['Customer ID']}.pdf").is_file()


def test_statements_button_writes_a_statement_and_draft_for_each_selected_worklist_row(sqlite_erp, tmp_path):
    from ardesk.erp import demo
    from ardesk.settings import ErpSettings, LettersSettings

    demo.build(sqlite_erp, customers=120, seed=7, as_of=AS_OF)
    settings = Settings(erp=ErpSettings(connect=sqlite_erp), letters=LettersSettings(sender="ar@epic06.example.com"))
    path = pipeline.build(tmp_path / "aging.xlsx", settings, AS_OF).path
    listed = _worklist_customers(path)
    good = [r for r in listed if not r["Email Check"]][:2]
    flagged = next(r for r in listed if r["Email Check"])
    handle = WorkbookFile(path, selected=good + [flagged])
    said = press("statements", handle, settings, AS_OF, outlook=drafter())  # as the ribbon presses it: on Linux,
    assert drafter() is None and "win32com" not in sys.modules  # the .eml path, and Outlook's never loaded
    folder = tmp_path / f"aging statements {AS_OF}"
    assert said == (f"Wrote 3 statements and 2 e-mail drafts to open and send in {folder.name} beside aging.xlsx; "
                    f"no draft for {flagged['Customer ID']}: see Email Check on the Worklist.")
    _assert_drafts(folder, good)
    assert (folder / f"{flagged['Customer ID']}.pdf").is_file()
    assert not (folder / f"{flagged['Customer ID']}.eml").exists()
    with pytest.raises(ArdeskError, match="select the Worklist rows of the customers"):
        press("statements", WorkbookFile(path), settings, AS_OF)


def test_dunning_button_writes_and_logs_the_letter_each_selected_customer_is_due(sqlite_erp, tmp_path):
    from ardesk.ar import dunning as rules
    from ardesk.erp import demo, fetch
    from ardesk.jobs import dunning as jobs
    from ardesk.settings import ErpSettings

    today = dt.date.today()  # letters go out today
    demo.build(sqlite_erp, customers=120, seed=7, as_of=today)
    settings = Settings(erp=ErpSettings(connect=sqlite_erp))
    path = pipeline.build(tmp_path / "aging.xlsx", settings, today).path
    listed = _worklist_customers(path)
    due = set(jobs.preview(WorkbookFile(tmp_path / "dunning.xlsx"), settings, today).proposals["customer_id"])
    chosen = [r for r in listed if r["Customer ID"] in due and not r["Email Check"]][:2]
    quiet = next(r for r in listed if r["Customer ID"] not in due)
    said = press("dunning", WorkbookFile(path, selected=chosen + [quiet]), settings, today)
    folder = tmp_path / f"aging letters {today}"
    assert said == (f"Wrote and logged 2 dunning letters and 2 e-mail drafts in {folder.name} beside aging.xlsx; no "
                    f"letter today for {quiet['Customer ID']}: ardesk dunning --preview says why.")
    _assert_drafts(folder, chosen)
    for row in chosen:  # what an Outlook draft is made of on Windows: the .eml's own
        made = outlook.read(folder / f"{row['Customer ID']}.eml")
        assert (made.to, made.attachments) == (row["Email"], (folder / f"{row['Customer ID']}.pdf",))
        assert made.subject.startswith("Reminder: ") and row["Customer ID"] in made.subject
        assert made.body.startswith("Dear ") and made.sender == ""  # no [letters] sender: Outlook's own account
    letters = rules.sent(fetch.notes(settings.erp, today, dt.date(2000, 1, 1)))
    assert sorted(letters["customer_id"]) == sorted(r["Customer ID"] for r in chosen)
    with pytest.raises(ArdeskError, match="select the Worklist rows of the customers to send dunning letters"):
        press("dunning", WorkbookFile(path), settings, today)
