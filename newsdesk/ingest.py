"""Discover raw files and read their bytes: the file-system side of ingestion.

Owns :class:`RawFile` and :func:`discover` (walking the raw root without opening a file), and :func:`read_text`
with its :class:`Decoded` result: the checks made before a file is opened (containment, type, size), the capped
read and the capped gzip decompression. The bytes become text in :mod:`newsdesk.decode`. Pure and Prefect-free.
Nothing here raises for a problem with a *file*: every problem becomes a :class:`~newsdesk.rejects.Reject`,
whose reasons :mod:`newsdesk.rejects` lists.

Discovery rules (:func:`discover`)
    * Every regular file under the raw root, recursively, sorted by its relative POSIX path.
    * Hidden entries (name starting with ``.``) are skipped at every level below the root, files and
      folders alike: editors' swap files, ``.DS_Store``, partial downloads such as ``.x.txt.part``.
    * A name that is not valid UTF-8 on disk is rejected ``unreadable`` (a folder with such a name as one
      reject, not descended), under its name with the bad bytes written ``\\xNN``.
    * A symlink to a file inside the root is followed (it is listed under the link's own path); a symlink
      resolving outside the root is rejected ``symlink_outside`` and never opened; a symlink to a directory
      is never followed (its files, when inside the root, are found under their real path).
"""
from __future__ import annotations

import gzip
import hashlib
import io
import os
import stat
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.decode import _decode_text, normalize_text
from newsdesk.rejects import Reject, _Rejected

# normalize_text and Reject stay importable from here, where their callers have always found them
__all__ = ["DEFAULT_MAX_BYTES", "Decoded", "Folder", "RawFile", "Reject", "Walk", "discover", "file_outlet",
           "normalize_text", "read_text", "walk"]

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


# --------------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------------

def discover(raw_root: Path) -> tuple[list[RawFile], list[Reject]]:
    """List every regular file under ``raw_root`` (sorted by path) and reject what cannot be read.

    Raises ``NotADirectoryError`` only when ``raw_root`` itself is not a directory (a configuration
    error, not a file problem). Never opens a file.
    """
    found = walk(raw_root)
    return found.files, found.rejects


@dataclass(frozen=True, slots=True)
class Folder:
    """A raw folder as a listing saw it, kept so that a later run may skip the folder while it is unchanged."""

    path: str  # relative to the raw root, POSIX separators; "" for the root itself
    mtime_ns: int  # the folder's own modification time (it moves when an entry is added, removed or renamed)
    inode: int  # with mtime_ns: a folder replaced by another one is not taken for the old one
    entries: int  # files and rejects directly in it (what a skipped folder adds to the files seen)
    subdirs: tuple[str, ...]  # its sub-folders' relative paths, which are walked even when it is skipped

    def unchanged(self, st: os.stat_result) -> bool:
        """The folder, stat-ed now, is the one recorded, with the same entries (no entry added, removed or renamed)."""
        return self.mtime_ns == st.st_mtime_ns and self.inode == st.st_ino


@dataclass
class Walk:
    """What :func:`walk` found: the files and rejects of the folders it listed, and the folder records."""

    files: list[RawFile] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    skipped: int = 0  # entries of the folders skipped as unchanged (neither listed nor stat-ed)
    folders: list[Folder] = field(default_factory=list)  # settled folders: skipped ones and those listed now


SETTLE_NS = 2_000_000_000  # a folder (or file) changed this recently may still be changing: list it next time


def walk(raw_root: Path, unchanged: Mapping[str, Folder] | None = None) -> Walk:
    """:func:`discover`'s walk. With ``unchanged`` (the folders a previous run recorded, by path), a folder
    whose modification time and inode still match its record is not listed: its files count as seen and
    unchanged, and its recorded sub-folders are walked. A file edited in place does not change its folder's
    time, so callers offer this only when the raw folder is a landing area whose files are never rewritten.

    The returned ``folders`` are the records a later run may trust: every folder skipped, and every folder
    listed now whose time and whose files' times are older than :data:`SETTLE_NS` and whose entries could all be
    stat-ed (a file still being written, one that vanished while listing, or an ``unreadable`` one, which a
    ``chmod`` may fix, keeps its folder listed).
    """
    root = Path(raw_root)
    if not root.is_dir():
        raise NotADirectoryError(f"raw root is not a directory: {root}")
    root_real = os.path.realpath(root)
    out = Walk()
    now = time.time_ns()
    pending: list[tuple[str, str]] = [(str(root), "")]  # (absolute dir, relative path, "" for the root)
    while pending:
        dir_abs, rel_dir = pending.pop()
        prefix = rel_dir + "/" if rel_dir else ""
        try:
            st = os.stat(dir_abs)  # before listing: a change made while listing moves the time past this record
        except OSError as exc:
            out.rejects.append(_reject(rel_dir or ".", "unreadable", f"cannot list directory: {_why(exc)}"))
            continue
        known = unchanged.get(rel_dir) if unchanged else None
        if known is not None and known.unchanged(st):
            out.skipped += known.entries
            out.folders.append(known)
            pending.extend((os.path.join(str(root), d), d) for d in known.subdirs)
            continue
        try:
            with os.scandir(dir_abs) as it:
                entries = list(it)
        except OSError as exc:
            out.rejects.append(_reject(rel_dir or ".", "unreadable", f"cannot list directory: {_why(exc)}"))
            continue
        subdirs: list[str] = []
        n = 0
        settled = st.st_mtime_ns <= now - SETTLE_NS
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            found = _classify_entry(entry, rel, root_real) if _is_utf8(rel) else _bad_name(rel)
            if isinstance(found, str):
                pending.append((entry.path, found))
                subdirs.append(found)
                continue
            n += 1
            if isinstance(found, RawFile):
                out.files.append(found)
                # vanished while listing, or written to in the last moments: look again next time
                settled = settled and 0 <= found.mtime_ns <= now - SETTLE_NS
            else:
                out.rejects.append(found)
                settled = settled and found.reason != "unreadable"  # may be fixed without touching the folder
        if settled:
            out.folders.append(Folder(rel_dir, st.st_mtime_ns, st.st_ino, n, tuple(sorted(subdirs))))
    out.files.sort(key=lambda f: f.path)
    out.rejects.sort(key=lambda r: r.path)
    out.folders.sort(key=lambda f: f.path)
    return out


def count_entries(raw_root: Path, unchanged: Mapping[str, Folder] | None = None) -> int:
    """How many entries :func:`discover` would list (files, symlinks and other non-directories, hidden names
    left out), without a ``stat`` per file: a directory listing's file types suffice. A quick estimate of a
    run's size (``--runner auto``); :func:`discover` is what a run reads. With ``unchanged`` (see
    :func:`walk`), an unchanged folder is not listed: its recorded count is used."""
    n = 0
    root = str(raw_root)
    pending = [(root, "")]
    while pending:
        dir_abs, rel_dir = pending.pop()
        known = unchanged.get(rel_dir) if unchanged else None
        if known is not None:
            try:
                st = os.stat(dir_abs)
            except OSError:
                continue
            if known.unchanged(st):
                n += known.entries
                pending.extend((os.path.join(root, d), d) for d in known.subdirs)
                continue
        prefix = rel_dir + "/" if rel_dir else ""
        try:
            with os.scandir(dir_abs) as it:
                for entry in it:
                    if entry.name.startswith("."):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append((entry.path, prefix + entry.name))
                            continue
                    except OSError:
                        pass
                    n += 1
        except OSError:
            continue
    return n


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
