"""Aging workbook benchmark (issue 3): time and peak memory, medians of several runs, beside the targets.

- The default demo (1,500 customers) end to end: `jobs.build_workbook`, reading customers, history and notes
  from the ERP, every report, and the write. Target: under 3 s.
- A Detail of about 100,000 rows with its pivots and every other sheet: the write (`book.write_aging_workbook`)
  from computed contents. Targets: under 5 s and under 500 MB peak.

Each run is a fresh process, so the peak (ru_maxrss) is that run's own: the whole process, reading the ERP
and the reports included, not only the write. Demo ERPs are built once in PostgreSQL and kept (bench_spine).
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_spine import AS_OF, demo_database

TARGETS = {"end_to_end": 3.0, "write": 5.0}
PEAK_TARGET_MB = 500


def child(connect: str, folder: Path) -> None:
    """One measured run, printed as a JSON line: seconds per step and this process's peak memory."""
    from ardesk import book, jobs
    from ardesk.ar.exceptions import titles
    from ardesk.settings import ErpSettings, Settings

    settings = Settings(erp=ErpSettings(connect=connect))
    start = time.perf_counter()
    jobs.build_workbook(settings, AS_OF, folder / "end-to-end.xlsx")
    end_to_end = time.perf_counter() - start
    shown = jobs.contents(settings, jobs.receivables(settings, AS_OF), AS_OF)
    start = time.perf_counter()
    book.write_aging_workbook(folder / "write.xlsx", shown, as_of=AS_OF, base_currency="USD",
                              config={"as_of": AS_OF.isoformat()}, sections=titles(settings.reports))
    write = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": len(shown.aged), "end_to_end": end_to_end, "write": write, "peak_mb": peak_mb}))


def measure(connect: str, runs: int) -> list[dict]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run([sys.executable, __file__, "--child", connect, tmp], capture_output=True,
                                  text=True, check=True)
        results.append(json.loads(done.stdout.splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1500,5500",
                        help="demo customer counts, comma-separated (5,500 customers give about 100,000 items)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the kept demo ERPs")
    parser.add_argument("--child", nargs=2, metavar=("CONNECT", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    for customers in map(int, args.sizes.split(",")):
        results = measure(demo_database("postgres", customers, args.rebuild), args.runs)
        median = {key: statistics.median(r[key] for r in results) for key in ("end_to_end", "write", "peak_mb")}
        print(f"\npostgres, {customers:,} customers, {results[0]['rows']:,} open items (median of {args.runs}, "
              "each run a fresh process)")
        print(f"  {'measure':<40}{'measured':>10}   target")
        print(f"  {'end to end (jobs.build_workbook)':<40}{median['end_to_end']:>9.2f}s   "
              f"< {TARGETS['end_to_end']:.0f} s at 1,500 customers")
        print(f"  {'workbook write (Detail, pivots, reports)':<40}{median['write']:>9.2f}s   "
              f"< {TARGETS['write']:.0f} s at 100,000 rows")
        print(f"  {'peak memory of the run':<40}{median['peak_mb']:>8.0f}MB   < {PEAK_TARGET_MB} MB at 100,000 rows")


if __name__ == "__main__":
    main()
