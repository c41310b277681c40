"""The command line: ``newsdesk run | query | validate | report | catalog | serve``.

No Prefect code lives here: ``run`` and ``serve`` hand over to ``newsdesk.flows`` (imported lazily, after its
environment defaults are set), so ``query`` and ``validate`` start fast and never import Prefect.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Curate raw news-article text files into Parquet tables that DuckDB can query.")

RawOpt = Annotated[Path, typer.Option("--raw", help="Folder of raw article files (searched recursively).")]
OutOpt = Annotated[Path, typer.Option("--out", help="Curated store (Parquet tables + catalog.duckdb).")]


def _fail(msg: str, code: int = 1) -> None:
    typer.echo(f"newsdesk: error: {msg}", err=True)
    raise typer.Exit(code)


@app.command()
def run(raw: RawOpt = Path("data/raw"), out: OutOpt = Path("data/curated"),
        runner: Annotated[str, typer.Option(help="auto | threads | processes | dask")] = "auto",
        address: Annotated[Optional[str], typer.Option(help="Dask scheduler, tcp://HOST:PORT")] = None,
        workers: Annotated[int, typer.Option(help="Worker processes / threads / local Dask workers")] = 2,
        batch_size: Annotated[int, typer.Option(help="Files per task")] = 256,
        max_bytes: Annotated[int, typer.Option(help="Reject files larger than this")] = 5_000_000,
        threshold: Annotated[float, typer.Option(help="Near-duplicate Jaccard threshold")] = 0.8,
        wait: Annotated[float, typer.Option(help="Seconds to wait for another run's lock")] = 0,
        progress: Annotated[Optional[bool], typer.Option(help="Progress bar (default: on a terminal)")] = None,
        keep_low_quality: Annotated[bool, typer.Option(
            "--keep-low-quality", help="Keep every document: turn the quality gate off")] = False,
        quality_config: Annotated[Optional[Path], typer.Option(
            help="TOML file whose [quality] table turns quality rules off or changes thresholds")] = None,
        verbose: bool = False) -> None:
    """Run the curation flow over RAW into OUT and print a summary."""
    if not raw.is_dir():
        _fail(f"raw folder {raw} does not exist or is not a folder")
    from newsdesk.quality import config_from

    try:
        config_from(quality_config, keep_low_quality)
    except ValueError as exc:
        _fail(str(exc))
    if address and runner != "dask":
        _fail("--address needs --runner dask")
    from newsdesk.flows.runners import RUNNERS, run_curate
    from newsdesk.store import CommitRejected, StoreBusy

    if runner not in RUNNERS:
        _fail(f"unknown runner {runner!r} (one of {', '.join(RUNNERS)})")
    try:
        summary = run_curate(raw, out, runner=runner, address=address, workers=workers, verbose=verbose,
                             batch_size=batch_size, max_bytes=max_bytes, threshold=threshold, wait=wait,
                             keep_low_quality=keep_low_quality,
                             quality_config=str(quality_config) if quality_config else None,
                             progress=sys.stderr.isatty() if progress is None else progress)
    except StoreBusy as exc:
        _fail(str(exc), code=75)
    except CommitRejected as exc:
        _fail(str(exc))
    except Exception as exc:  # one line for the operator; --verbose shows Prefect's traceback logs
        _fail(f"run failed: {type(exc).__name__}: {exc}")
    _print_summary(summary)


def _print_summary(s: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=f"newsdesk run {s['run_id']}" + (" (nothing new)" if not s["committed"] else ""),
              show_header=False)
    reasons = ", ".join(f"{k}: {v}" for k, v in s["reject_reasons"].items())
    for k, v in [("files seen", s["files_seen"]), ("new files", s["files_new"]),
                 ("already curated", s["files_known"]), ("articles", s["articles"]),
                 ("duplicates", f"{s['duplicates']} ({s['duplicates_near']} near)"),
                 ("rejects", f"{s['rejects']}" + (f" ({reasons})" if reasons else "")),
                 ("quotes", s["quotes"]), ("entity mentions", s["entity_mentions"]),
                 ("not English (no NER)", s["ner_skipped"]),
                 ("extraction errors", s["enrich_errors"]), ("seconds", f"{s['seconds']:.1f}"),
                 ("store", s["out"])]:
        t.add_row(k, str(v))
    Console().print(t)


@app.command()
def query(sql: Annotated[str, typer.Argument(help="SQL over the tables (articles, quotes, ...)")],
          out: OutOpt = Path("data/curated"),
          limit: Annotated[int, typer.Option(help="Rows to print at most")] = 50) -> None:
    """Run SQL on the curated tables and print the result as a table."""
    import duckdb
    from rich.console import Console
    from rich.table import Table

    from newsdesk.store import Store, connect

    if Store(out).version() == 0:
        _fail(f"no curated data in {out}: run `newsdesk run --out {out}` first")
    con = connect(out)
    try:
        rel = con.sql(sql)
    except duckdb.Error as exc:
        _fail(str(exc).splitlines()[0])
    if rel is None:
        return
    rows = rel.limit(limit + 1).fetchall()
    t = Table(*rel.columns)
    for r in rows[:limit]:
        t.add_row(*("NULL" if v is None else str(v) for v in r))
    Console().print(t)
    if len(rows) > limit:
        typer.echo(f"(first {limit} rows; use --limit)")


@app.command()
def validate(out: OutOpt = Path("data/curated"),
             raw: Annotated[Optional[Path], typer.Option(help="Also check every raw file is accounted for")] = None
             ) -> None:
    """Check the store: schemas exact, keys unique, references resolve, offsets match, nothing lost."""
    from newsdesk import ingest
    from newsdesk.fingerprint import sha256_hex
    from newsdesk.store import Store
    from newsdesk.validate import check_raw_accounted, check_snapshot

    store = Store(out)
    snap = store.snapshot_dir()
    if snap is None:
        _fail(f"no curated data in {out}")
    problems = check_snapshot(snap)
    if raw is not None:
        files, rejects = ingest.discover(raw)
        pairs = []
        for f in files:
            try:
                pairs.append((f.path, sha256_hex((raw / f.path).read_bytes())))
            except OSError:
                pairs.append((f.path, None))
        pairs += [(r.path, r.sha256) for r in rejects]
        problems += check_raw_accounted(snap, pairs)
    if problems:
        for p in problems:
            typer.echo(f"FAIL {p}", err=True)
        _fail(f"{len(problems)} problems in snapshot {store.version()} of {out}")
    typer.echo(f"ok: snapshot {store.version()} of {store.out} passes every check")


@app.command()
def serve(raw: RawOpt = Path("data/raw"), out: OutOpt = Path("data/curated"),
          cron: Annotated[Optional[str], typer.Option(help='Cron schedule, e.g. "*/30 * * * *"')] = None,
          interval: Annotated[Optional[float], typer.Option(help="Run every N seconds instead")] = None,
          name: Annotated[str, typer.Option(help="Deployment name")] = "newsdesk-scheduled",
          wait: Annotated[float, typer.Option(help="Seconds a run waits for another run's lock")] = 600,
          verbose: bool = False) -> None:
    """Serve the flow on a schedule against the Prefect server in PREFECT_API_URL (`make server`)."""
    from newsdesk.flows.runners import prefect_env
    from newsdesk.flows.serve import ServeError
    from newsdesk.flows.serve import serve as serve_flow

    prefect_env(verbose)

    try:
        serve_flow(raw, out, cron=cron, interval=interval, name=name, wait=wait)
    except ServeError as exc:
        _fail(str(exc))


@app.command()
def report(out: OutOpt = Path("data/curated"),
           runs: Annotated[int, typer.Option(help="How many recent runs to list")] = 10) -> None:
    """Print the store's row counts and its most recent runs."""
    from rich.console import Console
    from rich.table import Table

    from newsdesk import schema
    from newsdesk.store import Store, connect

    store = Store(out)
    if store.version() == 0:
        _fail(f"no curated data in {out}")
    con = connect(out)
    t = Table("table", "rows", title=f"{store.out} (snapshot {store.version()})")
    for name in schema.tables():
        t.add_row(name, str(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]))
    Console().print(t)
    cols = ["run_id", "finished_at", "files_new", "articles", "duplicates", "rejects", "quotes", "seconds"]
    r = Table(*cols, title="recent runs")
    for row in con.execute(f"SELECT {', '.join(cols)} FROM runs ORDER BY finished_at DESC LIMIT {runs}"
                           ).fetchall():
        r.add_row(*(str(v) for v in row))
    Console().print(r)


@app.command()
def catalog(out: OutOpt = Path("data/curated")) -> None:
    """Rebuild catalog.duckdb and DATASET.md (e.g. after moving the store)."""
    from newsdesk.store import Store

    store = Store(out)
    if store.version() == 0:
        _fail(f"no curated data in {out}")
    typer.echo(str(store.write_catalog()))


if __name__ == "__main__":  # pragma: no cover
    app()
