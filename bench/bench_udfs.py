"""Worksheet functions benchmark (issue 6): a sheet of 10,000 AR_BALANCE cells, recalculated as plain calls.

Builds the default demo workbook (1,500 customers) once, then times 10,000 AR_BALANCE calls over its
customers and buckets, the first recalculation after a refresh (the snapshot loads) and the next ones (from
memory), medians of several runs beside the target of 2 s.
"""
import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench_spine import AS_OF, demo_database

from ardesk import pipeline, snapshot
from ardesk import worksheet_functions as functions
from ardesk.ar.aging import bucket_labels
from ardesk.settings import ErpSettings, Settings

CELLS = 10_000
TARGET = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    settings = Settings(erp=ErpSettings(connect=demo_database("postgres", 1500, rebuild=False)))
    with tempfile.TemporaryDirectory() as tmp:
        workbook = pipeline.build(Path(tmp) / "aging.xlsx", settings, AS_OF).path
        functions.use(workbook)
        customers = list(snapshot.load(workbook).customers)
        buckets = [None, *bucket_labels(settings.aging.thresholds)]
        cells = [(customers[n % len(customers)], buckets[n % len(buckets)]) for n in range(CELLS)]

        def recalculate():
            start = time.perf_counter()
            answers = [functions.AR_BALANCE(customer, bucket) for customer, bucket in cells]
            assert not any(isinstance(a, str) for a in answers), "a cell answered #N/A"
            return time.perf_counter() - start

        first, again = [], []
        for _ in range(args.runs):
            functions._load.cache_clear()  # as after a refresh: the snapshot loads again
            first.append(recalculate())
            again.append(recalculate())
    print(f"\n{CELLS:,} AR_BALANCE cells, 1,500-customer demo (median of {args.runs})")
    print(f"  first recalculation (loads the snapshot)   {statistics.median(first):6.3f}s   target < {TARGET:.0f} s")
    print(f"  next recalculations (from memory)          {statistics.median(again):6.3f}s   target < {TARGET:.0f} s")


if __name__ == "__main__":
    main()
