"""The pipeline, declared once: the ordered steps of a run and the bookkeeping around them.

A run is :data:`STEPS`, in order. Each :class:`Step` names a pure function from ``newsdesk`` (its ``work``,
what a worker executes), how the driver builds that function's arguments from the run's state (``inputs``),
and how the driver folds the results back in (``absorb``). A *map* step calls ``work`` once per batch, and a
runner may run those calls in parallel, in other processes or on other machines; any other step is called
once, in the driver. :func:`run` walks the steps and keeps the run summary; it is the only copy of the
sequence. Runners differ only in their :class:`Executor`, i.e. in how they call ``work``:
:class:`newsdesk.local.LocalExecutor` calls it in this process, the Prefect flow (``flows/curate.py``) as
Prefect tasks on a thread pool, a process pool or a Dask cluster (datatrove's model: one step list, executors
kept apart). To add a step, write its pure function in its own module, then declare it here in
:data:`STEPS` at its place (see docs/architecture.md).

Data stays with the workers: map steps write their rows as Parquet parts under the run's staging folder
(``OUT/_staging/<run>/``, :mod:`newsdesk.staging`) and return counts and small lookups; driver steps read
what they need out of core with DuckDB; the commit merges every table's parts into one sorted part per table
and publishes them all at once. The driver's memory follows the run's compact lists (paths, ids, entity
keys), never its text, and what a run reads from the store follows its new files.
"""
from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from newsdesk import __version__, ingest, schema
from newsdesk.cluster import block_sql, cluster_partition, partitions
from newsdesk.enrich import EnrichResult, enrich_batch
from newsdesk.entities.index import redirected_count
from newsdesk.faults import crash_point
from newsdesk.incremental import CHANGES, ToRead, files_to_read, last_run_id, read_folders, write_folders
from newsdesk.link import ENTITY_TABLES, Links, link_run
from newsdesk.plan import Plan, index_rows_sql, plan_run
from newsdesk.prepare import prepare_batch
from newsdesk.quality import QualityConfig
from newsdesk.staging import STAGING, Staged, parquet_list, staged_files
from newsdesk.store import Store
from newsdesk.summary import RunSummary
from newsdesk.validate import check_snapshot

DEFAULT_BATCH_SIZE = 256  # files per prepare task
DEFAULT_ENRICH_BATCH = 64  # articles per NER + quotes task
DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_THRESHOLD = 0.8


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(frozen=True)
class RunConfig:
    """What a run is asked to do (the flow's parameters)."""

    raw: Path
    out: Path
    batch_size: int = DEFAULT_BATCH_SIZE
    enrich_batch_size: int = DEFAULT_ENRICH_BATCH
    max_bytes: int = DEFAULT_MAX_BYTES
    threshold: float = DEFAULT_THRESHOLD
    wait: float = 0.0  # seconds to wait for another writer's lock
    workers: int = 1  # the runner's parallelism: a small run's map steps are cut into this many batches
    changes: str = "files"  # "folders": skip raw folders whose listing is unchanged (newsdesk.incremental)
    quality: QualityConfig = field(default_factory=QualityConfig)  # the quality gate's rules (all by default)

    def __post_init__(self) -> None:
        if self.changes not in CHANGES:
            raise ValueError(f"changes must be one of {', '.join(CHANGES)}, not {self.changes!r}")
        object.__setattr__(self, "raw", Path(self.raw).resolve())
        object.__setattr__(self, "out", Path(self.out).resolve())


@dataclass
class RunState:
    """What the driver holds between steps. Workers never see it: they get ``Step.inputs``' arguments."""

    config: RunConfig
    store: Store
    stage: Path
    started: datetime
    t0: float
    flow_run_id: str | None = None
    files: list = field(default_factory=list)
    discovery_rejects: list = field(default_factory=list)
    skipped: int = 0  # files in raw folders skipped as unchanged (changes = "folders")
    folders: list = field(default_factory=list)  # the raw folders' records, written after the run
    to_read: ToRead | None = None
    prepared: list = field(default_factory=list)
    plan: Plan | None = None
    enriched: EnrichResult | None = None
    links: Links | None = None
    clustered: int = 0
    summary: RunSummary | None = None
    done: bool = False  # set by a step when the rest of the run has nothing to do
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per step

    def committed(self, name: str) -> list[Path]:
        """The committed Parquet files of a table (what driver steps read out of core)."""
        return self.store.files(name)


@dataclass(frozen=True)
class Step:
    """One step of the pipeline: a pure function and how the driver feeds it and reads its results."""

    name: str
    work: Callable[..., Any]  # module-level, so it pickles to worker processes by reference
    inputs: Callable[[RunState], list[tuple]]  # the argument tuples: one per batch (map) or exactly one
    absorb: Callable[[RunState, list], None]  # fold the results (in the order of inputs) into the state
    map: bool = False
    retries: int = 0  # safe to retry: the step has no side effect outside its result and its own parts
    label: str | None = None  # progress-bar label of a map step
    size: Callable[[tuple], int] = lambda args: 1  # items in one call, for the progress bar


class Progress(Protocol):
    def reset(self, stage: str, total: int) -> None: ...
    def advance(self, stage: str, n: int) -> None: ...


class Executor(Protocol):
    """How a runner calls a step's ``work``: returns the results in the order of ``calls``."""

    def run(self, step: Step, calls: list[tuple], progress: Progress) -> list: ...


class _NoProgress:
    def reset(self, stage: str, total: int) -> None:
        pass

    def advance(self, stage: str, n: int) -> None:
        pass


def batches(items: Sequence, size: int, workers: int = 1) -> list[list]:
    """``items`` in batches of at most ``size``, of even sizes, and at least ``workers`` of them when there
    are that many items. A run of 200 files on 2 workers is two batches of 100, not one of 200 that leaves a
    worker idle, and 72 articles are 36 + 36, not 64 + 8. The tables never depend on the cut (only the
    staged parts' names do)."""
    n = len(items)
    if not n:
        return []
    k = max(-(-n // max(1, size)), min(max(1, workers), n))
    q, r = divmod(n, k)
    bounds = [i * q + min(i, r) for i in range(k + 1)]  # k batches whose sizes differ by at most one
    return [list(items[a:b]) for a, b in zip(bounds, bounds[1:])]


# ------------------------------------------------------------------------------------------------ discover
def _discover_inputs(s: RunState) -> list[tuple]:
    if s.config.changes != "folders":
        return [(s.config.raw,)]
    return [(s.config.raw, read_folders(s.store.out, s.config.raw, last_run_id(s.store)))]


def _discover_absorb(s: RunState, results: list) -> None:
    found = results[0]
    s.files, s.discovery_rejects, s.skipped, s.folders = found.files, found.rejects, found.skipped, found.folders
    s.to_read = files_to_read(s.files, s.committed("file_state"), s.committed("files"))


DISCOVER = Step("discover", ingest.walk, _discover_inputs, _discover_absorb, retries=2)


# ------------------------------------------------------------------------------------------------ prepare
def _prepare_inputs(s: RunState) -> list[tuple]:
    paths = [f.path for f in s.to_read.files]
    known = s.to_read.known
    return [(s.config.raw, batch, {p: known[p] for p in batch if p in known}, s.config.max_bytes, s.stage,
             f"{i:06d}", s.config.quality) for i, batch in enumerate(batches(paths, s.config.batch_size, s.config.workers))]


def _prepare_absorb(s: RunState, results: list) -> None:
    s.prepared = results
    crash_point("after_prepare")


PREPARE = Step("prepare", prepare_batch, _prepare_inputs, _prepare_absorb, map=True, retries=2,
               label="read + parse", size=lambda args: len(args[1]))


# ------------------------------------------------------------------------------------------------ plan
def _plan_inputs(s: RunState) -> list[tuple]:
    previous = last_run_id(s.store)
    return [(s.stage, s.prepared, s.discovery_rejects, len(s.files) + len(s.discovery_rejects) + s.skipped,
             s.to_read.unchanged + s.skipped, {n: s.committed(n) for n in ("dedup_index", "files")}, previous,
             s.config.threshold)]


def _plan_absorb(s: RunState, results: list) -> None:
    s.plan = results[0]
    s.prepared = []
    s.summary = RunSummary.from_plan(s.plan, raw=str(s.config.raw), out=str(s.store.out))
    if s.plan.files_new == 0:
        s.summary.note = "nothing new: the store already accounts for every file"
        s.done = True


PLAN = Step("plan", plan_run, _plan_inputs, _plan_absorb)


# ------------------------------------------------------------------------------------------------ enrich
def _enrich_inputs(s: RunState) -> list[tuple]:
    calls = []
    for part, paths in sorted(s.plan.kept_by_part().items()):
        for j, batch in enumerate(batches(paths, s.config.enrich_batch_size)):
            calls.append((s.stage, part, batch, s.plan.repeated, s.plan.run_id, f"{part}-{j:04d}"))
    return calls


def _enrich_absorb(s: RunState, results: list) -> None:
    s.enriched = EnrichResult.merge(results)
    s.summary.add_enriched(s.enriched)


ENRICH = Step("enrich", enrich_batch, _enrich_inputs, _enrich_absorb, map=True, retries=1,
              label="entities + quotes", size=lambda args: len(args[2]))


# ------------------------------------------------------------------------------------------------ link
def _link_inputs(s: RunState) -> list[tuple]:
    files = {name: s.committed(name) for name in ENTITY_TABLES}
    return [(s.stage, files, s.plan.run_id, s.store.version() + 1)]


def _link_absorb(s: RunState, results: list) -> None:
    s.links = results[0]


LINK = Step("link", link_run, _link_inputs, _link_absorb)


# ------------------------------------------------------------------------------------------------ cluster
def _cluster_inputs(s: RunState) -> list[tuple]:
    if not s.enriched.quotes:
        return []
    n = partitions(s.enriched.quotes)
    return [(s.stage, i, n, s.committed("quote_index"), s.committed("quotes")) for i in range(n)]


def _cluster_absorb(s: RunState, results: list) -> None:
    s.clustered = sum(results)


CLUSTER = Step("cluster", cluster_partition, _cluster_inputs, _cluster_absorb, map=True, retries=1,
               label="quote clusters")


# ------------------------------------------------------------------------------------------------ commit
def run_tables(stage: Path, plan: Plan, links: Links) -> dict[str, pa.Table | Staged]:
    """Every table's rows for the run: the driver's small tables, and queries over the staged parts."""
    t = schema.table
    run_id = plan.run_id
    kept = plan.kept.select(["source_path", "source_sha256"])
    quotes = ", ".join(
        {"speaker_entity_id": "q.speaker_entity_id",
         "quote_cluster_id": "coalesce(c.quote_cluster_id, q.quote_id) AS quote_cluster_id"}.get(c, f'q."{c}"')
        for c in t("quotes").column_names)
    qi = staged_files(stage, "quote_index")
    cluster_ids = (f"(SELECT quote_id, quote_cluster_id FROM read_parquet({parquet_list(qi)}))" if qi else
                   "(SELECT NULL::VARCHAR AS quote_id, NULL::VARCHAR AS quote_cluster_id WHERE false)")
    enriched = bool(staged_files(stage, "articles"))  # no kept article: no staged mentions, quotes
    return {
        "articles": Staged.parts(staged_files(stage, "articles"), "articles"),
        "removed_text": Staged.parts(staged_files(stage, "removed_text"), "removed_text"),
        "entity_mentions": Staged(f"""
            SELECT m.article_id, k.entity_id, m.surface, m.start, m."end"
            FROM read_parquet({parquet_list(staged_files(stage, "mentions"))}) m
            JOIN read_parquet('{links.keymap}') k USING (key_name, key_type)""")
        if enriched else t("entity_mentions").empty(),
        "quotes": Staged(f"SELECT {quotes} FROM ({block_sql(stage)}) q LEFT JOIN {cluster_ids} c USING (quote_id)")
        if enriched else t("quotes").empty(),
        "quote_index": Staged.parts(qi, "quote_index"),
        "entities": links.new_entities,
        "entity_names": links.names if links.names is not None else t("entity_names").empty(),
        "entity_redirects": links.redirects if links.redirects is not None else t("entity_redirects").empty(),
        "duplicates": plan.duplicates,
        "rejects": t("rejects").to_arrow([t("rejects").row(r, source_path=r.path, source_sha256=r.sha256,
                                                           run_id=run_id) for r in plan.rejects]),
        "files": plan.files_rows,
        "dedup_index": Staged(index_rows_sql(stage), {"kept": kept}) if enriched else t("dedup_index").empty(),
        "file_state": Staged(f"""SELECT source_path, size_bytes, mtime_ns, source_sha256, '{run_id}' AS run_id
                                 FROM read_parquet({parquet_list(staged_files(stage, 'file_state'))})""")
        if staged_files(stage, "file_state") else t("file_state").empty(),
    }


def commit_run(out: Path, stage: Path, plan: Plan, links: Links, runs_row: dict) -> int:
    """Validate and publish a run's tables as the store's next snapshot; returns its number.

    Never retried: a commit that failed after the flip must not append the rows a second time.
    """
    appends = {**run_tables(stage, plan, links), "runs": schema.table("runs").to_arrow([runs_row])}
    return Store(out).commit(appends, check=check_snapshot)


def _commit_inputs(s: RunState) -> list[tuple]:
    s.summary.seconds = time.perf_counter() - s.t0
    s.summary.step_seconds = {k: round(v, 3) for k, v in s.seconds.items()}
    runs_row = s.summary.runs_row(started=s.started, finished=utcnow(), flow_run_id=s.flow_run_id,
                                  code_version=__version__)
    crash_point("before_commit")
    return [(s.store.out, s.stage, s.plan, s.links, runs_row)]


def _commit_absorb(s: RunState, results: list) -> None:
    s.summary.version = results[0]
    s.summary.committed = True


COMMIT = Step("commit", commit_run, _commit_inputs, _commit_absorb)


STEPS: tuple[Step, ...] = (DISCOVER, PREPARE, PLAN, ENRICH, LINK, CLUSTER, COMMIT)


# ------------------------------------------------------------------------------------------------ the run
def run(config: RunConfig, executor: Executor, *, progress: Progress | None = None,
        flow_run_id: str | None = None, clock: Callable[[], datetime] = utcnow,
        steps: Sequence[Step] = STEPS) -> RunSummary:
    """Run every step of :data:`STEPS` over ``config.raw`` into ``config.out``, holding the store's lock.

    ``steps`` is for benchmarks that swap one step's work (e.g. the model-free scale bench); runners never
    pass it."""
    progress = progress or _NoProgress()
    store = Store(config.out)
    with store.writer(timeout=config.wait):
        stage = store.out / STAGING / f"{os.getpid()}-{time.time_ns()}"
        state = RunState(config=config, store=store, stage=stage, started=clock(), t0=time.perf_counter(),
                         flow_run_id=flow_run_id)
        try:
            for step in steps:
                t = time.perf_counter()
                calls = step.inputs(state)
                if step.map:
                    progress.reset(step.label or step.name, sum(step.size(c) for c in calls))
                results = executor.run(step, calls, progress) if calls else []
                step.absorb(state, results)
                state.seconds[step.name] = time.perf_counter() - t
                if state.done:
                    break
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        summary = state.summary
        if not summary.committed:  # nothing new: report the store as it is
            summary.version = store.version()
            summary.last_run_id = last_run_id(store)
            summary.run_id = ""  # no run was committed: it has no id
        last = summary.run_id or summary.last_run_id
        if config.changes == "folders" and last:  # the run is committed (or had nothing new): its folders hold
            write_folders(store.out, config.raw, last, state.folders)
        summary.entities = store.count_rows("entities") - redirected_count(store.files("entity_redirects"))
    summary.seconds = time.perf_counter() - state.t0
    summary.step_seconds = {k: round(v, 3) for k, v in state.seconds.items()}
    return summary
