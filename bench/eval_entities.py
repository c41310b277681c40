"""Entity accuracy on real linked news (ELEVANT benchmarks), and a junk report for unlabelled corpora.

    # the real pipeline (newsdesk.local.curate_local) on a raw folder, then the scores
    .venv/bin/python bench/eval_entities.py run RAW OUT --gold G1.benchmark.jsonl G2... [--per-set] [--failures F]
    # score an existing curated store
    .venv/bin/python bench/eval_entities.py score OUT --gold G1.benchmark.jsonl ... [--per-set] [--failures F]
    # development loop: NER once (spans cached), then only the entity steps, scored in memory
    .venv/bin/python bench/eval_entities.py fast OUT --cache SPANS.pkl [--gold ...] [--report TYPES] [--timing]
    # top entities by type with junk flags (BBC, PolNeAR: no gold)
    .venv/bin/python bench/eval_entities.py report OUT [--types PERSON,ORG,GPE] [--top 40]
    # a raw folder of the benchmark texts (one <set>-<id>.txt per document)
    .venv/bin/python bench/eval_entities.py prepare RAW G1.benchmark.jsonl ...

Gold: ELEVANT benchmark files (``<set>.benchmark.jsonl``: ``id``, ``text``, ``labels`` with ``span``,
``entity_id`` (a Wikidata id), ``name``, ``type``). Scoring rules (the project's accuracy contract):

* gold units: labelled, linked (not NIL, not ``<...>``), capitalised, non-pronoun mentions whose type is a
  person (Q215627), an organisation (Q43229) or a place (Q27096213);
* a gold mention is *found* when its article has an entity mention (not of a NORP entity, which the gold links
  to its country) whose normalized surface equals the gold surface or shares at least half its tokens with it
  (token Jaccard >= 0.5); it then takes the entity id most of those hits have;
* mention recall = found / gold units;
* B-cubed precision / recall / F1 of our entity ids against the Wikidata ids over (article, Wikidata id) units;
* entities in 2+ articles that got one id;
* type agreement: PERSON = person, ORG = organisation, GPE/LOC/FAC = place;
* clean canonical names: the name of the id a gold entity mostly gets uses only words of the gold name (plus
  "the").

``report`` flags each top entity: **J** junk in the name (a dash clause, " v ", a comma, digits, quote marks, a
lower-case word that is no name particle, a role/title word or demonym in front), **T** a type the evidence
contradicts (a gazetteer place or an organisation suffix typed PERSON, a person-like name typed GPE),
**S** a split (a one-word PERSON that ends the name of another PERSON entity of the corpus).
"""
from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import pickle
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scoring_text import norm  # noqa: E402

PRON = {"he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "him", "them", "us", "me"}
GOLD_TYPE = {"Q215627": "PERSON", "Q43229": "ORG", "Q27096213": "PLACE"}
OURS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


# --------------------------------------------------------------------------------------------- reading

def jaccard(a: str, b: str) -> float:
    ta, tb = set(a.split()), set(b.split())
    return len(ta & tb) / len(ta | tb)


def load_gold(paths):
    for p in paths:
        name = Path(p).name.split(".")[0]
        with open(p, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                yield name, f"{name}-{d['id']}", d


def table_rows(out: Path | str, table: str) -> list[dict]:
    import duckdb
    out = str(out)
    pats = [f"{out}/{table}/*.parquet", f"{out}/{table}/**/*.parquet"]
    files = sorted({f for p in pats for f in glob.glob(p, recursive=True) if "/." not in f[len(out):]})
    if not files:
        return []
    rel = duckdb.read_parquet(files, union_by_name=True)
    cols = rel.columns
    return [dict(zip(cols, r)) for r in rel.fetchall()]


def load_store(out) -> tuple[dict, dict, list]:
    """(article_id -> document name, entity_id -> entity row, mention rows) of a curated store: the current
    entities and the mentions' current ids as the catalog views give them (stores with entity_redirects), else
    the tables."""
    arts = table_rows(out, "articles")
    aid_doc = {a["article_id"]: os.path.basename(a["source_path"] or "")[:-4] for a in arts}
    if (Path(out) / "entity_redirects").exists():
        from newsdesk.store import connect
        con = connect(out)

        def rows(sql):
            t = con.sql(sql).to_arrow_table()
            return t.to_pylist()
        return aid_doc, {e["entity_id"]: e for e in rows("SELECT * FROM entities")}, rows("SELECT * FROM entity_mentions")
    ents = {e["entity_id"]: e for e in table_rows(out, "entities")}
    return aid_doc, ents, table_rows(out, "entity_mentions")


# --------------------------------------------------------------------------------------------- scoring

def score(aid_doc: dict, ents: dict, mention_rows: list, gold_paths, failures: list | None = None) -> dict:
    """The scores of one store against the gold files (module docstring), plus per-item details."""
    men = collections.defaultdict(list)
    for m in mention_rows:
        doc = aid_doc.get(m["article_id"])
        if doc and (ents.get(m["entity_id"]) or {}).get("type") != "NORP":
            men[doc].append((norm(m["surface"]), m["entity_id"], m["surface"]))
    docs = set(aid_doc.values())
    n_gold = n_found = 0
    units: dict = {}
    gname: dict = {}
    types = collections.Counter()
    for _set, doc, d in load_gold(gold_paths):
        if doc not in docs:
            continue
        for lab in d["labels"]:
            qid = lab.get("entity_id")
            s, e = lab["span"]
            surf = d["text"][s:e]
            g = {GOLD_TYPE.get(t) for t in (lab.get("type") or "").split("|")} - {None}
            if not qid or qid.startswith("<") or not surf[:1].isupper() or surf.lower() in PRON or not g:
                continue
            n_gold += 1
            gname[qid] = lab.get("name") or ""
            ns = norm(surf)
            hits = [eid for ms, eid, _ in men.get(doc, []) if ms and (ms == ns or jaccard(ms, ns) >= 0.5)]
            if not hits:
                if failures is not None:
                    failures.append(("missed", doc, surf, "", ""))
                continue
            n_found += 1
            eid = collections.Counter(hits).most_common(1)[0][0]
            units.setdefault((doc, qid), collections.Counter())[eid] += 1
            types["n"] += 1
            ok = OURS.get((ents.get(eid) or {}).get("type")) in g
            types["ok"] += ok
            if failures is not None and not ok:
                failures.append(("type", doc, surf, (ents.get(eid) or {}).get("type"), "|".join(sorted(g))))
    pred = {u: c.most_common(1)[0][0] for u, c in units.items()}
    by_pred = collections.Counter(pred.values())
    by_gold = collections.Counter(q for _, q in pred)
    both = collections.Counter((q, p) for (_, q), p in pred.items())
    P = sum(both[(q, p)] / by_pred[p] for (_, q), p in pred.items()) / max(len(pred), 1)
    R = sum(both[(q, p)] / by_gold[q] for (_, q), p in pred.items()) / max(len(pred), 1)
    F = 2 * P * R / max(P + R, 1e-9)
    multi = [q for q, n in by_gold.items() if n > 1]
    ids_of = collections.defaultdict(set)
    for (_, q), p in pred.items():
        ids_of[q].add(p)
    one_id = sum(1 for q in multi if len(ids_of[q]) == 1)
    best: dict = {}
    for (_, q), p in pred.items():
        best.setdefault(q, collections.Counter())[p] += 1
    clean = 0
    for q, c in best.items():
        name = (ents.get(c.most_common(1)[0][0]) or {}).get("name")
        ok = set(norm(name).split()) <= set(norm(gname[q]).split()) | {"the"}
        clean += ok
        if failures is not None and not ok:
            failures.append(("name", "", name, gname[q], q))
    if failures is not None:
        for q in multi:
            if len(ids_of[q]) > 1:
                failures.append(("split", "", gname[q], " / ".join(sorted((ents.get(p) or {}).get("name") or p
                                                                          for p in ids_of[q])), q))
        golds_of = collections.defaultdict(set)
        for (_, q), p in pred.items():
            golds_of[p].add(q)
        for p, qs in golds_of.items():
            if len(qs) > 1:
                failures.append(("merge", "", (ents.get(p) or {}).get("name"), " / ".join(sorted(gname[q] for q in qs)),
                                 p))
    return {"docs": len({d for d, _ in units}), "recall": n_found / max(n_gold, 1), "found": n_found,
            "gold": n_gold, "b3_p": P, "b3_r": R, "b3_f1": F, "one_id": one_id, "multi": len(multi),
            "type": types["ok"] / max(types["n"], 1), "clean": clean, "named": len(best)}


def fmt(r: dict) -> str:
    return (f"over {r['docs']} docs: mention recall {r['recall']:.3f} ({r['found']}/{r['gold']}); "
            f"B3 P {r['b3_p']:.3f} R {r['b3_r']:.3f} F1 {r['b3_f1']:.3f}; one id {r['one_id']}/{r['multi']}; "
            f"type {r['type']:.3f}; clean names {r['clean']}/{r['named']}")


def score_all(aid_doc, ents, mention_rows, gold_paths, per_set: bool, failures_path: Path | None) -> dict:
    failures: list | None = [] if failures_path else None
    overall = score(aid_doc, ents, mention_rows, gold_paths, failures)
    if per_set and len(gold_paths) > 1:
        for p in gold_paths:
            print(f"{Path(p).name.split('.')[0]:>16}: {fmt(score(aid_doc, ents, mention_rows, [p]))}")
    print(f"{'all':>16}: {fmt(overall)}")
    if failures_path:
        with open(failures_path, "w", encoding="utf-8") as f:
            for row in sorted(failures, key=lambda r: tuple(str(x) for x in r)):
                f.write("\t".join(str(x) for x in row) + "\n")
    return overall


# ------------------------------------------------------------------------------------------ junk report

_DASH = re.compile(r"\s[-\u2013\u2014]\s?|\s?[-\u2013\u2014]\s")
_LOWER_OK = {"of", "the", "and", "de", "la", "le", "von", "van", "der", "den", "du", "da", "di", "del", "al", "bin",
             "el", "y", "for", "in", "on", "at", "&"}


def junk_flags(e: dict, person_last: dict) -> str:
    from newsdesk.entities.aliases import load_aliases
    from newsdesk.entities.evidence import org_suffix, place_kind, role_prefix
    from newsdesk.names import norm_name
    name, typ = e["name"], e["type"]
    flags = []
    words = name.split()
    alias = load_aliases().get(norm_name(name))
    if (_DASH.search(name) or re.match(r"(?:ex|pro|anti)-", name) or " v " in name or " vs " in name or "," in name or any(c.isdigit() for c in name)
            or any(c in name for c in "\"“”'‘’") and not re.search(r"\w['’]\w", name)
            or any(w[:1].islower() and w.lower() not in _LOWER_OK and "-" not in w for w in words)
            or (typ == "PERSON" and len(words) >= 2 and role_prefix(words[0]))):
        flags.append("J")
    if typ == "PERSON" and (place_kind(name) or org_suffix(name) or (alias and alias.type not in (None, "PERSON"))):
        flags.append("T")
    if typ in ("GPE", "LOC") and len(words) == 1 and words[0].lower() in person_last and not place_kind(name):
        flags.append("T")
    if typ == "PERSON" and len(words) == 1 and len(person_last.get(words[0].lower(), ())) >= 1:
        flags.append("S")
    return "".join(flags)


def report(ents: dict, types: list[str], top: int) -> dict:
    person_last = collections.defaultdict(set)
    for e in ents.values():
        w = e["name"].split()
        if e["type"] == "PERSON" and len(w) >= 2:
            person_last[w[-1].lower()].add(e["name"])
    totals = {}
    for typ in types:
        rows = sorted((e for e in ents.values() if e["type"] == typ),
                      key=lambda e: (-e["article_count"], -e["mention_count"], e["name"]))[:top]
        flagged = 0
        print(f"\ntop {top} {typ} by article_count (flags: J junk name, T wrong type, S split)")
        for i, e in enumerate(rows, 1):
            f = junk_flags(e, person_last)
            flagged += bool(f)
            al = ", ".join(a for a in (e.get("aliases") or [])[:6] if a != e["name"])
            print(f"{i:3} {f:3} {e['name']} ({e['article_count']} arts) [{al}]")
        print(f"{typ}: {flagged} of {len(rows)} flagged")
        totals[typ] = flagged
    return totals


# -------------------------------------------------------------------------------------- fast dev loop

def fast(out: Path, cache: Path, gold, per_set: bool, failures: Path | None, report_types, top: int,
         timing: bool, ner_sample: int = 0) -> None:
    """NER once over the kept English articles of a curated store (spans cached in ``cache``), then the entity
    steps exactly as the pipeline runs them (``resolve_article`` per article, one ``resolve_corpus``)."""
    from newsdesk.entities import load_nlp, ner_spans, resolve_article, resolve_corpus
    every = table_rows(out, "articles")
    aid_doc = {a["article_id"]: os.path.basename(a["source_path"] or "")[:-4] for a in every}
    arts = sorted((a for a in every if a["language"] == "en"), key=lambda a: a["article_id"])
    t_ner = None
    if cache.exists():
        with open(cache, "rb") as f:
            spans, t_ner = pickle.load(f)
    else:
        nlp = load_nlp()
        t0 = time.perf_counter()
        spans = ner_spans(nlp, [a["body"] for a in arts])
        t_ner = time.perf_counter() - t0
        with open(cache, "wb") as f:
            pickle.dump((spans, t_ner), f)
    t0 = time.perf_counter()
    try:  # the gazetteers and title lists, loaded once per process (not in code before issue 11)
        from newsdesk.entities.evidence import place_kind, role_prefix
        place_kind("Paris"), role_prefix("Briton")
    except ImportError:
        pass
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    mentions = [(a["article_id"], resolve_article(a["body"], s) if s else []) for a, s in zip(arts, spans)]
    t_art = time.perf_counter() - t0
    t0 = time.perf_counter()
    entities, rows = resolve_corpus(mentions)
    t_corpus = time.perf_counter() - t0
    if timing and ner_sample:
        # same window: NER and the entity steps on the same sample, interleaved in slices of 50 articles
        from newsdesk.entities import load_nlp, ner_spans
        nlp = load_nlp()
        sample = arts[:ner_sample]
        tn = ta = cn = ca = 0.0
        for i in range(0, len(sample), 50):
            part = sample[i:i + 50]
            t0, c0 = time.perf_counter(), time.process_time()
            sp = ner_spans(nlp, [a["body"] for a in part])
            tn += time.perf_counter() - t0
            cn += time.process_time() - c0
            t0, c0 = time.perf_counter(), time.process_time()
            ms = [(a["article_id"], resolve_article(a["body"], x) if x else []) for a, x in zip(part, sp)]
            resolve_corpus(ms)
            ta += time.perf_counter() - t0
            ca += time.process_time() - c0
        print(f"sample of {len(sample)} articles: NER {tn:.2f} s; resolve_article + resolve_corpus {ta:.2f} s "
              f"({100 * ta / tn:.1f}% of NER); CPU time: NER {cn:.2f} s, entity steps {ca:.2f} s "
              f"({100 * ca / cn:.1f}%)")
    if timing:
        print(f"{len(arts)} articles: NER {t_ner:.1f} s (cached run); resolve_article {t_art:.2f} s "
              f"({100 * t_art / t_ner:.1f}% of NER); resolve_corpus {t_corpus:.2f} s ({100 * t_corpus / t_ner:.1f}%); "
              f"one-off data loading {t_load:.2f} s")
    ents = {e["entity_id"]: e for e in entities}
    overall = score_all(aid_doc, ents, rows, gold, per_set, failures) if gold else None
    if report_types:
        report(ents, report_types, top)
    return overall


def record(r: dict, gold, command: str = "") -> None:
    """The overall scores into newsdesk/data/accuracy.toml, which the dataset card quotes."""
    import datetime as dt

    from newsdesk.card import record_accuracy
    sets = ", ".join(Path(p).name.split(".")[0] for p in gold)
    record_accuracy("entities", {"mention_recall": round(r["recall"], 3), "cross_article_bcubed_f1": round(r["b3_f1"], 3),
                                 "one_id_across_articles": f"{r['one_id']}/{r['multi']}",
                                 "type_agreement": round(r["type"], 3),
                                 "clean_canonical_names": f"{r['clean']}/{r['named']}"},
                    measured=dt.date.today(),
                    benchmark=f"the ELEVANT entity-linking benchmarks ({sets}; news articles and sentences with "
                              "entity mentions linked to Wikidata)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("raw", type=Path)
    p.add_argument("gold", nargs="+")
    for name in ("run", "score", "fast", "report"):
        p = sub.add_parser(name)
        if name == "run":
            p.add_argument("raw", type=Path)
        p.add_argument("out", type=Path)
        p.add_argument("--gold", nargs="*", default=[])
        p.add_argument("--per-set", action="store_true")
        p.add_argument("--failures", type=Path)
        p.add_argument("--types", default="", help="report: comma-separated entity types")
        p.add_argument("--top", type=int, default=40)
        if name == "run":
            p.add_argument("--keep-low-quality", action="store_true",
                           help="curate with the quality gate off (ELEVANT's one-sentence documents are kept)")
        if name in ("run", "score", "fast"):
            p.add_argument("--record", action="store_true",
                           help="write the overall scores to newsdesk/data/accuracy.toml (the dataset card)")
        if name == "fast":
            p.add_argument("--cache", type=Path, required=True)
            p.add_argument("--timing", action="store_true")
            p.add_argument("--ner-sample", type=int, default=0,
                           help="with --timing: also time NER and the entity steps on this many articles, interleaved")
    a = ap.parse_args(argv)
    if a.cmd == "prepare":
        a.raw.mkdir(parents=True, exist_ok=True)
        for _set, doc, d in load_gold(a.gold):
            (a.raw / f"{doc}.txt").write_text(d["text"], encoding="utf-8")
        return 0
    types = [t for t in a.types.split(",") if t]
    if a.cmd == "fast":
        overall = fast(a.out, a.cache, a.gold, a.per_set, a.failures, types, a.top, a.timing, a.ner_sample)
        if a.record and overall:
            record(overall, a.gold, "bench/eval_entities.py fast ...")
        return 0
    if a.cmd == "run":
        from newsdesk.local import curate_local
        if a.out.exists() and any(a.out.iterdir()):
            # a store already there would make this an incremental run that adds nothing: the scores would be
            # the old code's
            print(f"eval_entities: {a.out} is not empty: give a new folder (or use `score` on it)", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        opts = {}
        if a.keep_low_quality:
            from newsdesk.quality import QualityConfig
            opts["quality"] = QualityConfig(keep_low_quality=True)
        s = curate_local(a.raw, a.out, **opts)
        print(f"curated {a.raw} -> {a.out} in {time.perf_counter() - t0:.1f} s; steps: "
              + ", ".join(f"{k} {v:.1f} s" for k, v in (getattr(s, "step_seconds", None) or {}).items()))
    aid_doc, ents, rows = load_store(a.out)
    if a.gold:
        overall = score_all(aid_doc, ents, rows, a.gold, a.per_set, a.failures)
        if getattr(a, "record", False):
            record(overall, a.gold, " ".join(["bench/eval_entities.py", *sys.argv[1:2], "..."]))
    if types or a.cmd == "report":
        report(ents, types or ["PERSON", "ORG", "GPE"], a.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
