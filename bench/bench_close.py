"""Month-end benchmark (issue 15): the aging of a past month-end beside today's, and `ardesk close` as a whole
process.

1. On the 50,000-customer demo ERP (about a million open items), read and age the open items as of today and as
   of the last month-end, side by side, median of several runs each; target: the month-end within 1.5 times
   today's.
2. `ardesk close --period` of the last ended month on the 1,500-customer demo ERP as its own process (start-up,
   both agings, the period's activity, the rollforward, the workbook, freezing the month in the ERP), median of
   several runs; target < 5 s. Each run closes the month again (--reclose), so each one freezes it anew: the
   slowest path (a close that finds the month frozen only reads it back and compares).

SQLite, the embedded default, first; PostgreSQL and MariaDB with --databases. The demo ERPs are built once
under names of their own (ardesk_close_<customers>) and kept for the next run (--rebuild builds them again).

    .venv/bin/python bench/bench_close.py --runs 5 --databases sqlite postgres mariadb
"""
import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_spine import AS_OF, demo_database, median_time, user_env

from ardesk.ar import aging
from ardesk.erp import fetch
from ardesk.settings import AgingSettings, ErpSettings

MONTH_END = dt.date(2026, 10, 31)
"""The last month-end before the demo's as-of date, 2026-11-24."""
RATIO = 1.5
CLOSE_SECONDS = 5.0


def aged(connect: str, day: dt.date) -> int:
    """Read and age the open items as of `day`; their number."""
    items, _total = fetch.open_items(ErpSettings(connect=connect), day)
    return len(aging.age(items, day, AgingSettings()))


def close_seconds(connect: str, runs: int) -> list[float]:
    """Wall-clock seconds of `ardesk close --period` of October, closed again each run, one per run."""
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "ardesk", "close", "--period", f"{MONTH_END:%Y-%m}", "--reclose",
                            "--connect", connect, "--output", str(Path(tmp) / "month-end.xlsx")], check=True,
                           capture_output=True, env=user_env(Path(tmp)))
            seconds.append(time.perf_counter() - start)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--customers", type=int, default=50_000, help="customers of the past-aging demo")
    parser.add_argument("--databases", nargs="+", default=["sqlite"], choices=["sqlite", "postgres", "mariadb"])
    parser.add_argument("--rebuild", action="store_true", help="build the demo ERPs again")
    args = parser.parse_args()
    for db in args.databases:
        big = demo_database(db, args.customers, args.rebuild, f"ardesk_close_{args.customers}")
        today, count = median_time(lambda: aged(big, AS_OF), args.runs)
        past, past_count = median_time(lambda: aged(big, MONTH_END), args.runs)
        print(f"{db}: {args.customers:,} customers, median of {args.runs}: today's aging {today:.2f} s "
              f"({count:,} items), the aging of {MONTH_END} {past:.2f} s ({past_count:,} items): "
              f"{past / today:.2f} times today's (target <= {RATIO})")
        small = demo_database(db, 1500, args.rebuild, "ardesk_close_1500")
        closing = statistics.median(close_seconds(small, args.runs))
        print(f"{db}: `ardesk close --period {MONTH_END:%Y-%m}`, 1,500 customers, whole process: {closing:.2f} s "
              f"(median of {args.runs}; target < {CLOSE_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
