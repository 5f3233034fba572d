"""Refresh benchmark (issue 13): `ardesk refresh` of the 1,500-customer demo workbook as a user runs it.

Per database (SQLite, the embedded default, first; then PostgreSQL and MariaDB): a fresh demo ERP, one
`ardesk workbook` from it, then `ardesk refresh` of that workbook as a whole process (imports, reading, every
report, the rewrite), wall clock, median of several runs; beside it `pipeline.build` in a fresh process
(bench_workbook's end-to-end run), and the baselines of issue 13. The demo ERPs are built under their own names
and dropped afterwards unless --keep.
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_spine import AS_OF, demo_database, drop_database, user_env
from bench_workbook import measure

TARGET = 3.0
"""Seconds for a whole `ardesk refresh`, on every database (issue 13)."""
BASELINES = {"sqlite": "16-20 s", "postgres": "2.4 s", "mariadb": "not given"}
"""A whole `ardesk refresh` as issue 13 measured it before the demo schema had its indexes."""


def ardesk(*args: str, home: Path) -> None:
    """`ardesk ARGS` as its own process, as a user runs it (bench_spine.user_env)."""
    subprocess.run([sys.executable, "-m", "ardesk", *args], check=True, capture_output=True, text=True,
                   env=user_env(home), cwd=home)


def refresh_seconds(connect: str, runs: int) -> list[float]:
    """Wall-clock seconds of `ardesk refresh`, one per run, of a workbook written once from `connect`."""
    with tempfile.TemporaryDirectory() as tmp:
        home, workbook = Path(tmp), Path(tmp) / "aging.xlsx"
        ardesk("workbook", "--connect", connect, "--as-of", AS_OF.isoformat(), "--output", str(workbook), home=home)
        seconds = []
        for _ in range(runs):
            start = time.perf_counter()
            ardesk("refresh", str(workbook), "--as-of", AS_OF.isoformat(), home=home)
            seconds.append(time.perf_counter() - start)
        return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dbs", default="sqlite,postgres,mariadb", help="databases, comma-separated, in order")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--customers", type=int, default=1500)
    parser.add_argument("--name", default="ardesk_bench_refresh", help="database (or SQLite file) name to build")
    parser.add_argument("--keep", action="store_true", help="keep the demo ERPs (built again only when missing)")
    args = parser.parse_args()
    print(f"ardesk refresh of the {args.customers:,}-customer demo workbook, median of {args.runs} "
          "(whole process, wall clock) beside pipeline.build (a fresh process each run)")
    print(f"  {'database':<10}{'ardesk refresh':>16}{'build_workbook':>16}   baseline (refresh)   target")
    for db in args.dbs.split(","):
        connect = demo_database(db, args.customers, rebuild=not args.keep, name=args.name)
        try:
            refresh = statistics.median(refresh_seconds(connect, args.runs))
            build = statistics.median(r["seconds"] for r in measure("end_to_end", connect, args.runs))
        finally:
            if not args.keep:
                drop_database(db, args.name)
        print(f"  {db:<10}{refresh:>15.2f}s{build:>15.2f}s   {BASELINES[db]:<21}< {TARGET:.0f} s", flush=True)


if __name__ == "__main__":
    main()
