"""The xlsx container: parts, relationships, content types, document properties, and the atomic write.

An xlsx is a zip of XML parts (OPC, ECMA-376 Part 2). Each Part here knows its name, content type, body and
the parts it links to; the package writer derives the `.rels` parts and `[Content_Types].xml` from them, so
relationship ids and content types cannot drift from the parts that use them.
"""
import datetime as dt
import errno
import os
import posixpath
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ardesk.errors import ArdeskError
from ardesk.xlsx.namespaces import CONTENT_TYPES, CORE, EXTENDED, PACKAGE_RELS, REL, XML_DECLARATION
from ardesk.xlsx.text import xml_text

SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml."
"""Prefix of the SpreadsheetML content types: add e.g. 'worksheet+xml'."""
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
EXTENDED_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
CORE_REL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
COMPRESSION = 1
"""Deflate level. Measured on 30,000 items: 0.45 s at level 1 against 0.74 s at level 6, for a file 30% larger."""


def rel_type(name: str) -> str:
    """The officeDocument relationship type `name` (worksheet, styles, pivotTable ...)."""
    return f"{REL}/{name}"


@dataclass(frozen=True)
class Part:
    name: str
    """Path inside the zip, e.g. xl/worksheets/sheet1.xml."""
    content_type: str
    body: Iterable[str] | bytes
    """The XML, as one string or an iterable of pieces written in turn; or a binary part's bytes."""
    links: tuple[tuple[str, str], ...] = ()
    """(relationship type, target part name): the N-th link has relationship id rIdN."""


def rid(n: int) -> str:
    """The relationship id of a part's n-th link (from 1)."""
    return f"rId{n}"


def _relationships(source: str, links: tuple[tuple[str, str], ...]) -> str:
    base = posixpath.dirname(source)
    entries = "".join(
        f'<Relationship Id="{rid(n)}" Type="{kind}" Target="{posixpath.relpath(target, base)}"/>'
        for n, (kind, target) in enumerate(links, 1)
    )
    return f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE_RELS}">{entries}</Relationships>'


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _content_types(parts: list[Part]) -> str:
    overrides = "".join(f'<Override PartName="/{p.name}" ContentType="{p.content_type}"/>' for p in parts)
    return (
        f'{XML_DECLARATION}<Types xmlns="{CONTENT_TYPES}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )


def document_properties(title: str) -> list[Part]:
    """docProps/core.xml and docProps/app.xml: title, author and timestamps that Excel shows in Info."""
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (
        f'{XML_DECLARATION}<cp:coreProperties xmlns:cp="{CORE}" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(title)}</dc:title><dc:creator>ardesk</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>'
    )
    app = f'{XML_DECLARATION}<Properties xmlns="{EXTENDED}"><Application>ardesk</Application></Properties>'
    return [Part("docProps/core.xml", CORE_TYPE, core), Part("docProps/app.xml", EXTENDED_TYPE, app)]


def write_zip(target: BinaryIO, parts: list[Part], root_links: tuple[tuple[str, str], ...]) -> None:
    """The whole package into `target`: content types and root relationships first, then each part in order."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as archive:
        archive.writestr("[Content_Types].xml", _content_types(parts))
        archive.writestr("_rels/.rels", _relationships("", root_links))
        for part in parts:
            with archive.open(part.name, "w") as stream:
                if isinstance(part.body, bytes):
                    stream.write(part.body)
                    continue
                for piece in [part.body] if isinstance(part.body, str) else part.body:
                    stream.write(piece.encode("utf-8"))
            if part.links:
                archive.writestr(_rels_name(part.name), _relationships(part.name, part.links))


_SENTENCES = {
    errno.ENOENT: "The folder {folder} does not exist: create it or write the workbook elsewhere.",
    errno.ENOTDIR: "{folder} is a file, not a folder: write the workbook in a folder.",
    errno.EACCES: "ardesk may not write in the folder {folder}: choose a folder you can write to.",
    errno.EPERM: "ardesk may not write in the folder {folder}: choose a folder you can write to.",
    errno.EROFS: "The folder {folder} is on a read-only disk: choose a folder you can write to.",
    errno.ENOSPC: "The disk holding {folder} is full: free some space or write the workbook elsewhere "
                  "({name} was left as it was).",
    errno.EDQUOT: "Your disk quota for {folder} is used up: free some space or write the workbook elsewhere "
                  "({name} was left as it was).",
}
"""Why a workbook could not be written, by the OS's error number: the sentences the atomic write ends in."""


def cannot_write(exc: OSError, path: Path) -> str:
    """The sentence for `exc`; an error number _SENTENCES does not know is a bug and keeps its traceback."""
    if exc.errno not in _SENTENCES:
        raise exc
    folder = path.parent
    if exc.errno == errno.ENOTDIR:  # "under a file": name the file that is in the way
        folder = next(p for p in (folder, *folder.parents) if p.exists())
    return _SENTENCES[exc.errno].format(folder=folder, name=path.name)


def replace_atomically(path: Path, write: Callable[[BinaryIO], None]) -> Path:
    """Run `write` on a new file beside `path`, then rename it over `path`.

    Readers see the old workbook or the new one, never half of one; a failure leaves the old file as it was
    and removes the temporary file. The new file keeps the old one's permissions (shared workbooks).
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise ArdeskError(cannot_write(exc, path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except PermissionError:
        raise ArdeskError(f"The workbook {path} is open in another program or read-only: close it and try again.") \
            from None
    except OSError as exc:
        raise ArdeskError(cannot_write(exc, path)) from None
    finally:
        temporary.unlink(missing_ok=True)
    return path
