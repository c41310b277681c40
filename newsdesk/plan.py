"""The plan step, in the driver: which of the run's prepared articles are kept, and the run's id.

Everything is read out of core with DuckDB, from the staged parts the prepare tasks wrote and from the
committed snapshot; Python holds the run's compact lists (kept paths, duplicate and reject rows), never a
body or the whole store:

1. **Deduplicate** (:func:`newsdesk.dedup.large.deduplicate_views`): exact groups by ``article_id``, LSH
   banding of the run's signatures, and a join of their band keys against the committed ``dedup_index``
   (the index is scanned by DuckDB, never loaded); new-vs-new candidates are verified on the exact Jaccard of
   their shingles, reading the bodies of candidate documents only.
2. **Repeated lines**: short paragraphs repeated across an outlet's kept articles of the run (CCNet-style,
   :func:`newsdesk.boilerplate.learn_repeated_lines`'s thresholds), counted by DuckDB over the staged keys.
3. **Bookkeeping**: rejects not yet recorded, the version each changed file replaces, the run id (a hash of
   the previous run's id and the sorted new file versions, streamed), and the ``files`` manifest rows.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from newsdesk import schema
from newsdesk.boilerplate import REPEATED_LINE_RULE  # noqa: F401  (the rule name the enrich step records)
from newsdesk.dedup.large import deduplicate_views
from newsdesk.dedup.minhash import MINHASH_TAG
from newsdesk.ingest import Reject
from newsdesk.staging import DUCKDB_MEMORY_LIMIT, parquet_list, staged_files

REPEATED_LINE_MIN_DOCS = 5
REPEATED_LINE_MIN_FRACTION = 0.1


@dataclass
class Plan:
    """The driver's view of a run after dedup: compact lists, no text."""

    run_id: str
    stage: Path
    files_seen: int
    files_new: int
    known: int  # files seen that are not new (unread, or read and found curated or already rejected)
    unread: int  # of which skipped without reading: same size and modification time as a curated version
    kept: pa.Table  # part, source_path, source_sha256, article_id (sorted by source_path)
    duplicates: pa.Table  # the duplicates rows of this run (with run_id)
    rejects: list[Reject]
    repeated: frozenset[tuple[str | None, str]]  # (outlet, line_key) learned as boilerplate
    files_rows: pa.Table  # the files manifest rows of this run
    languages: dict[str, int] = field(default_factory=dict)
    stats: dict = field(default_factory=dict)

    @property
    def articles(self) -> int:
        return self.kept.num_rows

    @property
    def duplicates_near(self) -> int:
        return sum(1 for m in self.duplicates.column("method").to_pylist() if m == "near")

    def kept_by_part(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for part, path in zip(self.kept.column("part").to_pylist(), self.kept.column("source_path").to_pylist()):
            out.setdefault(part, []).append(path)
        return out


def _sql_in(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _connect(stage: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT, "threads": 2,
                                 "temp_directory": str(stage / "duckdb_tmp")})
    return con


def body_loader(stage: Path) -> Callable[[list[str]], dict[str, str]]:
    """Bodies of staged prepared articles by source path (for exact verification of candidates only)."""
    def load(paths: list[str]) -> dict[str, str]:
        files = staged_files(stage, "prepared")
        if not paths or not files:
            return {}
        con = _connect(stage)
        try:
            con.register("want", pa.table({"source_path": paths}))
            t = con.sql(f"SELECT source_path, paragraphs FROM read_parquet({parquet_list(files)}) "
                        "JOIN want USING (source_path)").fetch_arrow_table()
        finally:
            con.close()
        return {p: "\n\n".join(ps) for p, ps in zip(t.column(0).to_pylist(), t.column(1).to_pylist())}
    return load


def run_id_for(previous_run_id: str | None, new_files: Sequence[tuple[str, str | None]]) -> str:
    """Deterministic run id: the previous run and the exact set of new file versions."""
    return _run_id_stream(previous_run_id, [sorted(f"{p}\x1e{s or ''}" for p, s in new_files)])


def _run_id_stream(previous_run_id: str | None, sorted_chunks) -> str:
    """``short_hash(previous, *sorted versions)`` over chunks of already-sorted version strings."""
    h = hashlib.blake2b(digest_size=8)
    h.update((previous_run_id or "").encode("utf-8"))
    for chunk in sorted_chunks:
        for v in chunk:
            h.update(("\x1f" + v).encode("utf-8"))
    return h.hexdigest()


def plan_run(stage: Path, results: Sequence, discovery_rejects: Sequence[Reject], files_seen: int,
             files_unchanged: int, committed: dict[str, list[Path]], previous_run_id: str | None,
             threshold: float) -> Plan:
    """Deduplicate the run's staged articles against themselves and the store; account for every file.

    ``results``: the prepare tasks' :class:`~newsdesk.prepare.PrepareResult`; ``committed``: the Parquet
    files of the committed ``dedup_index`` and ``files`` tables; ``files_unchanged``: files skipped at
    discovery because their size and modification time match a curated version.
    """
    stage = Path(stage)
    sig_files = staged_files(stage, "signatures")
    con = _connect(stage)
    try:
        if sig_files:
            con.execute(f"""CREATE TEMP TABLE sig AS SELECT row_number() OVER (ORDER BY source_path, source_sha256)
                            - 1 AS doc, * FROM read_parquet({parquet_list(sig_files)})""")
        else:
            con.execute("CREATE TEMP TABLE sig (doc BIGINT, part VARCHAR, source_path VARCHAR, "
                        "source_sha256 VARCHAR, size_bytes BIGINT, article_id VARCHAR, outlet VARCHAR, "
                        "language VARCHAR, has_title BOOLEAN, body_len BIGINT, published_at TIMESTAMP, "
                        "shingle_count INTEGER, signature BLOB, band_keys UBIGINT[])")
        con.execute("CREATE VIEW docs AS SELECT doc, source_path, source_sha256, article_id, has_title, body_len,"
                    " published_at, shingle_count, signature FROM sig")
        con.execute("CREATE VIEW bands AS SELECT doc, unnest(band_keys) AS band_key FROM sig "
                    "WHERE shingle_count > 0")
        index = committed.get("dedup_index") or []
        result = deduplicate_views(con, index_sql=f"read_parquet({parquet_list(index)})" if index else None,
                                   threshold=threshold, bodies=body_loader(stage))
        con.register("kept_docs", pa.table({"doc": pa.array(result.kept_docs, pa.int64())}))
        kept = con.sql("SELECT part, source_path, source_sha256, article_id "
                       "FROM sig JOIN kept_docs USING (doc) ORDER BY source_path").fetch_arrow_table()
        languages = dict(con.sql("SELECT language, count(*) FROM sig JOIN kept_docs USING (doc) "
                                 "GROUP BY language ORDER BY language").fetchall())
        repeated = _repeated_lines(con, stage)
        versions = con.sql("SELECT source_path || chr(30) || source_sha256 AS v FROM sig ORDER BY v")
        rejects = _new_rejects(con, [*discovery_rejects, *(r for res in results for r in res.rejects)],
                               committed.get("files") or [])
        reject_versions = sorted(f"{r.path}\x1e{r.sha256 or ''}" for r in rejects)
        run_id = _run_id_stream(previous_run_id, _merge_sorted(_batches(versions), reject_versions))
        files_rows = _files_rows(con, run_id, result.duplicates, rejects, committed.get("files") or [])
    finally:
        con.close()
    duplicates = result.duplicates.append_column(
        schema.table("duplicates").column("run_id").arrow_field(),
        pa.array([run_id] * result.duplicates.num_rows, pa.string()))
    files_new = sum(r.docs for r in results) + len(rejects)  # new versions: prepared or newly rejected
    return Plan(run_id=run_id, stage=stage, files_seen=files_seen, files_new=files_new,
                known=files_seen - files_new, unread=files_unchanged, kept=kept, duplicates=duplicates,
                rejects=rejects, repeated=repeated, files_rows=files_rows, languages=languages,
                stats=result.stats)


def _batches(rel: duckdb.DuckDBPyRelation, size: int = 100_000):
    reader = rel.fetch_record_batch(size)
    for batch in reader:
        yield batch.column(0).to_pylist()


def _merge_sorted(chunks, extra: list[str]):
    """Sorted chunks (DuckDB's ORDER BY, byte order = code point order) merged with a sorted list."""
    import heapq

    def flat():
        for c in chunks:
            yield from c
    yield heapq.merge(flat(), extra)  # streamed: never the run's whole list at once


def _repeated_lines(con: duckdb.DuckDBPyConnection, stage: Path) -> frozenset[tuple[str | None, str]]:
    files = staged_files(stage, "lines")
    if not files:
        return frozenset()
    rows = con.sql(f"""
        WITH k AS (SELECT l.outlet, l.line_key FROM read_parquet({parquet_list(files)}) l
                   JOIN (SELECT source_path FROM sig JOIN kept_docs USING (doc)) USING (source_path)),
             n AS (SELECT outlet, count(*) AS docs FROM sig JOIN kept_docs USING (doc) GROUP BY outlet)
        SELECT k.outlet, k.line_key FROM k JOIN n ON k.outlet IS NOT DISTINCT FROM n.outlet
        GROUP BY k.outlet, k.line_key, n.docs
        HAVING count(*) >= {REPEATED_LINE_MIN_DOCS} AND count(*) >= {REPEATED_LINE_MIN_FRACTION} * n.docs
    """).fetchall()
    return frozenset((o, k) for o, k in rows)


def _new_rejects(con: duckdb.DuckDBPyConnection, rejects: list[Reject], files: list[Path]) -> list[Reject]:
    """Rejects not already recorded (a file that keeps failing the same way is accounted for once)."""
    out: dict[tuple[str, str | None], Reject] = {}
    for r in rejects:
        out.setdefault((r.path, r.sha256), r)
    if out and files:
        con.register("rj", pa.table({"source_path": [k[0] for k in out], "source_sha256": [k[1] for k in out]}))
        seen = set(con.sql(f"""SELECT f.source_path, f.source_sha256 FROM read_parquet({parquet_list(files)}) f
                               JOIN rj ON f.source_path = rj.source_path
                               AND f.source_sha256 IS NOT DISTINCT FROM rj.source_sha256""").fetchall())
        out = {k: v for k, v in out.items() if k not in seen}
    return [out[k] for k in sorted(out, key=lambda k: (k[0], k[1] or ""))]


def _files_rows(con: duckdb.DuckDBPyConnection, run_id: str, duplicates: pa.Table, rejects: list[Reject],
                files: list[Path]) -> pa.Table:
    """The run's ``files`` manifest rows, built by DuckDB from the staged signatures: every kept article and
    duplicate, every new reject, each with the version of its path committed before (a file changed in
    place; parts are named by snapshot number, so file name then row order is commit order)."""
    t = schema.table("files")
    con.register("dup_rows", duplicates)
    con.register("rej_rows", pa.table({"source_path": pa.array([r.path for r in rejects], pa.string()),
                                       "source_sha256": pa.array([r.sha256 for r in rejects], pa.string()),
                                       "size_bytes": pa.array([r.size_bytes for r in rejects], pa.int64())}))
    run = """
        SELECT source_path, source_sha256, size_bytes, 'article' AS outcome, article_id
        FROM sig JOIN kept_docs USING (doc)
        UNION ALL
        SELECT d.source_path, d.source_sha256, s.size_bytes, 'duplicate', d.duplicate_of
        FROM dup_rows d JOIN sig s USING (source_path, source_sha256)
        UNION ALL
        SELECT source_path, source_sha256, size_bytes, 'reject', NULL FROM rej_rows"""
    if files:
        previous = f"""SELECT source_path, arg_max(source_sha256, (filename, file_row_number)) AS previous_sha256
                       FROM read_parquet({parquet_list(files)}, filename = true, file_row_number = true)
                       WHERE source_path IN (SELECT source_path FROM run) GROUP BY source_path"""
    else:
        previous = "SELECT NULL::VARCHAR AS source_path, NULL::VARCHAR AS previous_sha256 WHERE false"
    cols = ", ".join(f'r."{c}"' if c not in ("previous_sha256", "run_id") else
                     ("p.previous_sha256" if c == "previous_sha256" else f"'{run_id}' AS run_id")
                     for c in t.column_names)
    got = con.sql(f"""WITH run AS ({run}), prev AS ({previous})
                      SELECT {cols} FROM run r LEFT JOIN prev p USING (source_path)
                      ORDER BY r.source_path, r.source_sha256 NULLS FIRST""").fetch_arrow_table()
    return got.cast(t.arrow_schema())


def index_rows_sql(stage: Path) -> str:
    """The ``dedup_index`` rows of the kept articles, as a query over the staged signatures (needs the
    ``kept`` lookup: source_path, source_sha256)."""
    return (f"SELECT s.article_id, s.source_path, s.shingle_count, s.signature, s.band_keys, "
            f"'{MINHASH_TAG}' AS minhash FROM read_parquet({parquet_list(staged_files(stage, 'signatures'))}) s "
            f"JOIN kept USING (source_path, source_sha256)")
