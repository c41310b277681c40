"""The ``dedup_index`` table: one MinHash signature and its band keys per kept article, across runs.

Owns the Arrow schemas of ``dedup_index`` and ``duplicates`` (from ``schemas/``), building index rows
(:func:`index_table`), reading them back as arrays and refusing an index signed under another
:func:`~newsdesk.dedup.minhash.minhash_tag` (:func:`index_arrays`), and joining a batch's band keys against
the index's (:func:`join_keys`).
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from newsdesk import schema
from newsdesk.dedup.minhash import minhash_tag

__all__ = ["INDEX_SCHEMA", "DUPLICATE_SCHEMA", "index_table", "band_key_column", "index_arrays", "join_keys"]

_INDEX = schema.table("dedup_index")
#: The dedup_index table, as declared in schemas/dedup_index.toml.
INDEX_SCHEMA = _INDEX.arrow_schema()
#: The duplicates table (schemas/duplicates.toml) without run_id, which the caller adds.
DUPLICATE_SCHEMA = pa.schema([f for f in schema.table("duplicates").arrow_schema() if f.name != "run_id"])


def index_table(ids: list[str], paths: list[str], nsh: np.ndarray, sigs: np.ndarray, keys: np.ndarray,
                tag: str) -> pa.Table:
    """``dedup_index`` rows (INDEX_SCHEMA): one per article, its signature as little-endian uint32 bytes."""
    n = len(ids)
    sig_col = pa.array([r.tobytes() for r in sigs.astype("<u4")], type=pa.binary()) if n else \
        pa.array([], type=pa.binary())
    return _INDEX.from_columns({
        "article_id": pa.array(ids, pa.string()), "source_path": pa.array(paths, pa.string()),
        "shingle_count": pa.array(nsh, pa.int32()), "signature": sig_col, "band_keys": band_key_column(keys),
        "minhash": pa.array([tag] * n, pa.string()),
    })


def band_key_column(keys: np.ndarray) -> pa.ListArray:
    """An ``(n, bands)`` array of band keys as an Arrow list<uint64> column."""
    n = keys.shape[0]
    flat_keys = pa.array(keys.reshape(-1), type=pa.uint64())
    offsets = pa.array(np.arange(n + 1, dtype=np.int32) * keys.shape[1], type=pa.int32())
    return pa.ListArray.from_arrays(offsets, flat_keys)


def index_arrays(index: pa.Table | None, num_perm: int, bands: int, rows: int, seed: int):
    if index is None or index.num_rows == 0:
        return [], np.zeros((0, num_perm), np.uint32), np.zeros((0, bands), np.uint64)
    tag = minhash_tag(num_perm, bands, rows, seed)
    tags = set(index.column("minhash").unique().to_pylist())
    if tags != {tag}:
        raise ValueError(f"dedup_index was signed with {sorted(tags)}, this code signs with {tag!r}: "
                         "re-sign the kept articles before deduplicating against it")
    ids = index.column("article_id").to_pylist()
    sig_bytes = b"".join(index.column("signature").to_pylist())
    sigs = np.frombuffer(sig_bytes, dtype="<u4").reshape(len(ids), num_perm).astype(np.uint32)
    keys = np.asarray(index.column("band_keys").combine_chunks().flatten().to_numpy(zero_copy_only=False),
                      dtype=np.uint64).reshape(len(ids), bands)
    return ids, sigs, keys


def join_keys(new_keys: np.ndarray, old_keys: np.ndarray) -> np.ndarray:
    """Pairs (new row, old row) sharing at least one band key; unique, sorted."""
    if new_keys.size == 0 or old_keys.size == 0:
        return np.zeros((0, 2), dtype=np.int64)
    of = old_keys.reshape(-1)
    orow = np.repeat(np.arange(old_keys.shape[0], dtype=np.int64), old_keys.shape[1])
    order = np.argsort(of, kind="stable")
    of, orow = of[order], orow[order]
    nf = new_keys.reshape(-1)
    nrow = np.repeat(np.arange(new_keys.shape[0], dtype=np.int64), new_keys.shape[1])
    lo = np.searchsorted(of, nf, side="left")
    hi = np.searchsorted(of, nf, side="right")
    cnt = hi - lo
    if not cnt.any():
        return np.zeros((0, 2), dtype=np.int64)
    rel = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    p = np.stack([np.repeat(nrow, cnt), orow[np.repeat(lo, cnt) + rel]], axis=1)
    return np.unique(p, axis=0)
