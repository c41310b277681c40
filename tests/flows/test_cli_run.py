"""`newsdesk run` as a user meets it, through the real entry point in a subprocess: the local Prefect server
it starts when none is configured (one, whatever the runner), quiet terminals, true summaries, one-line
failures. Ctrl-C: tests/flows/test_interrupt.py.

Runs without PREFECT_API_URL start their own local server (the case being tested); the others use one server
for the module.
"""
from __future__ import annotations

import re
import subprocess
import time

import pytest

from tests.flows.opshelp import (NEWSDESK, base_env, first_line, kill_group, run_cli, server_roots,
                                 stop, write_corpus)

pytestmark = [pytest.mark.slow]

@pytest.mark.parametrize("runner", ["processes", "dask"])
def test_workers_report_to_the_runs_one_server_and_the_terminal_stays_quiet(tmp_path, local_home, runner):
    """Without PREFECT_API_URL the run starts ONE server and its process-pool / Dask workers use it (each
    used to start a temporary server of its own, ~220 MB and seconds each); no Prefect or Dask chatter on
    the terminal; the summary's seconds are the process's wall time."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 12, dup_every=0)
    env = base_env(local_home)
    t0 = time.monotonic()
    proc = subprocess.Popen([NEWSDESK, "run", "--raw", str(raw), "--out", str(out), "--runner", runner,
                             "--batch-size", "4"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    servers: set[int] = set()
    try:
        while proc.poll() is None and time.monotonic() - t0 < 240:
            servers |= server_roots(proc.pid)
            time.sleep(0.1)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        kill_group(proc)
        stop(proc, grace=0)
    wall = time.monotonic() - t0
    assert proc.returncode == 0, stderr
    assert len(servers) == 1, f"{len(servers)} Prefect servers ran for one run"
    assert stderr == "", stderr  # no INFO chatter, no dashboard notice, no "Error logging to API"
    assert re.fullmatch(r"newsdesk run [0-9a-f]{16}: committed snapshot 1", first_line(stdout).strip()), stdout
    seconds = float(re.search(r"│ seconds\s+│ ([0-9.]+) \(the flow itself ([0-9.]+)\)", stdout).group(1))
    assert wall - 2.0 <= seconds <= wall + 0.2, (seconds, wall)


def test_an_empty_raw_folder_is_a_warning(server, tmp_path):
    raw = tmp_path / "raw"
    (raw / ".hidden").mkdir(parents=True)
    (raw / ".hidden" / "x.txt").write_text("hidden files are never listed")
    r = run_cli(["run", "--raw", str(raw), "--out", str(tmp_path / "out")], base_env(tmp_path / "h", server.api_url))
    assert r.returncode == 0, r.stderr
    assert r.stderr == f"newsdesk: warning: raw folder {raw} holds no files: nothing to curate\n"
    assert first_line(r.stdout).strip() == "newsdesk run (nothing new): store at snapshot 0"


def test_a_failed_run_is_one_line_and_verbose_shows_the_traceback(server, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 3, dup_every=0)
    env = base_env(tmp_path / "home", server.api_url)
    assert run_cli(["run", "--raw", str(raw), "--out", str(out)], env).returncode == 0
    write_corpus(raw, 2, start=3, dup_every=0)
    for part in (out / "current" / "files").iterdir():
        part.write_bytes(b"PAR1 not really")  # a damaged store: the run cannot read its manifest
    r = run_cli(["run", "--raw", str(raw), "--out", str(out)], env)
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1, r.stderr
    assert first_line(r.stderr).startswith("newsdesk: error: run failed: ArrowInvalid: ")
    r = run_cli(["run", "--raw", str(raw), "--out", str(out), "--verbose"], env)
    assert r.returncode == 1
    assert "Traceback (most recent call last)" in r.stderr
    assert r.stderr.splitlines()[-1].startswith("newsdesk: error: run failed: ArrowInvalid: ")
