"""The store's upkeep commands: ``newsdesk validate | serve | report | catalog``.

``validate`` checks a snapshot (and, with ``--raw``, that every raw file is accounted for); ``serve`` serves
the flow on a schedule against a Prefect server (``newsdesk.flows.serve``, imported lazily); ``report`` prints
the row counts and the recent runs; ``catalog`` rewrites catalog.duckdb and DATASET.md.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from newsdesk.cli import Changes, ChangesOpt, OutOpt, RawOpt, VerboseOpt, _check_out, _fail, app


# ------------------------------------------------------------------------------------------------ validate
@app.command()
def validate(out: OutOpt = Path("data/curated"),
             raw: Annotated[Optional[Path], typer.Option(help="Also check every raw file is accounted for",
                                                         exists=True, file_okay=False, dir_okay=True)] = None
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


# ------------------------------------------------------------------------------------------------ serve
@app.command()
def serve(raw: RawOpt = Path("data/raw"), out: OutOpt = Path("data/curated"),
          cron: Annotated[Optional[str], typer.Option(help='Cron schedule, e.g. "*/30 * * * *"')] = None,
          interval: Annotated[Optional[float], typer.Option(help="Run every N seconds instead")] = None,
          name: Annotated[str, typer.Option(help="Deployment name")] = "newsdesk-scheduled",
          wait: Annotated[float, typer.Option(min=0, help="Seconds a run waits for another run's lock")] = 600,
          changes: ChangesOpt = Changes.files,
          verbose: VerboseOpt = False) -> None:
    """Serve the flow on a schedule against the Prefect server in PREFECT_API_URL (`make server`).

    Ctrl-C or SIGTERM pauses the schedule and exits.
    """
    _check_out(out)
    from newsdesk.flows.runners import ApiUnreachable, prefect_env
    from newsdesk.flows.serve import ServeError
    from newsdesk.flows.serve import serve as serve_flow

    prefect_env(verbose)
    try:
        serve_flow(raw, out, cron=cron, interval=interval, name=name, wait=wait, changes=changes.value,
                   ready=lambda line: typer.echo(f"newsdesk: {line}", err=True))
    except (ServeError, ApiUnreachable) as exc:
        _fail(str(exc))


# ------------------------------------------------------------------------------------------------ report
@app.command()
def report(out: OutOpt = Path("data/curated"),
           runs: Annotated[int, typer.Option(min=0, help="How many recent runs to list")] = 10) -> None:
    """Print the store's row counts and its most recent runs (full run ids, times in UTC)."""
    from rich.console import Console
    from rich.table import Table

    from newsdesk import schema
    from newsdesk.store import Store, connect

    store = Store(out)
    if store.version() == 0:
        _fail(f"no curated data in {out}")
    con = connect(out)
    console = Console() if sys.stdout.isatty() else Console(width=120)  # piped: no need to squeeze
    t = Table("table", "rows", title=f"{store.out} (snapshot {store.version()})")
    for name in schema.tables():
        t.add_row(name, str(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]))
    console.print(t)
    cols = {"run_id": "run_id", "started_at": "started (UTC)", "seconds": "seconds", "files_new": "new files",
            "articles": "articles", "duplicates": "duplicates", "rejects": "rejects", "quotes": "quotes"}
    r = Table(title="recent runs")
    for c, header in cols.items():
        if c in ("run_id", "started_at"):  # never shortened: ids and times are copied from here
            r.add_column(header, no_wrap=True, min_width=16 if c == "run_id" else 19)
        else:
            r.add_column(header, justify="right")
    for row in con.execute(f"SELECT {', '.join(cols)} FROM runs ORDER BY finished_at DESC LIMIT {runs}"
                           ).fetchall():
        r.add_row(*(_report_cell(v) for v in row))
    console.print(r)


def _report_cell(v: Any) -> str:
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, float):
        return f"{v:.1f}"
    return str(v)


# ------------------------------------------------------------------------------------------------ catalog
@app.command()
def catalog(out: OutOpt = Path("data/curated")) -> None:
    """Rebuild catalog.duckdb and DATASET.md (a commit writes them; this repairs or refreshes them)."""
    from newsdesk.store import Store

    store = Store(out)
    if store.version() == 0:
        _fail(f"no curated data in {out}")
    typer.echo(str(store.write_catalog()))
