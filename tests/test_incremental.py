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


def _article(path, i):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Headline {i}\n\nA first paragraph about topic number {i} that is long enough to be an "
                    f"article body, with more words about {i}.\n", encoding="utf-8")


def _age(root, seconds=60):
    for d in [root, *root.rglob("*")]:
        st = d.stat()
        os.utime(d, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


def test_folder_records_are_trusted_only_after_the_run_and_for_the_raw_folder_they_name(tmp_path):
    from newsdesk.incremental import FOLDERS_FILE, read_folders, write_folders
    from newsdesk.ingest import Folder

    folders = [Folder("", 5, 7, 1, ("d",)), Folder("d", 6, 8, 2, ())]
    write_folders(tmp_path, tmp_path / "raw", "run-1", folders)
    assert read_folders(tmp_path, tmp_path / "raw", "run-1") == {"": folders[0], "d": folders[1]}
    assert read_folders(tmp_path, tmp_path / "raw", "run-2") == {}  # a later run committed: records are stale
    assert read_folders(tmp_path, tmp_path / "other", "run-1") == {}  # another raw folder
    assert read_folders(tmp_path, tmp_path / "raw", None) == {}  # an empty store
    (tmp_path / FOLDERS_FILE).write_text("{not json", encoding="utf-8")
    assert read_folders(tmp_path, tmp_path / "raw", "run-1") == {}  # damaged: a full walk, never an error
    assert [p.name for p in tmp_path.iterdir()] == [FOLDERS_FILE]  # no temporary file left behind


def test_changes_folders_skips_unchanged_folders_and_gives_the_tables_of_a_full_walk(tmp_path):
    """A landing folder by day: runs with changes="folders" skip the days already curated, still account for
    every file, and give the same tables as runs that stat every file."""
    from newsdesk import schema
    from newsdesk.incremental import FOLDERS_FILE
    from newsdesk.local import curate_local

    raw = tmp_path / "raw"
    for i in range(3):
        _article(raw / "day1" / f"{i}.txt", i)
    _article(raw / "day2" / "0.txt", 10)
    _age(raw)
    folders, files = tmp_path / "by_folders", tmp_path / "by_files"
    first = curate_local(raw, folders, changes="folders")
    assert first.committed and first.files_new == 4 and (folders / FOLDERS_FILE).is_file()
    assert curate_local(raw, files).files_new == 4
    again = curate_local(raw, folders, changes="folders")
    assert not again.committed and (again.files_seen, again.files_known, again.files_unread) == (4, 4, 4)

    # a new day arrives (written elsewhere, renamed in), and a file is renamed into an old day
    _article(tmp_path / "incoming" / "0.txt", 20)
    (tmp_path / "incoming").rename(raw / "day3")
    _article(tmp_path / "1.txt", 11)
    (tmp_path / "1.txt").rename(raw / "day2" / "1.txt")
    grown = curate_local(raw, folders, changes="folders")
    assert grown.committed and (grown.files_seen, grown.files_new) == (6, 2)
    assert grown.files_unread == 4  # day1's three files were not even listed; day2/0.txt was stat-ed
    assert curate_local(raw, files).files_new == 2
    for name, t in schema.tables().items():
        if t.reproducible:
            a, b = sorted((folders / name).glob("*.parquet")), sorted((files / name).glob("*.parquet"))
            assert [f.read_bytes() for f in a] == [f.read_bytes() for f in b], name

    # the documented limit: a file rewritten in place leaves its folder's listing unchanged
    _age(raw)
    curate_local(raw, folders, changes="folders")  # records the aged folders
    _article(raw / "day1" / "0.txt", 99)
    assert curate_local(raw, folders, changes="folders").files_new == 0
    assert curate_local(raw, folders).files_new == 1  # a run with changes="files" sees it
