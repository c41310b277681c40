"""Incremental runs: the files manifest makes a re-run a no-op, a grown folder costs only its new files, and
the tables after any history of runs equal one run over everything."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsdesk.store import Store
from tests.flows.opshelp import (ENTITY_CASES, HISTORY_COLUMNS, HISTORY_TABLES, METRO_FOOTER, article_text,
                                 diff_tables, quote_clusters, table_rows, tree_state, write_corpus,
                                 write_entity_cases)

pytestmark = [pytest.mark.prefect, pytest.mark.slow]

N_FIRST, N_MORE = 36, 18


@pytest.fixture(scope="module")
def grown(prefect_harness, tmp_path_factory):
    """One raw folder curated in two runs (first N_FIRST articles, then N_MORE more) and the same final
    folder curated in one run."""
    from newsdesk.flows.curate import curate

    base = tmp_path_factory.mktemp("incremental")
    raw, inc, full = base / "raw", base / "inc", base / "full"
    write_corpus(raw, N_FIRST, dup_every=12)
    write_entity_cases(raw, 1)
    s1 = curate(raw=str(raw), out=str(inc))
    state1 = tree_state(inc)
    s_noop = curate(raw=str(raw), out=str(inc))
    state_noop = tree_state(inc)
    v_noop = Store(inc).version()

    added = write_corpus(raw, N_MORE, start=N_FIRST, dup_every=12) + write_entity_cases(raw, 2)
    # a new file that is an exact copy of an article committed by the first run (dedup'd against the store)
    old = raw / "wire" / "a0_00000.txt"
    (raw / "zlate").mkdir()
    shutil.copyfile(old, raw / "zlate" / "late_copy_of_00000.txt")
    added.append("zlate/late_copy_of_00000.txt")
    s2 = curate(raw=str(raw), out=str(inc))
    s_full = curate(raw=str(raw), out=str(full))
    return dict(raw=raw, inc=inc, full=full, s1=s1, s_noop=s_noop, s2=s2, s_full=s_full, added=added,
                state1=state1, state_noop=state_noop, v_noop=v_noop)


def test_first_run_commits(grown):
    s1 = grown["s1"]
    assert s1["committed"] and s1["version"] == 1
    assert s1["files_new"] == s1["files_seen"] == N_FIRST + N_FIRST // 12 + len(ENTITY_CASES[1])


def test_an_outlets_repeated_footer_is_learned_and_removed(grown):
    store = Store(grown["inc"])
    articles = store.read("articles").to_pylist()
    assert not any(METRO_FOOTER in a["body"] for a in articles)
    removed = [r for r in store.read("removed_text").to_pylist() if r["rule"] == "repeated_line"]
    metro = {a["article_id"] for a in articles if a["outlet"] == "metro"}
    assert len(metro) == (N_FIRST + N_MORE) // 3
    assert {r["article_id"] for r in removed} == metro and {r["text"] for r in removed} == {METRO_FOOTER}


def test_second_run_changes_nothing(grown):
    s = grown["s_noop"]
    assert not s["committed"]
    assert s["files_new"] == 0
    assert s["files_known"] == grown["s1"]["files_seen"]
    assert grown["v_noop"] == 1  # the store version did not move
    # not one file, symlink or folder under the store was created, removed or rewritten (mtime_ns)
    assert grown["state_noop"] == grown["state1"]


def test_grown_folder_processes_only_new_files(grown):
    s2 = grown["s2"]
    assert s2["committed"] and s2["version"] == 2
    assert s2["files_new"] == len(grown["added"])
    assert s2["files_known"] == grown["s1"]["files_seen"]
    files = Store(grown["inc"]).read("files").to_pylist()
    run2 = {f["source_path"] for f in files if f["run_id"] == s2["run_id"]}
    assert run2 == set(grown["added"])
    late = next(f for f in files if f["source_path"] == "zlate/late_copy_of_00000.txt")
    assert late["outcome"] == "duplicate"  # dedup'd against the articles already in the store
    first = next(f for f in files if f["source_path"] == "wire/a0_00000.txt")
    assert late["article_id"] == first["article_id"]


def test_incremental_history_equals_one_run(grown):
    """Same rows in every table (sorted; run_id and the runs table's own rows aside), and the same quote
    clusters (a cluster keeps the id it was first committed with: compared as a partition)."""
    inc = table_rows(grown["inc"], drop_qualified=HISTORY_COLUMNS, skip=HISTORY_TABLES, views=True)
    full = table_rows(grown["full"], drop_qualified=HISTORY_COLUMNS, skip=HISTORY_TABLES, views=True)
    assert not diff_tables(inc, full), "\n".join(diff_tables(inc, full))
    assert quote_clusters(grown["inc"]) == quote_clusters(grown["full"])
    runs_inc = Store(grown["inc"]).read("runs").to_pylist()
    runs_full = Store(grown["full"]).read("runs").to_pylist()
    assert len(runs_inc) == 2 and len(runs_full) == 1
    for k in ("files_new", "articles", "duplicates", "rejects", "quotes", "entity_mentions"):
        assert sum(r[k] for r in runs_inc) == runs_full[0][k], k


def test_entities_settle_by_the_totals_of_every_run(grown):
    """A type, a spelling and a join that the second run changes: the grown store gives the one-run entities,
    the first run's ids redirect to them, and committed rows keep the ids they were committed with."""
    from newsdesk.fingerprint import short_hash
    from newsdesk.store import connect

    for out in (grown["inc"], grown["full"]):
        con = connect(out)
        got = dict(con.sql("SELECT name, type FROM entities WHERE name IN ('Yukos', 'Kim Jong Un', 'Kim Jong-un', "
                           "'Roddick', 'Andy Roddick')").fetchall())
        assert got == {"Yukos": "ORG", "Kim Jong Un": "PERSON", "Andy Roddick": "PERSON"}, (out, got)
        roddick = con.sql("SELECT aliases, article_count FROM entities WHERE name = 'Andy Roddick'").fetchall()
        assert roddick == [(["Andy Roddick", "Roddick"], 3)]
    redirects = {(r["entity_id"], r["redirect_to"], r["change"])
                 for r in Store(grown["inc"]).read("entity_redirects").to_pylist()}
    assert {(short_hash("PERSON", "Yukos"), short_hash("ORG", "Yukos"), "retyped"),
            (short_hash("PERSON", "Kim Jong-un"), short_hash("PERSON", "Kim Jong Un"), "renamed"),
            (short_hash("PERSON", "Roddick"), short_hash("PERSON", "Andy Roddick"), "merged")} <= redirects
    assert not Store(grown["full"]).read("entity_redirects").num_rows
    # the first run's mentions keep their ids in the Parquet files; the documented SQL resolves them
    import duckdb
    inc = Path(grown["inc"])
    raw_ids = {r[0] for r in duckdb.sql(f"SELECT DISTINCT entity_id FROM '{inc}/entity_mentions/*.parquet'").fetchall()}
    assert short_hash("PERSON", "Yukos") in raw_ids
    resolved = duckdb.sql(f"""
        SELECT DISTINCT coalesce(r.redirect_to, m.entity_id) FROM '{inc}/entity_mentions/*.parquet' m
        LEFT JOIN (SELECT entity_id, arg_max(redirect_to, version) AS redirect_to
                   FROM '{inc}/entity_redirects/*.parquet' GROUP BY entity_id) r USING (entity_id)""").fetchall()
    current = {r[0] for r in connect(inc).sql("SELECT entity_id FROM entities").fetchall()}
    assert {r[0] for r in resolved} <= current


def test_no_file_version_twice(grown):
    files = Store(grown["inc"]).read("files").to_pylist()
    keys = [(f["source_path"], f["source_sha256"]) for f in files]
    assert len(keys) == len(set(keys))


def test_changed_file_keeps_both_versions(prefect_harness, tmp_path):
    """Files edited in place: each new version is processed; both versions stay accounted for, and the new
    manifest row points at the version it replaced (files.previous_sha256). A small edit is a near
    duplicate of the committed version; a rewrite is a new article."""
    from newsdesk.flows.curate import curate

    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 6, dup_every=0)
    curate(raw=str(raw), out=str(out))
    small, rewritten = raw / "wire" / "a0_00003.txt", raw / "global" / "a0_00002.txt"
    text = small.read_text(encoding="utf-8")
    small.write_text(text.replace(" later (item ", " afterwards (item ", 1), encoding="utf-8")
    rewritten.write_text(article_text(99), encoding="utf-8")
    s2 = curate(raw=str(raw), out=str(out))
    assert s2["committed"] and s2["files_new"] == 2 and s2["files_known"] == 4
    assert (s2["articles"], s2["duplicates"], s2["duplicates_near"]) == (1, 1, 1)

    store = Store(out)
    articles = {a["article_id"]: a for a in store.read("articles").to_pylist()}
    for path, outcome in (("wire/a0_00003.txt", "duplicate"), ("global/a0_00002.txt", "article")):
        versions = [f for f in store.read("files").to_pylist() if f["source_path"] == path]
        assert len(versions) == 2
        old, new = sorted(versions, key=lambda f: f["run_id"] == s2["run_id"])
        assert old["source_sha256"] != new["source_sha256"]
        assert (old["previous_sha256"], new["previous_sha256"]) == (None, old["source_sha256"])
        assert old["outcome"] == "article" and old["article_id"] in articles  # kept: append-only, auditable
        assert new["outcome"] == outcome
        if outcome == "duplicate":
            assert new["article_id"] == old["article_id"]
        else:
            assert new["article_id"] in articles and new["article_id"] != old["article_id"]

    # the current version of every path: the manifest row that no later row names as its previous one
    import duckdb
    con = duckdb.connect()
    glob = str(Path(out) / "files" / "*.parquet")
    n = con.execute(f"""SELECT count(*) FROM read_parquet('{glob}') f WHERE NOT EXISTS (
        SELECT 1 FROM read_parquet('{glob}') g WHERE g.source_path = f.source_path
        AND g.previous_sha256 = f.source_sha256)""").fetchall()[0][0]
    assert n == 6
    # and running again is a no-op
    s3 = curate(raw=str(raw), out=str(out))
    assert not s3["committed"]
