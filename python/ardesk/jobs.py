"""One function per user action. Both front doors (the `ardesk` command, the Excel ribbon) call these.

Each reads as one straight line: settings -> read (ERP or export file) -> ar.* -> book.* (or the ERP).
`step` reports progress in words ("Reading the ERP"); the front door decides how to show it.
"""
import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ardesk import __version__
from ardesk.ar import aging
from ardesk import book
from ardesk.erp import connect as odbc
from ardesk.erp import demo as demo_erp
from ardesk.erp import fetch, files
from ardesk.settings import AgingSettings, Settings, parse_thresholds

Step = Callable[[str], None]


def _quiet(_label: str) -> None:
    return None


def open_items(settings: Settings, as_of: dt.date, step: Step = _quiet) -> tuple[pd.DataFrame, int | None]:
    """The open items and, when read from the ERP, the ERP's own total (base cents) to tie to."""
    if settings.source:
        step(f"Reading {settings.source}")
        return files.read_open_items(settings.source, base_currency=settings.base_currency), None
    step(f"Reading the ERP ({odbc.describe(settings.erp)})")
    return fetch.open_items(settings.erp, as_of)


def aging_report(settings: Settings, as_of: dt.date, by: str, step: Step = _quiet) -> pd.DataFrame:
    """`ardesk aging`: the aging pivot in base-currency cents."""
    items, _total = open_items(settings, as_of, step)
    step("Aging")
    return aging.pivot(aging.age(items, as_of, settings.aging), by=by)


def _config(settings: Settings, as_of: dt.date) -> dict[str, str]:
    """What a workbook remembers so that `ardesk refresh` can rebuild it (never a credential)."""
    return {
        "ardesk_version": __version__,
        "source": settings.source,
        "profile": settings.erp.profile,
        "connect": odbc.without_password(settings.erp.connect) if settings.erp.connect else "",
        "company": settings.erp.company,
        "thresholds": ",".join(map(str, settings.aging.thresholds)),
        "basis": settings.aging.basis,
        "base_currency": settings.base_currency,
        "as_of": as_of.isoformat(),
    }


def build_workbook(settings: Settings, as_of: dt.date, output: Path, step: Step = _quiet) -> Path:
    """Read, age and write the aging workbook to `output` (atomically)."""
    items, erp_total = open_items(settings, as_of, step)
    step("Aging")
    aged = aging.age(items, as_of, settings.aging)
    step(f"Writing {output}")
    return book.write_aging_workbook(
        output, aged, as_of=as_of, base_currency=settings.base_currency,
        config=_config(settings, as_of), erp_total_cents=erp_total,
    )


def settings_from_workbook(path: Path, base: Settings) -> Settings:
    """The settings a workbook was built with, laid over `base` (the password still comes from base's
    environment variable or the keyring)."""
    saved = book.read_config(path)
    erp = replace(base.erp, profile=saved.get("profile") or base.erp.profile, connect=saved.get("connect", ""),
                  company=saved.get("company", ""))
    thresholds = saved.get("thresholds")
    aging_settings = AgingSettings(
        thresholds=parse_thresholds(thresholds) if thresholds else base.aging.thresholds,
        basis=saved.get("basis") or base.aging.basis,
    )
    return replace(base, erp=erp, aging=aging_settings, source=saved.get("source", ""),
                   base_currency=saved.get("base_currency") or base.base_currency)


def refresh(path: Path, settings: Settings, as_of: dt.date, step: Step = _quiet, output: Path | None = None) -> Path:
    """`ardesk refresh`: pull again with the workbook's own settings and rewrite it.

    In place, it refuses while someone has the workbook open in Excel and first keeps a backup of the
    current version; with `output`, it writes beside it and leaves the workbook alone.
    """
    if output is not None:
        return build_workbook(settings, as_of, output, step)
    book.refuse_if_open(path)
    book.back_up(path, keep=settings.backups)
    return build_workbook(settings, as_of, path, step)


def build_demo_erp(connect: str | None, as_of: dt.date, step: Step = _quiet,
                   on_rows: Callable[[int], None] | None = None, *, customers: int = 1500, seed: int = 7,
                   replace_existing: bool = False) -> str:
    """`ardesk demo-erp`: create and fill the demo ERP; returns its connection string (password masked)."""
    step(f"Building the demo ERP ({customers:,} customers)")
    return demo_erp.build(connect, customers=customers, seed=seed, as_of=as_of, replace=replace_existing,
                          on_rows=on_rows)


def demo(settings: Settings, as_of: dt.date, output: Path, step: Step = _quiet,
         on_rows: Callable[[int], None] | None = None) -> Path:
    """`ardesk demo`: build the demo ERP if it is missing, then the aging workbook from it."""
    connect = settings.erp.connect or demo_erp.default_connect()
    if not demo_erp.exists(connect):
        build_demo_erp(connect, as_of, step, on_rows)
    demo_settings = replace(settings, erp=replace(settings.erp, connect=connect, profile="epicor"), source="")
    return build_workbook(demo_settings, as_of, output, step)
