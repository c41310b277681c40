import pyarrow as pa
import pytest

from newsdesk import schema

CONTRACT = {  # the public column contract downstream teams code against (DESIGN.md)
    "articles": ["article_id", "source_path", "title", "subtitle", "section", "author", "published_at",
                 "language", "language_prob", "body", "word_count", "run_id"],
    "quotes": ["quote_id", "article_id", "text", "speaker", "speaker_entity_id", "cue", "start", "end",
               "kind", "attribution"],
    "entities": ["entity_id", "name", "type", "aliases", "article_count", "mention_count"],
    "entity_mentions": ["article_id", "entity_id", "surface", "start", "end"],
    "duplicates": ["source_path", "duplicate_of", "similarity", "method"],
    "removed_text": ["article_id", "source_path", "text", "rule"],
    "rejects": ["source_path", "reason", "detail"],
    "runs": ["run_id"],
}


def test_every_contract_column_is_declared():
    tables = schema.tables()
    for name, cols in CONTRACT.items():
        assert name in tables
        assert set(cols) <= set(tables[name].column_names), name


def test_arrow_fields_carry_descriptions_and_nullability():
    for t in schema.tables().values():
        s = t.arrow_schema()
        for c, f in zip(t.columns, s):
            assert f.metadata[b"description"].decode() == c.description and c.description
            assert f.nullable == c.nullable
        assert s.metadata[b"table"].decode() == t.name


def test_references_point_to_declared_columns():
    tables = schema.tables()
    for t in tables.values():
        for c in t.columns:
            if c.references:
                rt, rc = c.references.split(".")
                assert rc in tables[rt].column_names, c.references


def test_to_arrow_builds_exact_schema_and_rejects_unknown_columns():
    t = schema.table("rejects")
    table = t.to_arrow([{"source_path": "a.txt", "reason": "empty", "detail": "0 bytes", "run_id": "r"}])
    assert table.schema.equals(t.arrow_schema(), check_metadata=True)
    assert table.column("source_sha256").to_pylist() == [None]
    with pytest.raises(ValueError, match="unknown columns"):
        t.to_arrow([{"source_path": "a", "nope": 1}])


def test_duckdb_comments_and_markdown_cover_every_column():
    for name, t in schema.tables().items():
        comments = schema.duckdb_comments(name)
        assert len(comments) == len(t.columns) + 1
        md = schema.markdown_columns(name)
        assert all(f"`{c}`" in md for c in t.column_names)
        assert isinstance(t.empty(), pa.Table)
