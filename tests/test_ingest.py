"""Unit tests for newsdesk.ingest: discovery, reading, decoding, normalization, every reject reason.

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
from newsdesk.ingest import Decoded, RawFile, Reject, discover, file_outlet, normalize_text, read_text

ARTICLE = "Putin and Kim “signed a comprehensive agreement” on Wednesday – the first in decades."


def put(root: Path, rel: str, data: bytes | str) -> Path:
    path = root.joinpath(*rel.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def decoded(root: Path, rel: str, **kw: int) -> Decoded:
    got = read_text(root, rel, **kw)
    assert isinstance(got, Decoded), got
    return got


def rejected(root: Path, rel: str, reason: str, **kw: int) -> Reject:
    got = read_text(root, rel, **kw)
    assert isinstance(got, Reject), got
    assert got.reason == reason, got
    assert got.path == rel
    assert str(root) not in got.detail  # details do not depend on where the raw root lives
    return got


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
# read_text: encodings
# --------------------------------------------------------------------------------------------------

MIXED = "Le président a déclaré « c’est très bien » – à Zürich, Straße, naïve café."
RUSSIAN = "Президент России Владимир Путин подписал новое соглашение о взаимной помощи с Северной Кореей."


@pytest.mark.parametrize("data, encoding", [
    (MIXED.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + MIXED.encode("utf-8"), "utf-8-sig"),
    (MIXED.encode("utf-16"), "utf-16"),  # native order with BOM
    (b"\xff\xfe" + MIXED.encode("utf-16-le"), "utf-16"),
    (b"\xfe\xff" + MIXED.encode("utf-16-be"), "utf-16"),
    (b"\xff\xfe\x00\x00" + MIXED.encode("utf-32-le"), "utf-32"),
    (b"\x00\x00\xfe\xff" + MIXED.encode("utf-32-be"), "utf-32"),
    (MIXED.encode("utf-16-le"), "utf-16-le"),  # no BOM: detected from the NUL pattern
    (MIXED.encode("utf-16-be"), "utf-16-be"),
    (MIXED.encode("cp1252"), "cp1252"),
])
def test_encodings(raw: Path, data: bytes, encoding: str) -> None:
    put(raw, "a.txt", data)
    got = decoded(raw, "a.txt")
    assert (got.text, got.encoding) == (MIXED, encoding)
    assert got.sha256 == hashlib.sha256(data).hexdigest()
    assert got.size_bytes == len(data)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_cyrillic(raw: Path, codec: str) -> None:
    put(raw, "a.txt", RUSSIAN.encode(codec))
    assert (decoded(raw, "a.txt").text, decoded(raw, "a.txt").encoding) == (RUSSIAN, codec)


def test_utf8_with_one_stray_latin1_pound_byte(raw: Path) -> None:
    data = "He said “it costs ".encode() + b"\xa3" + "5” — and left.".encode()
    put(raw, "a.txt", data)
    got = decoded(raw, "a.txt")
    assert got.text == "He said “it costs £5” — and left."
    assert got.encoding == "utf-8+cp1252"


def test_cp1252_whole_file_with_curly_quotes(raw: Path) -> None:
    text = "He said “we will win” and left — quickly. It cost £5."
    put(raw, "a.txt", text.encode("cp1252"))
    assert (decoded(raw, "a.txt").text, decoded(raw, "a.txt").encoding) == (text, "cp1252")


def test_cp1252_english_whose_only_legacy_bytes_are_punctuation(raw: Path) -> None:
    # charset_normalizer alone calls this cp775 (’ -> Æ); it must stay cp1252.
    text = ("Moscow and Pyongyang’s ties have surged after the US attempted to isolate Russia. According to "
            "TASS, Putin and Kim “signed a comprehensive strategic partnership agreement” – the first since "
            "the Soviet era. Analysts said the deal’s wording “leaves room” for military aid.")
    put(raw, "a.txt", text.encode("cp1252"))
    got = decoded(raw, "a.txt")
    assert (got.text, got.encoding) == (text, "cp1252")


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r"])
def test_legacy_cyrillic_is_guessed(raw: Path, codec: str) -> None:
    put(raw, "a.txt", RUSSIAN.encode(codec))
    got = decoded(raw, "a.txt")
    assert got.text == RUSSIAN
    assert got.encoding == codec


# --------------------------------------------------------------------------------------------------
# normalization
# --------------------------------------------------------------------------------------------------

def test_crlf_and_lone_cr_become_lf(raw: Path) -> None:
    put(raw, "a.txt", b"Title\r\n\r\nFirst para.\rSecond line.\r\n")
    assert decoded(raw, "a.txt").text == "Title\n\nFirst para.\nSecond line."


def test_nfc_not_nfkc() -> None:
    text = "Cafe\u0301 “quoted” ‘single’ – — ﬁ ½"
    assert normalize_text(text) == "Café “quoted” ‘single’ – — ﬁ ½"


def test_controls_nbsp_bom_and_trailing_whitespace() -> None:
    text = "\ufeff\n\nTitle  \t\nA\u00a0B\x01C\x7fD\x85E\tF \n\f\nlast\u2028line\n\n"
    assert normalize_text(text) == "Title\nA BCD\nE\tF\n\n\nlast\nline"


def test_gzip_ok(raw: Path) -> None:
    body = (ARTICLE + "\r\n") * 3
    data = gzip.compress(body.encode("utf-8"))
    put(raw, "outlet/a.txt.gz", data)
    got = decoded(raw, "outlet/a.txt.gz")
    assert got.text == "\n".join([ARTICLE] * 3)
    assert got.sha256 == hashlib.sha256(data).hexdigest()  # of the compressed bytes on disk
    assert got.size_bytes == len(data)


# --------------------------------------------------------------------------------------------------
# read_text: every reject reason
# --------------------------------------------------------------------------------------------------

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


def test_empty(raw: Path) -> None:
    put(raw, "a.txt", b"")
    got = rejected(raw, "a.txt", "empty")
    assert got.size_bytes == 0
    assert got.sha256 == hashlib.sha256(b"").hexdigest()


def test_empty_gzip(raw: Path) -> None:
    put(raw, "a.txt.gz", gzip.compress(b""))
    rejected(raw, "a.txt.gz", "empty")


@pytest.mark.parametrize("data", [b" \n\t\r\n  ", "\u00a0\u2003\n".encode(), b"\xef\xbb\xbf\r\n"])
def test_whitespace_only(raw: Path, data: bytes) -> None:
    put(raw, "a.txt", data)
    rejected(raw, "a.txt", "whitespace_only")


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n" + b"x" * 100,
    b"\xff\xd8\xff\xe0" + b"JFIF text-looking rest" * 5,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nsome text",
    b"PK\x03\x04" + b"a" * 50,
    b"\x7fELF" + b"a" * 50,
    b"GIF89a" + b"a" * 50,
    b"BZh91AY&SY" + b"a" * 50,
    b"Plain text with a NUL \x00 in the middle of it, which text never has.",
    bytes(range(1, 32)) * 10 + b"some letters",
    random.Random(3).randbytes(4096),
    b"\x00\x00\x00\x01" * 300,
])
def test_binary(raw: Path, data: bytes) -> None:
    put(raw, "a.txt", data)
    got = rejected(raw, "a.txt", "binary")
    assert got.sha256 == hashlib.sha256(data).hexdigest()


def test_binary_inside_gzip(raw: Path) -> None:
    put(raw, "a.png.gz", gzip.compress(b"\x89PNG\r\n\x1a\n" + bytes(200)))
    rejected(raw, "a.png.gz", "binary")


def test_undecodable(raw: Path) -> None:
    rng = random.Random(2)
    put(raw, "a.txt", bytes(rng.randrange(0x80, 0x100) for _ in range(2000)))  # one Random, 2000 draws
    got = rejected(raw, "a.txt", "undecodable")
    assert got.sha256 is not None


def test_invalid_utf16_after_bom_is_undecodable(raw: Path) -> None:
    put(raw, "a.txt", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")  # lone high surrogate
    rejected(raw, "a.txt", "undecodable")


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


def test_a_reject_reason_must_be_declared_in_the_schema():
    import pytest

    from newsdesk.ingest import Reject

    Reject("a.txt", None, None, "empty", "0 bytes")
    with pytest.raises(ValueError, match="not declared"):
        Reject("a.txt", None, None, "gremlins", "?")
