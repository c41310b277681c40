"""The newsdesk curation flow: orchestration only — every step it calls lives in ``newsdesk``.

    discover ─► prepare (batches, parallel) ─► plan (dedup + repeated lines) ─► enrich (batches, parallel)
             ─► finish (entities, quotes) ─► commit (validate, then one atomic snapshot)

Tasks work on batches of files (``batch_size``), never on single articles: Prefect's per-task cost is small
for tens of tasks and large for thousands. The whole run holds the store's single-writer lock.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import flow_run

from newsdesk import __version__, assemble, ingest, prepare, schema
from newsdesk.enrich import Enriched, enrich_batch
from newsdesk.faults import crash_point
from newsdesk.progress import progress_bar
from newsdesk.store import Store
from newsdesk.summary import RunSummary
from newsdesk.validate import check_snapshot

DEFAULT_BATCH_SIZE = 256
DEFAULT_ENRICH_BATCH = 64
DEFAULT_MAX_BYTES = 5_000_000

_task = dict(cache_policy=NO_CACHE, persist_result=False)


@task(name="discover", retries=2, retry_delay_seconds=1, **_task)
def discover_task(raw: str):
    return ingest.discover(Path(raw))


@task(name="prepare-batch", retries=2, retry_delay_seconds=1, **_task)
def prepare_task(raw: str, paths: list[str], known: dict[str, frozenset[str]], max_bytes: int):
    return prepare.prepare_batch(raw, paths, known, max_bytes)


@task(name="plan", **_task)
def plan_task(batches, discovery_rejects, files_seen, manifest, index, previous_run_id, threshold):
    return assemble.plan_run(batches, discovery_rejects, files_seen=files_seen, manifest=manifest,
                             index=index, previous_run_id=previous_run_id, threshold=threshold)


@task(name="enrich-batch", retries=1, **_task)
def enrich_task(texts):
    return enrich_batch(texts)


@task(name="finish", **_task)
def finish_task(plan, enriched, existing_entities, existing_quotes):
    return assemble.finish_run(plan, enriched, existing_entities=existing_entities,
                               existing_quotes=existing_quotes)


@task(name="commit", **_task)  # no retries: a commit that fails after the flip must not re-append rows
def commit_task(out: str, appends, replaces, runs_row: dict) -> int:
    store = Store(out)
    appends = {**appends, "runs": schema.table("runs").to_arrow([runs_row])}
    return store.commit(appends, replaces, check=check_snapshot)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@flow(name="newsdesk-curate", log_prints=False, validate_parameters=False)
def curate(raw: str = "data/raw", out: str = "data/curated", batch_size: int = DEFAULT_BATCH_SIZE,
           max_bytes: int = DEFAULT_MAX_BYTES, threshold: float = 0.8, wait: float = 0,
           progress: bool = False) -> dict:
    """Curate every new file under ``raw`` into the store at ``out``; return the run summary."""
    log = get_run_logger()
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    t0 = time.perf_counter()
    raw_path = Path(raw).resolve()
    store = Store(out)
    with store.writer(timeout=wait):
        files, discovery_rejects = discover_task(str(raw_path))
        manifest = store.read("files", columns=["source_path", "source_sha256", "outcome"])
        known = assemble.known_versions(manifest)
        paths = [f.path for f in files]
        batches = _chunks(paths, batch_size)
        log.info("%d files under %s, %d batches", len(paths), raw_path, len(batches))

        with progress_bar(enabled=progress, total=len(paths)) as bar:
            futures = {prepare_task.submit(str(raw_path), b,
                                           {p: known[p] for p in b if p in known}, max_bytes):
                       len(b) for b in batches}
            results = []
            for fut in as_completed(list(futures)):
                results.append(fut.result())
                bar.advance("read + parse", futures[fut])

            crash_point("after_prepare")
            previous = assemble.previous_run_id(store.read("runs", columns=["run_id", "finished_at"]))
            plan = plan_task(results, discovery_rejects, len(paths) + len(discovery_rejects), manifest,
                             store.read("dedup_index"), previous, threshold)

            texts = plan.texts()
            bar.reset("entities + quotes", len(texts))
            efutures = {enrich_task.submit(c): len(c) for c in _chunks(texts, DEFAULT_ENRICH_BATCH)}
            parts = []
            for fut in as_completed(list(efutures)):
                parts.append(fut.result())
                bar.advance("entities + quotes", efutures[fut])
        enriched = Enriched.merge(parts)

        summary = RunSummary.from_plan(plan, enriched, raw=str(raw_path), out=str(store.out))
        if plan.files_new == 0:
            summary.seconds = time.perf_counter() - t0
            summary.note = "nothing new: the store already accounts for every file"
            _publish(summary, log)
            return summary.as_dict()

        appends, replaces = finish_task(plan, enriched, store.read("entities"), store.read("quotes"))
        summary.quotes = appends["quotes"].num_rows
        summary.entity_mentions = appends["entity_mentions"].num_rows
        summary.entities = replaces["entities"].num_rows
        summary.seconds = time.perf_counter() - t0
        runs_row = summary.runs_row(started=started, finished=datetime.now(timezone.utc).replace(tzinfo=None),
                                    flow_run_id=str(flow_run.id) if flow_run.id else None,
                                    code_version=__version__)
        crash_point("before_commit")
        summary.version = commit_task(str(store.out), appends, replaces, runs_row)
        summary.committed = True
    _publish(summary, log)
    return summary.as_dict()


def _publish(summary: RunSummary, log) -> None:
    log.info(summary.one_line())
    try:
        create_markdown_artifact(key="newsdesk-run-summary", markdown=summary.markdown(),
                                 description="newsdesk run summary")
    except Exception as exc:  # an artifact is a report, not part of the data: never fail the run for it
        log.warning("could not publish the run summary artifact: %s", exc)
