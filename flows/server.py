"""A real, local Prefect server in a subprocess: the API of a ``newsdesk run``, and for tests and benchmarks.

:class:`PrefectServer` runs a Prefect server on 127.0.0.1 and a free port, in its own session (so a Ctrl-C in
the terminal does not reach it: the run that started it decides when it stops), waits until it answers
``/health``, and always stops it (SIGTERM, then SIGKILL for the whole group). Two kinds:

* ``ephemeral=True`` (what ``newsdesk run`` starts when no ``PREFECT_API_URL`` is configured): the same
  uvicorn app Prefect's own temporary server runs (``PREFECT__SERVER_EPHEMERAL``: no scheduler or other
  background services), with the caller's Prefect settings and database, and it dies with its parent
  (``PR_SET_PDEATHSIG``) even when the parent is SIGKILLed;
* otherwise ``prefect server start`` with its own ``PREFECT_HOME`` and every service (schedules fire): for
  tests and benchmarks.

:func:`base_env` is the environment for a ``newsdesk`` or ``prefect`` subprocess that should talk to such a
server (or, without ``api_url``, start its own).
"""
from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

_BIN = Path(sys.executable).parent
PREFECT = str(_BIN / "prefect") if (_BIN / "prefect").exists() else "prefect"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(prefect_home: Path | str, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """Environment for a ``newsdesk`` / ``prefect`` subprocess: own PREFECT_HOME, analytics off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k != "NEWSDESK_CRASH_AT"}
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180", PYTHONUNBUFFERED="1",
               TMPDIR=str(prefect_home))
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal a process started with ``start_new_session=True`` and everything it spawned."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def stop(proc: subprocess.Popen, grace: float = 10) -> None:
    """SIGTERM the process group, then SIGKILL after ``grace`` seconds."""
    if proc.poll() is None:
        kill_group(proc, signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    kill_group(proc, signal.SIGKILL)  # stragglers of the group, even when the leader exited
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


def _die_with_parent(parent: int):
    """A ``preexec_fn``: the child gets SIGTERM when the process that started it dies (Linux only)."""
    def set_pdeathsig() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # the parent may ignore SIGINT (newsdesk run does)
        with contextlib.suppress(Exception):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the parent died before prctl: nobody would stop this server
            os._exit(1)
    return set_pdeathsig


class PrefectServer:
    """A Prefect server on 127.0.0.1 and a free port, in its own session; always stopped.

    >>> with PrefectServer(tmp) as srv: run_cli([...], base_env(home, srv.api_url))

    ``home``: its ``PREFECT_HOME`` (``prefect server start``), or, with ``ephemeral=True`` and ``home=None``,
    the caller's Prefect settings and home (the server log goes to a temporary file). :meth:`start` returns
    at once and :meth:`wait_healthy` waits, so a caller can do other work while the server boots.
    """

    def __init__(self, home: Path | str | None = None, *, scheduler_loop: float | None = None,
                 timeout: float = 120, ephemeral: bool = False):
        self.ephemeral = ephemeral
        self.home = Path(home) if home is not None else None
        if self.home is None and not ephemeral:
            raise ValueError("a `prefect server start` server needs its own home")
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.timeout = timeout
        self.scheduler_loop = scheduler_loop
        self.proc: subprocess.Popen | None = None
        self.log = (self.home / "server.log") if self.home is not None else None
        self._t0 = 0.0
        self.started_in = 0.0

    def _command_and_env(self) -> tuple[list[str], dict[str, str]]:
        if self.ephemeral:
            # exactly what prefect's own temporary server runs (prefect.server.api.server.SubprocessASGIServer)
            env = dict(os.environ) if self.home is None else base_env(self.home)
            env.update(PREFECT_SERVER_UI_ENABLED="false", PREFECT__SERVER_EPHEMERAL="1",
                       PREFECT__SERVER_FINAL="1", PREFECT_SERVER_ANALYTICS_ENABLED="false")
            env.pop("PREFECT_API_URL", None)
            cmd = [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
                   "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on"]
            return cmd, env
        extra = {"PREFECT_SERVER_UI_ENABLED": "false", "PREFECT_SERVER_LOGGING_LEVEL": "WARNING"}
        if self.scheduler_loop:
            extra["PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS"] = str(self.scheduler_loop)
        cmd = [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(self.port), "--no-ui",
               "--analytics-off"]
        return cmd, base_env(self.home, **extra)

    def start(self) -> PrefectServer:
        """Start the server process (non-blocking)."""
        cmd, env = self._command_and_env()
        if self.home is not None:
            self.home.mkdir(parents=True, exist_ok=True)
            log = open(self.log, "wb")
        else:
            if self.log is not None:  # a restart on another port
                self.log.unlink(missing_ok=True)
            fd, name = tempfile.mkstemp(prefix="newsdesk-prefect-server-", suffix=".log")
            self.log = Path(name)
            log = os.fdopen(fd, "wb")
        self._t0 = time.monotonic()
        with log:
            self.proc = subprocess.Popen(cmd, env=env, cwd=self.home or None, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True,
                                         preexec_fn=_die_with_parent(os.getpid()) if self.ephemeral else None)
        return self

    def __enter__(self) -> PrefectServer:
        self.start()
        try:
            self.wait_healthy()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def wait_healthy(self, retries: int = 3) -> None:
        """Wait until the server answers ``/health`` (RuntimeError with its log's tail if it does not).

        Another process may take the free port between :func:`free_port` and the server's bind: the server
        then exits at once (or another server answers on that port while ours is gone), and it is started
        again on a new port (``api_url`` changes) up to ``retries`` times.
        """
        t0, deadline = self._t0, self._t0 + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.log.read_text(errors="replace").lower() if self.log and self.log.exists() else ""
                if retries > 0 and (self.proc.returncode == 3 or "address already in use" in log):  # uvicorn: 3
                    retries -= 1
                    self.port = free_port()
                    self.api_url = f"http://127.0.0.1:{self.port}/api"
                    self.start()
                    continue
                raise RuntimeError(f"prefect server exited with {self.proc.returncode}:\n" + self._tail())
            try:
                with urllib.request.urlopen(self.api_url + "/health", timeout=2) as r:
                    if r.status == 200 and json.loads(r.read() or b"false") is True:
                        if self.proc.poll() is None:  # it is ours that answered
                            self.started_in = time.monotonic() - t0
                            return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"prefect server not healthy after {self.timeout}s:\n" + self._tail())

    def _tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log and self.log.exists() else ""

    def stop(self, grace: float = 10) -> None:
        if self.proc is not None:
            stop(self.proc, grace=grace)
            self.proc = None
            if self.home is None and self.log is not None:
                self.log.unlink(missing_ok=True)

    def __exit__(self, *exc) -> None:
        self.stop()
