"""Dunning benchmark (issue 16, part 6): `ardesk dunning --preview` for the 1,500-customer demo ERP as a whole
process (start-up, the ERP read, the rules, the Dunning workbook), median of several runs; target < 3 s.

SQLite, the embedded default, first; PostgreSQL and MariaDB with --databases. The demo ERPs are built once
under their own name (ardesk_dunning_1500) and kept for the next run (--rebuild builds them again).

    .venv/bin/python bench/bench_dunning.py --runs 5 --databases sqlite postgres mariadb
"""
import argparse

from bench_spine import AS_OF, ardesk_seconds, demo_database

TARGET_SECONDS = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--databases", nargs="+", default=["sqlite"], choices=["sqlite", "postgres", "mariadb"])
    parser.add_argument("--rebuild", action="store_true", help="build the demo ERPs again")
    args = parser.parse_args()
    for db in args.databases:
        connect = demo_database(db, 1500, args.rebuild, "ardesk_dunning_1500")
        seconds = ardesk_seconds(["dunning", "--preview", "--as-of", AS_OF.isoformat(), "--connect", connect,
                                  "--workbook", "{tmp}/dunning.xlsx"], args.runs)
        print(f"{db}: `ardesk dunning --preview`, 1,500 customers, whole process: {seconds:.2f} s "
              f"(median of {args.runs}; target < {TARGET_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
