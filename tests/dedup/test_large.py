"""newsdesk.dedup.large: the out-of-core path gives what the in-memory one gives."""
from __future__ import annotations

from newsdesk.dedup import deduplicate, deduplicate_large, write_signatures
from tests.dedup.helpers import chain_bodies, doc, prose, seed_docs


def test_out_of_core_matches_in_memory(tmp_path):
    a, b, c = chain_bodies()
    base = prose(500, 101)
    docs = [doc("a.txt", a, title=True), doc("b.txt", b, title=False), doc("c.txt", c, title=False),
            doc("d.txt", base), doc("e.txt", base), doc("f.txt", base + "\n\n" + prose(30, 102)),
            *seed_docs()]
    n = write_signatures(docs, tmp_path / "sig", chunk=4)
    assert n == len(docs)
    big = deduplicate_large(tmp_path / "sig")
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
    write_signatures(docs, tmp_path / "sig")
    big = deduplicate_large(tmp_path / "sig", index=tmp_path / "index.parquet",
                                  index_out=tmp_path / "new_index.parquet")
    small = deduplicate(docs, run1.index_rows)
    assert pq.read_table(tmp_path / "new_index.parquet").equals(small.index_rows)
    assert sorted(docs[i].source_path for i in big.kept_docs) == [d.source_path for d in small.kept] == \
        ["day2/fresh.txt"]
    assert [(r["source_path"], r["duplicate_of"], r["method"]) for r in big.duplicates.to_pylist()] == \
        [(r["source_path"], r["duplicate_of"], r["method"]) for r in small.duplicates]


def _exact_views(tmp_path, docs):
    """deduplicate_views over write_signatures' files, verifying on bodies; returns (result, body calls)."""
    import duckdb

    from newsdesk.dedup.large import deduplicate_views

    write_signatures(docs, tmp_path / "sig")
    con = duckdb.connect()
    con.execute(f"CREATE VIEW docs AS SELECT * FROM read_parquet('{tmp_path / 'sig' / 'sigs' / '*.parquet'}')")
    con.execute(f"CREATE VIEW bands AS SELECT * FROM read_parquet('{tmp_path / 'sig' / 'bands' / '*.parquet'}')")
    texts = {d.source_path: d.body for d in docs}
    calls: list[int] = []

    def bodies(paths):
        calls.append(len(paths))
        return {p: texts[p] for p in paths}

    try:
        return deduplicate_views(con, index_sql=None, bodies=bodies), calls
    finally:
        con.close()


def test_exact_verification_in_slices_gives_the_same_result(tmp_path, monkeypatch):
    from newsdesk.dedup import large

    a, b, c = chain_bodies()
    base = prose(500, 121)
    docs = [doc("a.txt", a), doc("b.txt", b), doc("c.txt", c), doc("d.txt", base),
            doc("e.txt", base + "\n\n" + prose(30, 122)), doc("f.txt", base + "\n\n" + prose(35, 123)),
            *seed_docs()]
    whole, calls = _exact_views(tmp_path / "whole", docs)
    assert len(calls) == 1
    monkeypatch.setattr(large, "VERIFY_DOCS", 2)  # one candidate pair's bodies at a time
    sliced, calls = _exact_views(tmp_path / "sliced", docs)
    assert len(calls) > 1 and max(calls) <= 2
    assert sliced.duplicates.equals(whole.duplicates) and list(sliced.kept_docs) == list(whole.kept_docs)
    small = deduplicate(docs, None)
    assert [(r["source_path"], r["duplicate_of"], r["method"]) for r in whole.duplicates.to_pylist()] == \
        [(r["source_path"], r["duplicate_of"], r["method"]) for r in small.duplicates]


def test_pair_slices_name_at_most_the_limit_of_documents():
    import numpy as np

    from newsdesk.dedup.large import _pair_chunks

    a, b = np.array([0, 0, 1, 2, 5, 5]), np.array([1, 2, 2, 3, 6, 7])
    slices = list(_pair_chunks(a, b, 3))
    assert slices == [(0, 3), (3, 4), (4, 6)]
    assert list(_pair_chunks(a, b, 100)) == [(0, 6)]
    assert list(_pair_chunks(a[:0], b[:0], 3)) == []
