"""The driver's memory, step by step: where a run's driving process holds memory (issue 13).

Runs the pipeline (``newsdesk.pipeline.run``, every step, the model included) in this process with a process
pool for the map steps (what the process-pool runner does, without Prefect), samples this process' RSS every
20 ms and prints, per step, the peak RSS while the step ran and the RSS after its results were folded in:

    cd /tmp && /path/to/checkout/.venv/bin/python /path/to/checkout/bench/bench_driver_memory.py RAW OUT [--workers 2]

``RAW``: a folder of articles (e.g. ``bench/gen_corpus.py --out RAW --n 3000``); ``OUT`` is replaced.
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
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
