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
"""
from __future__ import annotations

import os
import signal

ENV = "NEWSDESK_CRASH_AT"


def crash_point(name: str) -> None:
    """SIGKILL this process when ``NEWSDESK_CRASH_AT == name``."""
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
