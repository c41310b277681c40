"""Unit tests for newsdesk.ingest: discovery, reading (checks before opening, capped reads, gzip), the reject
reasons of the file side. Decoding and normalization: tests/test_decode.py; the reasons: tests/test_rejects.py.

Bad files are generated in tmp_path; nothing here needs Prefect or the network.
"""
from __future__ import annotations

import builtins
import gzip
import hashlib
import os
import random
import socket
import tracemalloc
from pathlib import Path

import pytest

from newsdesk import ingest
from newsdesk.ingest import RawFile, Reject, discover, file_outlet, read_text
from tests.ingest_helpers import ARTICLE, decoded, put, rejected


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    root.mkdir()
    return root


@pytest.fixture
def open_spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every path passed to os.open / open while the test runs."""
    opened: list[str] = []
    real_os_open, real_open = os.open, builtins.open

    def spy_os_open(path, *args, **kwargs):
        opened.append(os.fspath(path))
        return real_os_open(path, *args, **kwargs)

    def spy_open(file, *args, **kwargs):
        if not isinstance(file, int):
            opened.append(os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy_os_open)
    monkeypatch.setattr(builtins, "open", spy_open)
    return opened


# --------------------------------------------------------------------------------------------------
# discover
# --------------------------------------------------------------------------------------------------

def test_discover_nested_sorted_and_deterministic(raw: Path) -> None:
    names = ["b.txt", "a.txt", "outlet/z.txt", "outlet/deep/er/x.txt", "A.txt", "outlet2/a.txt"]
    for name in random.Random(7).sample(names, len(names)):
        put(raw, name, ARTICLE)
    files, rejects = discover(raw)
    assert rejects == []
    assert [f.path for f in files] == sorted(names)
    assert all(f.size == len(ARTICLE.encode()) for f in files)
    assert discover(raw) == (files, rejects)


def test_discover_skips_hidden_files_and_folders(raw: Path) -> None:
    put(raw, "keep.txt", ARTICLE)
    put(raw, ".hidden.txt", ARTICLE)
    put(raw, ".git/objects/x.txt", ARTICLE)
    put(raw, "outlet/.partial.txt.part", ARTICLE)
    files, rejects = discover(raw)
    assert [f.path for f in files] == ["keep.txt"]
    assert rejects == []


def test_discover_odd_names(raw: Path) -> None:
    names = ["a b.txt", "it's \"quoted\".txt", "Zürich – Überblick.txt", "日本語.txt", "emoji 🎉.txt",
             "semi;colon$dollar.txt", "outlet with space/x.txt", "new\nline.txt", "back\\slash.txt", "-dash.txt"]
    for name in names:
        put(raw, name, ARTICLE)
    files, _ = discover(raw)
    assert [f.path for f in files] == sorted(names)
    for f in files:
        assert decoded(raw, f.path).text == ARTICLE


def test_discover_rejects_names_that_are_not_utf8(raw: Path) -> None:
    put(raw, "ok.txt", ARTICLE)
    fd = os.open(os.path.join(os.fsencode(raw), b"caf\xe9.txt"), os.O_WRONLY | os.O_CREAT)
    os.close(fd)
    os.mkdir(os.path.join(os.fsencode(raw), b"d\xe9j\xe0"))
    put(raw, "x/y.txt", ARTICLE)
    files, rejects = discover(raw)
    assert [f.path for f in files] == ["ok.txt", "x/y.txt"]
    assert [(r.path, r.reason) for r in rejects] == [("caf\\xe9.txt", "unreadable"), ("d\\xe9j\\xe0", "unreadable")]


def test_discover_symlink_inside_root_is_followed(raw: Path) -> None:
    target = put(raw, "real/a.txt", ARTICLE)
    (raw / "link.txt").symlink_to(target)
    (raw / "rel_link.txt").symlink_to(Path("real") / "a.txt")
    files, rejects = discover(raw)
    assert rejects == []
    size, mtime = target.stat().st_size, target.stat().st_mtime_ns
    assert files == [RawFile("link.txt", size, mtime), RawFile("real/a.txt", size, mtime),
                     RawFile("rel_link.txt", size, mtime)]
    assert decoded(raw, "link.txt").text == ARTICLE


def test_symlink_outside_root_is_rejected_and_never_opened(tmp_path: Path, raw: Path, open_spy: list[str]) -> None:
    fifo = tmp_path / "outside.fifo"  # opening it for reading would block forever
    os.mkfifo(fifo)
    secret = put(tmp_path, "secret.txt", "top secret")
    (raw / "evil.txt").symlink_to(fifo)
    (raw / "evil2.txt").symlink_to(Path("..") / "secret.txt")
    (raw / "evil_dir").symlink_to(tmp_path, target_is_directory=True)
    files, rejects = discover(raw)
    assert files == []
    assert [(r.path, r.reason, r.sha256) for r in rejects] == [
        ("evil.txt", "symlink_outside", None), ("evil2.txt", "symlink_outside", None),
        ("evil_dir", "symlink_outside", None)]
    for rel in ("evil.txt", "evil2.txt"):
        assert rejected(raw, rel, "symlink_outside").sha256 is None
    assert not {os.fspath(fifo), os.fspath(secret)} & {os.path.realpath(p) for p in open_spy}
    assert not any("evil" in p for p in open_spy)


def test_discover_broken_symlink_and_special_files(raw: Path) -> None:
    (raw / "broken.txt").symlink_to(raw / "missing.txt")
    os.mkfifo(raw / "pipe.txt")
    (raw / "linked_pipe.txt").symlink_to(raw / "pipe.txt")
    (raw / "sub").mkdir()
    (raw / "sub_link").symlink_to(raw / "sub", target_is_directory=True)
    files, rejects = discover(raw)
    assert files == []
    assert [(r.path, r.reason) for r in rejects] == [
        ("broken.txt", "unreadable"), ("linked_pipe.txt", "not_regular"), ("pipe.txt", "not_regular"),
        ("sub_link", "not_regular")]
    rejected(raw, "broken.txt", "unreadable")
    rejected(raw, "pipe.txt", "not_regular")  # must not block


def test_discover_socket_is_not_regular(raw: Path) -> None:
    path = raw / "s.sock"
    if len(os.fsencode(path)) > 100:
        pytest.skip("tmp path too long for an AF_UNIX socket")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(os.fspath(path))
        _, rejects = discover(raw)
        assert [(r.path, r.reason) for r in rejects] == [("s.sock", "not_regular")]
        rejected(raw, "s.sock", "not_regular")


def test_discover_unlistable_directory_does_not_crash(raw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(raw, "ok/a.txt", ARTICLE)
    put(raw, "locked/b.txt", ARTICLE)
    real_scandir = os.scandir

    def scandir(path):
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, rejects = discover(raw)
    assert [f.path for f in files] == ["ok/a.txt"]
    assert rejects == [Reject("locked", None, None, "unreadable", "cannot list directory: Permission denied")]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permission bits")
def test_discover_unreadable_directory_for_real(raw: Path) -> None:
    put(raw, "locked/b.txt", ARTICLE)
    (raw / "locked").chmod(0)
    try:
        files, rejects = discover(raw)
    finally:
        (raw / "locked").chmod(0o755)
    assert files == []
    assert [(r.path, r.reason) for r in rejects] == [("locked", "unreadable")]


def test_discover_missing_root_raises(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError):
        discover(tmp_path / "nope")


def test_file_outlet() -> None:
    assert file_outlet("a.txt") is None
    assert file_outlet("reuters/a.txt") == "reuters"
    assert file_outlet("the guardian/2024/a.txt") == "the guardian"


# --------------------------------------------------------------------------------------------------
# read_text: gzip, and every reject reason of the file side
# --------------------------------------------------------------------------------------------------

def test_gzip_ok(raw: Path) -> None:
    body = (ARTICLE + "\r\n") * 3
    data = gzip.compress(body.encode("utf-8"))
    put(raw, "outlet/a.txt.gz", data)
    got = decoded(raw, "outlet/a.txt.gz")
    assert got.text == "\n".join([ARTICLE] * 3)
    assert got.sha256 == hashlib.sha256(data).hexdigest()  # of the compressed bytes on disk
    assert got.size_bytes == len(data)


def test_vanished(raw: Path) -> None:
    got = rejected(raw, "gone.txt", "vanished")
    assert (got.sha256, got.size_bytes) == (None, None)


def test_directory_is_unreadable(raw: Path) -> None:
    (raw / "dir.txt").mkdir()
    rejected(raw, "dir.txt", "unreadable")


def test_permission_denied_is_unreadable(raw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(raw, "a.txt", ARTICLE)
    real_open = os.open

    def deny(path, *args, **kwargs):
        if os.fspath(path).endswith("a.txt"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    got = rejected(raw, "a.txt", "unreadable")
    assert (got.detail, got.sha256, got.size_bytes) == ("Permission denied", None, len(ARTICLE.encode()))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permission bits")
def test_mode_000_file_is_unreadable(raw: Path) -> None:
    put(raw, "a.txt", ARTICLE).chmod(0)
    rejected(raw, "a.txt", "unreadable")


def test_too_large_is_rejected_without_opening(raw: Path, open_spy: list[str]) -> None:
    put(raw, "big.txt", ARTICLE * 100)
    got = rejected(raw, "big.txt", "too_large", max_bytes=1000)
    assert got.size_bytes == len((ARTICLE * 100).encode())
    assert got.sha256 is None
    assert open_spy == []


def test_file_growing_past_the_cap_mid_read(raw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    put(raw, "a.txt", ARTICLE * 100)
    monkeypatch.setattr(ingest, "_check_before_open", lambda *a: 10)  # as if stat saw a small file
    got = rejected(raw, "a.txt", "too_large", max_bytes=1000)
    assert got.sha256 is None
    assert got.size_bytes == len((ARTICLE * 100).encode())


def test_empty_gzip(raw: Path) -> None:
    put(raw, "a.txt.gz", gzip.compress(b""))
    rejected(raw, "a.txt.gz", "empty")


def test_binary_inside_gzip(raw: Path) -> None:
    put(raw, "a.png.gz", gzip.compress(b"\x89PNG\r\n\x1a\n" + bytes(200)))
    rejected(raw, "a.png.gz", "binary")


def test_truncated_gzip(raw: Path) -> None:
    data = gzip.compress((ARTICLE * 50).encode())
    put(raw, "a.txt.gz", data[: len(data) // 2])
    got = rejected(raw, "a.txt.gz", "truncated_gzip")
    assert got.sha256 == hashlib.sha256(data[: len(data) // 2]).hexdigest()


def test_not_gzip_named_gz(raw: Path) -> None:
    put(raw, "a.txt.gz", ARTICLE)
    rejected(raw, "a.txt.gz", "truncated_gzip")


def test_gzip_bomb_is_capped_while_streaming(raw: Path) -> None:
    path = raw / "bomb.txt.gz"
    with gzip.open(path, "wb", compresslevel=1) as gz:
        chunk = b"a" * (1 << 20)
        for _ in range(64):  # 64 MiB inflated, ~64 KiB on disk
            gz.write(chunk)
    tracemalloc.start()
    try:
        got = rejected(raw, "bomb.txt.gz", "too_large", max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * (1 << 20)
    assert got.size_bytes == path.stat().st_size


def test_bad_rel_path_is_a_caller_error(raw: Path) -> None:
    for bad in ("../x.txt", "/etc/passwd", "a//b.txt", ""):
        with pytest.raises(ValueError, match="relative POSIX path"):
            read_text(raw, bad)


def test_the_old_import_path_still_gives_reject_and_normalize_text():
    from newsdesk import decode, rejects

    assert ingest.Reject is rejects.Reject and ingest.normalize_text is decode.normalize_text


def test_count_entries_counts_what_discover_lists(tmp_path):
    from newsdesk.ingest import count_entries, discover

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "y.txt").write_text("y")
    (tmp_path / ".hidden.swp").write_text("z")
    (tmp_path / "a" / "link.txt").symlink_to(tmp_path / "y.txt")
    files, rejects = discover(tmp_path)
    assert count_entries(tmp_path) == len(files) + len(rejects) == 3


# --------------------------------------------------------------------------------------------------
# walk with folder records (changes = "folders")
# --------------------------------------------------------------------------------------------------

def _age(root: Path, seconds: int = 60) -> None:
    """Set every folder's and file's modification time ``seconds`` into the past (settled, as a landing folder's
    past days are)."""
    for d in [root, *root.rglob("*")]:
        st = d.stat()
        os.utime(d, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


def test_walk_without_records_lists_what_discover_lists_and_records_settled_folders(raw: Path) -> None:
    put(raw, "2026/12/01/a.txt", ARTICLE)
    put(raw, "2026/12/02/b.txt", ARTICLE)
    put(raw, "top.txt", ARTICLE)
    _age(raw)
    found = ingest.walk(raw)
    assert (found.files, found.rejects) == discover(raw) and found.skipped == 0
    by_path = {f.path: f for f in found.folders}
    assert sorted(by_path) == ["", "2026", "2026/12", "2026/12/01", "2026/12/02"]
    assert by_path[""].entries == 1 and by_path[""].subdirs == ("2026",)
    assert by_path["2026/12"].subdirs == ("2026/12/01", "2026/12/02") and by_path["2026/12/01"].entries == 1


def test_walk_skips_unchanged_folders_and_still_finds_new_files_below_them(raw: Path) -> None:
    put(raw, "d1/a.txt", ARTICLE)
    put(raw, "d1/b.txt", ARTICLE)
    put(raw, "d2/c.txt", ARTICLE)
    _age(raw)
    records = {f.path: f for f in ingest.walk(raw).folders}
    put(raw, "d2/sub/new.txt", ARTICLE)  # d2 changes (a new sub-folder); d1 and the root do not
    again = ingest.walk(raw, records)
    assert [f.path for f in again.files] == ["d2/c.txt", "d2/sub/new.txt"]  # d1's two files were not listed
    assert again.skipped == 2
    # what a skipped folder holds still counts: every file is accounted for
    assert len(again.files) + len(again.rejects) + again.skipped == 4 == ingest.count_entries(raw, records)
    # d2 and its new sub-folder changed a moment ago: they are listed again next time, d1 stays skipped
    assert {f.path for f in again.folders} == {"", "d1"}
    assert ingest.walk(raw, {f.path: f for f in again.folders}).skipped == 2


def test_walk_lists_a_folder_replaced_by_another_with_the_same_time(raw: Path) -> None:
    put(raw, "d/a.txt", ARTICLE)
    _age(raw)
    records = {f.path: f for f in ingest.walk(raw).folders}
    st = (raw / "d").stat()
    (raw / "d").rename(raw / ".old")
    put(raw, "d/b.txt", ARTICLE)
    os.utime(raw / "d", ns=(st.st_atime_ns, st.st_mtime_ns))  # same time, another folder (inode)
    os.utime(raw, ns=(st.st_atime_ns, records[""].mtime_ns))  # even with the root's time put back
    assert [f.path for f in ingest.walk(raw, records).files] == ["d/b.txt"]


def test_walk_does_not_record_a_folder_it_must_look_at_again(raw: Path) -> None:
    put(raw, "fresh/a.txt", ARTICLE)  # changed just now: a change within the same clock tick could follow
    put(raw, "old/b.txt", ARTICLE)
    (raw / "old" / "bad\udcff.txt".encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")).write_text("x")
    st = (raw / "old").stat()
    os.utime(raw / "old", ns=(st.st_atime_ns, st.st_mtime_ns - 60 * 10**9))
    found = ingest.walk(raw)
    assert [r.reason for r in found.rejects] == ["unreadable"]  # the name is not UTF-8
    assert {f.path for f in found.folders} == set()  # root and fresh: too recent; old: holds an unreadable entry


def test_walk_does_not_record_a_folder_whose_file_is_still_being_written(raw: Path) -> None:
    put(raw, "day/a.txt", ARTICLE)
    put(raw, "day/b.txt", ARTICLE)
    _age(raw)
    with open(raw / "day" / "b.txt", "a", encoding="utf-8") as f:  # a download still appending to it
        f.write("more")
    assert {f.path for f in ingest.walk(raw).folders} == {""}  # "day" is listed again next time
