"""Statements of account: chosen and computed to the cent (hand-worked), written from the shipped Word template on
the demo ERP in SQLite, PostgreSQL and MariaDB, opened by LibreOffice as PDFs whose text (pdftotext) gives back
the aging to the cent, each with an .eml draft parsed back with Python's email package; a template naming a field
ardesk does not fill is refused before anything is written."""
import datetime as dt
import email
import email.policy
import re
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from docx import Document

from ardesk.ar import aging, reach, statements
from ardesk.cli import main
from ardesk.demo import contacts as demo_contacts
from ardesk.erp import demo, fetch
from ardesk.errors import ArdeskError
from ardesk.jobs.statements import statements as write_statements
from ardesk.letters import batch, pdf
from ardesk.letters.batch import DRAFT, NO_DRAFT
from ardesk.settings import AgingSettings, ErpSettings, LettersSettings, Settings

AS_OF = dt.date(2026, 11, 24)
REMIT_TO = ("EPIC06 Inc.", "PO Box 1234", "Chicago, IL 60601")
SENDER = "ar@epic06.example.com"
AMOUNT = r"-?[\d,]+\.\d\d"


def items(rows) -> pd.DataFrame:
    """OPEN_ITEMS of (customer, doc_no, doc_type, doc_date, due_date, currency, amount, balance) in cents."""
    frame = pd.DataFrame(rows, columns=["customer_id", "doc_no", "doc_type", "doc_date", "due_date", "currency",
                                        "amount_cents", "balance_cents"])
    return frame.assign(customer_name=frame["customer_id"].map({"C1": "Acme", "C2": "Bolt"}),
                        doc_date=pd.to_datetime(frame["doc_date"]).astype("datetime64[s]"),
                        due_date=pd.to_datetime(frame["due_date"]).astype("datetime64[s]"),
                        base_balance_cents=frame["balance_cents"], terms="", sales_rep="", collector="",
                        reference="", po_number="", credit_limit_cents=0, company="")


def people(rows) -> pd.DataFrame:
    """CONTACTS of (customer, takes statements)."""
    return pd.DataFrame({"customer_id": [r[0] for r in rows], "no_statements": [not r[1] for r in rows]})


AGED = aging.age(items([
    ("C1", "1001", "INV", "2026-09-01", "2026-10-01", "USD", 100_00, 100_00),  # 54 days past due: 31-60
    ("C1", "1002", "CM", "2026-11-04", "2026-11-04", "USD", -30_00, -30_00),  # a credit of 20 days: 1-30
    ("C1", "1003", "INV", "2026-11-10", "2026-12-10", "USD", 50_00, 50_00),  # not yet due: Current
    ("C2", "2001", "INV", "2026-11-20", "2026-12-20", "EUR", 75_25, 75_25),
]), AS_OF, AgingSettings(thresholds=(30, 60, 90)))


def test_a_statement_lists_the_open_items_oldest_first_with_running_balance_aging_and_totals():
    [one] = statements.statements(AGED, ["C1"])
    assert (one.customer_id, one.customer_name, one.currency) == ("C1", "Acme", "USD")
    assert one.lines[["doc_no", "balance_cents", "running_cents", "days_past_due"]].values.tolist() == [
        ["1001", 100_00, 100_00, 54], ["1002", -30_00, 70_00, 20], ["1003", 50_00, 120_00, -16]]
    assert one.aging == (("Current", 50_00), ("1-30", -30_00), ("31-60", 100_00), ("61-90", 0), ("Over 90", 0))
    assert (one.total_cents, one.past_due_cents) == (120_00, 70_00)
    second, first = statements.statements(AGED, ["C2", "C1"])
    assert (second.customer_id, second.currency, second.total_cents, second.past_due_cents) == ("C2", "EUR", 75_25, 0)
    assert second.lines["running_cents"].tolist() == [75_25] and first.lines.equals(one.lines)


def test_customers_flagged_in_the_erp_are_left_out_unless_named():
    contacts = people([("C1", False), ("C2", True), ("C3", True)])
    assert statements.chosen(AGED, contacts, None)[0] == ["C2"]
    left = statements.chosen(AGED, contacts, None)[1]
    assert left.values.tolist() == [["C1", statements.NO_STATEMENTS]]
    chosen, left = statements.chosen(AGED, contacts, ["C3", "C1"])
    assert chosen == ["C1"] and left.values.tolist() == [["C3", statements.NOTHING_OPEN]]


def settings_for(connect: str, **letters) -> Settings:
    return Settings(erp=ErpSettings(connect=connect),
                    letters=LettersSettings(remit_to=REMIT_TO, sender=SENDER, **letters))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def cents(text: str) -> int:
    return int(text.replace(",", "").replace(".", ""))


def printed(text: str) -> dict:
    """What a statement's PDF says: total due, past due and the aging block (label -> cents)."""
    block = text.split("Aging", 1)[1].split("Total due", 1)[0]
    return {
        "total": cents(re.search(rf"Total due: \w+ ({AMOUNT})", text).group(1)),
        "past_due": cents(re.search(rf"Past due: \w+ ({AMOUNT})", text).group(1)),
        "aging": {m.group(1): cents(m.group(2)) for m in re.finditer(rf"^\s*(Current|\d+-\d+|Over \d+)\s+({AMOUNT})\s*$",
                                                                     block, re.MULTILINE)},
    }


def test_statements_on_every_database_tie_to_the_aging_to_the_cent(any_erp, tmp_path):
    _kind, connect = any_erp
    demo.build(connect, customers=40, seed=7, as_of=AS_OF)
    settings = settings_for(connect)
    found, contacts = fetch.addressed(settings.erp, AS_OF)
    aged = aging.age(found, AS_OF, settings.aging)
    usd = aged[aged["currency"] == "USD"]
    refusing = f"C{demo_contacts.NO_STATEMENT:06d}"  # takes no statements, but is named
    assert refusing in set(usd["customer_id"])
    named = tuple(c for c in sorted(set(usd["customer_id"])) if c != refusing)[:4] + (refusing,)
    done = write_statements(None, settings, AS_OF, customers=named, output=tmp_path / "out", kept="both")
    assert list(done.letters["customer_id"]) == list(named) and done.left_out.empty
    pivot = aging.pivot(aged)  # the workbook's aging, base currency: a USD customer's own
    for customer in named:
        text = pdf_text(tmp_path / "out" / f"{customer}.pdf")
        assert "Statement of account" in text and all(line in text for line in REMIT_TO)
        shown = printed(text)
        expected = pivot.loc[customer]
        assert shown["aging"] == {label: int(expected[label]) for label in aging.bucket_labels((30, 60, 90, 120))}
        assert shown["total"] == int(expected[aging.TOTAL])
        mine = aged[aged["customer_id"] == customer]
        assert shown["past_due"] == int(mine.loc[mine["days_past_due"] > 0, "balance_cents"].sum())
        running = [cents(m) for m in re.findall(rf"({AMOUNT})\s*$", text.split("Open items")[1].split("Aging")[0],
                                               re.MULTILINE)]
        assert running[-1] == shown["total"] and len(running) == len(mine)
        assert (tmp_path / "out" / f"{customer}.docx").is_file()


def test_every_customer_that_takes_statements_gets_one_and_a_draft_or_the_reason_why(sqlite_erp, tmp_path,
                                                                                     monkeypatch):
    monkeypatch.setattr(pdf, "BATCH", 8)  # several LibreOffice batches, as 1,500 customers make
    monkeypatch.setattr(batch, "POOLED", 5)  # and filled by worker processes
    demo.build(sqlite_erp, customers=30, seed=7, as_of=AS_OF)
    settings = settings_for(sqlite_erp)
    found, contacts = fetch.addressed(settings.erp, AS_OF)
    done = write_statements(None, settings, AS_OF, output=tmp_path / "out")
    takes = set(contacts.loc[~contacts["no_statements"], "customer_id"])
    assert set(done.letters["customer_id"]) == takes & set(found["customer_id"])
    assert f"C{demo_contacts.NO_STATEMENT:06d}" in set(done.left_out["customer_id"])
    checks = reach.checked(contacts).set_index("customer_id")["email_check"]
    folder = tmp_path / "out"
    assert len(done.letters) > 2 * pdf.BATCH
    for row in done.letters.itertuples():
        assert pdf_text(folder / f"{row.customer_id}.pdf").startswith("EPIC06 Inc.")
        draft = folder / f"{row.customer_id}.eml"
        if checks[row.customer_id]:
            assert row.status == NO_DRAFT + checks[row.customer_id] and not draft.exists() and row.draft == ""
            continue
        assert row.status == DRAFT
        message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
        assert message["X-Unsent"] == "1" and message["From"] == SENDER and message["To"] == row.email
        assert message["Subject"] == f"Statement of account {row.customer_id} as of {AS_OF}"
        assert message.get_content_type() == "multipart/mixed"
        body = message.get_body(("plain",)).get_content()
        assert body.startswith("Dear ") and "is open, of which" in body
        [attached] = list(message.iter_attachments())
        assert attached.get_filename() == f"{row.customer_id}.pdf" and attached.get_content_type() == "application/pdf"
        assert attached.get_content() == (folder / f"{row.customer_id}.pdf").read_bytes()
    assert {f"C{demo_contacts.NO_CONTACT:06d}", f"C{demo_contacts.MALFORMED:06d}"} <= set(
        done.letters.loc[done.letters["draft"] == "", "customer_id"])
    assert not list(folder.glob(".ardesk-*")) and not list(folder.glob("*.docx"))  # pdf only, no work left


def _template(path: Path, *paragraphs: str) -> Path:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


@pytest.mark.parametrize("paragraphs, said", [
    (("Total: {{ totl_due }}",), "names the field 'totl_due', which ardesk does not fill in a statement"),
    (("{%p for item in items %}", "{{ item.balanse }}", "{%p endfor %}"),
     "names the field item.balanse in its items, which ardesk does not fill in a statement"),
    (("{{ total_due ",), "has a field that is not written right"),
])
def test_a_template_naming_a_field_ardesk_does_not_fill_is_refused_before_anything_is_written(
        sqlite_erp, tmp_path, paragraphs, said):
    demo.build(sqlite_erp, customers=10, seed=7, as_of=AS_OF)
    folder = tmp_path / "templates"
    folder.mkdir()
    template = _template(folder / "statement.docx", *paragraphs)
    settings = settings_for(sqlite_erp, templates=str(folder))
    with pytest.raises(ArdeskError) as refused:
        write_statements(None, settings, AS_OF, output=tmp_path / "out")
    message = str(refused.value)
    assert message.startswith(f"The template {template} ") and said in message
    assert message.endswith("nothing was written.") and "\n" not in message
    assert not (tmp_path / "out").exists()


def test_the_emails_subject_is_checked_like_the_template(sqlite_erp, tmp_path):
    settings = settings_for(sqlite_erp, statement_subject="Statement for {{ customer }}")
    with pytest.raises(ArdeskError, match=r"^\[letters\] statement_subject names the field 'customer', which"):
        write_statements(None, settings, AS_OF, output=tmp_path / "out")


def test_the_command_writes_statements_and_says_who_got_no_draft(sqlite_erp, tmp_path, capsys, monkeypatch):
    demo.build(sqlite_erp, customers=12, seed=7, as_of=AS_OF)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ardesk.toml").write_text(f'[erp]\nconnect = "{sqlite_erp}"\n[letters]\nsender = "{SENDER}"\n',
                                          encoding="utf-8")
    no_contact, malformed = f"C{demo_contacts.NO_CONTACT:06d}", f"C{demo_contacts.MALFORMED:06d}"
    code = main(["statements", "--customers", "C000001", no_contact, malformed, "--as-of", AS_OF.isoformat(),
                 "--format", "docx"])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0].startswith("C000001  ") and out[0].endswith("C000001.docx  Draft")
    assert out[1].startswith(no_contact) and out[1].endswith(f"{NO_DRAFT}{reach.NO_EMAIL}")
    assert out[2].startswith(malformed) and f"{NO_DRAFT}{reach.MALFORMED}" in out[2]
    assert out[3] == f"3 statements and 1 e-mail drafts in {tmp_path / f'statements-{AS_OF}'}"
    assert sorted(p.name for p in (tmp_path / f"statements-{AS_OF}").iterdir()) == [
        "C000001.docx", "C000001.eml", f"{no_contact}.docx", f"{malformed}.docx"]
    assert main(["statements", "--customers", "C999999", "--as-of", AS_OF.isoformat()]) == 1
    assert capsys.readouterr().err == ("ardesk: There is no customer C999999 in the ERP: check the customer ID (like "
                                       "C000001); nothing was written.\n")
