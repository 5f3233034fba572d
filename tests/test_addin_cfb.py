"""The compound file writer, read back by olefile: streams, storages, the mini stream and the sibling trees."""
import io

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ardesk.addin.cfb import MINI_CUTOFF, SECTOR, compound_file


def _read(data: bytes) -> dict[str, bytes]:
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    return {"/".join(path): ole.openstream(path).read() for path in ole.listdir(streams=True, storages=False)}


def test_small_and_large_streams_and_storages_read_back():
    streams = {
        "PROJECT": b"ID=...\r\n",
        "VBA/dir": bytes(range(256)) * 3,
        "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x01\x00",
        "VBA/big": b"x" * 50_000,
        "VBA/edge": b"e" * (MINI_CUTOFF - 1),
        "VBA/cutoff": b"c" * MINI_CUTOFF,
        "VBA/inner/deep": b"deep",
        "empty": b"",
    }
    data = compound_file(streams)
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    assert len(data) % SECTOR == 0
    assert _read(data) == streams
    ole = olefile.OleFileIO(io.BytesIO(data))
    assert ole.get_type("VBA") == olefile.STGTY_STORAGE
    assert ole.get_type("VBA/inner") == olefile.STGTY_STORAGE


def test_many_entries_span_directory_sectors_and_keep_sibling_order():
    names = [f"Module{n}" for n in range(40)] + ["a", "B", "ThisWorkbook", "Z" * 31]
    data = compound_file({f"VBA/{name}": name.encode() for name in names})
    assert _read(data) == {f"VBA/{name}": name.encode() for name in names}
    ole = olefile.OleFileIO(io.BytesIO(data))
    entries = ole.direntries

    def in_order(sid):
        if sid == olefile.NOSTREAM:
            return []
        entry = entries[sid]
        return in_order(entry.sid_left) + [entry.name] + in_order(entry.sid_right)

    storage = entries[entries[0].sid_child]
    listed = in_order(storage.sid_child)
    assert listed == sorted(names, key=lambda n: (len(n), n.upper()))  # [MS-CFB 2.6.4]
    assert all(e.color == 1 for e in entries if e is not None)  # black: no two red nodes in a row


def test_the_same_streams_give_the_same_bytes_in_any_order():
    streams = {"PROJECT": b"p", "VBA/dir": b"d" * 5000, "VBA/Module1": b"m"}
    assert compound_file(streams) == compound_file(dict(reversed(list(streams.items()))))


@pytest.mark.parametrize("name", ["", "a/b:c", "x!", "n" * 32])
def test_names_the_format_cannot_hold_are_refused(name):
    with pytest.raises(ValueError, match="cannot name"):
        compound_file({f"VBA/{name}" if "/" not in name else name: b""})


def test_streams_too_large_for_the_header_fat_list_are_refused():
    with pytest.raises(ValueError, match="too large"):
        compound_file({"big": bytes(109 * 128 * SECTOR)})


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.text("abcXYZ_19", min_size=1, max_size=31),
                       st.binary(max_size=9000) | st.sampled_from([b"", bytes(MINI_CUTOFF)]), max_size=12))
def test_any_streams_read_back(streams):
    assert _read(compound_file(streams)) == streams
