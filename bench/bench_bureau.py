"""Bureau import benchmark (issue 17): a labelled bureau file of about 50,000 rows read and matched against the
50,000 customers of the demo ERP, beside the targets: < 10 s, precision of the automatic matches >= 99.9%.

The file is ardesk.demo.bureau's: most rows about customers, written as bureaus write them (case, legal forms,
abbreviations, typos, ZIP+4, tax IDs missing or written another way), 8% about companies that are no customer and
4% near twins of customers. It prints, as medians of several runs:
- time to read the CSV (ardesk.erp.bureau_file.read) and to match it (ardesk.ar.bureau_match.match), and both;
- precision: automatic matches naming the customer the row is about (target >= 99.9%);
- recall: rows about customers matched automatically to them; and what went to review, right and wrong.

    .venv/bin/python bench/bench_bureau.py --runs 5 [--customers 50000] [--bureau generic|dnb]
"""
import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from ardesk.ar.bureau_match import match
from ardesk.demo.bureau import bureau_rows, contacts, export
from ardesk.demo.ledger import generate
from ardesk.erp.bureau_file import read
from ardesk.settings import BUREAUS

AS_OF = dt.date(2026, 11, 24)
TARGET_SECONDS, TARGET_PRECISION = 10.0, 0.999


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--bureau", default="generic", choices=sorted(BUREAUS))
    args = parser.parse_args()
    started = time.perf_counter()
    customers = contacts(generate(args.customers, 7, AS_OF)["Erp.Customer"])
    labelled = bureau_rows(customers, AS_OF)
    print(f"{len(customers):,} demo customers and a {args.bureau} file of {len(labelled):,} rows made in "
          f"{time.perf_counter() - started:.1f} s (not timed)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bureau.csv"
        export(labelled, BUREAUS[args.bureau]).to_csv(path, index=False)
        reads, matches, found = [], [], None
        for _ in range(args.runs):
            started = time.perf_counter()
            rows, _written = read(path, BUREAUS[args.bureau])
            reads.append(time.perf_counter() - started)
            started = time.perf_counter()
            found = match(rows, customers)
            matches.append(time.perf_counter() - started)
    label = labelled["label"].to_numpy()
    auto = (found["status"] == "Matched").to_numpy()
    right = auto & (found["customer_id"].to_numpy() == label)
    review = (found["status"] == "Review").to_numpy()
    about_customers = (label != "").sum()
    total = [r + m for r, m in zip(reads, matches)]
    print(f"read   median {statistics.median(reads):6.2f} s")
    print(f"match  median {statistics.median(matches):6.2f} s")
    print(f"both   median {statistics.median(total):6.2f} s   target < {TARGET_SECONDS:.0f} s")
    print(f"precision of automatic matches {right.sum() / max(auto.sum(), 1):.4%} ({auto.sum() - right.sum()} wrong "
          f"of {auto.sum():,})   target >= {TARGET_PRECISION:.1%}")
    print(f"recall {right.sum() / about_customers:.2%} of {about_customers:,} rows about customers matched "
          "automatically")
    print(f"review {review.sum():,} rows: {(review & (found['customer_id'].to_numpy() == label)).sum():,} suggesting "
          f"the right customer, {(review & (label == '')).sum():,} about no customer")


if __name__ == "__main__":
    main()
