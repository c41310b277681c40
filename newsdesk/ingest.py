"""Discover raw files, read their bytes, decode them to clean text, or reject them with a reason.

Pure and Prefect-free. Nothing here raises for a problem with a *file*: every problem becomes a
:class:`Reject` whose ``reason`` is one of

``vanished``         the file disappeared between discovery and reading
``unreadable``       permission denied, I/O error, a directory, a broken symlink, an unlistable directory
``symlink_outside``  a symlink whose target resolves outside the raw root (never opened)
``not_regular``      a FIFO, socket or device, or a symlink to a directory (never followed)
``too_large``        more than ``max_bytes`` on disk, or after gzip decompression
``truncated_gzip``   a ``.gz`` file that is truncated or corrupt
``empty``            0 bytes (after decompression for ``.gz``)
``whitespace_only``  nothing but whitespace once decoded and normalized
``binary``           a known binary signature, NUL bytes, or too many control bytes
``undecodable``      no encoding gives plausible text

Discovery rules (:func:`discover`)
    * Every regular file under the raw root, recursively, sorted by its relative POSIX path.
    * Hidden entries (name starting with ``.``) are skipped at every level below the root, files and
      folders alike: editors' swap files, ``.DS_Store``, partial downloads such as ``.x.txt.part``.
    * A name that is not valid UTF-8 on disk is rejected ``unreadable`` (a folder with such a name as one
      reject, not descended), under its name with the bad bytes written ``\\xNN``.
    * A symlink to a file inside the root is followed (it is listed under the link's own path); a symlink
      resolving outside the root is rejected ``symlink_outside`` and never opened; a symlink to a directory
      is never followed (its files, when inside the root, are found under their real path).

Decoding order (:func:`read_text`)
    BOM (UTF-32, UTF-8, UTF-16) -> UTF-16 without BOM (NUL pattern, see ``_bomless_utf16``) -> strict UTF-8 ->
    UTF-8 with a few stray legacy bytes, each decoded as cp1252 (``utf-8+cp1252``) -> cp1252 when it reads
    as Western text -> charset_normalizer's best guess for other legacy files (cp1251, koi8-r, GBK, ...).

Normalization (:func:`normalize_text`)
    CRLF and lone CR -> LF; VT, FF, NEL, U+2028, U+2029 -> LF; BOM/U+FEFF removed; other C0 controls
    (except TAB and LF), DEL and C1 controls removed; NBSP -> space; Unicode NFC (not NFKC: typographic
    quotes and dashes are kept); trailing whitespace stripped from every line; leading and trailing blank
    lines removed.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import stat
import unicodedata
import zlib
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from newsdesk import schema

DEFAULT_MAX_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class RawFile:
    """A file found by :func:`discover`."""

    path: str  # relative to the raw root, POSIX separators
    size: int  # bytes per stat at discovery (the target's size for a symlink), -1 if unknown
    mtime_ns: int = -1  # modification time per stat at discovery (the target's for a symlink), -1 if unknown


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file read and decoded to normalized text."""

    path: str
    sha256: str  # of the bytes as stored on disk (the compressed bytes for .gz)
    size_bytes: int  # bytes on disk (compressed size for .gz)
    text: str
    encoding: str  # 'utf-8', 'utf-8-sig', 'utf-16', 'utf-16-le', 'utf-8+cp1252', 'cp1252', ...


@dataclass(frozen=True, slots=True)
class Reject:
    """A raw file (or unlistable directory) that cannot become an article, and why."""

    path: str
    sha256: str | None  # of the raw bytes when they were read, else None
    size_bytes: int | None
    reason: str  # one of the allowed values of rejects.reason (schemas/rejects.toml)
    detail: str

    def __post_init__(self) -> None:
        if self.reason not in schema.allowed("rejects", "reason"):
            raise ValueError(f"reject reason {self.reason!r} is not declared in schemas/rejects.toml")


class _Rejected(Exception):
    """Internal: carries a reject reason out of the helpers to :func:`read_text`."""

    def __init__(self, reason: str, detail: str, size_bytes: int | None = None) -> None:
        super().__init__(reason, detail)
        self.reason, self.detail, self.size_bytes = reason, detail, size_bytes


# --------------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------------

def discover(raw_root: Path) -> tuple[list[RawFile], list[Reject]]:
    """List every regular file under ``raw_root`` (sorted by path) and reject what cannot be read.

    Raises ``NotADirectoryError`` only when ``raw_root`` itself is not a directory (a configuration
    error, not a file problem). Never opens a file.
    """
    root = Path(raw_root)
    if not root.is_dir():
        raise NotADirectoryError(f"raw root is not a directory: {root}")
    root_real = os.path.realpath(root)
    files: list[RawFile] = []
    rejects: list[Reject] = []
    pending: list[tuple[str, str]] = [(str(root), "")]  # (absolute dir, relative prefix)
    while pending:
        dir_abs, prefix = pending.pop()
        try:
            with os.scandir(dir_abs) as it:
                entries = list(it)
        except OSError as exc:
            rejects.append(_reject(prefix.rstrip("/") or ".", "unreadable", f"cannot list directory: {_why(exc)}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            found = _classify_entry(entry, rel, root_real) if _is_utf8(rel) else _bad_name(rel)
            if isinstance(found, str):
                pending.append((entry.path, found + "/"))
            elif isinstance(found, RawFile):
                files.append(found)
            else:
                rejects.append(found)
    files.sort(key=lambda f: f.path)
    rejects.sort(key=lambda r: r.path)
    return files, rejects


def _classify_entry(entry: os.DirEntry[str], rel: str, root_real: str) -> RawFile | Reject | str:
    """A RawFile, a Reject, or ``rel`` itself for a real directory to descend into."""
    try:
        if entry.is_symlink():
            return _classify_symlink(entry.path, rel, root_real)
        st = entry.stat(follow_symlinks=False)
    except FileNotFoundError:
        return RawFile(rel, -1)  # vanished while listing: read_text will say so
    except OSError as exc:
        return _reject(rel, "unreadable", _why(exc))
    if stat.S_ISDIR(st.st_mode):
        return rel
    if stat.S_ISREG(st.st_mode):
        return RawFile(rel, st.st_size, st.st_mtime_ns)
    return _reject(rel, "not_regular", f"not a regular file ({_kind(st.st_mode)})")


def _classify_symlink(link: str, rel: str, root_real: str) -> RawFile | Reject:
    """Follow a symlink only when its target is a regular file inside the root; never open it."""
    target = os.path.realpath(link)
    if not _is_within(target, root_real):
        return _reject(rel, "symlink_outside", f"symlink target resolves outside the raw root: {os.readlink(link)}")
    try:
        st = os.stat(link)
    except OSError as exc:
        return _reject(rel, "unreadable", f"broken symlink: {_why(exc)}")
    if stat.S_ISDIR(st.st_mode):
        return _reject(rel, "not_regular", "symlink to a directory is not followed")
    if not stat.S_ISREG(st.st_mode):
        return _reject(rel, "not_regular", f"symlink to a non-regular file ({_kind(st.st_mode)})")
    return RawFile(rel, st.st_size, st.st_mtime_ns)


def _is_utf8(name: str) -> bool:
    """False for a name whose bytes on disk are not UTF-8 (Python keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bad_name(rel: str) -> Reject:
    """A file (or folder) whose name is not UTF-8: it could not be stored in the tables, so it is rejected
    under a printable version of its name (bad bytes as \\xNN) and never read."""
    printable = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _reject(printable, "unreadable", "file name is not valid UTF-8")


def _is_within(path: str, root_real: str) -> bool:
    return path == root_real or path.startswith(root_real.rstrip(os.sep) + os.sep)


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "fifo"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISDIR, "directory")):
        if test(mode):
            return name
    return "unknown type"


def _why(exc: OSError) -> str:
    """The OS error without the absolute path, so details are the same wherever the raw root lives."""
    return exc.strerror or type(exc).__name__


def _reject(path: str, reason: str, detail: str) -> Reject:
    """A discovery reject: nothing was read, so no hash and no size."""
    return Reject(path, None, None, reason, detail)


def file_outlet(rel_path: str) -> str | None:
    """The first folder of a nested file (``"outlet/a.txt"`` -> ``"outlet"``); None at the top level."""
    head, sep, _ = rel_path.partition("/")
    return head if sep and head else None


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------

def read_text(raw_root: Path, rel_path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded | Reject:
    """Read ``raw_root/rel_path``, decode and normalize it; a :class:`Reject` for any file problem.

    ``max_bytes`` caps both the size on disk and, for ``.gz``, the decompressed size. A ``rel_path``
    that is absolute or contains ``..`` is a caller bug and raises ``ValueError``.
    """
    abs_path = _join_inside(Path(raw_root), rel_path)
    raw: bytes | None = None
    size: int | None = None
    try:
        size = _check_before_open(abs_path, Path(raw_root), max_bytes)
        raw = _read_capped(abs_path, max_bytes)
        sha = hashlib.sha256(raw).hexdigest()
        data = _gunzip_capped(raw, max_bytes) if rel_path.lower().endswith(".gz") else raw
        text, encoding = _decode_text(data)
    except _Rejected as rej:
        if raw is None:
            known = rej.size_bytes if rej.size_bytes is not None else size
            return Reject(rel_path, None, known, rej.reason, rej.detail)
        return Reject(rel_path, hashlib.sha256(raw).hexdigest(), len(raw), rej.reason, rej.detail)
    return Decoded(rel_path, sha, len(raw), text, encoding)


def _join_inside(root: Path, rel_path: str) -> str:
    parts = rel_path.split("/")
    if not rel_path or rel_path.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise ValueError(f"not a clean relative POSIX path: {rel_path!r}")
    return os.path.join(root, *parts)


def _check_before_open(abs_path: str, root: Path, max_bytes: int) -> int:
    """Stat without opening: containment, type and size checks. Returns the size on disk."""
    try:
        is_link = stat.S_ISLNK(os.lstat(abs_path).st_mode)
    except FileNotFoundError:
        raise _Rejected("vanished", "file disappeared before it could be read") from None
    except OSError as exc:
        raise _Rejected("unreadable", _why(exc)) from None
    if not _is_within(os.path.realpath(abs_path), os.path.realpath(root)):
        raise _Rejected("symlink_outside", "path resolves outside the raw root")
    try:
        st = os.stat(abs_path)
    except FileNotFoundError:
        reason = ("unreadable", "broken symlink") if is_link else ("vanished", "file disappeared")
        raise _Rejected(*reason) from None
    except OSError as exc:
        raise _Rejected("unreadable", _why(exc)) from None
    _check_mode(st.st_mode)
    if st.st_size > max_bytes:
        raise _Rejected("too_large", f"{st.st_size} bytes on disk > limit {max_bytes}", st.st_size)
    return st.st_size


def _check_mode(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise _Rejected("unreadable", "is a directory")
    if not stat.S_ISREG(mode):
        raise _Rejected("not_regular", f"not a regular file ({_kind(mode)})")


def _read_capped(abs_path: str, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` (+1 to notice growth). Opens non-blocking and re-checks the type on the
    open descriptor, so a file swapped for a FIFO after the stat cannot hang the run."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(abs_path, flags)
    except FileNotFoundError:
        raise _Rejected("vanished", "file disappeared before it could be read") from None
    except OSError as exc:
        raise _Rejected("unreadable", _why(exc)) from None
    try:
        with os.fdopen(fd, "rb") as fh:
            _check_mode(os.fstat(fh.fileno()).st_mode)
            data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:
                now = os.fstat(fh.fileno()).st_size
                raise _Rejected("too_large", f"grew past the limit {max_bytes} while being read", now)
    except OSError as exc:
        raise _Rejected("unreadable", _why(exc)) from None
    return data


def _gunzip_capped(raw: bytes, max_bytes: int) -> bytes:
    """Decompress a gzip stream, inflating at most ``max_bytes`` + 1 bytes (gzip bombs stay small)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw), mode="rb") as gz:
            data = gz.read(max_bytes + 1)
    except EOFError:
        raise _Rejected("truncated_gzip", "gzip stream ended before its end marker") from None
    except (zlib.error, OSError) as exc:  # gzip.BadGzipFile is an OSError
        raise _Rejected("truncated_gzip", f"corrupt gzip: {exc}") from None
    if len(data) > max_bytes:
        raise _Rejected("too_large", f"decompresses to more than the limit {max_bytes} bytes")
    return data


# --------------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (  # UTF-32 before UTF-16: FF FE 00 00 starts with FF FE
    (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
    (b"%PDF-", "PDF"), (b"PK\x03\x04", "ZIP"), (b"PK\x05\x06", "ZIP"), (b"PK\x07\x08", "ZIP"),
    (b"\x7fELF", "ELF"), (b"\x1f\x8b", "gzip"), (b"\xfd7zXZ\x00", "xz"), (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x28\xb5\x2f\xfd", "zstd"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2"), (b"\xca\xfe\xba\xbe", "Mach-O/class"),
    (b"SQLite format 3\x00", "SQLite"), (b"\x00asm", "WebAssembly"), (b"PAR1", "Parquet"),
    (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"OggS", "Ogg"), (b"fLaC", "FLAC"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_RIFF_KINDS = (b"WAVE", b"AVI ", b"WEBP")

# Control bytes that never occur in text (TAB LF VT FF CR and ESC are allowed: ESC for ISO-2022).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_NON_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
MAX_CONTROL_RATIO = 0.05  # of all bytes
# Characters that mean the decoding went wrong when there are many of them.
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffd\ud800-\udfff\ue000-\uf8ff]")
MAX_BAD_CHAR_RATIO = 0.05  # of non-whitespace characters

_STRAY = re.compile("[\udc80-\udcff]")  # bytes left undecoded by 'surrogateescape'
_NON_ASCII_DECODED = re.compile("[^\x00-\x7f\udc80-\udcff]")
_LETTER = re.compile(r"[^\W\d_]")
_NON_ASCII_LETTER = re.compile("[^\\W\\d_\x00-\x7f]")
MAX_NON_ASCII_LETTER_RATIO = 0.3  # French or German text: under 0.1; Cyrillic read as cp1252: about 1.0


def _legacy_char(byte: int) -> str:
    """A stray byte as cp1252, or as Latin-1 for the five bytes cp1252 leaves undefined."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_LEGACY = {0xDC00 + b: _legacy_char(b) for b in range(0x80, 0x100)}


def _decode_text(data: bytes) -> tuple[str, str]:
    """Decode raw (already decompressed) bytes to normalized text; returns ``(text, encoding)``.

    Raises ``_Rejected`` for empty, binary, undecodable or whitespace-only input.
    """
    if not data:
        raise _Rejected("empty", "0 bytes")
    text, encoding = _decode(data)
    _check_plausible(text)
    text = normalize_text(text)
    if not text.strip():
        raise _Rejected("whitespace_only", "no text after decoding and normalizing whitespace")
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    magic = _binary_signature(data)
    if magic:
        raise _Rejected("binary", f"{magic} signature")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data, codec), codec
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is None:
            raise _Rejected("binary", "contains NUL bytes")
        return utf16
    controls = len(data.translate(None, _NON_CONTROL_BYTES))
    if controls > MAX_CONTROL_RATIO * len(data):
        raise _Rejected("binary", f"{controls} control bytes in {len(data)}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _utf8_with_stray_bytes(data)
    if mixed is not None:
        return mixed, "utf-8+cp1252"
    western = _western_cp1252(data)
    if western is not None:
        return western, "cp1252"
    return _guess_legacy(data)


def _binary_signature(data: bytes) -> str | None:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if _BZIP2.match(data):
        return "bzip2"
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return "RIFF"
    return None


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise _Rejected("undecodable", f"invalid {codec} despite its byte-order mark at byte {exc.start}") from None


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM. In alphabetic text the high byte of each code unit takes only a few values
    (0x00 for ASCII spaces, digits and punctuation, 0x04 for Cyrillic, 0x20 for typographic quotes...),
    a good share of them NUL, while the low byte is almost never NUL. Binary data fails one of these."""
    if len(data) % 2:
        return None
    sample = data[:8192]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for codec, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if high.count(0) >= 0.1 * pairs and low.count(0) <= 0.05 * pairs and len(set(high)) <= 8:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    return None


def _utf8_with_stray_bytes(data: bytes) -> str | None:
    """UTF-8 text with a few legacy bytes (a cp1252 '£' pasted into UTF-8): decode the valid runs as
    UTF-8 and each stray byte as cp1252. Used only when valid multi-byte UTF-8 characters are at least as
    many as the stray bytes; otherwise the file is taken as legacy-encoded throughout."""
    text = data.decode("utf-8", "surrogateescape")
    stray = len(_STRAY.findall(text))
    multibyte = len(_NON_ASCII_DECODED.findall(text))
    if multibyte == 0 or stray > multibyte:
        return None
    return text.translate(_LEGACY)


def _western_cp1252(data: bytes) -> str | None:
    """cp1252 when it reads the bytes as Western text: every byte defined and at most
    :data:`MAX_NON_ASCII_LETTER_RATIO` of the letters non-ASCII. Cyrillic, Greek or CJK bytes read as cp1252
    come out almost all accented Latin letters, so they fall through to charset_normalizer.

    Tried before charset_normalizer because on English text whose only legacy bytes are curly quotes and
    dashes it prefers DOS code pages (cp775 reads ’ as Æ) or breaks Latin ties arbitrarily (cp1250 reads
    "très" as "trčs"). The cost: Polish or Turkish legacy files are read as cp1252 (their bytes are too).
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = len(_LETTER.findall(text))
    non_ascii = len(_NON_ASCII_LETTER.findall(text))
    return text if non_ascii <= MAX_NON_ASCII_LETTER_RATIO * letters else None


def _guess_legacy(data: bytes) -> tuple[str, str]:
    """Any other legacy file: charset_normalizer's best guess (labelled cp1252 if cp1252 reads the same)."""
    best = from_bytes(data).best()
    if best is None:
        raise _Rejected("undecodable", "no encoding gives plausible text")
    return str(best), "cp1252" if "cp1252" in best.could_be_from_charset else best.encoding


def _check_plausible(text: str) -> None:
    bad = len(_BAD_CHARS.findall(text))
    if bad:
        visible = len(text) - sum(text.count(ws) for ws in " \n\r\t")
        if bad > MAX_BAD_CHAR_RATIO * max(visible, 1):
            raise _Rejected("undecodable", f"{bad} control/replacement characters in {visible} after decoding")


# --------------------------------------------------------------------------------------------------
# Normalization
# --------------------------------------------------------------------------------------------------

_REPLACEMENTS: dict[str, str] = {
    **{chr(c): "" for c in range(0x00, 0x20) if c not in (0x09, 0x0A)},  # C0 except TAB and LF
    "\x7f": "",
    **{chr(c): "" for c in range(0x80, 0xA0)},  # C1
    "\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n",
    "\xa0": " ",
    "\ufeff": "",
}
# A regex finds the few characters to replace far faster than str.translate with a dict walks them all.
_TO_REPLACE = re.compile("[" + "".join(re.escape(ch) for ch in _REPLACEMENTS) + "]")


def normalize_text(text: str) -> str:
    """Normalize decoded text (line ends, controls, NBSP, NFC, trailing spaces); see the module docstring."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TO_REPLACE.sub(lambda m: _REPLACEMENTS[m.group()], text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
