"""Checks of a store snapshot: schemas exact, keys unique, references resolve, offsets match, nothing lost.

The checks run in DuckDB straight over the snapshot's Parquet files, so they scale with the store. They run
before every commit (a problem aborts it) and on demand with ``newsdesk validate``.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from newsdesk import schema

# (table, text column, body table) whose offsets must satisfy body[start:end] == text
OFFSET_CHECKS = (("quotes", "text"), ("entity_mentions", "surface"))


def _src(snap: Path, name: str) -> str:
    glob = str(snap / name / "*.parquet").replace("'", "''")
    return f"read_parquet('{glob}')"


def check_snapshot(snap: Path) -> list[str]:
    """Every problem found in one snapshot folder (empty list: valid)."""
    snap = Path(snap)
    problems: list[str] = []
    problems += _check_schemas(snap)
    if problems:  # the SQL checks below assume the declared columns
        return problems
    con = duckdb.connect()
    try:
        problems += _check_nulls_and_keys(con, snap)
        problems += _check_references(con, snap)
        problems += _check_offsets(con, snap)
        problems += _check_constraints(con, snap)
        problems += _check_accounting(con, snap)
    finally:
        con.close()
    return problems


def _check_schemas(snap: Path) -> list[str]:
    out = []
    for name, t in schema.tables().items():
        files = sorted((snap / name).glob("*.parquet"))
        if not files:
            out.append(f"{name}: no Parquet file")
        want = t.arrow_schema()
        for f in files:
            got = pq.read_schema(f)
            if got.names != want.names or any(
                    g.type != w.type or g.nullable != w.nullable for g, w in zip(got, want)):
                out.append(f"{name}/{f.name}: schema {got} differs from schemas/{name}.toml")
    return out


def _check_nulls_and_keys(con: duckdb.DuckDBPyConnection, snap: Path) -> list[str]:
    out = []
    for name, t in schema.tables().items():
        src = _src(snap, name)
        for c in t.columns:
            if not c.nullable:
                n = con.execute(f'SELECT count(*) FROM {src} WHERE "{c.name}" IS NULL').fetchone()[0]
                if n:
                    out.append(f"{name}.{c.name}: {n} nulls in a non-null column")
        if t.primary_key:
            key = ", ".join(f'"{k}"' for k in t.primary_key)
            n = con.execute(f"SELECT count(*) FROM (SELECT {key} FROM {src} GROUP BY {key} "
                            f"HAVING count(*) > 1)").fetchone()[0]
            if n:
                out.append(f"{name}: {n} duplicated primary keys ({key})")
    return out


def _check_constraints(con: duckdb.DuckDBPyConnection, snap: Path) -> list[str]:
    """The allowed values and bounds declared in schemas/ (see schema.constraint_checks)."""
    out = []
    for name in schema.tables():
        for what, violated in schema.constraint_checks(name):
            n = con.execute(f"SELECT count(*) FROM {_src(snap, name)} WHERE {violated}").fetchone()[0]
            if n:
                out.append(f"{what}: {n} rows")
    return out


def _check_references(con: duckdb.DuckDBPyConnection, snap: Path) -> list[str]:
    out = []
    for name, t in schema.tables().items():
        for c in t.columns:
            if not c.references:
                continue
            rt, rc = c.references.split(".")
            n = con.execute(
                f'SELECT count(*) FROM {_src(snap, name)} a WHERE a."{c.name}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM {_src(snap, rt)} b WHERE b."{rc}" = a."{c.name}")').fetchone()[0]
            if n:
                out.append(f"{name}.{c.name}: {n} values not found in {c.references}")
    return out


def _check_offsets(con: duckdb.DuckDBPyConnection, snap: Path) -> list[str]:
    out = []
    for name, col in OFFSET_CHECKS:
        n = con.execute(
            f'SELECT count(*) FROM {_src(snap, name)} q JOIN {_src(snap, "articles")} a USING (article_id) '
            f'WHERE q."start" < 0 OR q."end" > length(a.body) OR q."start" >= q."end" '
            f'OR substring(a.body, q."start" + 1, q."end" - q."start") <> q."{col}"').fetchone()[0]
        if n:
            out.append(f"{name}: {n} rows whose offsets do not match articles.body")
    return out


def _check_accounting(con: duckdb.DuckDBPyConnection, snap: Path) -> list[str]:
    """Every processed file version is in exactly one of articles, duplicates, rejects."""
    out = []
    files = _src(snap, "files")
    # each outcome of the manifest names the table that holds such files: article -> articles, ...
    for outcome in schema.allowed("files", "outcome"):
        sql = f"SELECT source_path, source_sha256 FROM {_src(snap, outcome + 's')}"
        n_missing = con.execute(
            f"SELECT count(*) FROM ({sql}) t(p, s) WHERE NOT EXISTS (SELECT 1 FROM {files} f "
            f"WHERE f.source_path = t.p AND f.source_sha256 IS NOT DISTINCT FROM t.s AND f.outcome = '{outcome}')"
            ).fetchone()[0]
        n_extra = con.execute(
            f"SELECT count(*) FROM {files} f WHERE f.outcome = '{outcome}' AND NOT EXISTS "
            f"(SELECT 1 FROM ({sql}) t(p, s) WHERE f.source_path = t.p AND f.source_sha256 IS NOT DISTINCT FROM t.s)"
            ).fetchone()[0]
        if n_missing:
            out.append(f"{outcome}s: {n_missing} rows missing from the files manifest")
        if n_extra:
            out.append(f"files: {n_extra} '{outcome}' rows with no row in the {outcome}s table")
    return out


def check_raw_accounted(con_snapshot: Path, raw_files: list[tuple[str, str | None]]) -> list[str]:
    """Every (path, sha256) currently in the raw folder has a row in the files manifest."""
    con = duckdb.connect()
    try:
        seen = set(con.execute(f"SELECT source_path, source_sha256 FROM {_src(con_snapshot, 'files')}"
                               ).fetchall())
    finally:
        con.close()
    missing = [p for p, s in raw_files if (p, s) not in seen]
    return [f"raw file not accounted for: {p}" for p in missing[:20]] + (
        [f"... and {len(missing) - 20} more"] if len(missing) > 20 else [])
