"""ERP profiles: a folder of SQL under sql/ plus a column map to ardesk's frames.

A new ERP is a new folder (profile.toml + one .sql file per query), not new Python. The map says which
query column feeds which frame column; money columns are named without `_cents` there (`balance`) because
the profile speaks the ERP's amounts and this module quantises them.
"""
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ardesk.errors import ArdeskError
from ardesk.frames import OPEN_ITEMS, OPTIONAL_TEXT

MONEY = ("amount", "balance", "base_balance", "credit_limit")
"""Frame money columns as a profile names them; each becomes `<name>_cents`."""


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    tables: tuple[str, ...]
    open_items: dict[str, str]
    """Frame column (money without `_cents`) -> the query's column."""

    def query(self, name: str) -> str:
        """The canonical SQL of one of the profile's queries (`open_items`, `total`)."""
        return (_sql_root() / self.name / f"{name}.sql").read_text(encoding="utf-8")


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
    columns = raw["open_items"]
    wanted = {c.removesuffix("_cents") for c in OPEN_ITEMS}
    missing = sorted(wanted - set(columns) - set(OPTIONAL_TEXT) - {"credit_limit"})
    if missing:
        raise ArdeskError(f"The ERP profile {name!r} maps no column to {missing[0]!r}: add it under [open_items].")
    return Profile(name, raw.get("description", name), tuple(raw["tables"]), dict(columns))
