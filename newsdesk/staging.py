"""The run's staging area: Parquet parts written by the workers, merged into one sorted part per table.

Workers never send rows to the driver. A map step writes what it produced (article bodies, removed text,
mentions, quotes) as Parquet parts under ``OUT/_staging/<run token>/<table>/`` and returns a small summary.
At commit, :func:`write_sorted` turns each table's staged parts into the one part the snapshot gets: DuckDB
reads them out of core (optionally joined with small lookup tables the driver computed, such as entity ids),
sorts the rows by the table's declared order (``order_by`` in ``schemas/``, else its primary key) and streams
them to a Parquet file of exactly the declared schema, in row groups of a fixed number of rows. The part's
bytes therefore depend on the rows only, never on how many batches or workers produced them. The staging area
of a run that died is swept by the next writer (:meth:`newsdesk.store.Store.recover`).

A multi-machine runner needs the store's folder (and so ``_staging``) on storage every worker can reach.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newsdesk import schema

STAGING = "_staging"
ROW_GROUP_ROWS = 16_384  # rows per Parquet row group of a committed part (bounded memory when writing)
DUCKDB_MEMORY_LIMIT = "512MB"  # DuckDB spills to disk past this while sorting a run's rows or deduplicating


def write_part(table: pa.Table, path: Path | str) -> Path:
    """Write one staged part atomically (a worker's output; the name must be unique within the run)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def parquet_list(files: list[Path]) -> str:
    """A DuckDB list literal of Parquet paths, for ``read_parquet([...])``."""
    return "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"


@dataclass
class Staged:
    """A table's rows for a commit, as a DuckDB query over staged parts (and small lookup tables).

    ``sql`` must select exactly the table's declared columns; ``lookups`` are Arrow tables registered under
    their key before the query runs (e.g. an entity-id mapping to join with staged mentions).
    """

    sql: str
    lookups: Mapping[str, pa.Table] = field(default_factory=dict)

    @classmethod
    def parts(cls, files: list[Path], name: str) -> Staged | pa.Table:
        """The staged parts of a table whose staged rows already have the declared columns (an empty table
        when no task wrote any)."""
        if not files:
            return schema.table(name).empty()
        cols = ", ".join(f'"{c}"' for c in schema.table(name).column_names)
        return cls(f"SELECT {cols} FROM read_parquet({parquet_list(files)})")


def _order_clause(name: str) -> str:
    return ", ".join(f'"{c}" ASC NULLS FIRST' for c in schema.table(name).sort_key)


def _rechunk(batches, target: pa.Schema, rows: int):
    """Batches of exactly ``rows`` rows (the last one shorter), cast to ``target``."""
    pending: list[pa.RecordBatch] = []
    n = 0
    for batch in batches:
        pending.append(batch)
        n += batch.num_rows
        while n >= rows:
            t = pa.Table.from_batches(pending, schema=target)
            yield t.slice(0, rows)
            rest = t.slice(rows)
            pending, n = rest.to_batches(), rest.num_rows
    if n:
        yield pa.Table.from_batches(pending, schema=target)


def _cast_batch(batch: pa.RecordBatch, target: pa.Schema) -> pa.RecordBatch:
    """DuckDB's batch as the declared schema (field metadata, nullability, list child names)."""
    return batch.cast(target)


def write_sorted(name: str, staged: Staged, path: Path, *, temp_dir: Path | None = None) -> int:
    """Run ``staged``'s query, sort by the table's order, write one Parquet part; returns its row count."""
    t = schema.table(name)
    target = t.arrow_schema()
    con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT, "threads": 2,
                                 "preserve_insertion_order": True,
                                 **({"temp_directory": str(temp_dir)} if temp_dir else {})})
    rows = 0
    try:
        for key, lookup in staged.lookups.items():
            con.register(key, lookup)
        rel = con.sql(f"SELECT * FROM ({staged.sql}) ORDER BY {_order_clause(name)}")
        got = rel.columns
        if got != t.column_names:
            raise ValueError(f"{name}: staged query gives columns {got}, declared {t.column_names}")
        reader = rel.arrow(batch_size=ROW_GROUP_ROWS)
        path.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(path, target, compression="zstd", write_statistics=True, use_dictionary=True,
                              store_schema=True) as w:
            for chunk in _rechunk((_cast_batch(b, target) for b in reader), target, ROW_GROUP_ROWS):
                w.write_table(chunk, row_group_size=ROW_GROUP_ROWS)
                rows += chunk.num_rows
    finally:
        con.close()
    return rows
