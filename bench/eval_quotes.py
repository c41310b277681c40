"""Evaluate newsdesk.quotes on the dev set (tests/fixtures/quotes_dev) and the five seeds.

    .venv/bin/python bench/eval_quotes.py [--verbose] [--throughput] [--parser-cost]

Prints quote precision / recall / F1 (exact text match after stripping surrounding punctuation)
and speaker accuracy (over matched gold quotes with a named speaker; case/hyphen-insensitive).
Seeds: 'quotes' are required, 'optional_quotes' neither count as hits nor as false positives
(but a found optional quote with the wrong speaker counts as a speaker error).
The loading, NER and matching helpers are newsdesk.quotes.evaluate (shared with tests/quotes/).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsdesk.quotes import extract_quotes  # noqa: E402
from newsdesk.quotes.evaluate import analysed, load_dev, load_seeds, ner_ents, nlp, score_article  # noqa: E402

DEV_DIR = ROOT / "tests" / "fixtures" / "quotes_dev"
SEED_DIR = ROOT / "tests" / "fixtures" / "seeds"
SEED_GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.json"


def report(name, items, verbose):
    tot = dict(tp=0, fp=0, fn=0, spk_ok=0, spk_n=0, spk_wrong_opt=0, kind_ok=0, kind_n=0)
    for fname, body, lang, required, optional in items:
        rows = extract_quotes(body, lang, *analysed(body, lang))
        for r in rows:
            assert body[r["start"]:r["end"]] == r["text"]
        c, errs = score_article(rows, required, optional)
        for k in tot:
            tot[k] += c[k]
        if verbose and errs:
            print(f"{fname}:")
            print("\n".join(errs))
    p = tot["tp"] / max(1, tot["tp"] + tot["fp"])
    r = tot["tp"] / max(1, tot["tp"] + tot["fn"])
    f = 2 * p * r / max(1e-9, p + r)
    sa = tot["spk_ok"] / max(1, tot["spk_n"])
    print(f"{name}: {len(items)} articles  P={p:.3f} R={r:.3f} F1={f:.3f}  "
          f"speaker acc={sa:.3f} ({tot['spk_ok']}/{tot['spk_n']})  "
          f"tp={tot['tp']} fp={tot['fp']} fn={tot['fn']} wrong-speaker-on-optional={tot['spk_wrong_opt']}"
          + (f"  kind acc={tot['kind_ok'] / tot['kind_n']:.3f}" if tot["kind_n"] else ""))
    return p, r, f, sa


def dev_items():
    return [(f, body, ann.get("language", "en"), ann["quotes"], ann.get("optional_quotes", []))
            for f, body, ann in load_dev(DEV_DIR)]


def seed_items():
    return [(f, body, art["language"], art["quotes"], art["optional_quotes"])
            for f, body, art in load_seeds(SEED_DIR, SEED_GOLD)]


def throughput(items, parser_cost=False, repeat=5):
    bodies = [(b, lang, ner_ents(b, lang)) for _f, b, lang, _r, _o in items]
    words = sum(len(b.split()) for b, _l, _e in bodies)
    t0 = time.perf_counter()
    for _ in range(repeat):
        for b, lang, ents in bodies:
            extract_quotes(b, lang, ents)
    dt = (time.perf_counter() - t0) / repeat
    print(f"extract_quotes (rules, no parser): {len(bodies) / dt:.0f} articles/s, "
          f"{words / dt:.0f} words/s over {len(bodies)} articles")
    model = nlp()
    t0 = time.perf_counter()
    for b, lang, _e in bodies:
        if lang == "en":
            list(model.pipe([p for p in b.split("\n") if p.strip()], disable=["parser", "lemmatizer"]))
    dt_ner = time.perf_counter() - t0
    print(f"NER step for reference (en only): {len(bodies) / dt_ner:.1f} articles/s")
    if parser_cost:
        # what running the parser on sentences with quote marks only would add
        sents = []
        for b, lang, _e in bodies:
            if lang != "en":
                continue
            for p in b.split("\n"):
                for s in re.split(r"(?<=[.!?”\"])\s+(?=[“\"A-Z])", p):
                    if any(c in s for c in "“”\""):
                        sents.append(s)
        t0 = time.perf_counter()
        list(model.pipe(sents, disable=["ner", "lemmatizer"]))
        dt_p = time.perf_counter() - t0
        qwords = sum(len(s.split()) for s in sents)
        n = len(bodies)
        print(f"parser on quote sentences only: {qwords} of {words} words, {dt_p:.2f}s; "
              f"NER+rules {n / (dt_ner + dt):.1f} articles/s vs NER+rules+parser "
              f"{n / (dt_ner + dt + dt_p):.1f} articles/s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--throughput", action="store_true")
    ap.add_argument("--parser-cost", action="store_true")
    a = ap.parse_args()
    dev = dev_items()
    seeds = seed_items()
    if dev:
        report("dev", dev, a.verbose)
    report("seeds", seeds, a.verbose)
    if a.throughput:
        throughput(dev + seeds, parser_cost=a.parser_cost)


if __name__ == "__main__":
    main()
