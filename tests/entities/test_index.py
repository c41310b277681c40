"""Committed entity rows a run's names can meet: looked up out of core (DuckDB over Parquet), never whole tables;
the answers equal the in-memory store's."""
import pyarrow.parquet as pq

from newsdesk import schema
from newsdesk.entities.corpus import MemoryStore, key_stats, resolve_keys
from newsdesk.entities.index import StoreLookup, committed_candidates, person_tokens, redirected_count
from tests.entities.test_incremental_entities import A, _pool


def _write(tmp_path, store: MemoryStore) -> dict:
    """The in-memory store's tables as Parquet parts, one per run (version), as the store commits them."""
    files = {}
    tables = {"entities": list(store.registry_rows.values()), "entity_names": store.name_rows,
              "entity_redirects": store.redirect_rows}
    for name, rows in tables.items():
        t = schema.table(name)
        d = tmp_path / name
        d.mkdir(exist_ok=True)
        f = d / "part-000001.parquet"
        pq.write_table(t.to_arrow([t.row(**{c: r[c] for c in t.column_names}) for r in rows]), f)
        files[name] = [f]
    return files


ROWS = [("e1", "Vladimir Putin", "PERSON", "vladimir putin"), ("e2", "Kim Jong Un", "PERSON", "kim jong un"),
        ("e3", "Kim Yo Jong", "PERSON", "kim yo jong"), ("e4", "Moscow", "GPE", "moscow"),
        ("e5", "Putin Street", "FAC", "putin street")]


def test_speaker_candidates_are_current_exact_names_and_persons_sharing_a_first_or_last_token(tmp_path):
    t = schema.table("entities")
    f = tmp_path / "entities.parquet"
    pq.write_table(t.to_arrow([t.row(entity_id=i, name=n, type=ty, name_key=k, run_id="r") for i, n, ty, k in ROWS]), f)
    got = committed_candidates([f], {"moscow"}, person_tokens({"putin", "kim"}))
    assert [r["entity_id"] for r in got] == ["e1", "e2", "e3", "e4"]  # not the street: not a PERSON
    assert committed_candidates([f], set(), set()) == [] and committed_candidates([], {"moscow"}) == []
    rd = schema.table("entity_redirects")
    g = tmp_path / "redirects.parquet"
    pq.write_table(rd.to_arrow([rd.row(entity_id="e2", redirect_to="e3", change="merged", run_id="r", version=2)]), g)
    got = committed_candidates({"entities": [f], "entity_redirects": [g]}, {"moscow"}, person_tokens({"kim"}))
    assert [r["entity_id"] for r in got] == ["e3", "e4"]  # e2 is redirected: not a candidate
    assert redirected_count([g]) == 1 and redirected_count([]) == 0


def test_store_lookup_answers_as_the_memory_store(tmp_path):
    arts = _pool(3, 60)
    store = MemoryStore()
    store.add(arts[:20])
    store.add(arts[20:40])
    files = _write(tmp_path, store)
    stats = key_stats(arts[40:])
    want = resolve_keys(stats, store, run_id="r3", version=3)
    with StoreLookup(files) as look:
        got = resolve_keys(stats, look, run_id="r3", version=3)
        names = sorted({r["name_key"] for r in store.name_rows})
        assert sorted(map(str, look.names_by_key(names))) == sorted(map(str, store.names_by_key(names)))
        ids = sorted(store.registry_rows)
        assert look.current(ids) == store.current(ids) and look.pointing_to(ids) == store.pointing_to(ids)
        assert sorted(map(str, look.names_of_entities(ids[:5]))) == sorted(map(str, store.names_of_entities(ids[:5])))
    assert (got.keymap, got.entities, got.redirects, got.names) == (want.keymap, want.entities, want.redirects,
                                                                    want.names)


def test_a_run_reads_only_the_names_it_can_meet(tmp_path):
    store = MemoryStore()
    store.add([A("a", ("Vladimir Putin", "Vladimir Putin", "PERSON")), A("b", ("Moscow", "Moscow", "GPE")),
               A("c", ("Angela Merkel", "Angela Merkel", "PERSON"), ("Berlin", "Berlin", "GPE"))])
    files = _write(tmp_path, store)
    with StoreLookup(files) as look:
        res = resolve_keys(key_stats([A("d", ("Putin", "Putin", "PERSON"), ("Moscow", "Moscow", "GPE"))]), look,
                           run_id="r2", version=2)
    assert res.committed_loaded == 2  # vladimir putin, moscow: not merkel, not berlin
    assert set(res.keymap.values()) == {e["entity_id"] for e in store.entities()
                                        if e["name"] in ("Vladimir Putin", "Moscow")}
