"""The `ardesk` command as a person or a scheduler runs it: real processes, real files, real databases."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import pytest

from ardesk.book import read_config
from ardesk.cli import build_parser

AS_OF = "2026-11-24"
SUBCOMMANDS = ["demo-erp", "demo", "aging", "workbook", "close", "dunning", "refresh", "reconcile", "writeoffs", "credit", "notes",
               "plan", "hitlist", "statements", "render", "erp", "addin", "returns", "escalate"]


def ardesk(*args, env=None, cwd=None):
    """Run `python -m ardesk ARGS` (stdout not a terminal, as under a scheduler), by default in a folder of its
    own: an ardesk.toml where the tests run (`ardesk demo` writes one) must not change what they see."""
    with tempfile.TemporaryDirectory() as own:
        return subprocess.run([sys.executable, "-m", "ardesk", *args], capture_output=True, text=True,
                              env={**os.environ, **(env or {})}, cwd=cwd or own, timeout=300)


def test_every_subcommand_has_help():
    assert set(build_parser()._subparsers._group_actions[0].choices) == set(SUBCOMMANDS)
    top = ardesk("--help")
    assert top.returncode == 0 and all(name in top.stdout for name in SUBCOMMANDS)
    for name in SUBCOMMANDS:
        result = ardesk(name, "--help")
        assert result.returncode == 0, name
        assert "usage: ardesk " + name in result.stdout


def write_csv(path: Path) -> Path:
    path.write_text(
        "customer_id,customer_name,doc_no,doc_type,doc_date,due_date,currency,amount,balance,collector,sales_rep\n"
        "C1,Acme,1001,INV,2026-09-01,2026-10-01,USD,1000.00,1000.00,Ann,Rep A\n"  # 54 days: 31-60
        "C1,Acme,1002,INV,2026-10-20,2026-11-19,USD,250.10,200.05,Ann,Rep A\n"  # 5 days: 1-30
        "C1,Acme,CM-7,CM,2026-11-01,2026-11-01,USD,-50.00,-50.00,Ann,Rep A\n"  # 23 days: 1-30
        "C2,Bolt,1003,INV,2026-11-20,2026-12-20,USD,99.99,99.99,,Rep B\n"  # current
        "C2,Bolt,1004,INV,2026-01-01,2026-01-31,USD,0.01,0.01,,Rep B\n",  # 297 days: Over 120
        encoding="utf-8",
    )
    return path


def test_aging_json_has_the_documented_shape(tmp_path):
    source = write_csv(tmp_path / "items.csv")
    result = ardesk("aging", "--source", str(source), "--as-of", AS_OF, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # not a terminal: no progress output
    rows = json.loads(result.stdout)
    labels = ["Current", "1-30", "31-60", "61-90", "91-120", "Over 120", "Total"]
    assert [list(row) for row in rows] == [["customer_id", *labels]] * 3
    c1, c2, grand = rows
    assert c1 == {"customer_id": "C1", "Current": 0, "1-30": 150.05, "31-60": 1000.0, "61-90": 0, "91-120": 0,
                  "Over 120": 0, "Total": 1150.05}
    assert c2["Current"] == 99.99 and c2["Over 120"] == 0.01 and c2["Total"] == 100.0
    assert grand["customer_id"] == "Grand Total" and grand["Total"] == 1250.05


def test_aging_by_collector_with_custom_buckets_as_csv(tmp_path):
    source = write_csv(tmp_path / "items.csv")
    result = ardesk("aging", "--source", str(source), "--as-of", AS_OF, "--by", "collector",
                    "--buckets", "5,10,15", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "collector,Current,1-5,6-10,11-15,Over 15,Total"
    assert lines[1] == "(unassigned),99.99,0.00,0.00,0.00,0.01,100.00"
    assert lines[2] == "Ann,0.00,200.05,0.00,0.00,950.00,1150.05"
    assert lines[3] == "Grand Total,99.99,200.05,0.00,0.00,950.01,1250.05"


def test_user_errors_are_one_sentence_and_exit_1(tmp_path):
    missing = ardesk("aging", "--source", str(tmp_path / "nope.csv"), "--as-of", AS_OF)
    assert missing.returncode == 1
    assert missing.stderr.startswith("ardesk: ") and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    secret = "S3cret-Pa55word!"
    down = ardesk("aging", "--connect", f"DRIVER={{PostgreSQL Unicode}};Server=127.0.0.1;Port=1;Uid=u;Pwd={secret}",
                  "--as-of", AS_OF)
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert secret not in down.stderr + down.stdout
    bad_date = ardesk("aging", "--source", "x.csv", "--as-of", "24/11/2026")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr


def test_demo_then_refresh(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    output = tmp_path / "aging.xlsx"
    first = ardesk("demo", "--output", str(output), "--as-of", AS_OF, env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[0] == str(output)
    assert (tmp_path / "data" / "ardesk" / "demo-erp.sqlite").exists()
    assert "ardesk.toml" in first.stdout and "ardesk notes history" in first.stdout
    history = ardesk("notes", "history", "C000001", env=env, cwd=tmp_path)  # a newcomer's next command: no options
    assert history.returncode == 0, history.stderr
    assert "No notes" not in history.stdout and len(history.stdout.splitlines()) > 1  # read from the demo ERP
    book = openpyxl.load_workbook(output, read_only=True)
    assert {"Detail", "By Customer", "By Collector", "Check"} <= set(book.sheetnames)
    detail_rows = book["Detail"].max_row
    book.close()
    assert detail_rows > 10_000  # the default demo: 1,500 customers

    before = output.stat().st_mtime_ns
    again = ardesk("refresh", str(output), "--as-of", "2026-12-24", env=env, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert output.stat().st_mtime_ns != before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".ardesk", "aging.xlsx", "ardesk-backups", "ardesk.toml",
                                                           "data"]  # no temp files
    assert len(list((tmp_path / "ardesk-backups").iterdir())) == 1
    config = read_config(output)
    assert config["as_of"] == "2026-12-24" and config["profile"] == "epicor"
    assert "pwd" not in json.dumps(config).lower()


def test_refresh_refuses_a_workbook_that_is_not_ardesks(tmp_path):
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    result = ardesk("refresh", str(other))
    assert result.returncode == 1 and "ardesk" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_pip_install_dot_carries_sql_and_templates(tmp_path):
    """`pip install .` (not editable) gives a working command that finds its SQL away from the repo."""
    repo = tmp_path / "repo"  # a copy: pip builds in the tree, and a build/ left there would hide a missing package
    shutil.copytree(Path(__file__).resolve().parents[1], repo,
                    ignore=shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__"))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--target", str(target), str(repo)], check=True, capture_output=True, timeout=300)
    assert (target / "ardesk" / "sql" / "epicor" / "open_items.sql").is_file()
    assert (target / "ardesk" / "sql" / "demo" / "schema.sql").is_file()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run([sys.executable, "-c", "import ardesk.erp.profile as p, ardesk.jobs.workbook as j, ardesk.cli.text as t; "
                            "print(p.__file__, p.available(), j.__file__, t.__file__)"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.count(str(target)) == 3 and "'epicor'" in probe.stdout  # every package installed
    source = write_csv(tmp_path / "items.csv")
    run = subprocess.run([sys.executable, "-m", "ardesk", "aging", "--source", str(source), "--as-of", AS_OF,
                          "--format", "csv"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1].startswith("Grand Total,")


def test_progress_shows_on_a_terminal_only(tmp_path):
    """On a terminal, long work draws a progress display on stderr; piped, the same run prints only the result."""
    import pty

    conn = f"DRIVER={{SQLite3}};Database={tmp_path / 'erp.sqlite'}"
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "ardesk", "demo-erp", "--connect", conn, "--customers", "300",
                                "--as-of", AS_OF], stdin=child, stdout=child, stderr=child, close_fds=True)
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    assert process.wait(timeout=120) == 0
    text = seen.decode("utf-8", "replace")
    assert "Building the demo ERP" in text and "\x1b[" in text  # rich's live display: escape codes
    assert "0/?" not in text  # a step of unknown length shows its time so far, not a count of nothing
    piped = ardesk("demo-erp", "--connect", conn, "--customers", "300", "--as-of", AS_OF, "--replace")
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == "" and "\x1b[" not in piped.stdout
    assert piped.stdout.startswith("Demo ERP ready")


def test_aging_table_never_cuts_an_amount_short(tmp_path):
    source = write_csv(tmp_path / "items.csv")
    result = ardesk("aging", "--source", str(source), "--as-of", AS_OF, "--by", "sales_rep", env={"COLUMNS": "40"})
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout
    assert "Rep A" in result.stdout and "1,150.05" in result.stdout
    assert [line for line in result.stdout.splitlines() if "Grand Total" in line][0].rstrip(" │").endswith("1,250.05")


def hit_list_rows(path: Path) -> list[tuple]:
    """The Hit List sheet's customer rows (Customer ID, Customer Name, Past Due) under its header row."""
    sheet = openpyxl.load_workbook(path)["Hit List"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(n for n, row in enumerate(rows) if row and row[0] == "Customer ID")
    at = rows[header].index("Past Due")
    return [(row[0], row[1], row[at]) for row in rows[header + 1:] if row[0] and str(row[0]).startswith("C")]


def test_hitlist_splits_one_workbook_per_sales_rep(tmp_path):
    source = write_csv(tmp_path / "items.csv")
    output = tmp_path / "week 48.xlsx"
    result = ardesk("hitlist", "--source", str(source), "--as-of", AS_OF, "--output", str(output),
                    "--split-by", "sales_rep")
    assert result.returncode == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    assert [p.name for p in written] == ["week 48.xlsx", "week 48-Rep-A.xlsx", "week 48-Rep-B.xlsx"]
    assert hit_list_rows(written[0]) == [("C1", "Acme", 1150.05), ("C2", "Bolt", 0.01)]
    assert hit_list_rows(written[1]) == [("C1", "Acme", 1150.05)]
    assert hit_list_rows(written[2]) == [("C2", "Bolt", 0.01)]


def test_workbook_never_overwrites_a_file_that_is_not_ardesks(tmp_path):
    source = write_csv(tmp_path / "items.csv")
    other = tmp_path / "budget.xlsx"
    openpyxl.Workbook().save(other)
    before = other.read_bytes()
    result = ardesk("workbook", "--source", str(source), "--as-of", AS_OF, "--output", str(other))
    assert result.returncode == 1 and "not an ardesk workbook" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert other.read_bytes() == before


def test_render_draws_each_visible_sheet(tmp_path):
    source = write_csv(tmp_path / "items.csv")
    output = tmp_path / "hits.xlsx"
    assert ardesk("hitlist", "--source", str(source), "--as-of", AS_OF, "--output", str(output)).returncode == 0
    result = ardesk("render", str(output), "--png", str(tmp_path / "png"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [str(tmp_path / "png" / "01-Hit-List.png")]
    assert (tmp_path / "png" / "01-Hit-List.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_addin_build_and_install_elsewhere_than_windows(tmp_path):
    built = ardesk("addin", "build", "--output", str(tmp_path / "AR Desk.xlam"))
    assert built.returncode == 0, built.stderr
    assert built.stdout.strip() == str(tmp_path / "AR Desk.xlam") and (tmp_path / "AR Desk.xlam").is_file()
    installed = ardesk("addin", "install", cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.strip() == ("Excel add-ins install on Windows, so nothing was installed here; the add-in "
                                        f"is built at {tmp_path / 'ardesk.xlam'}.")
    wrong = ardesk("addin", "build", "--output", str(tmp_path / "ardesk.xlsm"))
    assert wrong.returncode == 1 and "must end in .xlam" in wrong.stderr


def test_reconcile_json_has_the_documented_shape(tmp_path):
    source = tmp_path / "items.csv"
    source.write_text(
        "customer_id,customer_name,doc_no,doc_type,doc_date,due_date,currency,amount,balance,reference\n"
        "C1,Acme,1001,INV,2026-09-01,2026-10-01,USD,1000.00,1000.00,\n"
        "C1,Acme,1002,INV,2026-10-20,2026-11-19,USD,250.10,250.10,\n"
        "C1,Acme,P-1,PAY,2026-11-01,2026-11-01,USD,-995.00,-995.00,INV-01001\n"  # names 1001, 5.00 short
        "C2,Bolt,1003,INV,2026-10-01,2026-10-31,USD,80.00,80.00,\n"
        "C2,Bolt,1004,INV,2026-10-02,2026-11-01,USD,80.00,80.00,\n"
        "C2,Bolt,P-2,PAY,2026-11-05,2026-11-05,USD,-80.00,-80.00,\n",  # two equal invoices: review
        encoding="utf-8")
    result = ardesk("reconcile", "--source", str(source), "--as-of", AS_OF, "--format", "json",
                    "--tolerance-pct", "1", "--tolerance-abs", "10")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert list(found) == ["proposals", "review", "write_offs", "short_pays"]
    [proposal] = found["proposals"]
    assert {k: proposal[k] for k in ("customer_id", "credit_doc", "invoice_doc", "amount", "rule", "confidence")} == {
        "customer_id": "C1", "credit_doc": "P-1", "invoice_doc": "1001", "amount": 995.0, "rule": "reference",
        "confidence": "high"}
    assert [(w["invoice_doc"], w["amount"]) for w in found["write_offs"]] == [("1001", 5.0)]
    [review] = found["review"]
    assert (review["credit_doc"], review["reason"], review["amount"]) == ("P-2", "ambiguous", 80.0)
    assert found["short_pays"] == []


def test_reconcile_matches_within_a_family_set_in_settings(tmp_path):
    source = tmp_path / "items.csv"
    source.write_text(
        "customer_id,customer_name,doc_no,doc_type,doc_date,due_date,currency,amount,balance,reference\n"
        "PARENT,Group plc,5001,INV,2026-09-01,2026-10-01,USD,420.00,420.00,\n"
        "CHILD,Group Ltd,P-9,PAY,2026-11-01,2026-11-01,USD,-420.00,-420.00,inv 5001\n", encoding="utf-8")
    alone = json.loads(ardesk("reconcile", "--source", str(source), "--as-of", AS_OF, "--format", "json").stdout)
    assert alone["proposals"] == []
    (tmp_path / "ardesk.toml").write_text('[reconcile]\nparents = { CHILD = "PARENT" }\n', encoding="utf-8")
    family = json.loads(ardesk("reconcile", "--source", str(source), "--as-of", AS_OF, "--format", "json",
                               cwd=tmp_path).stdout)
    [proposal] = family["proposals"]
    assert (proposal["customer_id"], proposal["invoice_customer_id"], proposal["invoice_doc"], proposal["amount"]) == (
        "CHILD", "PARENT", "5001", 420.0)


@pytest.mark.parametrize("older", [
    "DROP TABLE ardesk_note",  # as an ardesk from before the notes push left it
    "ALTER TABLE ardesk_note DROP COLUMN FollowUp",  # before pushed notes kept their details
])
def test_demo_rebuilds_its_own_demo_erp_when_an_older_ardesk_made_it(tmp_path, older):
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    assert ardesk("demo-erp", "--customers", "20", "--as-of", AS_OF, env=env).returncode == 0
    database = tmp_path / "data" / "ardesk" / "demo-erp.sqlite"
    with sqlite3.connect(database) as conn:
        conn.execute(older)
    result = ardesk("demo", "--output", str(tmp_path / "aging.xlsx"), "--as-of", AS_OF, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("args, absent", [
    (["--help"], {"pandas", "pyodbc", "xlwings", "ardesk.jobs"}),  # help waits for nothing
    (["aging", "--source", "{csv}", "--as-of", AS_OF], {"xlwings", "ardesk.addin", "ardesk.erp.writeback"}),
    (["addin", "build", "--output", "{xlam}"], {"xlwings", "pyodbc", "ardesk.erp"}),
])
def test_each_command_imports_only_what_it_uses(tmp_path, args, absent):
    """A command loads the modules of its own job only: xlwings never on this side, the ERP edge not for the
    add-in, nothing heavy for help."""
    args = [a.format(csv=write_csv(tmp_path / "items.csv"), xlam=tmp_path / "ardesk.xlam") for a in args]
    probe = (f"import sys\nfrom ardesk.cli import main\ntry:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
             f"print(sorted(m for m in sys.modules if m in {sorted(absent)!r}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_workbook_built_from_a_relative_source_refreshes_from_another_folder(tmp_path):
    """The workbook keeps where its export file is, not where the command happened to run."""
    team = tmp_path / "team"
    team.mkdir()
    write_csv(team / "items.csv")
    built = ardesk("workbook", "--source", "items.csv", "--as-of", AS_OF, "--output", "aging.xlsx", cwd=team)
    assert built.returncode == 0, built.stderr
    assert read_config(team / "aging.xlsx")["source"] == str(team / "items.csv")
    again = ardesk("refresh", str(team / "aging.xlsx"), "--as-of", AS_OF, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
