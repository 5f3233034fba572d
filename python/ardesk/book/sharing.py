"""Workbooks other people have open: Excel's owner file, and the backups a scheduled refresh keeps.

When Excel opens `shared.xlsx` it creates `~$shared.xlsx` beside it, holding the user's name: one length
byte and the name in the ANSI code page, and (Excel 2007 on) at offset 54 a 2-byte length and the name in
UTF-16. A refresh that replaced the file under that user would lose what they are typing, so ardesk
refuses and names them.
"""
import datetime as dt
import re
import shutil
from pathlib import Path

from ardesk.errors import ArdeskError, WorkbookInUse
from ardesk.xlsx.package import cannot_write

BACKUP_FOLDER = "ardesk-backups"
_UNICODE_AT = 54


def owner_file(path: Path) -> Path:
    return path.with_name("~$" + path.name)


def lock_owner(path: Path) -> str | None:
    """The user Excel's owner file names for `path`, `someone` if it names nobody legibly, None if unlocked."""
    try:
        data = owner_file(path).read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # no owner file, or no folder for one (a file is in the way)
        return None
    except OSError:
        return "someone"
    if len(data) >= _UNICODE_AT + 2:
        count = int.from_bytes(data[_UNICODE_AT:_UNICODE_AT + 2], "little")
        unicode_name = data[_UNICODE_AT + 2:_UNICODE_AT + 2 + 2 * count]
        if 0 < count <= 54 and len(unicode_name) == 2 * count:
            name = unicode_name.decode("utf-16-le", "replace").strip()
            if name.isprintable() and name:
                return name
    if data and 0 < data[0] < len(data):
        name = data[1:1 + data[0]].decode("cp1252", "replace").strip()
        if name.isprintable() and name:
            return name
    return "someone"


def refuse_if_open(path: Path) -> None:
    """WorkbookInUse, naming the user, when Excel has `path` open."""
    owner = lock_owner(path)
    if owner is not None:
        raise WorkbookInUse(
            f"{path.name} is open in Excel by {owner}: ask them to close it and refresh again, "
            "or write the refresh beside it with --output."
        )


def back_up(path: Path, keep: int) -> Path | None:
    """Copy `path` into ardesk-backups/ beside it, named for its last modification, keeping the newest `keep`."""
    if keep <= 0 or not path.exists():
        return None
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y%m%d-%H%M%S.%f")
    copy = folder / f"{path.stem}.{stamp}{path.suffix}"
    try:
        shutil.copy2(path, copy)
    except OSError as exc:  # a full disk: no half backup, and the workbook as it was
        copy.unlink(missing_ok=True)
        raise ArdeskError(cannot_write(exc, path)) from None
    ours = re.compile(re.escape(path.stem) + r"\.\d{8}-\d{6}\.\d{6}" + re.escape(path.suffix))
    for old in sorted(p for p in folder.iterdir() if ours.fullmatch(p.name))[:-keep]:
        old.unlink()
    return copy


def file_name_part(text: str, blank: str) -> str:
    """`text` as part of a file name: runs of anything but letters, digits, - and _ become one -; `blank`
    when nothing is left."""
    return re.sub(r"[^\w-]+", "-", text).strip("-") or blank
