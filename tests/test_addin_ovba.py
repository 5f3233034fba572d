"""The VBA project writer, read back by oletools (olevba) the way malware scanners and Office tooling read it."""
import io
import random
import struct

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from addin_checks import VBA_Project, decompress_stream, macros
from ardesk.addin.ovba import CHUNK, Module, compress, vba_project

THIS_WORKBOOK = (
    'Attribute VB_Name = "ThisWorkbook"\r\n'
    'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"\r\n'
    "Attribute VB_PredeclaredId = True\r\nAttribute VB_Exposed = True\r\n"
)


def _module(name: str, body: str) -> Module:
    return Module(name, f'Attribute VB_Name = "{name}"\r\n{body}')


def _long_body(lines: int) -> str:
    return "".join(f'Sub Step{n}()\r\n    Application.StatusBar = "Step {n} of {lines}"\r\nEnd Sub\r\n'
                   for n in range(lines))


MODULES = [
    Module("ThisWorkbook", THIS_WORKBOOK, document=True),
    _module("Ribbon", 'Option Explicit\r\n\r\nPublic Sub Go(control As IRibbonControl)\r\n'
                      '    MsgBox "Fällig: 5 €"\r\nEnd Sub\r\n'),
    _module("Long", _long_body(300)),
    _module("Tiny", ""),
]


def _decompressed(container: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(container)))


def test_compression_matches_the_specs_worked_examples():
    # [MS-OVBA 3.2]: a sample without repeats (literal tokens only), then one with repeats (copy tokens)
    assert compress(b"abcdefghijklmnopqrstuv.") == bytes.fromhex(
        "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E")
    sample = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
    expected = bytes.fromhex(
        "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D 6E 6F 70 06 71"
        " 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
    )
    assert compress(sample) == expected


@pytest.mark.parametrize("size", [0, 1, 2, 3, 100, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17])
def test_compression_round_trips_at_chunk_edges(size):
    text = bytes(random.Random(size).choice(b"Dim x As Long\r\n  ") for _ in range(size))
    container = compress(text)
    assert _decompressed(container) == text
    headers = _chunk_headers(container)
    assert len(headers) == -(-size // CHUNK)
    assert all(h >> 12 == 0b1011 for h in headers)  # every chunk compressed (flag 1, signature 0b011)


def _chunk_headers(container: bytes) -> list[int]:
    headers, at = [], 1
    while at < len(container):
        header = struct.unpack_from("<H", container, at)[0]
        headers.append(header)
        at += (header & 0x0FFF) + 3
    return headers


@settings(max_examples=60, deadline=None)
@given(st.text(st.sampled_from("ab \r\nSub End()=é€'\""), max_size=12_000).map(lambda t: t.encode("cp1252")))
def test_compression_round_trips_any_source_like_text(text):
    assert _decompressed(compress(text)) == text


def test_incompressible_full_chunks_are_refused_rather_than_stored_raw():
    noise = random.Random(1).randbytes(CHUNK + 10)
    with pytest.raises(ValueError, match="too few repeats"):
        compress(noise)
    assert _decompressed(compress(noise[:3000])) == noise[:3000]  # a short last chunk fits as literals


def _built(modules=MODULES) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(vba_project("TestProject", modules)))


def test_olevba_extracts_every_module_byte_for_byte():
    assert macros("vbaProject.bin", vba_project("TestProject", MODULES)) == {
        "ThisWorkbook.cls": MODULES[0].code, "Ribbon.bas": MODULES[1].code,
        "Long.bas": MODULES[2].code, "Tiny.bas": MODULES[3].code,
    }
    assert len(MODULES[2].code) > 3 * CHUNK


def test_the_dir_stream_passes_olevbas_strict_parser():
    ole = _built()
    project = VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    list(project.parse_modules())
    assert (project.projectname, project.codepage, project.lcid) == ("TestProject", 1252, 0x409)
    assert [(m.name, m.type, m.textoffset) for m in project.modules] == [
        ("ThisWorkbook", 0x22, 0), ("Ribbon", 0x21, 0), ("Long", 0x21, 0), ("Tiny", 0x21, 0)]
    assert [m.code_raw for m in project.modules] == [m.code.encode("cp1252") for m in MODULES]


def test_streams_and_project_text():
    ole = _built()
    assert sorted("/".join(p) for p in ole.listdir()) == [
        "PROJECT", "PROJECTwm", "VBA/Long", "VBA/Ribbon", "VBA/ThisWorkbook", "VBA/Tiny", "VBA/_VBA_PROJECT",
        "VBA/dir"]
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("CC61FFFF000100")  # no p-code: recompile
    project = ole.openstream("PROJECT").read().decode("cp1252").split("\r\n")
    assert project[0].startswith('ID="{') and project[0].endswith('}"')
    assert project[1:8] == ["Document=ThisWorkbook/&H00000000", "Module=Ribbon", "Module=Long", "Module=Tiny",
                            'Name="TestProject"', 'HelpContextID="0"', 'VersionCompatible32="393222000"']
    assert [line.split("=")[0] for line in project[8:11]] == ["CMG", "DPB", "GC"]
    assert project[11:] == ["", "[Host Extender Info]",
                            "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000", ""]
    assert ole.openstream("PROJECTwm").read() == b"".join(
        m.name.encode() + b"\0" + m.name.encode("utf-16-le") + b"\0\0" for m in MODULES) + b"\0\0"


def _reveal(project_id: str, hex_text: str) -> bytes:
    """The data behind a CMG, DPB or GC value: the decryption of [MS-OVBA 2.4.3.3]."""
    data = bytes.fromhex(hex_text)
    seed, version, key = data[0], data[1] ^ data[0], data[2] ^ data[0]
    assert (version, key) == (2, sum(project_id.encode()) & 0xFF)
    plain_before, encrypted_before, encrypted_before_that = key, data[2], data[1]
    out = []
    for encrypted in data[3:]:
        byte = encrypted ^ ((encrypted_before_that + plain_before) & 0xFF)
        out.append(byte)
        encrypted_before_that, encrypted_before, plain_before = encrypted_before, encrypted, byte
    ignored = (seed & 6) // 2
    length = struct.unpack("<I", bytes(out[ignored : ignored + 4]))[0]
    assert len(out) == ignored + 4 + length
    return bytes(out[ignored + 4 :])


def test_the_project_is_unprotected_without_password_and_visible():
    lines = dict(line.split("=", 1) for line in _built().openstream("PROJECT").read().decode().split("\r\n")
                 if "=" in line and not line.startswith("&H"))
    project_id = lines["ID"].strip('"')
    assert _reveal(project_id, lines["CMG"].strip('"')) == bytes(4)
    assert _reveal(project_id, lines["DPB"].strip('"')) == b"\0"
    assert _reveal(project_id, lines["GC"].strip('"')) == b"\xff"


def test_the_same_sources_give_the_same_file():
    assert vba_project("TestProject", MODULES) == vba_project("TestProject", MODULES)


@pytest.mark.parametrize(("modules", "message"), [
    ([Module("Bad Name", 'Attribute VB_Name = "Bad Name"\r\n')], "not a VBA module name"),
    ([Module("Mod1", 'Attribute VB_Name = "Other"\r\n')], "must start with"),
    ([Module("Mod1", 'Attribute VB_Name = "Mod1"\n')], "must start with"),
    ([_module("Mod1", ""), _module("MOD1", "")], "Two modules"),
    ([_module("Mod1", "' \u2713 done\r\n")], "code page 1252"),
    ([_module("TestProject", "")], "cannot name a VBA project"),
])
def test_sources_vba_cannot_hold_are_refused(modules, message):
    with pytest.raises(ValueError, match=message):
        vba_project("TestProject", modules)
