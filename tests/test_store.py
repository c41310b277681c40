import os
import shutil
import stat
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from newsdesk import schema
from newsdesk.store import CATALOG, CommitRejected, Store, StoreBusy, connect, open_catalog
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
        con = open_catalog(tmp_path / "out")  # read-only, file_search_path = the store
        assert con.execute("SELECT word_count FROM articles").fetchall() == [(3,)]
        comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'articles' "
                              "AND column_name = 'body'").fetchone()[0]
        assert comment == schema.table("articles").columns[12].description
        con.close()
        os.chdir(tmp_path / "out")  # plain DuckDB, from the store's folder: no setting needed
        con = duckdb.connect(CATALOG, read_only=True)
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
        con.close()
    finally:
        os.chdir(cwd)
    assert connect(tmp_path / "out").execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    assert "| `articles` | 1 |" in (tmp_path / "out" / "DATASET.md").read_text()


def test_a_copied_store_reads_its_own_files_and_a_moved_one_works(tmp_path):
    """The catalog's views are relative to the store: a copy never reads the original (it did with
    absolute paths), a moved store needs no `newsdesk catalog`."""
    orig = tmp_path / "orig"
    commit(Store(orig), "r1", [article("a1", "x.txt")])
    copy = tmp_path / "copy"
    shutil.copytree(orig, copy, symlinks=True)
    commit(Store(orig), "r2", [article("a2", "y.txt", run="r2")])  # the original moves on
    con = open_catalog(copy)
    assert con.execute("SELECT article_id FROM articles").fetchall() == [("a1",)]
    con.close()
    shutil.rmtree(orig)  # ... and may disappear
    con = open_catalog(copy)
    assert con.execute("SELECT count(*) FROM files").fetchone()[0] == 1
    con.close()
    moved = tmp_path / "elsewhere" / "moved"
    moved.parent.mkdir()
    os.rename(copy, moved)
    con = open_catalog(moved)
    assert con.execute("SELECT article_id FROM articles").fetchall() == [("a1",)]
    con.close()
    res = subprocess.run([duckdb_cli(), "-readonly", "-csv", CATALOG, "-c", "SELECT count(*) AS n FROM articles"],
                         capture_output=True, text=True, timeout=60, cwd=moved)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["n", "1"]


def duckdb_cli() -> str:
    cli = os.path.join(os.path.dirname(sys.executable), "duckdb")
    assert os.path.exists(cli), "duckdb-cli (a test dependency) is not installed beside python"
    return cli


def test_catalog_opens_in_the_duckdb_command_line_client(tmp_path):
    store = Store(tmp_path / "out")
    commit(store, "r1", [article("a1", "x.txt")])
    out = tmp_path / "out"
    for cwd, args in ((out, [CATALOG]),  # from the store's folder
                      (tmp_path, ["-cmd", f"SET file_search_path = '{out}'", str(out / CATALOG)])):
        res = subprocess.run([duckdb_cli(), "-readonly", "-csv", *args, "-c", "SELECT count(*) AS n FROM articles"],
                             capture_output=True, text=True, timeout=60, cwd=cwd)
        assert res.returncode == 0, res.stderr
        assert res.stdout.split() == ["n", "1"]


def test_store_files_are_readable_under_the_umask(tmp_path):
    """tempfile creates 0600 files and 0700 folders; what a commit publishes gets the umask's modes."""
    old = os.umask(0o022)
    try:
        store = Store(tmp_path / "out")
        commit(store, "r1", [article("a1", "x.txt")])
        commit(store, "r2", [article("a2", "y.txt", run="r2")])
    finally:
        os.umask(old)
    out = tmp_path / "out"
    assert_modes(out, file_mode=0o644, dir_mode=0o755)
    old = os.umask(0o027)  # a stricter umask is honoured, not widened
    try:
        commit(store, "r3", [article("a3", "z.txt", run="r3")])
    finally:
        os.umask(old)
    snap = store.snapshot_dir()
    assert stat.S_IMODE(snap.stat().st_mode) == 0o750
    old_part = snap / "articles" / "part-000001.parquet"  # hard-linked from an earlier snapshot: kept as it was
    assert stat.S_IMODE(old_part.stat().st_mode) == 0o644
    assert stat.S_IMODE((snap / "articles" / "part-000003.parquet").stat().st_mode) == 0o640
    assert stat.S_IMODE((out / "DATASET.md").stat().st_mode) == 0o640


def test_a_commit_fixes_the_modes_of_parts_written_before(tmp_path):
    """Stores written before the fix hold 0600 parts that every snapshot hard-links: the next commit fixes them."""
    old = os.umask(0o022)
    try:
        store = Store(tmp_path / "out")
        commit(store, "r1", [article("a1", "x.txt")])
        for f in (tmp_path / "out").glob("_snapshots/*/*/*.parquet"):
            os.chmod(f, 0o600)
        commit(store, "r2", [article("a2", "y.txt", run="r2")])
    finally:
        os.umask(old)
    for f in store.snapshot_dir().glob("*/*.parquet"):
        assert stat.S_IMODE(f.stat().st_mode) == 0o644, f


def assert_modes(out, file_mode: int, dir_mode: int) -> None:
    published = [out / CATALOG, out / "DATASET.md", *out.glob("_snapshots/*/*/*.parquet")]
    assert len(published) > 10
    for f in published:
        assert stat.S_IMODE(f.stat().st_mode) == file_mode, f
    for d in [*out.glob("_snapshots/*"), *out.glob("_snapshots/*/*")]:
        assert stat.S_IMODE(d.stat().st_mode) == dir_mode, d


def test_another_account_can_read_the_store(tmp_path):
    """A downstream team on another account (here: nobody) lists the snapshot, reads the card and the
    Parquet files, and queries the catalog with the DuckDB command-line client."""
    if os.geteuid() != 0:
        pytest.skip("needs root to run a command as another user (setpriv)")
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is not installed")
    base = Path(tempfile.mkdtemp(prefix="newsdesk-shared-"))  # pytest's tmp_path is 0700: not reachable
    try:
        os.chmod(base, 0o755)
        old = os.umask(0o022)
        try:
            out = base / "out"
            commit(Store(out), "r1", [article("a1", "x.txt")])
        finally:
            os.umask(old)
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        part = next(out.glob("articles/*.parquet"))
        res = subprocess.run([*nobody, "sh", "-c", f"ls {out}/current/articles >/dev/null && "
                              f"head -c 4 {part} && head -n 1 {out}/DATASET.md"],
                             capture_output=True, text=True, timeout=60)
        assert res.returncode == 0, res.stderr
        assert res.stdout.startswith("PAR1")
        cli = duckdb_cli()
        if not all(os.access(p, os.X_OK) for p in Path(cli).parents if str(p) != "/"):
            pytest.skip(f"{cli} is not reachable by another account")
        res = subprocess.run([*nobody, cli, "-readonly", "-csv", CATALOG, "-c", "SELECT count(*) AS n FROM articles"],
                             capture_output=True, text=True, timeout=60, cwd=out,
                             env={"HOME": str(base), "PATH": os.environ.get("PATH", "")})
        assert res.returncode == 0, res.stderr
        assert res.stdout.split() == ["n", "1"]
    finally:
        shutil.rmtree(base, ignore_errors=True)


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
