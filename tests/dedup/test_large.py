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
