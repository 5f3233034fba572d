"""Outlook drafts: on Windows, the e-mail drafts the Statements and Dunning buttons write are also put in Outlook's
Drafts folder, to check and send from there.

Live Excel on Windows only: pywin32's automation of Outlook is imported when a draft is made, never elsewhere.
Without Outlook (another platform, or Outlook not installed) the .eml drafts in the letters' folder are what
there is; they open in any mail program as drafts. Each Outlook draft is made from its .eml, so both say the same.
"""
import email
import email.policy
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

OUTLOOK = "Outlook.Application"
MAIL_ITEM = 0
"""Outlook's OlItemType olMailItem."""


@dataclass(frozen=True)
class Draft:
    """What an Outlook draft is given from an .eml draft."""

    to: str
    sender: str
    subject: str
    body: str
    attachments: tuple[Path, ...]
    """The files attached, in the .eml's folder (the letter it carries)."""


def drafter() -> Callable[[Path, Iterable[str]], int] | None:
    """What puts drafts in Outlook here: `in_outlook` on Windows, None elsewhere (the .eml drafts stand alone)."""
    return in_outlook if sys.platform == "win32" else None


def read(path: Path) -> Draft:
    """The draft of the .eml at `path`; its attachments are the files of the same name beside it."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",))
    return Draft(to=str(message["To"] or ""), sender=str(message["From"] or ""), subject=str(message["Subject"] or ""),
                 body=body.get_content() if body is not None else "",
                 attachments=tuple(path.with_name(part.get_filename()) for part in message.iter_attachments()))


def in_outlook(folder: Path, drafts: Iterable[str]) -> int:
    """Each .eml of `drafts` (file names in `folder`) saved as a draft in Outlook's Drafts folder; how many. None
    is made when Outlook is not installed or does not answer."""
    import pywintypes
    import win32com.client

    try:
        outlook = win32com.client.Dispatch(OUTLOOK)
    except pywintypes.com_error:
        return 0
    made = 0
    for name in drafts:
        draft = read(folder / name)
        item = outlook.CreateItem(MAIL_ITEM)
        item.To, item.Subject, item.Body = draft.to, draft.subject, draft.body
        if draft.sender:
            item.SentOnBehalfOfName = draft.sender
        for attachment in draft.attachments:
            item.Attachments.Add(str(attachment))
        item.Save()
        made += 1
    return made
