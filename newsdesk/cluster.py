"""The cluster step, one task per partition of speaker blocks: which quotes report the same statement.

Quotes are only ever compared within a speaker *block* (the speaker's entity id, else its normalized name),
so blocks are partitioned by a hash and each task clusters its partitions' blocks alone: it reads the run's
staged quotes of its blocks (speaker entity ids joined from the link step's lookup tables), and from the store
only the committed quotes that may repeat them, found through the ``quote_index`` (same block and at least
one shared content word): never the whole ``quotes`` table. Committed cluster ids never change
(:func:`newsdesk.quotes.clusters.cluster_incremental`). The task writes the new quotes' cluster ids and their
``quote_index`` rows as a staged part and returns counts.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from newsdesk import schema
from newsdesk.quotes.clusters import cluster_incremental
from newsdesk.staging import parquet_list, write_part

QUOTES_PER_PARTITION = 50_000


def partitions(n_quotes: int) -> int:
    """How many cluster tasks a run gets (whole blocks per task, so the count never changes the result)."""
    return max(1, min(16, -(-n_quotes // QUOTES_PER_PARTITION)))


def block_sql(stage: Path) -> str:
    """Every staged quote with its speaker entity id and its block."""
    quotes = parquet_list(sorted((stage / "quotes").glob("*.parquet")))
    links = stage / "links"
    return f"""
        SELECT q.*, coalesce(k.entity_id, n.entity_id) AS speaker_entity_id,
               coalesce(k.entity_id, n.entity_id, q.block) AS cblock
        FROM read_parquet({quotes}) q
        LEFT JOIN read_parquet('{links / "keymap.parquet"}') k USING (key_name, key_type)
        LEFT JOIN read_parquet('{links / "namemap.parquet"}') n USING (wanted)"""


def cluster_partition(stage: Path | str, part: int, parts: int, quote_index: list[Path],
                      quotes: list[Path]) -> int:
    """Cluster the run's quotes whose block hashes to ``part`` of ``parts``; stage ids and index rows."""
    stage = Path(stage)
    t = schema.table("quote_index")
    if not any((stage / "quotes").glob("*.parquet")):
        write_part(t.empty(), stage / "quote_index" / f"{part:04d}.parquet")
        return 0
    con = duckdb.connect()
    try:
        new = con.sql(f"""
            SELECT quote_id, text, cblock AS block, stems FROM ({block_sql(stage)})
            WHERE cblock IS NOT NULL AND len(stems) > 0 AND hash(cblock) % {parts} = {part}
            ORDER BY quote_id""").fetch_arrow_table()
        committed: list[dict] = []
        if new.num_rows and quote_index:
            con.register("new_q", new)
            committed = con.sql(f"""
                WITH want AS (SELECT DISTINCT block, unnest(stems) AS stem FROM new_q),
                     cand AS (SELECT DISTINCT i.quote_id, i.block, i.quote_cluster_id
                              FROM (SELECT quote_id, block, quote_cluster_id, unnest(stems) AS stem
                                    FROM read_parquet({parquet_list(quote_index)})
                                    WHERE block IN (SELECT block FROM want)) i
                              JOIN want USING (block, stem))
                SELECT c.quote_id, q.text, c.block, c.quote_cluster_id
                FROM cand c JOIN read_parquet({parquet_list(quotes)}) q USING (quote_id)
                ORDER BY c.quote_id""").fetch_arrow_table().to_pylist()
        rows = new.to_pylist()
        ids = cluster_incremental(rows, committed) if rows else []
    finally:
        con.close()
    write_part(t.to_arrow([t.row(quote_id=r["quote_id"], block=r["block"], stems=r["stems"], quote_cluster_id=c)
                           for r, c in zip(rows, ids)]), stage / "quote_index" / f"{part:04d}.parquet")
    return len(rows)
