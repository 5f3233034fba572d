"""A VBA project from module sources [MS-OVBA]: the streams Excel reads from xl/vbaProject.bin.

Only source is written, never p-code: the _VBA_PROJECT stream says version 0xFFFF, which tells Office that
no performance cache is usable, so it compiles the modules from their source when it opens the file
[MS-OVBA 1.6, 2.3.4.1]. Everything written is deterministic, so the same sources give the same bytes.
"""
import re
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from ardesk.addin.cfb import compound_file

CHUNK = 4096
"""Decompressed bytes per compressed chunk [MS-OVBA 2.4.1.1.2]."""
_MATCH_CANDIDATES = 256
"""How many of the nearest earlier tokens with the same next three bytes the compressor tries: enough to find
the long matches in source code, few enough to stay fast on runs of spaces."""

CODE_PAGE = 1252
"""The project's code page: module names and source are stored in it [MS-OVBA 2.3.4.2.1.5]."""
_LCID = 0x0409
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
"""The one host extender every Office VBA project names: VBE itself [MS-OVBA 2.3.1]."""
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")


@dataclass(frozen=True)
class Module:
    name: str
    code: str
    """The source as VBE exports it: CRLF line ends, starting with `Attribute VB_Name = "<name>"`."""
    document: bool = False
    """A document module (ThisWorkbook, a sheet) rather than a standard module [MS-OVBA 2.3.4.2.3.2.8]."""


@dataclass(frozen=True)
class Reference:
    """A type library the project references by its registration [MS-OVBA 2.3.4.2.2.5]."""

    name: str
    libid: str
    """`*\\G{GUID}#major.minor#lcid#path#description` [MS-OVBA 2.1.1.8]; VBA finds the library by GUID and
    version in the registry, so the path is only a hint."""


STDOLE = Reference("stdole", r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb"
                             "#OLE Automation")
OFFICE = Reference("Office", r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files"
                             r"\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library")
"""The Office library: it declares IRibbonControl, which every ribbon callback takes."""


# Compression [MS-OVBA 2.4.1] ---------------------------------------------------------------------------------


def compress(data: bytes) -> bytes:
    """`data` as a CompressedContainer [MS-OVBA 2.4.1.1.1]: a signature byte, then one compressed chunk per
    4096 bytes [MS-OVBA 2.4.1.3.6].

    Chunks are always compressed, never raw: Excel has been seen to drop a module stored in raw chunks though
    they are valid, so 4096 bytes with too few repeats to fit compressed are refused. Source code always fits.
    """
    return b"\x01" + b"".join(_chunk(data[start : start + CHUNK]) for start in range(0, len(data), CHUNK))


def _chunk(chunk: bytes) -> bytes:
    """One CompressedChunk [MS-OVBA 2.4.1.3.7]: token sequences of a flag byte and up to eight tokens, each a
    literal byte or a copy token pointing back into the chunk [MS-OVBA 2.4.1.3.9, 2.4.1.3.10]."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    position = 0
    while position < len(chunk):
        flags, tokens = 0, bytearray()
        for bit in range(8):
            if position >= len(chunk):
                break
            length, offset = _longest_match(chunk, position, seen)
            if length:
                flags |= 1 << bit
                bits = _offset_bits(position)
                tokens += struct.pack("<H", (offset - 1) << (16 - bits) | (length - 3))
            else:
                tokens.append(chunk[position])
                length = 1
            seen.setdefault(chunk[position : position + 3], []).append(position)
            position += length
        out.append(flags)
        out += tokens
    if len(out) > CHUNK:
        raise ValueError("a 4096-byte stretch of the data has too few repeats to be stored compressed")
    header = (len(out) - 1) | 0b011 << 12 | 1 << 15  # CompressedChunkSize is the chunk's size less 3
    return struct.pack("<H", header) + out


def _offset_bits(position: int) -> int:
    """Bits of a copy token that hold the offset at `position` in the chunk: ceil(log2(position)), at least 4
    [MS-OVBA 2.4.1.3.19.1]."""
    return max((position - 1).bit_length(), 4)


def _longest_match(chunk: bytes, position: int, seen: dict[bytes, list[int]]) -> tuple[int, int]:
    """(length, offset) of the longest earlier copy of the bytes at `position`, the nearest among equals, or
    (0, 0) when none of 3 bytes or more exists [MS-OVBA 2.4.1.3.19.4].

    Copies are sought where earlier tokens start, not at every earlier byte: that is what Office does, so the
    spec's worked example [MS-OVBA 3.2] comes out byte for byte, and it is faster.
    """
    longest = min((0xFFFF >> _offset_bits(position)) + 3, len(chunk) - position)
    best, best_start = 0, 0
    for start in reversed(seen.get(chunk[position : position + 3], [])[-_MATCH_CANDIDATES:]):
        length = 0
        while length < longest and chunk[start + length] == chunk[position + length]:
            length += 1
        if length > best:
            best, best_start = length, start
            if length == longest:
                break
    return (best, position - best_start) if best >= 3 else (0, 0)


# Data encryption [MS-OVBA 2.4.3] -----------------------------------------------------------------------------

_SEED = 0x4D
"""The encryption seed: any byte will do; a fixed one keeps the file reproducible."""


def _obfuscated(project_id: str, data: bytes) -> str:
    """`data` hidden by the VBA data encryption, as hex [MS-OVBA 2.4.3.2]; the ignored bytes are zeros."""
    version, key = 2, sum(project_id.encode("ascii")) & 0xFF
    out = [_SEED, _SEED ^ version, _SEED ^ key]
    plain_before, encrypted_before, encrypted_before_that = key, out[2], out[1]
    ignored = bytes((_SEED & 6) // 2)
    for byte in ignored + struct.pack("<I", len(data)) + data:
        encrypted = byte ^ ((encrypted_before_that + plain_before) & 0xFF)
        out.append(encrypted)
        encrypted_before_that, encrypted_before, plain_before = encrypted_before, encrypted, byte
    return bytes(out).hex().upper()


# Streams [MS-OVBA 2.3] ----------------------------------------------------------------------------------------


def _record(record_id: int, payload: bytes) -> bytes:
    """A dir stream record: id, size, payload [MS-OVBA 2.3.4.2]."""
    return struct.pack("<HI", record_id, len(payload)) + payload


def _u32(value: int) -> bytes:
    return struct.pack("<I", value)


def _u16(value: int) -> bytes:
    return struct.pack("<H", value)


def _mbcs(text: str, what: str) -> bytes:
    try:
        return text.encode(f"cp{CODE_PAGE}")
    except UnicodeEncodeError as error:
        raise ValueError(f"{what} has {error.object[error.start]!r}, which code page {CODE_PAGE} cannot hold") \
            from None


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _dir_stream(name: str, modules: Sequence[Module], references: Sequence[Reference]) -> bytes:
    """The dir stream, before compression [MS-OVBA 2.3.4.2]."""
    information = b"".join([
        _record(0x0001, _u32(1)),  # SYSKIND: 32-bit Windows (Office recompiles for its own kind)
        _record(0x0002, _u32(_LCID)),
        _record(0x0014, _u32(_LCID)),  # LCIDINVOKE
        _record(0x0003, _u16(CODE_PAGE)),
        _record(0x0004, _mbcs(name, "The project name")),
        _record(0x0005, b""), _record(0x0040, b""),  # DOCSTRING, in MBCS and UTF-16
        _record(0x0006, b""), _record(0x003D, b""),  # HELPFILEPATH, twice
        _record(0x0007, _u32(0)),  # HELPCONTEXT
        _record(0x0008, _u32(0)),  # LIBFLAGS
        struct.pack("<HIIH", 0x0009, 4, 1, 0),  # VERSION: its Reserved field stands where a size would be
        _record(0x000C, b""), _record(0x003C, b""),  # CONSTANTS
    ])
    referenced = b"".join(
        _record(0x0016, _mbcs(r.name, "A reference name")) + _record(0x003E, _utf16(r.name))
        + _record(0x000D, _registered(r.libid))
        for r in references
    )
    listed = _record(0x000F, _u16(len(modules))) + _record(0x0013, _u16(0xFFFF))
    for module in modules:
        name_bytes = _mbcs(module.name, "A module name")
        listed += b"".join([
            _record(0x0019, name_bytes), _record(0x0047, _utf16(module.name)),
            _record(0x001A, name_bytes), _record(0x0032, _utf16(module.name)),  # the stream's name
            _record(0x001C, b""), _record(0x0048, b""),  # DOCSTRING
            _record(0x0031, _u32(0)),  # OFFSET: the source starts the stream (no performance cache)
            _record(0x001E, _u32(0)),  # HELPCONTEXT
            _record(0x002C, _u16(0xFFFF)),  # COOKIE
            _record(0x0022 if module.document else 0x0021, b""),  # TYPE
            _record(0x002B, b""),  # module terminator
        ])
    return information + referenced + listed + _record(0x0010, b"")


def _registered(libid: str) -> bytes:
    """REFERENCEREGISTERED's payload: the libid and six reserved zero bytes [MS-OVBA 2.3.4.2.2.5]."""
    encoded = _mbcs(libid, "A reference")
    return _u32(len(encoded)) + encoded + bytes(6)


def _project_stream(name: str, project_id: str, modules: Sequence[Module]) -> bytes:
    """The PROJECT stream [MS-OVBA 2.3.1]: unprotected (CMG), no password (DPB), visible (GC)."""
    lines = [f'ID="{project_id}"']
    lines += [f"Document={m.name}/&H00000000" if m.document else f"Module={m.name}" for m in modules]
    lines += [
        f'Name="{name}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"',
        f'CMG="{_obfuscated(project_id, bytes(4))}"',
        f'DPB="{_obfuscated(project_id, bytes(1))}"',
        f'GC="{_obfuscated(project_id, bytes([0xFF]))}"',
        "", "[Host Extender Info]", _HOST_EXTENDER,
    ]
    return _mbcs("".join(line + "\r\n" for line in lines), "The PROJECT stream")


def _name_map(modules: Sequence[Module]) -> bytes:
    """The PROJECTwm stream: each module's name in MBCS and in UTF-16 [MS-OVBA 2.3.3]."""
    return b"".join(_mbcs(m.name, "A module name") + b"\0" + _utf16(m.name) + b"\0\0" for m in modules) + b"\0\0"


def _check(modules: Sequence[Module]) -> None:
    """ValueError unless each module has a VBA name of its own and its source starts by naming it."""
    names = [m.name.casefold() for m in modules]
    for module in modules:
        if not _IDENTIFIER.fullmatch(module.name):
            raise ValueError(f"{module.name!r} is not a VBA module name (a letter, then up to 30 letters, digits "
                             "or underscores)")
        if not module.code.startswith(f'Attribute VB_Name = "{module.name}"\r\n'):
            raise ValueError(f'The source of module {module.name} must start with Attribute VB_Name = '
                             f'"{module.name}" and a CRLF')
        if names.count(module.name.casefold()) > 1:
            raise ValueError(f"Two modules are named {module.name} (VBA ignores case)")


def vba_project(name: str, modules: Sequence[Module], references: Sequence[Reference] = (STDOLE, OFFICE)) -> bytes:
    """xl/vbaProject.bin: a compound file holding the project `name` with `modules` [MS-OVBA 2.2].

    Streams: PROJECT, PROJECTwm, VBA/_VBA_PROJECT, VBA/dir and one VBA/<module> per module, its source
    compressed with no performance cache before it [MS-OVBA 2.3.4.3]. The project id is derived from `name`
    so that rebuilding gives the same file.
    """
    if not _IDENTIFIER.fullmatch(name) or name.casefold() in {m.name.casefold() for m in modules}:
        raise ValueError(f"{name!r} cannot name a VBA project with modules {[m.name for m in modules]}")
    _check(modules)
    project_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:ardesk:vba:{name}")).upper() + "}"
    streams = {
        "PROJECT": _project_stream(name, project_id, modules),
        "PROJECTwm": _name_map(modules),
        # Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 (undefined; Office writes 0x0001)
        "VBA/_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001),
        "VBA/dir": compress(_dir_stream(name, modules, references)),
    }
    for module in modules:
        streams[f"VBA/{module.name}"] = compress(_mbcs(module.code, f"Module {module.name}"))
    return compound_file(streams)
