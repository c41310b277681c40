"""A real, local Prefect server in a subprocess, for schedules, tests and benchmarks.

:class:`PrefectServer` runs ``prefect server start`` on 127.0.0.1 and a free port, in its own process group
and with its own ``PREFECT_HOME``, waits until it answers ``/health``, and always stops it (SIGTERM, then
SIGKILL for the whole group). :func:`base_env` is the environment for a ``newsdesk`` or ``prefect``
subprocess that should talk to such a server (or, without ``api_url``, start its own temporary one).
"""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
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
               PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180", PREFECT_LOGGING_LEVEL="WARNING",
               PYTHONUNBUFFERED="1", TMPDIR=str(prefect_home))
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


class PrefectServer:
    """``prefect server start`` on 127.0.0.1 and a free port, with its own PREFECT_HOME; always stopped.

    >>> with PrefectServer(tmp) as srv: run_cli([...], base_env(home, srv.api_url))
    """

    def __init__(self, home: Path | str, *, scheduler_loop: float | None = None, timeout: float = 120):
        self.home = Path(home)
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.timeout = timeout
        self.scheduler_loop = scheduler_loop
        self.proc: subprocess.Popen | None = None
        self.log = self.home / "server.log"
        self.started_in = 0.0

    def __enter__(self) -> PrefectServer:
        self.home.mkdir(parents=True, exist_ok=True)
        extra = {"PREFECT_SERVER_UI_ENABLED": "false", "PREFECT_SERVER_LOGGING_LEVEL": "WARNING"}
        if self.scheduler_loop:
            extra["PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS"] = str(self.scheduler_loop)
        env = base_env(self.home, **extra)
        t0 = time.monotonic()
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port",
                                          str(self.port), "--no-ui", "--analytics-off"],
                                         env=env, cwd=self.home, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True)
        try:
            self._wait_healthy()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self.started_in = time.monotonic() - t0
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"prefect server exited with {self.proc.returncode}:\n"
                                   + self.log.read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(self.api_url + "/health", timeout=2) as r:
                    if r.status == 200 and json.loads(r.read() or b"false") is True:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"prefect server not healthy after {self.timeout}s:\n"
                           + self.log.read_text(errors="replace")[-3000:])

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            stop(self.proc, grace=10)
            self.proc = None
