"""Scheduled curation: serve the ``curate`` flow as a deployment on a cron or an interval.

``serve()`` blocks: it registers a deployment with the Prefect server named by ``PREFECT_API_URL`` and polls
it for scheduled runs, executing each one in a subprocess, until it is stopped (Ctrl-C / SIGTERM). Schedules
need a real, long-lived server (``prefect server start`` or Prefect Cloud): Prefect's temporary per-process
server never fires a cron, so :func:`serve` refuses to start without ``PREFECT_API_URL``.

Runs never overlap: the runner executes at most one flow run at a time (``limit=1``), and the flow itself
holds the store's single-writer lock, waiting up to ``wait`` seconds for a manual ``newsdesk run`` to finish.
Each run is incremental, so a run that finds nothing new commits nothing and finishes in seconds.

Stopping it (Ctrl-C or SIGTERM) pauses the deployment's schedule, which makes the server delete the runs it
had queued for it, whenever the stop comes (even before the runner started polling); starting it again
resumes the schedule.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable
from pathlib import Path

DEFAULT_NAME = "newsdesk-scheduled"
DEFAULT_WAIT = 600.0


class ServeError(RuntimeError):
    """Bad arguments or environment for serve(); the message says what to do."""


def deployment_parameters(raw: str | Path, out: str | Path, *, wait: float = DEFAULT_WAIT,
                          batch_size: int | None = None, max_bytes: int | None = None,
                          threshold: float | None = None, changes: str | None = None) -> dict:
    """The flow parameters every scheduled run gets (absolute paths: runs execute in a subprocess)."""
    params: dict = {"raw": str(Path(raw).resolve()), "out": str(Path(out).resolve()), "wait": float(wait),
                    "progress": False}
    for k, v in (("batch_size", batch_size), ("max_bytes", max_bytes), ("threshold", threshold),
                 ("changes", changes)):
        if v is not None:
            params[k] = v
    return params


def serve(raw: str | Path, out: str | Path, cron: str | None = None, interval: float | None = None,
          name: str = DEFAULT_NAME, *, wait: float = DEFAULT_WAIT, batch_size: int | None = None,
          max_bytes: int | None = None, threshold: float | None = None, changes: str | None = None,
          require_server: bool = True, ready: Callable[[str], None] | None = None) -> None:
    """Serve ``curate(raw, out)`` on ``cron`` (e.g. ``"*/30 * * * *"``) or every ``interval`` seconds.

    Exactly one of ``cron`` / ``interval`` is required. Blocks until SIGINT (Ctrl-C) or SIGTERM, then pauses
    the deployment's schedule (the server deletes its queued scheduled runs) and returns; a scheduled run in
    progress is cancelled (its commit is atomic: the store keeps the last committed snapshot). Raises
    :class:`ServeError` for bad arguments, a missing raw folder, or (``require_server``) no
    ``PREFECT_API_URL``, and ``runners.ApiUnreachable`` when that server does not answer. ``ready`` is called
    with a one-line description once the deployment is registered.
    """
    if (cron is None) == (interval is None):
        raise ServeError("give exactly one of --cron or --interval")
    if interval is not None and interval <= 0:
        raise ServeError(f"--interval must be a positive number of seconds, not {interval}")
    if cron is not None:
        _check_cron(cron)
    if not Path(raw).is_dir():
        raise ServeError(f"raw folder {raw} does not exist or is not a folder")
    from newsdesk.flows.runners import check_api, configured_api_url

    url = configured_api_url()
    if require_server and not url:
        raise ServeError("schedules need a real Prefect server: start one with `prefect server start` "
                         "(or `make server`) and export PREFECT_API_URL=http://127.0.0.1:4200/api")
    if url:
        check_api(url)
    params = deployment_parameters(raw, out, wait=wait, batch_size=batch_size, max_bytes=max_bytes,
                                   threshold=threshold, changes=changes)
    when = f"cron {cron!r}" if cron else f"every {interval:g} s"
    asyncio.run(_serve(name, params, cron=cron, interval=interval,
                       description=f"Curate new raw articles from {params['raw']} into {params['out']}",
                       ready=ready, when=when))


async def _serve(name: str, params: dict, *, cron: str | None, interval: float | None, description: str,
                 ready: Callable[[str], None] | None, when: str) -> None:
    """Register the deployment and run its scheduled runs until SIGINT/SIGTERM; always pause on the way out.

    Prefect's own ``flow.serve`` leaves the schedule running when stopped before its runner started, and its
    SIGTERM handler calls the async ``Runner.stop`` without awaiting it: this loop owns both signals.
    """
    from prefect.deployments.runner import EntrypointType
    from prefect.runner import Runner

    from newsdesk.flows.curate import curate

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    runner = Runner(name=name, pause_on_shutdown=True, limit=1)  # one flow run at a time
    # Runner.start installs its own SIGTERM handler (which does not await its stop): route it to ours
    runner.handle_sigterm = lambda *_: loop.call_soon_threadsafe(stop.set)
    deployment_id = None
    started = None
    try:
        deployment = await curate.ato_deployment(
            name=name, cron=cron, interval=interval, parameters=params, description=description,
            tags=["newsdesk"], paused=False,  # a restarted serve resumes the schedule its last stop paused
            # import by module name: the flow run subprocess finds it wherever serve was started
            entrypoint_type=EntrypointType.MODULE_PATH)
        if not stop.is_set():
            deployment_id = await runner.aadd_deployment(deployment)
        if not stop.is_set():
            started = asyncio.create_task(runner.start())
            if ready:
                api = os.environ.get("PREFECT_API_URL") or "the Prefect API of the active profile"
                ready(f"serving {curate.name}/{name} ({when}) on {api}; Ctrl-C or SIGTERM pauses the "
                      "schedule and stops")
            waiter = asyncio.create_task(stop.wait())
            await asyncio.wait({started, waiter}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
    finally:
        if started is not None:
            if not started.done():
                if runner.started:  # stops polling, cancels a run in progress, pauses (Runner.__aexit__)
                    with contextlib.suppress(Exception):
                        await runner.astop()
                else:
                    started.cancel()
                with contextlib.suppress(BaseException):
                    await asyncio.wait_for(started, timeout=30)
            elif not started.cancelled() and started.exception() is not None:
                raise started.exception()
        if deployment_id is not None:  # also when stopped before the runner started (it pauses nothing then)
            with contextlib.suppress(Exception):
                await _pause(deployment_id)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


async def _pause(deployment_id) -> None:
    """Pause the deployment's schedule and delete its queued scheduled runs.

    Pausing deletes the auto-scheduled runs the server had queued; a run the stopping runner had already
    picked up can fall back to Scheduled after that, so those are deleted too (runs someone asked for by
    hand, ``prefect deployment run``, stay).
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (DeploymentFilter, DeploymentFilterId, FlowRunFilter,
                                                FlowRunFilterState, FlowRunFilterStateType)
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    async with get_client() as client:
        await client.pause_deployment(deployment_id)
        # the server's scheduler may be inserting runs for the deployment as it gets paused: sweep until a
        # second look finds nothing new (a few seconds at most)
        for attempt in range(10):
            queued = [r for r in await client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                    type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))),
                limit=200, sort=FlowRunSort.EXPECTED_START_TIME_ASC)  # explicit: no nulls for the server
                if r.auto_scheduled]
            if not queued and attempt:
                break
            for run in queued:
                with contextlib.suppress(Exception):
                    await client.delete_flow_run(run.id)
            await asyncio.sleep(0.5)


def _check_cron(cron: str) -> None:
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError:  # pydantic's ValidationError is a ValueError
        raise ServeError(f"not a valid cron expression: {cron!r} (e.g. '*/30 * * * *')") from None
