"""What a run must read: unchanged files (same size and mtime as a curated version) are skipped unread."""
import os

import pyarrow as pa
import pyarrow.parquet as pq

from newsdesk.incremental import files_to_read
from newsdesk.ingest import RawFile


def _state(tmp_path, name, rows):
    f = tmp_path / name
    pq.write_table(pa.table({"source_path": [r[0] for r in rows], "size_bytes": pa.array([r[1] for r in rows], pa.int64()),
                             "mtime_ns": pa.array([r[2] for r in rows], pa.int64()),
                             "source_sha256": [r[3] for r in rows], "run_id": ["r"] * len(rows)}), f)
    return f


def test_only_new_or_changed_files_are_read_and_known_versions_come_along(tmp_path):
    # part-000001: a.txt and b.txt as first seen; part-000002: b.txt changed since (its latest state)
    s1 = _state(tmp_path, "part-000001.parquet", [("a.txt", 10, 100, "sa"), ("b.txt", 20, 200, "sb1")])
    s2 = _state(tmp_path, "part-000002.parquet", [("b.txt", 21, 210, "sb2")])
    manifest = tmp_path / "files.parquet"
    pq.write_table(pa.table({"source_path": ["a.txt", "b.txt", "b.txt"], "source_sha256": ["sa", "sb1", "sb2"]}),
                   manifest)
    files = [RawFile("a.txt", 10, 100), RawFile("b.txt", 20, 200), RawFile("c.txt", 5, 50),
             RawFile("d.txt", 7, -1)]
    got = files_to_read(sorted(files + [RawFile("b2.txt", 3, 3)], key=lambda f: f.path), [s1, s2], [manifest])
    # b.txt has its first version's stat again (restored with its timestamp): that version is curated too
    assert [f.path for f in got.files] == ["b2.txt", "c.txt", "d.txt"]  # d: no mtime, always read
    assert got.unchanged == 2 and got.known == {}
    got = files_to_read([RawFile("b.txt", 22, 220)], [s1, s2], [manifest])
    assert [f.path for f in got.files] == ["b.txt"] and got.known == {"b.txt": frozenset({"sb1", "sb2"})}


def test_a_fresh_store_reads_everything(tmp_path):
    files = [RawFile("a.txt", 1, 1)]
    assert files_to_read(files, [], []).files == files


def test_a_touched_file_is_read_again_then_recognised_by_content(tmp_path):
    """The end-to-end version: a second run skips unread, a touched file is read and found known."""
    from newsdesk.local import curate_local

    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(3):
        (raw / f"{i}.txt").write_text(f"Headline {i}\n\nA first paragraph about topic number {i} that is long "
                                      f"enough to be an article body, with more words about {i}.\n", encoding="utf-8")
    first = curate_local(raw, tmp_path / "out")
    again = curate_local(raw, tmp_path / "out")
    assert first.committed and not again.committed
    assert (again.files_seen, again.files_known, again.files_unread) == (3, 3, 3)
    st = (raw / "1.txt").stat()
    os.utime(raw / "1.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    touched = curate_local(raw, tmp_path / "out")
    assert not touched.committed and (touched.files_known, touched.files_unread) == (3, 2)
