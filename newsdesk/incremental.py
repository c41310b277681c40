"""What a run must read: the raw files that are new or changed since the store last saw them.

A file whose size and modification time match a ``file_state`` row of its path was curated (or rejected)
as it is and is skipped without being opened (modification times only move forward, so a match is the
version that row recorded, or one restored with its timestamp, which the manifest also holds); every other file is read, and a file whose content
is a version the manifest already has (touched, or changed and changed back) is recognised by its sha256 in
the prepare step and skipped there. Both lookups are DuckDB joins of the run's paths against the committed
Parquet files, so a run with nothing new costs a directory listing and two joins, whatever the store's size.

That listing stats every raw file (~10 s at 10^6 files). A raw folder used as a *landing area*, where files
arrive (written, copied or renamed in) and are never rewritten in place, can be run with ``changes =
"folders"``: the run then lists only the folders whose own modification time changed since the last run
(adding, removing or renaming an entry moves it) and counts the files of the others from the folder records
(:func:`read_folders`, :func:`write_folders`), so a nothing-new run over date-partitioned folders costs one
stat per folder. Those records are a cache beside the store (``OUT/_raw_folders.json``): written after the run
committed, valid only for the committed run they name and for the same raw folder, and ignored (a full walk)
otherwise. A file edited in place inside an unchanged folder is only noticed by a run with ``changes =
"files"`` (the default), which every run can still choose.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from newsdesk.ingest import Folder, RawFile
from newsdesk.staging import parquet_list


@dataclass
class ToRead:
    files: list[RawFile]  # new or changed: to prepare
    unchanged: int  # skipped: same size and modification time as a curated version
    known: dict[str, frozenset[str]] = field(default_factory=dict)  # path -> sha256s already in the manifest


def files_to_read(files: Sequence[RawFile], file_state: list[Path], manifest: list[Path]) -> ToRead:
    """Split discovered files into unchanged ones and the ones to read (with the versions already known)."""
    if not files or not file_state:
        return ToRead(list(files), 0, _known(files, manifest))
    con = duckdb.connect()
    try:
        con.register("seen", pa.table({"source_path": [f.path for f in files],
                                       "size_bytes": pa.array([f.size for f in files], pa.int64()),
                                       "mtime_ns": pa.array([f.mtime_ns for f in files], pa.int64())}))
        changed = {r[0] for r in con.sql(f"""
            SELECT s.source_path FROM seen s ANTI JOIN (
                SELECT source_path, size_bytes, mtime_ns FROM read_parquet({parquet_list(file_state)})) l
            ON s.source_path = l.source_path AND s.size_bytes = l.size_bytes AND s.mtime_ns = l.mtime_ns
            UNION ALL SELECT source_path FROM seen WHERE mtime_ns < 0""").fetchall()}
    finally:
        con.close()
    to_read = [f for f in files if f.path in changed]
    return ToRead(to_read, len(files) - len(to_read), _known(to_read, manifest))


def _known(files: Sequence[RawFile], manifest: list[Path]) -> dict[str, frozenset[str]]:
    if not files or not manifest:
        return {}
    con = duckdb.connect()
    try:
        con.register("want", pa.table({"source_path": [f.path for f in files]}))
        rows = con.sql(f"""SELECT source_path, list(DISTINCT source_sha256) FROM read_parquet({parquet_list(manifest)})
                           JOIN want USING (source_path) WHERE source_sha256 IS NOT NULL
                           GROUP BY source_path""").fetchall()
    finally:
        con.close()
    return {p: frozenset(s) for p, s in rows}


def last_run_id(store) -> str | None:
    """The id of the store's last committed run (the next run id chains from it; folder records name it)."""
    runs = store.read("runs", columns=["run_id", "finished_at"])
    if not runs.num_rows:
        return None
    return max(zip(runs.column("finished_at").to_pylist(), runs.column("run_id").to_pylist()))[1]


CHANGES = ("files", "folders")  # how a run finds changed raw files: stat every file, or list changed folders
FOLDERS_FILE = "_raw_folders.json"
_FOLDERS_FORMAT = 1


def read_folders(out: Path, raw: Path, last_run_id: str | None) -> dict[str, Folder]:
    """The folder records a run may trust: those written after the committed run ``last_run_id`` over the same
    raw folder. Anything else (no file, another run, another raw folder, a file that does not parse) is no
    record at all, and the run lists every folder."""
    if last_run_id is None:
        return {}
    try:
        data = json.loads((Path(out) / FOLDERS_FILE).read_text(encoding="utf-8"))
        if (data.get("format") != _FOLDERS_FORMAT or data.get("raw") != str(raw)
                or data.get("run_id") != last_run_id):
            return {}
        return {r[0]: Folder(r[0], int(r[1]), int(r[2]), int(r[3]), tuple(r[4])) for r in data["folders"]}
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}


def write_folders(out: Path, raw: Path, run_id: str, folders: Sequence[Folder]) -> None:
    """Record ``folders`` for the next run, as valid after the committed run ``run_id``. Atomic (a temporary
    file renamed into place). Call it only once ``run_id`` is the store's last committed run."""
    from newsdesk.store import publish_mode

    body = json.dumps({"format": _FOLDERS_FORMAT, "raw": str(raw), "run_id": run_id,
                       "folders": [[f.path, f.mtime_ns, f.inode, f.entries, list(f.subdirs)] for f in folders]},
                      separators=(",", ":"))
    fd, tmp = tempfile.mkstemp(dir=out, prefix=".tmp-raw_folders-", suffix=".json")  # swept by Store.recover
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
        publish_mode(tmp)
        os.replace(tmp, Path(out) / FOLDERS_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
