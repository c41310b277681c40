"""End-to-end pipeline benchmark: wall time and peak memory of `newsdesk run`, and Prefect's share of it.

For each corpus it measures, in the same process tree and the same run:

1. ``direct``  — the pure steps called in sequence without Prefect (the baseline),
2. ``cli``     — ``newsdesk run`` as a user runs it (a temporary Prefect server, unless PREFECT_API_URL is set),

and prints wall seconds, files/s, peak RSS (the whole process tree, sampled) and the ratio cli/direct; the
difference is Prefect's fixed cost plus task overhead.

    .venv/bin/python bench/bench_pipeline.py --corpus sample            # the five shipped articles
    .venv/bin/python bench/bench_pipeline.py --corpus gen --n 2000      # bench/gen_corpus.py articles
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class PeakRSS:
    """Samples the RSS of a process and all its descendants every 50 ms."""

    def __init__(self, pid: int):
        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                rss = 0
                for p in procs:
                    try:
                        rss += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            self._stop.wait(0.05)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def direct_run(raw: Path, out: Path) -> dict:
    """The pipeline's pure steps in one process, no Prefect (what the flow orchestrates)."""
    from newsdesk.local import curate_local

    summary = curate_local(raw, out)
    return {**summary.step_seconds, "seconds": summary.seconds, "articles": summary.articles,
            "duplicates": summary.duplicates, "rejects": summary.rejects}


def measure(cmd: list[str], env: dict) -> tuple[float, int, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRSS(proc.pid) as rss:
        out, err = proc.communicate()
    return time.perf_counter() - t0, rss.peak, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["sample", "gen"], default="sample")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="newsdesk-bench-"))
    raw = work / "raw"
    if raw.exists():
        shutil.rmtree(raw)
    if args.corpus == "sample":
        shutil.copytree(ROOT / "data" / "raw", raw)
    else:
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--out", str(raw),
                        "--n", str(args.n), "--seed", "1"], check=True)
    n_files = sum(1 for p in raw.rglob("*") if p.is_file())
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_HOME": os.environ.get("PREFECT_HOME", str(work / "prefect"))}

    # direct (no Prefect) in a child process so its memory is measured the same way
    out_direct = work / "out-direct"
    shutil.rmtree(out_direct, ignore_errors=True)
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'bench')!r});"
            f"from bench_pipeline import direct_run; from pathlib import Path;"
            f"print(json.dumps(direct_run(Path({str(raw)!r}), Path({str(out_direct)!r}))))")
    d_wall, d_rss, d = measure([sys.executable, "-c", code], env)
    if d.returncode:
        sys.exit(f"direct run failed:\n{d.stderr[-3000:]}")
    stages = json.loads(d.stdout.strip().splitlines()[-1])

    newsdesk = str(Path(sys.executable).parent / "newsdesk")
    results = {}
    for label in ("cli (fresh Prefect DB)", "cli (warm Prefect DB)"):
        out = work / "out-cli"
        shutil.rmtree(out, ignore_errors=True)
        wall, rss, c = measure([newsdesk, "run", "--raw", str(raw), "--out", str(out), "--no-progress"], env)
        if c.returncode:
            sys.exit(f"newsdesk run failed:\n{c.stderr[-3000:]}")
        results[label] = (wall, rss)

    print(f"corpus: {args.corpus} ({n_files} files) in {work}")
    print(f"direct (no Prefect): {d_wall:6.1f} s wall  {n_files / d_wall:8.1f} files/s  "
          f"peak RSS {d_rss / 2**20:7.0f} MiB   stages: " +
          ", ".join(f"{k} {v:.2f} s" for k, v in stages.items() if isinstance(v, float)))
    print(f"   -> {stages['articles']} articles, {stages['duplicates']} duplicates, {stages['rejects']} rejects")
    for label, (wall, rss) in results.items():
        print(f"{label:<22}: {wall:6.1f} s wall  {n_files / wall:8.1f} files/s  peak RSS {rss / 2**20:7.0f} MiB"
              f"   ratio to direct {wall / d_wall:5.2f}x   Prefect + task overhead {wall - d_wall:5.1f} s")


if __name__ == "__main__":
    main()
