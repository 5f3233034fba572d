"""E-mail drafts: one .eml per letter, its PDF attached, that Outlook and Thunderbird open as a draft to check
and send.

`X-Unsent: 1` is what makes Outlook open an .eml as a message still to be sent (with Send button) rather than a
received one; Thunderbird's "Edit as New" reads the same file. The draft is a plain text body with the letter
attached (multipart/mixed), so every mail program shows the same thing.
"""
import copy
import mimetypes
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

UNSENT = "X-Unsent"


def draft(to: str, sender: str, subject: str, body: str, attachment: Path) -> EmailMessage:
    """The e-mail of one letter, `attachment` attached, marked unsent."""
    message = EmailMessage()
    message[UNSENT] = "1"
    if sender:
        message["From"] = sender
    message["To"] = to
    message["Subject"] = " ".join(subject.split())
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body)
    kind = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    main, sub = kind.split("/")
    message.add_attachment(attachment.read_bytes(), maintype=main, subtype=sub, filename=attachment.name)
    return message


def write(message: EmailMessage, path: Path) -> Path:
    """The draft as an .eml file (CRLF line ends, as mail programs expect)."""
    path.write_bytes(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
    return path


def to_send(message: EmailMessage) -> EmailMessage:
    """The draft as it goes out: the unsent mark taken off."""
    sent = copy.deepcopy(message)
    del sent[UNSENT]
    return sent
