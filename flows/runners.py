"""Everything Prefect-specific about starting a run: settings, the run's Prefect API, task runners.

The command line (``newsdesk run``) calls :func:`run_curate`. It

* sets Prefect's defaults unless the user's environment sets them (:func:`prefect_env`): a private
  ``PREFECT_HOME`` that still reads the user's Prefect profile, no telemetry, no Prefect logs on the
  terminal (the Prefect API still receives every INFO log), Dask's INFO chatter off;
* uses the Prefect API the user configured (``PREFECT_API_URL`` in the environment or the active profile),
  after checking it answers; without one it starts ONE local server for the run (:func:`local_api`), in its
  own session so a Ctrl-C in the terminal does not kill it under the run, and exports its URL so that every
  process-pool or Dask worker reports to it instead of starting a temporary server of its own;
* picks the task runner (``--runner auto | threads | processes | dask``) and runs the ``curate`` flow.

:func:`abort` is what a Ctrl-C does (the CLI's signal handler calls it): mark the flow run cancelled, kill the
worker processes, stop the local server. The store needs nothing: a commit is one atomic rename.
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

RUNNERS = ("auto", "threads", "processes", "dask")
AUTO_PROCESSES_MIN_NEW = 200  # below this many new files, a process pool's start-up costs more than it saves

_ACTIVE_SERVER = None  # the local server of the run in progress (stopped by abort())
_FLOW_RUN_ID = None  # the flow run in progress (abort() marks it cancelled)


class ApiUnreachable(RuntimeError):
    """The configured Prefect API does not answer."""


def prefect_env(verbose: bool = False) -> None:
    """Defaults for Prefect (and Dask) that a user's own environment overrides. Call before importing prefect.

    * ``PREFECT_HOME``: ``~/.cache/newsdesk/prefect`` (else ``import prefect`` writes to ``~/.prefect``). The
      user's profile still applies: when they have no ``PREFECT_HOME`` and ``~/.prefect/profiles.toml`` exists
      (``prefect config set ...`` writes it), ``PREFECT_PROFILES_PATH`` points there.
    * The terminal: Prefect's console handler stays silent (the CLI reports a failure itself, in one line;
      ``--verbose``: every log line and traceback); the *level* of Prefect's loggers stays INFO, so the API
      and the UI's logs tab get every INFO line.
    * Dask: its INFO chatter (scheduler/nanny start and stop, the dashboard notice) only with ``--verbose``.
    """
    if not os.environ.get("PREFECT_HOME") and not os.environ.get("PREFECT_PROFILES_PATH"):
        user_profiles = Path.home() / ".prefect" / "profiles.toml"
        if user_profiles.is_file():
            os.environ["PREFECT_PROFILES_PATH"] = str(user_profiles)
    os.environ.setdefault("PREFECT_HOME", str(Path.home() / ".cache" / "newsdesk" / "prefect"))
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)  # sqlite won't create it
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # the console handler serves every Prefect logger (flow and task runs too), in every worker process
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "INFO" if verbose else "CRITICAL")
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "info" if verbose else "error")


def configured_api_url() -> str | None:
    """``PREFECT_API_URL`` from the environment, else from the active Prefect profile (as Prefect reads it:
    ``PREFECT_PROFILES_PATH`` or ``PREFECT_HOME/profiles.toml``, profile ``PREFECT_PROFILE`` or ``active``)."""
    if url := os.environ.get("PREFECT_API_URL"):
        return url
    path = os.environ.get("PREFECT_PROFILES_PATH") or (
        str(Path(os.environ["PREFECT_HOME"]).expanduser() / "profiles.toml") if os.environ.get("PREFECT_HOME")
        else None)
    if not path or not Path(path).is_file():
        return None
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or data.get("active")
    return (data.get("profiles", {}).get(active, {}) or {}).get("PREFECT_API_URL") or None


def check_api(url: str, timeout: float = 5) -> None:
    """Raise :class:`ApiUnreachable` (one line, what to do) unless ``url``/health answers."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=timeout) as r:
            if r.status == 200:
                return
    except urllib.error.HTTPError:
        return  # it answered (Prefect Cloud wants a key for this path: Prefect's client sends it)
    except (OSError, ValueError):
        pass
    raise ApiUnreachable(f"cannot reach Prefect at {url}: start `make server` or unset PREFECT_API_URL")


@contextlib.contextmanager
def local_api() -> Iterator[str | None]:
    """The run's Prefect API: the configured one (checked), or a local server started for the run.

    Yields the URL of a server just started (``None`` when one was configured). The server's URL is exported
    as ``PREFECT_API_URL`` so that worker processes inherit it; the server is stopped on the way out.
    """
    global _ACTIVE_SERVER
    url = configured_api_url()
    if url:
        check_api(url)
        try:
            yield None
        finally:
            drain_prefect()  # the run's last logs and events reach the server before the CLI exits
        return
    from newsdesk.flows.server import PrefectServer

    server = PrefectServer(ephemeral=True, timeout=float(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]))
    _ACTIVE_SERVER = server
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield server.api_url
    finally:
        drain_prefect()  # logs and events still queued for the server: send them while it is up
        os.environ.pop("PREFECT_API_URL", None)
        _ACTIVE_SERVER = None
        server.stop(grace=5)


def drain_prefect(timeout: float = 5) -> None:
    """Send the logs and events Prefect still holds in its background workers (at most ``timeout`` s each).

    Prefect drains them at interpreter exit; a local server must still be up then, or each one retries
    against a closed port ("Error logging to API") for a minute.
    """
    if "prefect" not in sys.modules:
        return
    with contextlib.suppress(Exception):
        from prefect.logging.handlers import APILogWorker

        APILogWorker.drain_all(timeout=timeout)
    with contextlib.suppress(Exception):
        from prefect.events.worker import EventsWorker

        EventsWorker.drain_all(timeout=timeout)


def preload_model() -> threading.Thread:
    """Load spaCy while Prefect's server starts (both take seconds; overlap them).

    A failure is reported on stderr; the flow's enrich step loads the model again and fails the run with the
    real error if it persists.
    """
    def load() -> None:
        try:
            from newsdesk.enrich import nlp
            nlp()  # the enrich step's model: NER and the parser
        except Exception as exc:
            print(f"newsdesk: warning: could not preload the NER model ({type(exc).__name__}: {exc})",
                  file=sys.stderr)

    t = threading.Thread(target=load, name="preload-spacy", daemon=True)
    t.start()
    return t


def estimated_new(raw: Path, out: Path, changes: str = "files") -> int:
    """How many raw files a run may have to curate: the folder's entries less the versions the store holds
    (a quick estimate, without a stat per file; an edited file can make it 0 when there is work).
    ``changes="folders"``: unchanged raw folders are counted from their records, not listed
    (newsdesk.incremental)."""
    from newsdesk import ingest
    from newsdesk.incremental import last_run_id, read_folders
    from newsdesk.store import Store

    store = Store(out)
    unchanged = read_folders(out, Path(raw).resolve(), last_run_id(store)) if changes == "folders" else None
    seen = ingest.count_entries(raw, unchanged)  # no stat per file: a nothing-new run lists them once, not twice
    return seen - store.count_rows("files")


def choose_runner(new: int) -> str:
    """``--runner auto``: a process pool (NER on every core) when there are many new files (``new``:
    :func:`estimated_new`), else threads. Measured here (2 cores): see the README's runner timings."""
    return "processes" if new >= AUTO_PROCESSES_MIN_NEW else "threads"


def worker_init() -> None:
    """Process-pool initializer: leave Ctrl-C to the run (no KeyboardInterrupt traceback per worker; the
    run kills its workers), then load the NER model."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from newsdesk.enrich import warm_worker

    warm_worker()


def build_task_runner(runner: str, address: str | None, workers: int):
    """The Prefect task runner for ``runner``: threads, processes, or a Dask cluster."""
    if runner == "processes":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=workers, initializer=worker_init)
    if runner == "threads":
        from prefect.task_runners import ThreadPoolTaskRunner
        return ThreadPoolTaskRunner(max_workers=workers)
    if runner == "dask":
        from prefect_dask import DaskTaskRunner
        if address:
            return DaskTaskRunner(address=address)
        # the scheduler's HTTP server on a free local port: with None it still tries 8787 and warns when
        # another cluster (or run) holds it
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": "127.0.0.1:0"})
    raise ValueError(f"unknown runner {runner!r} (one of {', '.join(RUNNERS)})")


def run_curate(raw: Path, out: Path, *, runner: str = "auto", address: str | None = None, workers: int = 2,
               verbose: bool = False, **params) -> dict:
    """Run the ``curate`` flow with the chosen task runner; ``params`` are the flow's parameters.

    Raises :class:`ApiUnreachable` when the configured Prefect API does not answer.
    """
    prefect_env(verbose)
    with local_api() as started:
        new = None
        if runner == "auto":
            new = estimated_new(raw, out, params.get("changes", "files"))
            runner = choose_runner(new)
        if runner == "threads" and (new is None or new > 0):
            preload_model()  # other runners load the model in their workers; a run with nothing new needs none
        from newsdesk.flows.curate import curate  # imports prefect (seconds) while the server boots

        if started and _ACTIVE_SERVER is not None:
            _ACTIVE_SERVER.wait_healthy()
            os.environ["PREFECT_API_URL"] = _ACTIVE_SERVER.api_url  # a new port if the first was taken
        flow = curate.with_options(task_runner=build_task_runner(runner, address, workers),
                                   on_running=[_record_flow_run])
        return flow(raw=str(raw), out=str(out), workers=workers, **params)


def current_flow_run_id() -> str | None:
    """The id of the flow run in progress in this process, if any (recorded when it started running)."""
    return _FLOW_RUN_ID


def _record_flow_run(flow, flow_run, state) -> None:
    global _FLOW_RUN_ID
    _FLOW_RUN_ID = str(flow_run.id)


def abort(message: str, flow_run_id: str | None = None, timeout: float = 1.0) -> None:
    """Stop a run now: mark its flow run Cancelled (at most ``timeout`` s), stop the local server, kill the
    worker processes (process pool, local Dask cluster). The caller then exits at once."""
    if flow_run_id and os.environ.get("PREFECT_API_URL"):
        t = threading.Thread(target=_cancel_flow_run, args=(flow_run_id, message), daemon=True)
        t.start()
        t.join(timeout)
    server = _ACTIVE_SERVER
    if server is not None:
        with contextlib.suppress(Exception):
            server.stop(grace=1)
    with contextlib.suppress(Exception):
        _kill_workers()


def _kill_workers() -> None:
    """Kill this process's worker processes, quietly.

    They are stopped (SIGSTOP) first, so that no Dask nanny sees one die and starts a replacement; then the
    multiprocessing semaphores this process created are released as a normal exit would (else the resource
    tracker, which outlives us, warns about "leaked semaphore objects"); then they are killed. The resource
    tracker is left to exit by itself when its last client is gone.
    """
    import psutil

    workers = []
    for c in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if "resource_tracker" not in " ".join(c.cmdline()):
                c.suspend()
                workers.append(c)
    _release_semaphores()
    for c in workers:
        with contextlib.suppress(psutil.Error):
            c.kill()


def _release_semaphores() -> None:
    """Unlink and unregister the multiprocessing semaphores of this process (its pools' and Dask cluster's
    queues), as their finalizers would at a normal exit."""
    import gc
    from multiprocessing import resource_tracker, synchronize

    for obj in gc.get_objects():
        if isinstance(obj, synchronize.SemLock):
            name = getattr(obj._semlock, "name", None)
            if name:
                with contextlib.suppress(Exception):
                    synchronize.sem_unlink(name)
                with contextlib.suppress(Exception):
                    resource_tracker.unregister(name, "semaphore")


def _cancel_flow_run(flow_run_id: str, message: str) -> None:
    with contextlib.suppress(Exception):
        from prefect.client.orchestration import get_client
        from prefect.states import Cancelled

        with get_client(sync_client=True) as client:
            client.set_flow_run_state(flow_run_id, Cancelled(message=message), force=True)
