"""newsdesk.dedup.clusters: canonical rank and star clustering without chaining (through deduplicate)."""
from __future__ import annotations

from datetime import datetime

from newsdesk.dedup import deduplicate, jaccard, shingles
from newsdesk.fingerprint import exact_key
from tests.dedup.helpers import chain_bodies, doc, dup_map, prose


def test_canonical_rule():
    base = prose(500, 41)
    longer = base + "\n\n" + prose(40, 42)
    # has title beats length
    r = deduplicate([doc("a.txt", longer, title=False), doc("b.txt", base, title=True)], None)
    assert [d.source_path for d in r.kept] == ["b.txt"]
    # then longest body
    r = deduplicate([doc("a.txt", base), doc("b.txt", longer)], None)
    assert [d.source_path for d in r.kept] == ["b.txt"]
    # then earliest published_at, None last
    t1, t2 = datetime(2024, 6, 19), datetime(2024, 6, 20)
    same = [doc("x.txt", base, published=None), doc("y.txt", base, published=t2), doc("z.txt", base, published=t1)]
    r = deduplicate(same, None)
    assert [d.source_path for d in r.kept] == ["z.txt"]
    assert {d["method"] for d in r.duplicates} == {"exact"}
    # then smallest source_path
    r = deduplicate([doc("b.txt", base), doc("a.txt", base)], None)
    assert [d.source_path for d in r.kept] == ["a.txt"]


def test_anti_chaining_star_clusters():
    a, b, c = chain_bodies()
    sa, sb, sc = shingles(a), shingles(b), shingles(c)
    assert jaccard(sa, sb) >= 0.8 and jaccard(sb, sc) >= 0.8 and jaccard(sa, sc) < 0.8
    # B is the centre (two neighbours) and the longest: one star, canonical B
    r = deduplicate([doc("a.txt", a), doc("b.txt", b), doc("c.txt", c)], None)
    assert [d.source_path for d in r.kept] == ["b.txt"]
    # only A has a title (best rank), but A is not similar to C: A cannot be the canonical of {A, B, C};
    # the canonical is the best-ranked member similar to every other one: B
    r = deduplicate([doc("a.txt", a, title=True), doc("b.txt", b, title=False), doc("c.txt", c, title=False)],
                    None)
    assert [d.source_path for d in r.kept] == ["b.txt"]
    dm = dup_map(r)
    assert dm["a.txt"] == (exact_key(b), "near") and dm["c.txt"] == (exact_key(b), "near")
    # a longer chain A~B~C~D~E (each link >= 0.8, A and E far apart) never collapses onto one article
    core = prose(700, 54)
    parts = [prose(90, 55 + i) for i in range(5)]
    chain = [core + "\n\n" + parts[i] + "\n\n" + parts[i + 1] for i in range(4)]
    r = deduplicate([doc(f"{i}.txt", t) for i, t in enumerate(chain)], None)
    assert len(r.kept) >= 2
    kept_sets = {d.article_id: shingles(d.body) for d in r.kept}
    for row in r.duplicates:  # every dropped doc is verified-similar to its own canonical
        body = chain[int(row["source_path"].split(".")[0])]
        assert jaccard(shingles(body), kept_sets[row["duplicate_of"]]) >= 0.8
