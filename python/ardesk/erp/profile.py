"""ERP profiles: a folder of SQL under sql/ plus a profile.toml saying what each query binds and which of its
columns feeds which frame column.

A new ERP is a new folder (profile.toml + one .sql file per query), not new Python. Money columns are named
without `_cents` in the column maps (`balance`) because the profile speaks the ERP's amounts and fetch
quantises them. Every mistake in a profile.toml ends in one sentence naming the profile and the section.
"""
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ardesk.errors import ArdeskError
from ardesk.frames import (APPLICATIONS, BUREAU_REPORTS, CAPTURED_NOTES, CLOSE_DOCUMENTS, CLOSES, CONTACTS,
                           CUSTOMERS, HISTORY, LAST_ACTIVITY, OPEN_ITEMS, OPTIONAL_TEXT, PAYMENTS, PERIOD_ACTIVITY,
                           RETURNED_PAYMENTS, WRITE_OFFS)

QUERIES = {"open_items": OPEN_ITEMS, "customers": CUSTOMERS, "history": HISTORY, "applications": APPLICATIONS,
           "notes": CAPTURED_NOTES, "payments": PAYMENTS, "period_activity": PERIOD_ACTIVITY,
           "closes": CLOSES, "close_docs": CLOSE_DOCUMENTS, "contacts": CONTACTS, "write_offs": WRITE_OFFS,
           "last_activity": LAST_ACTIVITY, "returned_payments": RETURNED_PAYMENTS,
           "bureau_reports": BUREAU_REPORTS}
"""The bulk queries a profile maps and the frame each one fills (`total`, a single sum, fills none)."""
RECEIVABLES = ("open_items", "customers", "history", "applications", "notes", "payments", "closes", "contacts",
               "write_offs", "returned_payments", "bureau_reports")
"""The queries of everything the aging workbook reads."""

_REQUIRED = {"open_items": [c for c in OPEN_ITEMS if c not in OPTIONAL_TEXT and c != "credit_limit_cents"]}
"""Frame columns a query must map: without them an open item cannot be aged or tied to the ERP. Any other
column left out of a map is read as empty."""


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    tables: tuple[str, ...]
    sections: dict[str, dict]
    """profile.toml's [parameters] and column maps as read: each is checked when its query runs, so the
    error names the section actually needed."""

    def query(self, name: str) -> str:
        """The canonical SQL of one of the profile's queries (`open_items`, `total`, ...)."""
        return _sql(self.name, name)

    def parameters(self, query: str, values: dict[str, str]) -> list[str]:
        """The values `query` binds to its `?` placeholders, in the order its [parameters] entry names them."""
        try:
            names = self._section("parameters")[query]
        except KeyError:
            raise ArdeskError(f"The ERP profile {self.name!r} does not say what its {query} query binds: list its "
                              "parameters under [parameters] in profile.toml ([] for none).") from None
        unknown = [name for name in names if name not in values]
        if unknown:
            raise ArdeskError(f"The ERP profile {self.name!r} binds {unknown[0]!r} in its {query} query, which "
                              f"ardesk does not supply there: use {', '.join(sorted(values))} in [parameters].")
        return [values[name] for name in names]

    def columns(self, query: str) -> dict[str, str]:
        """Frame column -> the query's column, money named with `_cents` as the frame names it."""
        contract = QUERIES[query]
        columns = {}
        for name, source in self._section(query).items():
            column = name if name in contract else f"{name}_cents"
            if column not in contract:
                raise ArdeskError(f"The ERP profile {self.name!r} maps {name!r} under [{query}], which is not a "
                                  f"column of ardesk's {query} frame: use one of "
                                  f"{', '.join(c.removesuffix('_cents') for c in contract)}.")
            columns[column] = source
        missing = [c for c in _REQUIRED.get(query, ()) if c not in columns]
        if missing:
            raise ArdeskError(f"The ERP profile {self.name!r} maps no column to {missing[0].removesuffix('_cents')!r}: "
                              f"add it under [{query}] in profile.toml.")
        return columns

    def _section(self, name: str) -> dict:
        """One [section] of profile.toml; a profile may lack one it is never asked for."""
        try:
            return self.sections[name]
        except KeyError:
            raise ArdeskError(f"The ERP profile {self.name!r} has no [{name}] section in its profile.toml: add "
                              "it.") from None


@cache
def _sql(profile: str, query: str) -> str:
    """A query's file, read once a process: a push runs its inserts hundreds of times."""
    return (_sql_root() / profile / f"{query}.sql").read_text(encoding="utf-8")


def _sql_root():
    return resources.files("ardesk.sql")


def available() -> list[str]:
    """Profiles shipped with ardesk: the folders under sql/ that hold a profile.toml."""
    return sorted(p.name for p in _sql_root().iterdir() if (p / "profile.toml").is_file())


@cache
def load(name: str) -> Profile:
    """The named profile; ArdeskError listing the shipped ones when it does not exist."""
    if name not in available():
        raise ArdeskError(f"There is no ERP profile {name!r}: use one of {', '.join(available())} in [erp] profile.")
    raw = tomllib.loads((_sql_root() / name / "profile.toml").read_text(encoding="utf-8"))
    sections = {key: value for key, value in raw.items() if isinstance(value, dict)}
    return Profile(name, raw.get("description", name), tuple(raw["tables"]), sections)
