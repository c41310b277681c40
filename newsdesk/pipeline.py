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
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from newsdesk import __version__, assemble, ingest, schema
from newsdesk.enrich import Enriched, enrich_batch
from newsdesk.faults import crash_point
from newsdesk.prepare import prepare_batch
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "raw", Path(self.raw).resolve())
        object.__setattr__(self, "out", Path(self.out).resolve())


@dataclass
class RunState:
    """What the driver holds between steps. Workers never see it: they get ``Step.inputs``' arguments."""

    config: RunConfig
    store: Store
    started: datetime
    t0: float
    flow_run_id: str | None = None
    files: list = field(default_factory=list)
    discovery_rejects: list = field(default_factory=list)
    manifest: pa.Table | None = None
    known: dict = field(default_factory=dict)
    prepared: list = field(default_factory=list)
    plan: assemble.Plan | None = None
    enriched: Enriched | None = None
    appends: dict = field(default_factory=dict)
    replaces: dict = field(default_factory=dict)
    summary: RunSummary | None = None
    done: bool = False  # set by a step when the rest of the run has nothing to do
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per step


@dataclass(frozen=True)
class Step:
    """One step of the pipeline: a pure function and how the driver feeds it and reads its results."""

    name: str
    work: Callable[..., Any]  # module-level, so it pickles to worker processes by reference
    inputs: Callable[[RunState], list[tuple]]  # the argument tuples: one per batch (map) or exactly one
    absorb: Callable[[RunState, list], None]  # fold the results (in the order of inputs) into the state
    map: bool = False
    retries: int = 0  # safe to retry: the step has no side effect outside its result
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


def chunks(items: Sequence, size: int) -> list[list]:
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


# ------------------------------------------------------------------------------------------------ discover
def _discover_inputs(s: RunState) -> list[tuple]:
    return [(s.config.raw,)]


def _discover_absorb(s: RunState, results: list) -> None:
    s.files, s.discovery_rejects = results[0]
    s.manifest = s.store.read("files", columns=["source_path", "source_sha256", "outcome"])
    s.known = assemble.known_versions(s.manifest)


DISCOVER = Step("discover", ingest.discover, _discover_inputs, _discover_absorb, retries=2)


# ------------------------------------------------------------------------------------------------ prepare
def _prepare_inputs(s: RunState) -> list[tuple]:
    paths = [f.path for f in s.files]
    return [(s.config.raw, batch, {p: s.known[p] for p in batch if p in s.known}, s.config.max_bytes)
            for batch in chunks(paths, s.config.batch_size)]


def _prepare_absorb(s: RunState, results: list) -> None:
    s.prepared = results
    crash_point("after_prepare")


PREPARE = Step("prepare", prepare_batch, _prepare_inputs, _prepare_absorb, map=True, retries=2,
               label="read + parse", size=lambda args: len(args[1]))


# ------------------------------------------------------------------------------------------------ plan
def _plan_inputs(s: RunState) -> list[tuple]:
    previous = assemble.previous_run_id(s.store.read("runs", columns=["run_id", "finished_at"]))
    return [(s.prepared, s.discovery_rejects, len(s.files) + len(s.discovery_rejects), s.manifest,
             s.store.read("dedup_index"), previous, s.config.threshold)]


def _plan_absorb(s: RunState, results: list) -> None:
    s.plan = results[0]
    s.prepared = []  # the plan holds what is kept
    s.summary = RunSummary.from_plan(s.plan, raw=str(s.config.raw), out=str(s.store.out))
    if s.plan.files_new == 0:
        s.summary.note = "nothing new: the store already accounts for every file"
        s.done = True


PLAN = Step("plan", assemble.plan_run, _plan_inputs, _plan_absorb)


# ------------------------------------------------------------------------------------------------ enrich
def _enrich_inputs(s: RunState) -> list[tuple]:
    return [(batch,) for batch in chunks(s.plan.texts(), s.config.enrich_batch_size)]


def _enrich_absorb(s: RunState, results: list) -> None:
    s.enriched = Enriched.merge(results)
    s.summary.add_enriched(s.enriched)


ENRICH = Step("enrich", enrich_batch, _enrich_inputs, _enrich_absorb, map=True, retries=1,
              label="entities + quotes", size=lambda args: len(args[0]))


# ------------------------------------------------------------------------------------------------ finish
def _finish_inputs(s: RunState) -> list[tuple]:
    return [(s.plan, s.enriched, s.store.read("entities"), s.store.read("quotes"))]


def _finish_absorb(s: RunState, results: list) -> None:
    s.appends, s.replaces = results[0]
    s.summary.quotes = s.appends["quotes"].num_rows
    s.summary.entity_mentions = s.appends["entity_mentions"].num_rows
    s.summary.entities = s.replaces["entities"].num_rows


FINISH = Step("finish", assemble.finish_run, _finish_inputs, _finish_absorb)


# ------------------------------------------------------------------------------------------------ commit
def commit_run(out: Path, appends: dict[str, pa.Table], replaces: dict[str, pa.Table], runs_row: dict) -> int:
    """Validate and publish a run's tables as the store's next snapshot; returns its number.

    Never retried: a commit that failed after the flip must not append the rows a second time.
    """
    appends = {**appends, "runs": schema.table("runs").to_arrow([runs_row])}
    return Store(out).commit(appends, replaces, check=check_snapshot)


def _commit_inputs(s: RunState) -> list[tuple]:
    s.summary.seconds = time.perf_counter() - s.t0
    runs_row = s.summary.runs_row(started=s.started, finished=utcnow(), flow_run_id=s.flow_run_id,
                                  code_version=__version__)
    crash_point("before_commit")
    return [(s.store.out, s.appends, s.replaces, runs_row)]


def _commit_absorb(s: RunState, results: list) -> None:
    s.summary.version = results[0]
    s.summary.committed = True


COMMIT = Step("commit", commit_run, _commit_inputs, _commit_absorb)


STEPS: tuple[Step, ...] = (DISCOVER, PREPARE, PLAN, ENRICH, FINISH, COMMIT)


# ------------------------------------------------------------------------------------------------ the run
def run(config: RunConfig, executor: Executor, *, progress: Progress | None = None,
        flow_run_id: str | None = None, clock: Callable[[], datetime] = utcnow) -> RunSummary:
    """Run every step of :data:`STEPS` over ``config.raw`` into ``config.out``, holding the store's lock."""
    progress = progress or _NoProgress()
    store = Store(config.out)
    state = RunState(config=config, store=store, started=clock(), t0=time.perf_counter(),
                     flow_run_id=flow_run_id)
    with store.writer(timeout=config.wait):
        for step in STEPS:
            t = time.perf_counter()
            calls = step.inputs(state)
            if step.map:
                progress.reset(step.label or step.name, sum(step.size(c) for c in calls))
            results = executor.run(step, calls, progress) if calls else []
            step.absorb(state, results)
            state.seconds[step.name] = time.perf_counter() - t
            if state.done:
                break
        summary = state.summary
        if not summary.committed:  # nothing new: report the store as it is
            summary.version = store.version()
            summary.entities = store.count_rows("entities")
            summary.last_run_id = assemble.previous_run_id(store.read("runs", columns=["run_id", "finished_at"]))
            summary.run_id = ""  # no run was committed: it has no id
    summary.seconds = time.perf_counter() - state.t0
    summary.step_seconds = {k: round(v, 3) for k, v in state.seconds.items()}
    return summary
