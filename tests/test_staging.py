"""Staged parts become one sorted part per table: bytes independent of how the rows were split."""
import pyarrow as pa
import pyarrow.parquet as pq

from newsdesk import schema, staging
from newsdesk.staging import Staged, write_part, write_sorted
from newsdesk.store import write_parquet


def _articles(n: int) -> pa.Table:
    rows = [schema.table("articles").row(
        article_id=f"{(i * 7919) % 10007:016x}", source_path=f"o/{i}.txt", source_sha256=f"{i:064x}",
        outlet="o", title=f"T{i}", subtitle=None, section=None, author=None, dateline=None, published_at=None,
        language="en", language_prob=0.99, body=f"body {i} " * 30, paragraph_count=1, word_count=60,
        run_id="r") for i in range(n)]
    return schema.table("articles").to_arrow(rows)


def _committed(tmp_path, name, parts, label):
    files = [write_part(p, tmp_path / label / f"part-{i}.parquet") for i, p in enumerate(parts)]
    out = tmp_path / f"{label}.parquet"
    n = write_sorted("articles", Staged.parts(files, "articles"), out)
    return out, n


def test_merged_part_is_the_same_whatever_the_batches(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "ROW_GROUP_ROWS", 7)  # several row groups, with a short last one
    t = _articles(40)
    a, na = _committed(tmp_path, "articles", [t], "one")
    b, nb = _committed(tmp_path, "articles", [t.slice(30), t.slice(0, 11), t.slice(11, 19)], "three")
    assert na == nb == 40
    assert a.read_bytes() == b.read_bytes()
    got = pq.read_table(a)
    assert got.schema.equals(schema.table("articles").arrow_schema(), check_metadata=True)
    assert got.column("article_id").to_pylist() == sorted(t.column("article_id").to_pylist())
    assert pq.ParquetFile(a).metadata.num_row_groups == 6  # 40 rows in groups of 7


def test_in_memory_and_staged_parts_are_byte_identical(tmp_path):
    t = _articles(25)
    staged, _ = _committed(tmp_path, "articles", [t.slice(10), t.slice(0, 10)], "staged")
    write_parquet(t.sort_by("article_id"), tmp_path / "memory.parquet")
    assert staged.read_bytes() == (tmp_path / "memory.parquet").read_bytes()


def test_staged_query_can_join_a_lookup_table(tmp_path):
    t = _articles(5)
    f = write_part(t.drop_columns(["run_id"]), tmp_path / "s" / "p.parquet")
    cols = ", ".join(f's."{c}"' if c != "run_id" else "m.run_id" for c in schema.table("articles").column_names)
    lookup = pa.table({"article_id": t.column("article_id"), "run_id": ["run-x"] * 5})
    sql = f"SELECT {cols} FROM read_parquet('{f}') s JOIN lookup m USING (article_id)"
    out = tmp_path / "joined.parquet"
    assert write_sorted("articles", Staged(sql, {"lookup": lookup}), out) == 5
    assert set(pq.read_table(out).column("run_id").to_pylist()) == {"run-x"}


def test_sorting_range_by_range_gives_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "ROW_GROUP_ROWS", 7)
    t = _articles(60)
    files = [write_part(p, tmp_path / "s" / f"part-{i}.parquet") for i, p in enumerate([t.slice(25), t.slice(0, 25)])]
    whole, ranged = tmp_path / "whole.parquet", tmp_path / "ranged.parquet"
    assert write_sorted("articles", Staged.parts(files, "articles"), whole) == 60
    # a budget of ~3 rows a sort: about 20 ranges, each a sort of its own
    assert write_sorted("articles", Staged.parts(files, "articles"), ranged, sort_bytes=1_000) == 60
    assert ranged.read_bytes() == whole.read_bytes()


def test_key_ranges_split_by_weight():
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT k, repeat('x', w) AS s FROM (VALUES ('a', 100), ('b', 100), "
                "('c', 1000), ('d', 100), (NULL, 100)) v(k, w)")
    assert staging.key_ranges(con, "SELECT * FROM t", "k", 10_000) is None  # fits in one sort
    assert staging.key_ranges(con, "SELECT * FROM t", "k", 250) == ["b"]  # a, b | c, d: a range may
    # pass its budget by one key's weight (here the heavy "c")
    assert staging.key_ranges(con, "SELECT * FROM t", "k", 1) == ["a", "b", "c"]  # one key a range
    # heavier than the budget but one key (or none): one sort
    assert staging.key_ranges(con, "SELECT * FROM t WHERE k = 'c' OR k IS NULL", "k", 10) is None
