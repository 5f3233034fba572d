"""The one exception type a user ever sees.

Anything a user can cause (a bad connection string, a malformed file, a missing table) ends in an
ArdeskError whose message is one sentence saying what is wrong and what to do. The front doors print it
without a traceback; everything else is a bug and keeps its traceback.
"""
import re


class ArdeskError(Exception):
    """A user-facing failure: str(error) is one clear sentence."""


_SECRET = re.compile(r"(?i)\b(pwd|password)\s*=\s*(\{[^}]*\}|[^;]*)")


def redact(text: str) -> str:
    """Blank out every password in an ODBC connection string or a message quoting one."""
    return _SECRET.sub(lambda m: f"{m.group(1)}=***", text)


class WorkbookInUse(ArdeskError):
    """The workbook is open in Excel by someone: try again later (the `ardesk` command exits with 3)."""
