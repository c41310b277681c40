"""The validation gate: `newsdesk validate` passes on a good store and fails loudly on a tampered one.

The store is built by the pipeline's pure steps (no Prefect) over the five seed articles; tampering rewrites
one Parquet file of the current snapshot the way a careless hand edit would (new file, rename: the hard-linked
copies in older snapshots are untouched).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.local import curate_local
from newsdesk.store import Store

runner = CliRunner()


def curate_direct(raw: Path, out: Path) -> None:
    """The flow's steps in sequence, without Prefect."""
    curate_local(raw, out)


@pytest.fixture(scope="module")
def good_store(tmp_path_factory, seeds_dir):
    base = tmp_path_factory.mktemp("validate")
    raw = base / "raw"
    shutil.copytree(seeds_dir, raw)
    (raw / "empty.txt").write_bytes(b"")  # a reject, accounted for too
    curate_direct(raw, base / "out")
    return raw, base / "out"


@pytest.fixture
def store_copy(good_store, tmp_path):
    raw, out = good_store
    copy = tmp_path / "out"
    shutil.copytree(out, copy, symlinks=True)
    return raw, copy


def rewrite(out: Path, table: str, change) -> None:
    """Replace the current snapshot's Parquet file(s) of ``table`` with ``change(table)``."""
    snap = Store(out).snapshot_dir()
    for f in sorted((snap / table).glob("*.parquet")):
        t = pq.read_table(f)
        new = change(t)
        tmp = f.with_suffix(".tampered")
        pq.write_table(new, tmp)
        os.replace(tmp, f)  # a new inode: the hard-linked copies elsewhere keep the original


def validate(out: Path, *extra: str):
    return runner.invoke(app, ["validate", "--out", str(out), *extra])


def test_good_store_passes(good_store):
    raw, out = good_store
    res = validate(out, "--raw", str(raw))
    assert res.exit_code == 0, res.output
    assert "passes every check" in res.output


def test_deleted_article_row_fails(store_copy):
    _, out = store_copy
    rewrite(out, "articles", lambda t: t.slice(1))
    res = validate(out)
    assert res.exit_code != 0
    assert "FAIL" in res.output and "problems in snapshot 1" in res.output
    assert "'article' rows with no row in the articles table" in res.output
    assert "values not found in articles.article_id" in res.output  # quotes/mentions now dangle


def test_duplicated_row_fails(store_copy):
    _, out = store_copy
    rewrite(out, "quotes", lambda t: pa.concat_tables([t, t.slice(0, 1)]))
    res = validate(out)
    assert res.exit_code != 0
    assert "quotes: 1 duplicated primary keys" in res.output


def test_broken_offsets_fail(store_copy):
    _, out = store_copy

    def shift(t: pa.Table) -> pa.Table:
        start = t.column("start").to_pylist()
        start[0] += 1
        return t.set_column(t.schema.get_field_index("start"), t.schema.field("start"),
                            pa.array(start, type=t.schema.field("start").type))

    rewrite(out, "quotes", shift)
    res = validate(out)
    assert res.exit_code != 0
    assert "quotes: 1 rows whose offsets do not match articles.body" in res.output


def test_schema_drift_fails(store_copy):
    _, out = store_copy
    rewrite(out, "entities", lambda t: t.drop_columns(["name_key"]))
    res = validate(out)
    assert res.exit_code != 0
    assert "differs from schemas/entities.toml" in res.output


def test_a_redirect_to_a_redirected_id_fails(store_copy):
    """Redirects must stay flattened: an id whose current target is itself redirected is a problem."""
    _, out = store_copy
    ids = sorted(pq.read_table(next((Store(out).snapshot_dir() / "entities").glob("*.parquet"))).column(
        "entity_id").to_pylist())[:3]

    def chain(t: pa.Table) -> pa.Table:
        from newsdesk import schema
        rd = schema.table("entity_redirects")
        run = Store(out).read("runs").column("run_id")[0].as_py()
        return rd.to_arrow([rd.row(entity_id=ids[0], redirect_to=ids[1], change="merged", run_id=run, version=1),
                            rd.row(entity_id=ids[1], redirect_to=ids[2], change="merged", run_id=run, version=1)])

    rewrite(out, "entity_redirects", chain)
    res = validate(out)
    assert res.exit_code != 0
    assert "entity_redirects: 1 ids redirect to an id that is itself redirected" in res.output


def test_tampering_does_not_touch_older_snapshot_links(store_copy):
    """Sanity of the tamper helper itself: the file was replaced, not edited through its hard link."""
    _, out = store_copy
    f = Store(out).files("articles")[0]
    before = f.stat().st_ino
    rewrite(out, "articles", lambda t: t)
    assert f.stat().st_ino != before


def test_unaccounted_raw_file_fails(good_store, tmp_path):
    raw, out = good_store
    raw2 = tmp_path / "raw"
    shutil.copytree(raw, raw2)
    (raw2 / "arrived_later.txt").write_text("A new article nobody has curated yet.\n", encoding="utf-8")
    res = validate(out, "--raw", str(raw2))
    assert res.exit_code != 0
    assert "raw file not accounted for: arrived_later.txt" in res.output


def test_empty_store_fails(tmp_path):
    res = validate(tmp_path / "nothing")
    assert res.exit_code != 0 and "no curated data" in res.output


@pytest.mark.parametrize("table, column, bad, message", [
    ("files", "outcome", "lost", "files.outcome outside its allowed values: 1 rows"),
    ("quotes", "kind", "term", "quotes.kind outside its allowed values: 1 rows"),
    ("rejects", "reason", "because", "rejects.reason outside its allowed values: 1 rows"),
    ("articles", "language_prob", 1.5, "articles.language_prob > 1: 1 rows"),
])
def test_values_outside_the_declared_constraints_fail(store_copy, table, column, bad, message):
    _, out = store_copy

    def change(t: pa.Table) -> pa.Table:
        values = t.column(column).to_pylist()
        values[0] = bad
        return t.set_column(t.schema.get_field_index(column), t.schema.field(column), pa.array(values, t.schema.field(column).type))

    rewrite(out, table, change)
    res = validate(out)
    assert res.exit_code != 0 and message in res.output, res.output


def test_the_commit_gate_checks_the_new_part_against_what_is_committed(tmp_path):
    from newsdesk.validate import check_snapshot
    from tests.test_store import article, run_tables

    out = tmp_path / "out"
    store = Store(out)
    with store.writer():
        store.commit(run_tables("r1", [article("a1", "x.txt")]), check=check_snapshot)
        snap = store.snapshot_dir()
        assert check_snapshot(snap, "part-000001.parquet") == []
        # a later run adding a1 again under another path: its part is checked against the committed keys
        rejected = None
        try:
            store.commit(run_tables("r2", [article("a1", "y.txt", run="r2")]), check=check_snapshot)
        except Exception as exc:  # CommitRejected
            rejected = str(exc)
    assert rejected and "articles: 1 duplicated primary keys" in rejected
    # a part the commit does not add is not re-read: the gate of commit 2 passes over a damaged old part
    rewrite(out, "articles", lambda t: t.set_column(t.schema.get_field_index("language_prob"),
                                                     t.schema.field("language_prob"), pa.array([7.0])))
    assert any("language_prob > 1" in p for p in check_snapshot(Store(out).snapshot_dir()))
    assert check_snapshot(Store(out).snapshot_dir(), "part-000002.parquet") == []
