"""Unit tests for newsdesk.decode: encodings, normalization, and the reject reasons of decoding (empty, whitespace
only, binary, undecodable), through newsdesk.ingest.read_text on files generated in tmp_path."""
from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest

from newsdesk.decode import normalize_text
from tests.ingest_helpers import decoded, put, rejected


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    root = tmp_path / "raw"
    root.mkdir()
    return root


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


# --------------------------------------------------------------------------------------------------
# the reject reasons of decoding
# --------------------------------------------------------------------------------------------------

def test_empty(raw: Path) -> None:
    put(raw, "a.txt", b"")
    got = rejected(raw, "a.txt", "empty")
    assert got.size_bytes == 0
    assert got.sha256 == hashlib.sha256(b"").hexdigest()


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


def test_undecodable(raw: Path) -> None:
    rng = random.Random(2)
    put(raw, "a.txt", bytes(rng.randrange(0x80, 0x100) for _ in range(2000)))  # one Random, 2000 draws
    got = rejected(raw, "a.txt", "undecodable")
    assert got.sha256 is not None


def test_invalid_utf16_after_bom_is_undecodable(raw: Path) -> None:
    put(raw, "a.txt", b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")  # lone high surrogate
    rejected(raw, "a.txt", "undecodable")
