"""The real Prefect flow on the five shipped samples: every table checked against the gold."""
import re
import shutil
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsdesk import schema
from newsdesk.store import Store, open_catalog
from newsdesk.validate import check_snapshot

pytestmark = pytest.mark.prefect


def norm(name: str | None) -> str | None:
    if name is None:
        return None
    return re.sub(r"[\s\-]+", " ", unicodedata.normalize("NFKC", name)).strip().casefold()


@pytest.fixture(scope="module")
def curated(prefect_harness, tmp_path_factory, seeds_dir):
    from newsdesk.flows.curate import curate

    raw = tmp_path_factory.mktemp("raw")
    for f in seeds_dir.glob("*.txt"):
        shutil.copy(f, raw / f.name)
    out = tmp_path_factory.mktemp("curated")
    summary = curate(raw=str(raw), out=str(out))
    return raw, out, summary


def test_summary_accounts_for_every_file(curated):
    _, _, s = curated
    assert s["committed"] and s["files_seen"] == 5
    assert (s["articles"], s["duplicates"], s["rejects"]) == (5, 0, 0)


def test_store_passes_validation(curated):
    _, out, _ = curated
    assert check_snapshot(Store(out).snapshot_dir()) == []


def test_articles_match_gold(curated, gold):
    _, out, _ = curated
    rows = {r["source_path"]: r for r in Store(out).read("articles").to_pylist()}
    assert len(rows) == 5
    for g in gold["articles"]:
        a = rows[g["file"]]
        assert a["title"] == g["title"]
        assert a["subtitle"] == g["subtitle"]
        assert a["section"] == g["section"]
        assert a["author"] == g["author"]
        assert (a["published_at"].isoformat() if a["published_at"] else None) == g["published"]
        assert a["language"] == g["language"] and a["language_prob"] > 0.9
        assert a["body"].startswith(g["body_first"]) and a["body"].endswith(g["body_last"])
        for removed in g["removed"]:
            assert removed not in a["body"]
        assert a["word_count"] == len(a["body"].split())


def test_removed_text_audits_gold_boilerplate(curated, gold):
    _, out, _ = curated
    removed = Store(out).read("removed_text").to_pylist()
    for g in gold["articles"]:
        texts = [r["text"] for r in removed if r["source_path"] == g["file"]]
        for want in g["removed"]:
            assert any(t.startswith(want) or want in t for t in texts), (g["file"], want)


def test_quotes_offsets_and_gold_speakers(curated, gold):
    _, out, _ = curated
    store = Store(out)
    bodies = {r["article_id"]: r["body"] for r in store.read("articles").to_pylist()}
    paths = {r["article_id"]: r["source_path"] for r in store.read("articles").to_pylist()}
    quotes = store.read("quotes").to_pylist()
    for q in quotes:
        assert bodies[q["article_id"]][q["start"]:q["end"]] == q["text"]
    strip = lambda t: t.strip().rstrip(".,").strip()  # noqa: E731
    for g in gold["articles"]:
        found = {strip(q["text"]): q for q in quotes if paths[q["article_id"]] == g["file"]}
        for want in g["quotes"]:
            q = found.get(strip(want["text"]))
            assert q is not None, (g["file"], want["text"])
            assert norm(q["speaker"]) == norm(want["speaker"]), (g["file"], want, q["speaker"])


def test_entities_same_and_distinct(curated, gold):
    _, out, _ = curated
    store = Store(out)
    ids: dict[str, set[str]] = {}
    for m in store.read("entity_mentions").to_pylist():
        ids.setdefault(m["surface"], set()).add(m["entity_id"])
    ents = {e["entity_id"]: e for e in store.read("entities").to_pylist()}
    for group in gold["same_entity"]:
        seen = set().union(*(ids.get(s, set()) for s in group))
        assert len(seen) == 1, (group, [ents[i]["name"] for i in seen])
    name_ids = {norm(e["name"]): e["entity_id"] for e in ents.values()}
    for a, b in gold["distinct_entities"]:
        assert norm(a) in name_ids and norm(b) in name_ids, (a, b)  # both found, as entities of their own
        assert name_ids[norm(a)] != name_ids[norm(b)], (a, b)


def test_quote_speakers_link_to_entities(curated):
    _, out, _ = curated
    store = Store(out)
    ents = {e["entity_id"]: e["name"] for e in store.read("entities").to_pylist()}
    linked = [q for q in store.read("quotes").to_pylist() if q["speaker_entity_id"]]
    assert linked
    for q in linked:
        assert q["speaker_entity_id"] in ents


def test_parquet_files_have_declared_schemas_and_catalog_works(curated):
    _, out, _ = curated
    for name, t in schema.tables().items():
        for f in (out / name).glob("*.parquet"):
            assert pq.read_schema(f).equals(t.arrow_schema(), check_metadata=False), name
    con = open_catalog(out)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    assert con.execute("SELECT count(*) FROM files").fetchone()[0] == 5
    con.close()


def test_rerun_is_a_noop_and_fresh_run_is_byte_identical(curated, tmp_path):
    from newsdesk.flows.curate import curate
    from newsdesk.incremental import FOLDERS_FILE

    raw, out, first = curated
    before = Store(out).version()
    again = curate(raw=str(raw), out=str(out))
    assert not again["committed"] and again["files_known"] == 5
    assert Store(out).version() == before
    # its summary and artifact tell the truth: no run id, the store's snapshot and entities
    assert (again["run_id"], again["last_run_id"]) == ("", first["run_id"])
    assert (again["version"], again["entities"]) == (before, Store(out).count_rows("entities"))
    markdown = latest_summary_artifact()
    assert markdown.splitlines()[0] == (f"# newsdesk run: nothing new (store at snapshot {before}, last run "
                                        f"`{first['run_id']}`)")
    assert f"| snapshot | {before} |" in markdown and f"| entities in store | {again['entities']} |" in markdown
    # same input into a fresh store, files copied in reverse order and processed in other batches
    raw2 = tmp_path / "raw"
    raw2.mkdir()
    for f in sorted(raw.iterdir(), reverse=True):
        shutil.copy(f, raw2 / f.name)
    out2 = tmp_path / "out"
    # batches of 2, then cut for 3 workers; raw folders recorded for the next run (changes="folders")
    curate(raw=str(raw2), out=str(out2), batch_size=2, workers=3, changes="folders")
    assert (out2 / FOLDERS_FILE).is_file()
    for name, t in schema.tables().items():
        if not t.reproducible:  # runs, file_state: wall-clock times, file timestamps
            continue
        a = sorted((out / name).glob("*.parquet"))
        b = sorted((out2 / name).glob("*.parquet"))
        assert [f.read_bytes() for f in a] == [f.read_bytes() for f in b], name


def test_every_readme_query_runs_and_who_said_what_uses_canonical_names(curated):
    """The README's SQL examples, as written, on the five samples; "Kim Jong Un" and "Kim Jong-un" (the
    speakers as two articles wrote them) are one row by their entity's canonical name."""
    import duckdb

    from newsdesk.store import connect

    _, out, _ = curated
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    sql = "\n".join(re.findall(r"```sql\n(.*?)```", readme, re.S))
    statements = [s.query for s in duckdb.extract_statements(sql)]
    assert len(statements) >= 8
    con = connect(out)
    results = [con.sql(stmt).fetchall() for stmt in statements]  # every example runs
    speakers = [row[0] for row in results[0]]
    raw = {r[0] for r in con.sql("SELECT speaker FROM quotes").fetchall()}
    assert {"Kim Jong Un", "Kim Jong-un"} <= raw  # the articles spell him two ways ...
    assert len([s for s in speakers if s and s.startswith("Kim Jong")]) == 1  # ... the example counts him once


def latest_summary_artifact() -> str:
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    async def read():
        async with get_client() as client:
            arts = await client.read_artifacts(artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["newsdesk-run-summary"])), limit=1, sort=ArtifactSort.CREATED_DESC)
            return arts[0].data

    return asyncio.run(read())
