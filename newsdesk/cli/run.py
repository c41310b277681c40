"""``newsdesk run``: the run command, its argument checks, Ctrl-C and SIGTERM during a run, and its summary.

The run itself is ``newsdesk.flows.runners.run_curate`` (imported lazily, after its environment defaults are
set). SIGINT is blocked before any thread starts and taken by one thread with ``sigwait``
(:func:`_block_ctrl_c`, :func:`_on_interrupt`): it says what the store holds, stops the local server and the
workers, and exits 130 (143 for SIGTERM). The summary's wall time counts from the process's start.
"""
from __future__ import annotations

import contextlib
import enum
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from newsdesk import cli as _cli  # _OWN_PROCESS is read at the end of a run: NewsdeskGroup.main sets it
from newsdesk.cli import (
    _T0, EX_INTERRUPTED, EX_TEMPFAIL, EX_USAGE, Changes, ChangesOpt, OutOpt, RawOpt, VerboseOpt, _check_out,
    _fail, _one_line, _warn, app,
)
from newsdesk.flows.runners import RUNNERS  # a tuple; newsdesk.flows.runners imports no Prefect at load

Runner = enum.Enum("Runner", {r: r for r in RUNNERS}, type=str)


def _threshold(value: float) -> float:
    if not 0 < value <= 1:
        raise typer.BadParameter(f"must be greater than 0 and at most 1, not {value:g}")
    return value


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
        changes: ChangesOpt = Changes.files,
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
                                     changes=changes.value,
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
    if _cli._OWN_PROCESS:  # the run is over (store committed, server stopped, logs sent): skip the 1-2 s the
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
