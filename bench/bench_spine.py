"""Spine benchmark: read, age, write, end to end; medians printed beside the targets of issue 2."""
import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import arrow_odbc
import pandas as pd
import pyodbc

from ardesk import book, pipeline, receivables
from ardesk.ar import aging
from ardesk.ar.exception_report import titles
from ardesk.erp import demo, fetch
from ardesk.erp import profile as profiles
from ardesk.erp.dialect import dialect_of_dbms, render
from ardesk.erp.odbc import BATCH_ROWS, MAX_TEXT_BYTES, full_connection_string
from ardesk.reports import contents
from ardesk.settings import ErpSettings, Settings

AS_OF = dt.date(2026, 11, 24)
SERVERS = {
    "postgres": ("DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;Database=postgres;Uid=postgres",
                 "DRIVER={PostgreSQL Unicode};Server=127.0.0.1;Port=5432;Database=%s;Uid=postgres"),
    "mariadb": ("DRIVER={MariaDB Unicode};Server=127.0.0.1;Port=3306;Uid=root",
                "DRIVER={MariaDB Unicode};Server=127.0.0.1;Port=3306;Database=%s;Uid=root"),
}


def user_env(home: Path) -> dict[str, str]:
    """The environment of an `ardesk` process as a user runs it: a data directory of its own (the user's stays
    untouched), and Python free to keep ardesk's compiled modules, as an installed ardesk has them (a machine that
    sets PYTHONDONTWRITEBYTECODE would otherwise compile all of them at every start: 0.2 s here)."""
    env = {**os.environ, "XDG_DATA_HOME": str(home)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def ardesk_seconds(args: list[str], runs: int) -> float:
    """The median wall-clock seconds of `ardesk ARGS` as a whole process, as a user runs it (user_env), `{tmp}` in
    an argument standing for a folder of the run's own."""
    with tempfile.TemporaryDirectory() as tmp:
        median, _ = median_time(lambda: subprocess.run(
            [sys.executable, "-m", "ardesk", *(arg.replace("{tmp}", tmp) for arg in args)], check=True,
            capture_output=True, env=user_env(Path(tmp))), runs)
    return median


def median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def demo_database(db: str, customers: int, rebuild: bool, name: str | None = None) -> str:
    """A demo ERP of this size, built once and kept (database `name`, by default ardesk_bench_<customers>)."""
    name = name or f"ardesk_bench_{customers}"
    if db == "sqlite":
        path = Path(tempfile.gettempdir()) / f"{name}.sqlite"
        if rebuild:
            path.unlink(missing_ok=True)
        conn_str = f"DRIVER={{SQLite3}};Database={path}"
        if path.exists() and not demo.exists(conn_str):  # an older ardesk's, or a build cut short
            path.unlink()
        if not path.exists():
            demo.build(conn_str, customers=customers, as_of=AS_OF)
        return conn_str
    admin, template = SERVERS[db]
    conn = pyodbc.connect(admin, autocommit=True)
    present = conn.execute(_EXISTS[db], name).fetchone() is not None
    if present and (rebuild or not demo.exists(template % name)):  # an older ardesk's, or a build cut short
        conn.execute(f"DROP DATABASE {name}")
        present = False
    if not present:
        conn.execute(f"CREATE DATABASE {name}")
        start = time.perf_counter()
        demo.build(template % name, customers=customers, as_of=AS_OF)
        print(f"  built the demo ERP with {customers:,} customers in {time.perf_counter() - start:.1f} s")
    conn.close()
    return template % name


def drop_database(db: str, name: str) -> None:
    """Remove a demo ERP that demo_database built under `name`."""
    if db == "sqlite":
        (Path(tempfile.gettempdir()) / f"{name}.sqlite").unlink(missing_ok=True)
        return
    with pyodbc.connect(SERVERS[db][0], autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")


_EXISTS = {"postgres": "SELECT 1 FROM pg_database WHERE datname = ?",
           "mariadb": "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?"}


def bench(db: str, customers: int, runs: int, rebuild: bool, write_limit: int) -> None:
    conn_str = demo_database(db, customers, rebuild)
    erp = ErpSettings(connect=conn_str)
    settings = Settings(erp=erp)
    profile = profiles.load("epicor")
    params = [AS_OF.isoformat(), "", ""]
    with pyodbc.connect(full_connection_string(erp)) as conn:
        sql = render(profile.query("open_items"), dialect_of_dbms(conn.getinfo(pyodbc.SQL_DBMS_NAME)))

    def plain_pandas():
        with pyodbc.connect(full_connection_string(erp)) as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas warns that pyodbc is not SQLAlchemy
            return pd.read_sql(sql, conn, params=params)

    def raw_arrow():
        reader = arrow_odbc.read_arrow_batches_from_odbc(query=sql, connection_string=full_connection_string(erp),
                                                         parameters=params, batch_size=BATCH_ROWS,
                                                         max_text_size=MAX_TEXT_BYTES)
        return sum(batch.num_rows for batch in reader)

    t_ardesk, (items, _total) = median_time(lambda: fetch.open_items(erp, AS_OF), runs)
    t_arrow, _ = median_time(raw_arrow, runs)
    t_pandas, _ = median_time(plain_pandas, max(1, runs // 2))
    t_age, aged = median_time(lambda: aging.age(items, AS_OF, settings.aging), runs)
    t_pivot, _ = median_time(lambda: (aging.pivot(aged, "customer"), aging.pivot(aged, "collector")), runs)
    rows = len(items)
    print(f"\n{db}, {customers:,} customers, {rows:,} open items (median of {runs})")
    print(f"  {'measure':<36}{'measured':>12}   baseline / target")
    print(f"  {'read: ardesk (arrow-odbc + map)':<36}{t_ardesk:>11.3f}s   <= 1.5x raw arrow-odbc = {1.5 * t_arrow:.3f}s"
          f"  ({t_ardesk / t_arrow:.2f}x)")
    print(f"  {'read: raw arrow-odbc':<36}{t_arrow:>11.3f}s   ({rows / t_arrow:,.0f} rows/s)")
    print(f"  {'read: pandas.read_sql over pyodbc':<36}{t_pandas:>11.3f}s   ({rows / t_pandas:,.0f} rows/s; "
          f"ardesk is {t_pandas / t_ardesk:.1f}x faster)")
    print(f"  {'aging (days + buckets)':<36}{t_age:>11.3f}s   target < 1 s for 1M items")
    print(f"  {'pivots by customer and collector':<36}{t_pivot:>11.3f}s")
    if rows <= write_limit:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "aging.xlsx"
            shown = contents(settings, receivables.read(settings, AS_OF), AS_OF)
            t_write, _ = median_time(lambda: book.write_aging_workbook(
                out, shown, as_of=AS_OF, base_currency="USD", config={"as_of": AS_OF.isoformat()},
                sections=titles(settings.reports)), runs)
            out.unlink()
            t_e2e, _ = median_time(lambda: pipeline.build(out.with_name(f"{time.time_ns()}.xlsx"), settings, AS_OF),
                                   runs)
        print(f"  {'workbook write':<36}{t_write:>11.3f}s")
        print(f"  {'end to end (pipeline.build)':<36}{t_e2e:>11.3f}s   target < 3 s for 1,500 customers")
    else:
        print(f"  workbook write and end to end skipped above {write_limit:,} rows (--write-limit)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("postgres", "mariadb", "sqlite"), default="postgres")
    parser.add_argument("--sizes", default="1500,50000", help="customer counts, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the kept demo ERPs")
    parser.add_argument("--write-limit", type=int, default=1_048_575,
                        help="skip the workbook above this many rows (default: what one Excel sheet holds)")
    args = parser.parse_args()
    for customers in map(int, args.sizes.split(",")):
        bench(args.db, customers, args.runs, args.rebuild, args.write_limit)


if __name__ == "__main__":
    main()
