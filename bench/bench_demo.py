"""The demo ERP's build time: `ledger.generate` for 1,500 and 50,000 customers, and loading the 1,500-customer
demo into SQLite (what `ardesk demo` does on first use), medians of several runs beside the figures of the demo
before it became a timeline (docs/performance.md).

    .venv/bin/python bench/bench_demo.py --runs 5 [--sizes 1500,50000]
"""
import argparse
import datetime as dt
import statistics
import tempfile
import time

from bench_spine import AS_OF

from ardesk.demo import ledger
from ardesk.erp import demo

BEFORE = {"generate 1,500": 0.62, "generate 50,000": 12.1, "load 1,500 into SQLite": 4.6}
"""Seconds, the demo before the timeline (main at 17397b6), as of 2026-12-07, on this 2-core machine at load 5-7."""


def _median(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1500,50000")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    args = parser.parse_args()
    measured = {}
    for size in (int(s) for s in args.sizes.split(",")):
        measured[f"generate {size:,}"] = _median(args.runs, lambda: ledger.generate(size, 7, args.as_of))
    frames = ledger.generate(1500, 7, args.as_of)
    rows = sum(len(frame) for frame in frames.values())

    def load():
        with tempfile.TemporaryDirectory() as tmp:
            demo.build(f"DRIVER={{SQLite3}};Database={tmp}/demo.sqlite", tables=frames)

    measured["load 1,500 into SQLite"] = _median(args.runs, load)
    print(f"\nThe demo ERP as of {args.as_of} (median of {args.runs}; the 1,500-customer demo has {rows:,} rows)")
    for name, seconds in measured.items():
        before = BEFORE.get(name)
        print(f"  {name:28} {seconds:7.2f} s" + (f"   before the timeline {before:.2f} s" if before else ""))


if __name__ == "__main__":
    main()
