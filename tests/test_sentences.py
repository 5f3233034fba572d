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
