"""Aging workbook benchmark (issue 3): time and peak memory, medians of several runs, beside the targets.

- The default demo (1,500 customers) end to end: `pipeline.build`, reading customers, history and notes
  from the ERP, every report, and the write. Target: under 3 s.
- A Detail of about 100,000 rows with its pivots and every other sheet: the write (`book.write_aging_workbook`)
  from computed contents. Targets: under 5 s and under 500 MB peak.

Each run is a fresh process building one workbook, so the peak (ru_maxrss) is that build's own: the whole
process, reading the ERP and the reports included, not only the write. Demo ERPs are built once in PostgreSQL
and kept (bench_spine).
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
"""Seconds, from issue 3."""
PEAK_TARGET_MB = 500


def child(kind: str, connect: str, folder: Path) -> None:
    """One measured run, printed as a JSON line: its seconds and this process's peak memory.

    `end_to_end` times pipeline.build (what `ardesk workbook` runs); `write` reads and computes the contents untimed, then times the
    write alone. Either way the process builds one workbook, as `ardesk workbook` does.
    """
    from ardesk import book, pipeline, receivables
    from ardesk.reports import contents
    from ardesk.ar.exception_report import titles
    from ardesk.settings import ErpSettings, Settings

    settings = Settings(erp=ErpSettings(connect=connect))
    if kind == "end_to_end":
        start = time.perf_counter()
        pipeline.build(folder / "end-to-end.xlsx", settings, AS_OF)
        rows = None
    else:
        shown = contents(settings, receivables.read(settings, AS_OF), AS_OF)
        rows = len(shown.aged)
        start = time.perf_counter()
        book.write_aging_workbook(folder / "write.xlsx", shown, as_of=AS_OF, base_currency="USD",
                                  config={"as_of": AS_OF.isoformat()}, sections=titles(settings.reports))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb}))


def measure(kind: str, connect: str, runs: int) -> list[dict]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run([sys.executable, __file__, "--child", kind, connect, tmp], capture_output=True,
                                  text=True, check=True)
        results.append(json.loads(done.stdout.splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1500,5500",
                        help="demo customer counts, comma-separated (5,500 customers give about 100,000 items)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the kept demo ERPs")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "CONNECT", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], Path(args.child[2]))
        return
    for customers in map(int, args.sizes.split(",")):
        connect = demo_database("postgres", customers, args.rebuild)
        e2e, write = measure("end_to_end", connect, args.runs), measure("write", connect, args.runs)

        def median(results, key):
            return statistics.median(r[key] for r in results)

        print(f"\npostgres, {customers:,} customers, {write[0]['rows']:,} open items (median of {args.runs}, "
              "each run a fresh process building one workbook)")
        print(f"  {'measure':<44}{'measured':>10}   target")
        print(f"  {'end to end (pipeline.build)':<44}{median(e2e, 'seconds'):>9.2f}s   "
              f"< {TARGETS['end_to_end']:.0f} s at 1,500 customers")
        print(f"  {'  peak memory':<44}{median(e2e, 'peak_mb'):>8.0f}MB")
        print(f"  {'workbook write (Detail, pivots, reports)':<44}{median(write, 'seconds'):>9.2f}s   "
              f"< {TARGETS['write']:.0f} s at 100,000 rows")
        print(f"  {'  peak memory (read, reports and write)':<44}{median(write, 'peak_mb'):>8.0f}MB   "
              f"< {PEAK_TARGET_MB} MB at 100,000 rows")


if __name__ == "__main__":
    main()
