"""Deterministic crash points for the crash-consistency tests.

``crash_point(name)`` kills its own process with SIGKILL (no cleanup, no ``finally``, no atexit: the same
as a power cut or the OOM killer for everything above the kernel) when the environment variable
``NEWSDESK_CRASH_AT`` equals ``name``. Otherwise it does nothing and costs one dictionary lookup.

Points placed in the code (see docs/operations.md and tests/flows/test_crash.py):

``after_prepare``        flows/curate.py, every prepare batch finished, before dedup/plan
``before_commit``        flows/curate.py, tables built, before ``Store.commit``
``before_rename``        Store.commit, snapshot written and fsynced under its temporary name
``before_flip``          Store.commit, snapshot renamed to its number, ``current`` not flipped yet
``before_catalog``       Store.commit, ``current`` flipped, catalog.duckdb / DATASET.md not yet rebuilt

``NEWSDESK_CRASH_SIGNAL=INT`` sends SIGINT to the process group instead (what a Ctrl-C in the terminal does),
for the interruption tests: the run's handler then reports and exits while this thread waits.
"""
from __future__ import annotations

import os
import signal
import time

ENV = "NEWSDESK_CRASH_AT"
SIGNAL_ENV = "NEWSDESK_CRASH_SIGNAL"


def crash_point(name: str) -> None:
    """SIGKILL this process when ``NEWSDESK_CRASH_AT == name`` (SIGINT its group with
    ``NEWSDESK_CRASH_SIGNAL=INT``)."""
    if os.environ.get(ENV) == name:
        if os.environ.get(SIGNAL_ENV) == "INT":
            os.killpg(os.getpgid(0), signal.SIGINT)
            time.sleep(60)  # the interrupt handler exits the process before the code after the point runs
        else:
            os.kill(os.getpid(), signal.SIGKILL)
