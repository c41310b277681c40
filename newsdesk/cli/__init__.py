"""The command line: ``newsdesk run | query | validate | report | catalog | serve``.

This package's root owns the typer app, its error handling and the options and checks the commands share; the
commands are :mod:`newsdesk.cli.run` (``run``, its Ctrl-C handling and summary), :mod:`newsdesk.cli.query`
(``query`` and its output formats) and :mod:`newsdesk.cli.admin` (``validate``, ``serve``, ``report``,
``catalog``), imported at the end of this module to register them on :data:`app`.

No Prefect code lives here: ``run`` and ``serve`` hand over to ``newsdesk.flows`` (imported lazily, after its
environment defaults are set), so ``query`` and ``validate`` start fast and never import Prefect.

Every failure is one line on stderr, ``newsdesk: error: ...``, and an exit code: 0 success, 1 the command
failed, 2 bad arguments (checked before anything starts), 75 another run holds the store, 130 interrupted
(Ctrl-C). ``--verbose`` adds the full traceback of an unexpected error.
"""
from __future__ import annotations

import enum
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click import exceptions as cx  # typer 0.29 vendors click: its exceptions live here
from typer.core import TyperGroup

from newsdesk import __version__

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


RawOpt = Annotated[Path, typer.Option("--raw", help="Folder of raw article files (searched recursively).",
                                      exists=True, file_okay=False, dir_okay=True)]
Changes = enum.Enum("Changes", {c: c for c in ("files", "folders")}, type=str)  # newsdesk.incremental.CHANGES
ChangesOpt = Annotated[Changes, typer.Option(
    "--changes", help="How a run finds new raw files: 'files' stats every file; 'folders' lists only the folders "
                      "whose listing changed since the last run (a landing folder whose files are never edited in "
                      "place)")]
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


# the commands: importing their modules registers them on ``app``, in this order (``--help`` lists them so)
from newsdesk.cli import run, query, admin  # noqa: E402, F401, I001
