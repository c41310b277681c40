"""A progress bar for long runs (rich), or nothing at all when disabled."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class _Bar:
    def __init__(self, progress: Progress | None, total: int):
        self._p = progress
        self._task = progress.add_task("read + parse", total=total) if progress else None

    def advance(self, stage: str, n: int) -> None:
        if self._p is not None:
            self._p.update(self._task, advance=n, description=stage)

    def reset(self, stage: str, total: int) -> None:
        if self._p is not None:
            self._p.reset(self._task, total=total, description=stage)


@contextmanager
def progress_bar(enabled: bool, total: int) -> Iterator[_Bar]:
    if not enabled:
        yield _Bar(None, total)
        return
    columns = (TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as p:
        yield _Bar(p, total)
