"""Crash consistency and the single writer, with real processes.

Every ``newsdesk run`` here is a subprocess pointed (PREFECT_API_URL) at ONE real Prefect server started for
this module, so no run pays the temporary server's 12-24 s start.

Crashes: the run is SIGKILLed (no cleanup of any kind) at each deterministic point of newsdesk/faults.py and
once at a pseudo-random time. While it lies dead, the store must show exactly the last committed state (or,
once ``current`` was flipped, exactly the new one) in every table at once; after one more run the tables
must equal those of runs that never crashed.
"""
from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.store import SNAPSHOTS, Store, open_catalog
from newsdesk.validate import check_snapshot
from tests.flows.opshelp import (NEWSDESK, base_env, kill_group, run_cli, stop, table_rows,
                                 write_corpus)

pytestmark = [pytest.mark.slow]

N_HALF = 75  # articles in the first run; the crashing run adds as many again (+ 6 exact copies): 156 files
TIME_COLUMNS = {"started_at", "finished_at", "seconds", "step_seconds", "flow_run_id"}  # runs: differ between equal runs
FLOW_POINTS = ["after_prepare", "before_commit"]


@pytest.fixture(scope="module")
def lab(server, tmp_path_factory):
    """raw_half / raw_all folders, the state after a clean first run (``state1``) and the final state after
    a clean second run (``ref``), with their table contents."""
    base = tmp_path_factory.mktemp("crash")
    raw_half, raw_all = base / "raw_half", base / "raw_all"
    write_corpus(raw_half, N_HALF)
    write_corpus(raw_all, 2 * N_HALF)
    env = base_env(base / "home", server.api_url)
    ref = base / "ref"
    t0 = time.monotonic()
    r = run_cli(["run", "--raw", str(raw_half), "--out", str(ref)], env)
    assert r.returncode == 0, r.stderr
    t1 = time.monotonic()
    state1 = base / "state1"
    shutil.copytree(ref, state1, symlinks=True)
    Store(state1).write_catalog()  # the copy's catalog must point at the copy
    r = run_cli(["run", "--raw", str(raw_all), "--out", str(ref)], env)
    assert r.returncode == 0, r.stderr
    t2 = time.monotonic()
    return dict(base=base, raw_half=raw_half, raw_all=raw_all, env=env, state1=state1, ref=ref,
                rows1=rows(state1), rows_final=rows(ref), first_seconds=t1 - t0, second_seconds=t2 - t1)


def rows(out: Path) -> dict:
    return table_rows(out, drop=TIME_COLUMNS, skip=())


def fresh_copy(lab, name: str) -> Path:
    out = lab["base"] / name
    shutil.copytree(lab["state1"], out, symlinks=True)
    Store(out).write_catalog()
    return out


def assert_clean(out: Path) -> None:
    """No debris of a killed writer, a valid current snapshot, derived files present and current."""
    store = Store(out)
    snaps = store.out / SNAPSHOTS
    assert not [p.name for p in snaps.iterdir() if p.name.startswith(".tmp-")]
    assert not [p.name for p in store.out.iterdir() if p.name.startswith(".tmp-")]
    assert max(int(p.name) for p in snaps.iterdir() if p.name.isdigit()) == store.version()
    assert check_snapshot(store.snapshot_dir()) == []
    con = open_catalog(out)
    try:
        n = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    finally:
        con.close()
    assert n == store.read("articles").num_rows
    for name in ("articles", "files", "quotes"):
        assert (out / name).is_symlink()


def debris(out: Path) -> list[str]:
    snaps = out / SNAPSHOTS
    current = Store(out).version()
    return sorted(p.name for p in snaps.iterdir()
                  if p.name.startswith(".tmp-") or (p.name.isdigit() and int(p.name) > current))


def test_kill_at_each_point_then_rerun(lab):
    """One store, killed at each point in turn (each run also sweeps what the previous kill left), then
    one clean run: the tables equal those of a history that never crashed."""
    out = fresh_copy(lab, "crash-chain")
    for point in FLOW_POINTS + ["before_rename", "before_flip"]:
        r = run_cli(["run", "--raw", str(lab["raw_all"]), "--out", str(out)],
                    {**lab["env"], "NEWSDESK_CRASH_AT": point})
        assert r.returncode == -9, f"expected SIGKILL at {point}, got {r.returncode}\n{r.stderr[-2000:]}"
        # the dead writer's debris is there, but readers see the last committed state, whole
        left = debris(out)
        if point == "before_rename":
            assert left and left[0].startswith(".tmp-"), left
        elif point == "before_flip":
            assert left == ["000002"], left
        else:
            assert left == [], left
        assert Store(out).version() == 1, point
        assert rows(out) == lab["rows1"], point
        assert check_snapshot(Store(out).snapshot_dir()) == [], point

    r = run_cli(["run", "--raw", str(lab["raw_all"]), "--out", str(out)], lab["env"])
    assert r.returncode == 0, r.stderr
    assert rows(out) == lab["rows_final"]
    assert Store(out).version() == 2
    assert_clean(out)


def test_kill_after_flip(lab):
    """Killed after ``current`` was flipped: the new state is committed and whole; a re-run has nothing
    new (the store version does not move) and leaves a clean store."""
    out = fresh_copy(lab, "crash-before_catalog")
    r = run_cli(["run", "--raw", str(lab["raw_all"]), "--out", str(out)],
                {**lab["env"], "NEWSDESK_CRASH_AT": "before_catalog"})
    assert r.returncode == -9, r.stderr[-2000:]
    assert Store(out).version() == 2
    assert rows(out) == lab["rows_final"]
    assert check_snapshot(Store(out).snapshot_dir()) == []
    r = run_cli(["run", "--raw", str(lab["raw_all"]), "--out", str(out)], lab["env"])
    assert r.returncode == 0, r.stderr
    assert "(nothing new)" in r.stdout
    assert Store(out).version() == 2
    assert rows(out) == lab["rows_final"]


def test_derived_files_rebuilt_after_kill_before_catalog(lab):
    """Killed after the flip, before catalog.duckdb / DATASET.md / table links: the next run (a no-op,
    everything is committed) must still bring the derived files up to date."""
    out = lab["base"] / "crash-before_catalog"
    if not out.exists():
        pytest.skip("runs after test_kill_after_flip")
    assert_clean(out)
    card = (out / "DATASET.md").read_text(encoding="utf-8")
    assert f"Snapshot {Store(out).version()} " in card, "DATASET.md still describes the previous snapshot"


def test_first_commit_killed_before_catalog(lab, tmp_path):
    """The worst case of the above: the very first commit is killed after the flip, so there are no
    OUT/<table> links and no catalog.duckdb yet, and the next run has nothing new to commit."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 5, dup_every=0)
    r = run_cli(["run", "--raw", str(raw), "--out", str(out)],
                {**lab["env"], "NEWSDESK_CRASH_AT": "before_catalog"})
    assert r.returncode == -9
    assert Store(out).version() == 1  # committed: readable through OUT/current
    r = run_cli(["run", "--raw", str(raw), "--out", str(out)], lab["env"])
    assert r.returncode == 0, r.stderr
    assert_clean(out)


def test_kill_at_a_random_time(lab):
    """SIGKILL somewhere in a real run (seeded, printed: NEWSDESK_CRASH_SEED reproduces it)."""
    import os

    seed = int(os.environ.get("NEWSDESK_CRASH_SEED", "20261123"))
    delay = random.Random(seed).uniform(2.0, max(3.0, lab["second_seconds"] - 1.0))
    print(f"random kill: seed {seed}, {delay:.2f} s into a run of ~{lab['second_seconds']:.1f} s")
    out = fresh_copy(lab, "crash-random")
    proc = subprocess.Popen([NEWSDESK, "run", "--raw", str(lab["raw_all"]), "--out", str(out)],
                            env=lab["env"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        time.sleep(delay)
        kill_group(proc)
        proc.wait(timeout=30)
    finally:
        stop(proc, grace=0)
    state = rows(out)
    assert state in (lab["rows1"], lab["rows_final"]), "a killed run left a mixed state"
    assert check_snapshot(Store(out).snapshot_dir()) == []
    r = run_cli(["run", "--raw", str(lab["raw_all"]), "--out", str(out)], lab["env"])
    assert r.returncode == 0, r.stderr
    assert rows(out) == lab["rows_final"]


# ------------------------------------------------------------------------------------------- one writer
HOLD = ("import sys, time\n"
        "from newsdesk.store import Store\n"
        "w = Store(sys.argv[1]).writer()\n"
        "w.__enter__()\n"
        "print('locked', flush=True)\n"
        "time.sleep(300)\n")


def hold_lock(out: Path, env: dict) -> subprocess.Popen:
    """Another writer (a real process) holding the store's lock until it is killed."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(out)], env=env, stdout=subprocess.PIPE,
                            text=True, start_new_session=True)
    line = proc.stdout.readline()
    assert line.strip() == "locked", f"lock holder did not start ({proc.poll()})"
    return proc


def test_second_writer_exits_75(lab, tmp_path):
    raw = tmp_path / "raw"
    write_corpus(raw, 8, dup_every=0)
    out = tmp_path / "out"
    holder = hold_lock(out, lab["env"])
    try:
        r = run_cli(["run", "--raw", str(raw), "--out", str(out)], lab["env"], timeout=120)
        assert r.returncode == 75, r.stderr
        assert r.stderr == (f"newsdesk: error: another newsdesk run is writing to {out} (lock {out / '.lock'}); "
                            "wait for it to finish or pass --wait SECONDS\n")  # one line, no traceback
        assert Store(out).version() == 0

        # --wait: blocks while the lock is held, proceeds once the holder dies (SIGKILL frees a flock)
        waiter = subprocess.Popen([NEWSDESK, "run", "--raw", str(raw), "--out", str(out), "--wait", "120"],
                                  env=lab["env"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  start_new_session=True)
        try:
            time.sleep(5)
            assert waiter.poll() is None, "the waiting run did not wait"
            kill_group(holder)
            _, err = waiter.communicate(timeout=120)
            assert waiter.returncode == 0, err
        finally:
            stop(waiter, grace=0)
    finally:
        stop(holder, grace=0)
    assert Store(out).version() == 1
    assert Store(out).read("files").num_rows == 8


def test_two_real_runs_at_once(lab, tmp_path):
    """Two `newsdesk run --wait` on the same new store at once: one commits, the other waits for the lock
    and then finds nothing new; the tables equal those of one clean run."""
    out = tmp_path / "out"
    procs = [subprocess.Popen([NEWSDESK, "run", "--raw", str(lab["raw_half"]), "--out", str(out),
                               "--wait", "180"], env=lab["env"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=True) for _ in range(2)]
    try:
        outs = [p.communicate(timeout=240) for p in procs]
    finally:
        for p in procs:
            stop(p, grace=0)
    assert [p.returncode for p in procs] == [0, 0], [e[-1500:] for _, e in outs]
    assert sum("(nothing new)" in o for o, _ in outs) == 1
    assert Store(out).version() == 1
    assert rows(out) == lab["rows1"]
