"""`ardesk dunning --send --email` against a real SMTP server the test starts (aiosmtpd), on the demo ERP through the
real drivers: a letter the server takes is logged once, a refused recipient is that letter's outcome and its note
is not logged (the next send tries it again), a server that does not answer logs nothing, and two sends at once
e-mail each letter once."""
import datetime as dt
import email
import email.policy
import subprocess
import sys
from dataclasses import replace

import pytest

from ardesk.ar import dunning
from ardesk.book.file_handle import WorkbookFile
from ardesk.cli import main
from ardesk.erp import fetch
from ardesk.errors import ArdeskError
from ardesk.jobs import dunning as jobs
from ardesk.letters import smtp
from ardesk.settings import ErpSettings, SmtpSettings
from test_dunning import TODAY, _previewed, demo_frames  # noqa: F401 - demo_frames is a fixture
from test_statement_sending import SENDER, Mailbox, free_port, serve


def _logged(erp: ErpSettings) -> list[str]:
    """The customers with a dunning letter logged in the ERP, once per letter."""
    return sorted(dunning.sent(fetch.notes(erp, TODAY, dt.date(2000, 1, 1)))["customer_id"])


def _addresses(erp: ErpSettings, customers) -> dict[str, str]:
    _items, contacts = fetch.addressed(erp, TODAY)
    emails = contacts.drop_duplicates("customer_id").set_index("customer_id")["email"]
    return {customer: emails[customer] for customer in customers}


def _recipients(mailbox: Mailbox) -> list[str]:
    return sorted(to for _sender, recipients, _content in mailbox.received for to in recipients)


def test_a_refused_letter_is_not_logged_and_goes_on_the_next_send_while_the_accepted_are_logged_once(
        any_erp, demo_frames, tmp_path):  # noqa: F811 - the fixture
    _kind, connect = any_erp
    erp = ErpSettings(connect=connect)
    path = tmp_path / "dunning.xlsx"
    settings, chosen = _previewed(erp, demo_frames, path)
    first, second, third = chosen["customer_id"]
    addresses = _addresses(erp, chosen["customer_id"])
    mailbox = Mailbox(refused={addresses[second]})
    server = serve(mailbox)
    try:
        mailed = replace(settings, smtp=SmtpSettings(host="127.0.0.1", port=server.port, starttls=False))
        done = jobs.send(WorkbookFile(path), mailed, TODAY, kept="docx", email=True).letters.set_index("customer_id")
        assert _logged(erp) == sorted([first, third])
        assert _recipients(mailbox) == sorted([addresses[first], addresses[third]])
        mailbox.refused.clear()  # the address is put right: the next send takes the refused letter only
        again = jobs.send(WorkbookFile(path), mailed, TODAY, kept="docx", email=True).letters.set_index("customer_id")
    finally:
        server.stop()
    assert done.loc[[first, third], "status"].tolist() == ["Sent", "Sent"]
    assert done.loc[[first, third], "mail"].tolist() == [smtp.SENT, smtp.SENT]
    assert done.loc[second, "mail"] == f"{smtp.REFUSED}550 5.1.1 No such user here"
    assert done.loc[second, "status"] == ("Not sent: Refused: 550 5.1.1 No such user here (not logged: a later send "
                                          "tries it again)")
    assert done.loc[second, "draft"] == f"{second}.eml"  # the draft stays, to send by hand
    assert again.loc[second, "status"] == "Sent" and again.loc[second, "mail"] == smtp.SENT
    assert again.loc[[first, third], "status"].tolist() == [jobs.NOT_DUE, jobs.NOT_DUE]
    assert _logged(erp) == sorted([first, second, third])  # each once
    assert _recipients(mailbox) == sorted(addresses.values())  # each e-mailed once
    folder = tmp_path / f"dunning letters {TODAY.isoformat()}"
    for _sender, _to, content in mailbox.received:
        sent = email.message_from_bytes(content, policy=email.policy.default)
        customer = next(c for c, address in addresses.items() if address == sent["To"])
        [attached] = list(sent.iter_attachments())
        assert sent["X-Unsent"] is None and sent["From"] == SENDER
        assert attached.get_content() == (folder / f"{customer}.docx").read_bytes()


def test_a_server_that_does_not_answer_logs_nothing_and_no_server_refuses_before_anything_is_written(
        sqlite_erp, demo_frames, tmp_path, capsys, monkeypatch):  # noqa: F811 - the fixture
    erp = ErpSettings(connect=sqlite_erp)
    path = tmp_path / "dunning.xlsx"
    settings, chosen = _previewed(erp, demo_frames, path)
    with pytest.raises(ArdeskError, match=r"^No mail server is set: give \[smtp\] host"):
        jobs.send(WorkbookFile(path), settings, TODAY, email=True)
    assert not (tmp_path / f"dunning letters {TODAY.isoformat()}").exists()
    port = free_port()
    (tmp_path / "ardesk.toml").write_text(
        f'[erp]\nconnect = "{sqlite_erp}"\n[letters]\nsender = "{SENDER}"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["dunning", "--send", "--email", "--format", "docx"]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    for customer in chosen["customer_id"]:
        [line] = [line for line in lines if line.startswith(f"{customer}: level 1 Reminder: ")]
        assert f"Not sent: the mail server 127.0.0.1:{port} could not be reached or stopped answering" in line
        assert line.endswith(f"(not logged: a later send tries it again)  {customer}.docx  {customer}.eml")
    assert err == ("ardesk: 3 approved letters were not sent (each says why above): run ardesk dunning --preview "
                   "again to see what is due now.\n")
    assert _logged(erp) == []


def test_two_sends_at_once_email_each_letter_once(postgres_erp, demo_frames, tmp_path):  # noqa: F811 - the fixture
    erp = ErpSettings(connect=postgres_erp)
    path = tmp_path / "dunning.xlsx"
    _settings, chosen = _previewed(erp, demo_frames, path)
    addresses = _addresses(erp, chosen["customer_id"])
    mailbox = Mailbox(refused=set())
    server = serve(mailbox)
    try:
        (tmp_path / "ardesk.toml").write_text(
            f'[erp]\nconnect = "{postgres_erp}"\n[letters]\nsender = "{SENDER}"\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nstarttls = false\n', encoding="utf-8")
        runs = [subprocess.Popen([sys.executable, "-m", "ardesk", "dunning", "--send", "--email", "--format", "docx",
                                  "--workbook", str(path)], cwd=tmp_path, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [run.communicate(timeout=300) + (run.returncode,) for run in runs]
    finally:
        server.stop()
    assert all("Traceback" not in err for _, err, _ in results), results
    assert sorted(code for _, _, code in results) == [0, 1]  # the second finds nothing due any more
    assert _recipients(mailbox) == sorted(addresses.values())
    assert _logged(erp) == sorted(chosen["customer_id"])
