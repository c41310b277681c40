"""Unit tests of newsdesk.dedup (fast, no Prefect)."""
from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from newsdesk import dedup
from newsdesk.dedup import (BANDS, INDEX_SCHEMA, NUM_PERM, ROWS, DedupDoc, band_keys, deduplicate,
                            estimate_jaccard, jaccard, lsh_candidates, s_curve, shingles, signatures)
from newsdesk.fingerprint import _normalize_exact_reference, exact_key, normalize_exact

SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

_rng = random.Random(7)
_WORDS = [f"w{i}{c}" for i in range(3000) for c in "ab"]


def prose(n_words: int, seed: int) -> str:
    r = random.Random(seed)
    paras = []
    while n_words > 0:
        k = min(n_words, r.randint(40, 90))
        paras.append(" ".join(r.choice(_WORDS) for _ in range(k)) + ".")
        n_words -= k
    return "\n\n".join(paras)


def doc(path: str, body: str, *, title: bool = True, published: datetime | None = None,
        sha: str | None = None) -> DedupDoc:
    return DedupDoc(source_path=path, source_sha256=sha or f"sha-{path}", article_id=exact_key(body),
                    body=body, has_title=title, published_at=published)


def seed_docs() -> list[DedupDoc]:
    files = sorted(SEEDS.glob("*.txt"))
    assert len(files) == 5
    return [doc(f.name, f.read_text(encoding="utf-8")) for f in files]


def dup_map(result) -> dict[str, tuple[str, str]]:
    return {d["source_path"]: (d["duplicate_of"], d["method"]) for d in result.duplicates}


# ------------------------------------------------------------------------------------ normalization


def test_normalize_exact_matches_reference_formulation():
    alphabet = list("ab Z\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003\u2028\u3000`'\"ßﬁİΣς") + [
        chr(c) for c in (0x2018, 0x2019, 0x201a, 0x201b, 0x201c, 0x201d, 0x201e, 0x201f, 0x2032, 0x2033,
                         0xab, 0xbb, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xff02)]
    r = random.Random(0)
    for _ in range(20000):
        s = "".join(r.choice(alphabet) for _ in range(r.randint(0, 10)))
        assert normalize_exact(s) == _normalize_exact_reference(s), repr(s)
    for d in seed_docs():
        assert normalize_exact(d.body) == _normalize_exact_reference(d.body)


def test_normalization_quotes_dashes_whitespace_case():
    assert normalize_exact("  \u201cHello\u201d \u2014 it\u2019s\n\nME  ") == "\"hello\" - it's me"
    assert exact_key("A  b\n\nc") == exact_key("a b c")
    assert exact_key("Let's eat, Grandma") != exact_key("Let's eat Grandma")


def test_shingles_are_word_5grams_short_docs_use_what_exists():
    assert shingles("") == set()
    assert shingles("One two") == {("one", "two")}
    assert shingles("a b c d e f") == {("a", "b", "c", "d", "e"), ("b", "c", "d", "e", "f")}
    assert jaccard(set(), set()) == 1.0


def test_hashed_shingles_match_reference_sets():
    bodies = [d.body for d in seed_docs()] + ["", "x", "a b c d", "a b c d e", prose(300, 1), "a a a a a a"]
    sets = dedup._shingle_sets(bodies)
    for b, s in zip(bodies, sets):
        assert s.size == len(shingles(b))
    a, b = prose(400, 2), prose(400, 3)
    c = a + "\n\n" + b
    exact = jaccard(shingles(a), shingles(c))
    hs = dedup._shingle_sets([a, c])
    assert dedup._hashed_jaccard(*hs) == pytest.approx(exact)


# ------------------------------------------------------------------------------------ signatures, LSH


def test_signatures_deterministic_and_shaped():
    bodies = [prose(200, i) for i in range(5)] + [""]
    s1, s2 = signatures(bodies), signatures(list(bodies))
    assert s1.shape == (6, NUM_PERM) and s1.dtype == np.uint32
    assert np.array_equal(s1, s2)
    assert np.array_equal(signatures(bodies[:2]), s1[:2])  # independent of batch composition
    assert (s1[-1] == np.iinfo(np.uint32).max).all()  # empty body: no shingles
    # chunking does not change anything
    assert np.array_equal(signatures(bodies, chunk=2), s1)
    # whitespace/quote/case variants sign identically
    b = "The \u201cquick\u201d brown fox jumps over the lazy dog again"
    assert np.array_equal(signatures([b])[0], signatures(["the \"quick\"  brown fox\n\njumps over the LAZY dog again"])[0])


def test_estimate_tracks_exact_jaccard():
    base = prose(600, 11)
    extra = prose(150, 12)
    variant = base + "\n\n" + extra
    exact = jaccard(shingles(base), shingles(variant))
    s = signatures([base, variant])
    assert abs(float(estimate_jaccard(s[0], s[1])) - exact) < 0.12


def test_s_curve_meets_target():
    assert s_curve(0.8) >= 0.99
    assert s_curve(0.3) < 0.02
    assert BANDS * ROWS <= NUM_PERM


def test_band_keys_and_candidates():
    a = prose(500, 21)
    b = a.replace(a.split()[100], "changedword", 1)  # one word changed: J ~ 0.98
    c = prose(500, 22)
    sigs = signatures([a, b, c])
    keys = band_keys(sigs)
    assert keys.shape == (3, BANDS) and keys.dtype == np.uint64
    assert np.array_equal(keys, band_keys(sigs.copy()))
    pairs = lsh_candidates(keys)
    assert [tuple(p) for p in pairs.tolist()] == [(0, 1)]
    # band number is part of the key: equal values in different bands do not collide
    same = np.zeros((1, NUM_PERM), dtype=np.uint32)
    k = band_keys(same)
    assert len(set(k[0].tolist())) == BANDS


# ------------------------------------------------------------------------------------ deduplicate


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


def _chain_bodies():
    """A ~ B ~ C with J(A,B), J(B,C) >= 0.8 but J(A,C) < 0.8."""
    core = prose(700, 51)
    x, y = prose(90, 52), prose(90, 53)
    a = core + "\n\n" + x
    b = core + "\n\n" + x + "\n\n" + y  # the longest: canonical
    c = core + "\n\n" + y
    return a, b, c


def test_anti_chaining_star_clusters():
    a, b, c = _chain_bodies()
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


def test_order_independence():
    a, b, c = _chain_bodies()
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


def test_cross_run_index():
    story = prose(600, 71)
    run1 = deduplicate([doc("day1/story.txt", story, title=False), *seed_docs()], None)
    assert run1.index_rows.schema.equals(INDEX_SCHEMA)
    assert run1.index_rows.num_rows == 6
    assert run1.index_rows.column("article_id").to_pylist() == sorted(d.article_id for d in run1.kept)
    index = run1.index_rows
    # run 2: an exact copy, a near copy that is longer and has a title (would win within one run),
    # and a new article
    near = story + "\n\n" + prose(40, 72)
    fresh = prose(500, 73)
    run2 = deduplicate([doc("day2/copy.txt", story), doc("day2/longer.txt", near, title=True),
                        doc("day2/fresh.txt", fresh)], index)
    dm = dup_map(run2)
    old_id = exact_key(story)
    assert dm["day2/copy.txt"] == (old_id, "exact")
    assert dm["day2/longer.txt"] == (old_id, "near")  # the indexed article is never replaced
    assert [d.source_path for d in run2.kept] == ["day2/fresh.txt"]
    assert run2.index_rows.num_rows == 1
    # re-running run 2 against the grown index drops everything
    index2 = pa.concat_tables([index, run2.index_rows])
    run3 = deduplicate([doc("day2/fresh.txt", fresh)], index2)
    assert run3.kept == [] and dup_map(run3)["day2/fresh.txt"] == (exact_key(fresh), "exact")


def test_index_signed_differently_is_refused():
    r = deduplicate([doc("a.txt", prose(100, 81))], None)
    bad = r.index_rows.set_column(5, "minhash", pa.array(["other-scheme"], pa.string()))
    with pytest.raises(ValueError, match="signed"):
        deduplicate([doc("b.txt", prose(100, 82))], bad)


def test_empty_and_tiny_bodies():
    r = deduplicate([doc("e1.txt", ""), doc("e2.txt", "  \n "), doc("t.txt", "Hi there"),
                     doc("u.txt", "hi  THERE")], None)
    # exact groups; the longer raw body (whitespace counts) is canonical
    assert sorted(d.source_path for d in r.kept) == ["e2.txt", "u.txt"]
    assert dup_map(r) == {"e1.txt": (exact_key(""), "exact"), "t.txt": (exact_key("hi there"), "exact")}
    assert all(n in (0, 1) for n in r.index_rows.column("shingle_count").to_pylist())


def test_empty_index_table_is_like_none():
    d = [doc("a.txt", prose(100, 91))]
    assert deduplicate(d, INDEX_SCHEMA.empty_table()).kept == deduplicate(d, None).kept


def test_out_of_core_matches_in_memory(tmp_path):
    a, b, c = _chain_bodies()
    base = prose(500, 101)
    docs = [doc("a.txt", a, title=True), doc("b.txt", b, title=False), doc("c.txt", c, title=False),
            doc("d.txt", base), doc("e.txt", base), doc("f.txt", base + "\n\n" + prose(30, 102)),
            *seed_docs()]
    n = dedup.write_signatures(docs, tmp_path / "sig", chunk=4)
    assert n == len(docs)
    big = dedup.deduplicate_large(tmp_path / "sig")
    small = deduplicate(docs, None, exact_verify=False)
    assert sorted(docs[i].source_path for i in big.kept_docs) == sorted(d.source_path for d in small.kept)
    rows = big.duplicates.to_pylist()
    assert [(r["source_path"], r["duplicate_of"], r["method"]) for r in rows] == \
        [(r["source_path"], r["duplicate_of"], r["method"]) for r in small.duplicates]


def test_out_of_core_with_index(tmp_path):
    import pyarrow.parquet as pq

    story = prose(600, 111)
    run1 = deduplicate([doc("day1/story.txt", story, title=False), *seed_docs()], None)
    pq.write_table(run1.index_rows, tmp_path / "index.parquet")
    near = story + "\n\n" + prose(40, 112)
    fresh = prose(500, 113)
    docs = [doc("day2/copy.txt", story), doc("day2/longer.txt", near, title=True), doc("day2/fresh.txt", fresh),
            doc("day2/fresh_copy.txt", fresh)]
    dedup.write_signatures(docs, tmp_path / "sig")
    big = dedup.deduplicate_large(tmp_path / "sig", index=tmp_path / "index.parquet",
                                  index_out=tmp_path / "new_index.parquet")
    small = deduplicate(docs, run1.index_rows)
    assert pq.read_table(tmp_path / "new_index.parquet").equals(small.index_rows)
    assert sorted(docs[i].source_path for i in big.kept_docs) == [d.source_path for d in small.kept] == \
        ["day2/fresh.txt"]
    assert [(r["source_path"], r["duplicate_of"], r["method"]) for r in big.duplicates.to_pylist()] == \
        [(r["source_path"], r["duplicate_of"], r["method"]) for r in small.duplicates]
