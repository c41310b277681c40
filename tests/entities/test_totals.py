"""The key statistics the enrich workers stage and the link step sums (newsdesk.entities.totals)."""
from newsdesk.entities.totals import MILLI, KeyStats, key_stats_table, read_key_stats
from newsdesk.staging import write_part


def test_staged_key_stats_sum_over_parts_like_the_in_memory_merge(tmp_path):
    a = {("Vladimir Putin", "PERSON"): KeyStats(3, 1, {"PERSON": MILLI}, set()),
         ("Food and Drug Administration", "ORG"): KeyStats(2, 1, {"ORG": 700, "PERSON": 300}, {"fda"})}
    b = {("Vladimir Putin", "PERSON"): KeyStats(1, 1, {"PERSON": MILLI, "ORG": 250}, set()),
         ("Food and Drug Administration", "ORG"): KeyStats(1, 1, {"ORG": MILLI}, {"fda", "f d a"}),
         ("Moscow", "GPE"): KeyStats(1, 1, {}, set())}
    write_part(key_stats_table(a), tmp_path / "keys" / "b0.parquet")
    write_part(key_stats_table(b), tmp_path / "keys" / "b1.parquet")
    got = read_key_stats(sorted((tmp_path / "keys").glob("*.parquet")))

    expected: dict = {}
    for part in (a, b):
        for k, s in part.items():
            expected.setdefault(k, KeyStats()).add(s)
    assert got == expected
    assert got[("Vladimir Putin", "PERSON")] == KeyStats(4, 2, {"ORG": 250, "PERSON": 2 * MILLI}, set())
    assert got[("Food and Drug Administration", "ORG")].acronyms == {"fda", "f d a"}
    assert got[("Moscow", "GPE")].votes == {}  # a key without votes stays without


def test_no_staged_keys_is_no_keys(tmp_path):
    assert read_key_stats([]) == {}
    write_part(key_stats_table({}), tmp_path / "keys" / "empty.parquet")
    assert read_key_stats([tmp_path / "keys" / "empty.parquet"]) == {}
