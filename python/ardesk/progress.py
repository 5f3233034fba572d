"""How a job tells the person waiting what it is doing: one small interface both front doors implement.

A job names each step as it starts it and, where it knows how much there is (rows to load, notes to send),
gives the total and advances through it; the command shows a bar with counts and time left on a terminal, the
ribbon shows the same words in Excel's status bar. Jobs never decide how progress looks.
"""
from collections.abc import Callable
from typing import Protocol


class Progress(Protocol):
    def step(self, label: str, total: int | None = None) -> None:
        """A new step starts: `label` in words ("Reading the ERP"), `total` units when known."""

    def advance(self, count: int) -> None:
        """`count` more units of the current step are done."""


class Quiet:
    """Progress nobody watches (tests, scripts)."""

    def step(self, label: str, total: int | None = None) -> None:
        return None

    def advance(self, count: int) -> None:
        return None


QUIET = Quiet()


class Told:
    """Progress as lines of text for a one-line display (Excel's status bar): "Loading the demo ERP 1,200 of
    5,000"."""

    def __init__(self, tell: Callable[[str], None]):
        self._tell = tell
        self._label, self._total, self._done = "", None, 0

    def step(self, label: str, total: int | None = None) -> None:
        self._label, self._total, self._done = label, total, 0
        self._tell(label)

    def advance(self, count: int) -> None:
        self._done += count
        of = f" of {self._total:,}" if self._total else ""
        self._tell(f"{self._label} {self._done:,}{of}")
