"""Committed entities a run's names can meet: looked up out of core, never the whole table."""
import pyarrow as pa
import pyarrow.parquet as pq

from newsdesk.entities.corpus import KeyStats, resolve_keys
from newsdesk.entities.index import committed_candidates, person_tokens


def _registry(tmp_path, rows):
    f = tmp_path / "part-000001.parquet"
    pq.write_table(pa.table({"entity_id": [r[0] for r in rows], "name": [r[1] for r in rows],
                             "type": [r[2] for r in rows], "name_key": [r[3] for r in rows],
                             "run_id": ["r"] * len(rows)}), f)
    return [f]


ROWS = [("e1", "Vladimir Putin", "PERSON", "vladimir putin"), ("e2", "Kim Jong Un", "PERSON", "kim jong un"),
        ("e3", "Kim Yo Jong", "PERSON", "kim yo jong"), ("e4", "Moscow", "GPE", "moscow"),
        ("e5", "Putin Street", "FAC", "putin street")]


def test_candidates_are_exact_names_and_persons_sharing_a_first_or_last_token(tmp_path):
    files = _registry(tmp_path, ROWS)
    got = committed_candidates(files, {"moscow"}, person_tokens({"putin", "kim"}))
    assert [r["entity_id"] for r in got] == ["e1", "e2", "e3", "e4"]  # not the street: not a PERSON
    assert committed_candidates(files, set(), set()) == [] and committed_candidates([], {"moscow"}) == []


def test_resolving_against_candidates_joins_short_names_and_keeps_committed_ids(tmp_path):
    files = _registry(tmp_path, ROWS)
    stats = {("Putin", "PERSON"): KeyStats(3, 2), ("Kim", "PERSON"): KeyStats(1, 1),
             ("Moscow", "GPE"): KeyStats(2, 2), ("Sergei Lavrov", "PERSON"): KeyStats(1, 1)}
    norms = {"putin", "kim", "moscow", "sergei lavrov"}
    existing = committed_candidates(files, norms, person_tokens(norms))
    key_eid, new = resolve_keys(stats, existing)
    assert key_eid[("Putin", "PERSON")] == "e1" and key_eid[("Moscow", "GPE")] == "e4"
    assert key_eid[("Kim", "PERSON")] not in {"e2", "e3"}  # two fuller names: ambiguous, kept apart
    assert {name for name, _ in new.values()} == {"Kim", "Sergei Lavrov"}
