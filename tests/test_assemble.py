"""Reduce steps: run ids, reject bookkeeping, manifest lookups."""
from datetime import datetime

import pyarrow as pa

from newsdesk import assemble, schema
from newsdesk.ingest import Reject


def test_run_id_depends_on_the_set_of_new_files_and_the_previous_run():
    a = assemble.run_id_for(None, [("x", "1"), ("y", "2")])
    assert a == assemble.run_id_for(None, [("y", "2"), ("x", "1")])
    assert a != assemble.run_id_for("prev", [("x", "1"), ("y", "2")])
    assert a != assemble.run_id_for(None, [("x", "1")])


def test_a_file_that_keeps_failing_is_recorded_once():
    manifest = pa.table({"source_path": ["bad.bin", "gone.txt"], "source_sha256": ["s1", None]})
    rejects = [Reject("bad.bin", "s1", 3, "binary", "NUL"), Reject("gone.txt", None, None, "vanished", "x"),
               Reject("new.bin", "s2", 3, "binary", "NUL"), Reject("bad.bin", "s3", 3, "binary", "changed")]
    assert [(r.path, r.sha256) for r in assemble.new_rejects(rejects, manifest)] == [
        ("bad.bin", "s3"), ("new.bin", "s2")]


def test_known_versions_and_previous_run():
    manifest = pa.table({"source_path": ["a", "a", "b"], "source_sha256": ["1", "2", "3"]})
    assert assemble.known_versions(manifest) == {"a": frozenset({"1", "2"}), "b": frozenset({"3"})}
    runs = schema.table("runs").empty()
    assert assemble.previous_run_id(runs) is None
    runs = pa.table({"run_id": ["r1", "r2"], "finished_at": [datetime(2026, 1, 2), datetime(2026, 1, 1)]})
    assert assemble.previous_run_id(runs) == "r1"


def _prepared(path: str, body_paragraphs: list[str]):
    from newsdesk.ingest import Decoded
    from newsdesk.prepare import prepare_file

    text = "A headline for " + path + "\n\n" + "\n\n".join(body_paragraphs) + "\n"
    return prepare_file(Decoded(path, "sha-" + path, len(text), text, "utf-8"))


def test_strip_repeated_lines_removes_an_outlets_footer_and_records_where():
    footer = "Send your tips to the Harbor Gazette newsroom desk any hour of the day."
    topics = ["harbor dredging", "school budgets", "ferry fares", "road salt", "library hours"]
    ex = [_prepared(f"ex/{i}.txt", [f"The council debated {t} late into the night.",
                                    f"Residents asked about {t} again, and officials promised answers.", footer])
          for i, t in enumerate(topics)]
    other = [_prepared(f"other/{i}.txt", [f"Another outlet's story about {t}.", footer])
             for i, t in enumerate(topics[:2])]
    out = {p.source_path: p for p in assemble.strip_repeated_lines(ex + other)}
    for p in ex:
        got = out[p.source_path]
        assert footer not in got.paragraphs and len(got.paragraphs) == 2
        assert got.paragraph_positions == p.paragraph_positions[:2]
        rep = [r for r in got.removed if r.rule == "repeated_line"]
        assert [(r.text, r.position) for r in rep] == [(footer, p.paragraph_positions[2])]
        assert got.article_id == p.article_id  # ids never depend on the rest of the corpus
    for p in other:  # the same line in only 2 articles of another outlet stays
        assert out[p.source_path] == p
    assert assemble.strip_repeated_lines(ex[:4]) == ex[:4]  # below the threshold of 5 articles
