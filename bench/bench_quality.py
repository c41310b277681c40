"""The document-quality gate (newsdesk.quality) on junk pages and on real news: recall, precision, cost.

    .venv/bin/python bench/bench_quality.py                                   # junk + briefs only
    .venv/bin/python bench/bench_quality.py \\
        --real polnear=POLNEAR/data/train/text --real bbc=BBC_RAW \\
        --elevant ELEVANT_BENCHMARKS --ner-sample 300 --json /tmp/quality.json

Every file goes through the real steps: ``read_text`` (decode), ``prepare_file`` (parse, boilerplate catalog,
langdetect), then ``newsdesk.quality.assess`` on the parsed title/subtitle/paragraphs/language. Reported:

* **junk** (``bench/junk/<kind>/*.txt``, pages written for this bench): the share rejected, per kind, and which
  rule caught each (``prepare:no_body`` when nothing was left after parsing and boilerplate removal - the
  pipeline already rejects those); every junk page kept is listed.
* **briefs** (``bench/briefs/*.txt``, wire briefs of 35-60 words, three not in English): all must be kept.
* **real** (``--real NAME=DIR``, any folder of .txt/.txt.gz articles, read in place and never copied): the share
  kept, and every article the gate would drop with the rule and detail.
* **ELEVANT** (``--elevant DIR`` holding ``*.benchmark.jsonl``): ``reuters-128`` (Reuters wire items, 18-816
  words) counts as real articles; the other benchmarks (tweets, single sentences) are reported separately as
  sentence-level items - they are not articles and a low keep rate there is expected.
* **timing**: the quality step's time against the prepare step's on the same documents (single process,
  steady state: the gate runs once to warm up, then is timed), and against NER - measured on ``--ner-sample``
  English documents with the pipeline's ``ner_spans`` when given, else estimated at 16k words/s.
"""
from __future__ import annotations

import argparse
import re
import hashlib
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsdesk.ingest import Decoded, Reject, normalize_text, read_text  # noqa: E402
from newsdesk.language import detect_language  # noqa: E402
from newsdesk.prepare import Prepared, prepare_file  # noqa: E402
from newsdesk.quality import QualityConfig, assess, load_quality_rules  # noqa: E402

NER_WORDS_PER_S = 16_000  # the pipeline's spaCy NER throughput measured by bench/bench_entities.py
#: prepare_file runs the gate itself; the bench prepares with the gate off, then times and reports it apart
GATE_OFF = QualityConfig(keep_low_quality=True)
#: bench/junk/<dir> -> the coarse kind it belongs to (the kinds a held-out set is reported by)
COARSE = {"breaking_stub": "stub", "char_runs": "filler", "lorem_ipsum": "filler", "comments": "comments",
          "cookie_wall": "cookie", "dumps": "data", "tables": "data", "enable_js": "js", "error": "error",
          "gallery": "media", "live": "media", "podcast": "media", "video": "media", "index": "nav",
          "navigation": "nav", "login_captcha": "login", "newsletter": "newsletter", "paywall": "paywall"}


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name.endswith((".txt", ".txt.gz")))


def _decode_dir(root: Path) -> list[Decoded]:
    out = []
    for p in _files(root):
        got = read_text(root, p.relative_to(root).as_posix())
        if isinstance(got, Decoded):
            out.append(got)
        else:
            print(f"  unreadable {p}: {got.reason}", file=sys.stderr)
    return out


def _decode_elevant(root: Path) -> dict[str, list[Decoded]]:
    groups: dict[str, list[Decoded]] = {"elevant reuters-128 (articles)": [], "elevant sentence-level": []}
    for f in sorted(root.glob("*.benchmark.jsonl")):
        name = f.name.removesuffix(".benchmark.jsonl")
        group = "elevant reuters-128 (articles)" if name == "reuters-128" else "elevant sentence-level"
        with f.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                text = normalize_text(json.loads(line)["text"])
                if not text.strip():
                    continue
                raw = text.encode("utf-8")
                groups[group].append(Decoded(f"{name}/{i}.txt", hashlib.sha256(raw).hexdigest(), len(raw),
                                             text, "utf-8"))
    return groups


class Run:
    """Prepare + assess every document of a set, timing each step."""

    def __init__(self, docs: list[Decoded]):
        self.docs = docs
        self.prepared: list[Prepared | Reject] = []
        t0 = time.perf_counter()
        c0 = time.process_time()
        for d in docs:
            self.prepared.append(prepare_file(d, GATE_OFF))
        self.prepare_cpu = time.process_time() - c0
        self.prepare_s = time.perf_counter() - t0
        kept = [p for p in self.prepared if isinstance(p, Prepared)]
        self.words = sum(len(p.body.split()) for p in kept)
        args = [(p.title, p.paragraphs, p.language, p.language_prob, p.subtitle, p.removed) for p in kept]
        for a in args:  # warm-up: stop-word lists of every language seen, the catalog
            assess(a[0], a[1], a[2], a[3], subtitle=a[4], removed=a[5])
        t0 = time.perf_counter()
        c0 = time.process_time()
        verdicts = [assess(a[0], a[1], a[2], a[3], subtitle=a[4], removed=a[5]) for a in args]
        self.quality_cpu = time.process_time() - c0
        self.quality_s = time.perf_counter() - t0
        it = iter(verdicts)
        # (path, outcome, detail, language): outcome 'kept', a rule name, or 'prepare:<reason>'
        self.results: list[tuple[str, str, str, str]] = []
        for d, p in zip(docs, self.prepared):
            if isinstance(p, Reject):
                self.results.append((d.path, f"prepare:{p.reason}", p.detail, ""))
            else:
                v = next(it)
                self.results.append((d.path, "kept" if v.keep else v.rule or "?", v.detail or "", p.language))

    @property
    def n(self) -> int:
        return len(self.docs)

    @property
    def kept(self) -> int:
        return sum(1 for r in self.results if r[1] == "kept")


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "-"


def report_junk(junk_root: Path, out: dict, only: str | None = None, coarse: bool = False) -> None:
    """Recall per kind. ``only``: pages whose file name starts with this (one junk set, e.g. ``set6_``; several
    prefixes separated by commas);
    ``coarse``: kinds grouped as in :data:`COARSE` (stub, filler, data, media, nav, ...)."""
    by_kind: dict[str, list[Decoded]] = defaultdict(list)
    for d in _decode_dir(junk_root):
        kind, _, name = d.path.partition("/")
        if only and not name.startswith(tuple(only.split(","))):
            continue
        by_kind[COARSE.get(kind, kind) if coarse else kind].append(d)
    print(f"\n## Junk ({junk_root}{', pages ' + only + '*' if only else ''})\n")
    print("| kind | pages | rejected | recall | caught by |")
    print("|---|---:|---:|---:|---|")
    tot = rej = 0
    missed = []
    rows = {}
    for kind in sorted(by_kind):
        run = Run(by_kind[kind])
        r = run.n - run.kept
        tot += run.n
        rej += r
        rules = Counter(x[1] for x in run.results if x[1] != "kept")
        missed += [(kind, x[0], x[3]) for x in run.results if x[1] == "kept"]
        rows[kind] = {"pages": run.n, "rejected": r, "rules": dict(rules)}
        print(f"| {kind} | {run.n} | {r} | {_pct(r, run.n)} | "
              + ", ".join(f"{k} {v}" for k, v in rules.most_common()) + " |")
    print(f"| **all** | **{tot}** | **{rej}** | **{_pct(rej, tot)}** | |")
    if missed:
        print("\nJunk kept (missed):")
        for kind, path, lang in missed:
            print(f"  - {path} ({lang})")
    out["junk"] = {"pages": tot, "rejected": rej, "kinds": rows, "missed": [m[1] for m in missed]}


def report_briefs(briefs_root: Path, out: dict) -> None:
    run = Run(_decode_dir(briefs_root))
    print(f"\n## Short wire briefs ({briefs_root}): {run.kept} of {run.n} kept\n")
    for path, outcome, detail, lang in run.results:
        words = len(next(d for d in run.docs if d.path == path).text.split())
        flag = "kept" if outcome == "kept" else f"LOST {outcome}: {detail}"
        print(f"  - {path}: {words} words, {lang}, {flag}")
    out["briefs"] = {"n": run.n, "kept": run.kept,
                     "lost": [(p, o, d) for p, o, d, _ in run.results if o != "kept"]}


def report_real(name: str, docs: list[Decoded], out: dict, runs: list[Run], sentence_level: bool = False) -> None:
    run = Run(docs)
    runs.append(run)
    prepare_rejects = sum(1 for r in run.results if r[1].startswith("prepare:"))
    dropped = [r for r in run.results if r[1] != "kept" and not r[1].startswith("prepare:")]
    judged = run.n - prepare_rejects
    what = "items" if sentence_level else "articles"
    print(f"\n## {name}: {judged - len(dropped)} of {judged} {what} kept "
          f"({_pct(judged - len(dropped), judged)}); dropped by the gate: {len(dropped)} ({_pct(len(dropped), judged)})"
          + (f"; {prepare_rejects} already rejected by prepare (no body)" if prepare_rejects else "") + "\n")
    rules = Counter(r[1] for r in dropped)
    if rules:
        print("  by rule: " + ", ".join(f"{k} {v}" for k, v in rules.most_common()))
    limit = 15 if sentence_level else None
    for path, rule, detail, lang in dropped[:limit]:
        print(f"  - {path} [{lang}]: {rule}: {detail}")
    if limit and len(dropped) > limit:
        print(f"  ... and {len(dropped) - limit} more")
    out.setdefault("real", {})[name] = {
        "n": run.n, "judged": judged, "dropped": len(dropped), "prepare_rejects": prepare_rejects,
        "rules": dict(rules), "dropped_items": [(p, r, d) for p, r, d, _ in dropped],
        "sentence_level": sentence_level}


_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")


def lead_brief(p: Prepared, lo: int = 35, hi: int = 60) -> tuple[str | None, list[str]] | None:
    """The title and the first sentences of a real article, 35-60 words: a synthetic wire brief of real text."""
    out: list[str] = []
    words = 0
    for para in p.paragraphs:
        sentences = _SENT_END.split(para)
        cur: list[str] = []
        for sent in sentences:
            k = len(sent.split())
            if words + k > hi and words >= lo:
                break
            cur.append(sent)
            words += k
            if words >= lo:
                break
        if cur:
            out.append(" ".join(cur))
        if words >= lo:
            break
    return (p.title, out) if lo <= words <= hi + 40 else None


def report_leads(runs: list[Run], names: list[str], out: dict) -> None:
    """Every real article cut to its title and first 35-60 words must still be kept (the short-brief regime)."""
    print("\n## Real leads as short briefs (title + first 35-60 words of each real article)\n")
    for name, run in zip(names, runs):
        n = lost = 0
        examples = []
        for p in run.prepared:
            if not isinstance(p, Prepared):
                continue
            brief = lead_brief(p)
            if brief is None:
                continue
            n += 1
            v = assess(brief[0], brief[1], p.language, p.language_prob)
            if not v.keep:
                lost += 1
                examples.append((p.source_path, v.reject_detail))
        print(f"  {name}: {n - lost} of {n} kept ({_pct(n - lost, n)})")
        for path, detail in examples[:20]:
            print(f"    - {path}: {detail}")
        out.setdefault("leads", {})[name] = {"n": n, "lost": lost, "examples": examples}


def report_timing(runs: list[Run], ner_sample: int, out: dict) -> None:
    """CPU time of this process (other jobs on a shared machine inflate wall time, not this), wall time too."""
    if not runs:
        return
    n = sum(r.n for r in runs)
    words = sum(r.words for r in runs)
    q, qw = sum(r.quality_cpu for r in runs), sum(r.quality_s for r in runs)
    p, pw = sum(r.prepare_cpu for r in runs), sum(r.prepare_s for r in runs)
    ner_wps = float(NER_WORDS_PER_S)
    ner_note = f"estimated at {NER_WORDS_PER_S:,} words/s"
    if ner_sample:
        from newsdesk.entities import load_nlp, ner_spans
        nlp = load_nlp()
        bodies = [pp.body for r in runs for pp in r.prepared if isinstance(pp, Prepared) and pp.language == "en"]
        step = max(1, len(bodies) // ner_sample)
        sample = bodies[::step][:ner_sample]
        ner_spans(nlp, sample[:5])
        c0 = time.process_time()
        ner_spans(nlp, sample)
        dt = time.process_time() - c0
        ner_wps = sum(len(b.split()) for b in sample) / dt
        ner_note = f"measured {ner_wps:,.0f} words/s (CPU) on {len(sample)} English bodies with ner_spans"
    ner_s = words / ner_wps
    print(f"\n## Timing ({n:,} real documents, {words:,} words, one process, CPU seconds)\n")
    print(f"  quality step: {q:.3f} s CPU ({qw:.3f} s wall) = {1e3 * q / n:.3f} ms/document, "
          f"{words / q / 1e6:.2f} M words/s")
    print(f"  prepare step (parse + boilerplate + langdetect; decoding not counted): {p:.2f} s CPU ({pw:.2f} s wall)"
          f" -> quality = {100 * q / p:.2f}% of prepare")
    print(f"  NER on the same words: {ner_s:.1f} s ({ner_note}) -> quality = {100 * q / ner_s:.2f}% of NER")
    print(f"  quality / (prepare + NER) = {100 * q / (p + ner_s):.2f}% (a run also dedups, finds quotes and writes "
          "tables: the share of a whole run is lower)")
    out["timing"] = {"documents": n, "words": words, "quality_cpu_s": q, "quality_wall_s": qw, "prepare_cpu_s": p,
                     "prepare_wall_s": pw, "ner_s": ner_s, "ner_words_per_s": ner_wps, "share_of_prepare": q / p,
                     "share_of_ner": q / ner_s, "share_of_prepare_plus_ner": q / (p + ner_s)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--junk", type=Path, default=ROOT / "bench" / "junk")
    ap.add_argument("--only", metavar="PREFIX", help="junk pages whose file name starts with PREFIX (one set; "
                    "several: set6_,set7_)")
    ap.add_argument("--coarse", action="store_true", help="junk recall by coarse kind (stub, filler, media...)")
    ap.add_argument("--briefs", type=Path, default=ROOT / "bench" / "briefs")
    ap.add_argument("--real", action="append", default=[], metavar="NAME=DIR", help="folder of real articles")
    ap.add_argument("--elevant", type=Path, help="folder with ELEVANT *.benchmark.jsonl")
    ap.add_argument("--ner-sample", type=int, default=0, help="measure NER on this many English bodies")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)

    detect_language("warm up the language profiles")
    load_quality_rules()
    out: dict = {}
    report_junk(args.junk, out, args.only, args.coarse)
    report_briefs(args.briefs, out)
    runs: list[Run] = []
    names: list[str] = []
    for spec in args.real:
        name, _, path = spec.partition("=")
        report_real(name, _decode_dir(Path(path)), out, runs)
        names.append(name)
    if args.elevant:
        for name, docs in _decode_elevant(args.elevant).items():
            report_real(name, docs, out, runs, sentence_level="sentence" in name)
            names.append(name)
    article_runs = [(n, r) for n, r in zip(names, runs) if "sentence" not in n]
    if article_runs:
        report_leads([r for _, r in article_runs], [n for n, _ in article_runs], out)
    report_timing(runs, args.ner_sample, out)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
