"""E-mail drafts: one .eml per letter, its PDF attached, that Outlook and Thunderbird open as a draft to check
and send.

`X-Unsent: 1` is what makes Outlook open an .eml as a message still to be sent (with Send button) rather than a
received one; Thunderbird's "Edit as New" reads the same file. The draft is a plain text body with the letter
attached (multipart/mixed), so every mail program shows the same thing. Built with email.mime, whose headers are
set as given: the newer EmailMessage parses every header it is given again, 8 ms a draft (11 s of 1,500).
"""
import copy
import mimetypes
from email.charset import QP, Charset
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.header import Header
from email.policy import compat32
from email.utils import formatdate, make_msgid
from pathlib import Path

UNSENT = "X-Unsent"
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP  # readable in the file, safe for any mail server


def draft(to: str, sender: str, subject: str, body: str, attachment: Path) -> Message:
    """The e-mail of one letter, `attachment` attached, marked unsent."""
    message = MIMEMultipart()
    message[UNSENT] = "1"
    if sender:
        message["From"] = sender
    message["To"] = to
    message["Subject"] = Header(" ".join(subject.split()), "utf-8")
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.attach(MIMEText(body, "plain", _UTF8))
    kind = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
    part = MIMEApplication(attachment.read_bytes(), kind.split("/")[1])
    part.add_header("Content-Disposition", "attachment", filename=attachment.name)
    message.attach(part)
    return message


def write(message: Message, path: Path) -> Path:
    """The draft as an .eml file (CRLF line ends, as mail programs expect)."""
    path.write_bytes(message.as_bytes(policy=compat32.clone(linesep="\r\n")))
    return path


def to_send(message: Message) -> Message:
    """The draft as it goes out: the unsent mark taken off."""
    sent = copy.deepcopy(message)
    del sent[UNSENT]
    return sent
