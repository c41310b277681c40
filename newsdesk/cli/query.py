"""``newsdesk query``: SQL over the curated tables, printed as a table, csv, json or markdown.

Owns splitting the SQL into statements, DuckDB's errors on one line, reading a result once (the first
``--limit`` rows and the total count) and the four output formats. The row count goes to stdout after a table,
to stderr for csv, json and markdown, so that stdout holds only the data.
"""
from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from newsdesk.cli import OutOpt, _fail, app


class Format(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


MAX_CELL = 60  # characters of a cell in table mode (csv/json/markdown print everything)


@app.command()
def query(sql: Annotated[str, typer.Argument(help="SQL over the tables (articles, quotes, ...); several "
                                                  "statements separated by ; print each result")],
          out: OutOpt = Path("data/curated"),
          format: Annotated[Format, typer.Option("--format", "-f", help="table (for people), csv, json (an "
                                                 "array of objects) or markdown")] = Format.table,
          limit: Annotated[Optional[int], typer.Option(min=0, help="Rows to print at most; 0: all. Default: 50 "
                                                       "for table and markdown, all for csv and json")] = None
          ) -> None:
    """Run SQL on the curated tables and print the result.

    The row count ("N rows") goes to stdout after a table, to stderr for csv, json and markdown, so that
    stdout holds only the data.
    """
    import duckdb

    from newsdesk.store import Store, connect

    if Store(out).version() == 0:
        _fail(f"no curated data in {out}: run `newsdesk run --out {out}` first")
    fmt = format.value
    if limit is None:
        limit = 50 if fmt in ("table", "markdown") else 0
    try:
        statements = [s.query for s in duckdb.extract_statements(sql)]
    except duckdb.Error as exc:
        _fail(_duckdb_message(exc))
    if not statements:
        _fail("no SQL statement given")
    con = connect(out)
    results = []
    for stmt in statements:
        try:
            rel = con.sql(stmt)
            if rel is not None:
                results.append(_fetch(rel, limit))
        except duckdb.Error as exc:
            _fail(_duckdb_message(exc) + (f" (in statement {len(results) + 1}: {stmt.strip()[:60]})"
                                          if len(statements) > 1 else ""))
    if len(results) > 1 and fmt in ("csv", "json"):
        _fail(f"{len(results)} statements return rows, and --format {fmt} prints one result: run them one "
              "at a time (or use --format table / markdown)")
    for i, (columns, rows, total) in enumerate(results):
        if i:
            typer.echo("")
        _print_result(fmt, columns, rows, total, limit)


def _duckdb_message(exc: Exception) -> str:
    """DuckDB's message on one line, with its hints ("Did you mean ...", "Candidate bindings: ...")."""
    lines = str(exc).splitlines()
    kept = [lines[0]] if lines else [type(exc).__name__]
    for line in lines[1:]:
        if not line.strip() or line.startswith("LINE "):
            break
        kept.append(line.strip())
    return " ".join(kept)


def _fetch(rel, limit: int) -> tuple[list[str], list[tuple], int]:
    """The first ``limit`` rows (all for 0) and the total row count, reading the result once."""
    columns = list(rel.columns)
    reader = rel.fetch_record_batch(10_000)
    rows: list[tuple] = []
    total = 0
    for batch in reader:
        total += batch.num_rows
        if not limit or len(rows) < limit:
            need = batch.num_rows if not limit else limit - len(rows)
            part = batch.slice(0, need).to_pylist()
            rows.extend(tuple(r[c] for c in batch.schema.names) for r in part)
    return columns, rows, total


def _count_line(shown: int, total: int) -> str:
    noun = "row" if total == 1 else "rows"
    if shown < total:
        return f"{shown} of {total} {noun} (--limit 0 for all)"
    return f"{total} {noun}"


def _print_result(fmt: str, columns: list[str], rows: list[tuple], total: int, limit: int) -> None:
    if fmt == "csv":
        import csv

        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if v is None else _plain(v) for v in r])
        sys.stdout.flush()
        typer.echo(_count_line(len(rows), total), err=True)
    elif fmt == "json":
        import json

        typer.echo(json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, indent=1,
                              default=_json_default))
        typer.echo(_count_line(len(rows), total), err=True)
    elif fmt == "markdown":
        def cell(v: Any) -> str:
            return "" if v is None else _plain(v).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")
        typer.echo("| " + " | ".join(cell(c) for c in columns) + " |")
        typer.echo("|" + "---|" * len(columns))
        for r in rows:
            typer.echo("| " + " | ".join(cell(v) for v in r) + " |")
        typer.echo(_count_line(len(rows), total), err=True)
    else:
        from rich.console import Console
        from rich.table import Table

        t = Table(*columns)
        for r in rows:
            t.add_row(*("NULL" if v is None else _truncate(_plain(v)) for v in r))
        Console().print(t)
        typer.echo(_count_line(len(rows), total))


def _plain(v: Any) -> str:
    if isinstance(v, (list, dict)):
        import json

        return json.dumps(v, ensure_ascii=False, default=_json_default)
    return str(v)


def _truncate(s: str) -> str:
    s = " ".join(s.split())  # newlines and runs of spaces: one space
    return s if len(s) <= MAX_CELL else s[:MAX_CELL - 1] + "…"


def _json_default(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, (bytes, bytearray)):
        return v.hex()
    return str(v)
