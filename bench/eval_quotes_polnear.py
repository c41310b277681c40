"""Quotes and speakers on real annotated news: the PolNeAR train split, through the real pipeline.

    .venv/bin/python bench/eval_quotes_polnear.py --gold polnear_train.jsonl --raw RAW_DIR --out OUT_DIR
    .venv/bin/python bench/eval_quotes_polnear.py --gold polnear_train.jsonl --out OUT_DIR --no-run   # score a store
    .venv/bin/python bench/eval_quotes_polnear.py --gold polnear_train.jsonl --direct OUT_DIR [--cache F]

``--gold`` is the PolNeAR train split converted to JSONL (one article a line: ``doc_id``, ``text`` and
``gold_quotes``, each with ``quote``, ``speaker``, ``content_kind``); ``--raw`` a folder with one
``<doc_id>.txt`` per article (written from the JSONL when missing). The corpus' text never goes into the
repository: keep both outside it.

Default: runs ``newsdesk.local.curate_local(raw, out)`` (the pipeline's steps, in process), then reads the
curated ``articles``, ``quotes`` and ``entities`` tables and scores them. ``--direct STORE`` instead takes the
article bodies from an existing store and runs only the enrich step's NER/parse and ``extract_quotes`` on them
(fast iteration; speakers are not linked to entities, so speaker accuracy can only be lower than in a run).

The rules are the corpus' published scoring rules, implemented here:

* texts are normalised (NFKC, lower case, quotes/dashes unified, punctuation dropped, spaces collapsed);
  a quote matches a gold quoted segment when one normalised text lies inside the other and covers at least
  half of it, or their token Jaccard is >= 0.6; matching is one to one, gold segments in order, each taking
  the first unused quote of its article (quotes in body order);
* P / R / F1 over the articles the run kept (duplicates and rejects are not scored);
* speaker accuracy over the matched quotes whose gold speaker is not a pronoun: right when our ``speaker``
  or the name of its ``speaker_entity_id`` shares a content word with the gold speaker span (an empty
  speaker is wrong).

Besides the totals it prints speaker accuracy by ``attribution`` path, the false positives by path, recall
by gold segment kind and length, and the most common error classes (heuristic: a gold speaker is "named"
when it has a capitalised word after its first, "pronoun" when it is one, else "description").
``--examples N`` prints N examples per error class (corpus text: to the terminal only, never commit it).
"""
from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scoring_text import norm  # noqa: E402

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "his", "her", "their", "him", "them", "us", "me",
            "who", "which", "that"}
STOP = {"the", "a", "an", "of", "and", "mr", "mrs", "ms", "dr", "said", "in", "for", "to", "on", "at", "s"}


# --------------------------------------------------------------------------------------------- matching

def toks(s: str | None) -> set[str]:
    return set(norm(s).split())


def match(ours: str | None, gold: str | None) -> bool:
    a, b = norm(ours), norm(gold)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    if short in long_ and len(short) >= 0.5 * len(long_):
        return True
    ta, tb = set(a.split()), set(b.split())
    return len(ta & tb) / len(ta | tb) >= 0.6


def speaker_scored(gold_speaker: str | None) -> bool:
    gs = toks(gold_speaker or "") - STOP
    return bool(gs) and not gs <= PRONOUNS


def speaker_right(gold_speaker: str | None, speaker: str | None, entity_name: str | None) -> bool:
    gs = toks(gold_speaker or "") - STOP
    ours = toks(speaker or "") | toks(entity_name or "")
    return bool((ours - STOP) & gs)


def gold_speaker_class(s: str | None) -> str:
    if not s:
        return "no gold speaker"
    if not speaker_scored(s):
        return "pronoun"
    words = re.findall(r"[^\W_][\w’'.\-]*", s)
    if any(w[:1].isupper() for w in words[1:]) or (words and words[0][:1].isupper() and
                                                    words[0].lower() not in ("the", "a", "an", "one")):
        return "named"
    return "description"


def length_bucket(text: str) -> str:
    n = len(norm(text).split())
    return "0" if n == 0 else "1-3" if n <= 3 else "4-9" if n <= 9 else "10+"


# ---------------------------------------------------------------------------------------------- scoring

def score(gold_docs: dict[str, dict], pred: dict[str, list[dict]], entities: dict[str, str],
          kept: set[str]) -> dict:
    """Counts, breakdowns and error records of one scoring pass (see the module doc for the rules)."""
    tp = fp = fn = 0
    sp_ok = sp_n = 0
    by_path = defaultdict(Counter)          # attribution -> matched / scored / right / fp
    recall = defaultdict(Counter)           # (kind, length) -> gold / found
    errors = defaultdict(list)              # class -> [(doc, gold, ours)]
    for doc, d in gold_docs.items():
        if doc not in kept:
            continue
        ps = sorted(pred.get(doc, []), key=lambda q: (q["start"], q["end"]))
        used: set[int] = set()
        for g in d["gold_quotes"]:
            key = (g.get("content_kind") or "?", length_bucket(g["quote"]))
            recall[key]["gold"] += 1
            hit = next((i for i, p in enumerate(ps) if i not in used and match(p["text"], g["quote"])), None)
            if hit is None:
                fn += 1
                errors["missed quote: " + ("lone quote mark" if not norm(g["quote"]) else
                                           f"{key[0]} {key[1]} words")].append((doc, g, None))
                continue
            used.add(hit)
            tp += 1
            recall[key]["found"] += 1
            p = ps[hit]
            path = p.get("attribution") or "none"
            by_path[path]["matched"] += 1
            if not speaker_scored(g.get("speaker")):
                continue
            sp_n += 1
            by_path[path]["scored"] += 1
            if speaker_right(g.get("speaker"), p.get("speaker"), entities.get(p.get("speaker_entity_id"))):
                sp_ok += 1
                by_path[path]["right"] += 1
            else:
                gcls = gold_speaker_class(g.get("speaker"))
                what = "no speaker" if not p.get("speaker") else f"wrong speaker ({path})"
                errors[f"{what}; gold {gcls}"].append((doc, g, p))
        for i, p in enumerate(ps):
            if i not in used:
                fp += 1
                path = p.get("attribution") or "none"
                by_path[path]["fp"] += 1
                errors[f"false quote: {p.get('kind')}, {path}"].append((doc, None, p))
    P = tp / max(tp + fp, 1)
    R = tp / max(tp + fn, 1)
    # the corpus annotates only quoted segments: transcript turns (no quote marks) can only be false quotes
    fp_turns = by_path.get("transcript", Counter()).get("fp", 0)
    P2 = tp / max(tp + fp - fp_turns, 1)
    return {"F1_without_turns": 2 * P2 * R / max(P2 + R, 1e-9), "fp_turns": fp_turns,"tp": tp, "fp": fp, "fn": fn, "P": P, "R": R, "F1": 2 * P * R / max(P + R, 1e-9),
            "speaker_right": sp_ok, "speaker_scored": sp_n, "speaker_acc": sp_ok / max(sp_n, 1),
            "by_path": {k: dict(v) for k, v in by_path.items()},
            "recall": {f"{k[0]} {k[1]}": dict(v) for k, v in sorted(recall.items())},
            "errors": errors}


def report(res: dict, examples: int = 0, texts: dict[str, str] | None = None) -> None:
    print(f"quotes: P {res['P']:.3f} R {res['R']:.3f} F1 {res['F1']:.3f} "
          f"(tp {res['tp']} fp {res['fp']} fn {res['fn']}); named-speaker accuracy {res['speaker_acc']:.3f} "
          f"({res['speaker_right']}/{res['speaker_scored']})")
    if res["fp_turns"]:
        print(f"  ({res['fp_turns']} false quotes are transcript turns, which the corpus never annotates: "
              f"F1 without them {res['F1_without_turns']:.3f})")
    print("\nby attribution path       matched  scored  right   acc    false quotes")
    for path, c in sorted(res["by_path"].items(), key=lambda kv: -kv[1].get("matched", 0)):
        acc = c.get("right", 0) / c["scored"] if c.get("scored") else float("nan")
        print(f"  {path:<22} {c.get('matched', 0):>7} {c.get('scored', 0):>7} {c.get('right', 0):>6} "
              f"{acc:>6.3f} {c.get('fp', 0):>8}")
    print("\nrecall by gold segment (content kind, words)")
    for k, c in res["recall"].items():
        print(f"  {k:<22} {c.get('found', 0):>5}/{c['gold']:<5} {c.get('found', 0) / c['gold']:.3f}")
    print("\nmost common error classes")
    classes = sorted(res["errors"].items(), key=lambda kv: -len(kv[1]))
    for cls, items in classes[:16]:
        print(f"  {len(items):>5}  {cls}")
        for doc, g, p in items[:examples]:
            gs = f"gold [{g.get('speaker')}] {g['quote'][:90]!r}" if g else ""
            ps = f"ours [{p.get('speaker')}|{p.get('cue')}|{p.get('attribution')}] {p['text'][:90]!r}" if p else ""
            ctx = ""
            if texts is not None and p is not None and doc in texts:
                body = texts[doc]
                ctx = " ctx: " + body[max(0, p["start"] - 120):p["end"] + 80].replace("\n", " / ")
            print(f"         {doc[:40]}: {gs} {ps}{ctx}")


# ------------------------------------------------------------------------------------------------ input

def load_gold(path: Path) -> dict[str, dict]:
    with open(path, encoding="utf-8") as f:
        return {d["doc_id"]: d for d in map(json.loads, f)}


def write_raw(gold: dict[str, dict], raw: Path) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for doc, d in gold.items():
        p = raw / f"{doc}.txt"
        if not p.exists():
            p.write_text(d["text"], encoding="utf-8")


def read_table(out: Path, table: str, columns: str = "*") -> list[dict]:
    import duckdb

    files = sorted(str(p) for p in (out / table).glob("*.parquet"))
    if not files:
        return []
    rel = duckdb.sql(f"SELECT {columns} FROM read_parquet({files!r}, union_by_name=true)")
    cols = rel.columns
    return [dict(zip(cols, r)) for r in rel.fetchall()]


def doc_of(source_path: str) -> str:
    return Path(source_path).name[:-4]


def read_store(out: Path):
    arts = read_table(out, "articles", "article_id, source_path, body, language")
    by_aid = {a["article_id"]: a for a in arts}
    pred: dict[str, list[dict]] = defaultdict(list)
    for q in read_table(out, "quotes"):
        a = by_aid.get(q["article_id"])
        if a is not None:
            pred[doc_of(a["source_path"])].append(q)
    entities = {e["entity_id"]: e["name"] for e in read_table(out, "entities", "entity_id, name")}
    return arts, pred, entities


def direct(arts: list[dict], cache: Path | None, batch: int = 64, parse_all: bool = False) -> dict[str, list[dict]]:
    """NER and the parse (of every paragraph, cached), then ``extract_quotes`` over the stored bodies with
    the parse of the paragraphs ``wants_parse`` accepts (all with ``parse_all``), in this process."""
    from newsdesk.enrich import NER_LANGUAGES, nlp
    from newsdesk.entities.ner import analyse
    from newsdesk.quotes import extract_quotes, wants_parse

    analysed = {}
    if cache is not None and cache.exists():
        with open(cache, "rb") as f:
            analysed = pickle.load(f)
    todo = [a for a in arts if a["language"] in NER_LANGUAGES and a["article_id"] not in analysed]
    t0 = time.perf_counter()
    for k in range(0, len(todo), batch):
        chunk = todo[k:k + batch]
        for a, an in zip(chunk, analyse(nlp(), [x["body"] for x in chunk], lambda _t: True)):
            analysed[a["article_id"]] = an
    if todo:
        print(f"analysed {len(todo)} articles in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        if cache is not None:
            with open(cache, "wb") as f:
                pickle.dump(analysed, f)
    t0 = time.perf_counter()
    pred: dict[str, list[dict]] = defaultdict(list)
    for a in arts:
        ents, parse = analysed.get(a["article_id"], ([], []))
        if not parse_all:
            parse = select_parse(a["body"], parse, wants_parse)
        rows = extract_quotes(a["body"], a["language"], ents, parse)
        for r in rows:
            r["article_id"] = a["article_id"]
        pred[doc_of(a["source_path"])] = rows
    print(f"extract_quotes over {len(arts)} articles: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return pred


def select_parse(body: str, parse: list, wanted) -> list:
    """The tokens of a full parse that lie in the paragraphs ``wanted`` accepts, heads re-indexed."""
    from newsdesk.entities.ner import paragraph_chunks

    keep = []
    chunks = [(o, o + len(t)) for o, t in paragraph_chunks(body) if wanted(t)]
    ci = 0
    for i, t in enumerate(parse):
        while ci < len(chunks) and chunks[ci][1] <= t.start:
            ci += 1
        if ci < len(chunks) and chunks[ci][0] <= t.start:
            keep.append(i)
    new = {old: k for k, old in enumerate(keep)}
    return [parse[i]._replace(head=new.get(parse[i].head, k)) for k, i in enumerate(keep)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, required=True, help="PolNeAR train split as JSONL")
    ap.add_argument("--raw", type=Path, help="folder of <doc_id>.txt (written from --gold when missing)")
    ap.add_argument("--out", type=Path, help="store to write (or to score with --no-run)")
    ap.add_argument("--no-run", action="store_true", help="score an existing store")
    ap.add_argument("--direct", type=Path, metavar="STORE", help="extract from STORE's article bodies")
    ap.add_argument("--cache", type=Path, help="with --direct: pickle of the NER/parse results")
    ap.add_argument("--parse-all", action="store_true", help="with --direct: use the parse of every paragraph")
    ap.add_argument("--examples", type=int, default=0)
    ap.add_argument("--json", type=Path, help="write the numbers here")
    a = ap.parse_args()
    gold = load_gold(a.gold)
    seconds = None
    if a.direct:
        arts, _pred, entities = read_store(a.direct)
        entities = {}
        pred = direct(arts, a.cache, parse_all=a.parse_all)
    else:
        if a.out is None:
            ap.error("--out is required")
        if not a.no_run:
            from newsdesk.local import curate_local
            if a.out.exists() and any(a.out.iterdir()):
                ap.error(f"{a.out} is not empty: a run into it would add nothing (give a new folder, or --no-run)")

            raw = a.raw or a.out.parent / (a.out.name + "_raw")
            write_raw(gold, raw)
            t0 = time.perf_counter()
            summary = curate_local(raw, a.out)
            seconds = time.perf_counter() - t0
            print(f"curate_local: {summary.articles} articles, {summary.quotes} quotes, {seconds:.1f} s "
                  f"(steps: {', '.join(f'{k} {v:.1f}' for k, v in summary.step_seconds.items())})")
        arts, pred, entities = read_store(a.out)
    kept = {doc_of(x["source_path"]) for x in arts}
    res = score(gold, pred, entities, kept)
    print(f"{len(kept)}/{len(gold)} articles scored")
    texts = {doc_of(x["source_path"]): x["body"] for x in arts} if a.examples else None
    report(res, a.examples, texts)
    if a.json:
        out = {k: v for k, v in res.items() if k != "errors"}
        out["error_classes"] = {k: len(v) for k, v in res["errors"].items()}
        out["seconds"] = seconds
        a.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
