"""Ctrl-C during `newsdesk run`, through the real entry point in a subprocess: a real SIGINT to the run's
process group (what the terminal sends), at a random moment or at a crash point of newsdesk/faults.py.

Runs without PREFECT_API_URL start their own local server (the case being tested); the others use one
server for the module.
"""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from newsdesk.store import SNAPSHOTS, Store, open_catalog
from newsdesk.validate import check_snapshot
from tests.flows.opshelp import (NEWSDESK, SERVER_APP, alive, base_env, descendants, first_line,
                                 run_cli, stop, write_corpus)

pytestmark = [pytest.mark.slow]

def assert_no_debris_after_rerun(out: Path, raw: Path, env: dict) -> None:
    r = run_cli(["run", "--raw", str(raw), "--out", str(out)], env)
    assert r.returncode == 0, r.stderr
    store = Store(out)
    assert check_snapshot(store.snapshot_dir()) == []
    assert not [p for p in (out / SNAPSHOTS).iterdir() if p.name.startswith(".tmp-")]
    con = open_catalog(out)
    assert con.execute("SELECT count(*) FROM files").fetchone()[0] == store.read("files").num_rows
    con.close()


@pytest.mark.parametrize("runner", ["threads", "processes", "dask"])
def test_ctrl_c_exits_130_at_once_and_leaves_nothing_running(tmp_path, local_home, runner):
    """A real Ctrl-C (SIGINT to the process group) in the middle of a run that started its own Prefect
    server: exit 130 within ~2 s with one line, every process it started gone, and the next run clean."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 60, dup_every=0)
    env = base_env(local_home)  # no PREFECT_API_URL: the run starts its own server
    proc = subprocess.Popen([NEWSDESK, "run", "--raw", str(raw), "--out", str(out), "--runner", runner,
                             "--batch-size", "8"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    seen: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 180
        while not (out / ".lock").exists():  # the flow holds the store: its server is up, workers starting
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the run never reached the store"
            seen.update(descendants(proc.pid))
            time.sleep(0.1)
        for _ in range(10):  # one more second of the run, watching its processes
            seen.update(descendants(proc.pid))
            time.sleep(0.1)
        assert proc.poll() is None, "the run finished before it could be interrupted"
        assert any(SERVER_APP in cmd for cmd in seen.values()), seen
        t0 = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
        took = time.monotonic() - t0
    finally:
        stop(proc, grace=0)
    print(f"{runner}: exit {proc.returncode} {took:.2f} s after SIGINT")
    assert proc.returncode == 130, stderr
    assert stderr == "newsdesk: interrupted; nothing committed\n", stderr  # one line: no worker tracebacks
    assert stdout == ""
    assert took < 4, f"took {took:.1f} s to exit"
    time.sleep(0.5)
    assert alive(seen) == [], {p: seen[p] for p in alive(seen)}  # the server and the workers are gone
    assert Store(out).version() == 0
    if runner == "threads":  # the next run (with its own server again) commits everything, cleanly
        assert_no_debris_after_rerun(out, raw, env)
        assert Store(out).read("files").num_rows == 60


def test_ctrl_c_after_the_flip_says_what_was_committed(server, tmp_path):
    """Interrupted after `current` flipped: the run says so, its flow run is Cancelled on the server, and
    the next run (nothing new) leaves the derived files current."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 6, dup_every=0)
    env = base_env(tmp_path / "home", server.api_url)
    r = run_cli(["run", "--raw", str(raw), "--out", str(out)],
                {**env, "NEWSDESK_CRASH_AT": "before_catalog", "NEWSDESK_CRASH_SIGNAL": "INT"})
    assert r.returncode == 130, r.stderr
    assert r.stderr == "newsdesk: interrupted; committed snapshot 1\n"
    assert Store(out).version() == 1
    states = asyncio.run(_flow_run_states(server.api_url))
    assert "CANCELLED" in states, states
    r = run_cli(["run", "--raw", str(raw), "--out", str(out)], env)
    assert r.returncode == 0, r.stderr
    assert first_line(r.stdout).strip().startswith("newsdesk run (nothing new): store at snapshot 1, last run ")
    assert "Snapshot 1 " in (out / "DATASET.md").read_text(encoding="utf-8")
    con = open_catalog(out)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
    con.close()


def test_ctrl_c_before_the_flip_commits_nothing(server, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 6, dup_every=0)
    env = base_env(tmp_path / "home", server.api_url)
    r = run_cli(["run", "--raw", str(raw), "--out", str(out)],
                {**env, "NEWSDESK_CRASH_AT": "before_flip", "NEWSDESK_CRASH_SIGNAL": "INT"})
    assert (r.returncode, r.stderr) == (130, "newsdesk: interrupted; nothing committed\n")
    assert Store(out).version() == 0
    assert_no_debris_after_rerun(out, raw, env)
    assert Store(out).version() == 1


async def _flow_run_states(api_url: str) -> list[str]:
    from prefect.client.orchestration import PrefectClient
    from prefect.client.schemas.sorting import FlowRunSort

    async with PrefectClient(api_url) as client:
        runs = await client.read_flow_runs(limit=50, sort=FlowRunSort.START_TIME_DESC)
    return [r.state.type.value for r in runs if r.state]


