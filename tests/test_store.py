import os
import subprocess
import sys
from datetime import datetime

import duckdb
import pyarrow.parquet as pq
import pytest

from newsdesk import schema
from newsdesk.store import CATALOG, CommitRejected, Store, StoreBusy, connect
from newsdesk.validate import check_snapshot


def article(aid: str, path: str, body: str = "Body text.", run: str = "r1") -> dict:
    return {"article_id": aid, "source_path": path, "source_sha256": "s" + aid, "outlet": None,
            "title": "T", "subtitle": None, "section": None, "author": None, "dateline": None,
            "published_at": None, "language": "en", "language_prob": 0.99, "body": body,
            "paragraph_count": 1, "word_count": len(body.split()), "run_id": run}


def run_tables(run: str, articles: list[dict]) -> dict:
    files = [{"source_path": a["source_path"], "source_sha256": a["source_sha256"], "size_bytes": 10,
              "outcome": "article", "article_id": a["article_id"], "previous_sha256": None, "run_id": run}
             for a in articles]
    now = datetime(2026, 1, 1)
    runs = [{"run_id": run, "started_at": now, "finished_at": now, "status": "committed", "files_seen": 1,
             "files_new": 1, "articles": len(articles), "duplicates": 0, "rejects": 0, "quotes": 0,
             "entity_mentions": 0, "enrich_errors": 0, "seconds": 0.1, "flow_run_id": None,
             "code_version": "test", "step_seconds": "{}"}]
    return {"articles": schema.table("articles").to_arrow(articles),
            "files": schema.table("files").to_arrow(files),
            "runs": schema.table("runs").to_arrow(runs)}


def commit(store: Store, run: str, articles: list[dict], **kw) -> int:
    with store.writer():
        return store.commit(run_tables(run, articles), **kw)


def test_empty_store_reads_empty_tables_with_schema(tmp_path):
    store = Store(tmp_path / "out")
    assert store.version() == 0
    t = store.read("articles")
    assert t.num_rows == 0 and t.schema.names == schema.table("articles").column_names


def test_commits_append_and_every_table_has_a_file(tmp_path):
    store = Store(tmp_path / "out")
    assert commit(store, "r1", [article("a1", "x.txt")], check=check_snapshot) == 1
    assert commit(store, "r2", [article("a2", "y.txt", run="r2")], check=check_snapshot) == 2
    assert sorted(store.read("articles").column("article_id").to_pylist()) == ["a1", "a2"]
    for name in schema.tables():
        files = list((tmp_path / "out" / name).glob("*.parquet"))
        assert files, name  # readers can glob every table, even an empty one
        for f in files:
            assert pq.read_schema(f).equals(schema.table(name).arrow_schema(), check_metadata=False)
    # the per-table folder resolves through `current` to the newest snapshot
    assert pq.read_table(tmp_path / "out" / "articles").num_rows == 2


def test_every_table_is_append_only_and_old_parts_are_hard_links(tmp_path):
    store = Store(tmp_path / "out")
    commit(store, "r1", [article("a1", "x.txt")])
    commit(store, "r2", [article("a2", "y.txt", run="r2")])
    one, two = store.files("articles", 1), store.files("articles", 2)
    assert [f.name for f in two] == ["part-000001.parquet", "part-000002.parquet"]
    assert two[0].stat().st_ino == one[0].stat().st_ino  # the committed part is never rewritten
    assert {t.mode for t in schema.tables().values()} == {"append"}


def test_failed_validation_leaves_last_good_state(tmp_path):
    store = Store(tmp_path / "out")
    commit(store, "r1", [article("a1", "x.txt")], check=check_snapshot)
    bad = run_tables("r2", [article("a1", "dup-key.txt", run="r2")])  # article_id a1 twice
    with store.writer(), pytest.raises(CommitRejected, match="duplicated primary keys"):
        store.commit(bad, check=check_snapshot)
    assert store.version() == 1
    assert store.read("articles").num_rows == 1
    assert not [p for p in store.snapshots.iterdir() if p.name != "000001"]


def test_recover_sweeps_what_a_killed_writer_left(tmp_path):
    store = Store(tmp_path / "out")
    commit(store, "r1", [article("a1", "x.txt")])
    (store.snapshots / ".tmp-abandoned").mkdir()
    (store.snapshots / "000002").mkdir()  # renamed into place but never made current
    with store.writer():
        pass
    assert sorted(p.name for p in store.snapshots.iterdir()) == ["000001"]
    assert store.version() == 1


def test_old_snapshots_are_collected(tmp_path):
    store = Store(tmp_path / "out")
    for i in range(6):
        commit(store, f"r{i}", [article(f"a{i}", f"{i}.txt", run=f"r{i}")])
    assert len([p for p in store.snapshots.iterdir()]) <= 3
    assert store.read("articles").num_rows == 6


def test_second_writer_is_refused(tmp_path):
    store = Store(tmp_path / "out")
    with store.writer():
        other = Store(tmp_path / "out")
        with pytest.raises(StoreBusy, match="another newsdesk run"):
            with other.writer(timeout=0.2):
                pass


def test_catalog_views_comments_and_any_working_directory(tmp_path):
    store = Store(tmp_path / "out")
    commit(store, "r1", [article("a1", "x.txt", body="one two three")])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cwd = os.getcwd()
    try:
        os.chdir(elsewhere)
        con = duckdb.connect(str(tmp_path / "out" / CATALOG), read_only=True)
        assert con.execute("SELECT word_count FROM articles").fetchall() == [(3,)]
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'articles' "
                              "AND column_name = 'body'").fetchone()[0]
        assert comment == schema.table("articles").columns[12].description
        con.close()
    finally:
        os.chdir(cwd)
    assert connect(tmp_path / "out").execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    assert "| `articles` | 1 |" in (tmp_path / "out" / "DATASET.md").read_text()


def test_catalog_opens_in_the_duckdb_command_line_client(tmp_path):
    cli = os.path.join(os.path.dirname(sys.executable), "duckdb")
    assert os.path.exists(cli), "duckdb-cli (a test dependency) is not installed beside python"
    store = Store(tmp_path / "out")
    commit(store, "r1", [article("a1", "x.txt")])
    res = subprocess.run([cli, "-readonly", "-csv", str(tmp_path / "out" / CATALOG), "-c",
                          "SELECT count(*) AS n FROM articles"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["n", "1"]


def test_writer_repairs_derived_files_a_killed_commit_did_not_write(tmp_path):
    store = Store(tmp_path / "out")
    commit(store, "r1", [article("a1", "x.txt")])
    (tmp_path / "out" / CATALOG).unlink()
    (tmp_path / "out" / "articles").unlink()
    with store.writer():
        pass
    assert (tmp_path / "out" / CATALOG).exists() and (tmp_path / "out" / "articles").is_symlink()
    with store.writer():  # nothing to repair the second time
        assert store.repair() is False


def test_an_undeclared_table_is_refused_before_writing(tmp_path):
    store = Store(tmp_path / "out")
    with store.writer(), pytest.raises(ValueError, match="undeclared tables"):
        store.commit({"gossip": schema.table("articles").empty()})
    assert store.version() == 0 and not list(store.snapshots.glob(".tmp-*"))
