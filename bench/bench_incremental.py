"""Incremental-run benchmark: a full run over N files, a no-op re-run, and a run after 1% new files.

Each run is ``newsdesk run`` in a subprocess, as a scheduled run would be. By default every run talks to one
real Prefect server started here (what a deployment does); ``--temp-server`` also times the same no-op run on
Prefect's temporary per-process server. An ``empty`` run (a raw folder with no files) measures the fixed cost:
process start, imports, spaCy load, flow registration and Prefect's flow overhead.

    .venv/bin/python bench/bench_incremental.py --n 3000
    .venv/bin/python bench/bench_incremental.py --n 3000 --temp-server --json out.json
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import gen_corpus  # noqa: E402  (bench/gen_corpus.py)

from newsdesk.flows.server import PrefectServer, base_env, kill_group  # noqa: E402

NEWSDESK = str(Path(sys.executable).parent / "newsdesk")


def run_cli(args: list[str], env: dict, timeout: float) -> subprocess.CompletedProcess:
    """``newsdesk ARGS`` in its own process group (killed whole on timeout)."""
    proc = subprocess.Popen([NEWSDESK, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise SystemExit(f"newsdesk {' '.join(args)} timed out after {timeout} s")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def write_corpus(raw: Path, n: int, seed: int) -> None:
    """n generated articles, no duplicates (bench/gen_corpus.py); another seed gives other articles."""
    gen_corpus.main(["--out", str(raw), "--n", str(n), "--seed", str(seed), "--dup-rate", "0",
                     "--truth", str(raw.parent / f"truth-{seed}.jsonl")])


def timed(args: list[str], env: dict) -> tuple[float, float, str]:
    """(wall seconds, in-flow seconds reported by the run, stdout)."""
    t0 = time.perf_counter()
    r = run_cli(args, env, timeout=3600)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"newsdesk {' '.join(args)} failed ({r.returncode}):\n{r.stderr[-3000:]}")
    m = re.search(r"seconds\s*│\s*([\d.]+)", r.stdout)
    return wall, float(m.group(1)) if m else float("nan"), r.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000, help="files in the full run")
    ap.add_argument("--new-pct", type=float, default=1.0, help="percent of new files in the third run")
    ap.add_argument("--temp-server", action="store_true", help="also time a no-op run on a temporary server")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    a = ap.parse_args()

    base = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    raw, out, empty = base / "raw", base / "out", base / "empty"
    empty.mkdir()
    n_new = max(1, round(a.n * a.new_pct / 100))
    write_corpus(raw, a.n, seed=1)
    res: dict[str, float | int | str] = {"files": a.n, "new_files": n_new}
    try:
        with PrefectServer(base / "server") as srv:
            res["server_start_s"] = round(srv.started_in, 1)
            env = base_env(base / "home", srv.api_url)
            args = ["run", "--raw", str(raw), "--out", str(out)]
            timed(["run", "--raw", str(empty), "--out", str(base / "warm")], env)  # first-ever run: registration
            res["empty_s"], res["empty_flow_s"], _ = timed(["run", "--raw", str(empty), "--out",
                                                            str(base / "empty_out")], env)
            res["full_s"], res["full_flow_s"], _ = timed(args, env)
            res["noop_s"], res["noop_flow_s"], _ = timed(args, env)
            write_corpus(raw / "new", n_new, seed=2)
            res["new_s"], res["new_flow_s"], _ = timed(args, env)
        if a.temp_server:
            env = base_env(base / "home-temp")
            res["noop_temp_server_s"], _, _ = timed(args, env)
    finally:
        if not a.keep:
            shutil.rmtree(base, ignore_errors=True)

    for k in ("noop", "new"):
        res[f"{k}_vs_full"] = round(res[f"{k}_s"] / res["full_s"], 3)
    res["fixed_share_of_new"] = round(res["empty_s"] / res["new_s"], 3)
    print(f"files {a.n}, +{n_new} new ({a.new_pct}%), real Prefect server (started in {res['server_start_s']} s)")
    print(f"{'run':<22}{'wall s':>9}{'in-flow s':>11}{'vs full':>9}")
    for label, k in (("empty folder (fixed)", "empty"), ("full", "full"), ("no-op re-run", "noop"),
                     (f"{a.new_pct}% new files", "new")):
        ratio = "" if k in ("empty", "full") else f"{res[f'{k}_vs_full']:.3f}"
        print(f"{label:<22}{res[f'{k}_s']:>9.1f}{res[f'{k}_flow_s']:>11.1f}{ratio:>9}")
    if "noop_temp_server_s" in res:
        print(f"{'no-op, temp. server':<22}{res['noop_temp_server_s']:>9.1f}")
    print(f"fixed cost (empty run) is {res['fixed_share_of_new']:.0%} of the {a.new_pct}%-new run")
    if a.json:
        a.json.write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
