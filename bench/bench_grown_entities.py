"""Grown folder = one run, on real text (issue 11 item 7): the entities of N raw files curated in two runs
(FIRST files, then the rest) against one run over all N.

    python bench/bench_grown_entities.py RAW WORK [--n 400] [--first 200] [--step 5] [--show 20]

Picks every STEP-th file of RAW (sorted paths) up to N, links them under WORK/raw (the first FIRST, curated into
WORK/grown, then the rest, curated again) and under WORK/raw_all (curated once into WORK/one), with the real
steps in this process (``newsdesk.local.curate_local``). It then compares the *current* entities of both stores
as the catalog views give them: each entity as (name, type, the set of its mentions (article, start, end)), over
the articles both stores kept (incremental dedup may keep another copy of a near-duplicate).
An entity of the one-run store differs when the grown store has no entity with the same name, type and
mentions; the differences are split into type, name (same mentions, another name or type), grouping (same
name and type, other mentions) and other. Corpus text stays under WORK (never in the repository).

Run it with any checkout's interpreter (it imports whatever ``newsdesk`` that interpreter has), from a folder
that is not a checkout, e.g. ``cd /tmp && /path/to/checkout/.venv/bin/python /path/to/bench_grown_entities.py``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from collections import Counter
from pathlib import Path


def select(raw: Path, n: int, step: int) -> list[Path]:
    files = sorted(p for p in raw.rglob("*") if p.is_file())
    return files[::step][:n]


def link(files: list[Path], raw: Path, dest: Path) -> None:
    for f in files:
        d = dest / f.relative_to(raw)
        d.parent.mkdir(parents=True, exist_ok=True)
        if not d.exists():
            shutil.copy2(f, d)  # a copy (same mtime): the store's file_state sees a plain file


def articles(out: Path) -> set[str]:
    from newsdesk.store import connect

    return {r[0] for r in connect(out).sql("SELECT article_id FROM articles").fetchall()}


def entities(out: Path, keep: set[str]) -> dict[str, tuple[str, str, frozenset]]:
    """Current entities with their mentions in the articles ``keep`` (entities with none there left out)."""
    from newsdesk.store import connect

    con = connect(out)
    ments: dict[str, set] = {}
    for eid, aid, s, e in con.sql('SELECT entity_id, article_id, start, "end" FROM entity_mentions').fetchall():
        if aid in keep:
            ments.setdefault(eid, set()).add((aid, s, e))
    return {eid: (name, typ, frozenset(ments[eid]))
            for eid, name, typ in con.sql("SELECT entity_id, name, type FROM entities").fetchall() if eid in ments}


def compare(one: dict, grown: dict) -> dict:
    exact = {v for v in grown.values()}
    by_mentions = {v[2]: v for v in grown.values() if v[2]}
    by_name_type = {(v[0], v[1]): v for v in grown.values()}
    kinds: Counter = Counter()
    examples: dict[str, list] = {}
    for v in sorted(one.values(), key=lambda v: -len(v[2])):
        if v in exact:
            continue
        g = by_mentions.get(v[2])
        if g is not None:
            kind = "type" if g[1] != v[1] else "name"
            other = (g[0], g[1])
        elif (v[0], v[1]) in by_name_type:
            kind, other = "grouping", (v[0], v[1], len(by_name_type[(v[0], v[1])][2]))
        else:
            kind, other = "other", None
        kinds[kind] += 1
        examples.setdefault(kind, []).append({"one_run": (v[0], v[1], len(v[2])), "grown": other})
    grown_only = sum(1 for v in grown.values() if v not in set(one.values()))
    return {"one_run_entities": len(one), "grown_entities": len(grown), "differ": sum(kinds.values()),
            "by_kind": dict(kinds), "grown_only": grown_only, "examples": examples}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw", type=Path)
    ap.add_argument("work", type=Path)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--first", type=int, default=200)
    ap.add_argument("--step", type=int, default=5)
    ap.add_argument("--show", type=int, default=12)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    from newsdesk.local import curate_local

    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    files = select(args.raw, args.n, args.step)
    t = {}
    link(files[:args.first], args.raw, work / "raw")
    t0 = time.perf_counter()
    curate_local(work / "raw", work / "grown")
    t["grown_1"] = time.perf_counter() - t0
    link(files[args.first:], args.raw, work / "raw")
    t0 = time.perf_counter()
    curate_local(work / "raw", work / "grown")
    t["grown_2"] = time.perf_counter() - t0
    link(files, args.raw, work / "raw_all")
    t0 = time.perf_counter()
    curate_local(work / "raw_all", work / "one")
    t["one"] = time.perf_counter() - t0
    a_one, a_grown = articles(work / "one"), articles(work / "grown")
    both = a_one & a_grown
    res = compare(entities(work / "one", both), entities(work / "grown", both))
    res["files"] = len(files)
    # articles kept by one store only: a near-duplicate cluster's canonical article is the one committed first
    # (a documented limit of incremental dedup), so their mentions are left out of the comparison
    res["articles"] = {"both": len(both), "one_run_only": len(a_one - a_grown), "grown_only": len(a_grown - a_one)}
    res["seconds"] = {k: round(v, 1) for k, v in t.items()}
    shown = {k: v[:args.show] for k, v in res["examples"].items()}
    print(json.dumps({**res, "examples": shown}, indent=1, default=str))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
