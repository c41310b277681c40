"""Scheduled curation: serve the ``curate`` flow as a deployment on a cron or an interval.

``serve()`` blocks: it registers a deployment with the Prefect server named by ``PREFECT_API_URL`` and polls
it for scheduled runs, executing each one in a subprocess, until it is stopped (Ctrl-C / SIGTERM). Schedules
need a real, long-lived server (``prefect server start`` or Prefect Cloud): Prefect's temporary per-process
server never fires a cron, so :func:`serve` refuses to start without ``PREFECT_API_URL``.

Runs never overlap: the runner executes at most one flow run at a time (``limit=1``), and the flow itself
holds the store's single-writer lock, waiting up to ``wait`` seconds for a manual ``newsdesk run`` to finish.
Each run is incremental, so a run that finds nothing new commits nothing and finishes in seconds.
"""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_NAME = "newsdesk-scheduled"
DEFAULT_WAIT = 600.0


class ServeError(RuntimeError):
    """Bad arguments or environment for serve(); the message says what to do."""


def deployment_parameters(raw: str | Path, out: str | Path, *, wait: float = DEFAULT_WAIT,
                          batch_size: int | None = None, max_bytes: int | None = None,
                          threshold: float | None = None) -> dict:
    """The flow parameters every scheduled run gets (absolute paths: runs execute in a subprocess)."""
    params: dict = {"raw": str(Path(raw).resolve()), "out": str(Path(out).resolve()), "wait": float(wait),
                    "progress": False}
    for k, v in (("batch_size", batch_size), ("max_bytes", max_bytes), ("threshold", threshold)):
        if v is not None:
            params[k] = v
    return params


def serve(raw: str | Path, out: str | Path, cron: str | None = None, interval: float | None = None,
          name: str = DEFAULT_NAME, *, wait: float = DEFAULT_WAIT, batch_size: int | None = None,
          max_bytes: int | None = None, threshold: float | None = None,
          require_server: bool = True) -> None:
    """Serve ``curate(raw, out)`` on ``cron`` (e.g. ``"*/30 * * * *"``) or every ``interval`` seconds.

    Exactly one of ``cron`` / ``interval`` is required. Blocks until interrupted. Raises
    :class:`ServeError` for bad arguments, a missing raw folder, or (``require_server``) no
    ``PREFECT_API_URL``.
    """
    if (cron is None) == (interval is None):
        raise ServeError("give exactly one of --cron or --interval")
    if interval is not None and interval <= 0:
        raise ServeError(f"--interval must be a positive number of seconds, not {interval}")
    if cron is not None:
        _check_cron(cron)
    if not Path(raw).is_dir():
        raise ServeError(f"raw folder {raw} does not exist or is not a folder")
    if require_server and not os.environ.get("PREFECT_API_URL"):
        raise ServeError("schedules need a real Prefect server: start one with `prefect server start` "
                         "(or `make server`) and export PREFECT_API_URL=http://127.0.0.1:4200/api")

    from prefect.deployments.runner import EntrypointType

    from newsdesk.flows.curate import curate

    curate.serve(
        name=name,
        cron=cron,
        interval=interval,
        parameters=deployment_parameters(raw, out, wait=wait, batch_size=batch_size, max_bytes=max_bytes,
                                         threshold=threshold),
        description=f"Curate new raw articles from {Path(raw).resolve()} into {Path(out).resolve()}",
        tags=["newsdesk"],
        limit=1,  # one flow run at a time per served process; the store lock covers everyone else
        pause_on_shutdown=True,
        # import by module name: the flow run subprocess finds it wherever the server process was started
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def _check_cron(cron: str) -> None:
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError:  # pydantic's ValidationError is a ValueError
        raise ServeError(f"not a valid cron expression: {cron!r} (e.g. '*/30 * * * *')") from None
