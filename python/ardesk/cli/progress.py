"""Progress on the terminal: each step in words with its time so far and, where the job knows how much there
is, a bar with counts and the time left. Silent when stderr is not a terminal (a scheduler's log stays clean)."""
import sys


class Bar:
    """ardesk.progress.Progress on stderr through rich: one display per step, replaced by the next."""

    def __init__(self):
        self._on = sys.stderr.isatty()
        self._live = self._task = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._close()

    def step(self, label: str, total: int | None = None) -> None:
        """A new step: a bar with counts and time left when `total` is known, else a spinner with the time so
        far (never a count of "0/?")."""
        if not self._on:
            return
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self._close()
        columns = [SpinnerColumn(), TextColumn("{task.description}")]
        columns += ([BarColumn(), MofNCompleteColumn(), TextColumn("time left"), TimeRemainingColumn()] if total
                    else [TimeElapsedColumn()])
        self._live = Progress(*columns, transient=True)
        self._task = self._live.add_task(label, total=total)
        self._live.start()

    def advance(self, count: int) -> None:
        if self._live is not None:
            self._live.advance(self._task, count)

    def _close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
