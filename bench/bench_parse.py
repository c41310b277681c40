"""What the dependency parse costs: a whole run against bare spaCy on the same texts, 2 processes each.

    .venv/bin/python bench/bench_parse.py --raw RAW_DIR [--workers 2] [--repeat 2] [--json out.json] [--skip-noparse]

Measures, on the same machine one after the other:

1. ``run``          — ``newsdesk run --runner processes --workers N`` into a fresh store (NER on every paragraph,
                      the parse on the paragraphs the quote step asks for, quotes, entities, commit);
2. ``run, NER only`` — the same with ``NEWSDESK_PARSE=0`` (no parse: the pipeline as it was before it);
3. ``bare``          — ``nlp.pipe(bodies, n_process=N)`` with the same components (tok2vec, tagger, parser, ner)
                      on the kept articles' bodies (read back from the store: the same texts);
4. ``bare NER``      — the same with ``ner`` alone.

A run's time is its own work (the ``runs`` table's seconds: from the flow's start to the commit) and, for
reference, the wall time of the command (which adds the temporary Prefect server's start when PREFECT_API_URL
is unset). Throughput is words of the kept bodies per second. The four are interleaved ``--repeat`` times and
each figure is the fastest of its repeats (the machine is shared). Goal: run / bare >= 0.85.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def newsdesk_run(raw: Path, out: Path, workers: int, parse: bool) -> dict:
    env = dict(os.environ, NEWSDESK_PARSE="1" if parse else "0")
    cmd = [str(Path(sys.executable).parent / "newsdesk"), "run", "--raw", str(raw), "--out", str(out),
           "--runner", "processes", "--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"newsdesk run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    import duckdb

    runs = sorted(str(p) for p in (out / "runs").glob("*.parquet"))
    seconds = duckdb.sql(f"SELECT max(seconds) FROM read_parquet({runs!r})").fetchall()[0][0]
    return {"wall_s": wall, "run_s": float(seconds)}


def bodies_of(out: Path) -> list[str]:
    import duckdb

    files = sorted(str(p) for p in (out / "articles").glob("*.parquet"))
    return [r[0] for r in duckdb.sql(f"SELECT body FROM read_parquet({files!r}) WHERE language = 'en' "
                                     "ORDER BY article_id").fetchall()]


def bare(bodies: list[str], workers: int, parse: bool) -> float:
    """Seconds of spaCy's own nlp.pipe over the bodies with n_process workers (model load included)."""
    code = f"""
import sys, json, time, spacy
from newsdesk.entities.ner import MODEL_NAME, PARSE_COMPONENTS
bodies = json.load(open(sys.argv[1]))
keep = {{"ner", *PARSE_COMPONENTS}} if {parse!r} else {{"ner"}}
t0 = time.perf_counter()
nlp = spacy.load(MODEL_NAME)
nlp = spacy.load(MODEL_NAME, exclude=[c for c in nlp.component_names if c not in keep])
for _ in nlp.pipe(bodies, n_process={workers}, batch_size=64):
    pass
print(time.perf_counter() - t0)
"""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(bodies, f)
    try:
        out = subprocess.run([sys.executable, "-c", code, f.name], capture_output=True, text=True, check=True)
    finally:
        os.unlink(f.name)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--raw", type=Path, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--skip-noparse", action="store_true", help="leave out the NER-only run")
    ap.add_argument("--repeat", type=int, default=2, help="interleaved repeats; the fastest of each counts")
    a = ap.parse_args()
    res: dict = {}
    best = lambda runs: min(runs, key=lambda r: r["run_s"])  # noqa: E731
    runs: dict[str, list] = {"run": [], "run_ner_only": []}
    bares: dict[str, list] = {"bare": [], "bare_ner_only": []}
    bodies: list[str] = []
    # the configurations interleaved, --repeat times, each figure the fastest of its repeats: the machine is
    # shared, and a neighbour's job slows one measurement, not all of them
    for i in range(a.repeat):
        with tempfile.TemporaryDirectory(prefix="bench_parse_") as tmp:
            tmp = Path(tmp)
            runs["run"].append(newsdesk_run(a.raw, tmp / "with_parse", a.workers, True))
            bodies = bodies or bodies_of(tmp / "with_parse")
            if not a.skip_noparse:
                runs["run_ner_only"].append(newsdesk_run(a.raw, tmp / "ner_only", a.workers, False))
        bares["bare"].append(bare(bodies, a.workers, True))
        bares["bare_ner_only"].append(bare(bodies, a.workers, False))
        print(f"repeat {i + 1}: run {runs['run'][-1]['run_s']:.1f} s, ner-only run "
              f"{runs['run_ner_only'][-1]['run_s'] if runs['run_ner_only'] else float('nan'):.1f} s, bare "
              f"{bares['bare'][-1]:.1f} s, bare ner {bares['bare_ner_only'][-1]:.1f} s", flush=True)
    res["run"] = best(runs["run"])
    if runs["run_ner_only"]:
        res["run_ner_only"] = best(runs["run_ner_only"])
    words = sum(len(b.split()) for b in bodies)
    res["bare"] = {"s": min(bares["bare"])}
    res["bare_ner_only"] = {"s": min(bares["bare_ner_only"])}
    res["all"] = {"runs": runs, "bares": bares}
    res["articles"], res["words"] = len(bodies), words
    print(f"{len(bodies)} English articles, {words} words, {a.workers} processes")
    rows = [("newsdesk run (NER + parse of quote paragraphs)", res["run"]["run_s"], res["run"]["wall_s"])]
    if "run_ner_only" in res:
        rows.append(("newsdesk run, NER only (NEWSDESK_PARSE=0)", res["run_ner_only"]["run_s"],
                     res["run_ner_only"]["wall_s"]))
    rows += [("bare nlp.pipe, tok2vec+tagger+parser+ner", res["bare"]["s"], None),
             ("bare nlp.pipe, ner only", res["bare_ner_only"]["s"], None)]
    for name, s, wall in rows:
        extra = f"   (command wall {wall:.1f} s)" if wall else ""
        print(f"  {name:<48} {s:7.1f} s  {words / s:8.0f} words/s{extra}")
    r = res["bare"]["s"] / res["run"]["run_s"]
    res["ratio_run_vs_bare"] = r
    print(f"run / bare with the same components: {r:.2f} of bare throughput (goal >= 0.85)")
    if "run_ner_only" in res:
        slow = res["run"]["run_s"] / res["run_ner_only"]["run_s"]
        res["slowdown_vs_ner_only"] = slow
        print(f"run with the parse / NER-only run: {slow:.2f}x the time")
    if a.json:
        a.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
