"""The command line: ``newsdesk run | query | validate | report | catalog | serve``.

No Prefect code lives here: ``run`` and ``serve`` hand over to ``newsdesk.flows`` (imported lazily, after its
environment defaults are set), so ``query`` and ``validate`` start fast and never import Prefect.

Every failure is one line on stderr, ``newsdesk: error: ...``, and an exit code: 0 success, 1 the command
failed, 2 bad arguments (checked before anything starts), 75 another run holds the store, 130 interrupted
(Ctrl-C). ``--verbose`` adds the full traceback of an unexpected error.
"""
from __future__ import annotations

import contextlib
import enum
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer._click import exceptions as cx  # typer 0.29 vendors click: its exceptions live here
from typer.core import TyperGroup

from newsdesk import __version__
from newsdesk.flows.runners import RUNNERS  # a tuple; newsdesk.flows.runners imports no Prefect at load

EX_USAGE = 2
EX_TEMPFAIL = 75
EX_INTERRUPTED = 130
_T0 = time.perf_counter()
_OWN_PROCESS = False  # set by NewsdeskGroup.main: newsdesk was started from the command line


class NewsdeskGroup(TyperGroup):
    """Click's usage errors as one line (``newsdesk: error: ...``, exit 2) instead of a usage box, an
    unexpected exception as one line (its traceback with ``--verbose``), Ctrl-C as exit 130."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        global _OWN_PROCESS
        _OWN_PROCESS = standalone_mode and args is None  # the real command line, not a test's CliRunner
        argv = list(sys.argv[1:] if args is None else args)
        try:
            rv = super().main(args=argv, prog_name=prog_name or "newsdesk", complete_var=complete_var,
                              standalone_mode=False, **extra)
        except cx.NoArgsIsHelpError as exc:
            exc.show()
            code = 0
        except cx.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "newsdesk"
            typer.echo(f"newsdesk: error: {exc.format_message()} (see `{where} --help`)", err=True)
            code = EX_USAGE
        except cx.ClickException as exc:
            typer.echo(f"newsdesk: error: {exc.format_message()}", err=True)
            code = exc.exit_code
        except typer.Abort:
            typer.echo("newsdesk: interrupted", err=True)
            code = EX_INTERRUPTED
        except KeyboardInterrupt:
            typer.echo("newsdesk: interrupted", err=True)
            code = EX_INTERRUPTED
        except Exception as exc:
            if "--verbose" in argv:
                import traceback

                traceback.print_exc()
            typer.echo(f"newsdesk: error: {type(exc).__name__}: {_one_line(exc)}", err=True)
            code = 1
        else:
            code = rv if isinstance(rv, int) else 0
            if code == EX_INTERRUPTED:  # typer turns a KeyboardInterrupt into Exit(130)
                typer.echo("newsdesk: interrupted", err=True)
        if standalone_mode:
            sys.exit(code)
        return code


def _one_line(exc: BaseException) -> str:
    """The first line of an exception's message (the rest is for --verbose)."""
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), "")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"newsdesk {__version__}")
        raise typer.Exit()


app = typer.Typer(cls=NewsdeskGroup, add_completion=False, no_args_is_help=True,
                  pretty_exceptions_enable=False,
                  help="Curate raw news-article text files into Parquet tables that DuckDB can query.")


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    pass


Runner = enum.Enum("Runner", {r: r for r in RUNNERS}, type=str)


class Format(str, enum.Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


def _threshold(value: float) -> float:
    if not 0 < value <= 1:
        raise typer.BadParameter(f"must be greater than 0 and at most 1, not {value:g}")
    return value


RawOpt = Annotated[Path, typer.Option("--raw", help="Folder of raw article files (searched recursively).",
                                      exists=True, file_okay=False, dir_okay=True)]
OutOpt = Annotated[Path, typer.Option("--out", help="Curated store (Parquet tables + catalog.duckdb).",
                                      file_okay=False, dir_okay=True)]
VerboseOpt = Annotated[bool, typer.Option("--verbose", help="Prefect's and Dask's logs on the terminal, and the "
                                                            "full traceback of an error.")]


def _fail(msg: str, code: int = 1) -> None:
    typer.echo(f"newsdesk: error: {msg}", err=True)
    raise typer.Exit(code)


def _warn(msg: str) -> None:
    typer.echo(f"newsdesk: warning: {msg}", err=True)


def _check_out(out: Path) -> None:
    """``--out`` is a folder or does not exist yet, and could be created (no file on its way)."""
    p = out.absolute()
    for parent in [p, *p.parents]:
        if parent.exists():
            if not parent.is_dir():
                _fail(f"--out {out}: {parent} is a file, not a folder", EX_USAGE)
            return


def _holds_files(raw: Path) -> bool:
    for dirpath, dirnames, filenames in os.walk(raw, followlinks=True):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        if any(not f.startswith(".") for f in filenames):
            return True
    return False


# ------------------------------------------------------------------------------------------------ run
@app.command()
def run(raw: RawOpt = Path("data/raw"), out: OutOpt = Path("data/curated"),
        runner: Annotated[Runner, typer.Option(help="Task runner: auto picks processes for 200+ new files, "
                                                    "threads otherwise.")] = Runner.auto,
        address: Annotated[Optional[str], typer.Option(help="Dask scheduler, tcp://HOST:PORT")] = None,
        workers: Annotated[int, typer.Option(min=1, help="Worker processes / threads / local Dask workers")] = 2,
        batch_size: Annotated[int, typer.Option(min=1, help="Files per task")] = 256,
        max_bytes: Annotated[int, typer.Option(min=1, help="Reject files larger than this")] = 5_000_000,
        threshold: Annotated[float, typer.Option(callback=_threshold,
                                                 help="Near-duplicate Jaccard threshold, in (0, 1]")] = 0.8,
        wait: Annotated[float, typer.Option(min=0, help="Seconds to wait for another run's lock")] = 0,
        progress: Annotated[Optional[bool], typer.Option(help="Progress bar (default: on a terminal)")] = None,
        keep_low_quality: Annotated[bool, typer.Option(
            "--keep-low-quality", help="Keep every document: turn the quality gate off")] = False,
        quality_config: Annotated[Optional[Path], typer.Option(
            help="TOML file whose [quality] table turns quality rules off or changes thresholds",
            exists=True, file_okay=True, dir_okay=False)] = None,
        verbose: VerboseOpt = False) -> None:
    """Run the curation flow over RAW into OUT and print a summary.

    Uses the Prefect server in PREFECT_API_URL (environment or profile), or starts a local one for the run.
    """
    runner_name = runner.value
    if address and runner_name != "dask":
        _fail("--address needs --runner dask", EX_USAGE)
    _check_out(out)
    from newsdesk.quality import config_from  # no thread, no Prefect

    try:
        config_from(quality_config, keep_low_quality)
    except ValueError as exc:
        _fail(str(exc), EX_USAGE)
    if not _holds_files(raw):
        _warn(f"raw folder {raw} holds no files: nothing to curate")

    _block_ctrl_c(with_workers=runner_name != "threads")  # first: before any library starts a thread
    from newsdesk.flows import runners
    from newsdesk.store import CommitRejected, Store, StoreBusy

    _on_interrupt(out, Store(out).version())
    try:
        summary = runners.run_curate(raw, out, runner=runner_name, address=address, workers=workers,
                                     verbose=verbose, batch_size=batch_size, max_bytes=max_bytes,
                                     threshold=threshold, wait=wait, keep_low_quality=keep_low_quality,
                                     quality_config=str(quality_config) if quality_config else None,
                                     progress=sys.stderr.isatty() if progress is None else progress)
    except StoreBusy as exc:
        _fail(str(exc), code=EX_TEMPFAIL)
    except (CommitRejected, runners.ApiUnreachable) as exc:
        _fail(str(exc))
    except Exception as exc:  # one line for the operator; --verbose adds the traceback
        if verbose:
            import traceback

            traceback.print_exc()
        _fail(f"run failed: {type(exc).__name__}: {_one_line(exc)}")
    _print_summary(summary, wall=_wall_seconds())
    if _OWN_PROCESS:  # the run is over (store committed, server stopped, logs sent): skip the 1-2 s the
        sys.stdout.flush()  # interpreter takes to tear down Prefect's loop threads and the NER model, so
        sys.stderr.flush()  # that the wall time printed is the time the user waits
        os._exit(0)


def _wall_seconds() -> float:
    """Seconds since this process started (Python's start-up and imports included), from /proc: the
    process's start in clock ticks since boot against the uptime (both 10 ms exact; psutil's create_time
    adds the boot time, known to the second only)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])  # field 22: starttime
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):  # not Linux
        return time.perf_counter() - _T0


def _block_ctrl_c(with_workers: bool) -> None:
    """Ignore and block SIGINT in this thread, before any other thread exists (they inherit the mask; a
    thread that did not would swallow a Ctrl-C: importing pyarrow starts one). :func:`_on_interrupt` then
    takes it with ``sigwait``. Linux keeps a blocked signal pending even when it is ignored.

    Every process the run starts (process-pool and Dask workers) inherits the ignored disposition, so a
    Ctrl-C in the terminal, which signals the whole process group, does not make each worker print a
    KeyboardInterrupt traceback: the run stops its workers itself.
    """
    if with_workers:  # multiprocessing starts its resource tracker with SIGINT blocked, then UNblocks it
        from multiprocessing import resource_tracker  # in its thread: start it now, before we block it

        resource_tracker.ensure_running()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the workers (survives exec)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _on_interrupt(out: Path, before: int) -> None:
    """Ctrl-C / SIGTERM during a run: say what the store holds, stop the local server and the workers, exit
    130 (143 for SIGTERM) at once. The store needs nothing: a commit is one atomic rename, and the next run
    sweeps what this one left (Store.recover).

    One thread waits for SIGINT (see :func:`_block_ctrl_c`): it answers even when the main thread is busy
    in C code. ``before`` is the store's version when the run started.
    """
    from newsdesk.flows import runners
    from newsdesk.store import Store, freeze_commits

    def report_and_exit(signum: int) -> None:
        try:  # never raise into the interrupted code (it may be in the middle of an import)
            freeze_commits()  # a flip in progress finishes, none follows: what we say stays true
            now = Store(out).version()
            what = f"committed snapshot {now}" if now > before else "nothing committed"
            if sys.stderr.isatty():
                sys.stderr.write("\x1b[?25h\r")  # a progress bar hid the cursor
            sys.stderr.write(f"newsdesk: interrupted; {what}\n")
            sys.stderr.flush()
            runners.abort(f"interrupted: {what}", runners.current_flow_run_id())
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
            os._exit(EX_INTERRUPTED if signum == signal.SIGINT else 128 + signum)

    def wait_for_ctrl_c() -> None:
        report_and_exit(signal.sigwait({signal.SIGINT}))

    threading.Thread(target=wait_for_ctrl_c, name="newsdesk-ctrl-c", daemon=True).start()
    signal.signal(signal.SIGTERM, lambda signum, frame: report_and_exit(signum))


def _print_summary(s: dict, wall: float) -> None:
    from rich.console import Console
    from rich.table import Table

    if s["committed"]:
        title = f"newsdesk run {s['run_id']}: committed snapshot {s['version']}"
    else:
        last = f", last run {s['last_run_id']}" if s.get("last_run_id") else ""
        title = f"newsdesk run (nothing new): store at snapshot {s['version']}{last}"
    t = Table(title=title, show_header=False)
    reasons = ", ".join(f"{k}: {v}" for k, v in s["reject_reasons"].items())
    for k, v in [("files seen", s["files_seen"]), ("new files", s["files_new"]),
                 ("already curated", s["files_known"]), ("articles", s["articles"]),
                 ("duplicates", f"{s['duplicates']} ({s['duplicates_near']} near)"),
                 ("rejects", f"{s['rejects']}" + (f" ({reasons})" if reasons else "")),
                 ("quotes", s["quotes"]), ("entity mentions", s["entity_mentions"]),
                 ("entities in store", s["entities"]),
                 ("not English (no NER)", s["ner_skipped"]),
                 ("extraction errors", s["enrich_errors"]),
                 ("seconds", f"{wall:.1f} (the flow itself {s['seconds']:.1f})"),
                 ("store", f"{s['out']} (snapshot {s['version']})")]:
        t.add_row(k, str(v))
    Console(width=max(100, Console().width)).print(t)


# ------------------------------------------------------------------------------------------------ query
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
        serve_flow(raw, out, cron=cron, interval=interval, name=name, wait=wait,
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


if __name__ == "__main__":  # pragma: no cover
    app()
