"""Scheduled refreshes of shared workbooks: never under someone who has it open; backups kept."""
import datetime as dt
import os
import subprocess
import sys

import pytest

from ardesk import pipeline
from ardesk.book.sharing import BACKUP_FOLDER, back_up, lock_owner, owner_file
from ardesk.erp import demo
from ardesk.settings import ErpSettings, Settings

AS_OF = dt.date(2026, 11, 24)


def excel_owner_file(name: str) -> bytes:
    """What Excel writes into ~$book.xlsx: a length byte, the ANSI name padded to 54 bytes, then at
    offset 54 a 2-byte length and the UTF-16 name, padded to 165 bytes."""
    ansi = name.encode("cp1252", "replace")
    unicode = name.encode("utf-16-le")
    data = bytes([len(ansi)]) + ansi.ljust(53, b" ") + len(name).to_bytes(2, "little") + unicode
    return data.ljust(165, b" ")


@pytest.mark.parametrize("name", ["Dana Kowalski", "Zoë Müller", "Łukasz Żółć"])
def test_reads_the_user_from_excels_owner_file(tmp_path, name):
    book = tmp_path / "shared.xlsx"
    owner_file(book).write_bytes(excel_owner_file(name))
    assert lock_owner(book) == name


def test_an_ansi_only_or_unreadable_owner_file_still_counts(tmp_path):
    book = tmp_path / "shared.xlsx"
    assert lock_owner(book) is None
    owner_file(book).write_bytes(b"\x03Ann")
    assert lock_owner(book) == "Ann"
    owner_file(book).write_bytes(b"\x00\x00\x00")
    assert lock_owner(book) == "someone"


def test_backups_keep_the_newest_versions_only(tmp_path):
    book = tmp_path / "aging.xlsx"
    (tmp_path / "aging.other.xlsx").write_bytes(b"other")
    copies = []
    for version in range(4):
        book.write_bytes(f"version {version}".encode())
        os.utime(book, ns=(10**18 + version * 10**9,) * 2)
        copies.append(back_up(book, keep=2))
    kept = sorted(p.name for p in (tmp_path / BACKUP_FOLDER).iterdir())
    assert kept == sorted(c.name for c in copies[-2:])
    assert [c.read_bytes() for c in copies[-2:]] == [b"version 2", b"version 3"]
    assert back_up(book, keep=0) is None


@pytest.fixture
def shared_book(tmp_path, sqlite_erp):
    demo.build(sqlite_erp, customers=15, seed=9, as_of=AS_OF)
    (tmp_path / "ardesk.toml").write_text("backups = 2\n", encoding="utf-8")
    return pipeline.build(tmp_path / "shared.xlsx", Settings(erp=ErpSettings(connect=sqlite_erp)), AS_OF).path


def refresh(book, *args):
    return subprocess.run([sys.executable, "-m", "ardesk", "--settings", str(book.parent / "ardesk.toml"), "refresh",
                           str(book), "--as-of", "2026-12-01", *args], capture_output=True, text=True, timeout=120)


def test_refresh_refuses_while_someone_has_it_open(shared_book):
    owner_file(shared_book).write_bytes(excel_owner_file("Zoë Müller"))
    before = shared_book.read_bytes()
    result = refresh(shared_book)
    assert result.returncode == 3
    assert "open in Excel by Zoë Müller" in result.stderr and "--output" in result.stderr
    assert shared_book.read_bytes() == before
    assert not (shared_book.parent / BACKUP_FOLDER).exists()

    beside = shared_book.with_name("shared-refreshed.xlsx")
    written = refresh(shared_book, "--output", str(beside))
    assert written.returncode == 0, written.stderr
    assert written.stdout.strip() == str(beside) and beside.exists()
    assert shared_book.read_bytes() == before


def test_refresh_in_place_keeps_backups(shared_book):
    versions = [shared_book.read_bytes()]
    for _ in range(3):
        result = refresh(shared_book)
        assert result.returncode == 0, result.stderr
        versions.append(shared_book.read_bytes())
    backups = sorted((shared_book.parent / BACKUP_FOLDER).iterdir())
    assert len(backups) == 2  # backups = 2 in ardesk.toml
    assert [b.read_bytes() for b in backups] == versions[1:3]
