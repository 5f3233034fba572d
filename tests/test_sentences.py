"""Honest exits: what a user can get wrong ends in one sentence on stderr and exit code 1, never a traceback,
and a write that fails leaves nothing half written. Each case runs the real `ardesk` command."""
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ardesk.erp import demo

AS_OF = "2026-11-24"
ITEMS = ("customer_id,customer_name,doc_no,doc_type,doc_date,due_date,currency,amount,balance,collector,sales_rep\n"
         "C1,Acme,1001,INV,2026-09-01,2026-10-01,USD,1000.00,1000.00,Ann,Rep A\n"
         "C2,Bolt,1003,INV,2026-11-20,2026-12-20,USD,99.99,99.99,,Rep B\n")


def ardesk(*args, cwd, data=None):
    env = {**os.environ, **({"XDG_DATA_HOME": str(data)} if data else {})}
    return subprocess.run([sys.executable, "-m", "ardesk", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=300)


def one_sentence(result, *words) -> str:
    """Exit 1, and stderr is one line `ardesk: ...` holding `words`; no traceback."""
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ardesk: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def items(tmp_path) -> Path:
    path = tmp_path / "items.csv"
    path.write_text(ITEMS, encoding="utf-8")
    return path


@pytest.fixture
def erp(sqlite_erp):
    demo.build(sqlite_erp, customers=20, seed=3, as_of=dt.date.today())
    return sqlite_erp


def test_notes_add_refused_exits_1_and_says_so_once(erp, tmp_path):
    result = ardesk("notes", "add", "NOBODY", "--text", "wrong account", "--connect", erp, cwd=tmp_path,
                    data=tmp_path / "data")
    one_sentence(result, "1 note was refused")
    assert result.stdout.count("is not in the ERP") == 1 and "0 sent, 0 already in the ERP, 1 invalid" in result.stdout


@pytest.mark.parametrize("toml, words", [
    ('[aging]\nthresholds = "30,60"\n', ["thresholds = '30,60'", "[30, 60, 90, 120]"]),
    ("[erp]\nconnect = 42\n", ["[erp] connect = 42", "text in quotes"]),
    ('backups = "five"\n', ["backups = 'five'", "whole number, like 5"]),
])
def test_settings_of_the_wrong_type_are_one_sentence(items, tmp_path, toml, words):
    (tmp_path / "ardesk.toml").write_text(toml, encoding="utf-8")
    output = tmp_path / "aging.xlsx"
    one_sentence(ardesk("workbook", "--source", items, "--output", output, cwd=tmp_path), *words)
    assert not output.exists()


def test_an_as_of_date_before_excels_first_day_is_one_sentence(erp, tmp_path):
    output = tmp_path / "aging.xlsx"
    one_sentence(ardesk("workbook", "--connect", erp, "--as-of", "0001-01-01", "--output", output, cwd=tmp_path),
                 "0001-01-01 is before 1900-01-01")
    assert not output.exists()


def test_reconcile_apply_on_a_workbook_without_a_reconcile_sheet(erp, tmp_path):
    output = tmp_path / "aging.xlsx"
    assert ardesk("workbook", "--connect", erp, "--output", output, cwd=tmp_path).returncode == 0
    before = output.read_bytes()
    one_sentence(ardesk("reconcile", "apply", output, "--connect", erp, cwd=tmp_path),
                 "aging.xlsx has no Reconcile sheet", "ardesk reconcile --workbook aging.xlsx")
    assert output.read_bytes() == before and sorted(p.name for p in tmp_path.glob("*.csv")) == []


def test_a_workbook_missing_a_sheet_part_is_damaged_not_a_traceback(items, tmp_path):
    output = tmp_path / "aging.xlsx"
    assert ardesk("workbook", "--source", items, "--output", output, cwd=tmp_path).returncode == 0
    import zipfile

    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(output) as whole, zipfile.ZipFile(damaged, "w") as part:
        for info in whole.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":  # Detail, which a refresh reads back
                part.writestr(info, whole.read(info))
    before = damaged.read_bytes()
    one_sentence(ardesk("refresh", damaged, cwd=tmp_path), "damaged.xlsx is damaged", "save it again")
    assert damaged.read_bytes() == before


def test_an_output_under_a_file_is_one_sentence(items, tmp_path):
    one_sentence(ardesk("workbook", "--source", items, "--output", items / "aging.xlsx", cwd=tmp_path),
                 f"{items} is a file, not a folder")


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB tmpfs (room for one small workbook, not two): a real full disk. Needs root and mount."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here (needs root): the full-disk case is not tried")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_leaves_the_workbook_as_it_was(items, tmp_path, small_disk):
    output = small_disk / "aging.xlsx"
    assert ardesk("workbook", "--source", items, "--output", output, cwd=tmp_path).returncode == 0
    before = output.read_bytes()
    for again in (["workbook", "--source", items, "--output", output], ["refresh", output]):
        one_sentence(ardesk(*again, cwd=tmp_path), f"The disk holding {small_disk} is full",
                     "aging.xlsx was left as it was")
        assert output.read_bytes() == before
        assert [p.name for p in small_disk.rglob("*.xlsx")] == ["aging.xlsx"]  # no temporary file, no half backup


def test_a_read_only_disk_is_one_sentence(items, tmp_path, small_disk):
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    output = small_disk / "aging.xlsx"
    one_sentence(ardesk("workbook", "--source", items, "--output", output, cwd=tmp_path),
                 f"{small_disk} is on a read-only disk")
    assert not output.exists()


def test_output_piped_into_head_ends_quietly(tmp_path):
    rows = "".join(f"C{n},Name {n},{n},INV,2026-09-01,2026-10-01,USD,10.00,10.00,Ann,Rep A\n" for n in range(6000))
    big = tmp_path / "big.csv"
    big.write_text(ITEMS.splitlines(keepends=True)[0] + rows, encoding="utf-8")
    for form in ("csv", "table"):
        piped = subprocess.run(f'"{sys.executable}" -m ardesk aging --source "{big}" --as-of {AS_OF} --format {form}'
                               ' | head -1; echo "status ${PIPESTATUS[0]}"', shell=True, executable="/bin/bash",
                               capture_output=True, text=True, cwd=tmp_path, timeout=300)
        assert piped.stderr == "", piped.stderr
        assert piped.stdout.splitlines()[-1] == "status 0" and len(piped.stdout.splitlines()) == 2
