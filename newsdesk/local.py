"""The in-process runner: the pipeline's steps called one after the other in this process, without Prefect.

For debugging a step, for tests of the store that need real curated data, and as the baseline that
``bench/bench_pipeline.py`` measures the Prefect flow against. It runs :data:`newsdesk.pipeline.STEPS`, the
same steps in the same order as the flow, and writes the same tables; scheduling, retries, parallelism,
artifacts and the progress bar are the flow's alone.
"""
from __future__ import annotations

from pathlib import Path

from newsdesk.pipeline import Progress, RunConfig, Step, run
from newsdesk.summary import RunSummary


class LocalExecutor:
    """Calls every step's work in this process, one batch after the other."""

    def run(self, step: Step, calls: list[tuple], progress: Progress) -> list:
        results = []
        for args in calls:
            results.append(step.work(*args))
            if step.map:
                progress.advance(step.label or step.name, step.size(args))
        return results


def curate_local(raw: Path | str, out: Path | str, **options) -> RunSummary:
    """Curate ``raw`` into ``out`` in this process; ``options`` are :class:`RunConfig` fields."""
    return run(RunConfig(raw=Path(raw), out=Path(out), **options), LocalExecutor())
