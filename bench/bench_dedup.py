"""Benchmark newsdesk.dedup against datatrove's MinHash dedup on a generated corpus (bench/gen_corpus.py).

    .venv/bin/python bench/bench_dedup.py --corpus DIR [--truth FILE] [--threshold 0.8] [--no-datatrove]
    .venv/bin/python bench/bench_dedup.py --corpus DIR --large          # out-of-core path, peak RSS only
    .venv/bin/python bench/bench_dedup.py --large --synthetic 1000000   # same, generated on the fly

Both systems get the same bodies: the bench extracts each file's body the way the generator built it
(paragraph blocks of >= 12 words that are not boilerplate lines; the header and boilerplate go), so true
Jaccard values in the truth file apply. Timings are of the dedup step alone (bodies already in memory for
newsdesk; for datatrove its four stages reading the same bodies from JSONL, run in a subprocess with
.venv-bench's python and the same shingle size, bands x rows and 64-bit hashes).

Quality is measured against the truth's pairs with true Jaccard >= threshold ("positive pairs"):

* recall     positive pairs that end in the same kept article (same cluster)
* precision  dropped files whose kept article has true Jaccard >= threshold with them (an exact copy counts
             as 1.0); pairs outside the truth are computed from the bodies
* F1         of the two; ``pair_precision`` / ``pair_f1`` count every pair of a cluster instead (chained
             clusters pay there)
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIN_PARA_WORDS = 12
_BOILER = re.compile(
    r"^(Read more:|Follow us on|Share this article|Subscribe to our newsletter|Sign up for our|"
    r"Support independent journalism|If you value this reporting|Our work is funded by)"
    r"|^[A-Z][a-z]+ [A-Z][a-z]+ is a (reporter|correspondent|senior editor) at ")
_BLOCKS = re.compile(r"\n[ \t]*\n\s*")


def extract(text: str) -> tuple[bool, str]:
    """(has_title, body) of a generated file."""
    blocks = [b.strip() for b in _BLOCKS.split(text.replace("\r\n", "\n")) if b.strip()]
    paras = [b for b in blocks if len(b.split()) >= MIN_PARA_WORDS and not _BOILER.match(b)]
    has_title = bool(blocks) and len(blocks[0].split()) < MIN_PARA_WORDS
    return has_title, "\n\n".join(paras)


def list_files(corpus: Path) -> list[str]:
    out = []
    for dirpath, _dirs, files in os.walk(corpus):
        for f in files:
            if f.endswith(".txt"):
                out.append(os.path.relpath(os.path.join(dirpath, f), corpus).replace(os.sep, "/"))
    out.sort()
    return out


class PeakRSS:
    """Samples this process's RSS every 5 ms in a thread (the peak of a step, not of the process)."""

    def __enter__(self):
        import psutil

        self._p = psutil.Process()
        self.start = self.peak = self._p.memory_info().rss
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._p.memory_info().rss)
            time.sleep(0.005)

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.peak = max(self.peak, self._p.memory_info().rss)


# ------------------------------------------------------------------------------------------ datatrove


def datatrove_worker(a: argparse.Namespace) -> int:
    """Runs inside .venv-bench: datatrove's 4 MinHash stages, prints JSON timings."""
    import resource

    from datatrove.executor.local import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (MinhashConfig, MinhashDedupBuckets, MinhashDedupCluster,
                                                  MinhashDedupFilter, MinhashDedupSignature)
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter
    from datatrove.utils.hashing import HashConfig

    work = Path(a.work)
    language = "en"  # datatrove's default English word tokenizer: spaCy's rule-based "en" tokenizer
    if a.tokenizer == "whitespace":  # the cheapest possible tokenizer, same idea as newsdesk's
        from datatrove.utils.word_tokenizers import WordTokenizer

        class Whitespace(WordTokenizer):
            def word_tokenize(self, text):
                return text.split()

            def sent_tokenize(self, text):
                return [text]

            def span_tokenize(self, text):
                return [(0, len(text))]

        language = Whitespace("en")
    cfg = MinhashConfig(n_grams=5, num_buckets=a.bands, hashes_per_bucket=a.rows, seed=1,
                        hash_config=HashConfig(precision=64))
    tasks = a.tasks
    times = {}

    def run(name, pipeline, ntasks, workers):
        t = time.perf_counter()
        LocalPipelineExecutor(pipeline=pipeline, tasks=ntasks, workers=workers,
                              logging_dir=str(work / "logs" / name)).run()
        times[name] = time.perf_counter() - t

    reader = lambda: JsonlReader(a.input, glob_pattern="*.jsonl", doc_progress=False)  # noqa: E731
    run("signatures", [reader(), MinhashDedupSignature(output_folder=str(work / "sigs"), config=cfg,
                                                        language=language)],
        tasks, a.workers)
    run("buckets", [MinhashDedupBuckets(input_folder=str(work / "sigs"), output_folder=str(work / "buckets"),
                                        config=cfg)], cfg.num_buckets, a.workers)
    run("cluster", [MinhashDedupCluster(input_folder=str(work / "buckets"), output_folder=str(work / "remove"),
                                        config=cfg, save_cluster_id=True)], 1, 1)
    run("filter", [reader(), MinhashDedupFilter(input_folder=str(work / "remove")),
                   JsonlWriter(str(work / "out"))], tasks, a.workers)
    print(json.dumps({"times": times, "maxrss_children_kb":
                      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                      "maxrss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    return 0


def run_datatrove(paths: list[str], bodies: list[str], work: Path, a: argparse.Namespace) -> dict:
    """Write the bodies as JSONL shards, run datatrove in .venv-bench, read its clusters back."""
    import struct

    inp = work / "input"
    inp.mkdir(parents=True)
    n = len(paths)
    shards = a.dt_tasks
    bounds = [n * i // shards for i in range(shards + 1)]
    for s in range(shards):
        with open(inp / f"{s:05d}.jsonl", "w", encoding="utf-8") as f:
            for i in range(bounds[s], bounds[s + 1]):
                f.write(json.dumps({"id": str(i), "text": bodies[i]}) + "\n")
    cmd = [a.datatrove_python, str(Path(__file__).resolve()), "--datatrove-worker", "--input", str(inp),
           "--work", str(work), "--bands", str(a.dt_bands or a.bands), "--rows", str(a.dt_rows or a.rows), "--tasks", str(shards),
           "--workers", str(a.dt_workers), "--tokenizer", a.dt_tokenizer]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"datatrove failed:\n{proc.stderr[-4000:]}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    # files are sorted by name, so input shard s is datatrove rank s; JsonlReader keeps line order
    # (empty bodies are dropped by the reader: track the real line index)
    cluster_of: dict[int, int] = {}
    removed: set[int] = set()
    for s in range(shards):
        lines = [i for i in range(bounds[s], bounds[s + 1]) if bodies[i]]
        cf = work / "remove" / f"{s:06d}.clusters"
        if cf.exists():
            data = cf.read_bytes()
            for doc, cid in struct.iter_unpack("<II", data):
                cluster_of[lines[doc]] = cid
        rf = work / "remove" / f"{s:06d}.remove"
        if rf.exists():
            for (doc,) in struct.iter_unpack("<I", rf.read_bytes()):
                removed.add(lines[doc])
    members: dict[int, list[int]] = {}
    for i, c in cluster_of.items():
        members.setdefault(c, []).append(i)
    kept_of: dict[int, int] = {}
    for c, ms in members.items():
        keepers = [m for m in ms if m not in removed]
        k = keepers[0] if keepers else min(ms)
        for m in ms:
            if m != k:
                kept_of[m] = k
    return {"wall_s": wall, "stage_s": info["times"], "dedup_s": sum(info["times"].values()),
            "dedup_s_no_filter": sum(v for k, v in info["times"].items() if k != "filter"),
            "maxrss_children_mb": info["maxrss_children_kb"] / 1024, "kept_of": kept_of}


# ------------------------------------------------------------------------------------------ quality


def load_truth(path: Path, index: dict[str, int]) -> dict[tuple[int, int], float]:
    out: dict[tuple[int, int], float] = {}
    with open(path) as f:
        next(f)
        for line in f:
            c = json.loads(line)
            ids = [index.get(p) for p in c["files"]]
            for i, j, jac in c["pairs"]:
                a, b = ids[i], ids[j]
                if a is not None and b is not None:
                    out[(min(a, b), max(a, b))] = jac
    return out


def quality(kept_of: dict[int, int], truth: dict[tuple[int, int], float], bodies: list[str],
            threshold: float) -> dict:
    from newsdesk.dedup import jaccard, shingles

    cache: dict[int, set] = {}

    def true_j(a: int, b: int) -> float:
        key = (min(a, b), max(a, b))
        if key in truth:
            return truth[key]
        for x in key:
            if x not in cache:
                cache[x] = shingles(bodies[x])
        return jaccard(cache[key[0]], cache[key[1]])

    root = lambda i: kept_of.get(i, i)  # noqa: E731
    positives = [p for p, j in truth.items() if j >= threshold]
    found = sum(1 for a, b in positives if root(a) == root(b))
    recall = found / len(positives) if positives else 1.0
    edges_ok = sum(1 for d, k in kept_of.items() if true_j(d, k) >= threshold)
    precision = edges_ok / len(kept_of) if kept_of else 1.0
    clusters: dict[int, list[int]] = {}
    for d, k in kept_of.items():
        clusters.setdefault(k, [k]).append(d)
    pair_total = pair_ok = 0
    for ms in clusters.values():
        ms.sort()
        for x in range(len(ms)):
            for y in range(x + 1, len(ms)):
                pair_total += 1
                pair_ok += true_j(ms[x], ms[y]) >= threshold
    pair_precision = pair_ok / pair_total if pair_total else 1.0
    f1 = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0  # noqa: E731
    return {"positive_pairs": len(positives), "recall": round(recall, 4), "precision": round(precision, 4),
            "f1": round(f1(precision, recall), 4), "pair_precision": round(pair_precision, 4),
            "pair_f1": round(f1(pair_precision, recall), 4), "dropped": len(kept_of),
            "false_drops": len(kept_of) - edges_ok, "missed_pairs": len(positives) - found}


# ------------------------------------------------------------------------------------------ main


def load_docs(corpus: Path):
    from newsdesk.dedup import DedupDoc
    from newsdesk.fingerprint import exact_key, sha256_hex

    paths = list_files(corpus)
    docs = []
    for p in paths:
        raw = (corpus / p).read_bytes()
        has_title, body = extract(raw.decode("utf-8"))
        docs.append(DedupDoc(source_path=p, source_sha256=sha256_hex(raw), article_id=exact_key(body),
                             body=body, has_title=has_title, published_at=None))
    return paths, docs


def bench_large(a: argparse.Namespace) -> int:
    """Out-of-core path: stream files -> signatures/band keys in Parquet -> DuckDB banding; peak RSS."""
    import resource

    from newsdesk import dedup
    from newsdesk.fingerprint import exact_key, sha256_hex

    if a.synthetic:  # generate the corpus on the fly (same generator, no files): the dedup step alone
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import gen_corpus

        from multiprocessing import Pool

        def stories():  # generated in 2 worker processes (their memory is not the dedup step's)
            p_dup = min(1.0, 0.3 / 0.7 / 2.0)
            with Pool(2) as pool:
                for start in range(0, 10 ** 12, 2000):  # bounded rounds: imap buffers results
                    jobs = [(1, cid, p_dup, 2.0) for cid in range(start, start + 2000)]
                    yield from pool.imap(gen_corpus._cluster, jobs, chunksize=256)

        def stream():
            made = 0
            for files, _ in stories():
                for p, text in files:
                    has_title, body = extract(text)
                    raw = text.encode("utf-8")
                    yield dedup.DedupDoc(p, sha256_hex(raw), exact_key(body), body, has_title, None)
                    made += 1
                    if made >= a.synthetic:
                        return
    else:
        corpus = Path(a.corpus)
        paths = list_files(corpus)

        def stream():
            for p in paths:
                raw = (corpus / p).read_bytes()
                has_title, body = extract(raw.decode("utf-8"))
                yield dedup.DedupDoc(p, sha256_hex(raw), exact_key(body), body, has_title, None)

    produce_s = [0.0]  # time spent producing input (reading files / generating), not signing

    def timed(it):
        it = iter(it)
        while True:
            t = time.perf_counter()
            try:
                x = next(it)
            except StopIteration:
                produce_s[0] += time.perf_counter() - t
                return
            produce_s[0] += time.perf_counter() - t
            yield x

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory(dir=a.workdir) as tmp:
        t0 = time.perf_counter()
        n = dedup.write_signatures(timed(stream()), tmp, chunk=a.chunk)
        t1 = time.perf_counter()
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        res = dedup.deduplicate_large(tmp, threshold=a.threshold, memory_limit=a.memory_limit)
        t2 = time.perf_counter()
        rss2 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*.parquet"))
    out = {"docs": n, "source": "synthetic stream" if a.synthetic else str(a.corpus), "read+sign_s": round(t1 - t0, 1),
           "input_s": round(produce_s[0], 1), "sign_s": round(t1 - t0 - produce_s[0], 1),
           "sign_docs_per_s": round(n / (t1 - t0 - produce_s[0])), "banding+cluster_s": round(t2 - t1, 1),
           "dedup_docs_per_s": round(n / (t2 - t0 - produce_s[0])), "peak_rss_mb_before": round(rss0 / 1024),
           "peak_rss_mb_after_sign": round(rss1 / 1024), "peak_rss_mb_after_dedup": round(rss2 / 1024),
           "parquet_mb": round(size / 2 ** 20), "stats": res.stats}
    print(json.dumps(out, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", help="folder of generated .txt files")
    ap.add_argument("--truth", help="truth JSONL (default CORPUS/../truth.jsonl)")
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--no-datatrove", action="store_true")
    ap.add_argument("--datatrove-python", default=str(ROOT / ".venv-bench" / "bin" / "python"))
    ap.add_argument("--dt-tasks", type=int, default=2, help="datatrove input shards / tasks")
    ap.add_argument("--dt-workers", type=int, default=2, help="datatrove parallel workers")
    ap.add_argument("--dt-tokenizer", choices=["spacy", "whitespace"], default="whitespace",
                    help="datatrove word tokenizer: its English default (spaCy, slow) or str.split")
    ap.add_argument("--dt-bands", type=int, default=None, help="datatrove buckets (default: ours, 21)")
    ap.add_argument("--dt-rows", type=int, default=None, help="datatrove hashes per bucket (default: ours, 6)")
    ap.add_argument("--large", action="store_true", help="out-of-core path only (peak RSS)")
    ap.add_argument("--synthetic", type=int, default=0,
                    help="with --large: stream N generated articles instead of reading --corpus")
    ap.add_argument("--chunk", type=int, default=10000)
    ap.add_argument("--memory-limit", default="2GB", help="DuckDB memory limit for --large")
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--json", help="write the results here too")
    # internal: the datatrove subprocess
    ap.add_argument("--datatrove-worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--bands", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--rows", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--tasks", type=int, default=2, help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=2, help=argparse.SUPPRESS)
    ap.add_argument("--tokenizer", default="spacy", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.datatrove_worker:
        return datatrove_worker(a)
    sys.path.insert(0, str(ROOT))
    if a.large:
        return bench_large(a)
    from newsdesk import dedup

    a.bands = a.bands or dedup.BANDS
    a.rows = a.rows or dedup.ROWS
    corpus = Path(a.corpus)
    truth_path = Path(a.truth) if a.truth else corpus.resolve().parent / "truth.jsonl"

    t = time.perf_counter()
    paths, docs = load_docs(corpus)
    load_s = time.perf_counter() - t
    index = {p: i for i, p in enumerate(paths)}
    truth = load_truth(truth_path, index)
    bodies = [d.body for d in docs]
    n = len(docs)
    print(f"{n} files, {len(truth)} truth pairs; read+extract {load_s:.1f}s", file=sys.stderr)

    with PeakRSS() as mem:
        t = time.perf_counter()
        res = dedup.deduplicate(docs, None, threshold=a.threshold)
        ours_s = time.perf_counter() - t
    kept_path = {d.article_id: index[d.source_path] for d in res.kept}
    ours_kept_of = {index[r["source_path"]]: kept_path[r["duplicate_of"]] for r in res.duplicates}
    ours = {"dedup_s": round(ours_s, 2), "files_per_s": round(n / ours_s), "rss_start_mb": mem.start >> 20,
            "rss_peak_mb": mem.peak >> 20, "rss_step_mb": (mem.peak - mem.start) >> 20, "stats": res.stats,
            **quality(ours_kept_of, truth, bodies, a.threshold)}
    out = {"files": n, "threshold": a.threshold, "bands": a.bands, "rows": a.rows, "num_perm": dedup.NUM_PERM,
           "read_extract_s": round(load_s, 1), "newsdesk": ours}
    if not a.no_datatrove:
        with tempfile.TemporaryDirectory(dir=a.workdir) as tmp:
            dt = run_datatrove(paths, bodies, Path(tmp), a)
        kept_of = dt.pop("kept_of")
        dt.update({"files_per_s": round(n / dt["dedup_s"]),
                   "files_per_s_no_filter": round(n / dt["dedup_s_no_filter"]),
                   **quality(kept_of, truth, bodies, a.threshold)})
        dt["wall_s"] = round(dt["wall_s"], 2)
        dt["stage_s"] = {k: round(v, 2) for k, v in dt["stage_s"].items()}
        dt["tokenizer"] = a.dt_tokenizer
        dt["tasks_workers"] = [a.dt_tasks, a.dt_workers]
        dt["bands_rows"] = [a.dt_bands or a.bands, a.dt_rows or a.rows]
        out["datatrove"] = dt
        out["ratios"] = {"throughput_x": round(dt["dedup_s"] / ours_s, 2),
                         "throughput_x_vs_dt_stages_1_3": round(dt["dedup_s_no_filter"] / ours_s, 2),
                         "f1_diff": round(ours["f1"] - dt["f1"], 4)}
    print(json.dumps(out, indent=1))
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
