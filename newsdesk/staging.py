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
#: Estimated bytes of rows DuckDB sorts at once under DUCKDB_MEMORY_LIMIT (its sort of wide rows needs ~4x
#: their size): a commit's larger tables are sorted range by range (``write_sorted``).
SORT_BYTES = 96 << 20


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


def staged_files(stage: Path, table: str) -> list[Path]:
    """The parts the run's tasks staged for ``table`` (sorted by name: batch order)."""
    return sorted((Path(stage) / table).glob("*.parquet"))


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


def _ident(column: str) -> str:
    """A column name quoted for SQL."""
    return '"' + column.replace('"', '""') + '"'


def _order_clause(name: str) -> str:
    return ", ".join(f"{_ident(c)} ASC NULLS FIRST" for c in schema.table(name).sort_key)


def _rechunk(batches, target: pa.Schema, rows: int):
    """Tables of exactly ``rows`` rows (the last one shorter) in one chunk each, cast to ``target``."""
    pending: list[pa.RecordBatch] = []
    n = 0
    for batch in batches:
        pending.append(batch)
        n += batch.num_rows
        while n >= rows:
            t = pa.Table.from_batches(pending, schema=target)
            yield t.slice(0, rows).combine_chunks()  # pages depend on the rows, not on DuckDB's batches
            rest = t.slice(rows)
            pending, n = rest.to_batches(), rest.num_rows
    if n:
        yield pa.Table.from_batches(pending, schema=target).combine_chunks()


def _cast_batch(batch: pa.RecordBatch, target: pa.Schema) -> pa.RecordBatch:
    """DuckDB's batch as the declared schema (field metadata, nullability, list child names)."""
    return batch.cast(target)


def _row_weight(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """A SQL expression estimating a row's bytes in a sort: its strings' lengths plus a word per value."""
    rel = con.sql(f"SELECT * FROM ({sql}) LIMIT 0")
    terms = []
    for col, typ in zip(rel.columns, rel.types):
        q, t = _ident(col), str(typ)
        if t == "VARCHAR":
            terms.append(f"coalesce(strlen({q}), 0)")  # bytes, not characters
        elif t == "BLOB":
            terms.append(f"coalesce(octet_length({q}), 0)")
        elif t.endswith("[]"):
            terms.append(f"16 * coalesce(len({q}), 0)")
    return " + ".join([f"{8 * len(rel.columns)}", *terms])


def key_ranges(con: duckdb.DuckDBPyConnection, sql: str, key: str, budget: int) -> list | None:
    """Upper bounds of consecutive ranges of ``key`` (the first sort column) whose rows weigh about
    ``budget`` bytes each, or None when the whole query fits in one sort.

    A range weighs at most the budget plus one key's rows (a key's rows are never split: that would break
    the order). NULL keys belong to the first range.
    """
    weight = _row_weight(con, sql)
    q = _ident(key)
    # one scan: the rows weigh at most the budget exactly when their keys fall in one group
    bounds = con.sql(f"""
        WITH w AS (SELECT {q} AS k, sum({weight}) AS b FROM ({sql}) WHERE {q} IS NOT NULL GROUP BY k),
             c AS (SELECT k, sum(b) OVER (ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum
                   FROM w)
        SELECT max(k) AS hi FROM c GROUP BY (cum - 1) // {int(budget)} ORDER BY hi""").fetchall()
    return [b[0] for b in bounds[:-1]] or None  # the last range is open above; one range: one sort


def _sorted_batches(con: duckdb.DuckDBPyConnection, name: str, sql: str, bounds: list | None):
    """The query's rows in the table's order, as Arrow batches: one sort, or one sort per key range."""
    order = f"ORDER BY {_order_clause(name)}"
    if bounds is None:
        yield from con.sql(f"SELECT * FROM ({sql}) {order}").arrow(batch_size=ROW_GROUP_ROWS)
        return
    q = _ident(schema.table(name).sort_key[0])
    for i in range(len(bounds) + 1):
        conds, params = [], []
        if i > 0:
            conds.append(f"{q} > ?")
            params.append(bounds[i - 1])
        if i < len(bounds):
            conds.append(f"{q} <= ?")
            params.append(bounds[i])
        where = " AND ".join(conds)
        if i == 0:
            where = f"({q} IS NULL OR {where})"
        yield from con.sql(f"SELECT * FROM ({sql}) WHERE {where} {order}",
                           params=params).arrow(batch_size=ROW_GROUP_ROWS)


def write_sorted(name: str, staged: Staged, path: Path, *, temp_dir: Path | None = None,
                 sort_bytes: int = SORT_BYTES, memory_limit: str = DUCKDB_MEMORY_LIMIT) -> int:
    """Run ``staged``'s query, sort by the table's order, write one Parquet part; returns its row count.

    DuckDB's sort of wide rows (article bodies) needs memory of the order of the rows sorted, whatever its
    limit, so a run whose rows weigh more than ``sort_bytes`` is sorted range by range of its first sort
    column (:func:`key_ranges`; a scan of the staged parts per range) and the ranges are written in order:
    memory stays bounded and the bytes are the same as one sort's.
    """
    t = schema.table(name)
    target = t.arrow_schema()
    con = duckdb.connect(config={"memory_limit": memory_limit, "threads": 2,
                                 "preserve_insertion_order": True,
                                 **({"temp_directory": str(temp_dir)} if temp_dir else {})})
    rows = 0
    try:
        for key, lookup in staged.lookups.items():
            con.register(key, lookup)
        got = con.sql(f"SELECT * FROM ({staged.sql}) LIMIT 0").columns
        if got != t.column_names:
            raise ValueError(f"{name}: staged query gives columns {got}, declared {t.column_names}")
        bounds = key_ranges(con, staged.sql, t.sort_key[0], sort_bytes)
        batches = _sorted_batches(con, name, staged.sql, bounds)
        path.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(path, target, compression="zstd", write_statistics=True, use_dictionary=True,
                              store_schema=True) as w:
            for chunk in _rechunk((_cast_batch(b, target) for b in batches), target, ROW_GROUP_ROWS):
                w.write_table(chunk, row_group_size=ROW_GROUP_ROWS)
                rows += chunk.num_rows
    finally:
        con.close()
    return rows
