"""The flow's steps in sequence, in this process, without Prefect.

For debugging a step, for tests of the store that need real curated data, and as the baseline that
``bench/bench_pipeline.py`` measures the Prefect flow against. It writes the same tables as the flow (one
batch, no parallelism); scheduling, retries, artifacts and the progress bar are the flow's alone.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

from newsdesk import __version__, assemble, ingest, schema
from newsdesk.enrich import enrich_batch
from newsdesk.prepare import prepare_batch
from newsdesk.store import Store
from newsdesk.summary import RunSummary
from newsdesk.validate import check_snapshot


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def curate_local(raw: Path | str, out: Path | str, *, max_bytes: int = 5_000_000, threshold: float = 0.8,
                 clock=_utcnow) -> tuple[RunSummary, dict[str, float]]:
    """Curate ``raw`` into ``out``; return the summary and the seconds spent in each stage."""
    raw = Path(raw).resolve()
    t0 = time.perf_counter()
    started = clock()
    stages: dict[str, float] = {}
    store = Store(out)
    with store.writer():
        files, discovery_rejects = ingest.discover(raw)
        manifest = store.read("files", columns=["source_path", "source_sha256", "outcome"])
        batch = prepare_batch(raw, [f.path for f in files], assemble.known_versions(manifest), max_bytes)
        stages["prepare"] = time.perf_counter() - t0
        previous = assemble.previous_run_id(store.read("runs", columns=["run_id", "finished_at"]))
        plan = assemble.plan_run([batch], discovery_rejects, files_seen=len(files) + len(discovery_rejects),
                                 manifest=manifest, index=store.read("dedup_index"),
                                 previous_run_id=previous, threshold=threshold)
        stages["plan"] = time.perf_counter() - t0 - sum(stages.values())
        enriched = enrich_batch(plan.texts())
        stages["enrich"] = time.perf_counter() - t0 - sum(stages.values())
        summary = RunSummary.from_plan(plan, enriched, raw=str(raw), out=str(store.out))
        if plan.files_new:
            appends, replaces = assemble.finish_run(plan, enriched, existing_entities=store.read("entities"),
                                                    existing_quotes=store.read("quotes"))
            summary.quotes = appends["quotes"].num_rows
            summary.entity_mentions = appends["entity_mentions"].num_rows
            summary.entities = replaces["entities"].num_rows
            summary.seconds = time.perf_counter() - t0
            appends["runs"] = schema.table("runs").to_arrow([summary.runs_row(
                started=started, finished=clock(), flow_run_id=None, code_version=__version__)])
            summary.version = store.commit(appends, replaces, check=check_snapshot)
            summary.committed = True
        stages["finish_commit"] = time.perf_counter() - t0 - sum(stages.values())
    summary.seconds = time.perf_counter() - t0
    return summary, stages
