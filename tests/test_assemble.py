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
    manifest = pa.table({"source_path": ["bad.bin", "gone.txt"], "source_sha256": ["s1", ""]})
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
