"""Checks of a store snapshot: schemas exact, keys unique, references resolve, constraints hold, offsets match,
nothing lost, entity redirects flattened.

The checks run in DuckDB straight over the snapshot's Parquet files. ``newsdesk validate`` checks every row
(:func:`check_snapshot`). The gate before every commit checks what the commit adds (``part``):
the new part of each table, its keys against the keys already committed, its references against the whole
snapshot, its offsets against its own articles, and its ``files`` rows against its own articles, duplicates and
rejects. Committed parts were checked when they were committed and are never rewritten, so a commit's
validation costs what it adds, plus a scan of the key columns it must be unique against.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from newsdesk import schema

# (table, text column) whose offsets must satisfy articles.body[start:end] == text
OFFSET_CHECKS = (("quotes", "text"), ("entity_mentions", "surface"))
_EMPTY = "(SELECT * FROM {src} LIMIT 0)"


def _relation(files: list[Path]) -> str:
    return "read_parquet([" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "])"


class _View:
    """Which rows of a table a check looks at: every row (``new``), and the rows it is unique against."""

    def __init__(self, snap: Path, name: str, part: str | None):
        files = sorted((snap / name).glob("*.parquet"))
        self.all = _relation(files) if files else None
        if part is None:
            self.new, self.old = self.all, None
        else:
            new = [f for f in files if f.name == part]
            old = [f for f in files if f.name != part]
            self.new = _relation(new) if new else None
            self.old = _relation(old) if old else None


def check_snapshot(snap: Path, part: str | None = None) -> list[str]:
    """Every problem found in one snapshot folder (empty list: valid): in every row, or, with ``part``, in
    the rows a commit adds, the ``part`` file of each table (see the module doc)."""
    return _check(Path(snap), part)


def _check(snap: Path, part: str | None) -> list[str]:
    problems = _check_schemas(snap, part)
    if problems:  # the SQL checks below assume the declared columns
        return problems
    views = {name: _View(snap, name, part) for name in schema.tables()}
    con = duckdb.connect()
    try:
        problems += _check_nulls_and_keys(con, views)
        problems += _check_references(con, views)
        problems += _check_offsets(con, views)
        problems += _check_constraints(con, views)
        problems += _check_accounting(con, views)
        problems += _check_redirects(con, views)
    finally:
        con.close()
    return problems


def _check_schemas(snap: Path, part: str | None) -> list[str]:
    out = []
    for name, t in schema.tables().items():
        files = sorted((snap / name).glob("*.parquet"))
        if not files:
            out.append(f"{name}: no Parquet file")
        want = t.arrow_schema()
        for f in files:
            if part is not None and f.name != part:
                continue
            got = pq.read_schema(f)
            if got.names != want.names or any(
                    g.type != w.type or g.nullable != w.nullable for g, w in zip(got, want)):
                out.append(f"{name}/{f.name}: schema {got} differs from schemas/{name}.toml")
    return out


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def _check_nulls_and_keys(con: duckdb.DuckDBPyConnection, views: dict[str, _View]) -> list[str]:
    out = []
    for name, t in schema.tables().items():
        v = views[name]
        if v.new is None:
            continue
        for c in t.columns:
            if not c.nullable:
                n = _count(con, f'SELECT count(*) FROM {v.new} WHERE "{c.name}" IS NULL')
                if n:
                    out.append(f"{name}.{c.name}: {n} nulls in a non-null column")
        if t.primary_key:
            key = ", ".join(f'"{k}"' for k in t.primary_key)
            n = _count(con, f"SELECT count(*) FROM (SELECT {key} FROM {v.new} GROUP BY {key} HAVING count(*) > 1)")
            if v.old is not None:
                n += _count(con, f"SELECT count(*) FROM (SELECT DISTINCT {key} FROM {v.new}) "
                                 f"SEMI JOIN (SELECT {key} FROM {v.old}) USING ({key})")
            if n:
                out.append(f"{name}: {n} duplicated primary keys ({key})")
    return out


def _check_constraints(con: duckdb.DuckDBPyConnection, views: dict[str, _View]) -> list[str]:
    """The allowed values and bounds declared in schemas/ (see schema.constraint_checks)."""
    out = []
    for name in schema.tables():
        if views[name].new is None:
            continue
        for what, violated in schema.constraint_checks(name):
            n = _count(con, f"SELECT count(*) FROM {views[name].new} WHERE {violated}")
            if n:
                out.append(f"{what}: {n} rows")
    return out


def _check_references(con: duckdb.DuckDBPyConnection, views: dict[str, _View]) -> list[str]:
    out = []
    for name, t in schema.tables().items():
        src = views[name].new
        for c in t.columns:
            if not c.references or src is None:
                continue
            rt, rc = c.references.split(".")
            target = views[rt].all or _EMPTY.format(src=src)
            n = _count(con, f'SELECT count(*) FROM {src} a WHERE a."{c.name}" IS NOT NULL AND NOT EXISTS '
                            f'(SELECT 1 FROM (SELECT "{rc}" FROM {target}) b WHERE b."{rc}" = a."{c.name}")')
            if n:
                out.append(f"{name}.{c.name}: {n} values not found in {c.references}")
    return out


def _check_offsets(con: duckdb.DuckDBPyConnection, views: dict[str, _View]) -> list[str]:
    """A run's quotes and mentions point into its own articles (their bodies are all this reads)."""
    out = []
    articles = views["articles"].new
    for name, col in OFFSET_CHECKS:
        src = views[name].new
        if src is None or articles is None:
            continue
        n = _count(con, f'SELECT count(*) FROM {src} q JOIN {articles} a USING (article_id) '
                        f'WHERE q."start" < 0 OR q."end" > length(a.body) OR q."start" >= q."end" '
                        f'OR substring(a.body, q."start" + 1, q."end" - q."start") <> q."{col}"')
        if n:
            out.append(f"{name}: {n} rows whose offsets do not match articles.body")
    return out


def _check_redirects(con: duckdb.DuckDBPyConnection, views: dict[str, _View]) -> list[str]:
    """Redirects are flattened: an id's current target (its row with the highest version) is a current entity,
    so one hop resolves (checked over the whole table: it holds one row per replaced id and run, few)."""
    src = views["entity_redirects"].all
    if src is None or views["entity_redirects"].new is None:
        return []
    n = _count(con, f"""WITH cur AS (SELECT entity_id, arg_max(redirect_to, version) AS t FROM {src} GROUP BY entity_id)
                        SELECT count(*) FROM cur a JOIN cur b ON a.t = b.entity_id
                        WHERE a.t <> a.entity_id AND b.t <> b.entity_id""")
    return [f"entity_redirects: {n} ids redirect to an id that is itself redirected"] if n else []


def _check_accounting(con: duckdb.DuckDBPyConnection, views: dict[str, _View]) -> list[str]:
    """Every processed file version is in exactly one of articles, duplicates, rejects."""
    out = []
    if views["files"].all is None:
        return out
    files = views["files"].new or _EMPTY.format(src=views["files"].all)
    # each outcome of the manifest names the table that holds such files: article -> articles, ...
    for outcome in schema.allowed("files", "outcome"):
        rows = views[outcome + "s"].new
        if rows is None:
            rows = _EMPTY.format(src=views[outcome + "s"].all) if views[outcome + "s"].all else None
        if rows is None:
            continue
        sql = f"SELECT source_path, source_sha256 FROM {rows}"
        n_missing = _count(con, f"SELECT count(*) FROM ({sql}) t(p, s) WHERE NOT EXISTS (SELECT 1 FROM {files} f "
                                f"WHERE f.source_path = t.p AND f.source_sha256 IS NOT DISTINCT FROM t.s "
                                f"AND f.outcome = '{outcome}')")
        n_extra = _count(con, f"SELECT count(*) FROM {files} f WHERE f.outcome = '{outcome}' AND NOT EXISTS "
                              f"(SELECT 1 FROM ({sql}) t(p, s) WHERE f.source_path = t.p "
                              f"AND f.source_sha256 IS NOT DISTINCT FROM t.s)")
        if n_missing:
            out.append(f"{outcome}s: {n_missing} rows missing from the files manifest")
        if n_extra:
            out.append(f"files: {n_extra} '{outcome}' rows with no row in the {outcome}s table")
    return out


def check_raw_accounted(con_snapshot: Path, raw_files: list[tuple[str, str | None]]) -> list[str]:
    """Every (path, sha256) currently in the raw folder has a row in the files manifest."""
    con = duckdb.connect()
    try:
        seen = set(con.execute(f"SELECT source_path, source_sha256 FROM "
                               f"{_relation(sorted((Path(con_snapshot) / 'files').glob('*.parquet')))}"
                               ).fetchall())
    finally:
        con.close()
    missing = [p for p, s in raw_files if (p, s) not in seen]
    return [f"raw file not accounted for: {p}" for p in missing[:20]] + (
        [f"... and {len(missing) - 20} more"] if len(missing) > 20 else [])
