"""`ardesk statements --send` against a real SMTP server the test starts (aiosmtpd): each statement goes out as
its draft (without the unsent mark), a refused recipient is that letter's outcome and the command exits 1, the
login's password comes from the environment and is written nowhere; without a password nothing is written."""
import datetime as dt
import email
import email.policy
import socket
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from ardesk.cli import main
from ardesk.erp import demo, fetch
from ardesk.letters import smtp

AS_OF = dt.date(2026, 11, 24)
SENDER = "ar@epic06.example.com"
PASSWORD = "s3cret-Pa55"


class Mailbox:
    """What the server received; it refuses the recipients in `refused` as a mail server refuses an unknown user."""

    def __init__(self, refused: set[str]):
        self.refused, self.received, self.logins = refused, [], []

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def login(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            self.logins.append(auth_data.login.decode())
            right = auth_data.password.decode() == PASSWORD
            return AuthResult(success=right, handled=False)  # not handled: the server answers 235 or 535
        return AuthResult(success=False, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def erp(sqlite_erp, tmp_path, monkeypatch):
    demo.build(sqlite_erp, customers=12, seed=7, as_of=AS_OF)
    monkeypatch.chdir(tmp_path)
    return sqlite_erp


def serve(mailbox: Mailbox, **options) -> Controller:
    server = Controller(mailbox, hostname="127.0.0.1", port=free_port(), **options)
    server.start()
    return server


def settings_file(folder: Path, connect: str, port: int, user: str = "") -> None:
    (folder / "ardesk.toml").write_text(
        f'[erp]\nconnect = "{connect}"\n[letters]\nsender = "{SENDER}"\nremit_to = ["EPIC06 Inc."]\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nstarttls = false\nuser = "{user}"\n', encoding="utf-8")


def good_addresses(connect: str) -> dict[str, str]:
    from ardesk.ar import reach
    from ardesk.settings import ErpSettings

    items, contacts = fetch.addressed(ErpSettings(connect=connect), AS_OF)
    checked = reach.checked(contacts)
    good = checked[(checked["email_check"] == "") & checked["customer_id"].isin(set(items["customer_id"]))]
    return dict(zip(good["customer_id"], good["email"]))


def test_send_hands_each_statement_to_the_server_and_reports_a_refused_recipient(erp, tmp_path, capsys):
    addresses = good_addresses(erp)
    first, second = sorted(addresses)[:2]
    mailbox = Mailbox(refused={addresses[second]})
    server = serve(mailbox)
    try:
        settings_file(tmp_path, erp, server.port)
        code = main(["statements", "--customers", first, second, "--as-of", AS_OF.isoformat(), "--send",
                     "--format", "docx"])
    finally:
        server.stop()
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines()[0].endswith(f"{first}.docx  {smtp.SENT} ({addresses[first]})")
    assert out.splitlines()[1].endswith(f"{second}.docx  {smtp.REFUSED}550 5.1.1 No such user here "
                                        f"({addresses[second]})")
    assert err == (f"ardesk: 1 statement was not sent (each says why above): the drafts of those with a good address "
                   f"are in {tmp_path / f'statements-{AS_OF}'}.\n")
    [(sender, recipients, content)] = mailbox.received
    assert (sender, recipients) == (SENDER, [addresses[first]])
    sent = email.message_from_bytes(content, policy=email.policy.default)
    assert sent["X-Unsent"] is None and sent["To"] == addresses[first]
    [attached] = list(sent.iter_attachments())
    assert attached.get_content() == (tmp_path / f"statements-{AS_OF}" / f"{first}.docx").read_bytes()
    draft = email.message_from_bytes((tmp_path / f"statements-{AS_OF}" / f"{first}.eml").read_bytes(),
                                     policy=email.policy.default)
    assert draft["X-Unsent"] == "1"


def test_the_login_takes_its_password_from_the_environment_and_writes_it_nowhere(erp, tmp_path, capsys, monkeypatch):
    first = sorted(good_addresses(erp))[0]
    mailbox = Mailbox(refused=set())
    server = serve(mailbox, auth_require_tls=False, authenticator=mailbox.login)
    try:
        settings_file(tmp_path, erp, server.port, user="ar-desk")
        assert main(["statements", "--customers", first, "--as-of", AS_OF.isoformat(), "--send", "--format",
                     "docx"]) == 1  # no password anywhere: refused before anything is written
        refused = capsys.readouterr().err
        assert refused.startswith("ardesk: There is no password for the mail user ar-desk: set the environment "
                                  "variable ARDESK_SMTP_PASSWORD")
        assert not (tmp_path / f"statements-{AS_OF}").exists()
        monkeypatch.setenv("ARDESK_SMTP_PASSWORD", "wrong")
        assert main(["statements", "--customers", first, "--as-of", AS_OF.isoformat(), "--send"]) == 1
        out = capsys.readouterr().out
        assert "Not sent: the server did not accept the login of ar-desk (535" in out and "wrong" not in out
        monkeypatch.setenv("ARDESK_SMTP_PASSWORD", PASSWORD)
        assert main(["statements", "--customers", first, "--as-of", AS_OF.isoformat(), "--send"]) == 0
        out, err = capsys.readouterr()
    finally:
        server.stop()
    assert f"  {smtp.SENT} (" in out.splitlines()[0] and err == ""
    assert set(mailbox.logins) == {"ar-desk"} and len(mailbox.received) == 1
    written = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()]
    assert not any(PASSWORD.encode() in content for content in written) and PASSWORD not in out


def test_a_server_that_does_not_answer_leaves_every_letter_not_sent_with_why(erp, tmp_path, capsys):
    first = sorted(good_addresses(erp))[0]
    settings_file(tmp_path, erp, free_port())
    assert main(["statements", "--customers", first, "--as-of", AS_OF.isoformat(), "--send"]) == 1
    out = capsys.readouterr().out
    assert f"{smtp.NOT_SENT}the mail server 127.0.0.1:" in out
    assert (tmp_path / f"statements-{AS_OF}" / f"{first}.eml").is_file()
