"""Sending the drafts through the company's mail server (SMTP), each letter's outcome said on its own.

One connection for the run: STARTTLS when the settings say so, a login when they name a user. The password is
read only here, from the environment variable the settings name or else the OS keyring, and goes nowhere but to
the server (never into a file, a log line or an error). A recipient the server refuses is that letter's outcome,
the others go on; a server that cannot be reached or drops the line leaves the letters not yet sent as "Not sent",
with why (their drafts are in the folder to send by hand).
"""
import os
import smtplib
import ssl
from email.message import Message

import keyring
import pandas as pd
from keyring.errors import KeyringError

from ardesk.errors import ArdeskError
from ardesk.letters.eml import to_send
from ardesk.settings import Settings, SmtpSettings

SENT = "Sent"
REFUSED = "Refused: "
NOT_SENT = "Not sent: "


def before_sending(settings: Settings) -> str | None:
    """The mail password (None without a login), refusing first what would stop every e-mail: asked by a job that
    sends before it reads or writes anything."""
    if not settings.letters.sender and not settings.smtp.user:
        raise ArdeskError("The e-mails would go out without a sender: set [letters] sender (the address customers "
                          "reply to) in ardesk.toml; nothing was written.")
    return password(settings.smtp)


def password(smtp: SmtpSettings) -> str | None:
    """The password of [smtp] user (None when no user is named); one sentence saying where to put it when there is
    none. Asked before anything is written, so a missing password costs nothing."""
    if not smtp.host:
        raise ArdeskError("No mail server is set: give [smtp] host (and port, user) in ardesk.toml to send, or leave "
                          "--send out and send the drafts from your mail program.")
    if not smtp.user:
        return None
    found = os.environ.get(smtp.password_env)
    if not found:
        try:
            found = keyring.get_password(smtp.keyring_service, smtp.user)
        except KeyringError:
            found = None
    if not found:
        raise ArdeskError(f"There is no password for the mail user {smtp.user}: set the environment variable "
                          f"{smtp.password_env} or store it with `keyring set {smtp.keyring_service} {smtp.user}`; "
                          "nothing was written.")
    return found


def send(messages: dict[str, Message], smtp: SmtpSettings, secret: str | None) -> dict[str, str]:
    """Send each draft (key -> message, its unsent mark taken off) over one connection; key -> SENT, REFUSED + the
    server's answer, or NOT_SENT + why."""
    outcomes: dict[str, str] = {}
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, secret or "")
            for key, message in messages.items():
                outcomes[key] = _one(server, message)
    except smtplib.SMTPAuthenticationError as problem:
        reason = f"the server did not accept the login of {smtp.user} ({_said(problem.smtp_code, problem.smtp_error)})"
    except (smtplib.SMTPException, OSError) as problem:
        reason = f"the mail server {smtp.host}:{smtp.port} could not be reached or stopped answering ({problem})"
    else:
        return outcomes
    return outcomes | {key: NOT_SENT + reason for key in messages if key not in outcomes}


def deliver(letters: pd.DataFrame, drafts: dict[str, Message], smtp: SmtpSettings, secret: str | None) -> pd.Series:
    """The drafts of a run of letters (ardesk.letters.batch.WRITTEN rows, letter name -> draft) sent: each row's
    outcome (SENT, REFUSED + why, NOT_SENT + why), or its own status where it has no draft ("No draft: why")."""
    outcomes = send(drafts, smtp, secret)
    names = letters["draft"].str.removesuffix(".eml")
    return letters["status"].where(names == "", names.map(outcomes))


def _one(server: smtplib.SMTP, message: Message) -> str:
    try:
        refused = server.send_message(to_send(message))
    except smtplib.SMTPRecipientsRefused as problem:
        refused = problem.recipients
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as problem:
        return REFUSED + _said(problem.smtp_code, problem.smtp_error)
    if refused:
        code, said = next(iter(refused.values()))
        return REFUSED + _said(code, said)
    return SENT


def _said(code: int, text) -> str:
    words = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}"
