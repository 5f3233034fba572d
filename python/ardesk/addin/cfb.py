"""A compound file writer [MS-CFB]: the container that holds a VBA project (xl/vbaProject.bin).

Version 3 files (512-byte sectors), written whole in one pass: the FAT sectors first, then the directory, the
mini FAT, the mini stream and each large stream. Nothing is ever rewritten in place, so there are no free
sectors, no transactions and no timestamps; the same streams always give the same bytes.
"""
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

SECTOR = 512
"""Sector size of a version 3 file (sector shift 9) [MS-CFB 2.2]."""
MINI_SECTOR = 64
"""Mini sector size (mini sector shift 6) [MS-CFB 2.2]."""
MINI_CUTOFF = 4096
"""Streams shorter than this live in the mini stream [MS-CFB 2.2, 2.6.3]."""

# Special sector numbers [MS-CFB 2.1].
_FATSECT, _ENDOFCHAIN, _FREESECT, _NOSTREAM = 0xFFFFFFFD, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF
_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_HEADER_DIFAT = 109
"""FAT sector numbers the header itself holds [MS-CFB 2.2]: 109 * 128 sectors of 512 bytes, about 7 MB."""
_ENTRY = 128
"""Size of a directory entry [MS-CFB 2.6.1]."""
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_BLACK = 1


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, "_Entry"] = field(default_factory=dict)
    start: int = 0
    """First sector (mini sector for a small stream); zero for a storage [MS-CFB 2.6.3]."""
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM


def _checked_name(name: str) -> str:
    """[MS-CFB 2.6.1]: at most 31 UTF-16 code units, none of / \\ : !"""
    if not name or len(name.encode("utf-16-le")) > 62 or any(c in name for c in "/\\:!"):
        raise ValueError(f"{name!r} cannot name a compound file entry")
    return name


def _sibling_order(entry: _Entry) -> tuple[int, str]:
    """[MS-CFB 2.6.4]: shorter names first, then by upper-cased name."""
    return len(entry.name.encode("utf-16-le")), entry.name.upper()


def _tree(root: _Entry) -> list[_Entry]:
    """Every entry, the root first, with storages given their children's trees [MS-CFB 2.6.4].

    Siblings form a binary search tree split at the median, so it is balanced; all nodes are black, which meets
    the spec's constraints (root black, no two consecutive red nodes, left less than right).
    """
    entries: list[_Entry] = []

    def place(siblings: list[_Entry]) -> int:
        if not siblings:
            return _NOSTREAM
        middle = len(siblings) // 2
        node = siblings[middle]
        index = len(entries)
        entries.append(node)
        node.left = place(siblings[:middle])
        node.right = place(siblings[middle + 1 :])
        node.child = place(sorted(node.children.values(), key=_sibling_order))
        return index

    place([root])
    return entries


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def _chain(first: int, count: int) -> list[int]:
    """FAT (or mini FAT) entries of `count` consecutive sectors from `first`: each points to the next."""
    return [*range(first + 1, first + count), _ENDOFCHAIN] if count else []


def _entries(table: list[int]) -> bytes:
    """A FAT or mini FAT as whole sectors, the unused tail FREESECT [MS-CFB 2.3, 2.4]."""
    return struct.pack(f"<{len(table)}I", *table).ljust(_sectors(4 * len(table), SECTOR) * SECTOR, b"\xff")


def _padded(data: bytes, unit: int) -> bytes:
    return data + bytes(-len(data) % unit)


def _directory_entry(entry: _Entry | None, size: int = 0) -> bytes:
    """[MS-CFB 2.6.1]; no CLSID, state bits or timestamps (the root's creation time MUST be zero). None gives
    an unused entry: all zero but for the sibling and child ids, NOSTREAM [MS-CFB 2.6.3]."""
    if entry is None:
        return struct.pack("<66xBBIII", 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM).ljust(_ENTRY, b"\0")
    name = (entry.name + "\0").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ", name, len(name), entry.kind, _BLACK, entry.left, entry.right, entry.child,
        bytes(16), 0, 0, 0, entry.start, size,
    )


def compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A compound file holding `streams`, keyed by path ("PROJECT", "VBA/dir"); storages are made as needed."""
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        *folders, name = path.split("/")
        parent = root
        for folder in folders:
            parent = parent.children.setdefault(folder, _Entry(_checked_name(folder), _STORAGE))
        parent.children[name] = _Entry(_checked_name(name), _STREAM, bytes(data))
    entries = _tree(root)
    small = [e for e in entries if e.kind == _STREAM and len(e.data) < MINI_CUTOFF]
    large = [e for e in entries if e.kind == _STREAM and len(e.data) >= MINI_CUTOFF]

    # The mini stream and its mini FAT [MS-CFB 2.4]: small streams in 64-byte mini sectors.
    mini_fat: list[int] = []
    for entry in small:
        entry.start = len(mini_fat) if entry.data else _ENDOFCHAIN
        mini_fat += _chain(len(mini_fat), _sectors(len(entry.data), MINI_SECTOR))
    mini_stream = b"".join(_padded(e.data, MINI_SECTOR) for e in small)
    mini_fat_bytes = _entries(mini_fat)

    # Everything after the FAT, in sector order: directory, mini FAT, mini stream, large streams.
    directory_sectors = _sectors(len(entries) * _ENTRY, SECTOR)
    regions = [directory_sectors, len(mini_fat_bytes) // SECTOR, _sectors(len(mini_stream), SECTOR),
               *(_sectors(len(e.data), SECTOR) for e in large)]
    body = sum(regions)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < fat_sectors + body:
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT:
        raise ValueError("the streams are too large for a compound file without DIFAT sectors (about 7 MB)")

    fat = [_FATSECT] * fat_sectors
    starts = []
    for count in regions:
        starts.append(len(fat) if count else _ENDOFCHAIN)
        fat += _chain(len(fat), count)
    directory_start, mini_fat_start, mini_stream_start, *large_starts = starts
    root.start = mini_stream_start
    for entry, start in zip(large, large_starts):
        entry.start = start

    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", _SIGNATURE, bytes(16), 0x003E, 3, 0xFFFE, 9, 6, bytes(6), 0, fat_sectors,
        directory_start, 0, MINI_CUTOFF, mini_fat_start, len(mini_fat_bytes) // SECTOR, _ENDOFCHAIN, 0,
    ) + struct.pack(f"<{_HEADER_DIFAT}I", *range(fat_sectors), *[_FREESECT] * (_HEADER_DIFAT - fat_sectors))
    directory = b"".join(_directory_entry(e, len(mini_stream) if e is root else len(e.data)) for e in entries)
    directory += _directory_entry(None) * (directory_sectors * SECTOR // _ENTRY - len(entries))
    return b"".join([
        header,
        _entries(fat),
        directory,
        mini_fat_bytes,
        _padded(mini_stream, SECTOR),
        *(_padded(e.data, SECTOR) for e in large),
    ])
