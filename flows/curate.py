"""The newsdesk curation flow: the pipeline of ``newsdesk.pipeline`` run as Prefect tasks.

Orchestration only. The steps, their order and the run summary are declared once, in
:mod:`newsdesk.pipeline`; this module turns each step into a Prefect task (:data:`TASKS`) and supplies the
executor that runs them: a map step's batches are submitted to the flow's task runner (threads, a process
pool or a Dask cluster, see :mod:`newsdesk.flows.runners`) and gathered as they finish; every other step runs
in the flow's own process. Tasks work on batches of files, never single articles: Prefect's per-task cost is
small for tens of tasks and large for thousands.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import flow_run

from newsdesk import pipeline, quality
from newsdesk.progress import progress_bar
from newsdesk.summary import RunSummary


def _as_task(step: pipeline.Step):
    return task(step.work, name=step.name, retries=step.retries, retry_delay_seconds=1 if step.retries else 0,
                cache_policy=NO_CACHE, persist_result=False)


TASKS = {step.name: _as_task(step) for step in pipeline.STEPS}


class PrefectExecutor:
    """Runs a map step's batches as concurrent task runs, any other step as one task run in this process."""

    def run(self, step: pipeline.Step, calls: list[tuple], progress: pipeline.Progress) -> list:
        t = TASKS[step.name]
        if not step.map:
            return [t(*args) for args in calls]
        futures = {t.submit(*args): i for i, args in enumerate(calls)}
        results: list = [None] * len(calls)
        for fut in as_completed(list(futures)):
            i = futures[fut]
            results[i] = fut.result()
            progress.advance(step.label or step.name, step.size(calls[i]))
        return results


@flow(name="newsdesk-curate", log_prints=False, validate_parameters=False)
def curate(raw: str = "data/raw", out: str = "data/curated", batch_size: int = pipeline.DEFAULT_BATCH_SIZE,
           max_bytes: int = pipeline.DEFAULT_MAX_BYTES, threshold: float = pipeline.DEFAULT_THRESHOLD,
           wait: float = 0, progress: bool = False, keep_low_quality: bool = False,
           quality_config: str | None = None, workers: int = 1, changes: str = "files") -> dict:
    """Curate every new file under ``raw`` into the store at ``out``; return the run summary.

    ``keep_low_quality`` turns the quality gate off; ``quality_config`` is a TOML file whose ``[quality]``
    table turns rules off or changes thresholds (see newsdesk/quality/config.py). ``workers`` is the task
    runner's parallelism: a small run's batches are cut so that every worker gets one. ``changes="folders"``
    lists only the raw folders whose listing changed since the last run (a landing folder whose files are
    never edited in place; see newsdesk/incremental.py); ``"files"`` stats every file.
    """
    log = get_run_logger()
    config = pipeline.RunConfig(raw=Path(raw), out=Path(out), batch_size=batch_size, max_bytes=max_bytes,
                                threshold=threshold, wait=wait, workers=workers, changes=changes,
                                quality=quality.config_from(quality_config, keep_low_quality))
    with progress_bar(enabled=progress, total=0) as bar:
        summary = pipeline.run(config, PrefectExecutor(), progress=bar,
                               flow_run_id=str(flow_run.id) if flow_run.id else None)
    _publish(summary, log)
    return summary.as_dict()


def _publish(summary: RunSummary, log) -> None:
    log.info(summary.one_line())
    for article_id, error in summary.errors.items():
        log.warning("article %s: %s", article_id, error)
    try:
        create_markdown_artifact(key="newsdesk-run-summary", markdown=summary.markdown(),
                                 description="newsdesk run summary")
    except Exception as exc:  # an artifact is a report, not part of the data: never fail the run for it
        log.warning("could not publish the run summary artifact: %s", exc)
