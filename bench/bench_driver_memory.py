"""The driver's memory, step by step: where a run's driving process holds memory (issue 13).

Runs the pipeline (``newsdesk.pipeline.run``, every step, the model included) in this process with a process
pool for the map steps (what the process-pool runner does, without Prefect), samples this process' RSS every
20 ms and prints, per step, the peak RSS while the step ran and the RSS after its results were folded in:

    cd /tmp && /path/to/checkout/.venv/bin/python /path/to/checkout/bench/bench_driver_memory.py RAW OUT [--workers 2]

``RAW``: a folder of articles (e.g. ``bench/gen_corpus.py --out RAW --n 3000``); ``OUT`` is replaced.

``--link-keys N,N,...`` measures the link step alone, in a fresh process per N, on N synthetic distinct entity
keys staged as the enrich tasks stage them (``keys`` parts of 5,000 keys): names of 1–4 capitalised English words
and types in the shares measured on a 3,000-file generated run (64% one word, 18% two, 16% three; PERSON 57%,
ORG 25%, GPE 11%, NORP 6%), four mentions in four articles each, an empty store. It prints the RSS the
resolution adds, i.e. the driver's memory per distinct name of a run:

    .venv/bin/python bench/bench_driver_memory.py --link-keys 9000,45000,185000 WORK
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import PoolExecutor  # noqa: E402

from newsdesk import pipeline  # noqa: E402


class StepPeaks:
    """Peak RSS of this process per step (the step that is building its inputs or running)."""

    def __init__(self) -> None:
        self.proc = psutil.Process()
        self.step = "imports"
        self.peak: dict[str, float] = {}
        self.after: dict[str, float] = {}
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def rss(self) -> float:
        return self.proc.memory_info().rss / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            r = self.rss()
            self.peak[self.step] = max(self.peak.get(self.step, 0.0), r)
            self._stop.wait(0.02)

    def wrap(self, step: pipeline.Step) -> pipeline.Step:
        def inputs(s, _inputs=step.inputs):
            self.step = step.name
            return _inputs(s)

        def absorb(s, results, _absorb=step.absorb):
            _absorb(s, results)
            gc.collect()
            self.after[step.name] = self.rss()

        return replace(step, inputs=inputs, absorb=absorb)

    def stop(self) -> None:
        self._stop.set()


_LENGTHS = {1: 0.645, 2: 0.184, 3: 0.157, 4: 0.014}
_TYPES = {"PERSON": 0.57, "ORG": 0.246, "GPE": 0.113, "NORP": 0.055, "FAC": 0.009, "LOC": 0.007}


def link_keys(n: int, work: Path) -> dict:
    """The link step alone on ``n`` synthetic distinct keys (see the module doc)."""
    import random

    import gen_corpus

    from newsdesk.entities.aliases import load_aliases
    from newsdesk.entities.evidence import _accented, _gazetteer
    from newsdesk.entities.totals import MILLI, KeyStats, key_stats_table
    from newsdesk.link import link_run
    from newsdesk.staging import write_part

    rng = random.Random(7)
    words = sorted({w.capitalize() for w in gen_corpus._english_words() if w.isalpha()})
    keys: dict = {}
    while len(keys) < n:
        typ = rng.choices(list(_TYPES), list(_TYPES.values()))[0]
        name = " ".join(rng.choice(words) for _ in range(rng.choices(list(_LENGTHS), list(_LENGTHS.values()))[0]))
        keys[(name, typ)] = KeyStats(4, 4, {typ: 4 * MILLI}, set())
    shutil.rmtree(work, ignore_errors=True)
    items = sorted(keys.items())
    for i in range(0, n, 5000):
        write_part(key_stats_table(dict(items[i:i + 5000])), work / "keys" / f"{i:08d}.parquet")
    del keys, items
    _gazetteer(), _accented(), load_aliases(None)  # fixed costs, loaded once per process
    gc.collect()
    peaks = StepPeaks()
    base = peaks.rss()
    peaks.step = "link"
    t0 = time.perf_counter()
    links = link_run(work, {}, "bench", 1)
    seconds = time.perf_counter() - t0
    peaks.stop()
    added = peaks.peak["link"] - base
    return {"keys": n, "seconds": round(seconds, 1), "rss_before_mb": round(base), "peak_mb": round(peaks.peak["link"]),
            "added_mb": round(added), "kb_per_key": round(added * 1024 / n, 2), "entities": links.new_entities.num_rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw", type=Path, nargs="?")
    ap.add_argument("out", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--link-keys", type=lambda v: [int(x) for x in v.split(",")], metavar="N,N,...")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one --link-keys size in this process
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(link_keys(a.one, a.out)))
        return
    if a.link_keys:
        import subprocess

        rows = []
        for n in a.link_keys:
            got = subprocess.run([sys.executable, __file__, str(a.out), "--one", str(n)], check=True,
                                 capture_output=True, text=True).stdout
            rows.append(json.loads(got.strip().splitlines()[-1]))
            r = rows[-1]
            print(f"{n:8d} keys: link {r['seconds']:6.1f} s, RSS {r['rss_before_mb']} -> {r['peak_mb']} MB "
                  f"(+{r['added_mb']} MB, {r['kb_per_key']} KB a key)")
        if a.json:
            a.json.write_text(json.dumps(rows, indent=1))
        return
    shutil.rmtree(a.out, ignore_errors=True)
    peaks = StepPeaks()
    steps = tuple(peaks.wrap(s) for s in pipeline.STEPS)
    ex = PoolExecutor(a.workers)
    t0 = time.perf_counter()
    summary = pipeline.run(pipeline.RunConfig(raw=a.raw, out=a.out), ex, steps=steps)
    ex.pool.shutdown()
    peaks.stop()
    res = {"files": summary.files_seen, "articles": summary.articles, "wall_s": round(time.perf_counter() - t0, 1),
           "step_seconds": summary.step_seconds, "peak_mb": {k: round(v) for k, v in peaks.peak.items()},
           "after_mb": {k: round(v) for k, v in peaks.after.items()},
           "run_peak_mb": round(max(peaks.peak.values()))}
    print(f"{res['files']} files, {res['articles']} articles, {res['wall_s']} s; driver RSS peak {res['run_peak_mb']} MB")
    for name in ["imports", *(s.name for s in pipeline.STEPS)]:
        if name in res["peak_mb"]:
            after = res["after_mb"].get(name)
            print(f"  {name:9s} peak {res['peak_mb'][name]:6d} MB" + (f"   after {after:6d} MB" if after else ""))
    if a.json:
        a.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    main()
