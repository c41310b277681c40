"""What a run must read: the raw files that are new or changed since the store last saw them.

A file whose size and modification time match a ``file_state`` row of its path was curated (or rejected)
as it is and is skipped without being opened (modification times only move forward, so a match is the
version that row recorded, or one restored with its timestamp, which the manifest also holds); every other file is read, and a file whose content
is a version the manifest already has (touched, or changed and changed back) is recognised by its sha256 in
the prepare step and skipped there. Both lookups are DuckDB joins of the run's paths against the committed
Parquet files, so a run with nothing new costs a directory listing and two joins, whatever the store's size.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from newsdesk.ingest import RawFile
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
