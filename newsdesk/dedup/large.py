"""Out-of-core deduplication: millions of documents, signatures on disk, the banding join in DuckDB.

Out of core (:func:`deduplicate_large`): the same model for millions of documents, with signatures and band
keys written to Parquet chunk by chunk (:func:`write_signatures`), the banding join done by DuckDB (GROUP BY
band key, and a join against the index's band keys when an index is given); bodies are never held, so all
verification uses MinHash estimates (what ``deduplicate(..., exact_verify=False)`` does in memory); it can
stream the kept documents' ``dedup_index`` rows to Parquet (``index_out``). DuckDB's ``memory_limit`` bounds
the banding step: 10^6 documents dedup in 1.3 GB peak RSS with ``memory_limit="1GB"`` (bench/README.md).

Owns :func:`write_signatures` (the first half: one chunk of bodies in memory at a time) and
:func:`deduplicate_large` (the second: exact groups, banding, index join and rank numbers in DuckDB; Python
sees candidate pairs, the signatures of candidate documents and rank numbers).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pyarrow as pa

from newsdesk.dedup.batch import DedupDoc
from newsdesk.dedup.clusters import star_clusters
from newsdesk.dedup.index import DUPLICATE_SCHEMA, INDEX_SCHEMA, index_table
from newsdesk.dedup.minhash import (
    BANDS, CHUNK, EXACT_CHECK_MARGIN, MAX_BUCKET, NUM_PERM, ROWS, SEED, band_keys, estimate_jaccard,
    hashed_jaccard, minhash_tag, shingle_sets, signatures_normalized,
)
from newsdesk.fingerprint import normalize_exact

__all__ = ["write_signatures", "LargeDedupResult", "deduplicate_large", "deduplicate_views", "write_index_rows"]

_SIG_META = pa.schema([
    pa.field("doc", pa.int64(), nullable=False),
    pa.field("source_path", pa.string(), nullable=False),
    pa.field("source_sha256", pa.string(), nullable=False),
    pa.field("article_id", pa.string(), nullable=False),
    pa.field("has_title", pa.bool_(), nullable=False),
    pa.field("body_len", pa.int64(), nullable=False),
    pa.field("published_at", pa.timestamp("us"), nullable=True),
    pa.field("shingle_count", pa.int32(), nullable=False),
    pa.field("signature", pa.binary(), nullable=False),
])


def write_signatures(docs: Iterable[DedupDoc], out_dir: str | Path, *, chunk: int = 20000,
                     num_perm: int = NUM_PERM, bands: int = BANDS, rows: int = ROWS, seed: int = SEED) -> int:
    """Stream documents into ``out_dir/sigs/part-*.parquet`` (metadata + signature, no body) and
    ``out_dir/bands/part-*.parquet`` (doc, band key). Returns the number of documents written.

    Only one chunk of bodies is in memory at a time: this is the out-of-core first half.
    """
    import pyarrow.parquet as pq

    out = Path(out_dir)
    (out / "sigs").mkdir(parents=True, exist_ok=True)
    (out / "bands").mkdir(parents=True, exist_ok=True)
    total = 0
    it: Iterator[DedupDoc] = iter(docs)
    part = 0
    while True:
        batch = list(itertools.islice(it, chunk))
        if not batch:
            break
        sigs = np.empty((len(batch), num_perm), dtype=np.uint32)
        nsh = np.zeros(len(batch), dtype=np.int64)
        for s in range(0, len(batch), CHUNK):
            texts = [normalize_exact(d.body) for d in batch[s:s + CHUNK]]
            sigs[s:s + len(texts)], nsh[s:s + len(texts)] = signatures_normalized(texts, num_perm, seed)
        keys = band_keys(sigs, bands, rows)
        docid = np.arange(total, total + len(batch), dtype=np.int64)
        meta = pa.table({
            "doc": docid, "source_path": [d.source_path for d in batch],
            "source_sha256": [d.source_sha256 for d in batch], "article_id": [d.article_id for d in batch],
            "has_title": [d.has_title for d in batch], "body_len": [len(d.body) for d in batch],
            "published_at": [d.published_at for d in batch], "shingle_count": nsh,
            "signature": [r.tobytes() for r in sigs.astype("<u4")],
        }, schema=_SIG_META)
        pq.write_table(meta, out / "sigs" / f"part-{part:05d}.parquet", compression="zstd")
        live = nsh > 0
        bt = pa.table({"doc": np.repeat(docid[live], bands), "band_key": keys[live].reshape(-1)})
        pq.write_table(bt, out / "bands" / f"part-{part:05d}.parquet", compression="zstd")
        total += len(batch)
        part += 1
        del batch, meta, bt
    return total


@dataclass
class LargeDedupResult:
    duplicates: pa.Table  # DUPLICATE_SCHEMA, sorted by source_path
    kept_docs: np.ndarray  # doc numbers (from write_signatures) of the kept documents
    stats: dict = field(default_factory=dict)


def _connect(memory_limit: str, threads: int, temp_dir: Path):
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit='{memory_limit}'")
    con.execute(f"SET threads={int(threads)}")
    con.execute("SET preserve_insertion_order=false")
    temp_dir.mkdir(parents=True, exist_ok=True)
    con.execute(f"SET temp_directory='{temp_dir.as_posix()}'")
    return con


def deduplicate_large(sig_dir: str | Path, *, index: str | Path | None = None, threshold: float = 0.8,
                      num_perm: int = NUM_PERM, bands: int = BANDS, rows: int = ROWS, seed: int = SEED,
                      memory_limit: str = "2GB", threads: int = 2,
                      index_out: str | Path | None = None) -> LargeDedupResult:
    """Out-of-core deduplication of the documents written by :func:`write_signatures`.

    ``index``: a Parquet file or glob of the committed ``dedup_index`` table (optional). DuckDB does the exact
    grouping (by ``article_id``), the banding self-join (GROUP BY band key over the Parquet band files) and
    the join of band keys against the index, spilling to disk past ``memory_limit``. Python only sees
    candidate pairs, the signatures of candidate documents and rank numbers. Verification is on MinHash
    estimates (bodies are never held); clustering is the same star clustering as :func:`deduplicate`, with
    indexed articles canonical first. ``index_out``: write the kept documents' ``dedup_index`` rows (same
    schema and order as :func:`deduplicate`'s ``index_rows``) to this Parquet file, streamed in batches.
    """
    d = Path(sig_dir)
    con = _connect(memory_limit, threads, d / "duckdb_tmp")
    try:
        con.execute(f"CREATE VIEW docs AS SELECT * FROM read_parquet('{(d / 'sigs' / '*.parquet').as_posix()}')")
        con.execute(f"CREATE VIEW bands AS SELECT * FROM read_parquet('{(d / 'bands' / '*.parquet').as_posix()}')")
        index_sql = f"read_parquet('{Path(index).as_posix()}')" if index is not None else None
        res = deduplicate_views(con, index_sql=index_sql, threshold=threshold, num_perm=num_perm, bands=bands,
                                rows=rows, seed=seed)
        if index_out is not None:
            write_index_rows(con, res.kept_docs, index_out, num_perm=num_perm, bands=bands, rows=rows,
                             seed=seed)
    finally:
        con.close()
    return res


def write_index_rows(con, kept_docs: np.ndarray, index_out: str | Path, *, num_perm: int = NUM_PERM,
                     bands: int = BANDS, rows: int = ROWS, seed: int = SEED) -> None:
    """Stream the kept documents' ``dedup_index`` rows (sorted by article_id) from the ``docs`` view."""
    import pyarrow.parquet as pq

    tag = minhash_tag(num_perm, bands, rows, seed)
    con.register("kept_tbl", pa.table({"doc": np.asarray(kept_docs, dtype=np.int64)}))
    reader = con.sql("""
        SELECT s.article_id, s.source_path, s.shingle_count, s.signature
        FROM docs s JOIN kept_tbl USING (doc) ORDER BY s.article_id
    """).fetch_record_batch(50000)
    with pq.ParquetWriter(str(index_out), INDEX_SCHEMA, compression="zstd") as w:
        for batch in reader:
            n = batch.num_rows
            sig = np.frombuffer(b"".join(batch.column(3).to_pylist()), dtype="<u4").reshape(n, num_perm)
            w.write_table(index_table(batch.column(0).to_pylist(), batch.column(1).to_pylist(),
                                       batch.column(2).to_numpy(), sig, band_keys(sig, bands, rows), tag))


def _signature_matrix(col: pa.ChunkedArray, num_perm: int) -> np.ndarray:
    """An (n, num_perm) uint32 matrix read from a binary column of fixed-size signatures, without Python
    objects per row."""
    col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    if len(col) == 0:
        return np.zeros((0, num_perm), dtype="<u4")
    if col.null_count:
        raise ValueError("a signature is missing")
    off_type = np.int64 if pa.types.is_large_binary(col.type) else np.int32
    offsets = np.frombuffer(col.buffers()[1], dtype=off_type)[col.offset:col.offset + len(col) + 1]
    width = 4 * num_perm
    if not np.all(np.diff(offsets) == width):
        raise ValueError(f"signatures must be {width} bytes each")
    data = np.frombuffer(col.buffers()[2], dtype=np.uint8)[int(offsets[0]):int(offsets[-1])]
    return data.view("<u4").reshape(len(col), num_perm).copy()


def deduplicate_views(con, *, index_sql: str | None, threshold: float = 0.8, num_perm: int = NUM_PERM,
                      bands: int = BANDS, rows: int = ROWS, seed: int = SEED,
                      bodies: Callable[[list[str]], dict[str, str]] | None = None) -> LargeDedupResult:
    """The out-of-core model over two DuckDB views of ``con``: ``docs`` (doc, source_path, source_sha256,
    article_id, has_title, body_len, published_at, shingle_count, signature) and ``bands`` (doc, band_key);
    ``index_sql``: a relation of committed ``dedup_index`` rows, or None.

    ``bodies(source_paths) -> {source_path: body}``: when given, new-vs-new candidates are verified on the
    exact Jaccard of their shingle sets (as :func:`~newsdesk.dedup.batch.deduplicate` does), loading only
    the bodies of candidate documents; otherwise on MinHash estimates.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    tag = minhash_tag(num_perm, bands, rows, seed)
    if index_sql is not None:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE idx AS
            SELECT row_number() OVER (ORDER BY article_id) - 1 AS k, article_id, minhash FROM {index_sql}""")
        tags = {r[0] for r in con.sql("SELECT DISTINCT minhash FROM idx").fetchall()}
        if tags - {tag}:
            raise ValueError(f"dedup_index was signed with {sorted(tags)}, this code signs with {tag!r}")
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE idx (k BIGINT, article_id VARCHAR, minhash VARCHAR)")
    # rank: every doc's position in canonical order (has title, longest, earliest, smallest path, sha)
    con.execute("""
        CREATE TEMP TABLE ranked AS
        SELECT doc, article_id, source_path, source_sha256,
               row_number() OVER (ORDER BY has_title DESC, body_len DESC, published_at ASC NULLS LAST,
                                  source_path, source_sha256) - 1 AS rnk
        FROM docs
    """)
    # exact groups not already indexed: the best-ranked doc of each article_id represents it
    con.execute("""
        CREATE TEMP TABLE rep AS
        SELECT article_id, min(rnk) AS rep_rnk FROM ranked
        WHERE article_id NOT IN (SELECT article_id FROM idx) GROUP BY article_id
    """)
    con.execute("""
        CREATE TEMP TABLE rep_bands AS
        SELECT p.rep_rnk AS rnk, bk.band_key
        FROM bands bk JOIN ranked r USING (doc) JOIN rep p ON p.rep_rnk = r.rnk
    """)
    n_docs = con.sql("SELECT count(*) FROM ranked").fetchall()[0][0]
    # candidate pairs among representatives: band buckets with >= 2 members
    cand = con.sql(f"""
        WITH buckets AS (
            SELECT list(rnk ORDER BY rnk) AS m FROM rep_bands GROUP BY band_key HAVING count(*) >= 2
        ),
        heads AS (
            SELECT m, unnest(range(1, least(len(m), {MAX_BUCKET}) + 1)) AS i FROM buckets
        ),
        pairs AS (
            SELECT m[i] AS a, unnest(list_slice(m, i + 1, len(m))) AS b FROM heads
        )
        SELECT DISTINCT a, b FROM pairs ORDER BY a, b
    """).fetchnumpy()
    a = np.asarray(cand["a"], dtype=np.int64)
    b = np.asarray(cand["b"], dtype=np.int64)
    # candidates against the index
    if index_sql is not None:
        xc = con.sql(f"""
            WITH ib AS (SELECT i.k, unnest(x.band_keys) AS band_key
                        FROM {index_sql} x JOIN idx i USING (article_id))
            SELECT DISTINCT rb.rnk AS a, ib.k AS k FROM rep_bands rb JOIN ib USING (band_key) ORDER BY a, k
        """).fetchnumpy()
        xa = np.asarray(xc["a"], dtype=np.int64)
        xk = np.asarray(xc["k"], dtype=np.int64)
    else:
        xa = xk = np.zeros(0, np.int64)
    need = np.unique(np.concatenate([a, b, xa]))

    def fetch(sql: str, keycol: str) -> tuple[np.ndarray, np.ndarray]:
        t = con.sql(sql).fetch_arrow_table()
        keys = t.column(keycol).to_numpy()
        return keys, _signature_matrix(t.column("signature"), num_perm)

    def estimates(ka, ma, qa, kb, mb, qb) -> np.ndarray:
        pa_, pb_ = np.searchsorted(ka, qa), np.searchsorted(kb, qb)
        est = np.empty(qa.size)
        for s0 in range(0, qa.size, 100000):
            est[s0:s0 + 100000] = estimate_jaccard(ma[pa_[s0:s0 + 100000]], mb[pb_[s0:s0 + 100000]])
        return est

    edges: dict[tuple[int, int], float] = {}
    index_edges: dict[tuple[int, int], float] = {}
    nodes = np.zeros(0, np.int64)
    if need.size:
        con.register("need_tbl", pa.table({"rnk": need}))
        rk, rm = fetch("""SELECT r.rnk, s.signature FROM docs s JOIN ranked r USING (doc)
                           JOIN need_tbl n ON n.rnk = r.rnk ORDER BY r.rnk""", "rnk")
        est = estimates(rk, rm, a, rk, rm, b)
        if bodies is not None and a.size:
            va, vb, ve = _verify_exact(con, a, b, est, threshold, bodies)
        else:
            ok = est >= threshold
            va, vb, ve = a[ok], b[ok], est[ok]
        if xa.size:
            con.register("needk_tbl", pa.table({"k": np.unique(xk)}))
            ik, im = fetch(f"""SELECT i.k, x.signature FROM {index_sql} x
                               JOIN idx i USING (article_id) JOIN needk_tbl n ON n.k = i.k ORDER BY i.k""", "k")
            xest = estimates(rk, rm, xa, ik, im, xk)
            xok = xest >= threshold
            xa_, xk_, xe = xa[xok], xk[xok], xest[xok]
        else:
            xa_ = xk_ = np.zeros(0, np.int64)
            xe = np.zeros(0)
        # compress rank numbers of docs in verified edges to 0..m-1 (rank order is preserved)
        nodes = np.unique(np.concatenate([va, vb, xa_]))
        edges = {(int(x), int(y)): float(e) for x, y, e in
                 zip(np.searchsorted(nodes, va), np.searchsorted(nodes, vb), ve)}
        index_edges = {(int(x), int(k)): float(e) for x, k, e in zip(np.searchsorted(nodes, xa_), xk_, xe)}
    canon, dropped = star_clusters(len(nodes), edges, index_edges)
    # near duplicates: representative -> target article id
    idx_ids: dict[int, str] = {}
    if any(kind == "index" for kind, _, _ in dropped.values()):
        ks = sorted({t for kind, t, _ in dropped.values() if kind == "index"})
        con.register("ks_tbl", pa.table({"k": np.array(ks, dtype=np.int64)}))
        idx_ids = dict(con.sql("SELECT i.k, i.article_id FROM idx i JOIN ks_tbl USING (k)").fetchall())
    canon_ranks = sorted({int(nodes[t]) for kind, t, _ in dropped.values() if kind == "new"})
    con.register("cr_tbl", pa.table({"rnk": np.array(canon_ranks, dtype=np.int64)}))
    rank_ids = dict(con.sql("SELECT r.rnk, r.article_id FROM ranked r JOIN cr_tbl USING (rnk)").fetchall())
    order = sorted(dropped)
    near = pa.table({
        "rep_rnk": pa.array([int(nodes[i]) for i in order], pa.int64()),
        "canon_id": pa.array([idx_ids[dropped[i][1]] if dropped[i][0] == "index" else
                              rank_ids[int(nodes[dropped[i][1]])] for i in order], pa.string()),
        "similarity": pa.array([round(dropped[i][2], 4) for i in order], pa.float64()),
    })
    con.register("near_tbl", near)
    dup = con.sql("""
        SELECT r.source_path, r.source_sha256, r.article_id AS duplicate_of, 1.0 AS similarity,
               'exact' AS method
        FROM ranked r WHERE r.article_id IN (SELECT article_id FROM idx)
        UNION ALL
        SELECT r.source_path, r.source_sha256, coalesce(n.canon_id, p.article_id) AS duplicate_of,
               coalesce(n.similarity, 1.0) AS similarity,
               CASE WHEN n.rep_rnk IS NULL THEN 'exact' ELSE 'near' END AS method
        FROM ranked r JOIN rep p USING (article_id) LEFT JOIN near_tbl n ON n.rep_rnk = p.rep_rnk
        WHERE n.rep_rnk IS NOT NULL OR r.rnk <> p.rep_rnk
        ORDER BY source_path, source_sha256
    """).fetch_arrow_table()
    kept = con.sql("""
        SELECT r.doc FROM rep p JOIN ranked r ON r.rnk = p.rep_rnk
        WHERE p.rep_rnk NOT IN (SELECT rep_rnk FROM near_tbl) ORDER BY r.doc
    """).fetchnumpy()["doc"]
    stats = {"docs": int(n_docs), "candidates": int(a.size), "index_candidates": int(xa.size),
             "verified": len(edges), "index_verified": len(index_edges), "kept": int(len(kept)),
             "duplicates": dup.num_rows}
    return LargeDedupResult(duplicates=dup.cast(DUPLICATE_SCHEMA), kept_docs=np.asarray(kept), stats=stats)


#: Documents whose bodies and shingle sets are held at once while verifying candidates exactly (~10 KB each).
VERIFY_DOCS = 20_000


def _pair_chunks(a: np.ndarray, b: np.ndarray, limit: int) -> Iterator[tuple[int, int]]:
    """Consecutive slices ``[start, stop)`` of the pairs, each naming at most ``limit`` documents."""
    start, docs = 0, set()
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist())):
        grown = len(docs) + (x not in docs) + (y not in docs)
        if docs and grown > limit:
            yield start, i
            start, docs = i, set()
        docs.update((x, y))
    if start < a.size:
        yield start, int(a.size)


def _verify_exact(con, a: np.ndarray, b: np.ndarray, est: np.ndarray, threshold: float,
                  bodies: Callable[[list[str]], dict[str, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact Jaccard of the shingle sets for candidates within ``EXACT_CHECK_MARGIN`` of the threshold.

    The pairs are verified in slices naming at most ``VERIFY_DOCS`` documents: only one slice's bodies and
    shingle sets are in memory, so the driver's memory does not grow with the run's candidates.
    """
    near = est >= threshold - EXACT_CHECK_MARGIN
    a, b = a[near], b[near]
    sims = np.zeros(a.size)
    for start, stop in _pair_chunks(a, b, VERIFY_DOCS):
        ca, cb = a[start:stop], b[start:stop]
        need = np.unique(np.concatenate([ca, cb]))
        con.register("vneed_tbl", pa.table({"rnk": need}))
        paths = dict(con.sql("SELECT rnk, source_path FROM ranked JOIN vneed_tbl USING (rnk)").fetchall())
        texts = bodies(sorted(set(paths.values())))
        sets = dict(zip(need.tolist(), shingle_sets([texts[paths[int(r)]] for r in need])))
        del texts
        sims[start:stop] = [hashed_jaccard(sets[int(x)], sets[int(y)]) for x, y in zip(ca, cb)]
    ok = sims >= threshold
    return a[ok], b[ok], sims[ok]
