"""The data contract, checked from schemas/ itself: shared fields, constraints, row building by name."""
from dataclasses import dataclass

import pyarrow as pa
import pytest

from newsdesk import schema
from newsdesk.schema import SchemaError

# Column names used by several tables with a different meaning in each (so not shared fields):
# quotes.text is a quotation, removed_text.text is boilerplate that was cut.
DISTINCT_PER_TABLE = {"text"}


def test_every_table_is_declared_with_described_typed_columns():
    tables = schema.tables()
    assert set(tables) == {"articles", "quotes", "entities", "entity_mentions", "duplicates", "removed_text",
                           "rejects", "files", "runs", "dedup_index", "file_state", "quote_index",
                           "entity_names", "entity_redirects"}
    assert {n for n, t in tables.items() if t.internal} == {"dedup_index", "file_state", "quote_index", "entity_names"}
    assert {n for n, t in tables.items() if not t.reproducible} == {"runs", "file_state"}
    for t in tables.values():
        assert t.description and t.primary_key and t.mode in schema.MODES
        assert len(set(t.column_names)) == len(t.column_names)
        for c in t.columns:
            assert c.description.strip() and isinstance(c.arrow_type, pa.DataType), (t.name, c.name)
        for k in t.primary_key:
            assert k in t.column_names


def test_a_column_in_several_tables_is_one_shared_field():
    seen: dict[str, list[schema.Column]] = {}
    for t in schema.tables().values():
        for c in t.columns:
            seen.setdefault(c.name, []).append(c)
    shared = schema.fields()
    for name, cols in seen.items():
        if len(cols) > 1 and name not in DISTINCT_PER_TABLE and not _is_run_count(name):
            assert name in shared, f"{name} is declared in {len(cols)} tables: declare it in schemas/fields.toml"
        if name in shared:
            for c in cols:
                assert c.field == name and c.type == shared[name]["type"]
                assert c.description.endswith(shared[name]["description"])


def _is_run_count(name: str) -> bool:
    """runs has a count column per table (runs.articles, runs.quotes ...): a count, not that table."""
    runs = schema.table("runs")
    return name in runs.column_names and runs.column(name).type == "int64" and name in schema.tables()


def test_references_point_to_declared_columns_of_the_same_type():
    tables = schema.tables()
    for t in tables.values():
        for c in t.columns:
            if c.references:
                rt, rc = c.references.split(".")
                assert tables[rt].column(rc).type == c.type, c.references


def test_constraints_are_well_formed_and_become_checks():
    for name, t in schema.tables().items():
        checks = schema.constraint_checks(name)
        n = 0
        for c in t.columns:
            if c.allowed is not None:
                assert all(isinstance(v, str) for v in c.allowed) and len(set(c.allowed)) == len(c.allowed)
                n += 1
            n += sum(x is not None for x in (c.min, c.max, c.min_exclusive))
        assert len(checks) == n
    assert schema.allowed("files", "outcome") == ("article", "duplicate", "reject")
    with pytest.raises(KeyError):
        schema.allowed("articles", "title")


def test_arrow_fields_carry_descriptions_and_nullability():
    for t in schema.tables().values():
        s = t.arrow_schema()
        for c, f in zip(t.columns, s):
            assert f.metadata[b"description"].decode() == c.description
            assert f.nullable == c.nullable
        assert s.metadata[b"table"].decode() == t.name


def test_to_arrow_checks_every_row_not_just_the_first():
    t = schema.table("rejects")
    good = {"source_path": "a.txt", "source_sha256": None, "size_bytes": None, "reason": "empty",
            "detail": "0 bytes", "run_id": "r"}
    table = t.to_arrow([good])
    assert table.schema.equals(t.arrow_schema(), check_metadata=True)
    assert table.column("source_sha256").to_pylist() == [None]
    typo = {**{k: v for k, v in good.items() if k != "detail"}, "detial": "x"}
    with pytest.raises(SchemaError, match=r"row 1: unknown columns \['detial'\]; missing columns \['detail'\]"):
        t.to_arrow([good, typo])
    with pytest.raises(SchemaError, match=r"missing columns \['size_bytes'\]"):
        t.to_arrow([{k: v for k, v in good.items() if k != "size_bytes"}])


def test_row_takes_columns_by_name_from_values_then_attributes():
    @dataclass
    class Removed:
        position: int
        text: str
        rule: str
        unrelated: str = "ignored"

    t = schema.table("removed_text")
    row = t.row(Removed(3, "Read more: x", "read_more"), article_id="a1", source_path="s.txt", run_id="r")
    assert row == {"article_id": "a1", "source_path": "s.txt", "position": 3, "text": "Read more: x",
                   "rule": "read_more", "run_id": "r"}
    assert list(row) == t.column_names
    with pytest.raises(SchemaError, match="no value for column 'run_id'"):
        t.row(Removed(3, "x", "y"), article_id="a1", source_path="s.txt")
    with pytest.raises(SchemaError, match="unknown columns"):
        t.row(Removed(3, "x", "y"), article_id="a1", source_path="s.txt", run_id="r", runid="r")


def test_from_columns_needs_exactly_the_declared_names():
    t = schema.table("duplicates")
    cols = {"source_path": ["b.txt"], "source_sha256": ["f" * 64], "duplicate_of": ["a1"], "similarity": [1.0],
            "method": ["exact"], "run_id": ["r"]}
    assert t.from_columns(cols).schema.equals(t.arrow_schema(), check_metadata=True)
    with pytest.raises(SchemaError, match="missing columns"):
        t.from_columns({k: v for k, v in cols.items() if k != "method"})


def test_bad_schema_files_are_refused(tmp_path, monkeypatch):
    (tmp_path / "fields.toml").write_text('[run_id]\ntype = "string"\ndescription = "Run."\n')
    (tmp_path / "t.toml").write_text('name = "t"\ndescription = "T."\nprimary_key = ["run_id"]\n'
                                     '[[columns]]\nfield = "run_id"\nnullable = false\ntype = "int32"\n')
    monkeypatch.setattr(schema, "SCHEMA_DIR", tmp_path)
    schema.fields.cache_clear()
    schema.tables.cache_clear()
    try:
        with pytest.raises(SchemaError, match="come from fields.toml"):
            schema.tables()
    finally:
        schema.fields.cache_clear()
        schema.tables.cache_clear()


def test_duckdb_comments_and_markdown_cover_every_column_and_constraint():
    for name, t in schema.tables().items():
        comments = schema.duckdb_comments(name)
        assert len(comments) == len(t.columns) + len(t.view_columns) + 1
        md = schema.markdown_columns(name)
        assert all(f"`{c}`" in md for c in t.column_names)
        for c in t.columns:
            for v in c.allowed or ():
                assert f"`{v}`" in md
