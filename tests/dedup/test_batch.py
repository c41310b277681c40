"""newsdesk.dedup.batch: deduplicate() on one run's documents."""
from __future__ import annotations

import random

from newsdesk.dedup import deduplicate
from newsdesk.fingerprint import exact_key
from tests.dedup.helpers import chain_bodies, doc, dup_map, prose, seed_docs


def test_five_seed_articles_stay_five():
    docs = seed_docs()
    r = deduplicate(docs, None)
    assert len(r.kept) == 5 and r.duplicates == []
    # even at a permissive threshold none of them merge (their pairwise Jaccard is < 0.02)
    assert len(deduplicate(docs, None, threshold=0.3).kept) == 5


def test_syndicated_copies_merge():
    seeds = seed_docs()
    s = seeds[0].body
    wire = prose(500, 31)
    docs = [
        # two syndicated copies: different outlet boilerplate/headline were stripped upstream; the body keeps
        # a different trailing outlet line
        doc("outlet_a/story.txt", wire + "\n\nRead the full coverage at Outlet A.", title=True),
        doc("outlet_b/story.txt", wire + "\n\nThis story was provided by the wire service.", title=True),
        # curly quotes straightened: an exact duplicate after normalization
        doc("seed_copy_straight.txt", s.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")),
        doc(seeds[0].source_path, s),
        # one paragraph added
        doc("seed_plus_para.txt", s + "\n\nThe Russian president is also expected to visit Hanoi this week."),
        *seeds[1:],
    ]
    r = deduplicate(docs, None)
    dm = dup_map(r)
    assert len(r.kept) == 6  # five seeds + the wire story
    # the seed, its straightened copy and its one-paragraph-longer copy are one cluster; the longer copy is
    # canonical (longest body), and the exact pair both point at it as near duplicates of equal similarity
    plus_id = exact_key(s + "\n\nThe Russian president is also expected to visit Hanoi this week.")
    assert plus_id in {d.article_id for d in r.kept}
    assert dm["seed_copy_straight.txt"] == dm[seeds[0].source_path] == (plus_id, "near")
    sims = {d["similarity"] for d in r.duplicates if d["duplicate_of"] == plus_id}
    assert len(sims) == 1 and 0.9 < sims.pop() < 1.0
    # without the longer copy, the straightened copy is an exact duplicate
    r2 = deduplicate([doc("seed_copy_straight.txt", s.replace("\u201c", '"').replace("\u201d", '"')),
                      doc(seeds[0].source_path, s)], None)
    assert len(r2.kept) == 1 and r2.duplicates[0]["method"] == "exact" and r2.duplicates[0]["similarity"] == 1.0
    wire_rows = [d for d in r.duplicates if d["source_path"].startswith("outlet_")]
    assert len(wire_rows) == 1 and wire_rows[0]["method"] == "near" and wire_rows[0]["similarity"] >= 0.8
    for row in r.duplicates:
        if row["method"] == "near":
            assert 0.8 <= row["similarity"] <= 1.0 and row["similarity"] == round(row["similarity"], 4)


def test_order_independence():
    a, b, c = chain_bodies()
    base = prose(500, 61)
    docs = [doc("a.txt", a, title=True), doc("b.txt", b, title=False), doc("c.txt", c, title=False),
            doc("d.txt", base), doc("e.txt", base), doc("f.txt", base + "\n\n" + prose(30, 62)),
            *seed_docs()]
    ref = deduplicate(docs, None)
    for s in range(5):
        shuffled = docs[:]
        random.Random(s).shuffle(shuffled)
        r = deduplicate(shuffled, None)
        assert r.kept == ref.kept
        assert r.duplicates == ref.duplicates
        assert r.index_rows.equals(ref.index_rows)


def test_empty_and_tiny_bodies():
    r = deduplicate([doc("e1.txt", ""), doc("e2.txt", "  \n "), doc("t.txt", "Hi there"),
                     doc("u.txt", "hi  THERE")], None)
    # exact groups; the longer raw body (whitespace counts) is canonical
    assert sorted(d.source_path for d in r.kept) == ["e2.txt", "u.txt"]
    assert dup_map(r) == {"e1.txt": (exact_key(""), "exact"), "t.txt": (exact_key("hi there"), "exact")}
    assert all(n in (0, 1) for n in r.index_rows.column("shingle_count").to_pylist())
