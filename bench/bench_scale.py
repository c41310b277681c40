"""Scale benchmark: time and memory of a full run, a 1%-new run and a nothing-new run, per step, as the store
grows; and the steps that need no model at sizes the model cannot reach here.

Two modes:

``--mode cli`` (default): ``newsdesk run`` as a scheduled run executes it, against one real Prefect server
started here (flows/server.py), on a generated corpus (bench/gen_corpus.py, 30% near/exact duplicates):
1. a full run over N files, 2. a run after adding 1% new files, 3. a run with nothing new. For each: wall
seconds, the in-flow seconds and per-step seconds the run recorded (``runs.seconds``, ``runs.step_seconds``),
the peak RSS of the driving process (the ``newsdesk`` command) and of its whole process tree (workers),
sampled every 50 ms.

``--mode nomodel``: the same three runs in this process with :mod:`newsdesk.pipeline` and a process-pool
executor (two workers), the enrich step's model work left out (articles are still staged and committed; no
mentions or quotes), to measure discover / prepare / plan (dedup) / commit at 10^6 files.

Run it from a folder that is not a checkout (Prefect reads ``./pyproject.toml``: a checkout edited under a
running benchmark can fail it), e.g. ``cd /tmp && /path/to/checkout/.venv/bin/python /path/to/checkout/bench/...``:

    .venv/bin/python bench/bench_scale.py --n 20000 --json r2e4.json
    .venv/bin/python bench/bench_scale.py --n 100000 --workdir /data/b1e5 --json r1e5.json
    .venv/bin/python bench/bench_scale.py --mode nomodel --n 1000000 --workdir /data/b1e6 --json r1e6.json
    .venv/bin/python bench/bench_scale.py --mode nomodel --n 1000000 --folder-files 1000 --changes folders ...

``--changes folders --folder-files K`` measures a landing folder partitioned into folders of K files, run with
``newsdesk run --changes folders``; the nothing-new run is then repeated with every file stat-ed (the default),
as the baseline of the same run.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
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
sys.path.insert(0, str(ROOT / "bench"))

NEWSDESK = str(Path(sys.executable).parent / "newsdesk")


class Peak:
    """Peak RSS of one process (``own``) and of it plus its descendants (``tree``), sampled every 50 ms."""

    def __init__(self, pid: int):
        self.proc = psutil.Process(pid)
        self.own = self.tree = 0
        self.steps: dict[str, int] = {}  # the process's own peak during each step (see mark)
        self._step: str | None = None
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                own = self.proc.memory_info().rss
                tree = own + sum(_rss(c) for c in self.proc.children(recursive=True))
                self.own, self.tree = max(self.own, own), max(self.tree, tree)
                if self._step is not None:
                    self.steps[self._step] = max(self.steps.get(self._step, 0), own)
            except psutil.Error:
                pass
            self._stop.wait(0.05)

    def mark(self, step: str) -> None:
        """From now on, samples also count towards ``steps[step]``."""
        self._step = step
        self.steps[step] = max(self.steps.get(step, 0), _rss(self.proc))

    def __enter__(self) -> Peak:
        self._t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._t.join()


def _rss(p: psutil.Process) -> int:
    try:
        return p.memory_info().rss
    except psutil.Error:
        return 0


def generate(raw: Path, n: int, seed: int, folder_files: int = 0) -> None:
    """n generated files (30% duplicates); another seed gives other stories. ``folder_files``: moved into
    sub-folders of that many files each (``00000/``, ``00001/``, ...), a landing folder partitioned by arrival."""
    if raw.exists() and sum(1 for _ in raw.rglob("*.txt")) == n:
        return
    shutil.rmtree(raw, ignore_errors=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "gen_corpus.py"), "--out", str(raw), "--n", str(n),
                    "--seed", str(seed), "--truth", str(raw.parent.parent / f"truth-{raw.name}.jsonl")], check=True)
    if folder_files:
        partition(raw, raw, folder_files)


def partition(src: Path, dst: Path, folder_files: int, link: bool = False) -> None:
    """Every file under ``src`` into ``dst/00000/``, ``dst/00001/``, ... (``folder_files`` a folder, in path
    order; a nested file's folders become part of its name). ``link``: hard links, ``src`` left as it is."""
    files = sorted(p for p in src.rglob("*.txt") if not p.relative_to(src).parts[0].isdigit())
    for i, f in enumerate(files):
        sub = dst / f"{i // folder_files:05d}"
        sub.mkdir(parents=True, exist_ok=True)
        (os.link if link else os.rename)(f, sub / "_".join(f.relative_to(src).parts))
    if not link:
        for d in sorted((p for p in src.iterdir() if p.is_dir() and not p.name.isdigit()), reverse=True):
            shutil.rmtree(d)


def last_run(out: Path) -> dict:
    from newsdesk.store import Store

    runs = Store(out).read("runs").to_pylist()
    r = max(runs, key=lambda r: r["finished_at"])
    return {"seconds": r["seconds"], "steps": json.loads(r["step_seconds"]), "files_new": r["files_new"],
            "articles": r["articles"]}


# ------------------------------------------------------------------------------------------------ cli mode
def cli_run(raw: Path, out: Path, env: dict, runner: str, changes: str = "files") -> dict:
    t0 = time.perf_counter()
    proc = subprocess.Popen([NEWSDESK, "run", "--raw", str(raw), "--out", str(out), "--runner", runner,
                             "--changes", changes],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with Peak(proc.pid) as peak:
        stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"newsdesk run failed ({proc.returncode}):\n{stderr[-3000:]}")
    nothing = "nothing new" in stdout
    return {"wall_s": round(wall, 1), "driver_peak_mb": round(peak.own / 2**20),
            "tree_peak_mb": round(peak.tree / 2**20), **({} if nothing else last_run(out)),
            "nothing_new": nothing}


def cli_mode(a, work: Path) -> dict:
    from newsdesk.flows.server import PrefectServer, base_env

    raw, out = work / "raw", work / "out"
    generate(raw / "base", a.n, 1, a.folder_files)
    n_new = max(1, round(a.n * a.new_pct / 100))
    shutil.rmtree(raw / "new", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    res: dict = {"mode": "cli", "files": a.n, "new_files": n_new, "runner": a.runner, "changes": a.changes,
                 "folder_files": a.folder_files}
    with PrefectServer(work / "server") as srv:
        env = base_env(work / "home", srv.api_url)
        res["server_start_s"] = round(srv.started_in, 1)
        cli_run(work / "empty", work / "warm", env, "threads")  # first-ever flow registration, not timed
        res["full"] = cli_run(raw, out, env, a.runner, a.changes)
        generate(raw / "new", n_new, 2, a.folder_files)
        res["new"] = cli_run(raw, out, env, a.runner, a.changes)
        res["nothing"] = cli_run(raw, out, env, a.runner, a.changes)
        if a.changes == "folders":
            res["nothing_stat_every_file"] = cli_run(raw, out, env, a.runner)
        res["empty"] = cli_run(work / "empty", work / "empty_out", env, "threads")
    return res


# ------------------------------------------------------------------------------------------------ no-model mode
def enrich_without_model(stage, part, paths, repeated, run_id, name):
    """The enrich step with the model's work left out: articles and removed text staged, nothing else."""
    from newsdesk import enrich

    real = enrich.enrich_texts
    enrich.enrich_texts = lambda arts: enrich.Enriched(mentions={a.article_id: [] for a in arts},
                                                       quotes={a.article_id: [] for a in arts})
    try:
        return enrich.enrich_batch(stage, part, paths, repeated, run_id, name)
    finally:
        enrich.enrich_texts = real


class PoolExecutor:
    """Map steps on a process pool, the other steps here (what the Prefect process-pool runner does)."""

    def __init__(self, workers: int):
        self.pool = cf.ProcessPoolExecutor(workers)
        self.peak: Peak | None = None

    def run(self, step, calls, progress):
        if self.peak is not None:
            self.peak.mark(step.name)
        if not step.map:
            return [step.work(*c) for c in calls]
        return list(self.pool.map(_call, [(step.work, c) for c in calls]))


def _call(job):
    fn, args = job
    return fn(*args)


def nomodel_run(raw: Path, out: Path, workers: int, changes: str = "files") -> dict:
    from dataclasses import replace

    from newsdesk import pipeline

    steps = tuple(replace(s, work=enrich_without_model) if s.name == "enrich" else s for s in pipeline.STEPS)
    ex = PoolExecutor(workers)
    t0 = time.perf_counter()
    with Peak(os.getpid()) as peak:
        ex.peak = peak
        summary = pipeline.run(pipeline.RunConfig(raw=raw, out=out, changes=changes), ex, steps=steps)
    ex.pool.shutdown()
    return {"wall_s": round(time.perf_counter() - t0, 1), "driver_peak_mb": round(peak.own / 2**20),
            "tree_peak_mb": round(peak.tree / 2**20),
            "driver_peak_mb_by_step": {k: round(v / 2**20) for k, v in peak.steps.items()}, "seconds": round(summary.seconds, 1),
            "steps": summary.step_seconds, "files_new": summary.files_new, "articles": summary.articles,
            "files_seen": summary.files_seen, "nothing_new": not summary.committed}


def nomodel_mode(a, work: Path) -> dict:
    raw, out = work / "raw", work / "out"
    generate(raw / "base", a.n, 1, a.folder_files)
    n_new = max(1, round(a.n * a.new_pct / 100))
    shutil.rmtree(raw / "new", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    res: dict = {"mode": "nomodel", "files": a.n, "new_files": n_new, "workers": a.workers, "changes": a.changes,
                 "folder_files": a.folder_files}
    res["full"] = nomodel_run(raw, out, a.workers, a.changes)
    generate(raw / "new", n_new, 2, a.folder_files)
    res["new"] = nomodel_run(raw, out, a.workers, a.changes)
    res["nothing"] = nomodel_run(raw, out, a.workers, a.changes)
    if a.changes == "folders":  # the baseline in the same run: the same nothing-new run, every file stat-ed
        res["nothing_stat_every_file"] = nomodel_run(raw, out, a.workers, "files")
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["cli", "nomodel"], default="cli")
    ap.add_argument("--n", type=int, default=20000, help="files in the full run")
    ap.add_argument("--new-pct", type=float, default=1.0, help="percent of new files in the second run")
    ap.add_argument("--runner", default="auto", help="newsdesk run --runner (cli mode)")
    ap.add_argument("--workers", type=int, default=2, help="process-pool workers (nomodel mode)")
    ap.add_argument("--workdir", type=Path, default=None, help="keeps the corpus for later runs")
    ap.add_argument("--json", type=Path, help="write the figures here too")
    ap.add_argument("--changes", choices=["files", "folders"], default="files",
                    help="how runs find new files (newsdesk run --changes)")
    ap.add_argument("--folder-files", type=int, default=0,
                    help="generate the corpus in sub-folders of this many files (a landing folder by arrival)")
    a = ap.parse_args()
    work = a.workdir or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    (work / "empty").mkdir(exist_ok=True)
    res = cli_mode(a, work) if a.mode == "cli" else nomodel_mode(a, work)
    full = res["full"]["wall_s"]
    for k in ("new", "nothing", "nothing_stat_every_file"):
        if k in res:
            res[k]["vs_full"] = round(res[k]["wall_s"] / full, 4)
    print(json.dumps(res, indent=2))
    if a.json:
        a.json.write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
