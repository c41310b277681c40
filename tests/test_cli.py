"""The command line, without a Prefect run: argument errors, query output, validate, report, catalog.

Most tests go through the real entry point (``.venv/bin/newsdesk`` in a subprocess) and assert the exit code
and the exact first line of output; every failure must be that one line.
"""
import csv
import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk import __version__
from newsdesk.cli import app
from newsdesk.store import Store
from tests.test_store import article, commit, run_tables

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
NEWSDESK = str(Path(sys.executable).parent / "newsdesk")
LONG_RUN_ID = "9f3c2a7b1d4e6f80"


def make_store(tmp_path):
    out = tmp_path / "out"
    commit(Store(out), "r1", [article("a1", "x.txt", body="alpha beta"), article("a2", "y.txt")])
    return out


def cli(args: list[str], *, env: dict | None = None, cwd: Path | None = None, timeout: float = 60
        ) -> subprocess.CompletedProcess:
    """``newsdesk ARGS`` through the installed entry point, with a PREFECT_HOME that must stay unused."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    base.update(env or {})
    return subprocess.run([NEWSDESK, *args], capture_output=True, text=True, env=base, cwd=cwd or ROOT,
                          timeout=timeout)


def first(text: str) -> str:
    return text.splitlines()[0] if text else ""


def dead_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/api"  # nothing listens there once closed


# ------------------------------------------------------------------------------------------- arguments
@pytest.fixture
def folders(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Title\n\nBody.")
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    return raw, afile


BAD_RUN_ARGS = [
    (["--workers", "0"], "Invalid value for '--workers': Input should be greater than or equal to 1"),
    (["--batch-size", "0"], "Invalid value for '--batch-size': Input should be greater than or equal to 1"),
    (["--workers", "two"], "Invalid value for '--workers': Input should be a valid integer, unable to parse "
                           "string as an integer"),
    (["--threshold", "2"], "Invalid value for '--threshold': must be greater than 0 and at most 1, not 2"),
    (["--threshold", "0"], "Invalid value for '--threshold': must be greater than 0 and at most 1, not 0"),
    (["--runner", "fibers"], "Invalid value for '--runner': Value error, 'fibers' is not one of 'auto', "
                             "'threads', 'processes', 'dask'."),
    (["--wait", "-1"], "Invalid value for '--wait': Input should be greater than or equal to 0"),
]


@pytest.mark.parametrize("args,message", BAD_RUN_ARGS, ids=[" ".join(a) for a, _ in BAD_RUN_ARGS])
def test_bad_run_arguments_fail_in_one_line_before_prefect_starts(tmp_path, folders, args, message):
    raw, _ = folders
    home = tmp_path / "prefect-home"
    res = cli(["run", "--raw", str(raw), "--out", str(tmp_path / "out"), *args], env={"PREFECT_HOME": str(home)})
    assert res.returncode == 2, res.stderr
    assert res.stderr == f"newsdesk: error: {message} (see `newsdesk run --help`)\n"
    assert res.stdout == ""
    assert not home.exists()  # Prefect never started (it creates its home)
    assert not (tmp_path / "out").exists()


def test_run_paths_are_checked_before_prefect_starts(tmp_path, folders):
    raw, afile = folders
    home = {"PREFECT_HOME": str(tmp_path / "prefect-home")}
    cases = [
        (["--raw", str(tmp_path / "missing")], f"Invalid value for '--raw': dir '{tmp_path / 'missing'}' does "
                                              "not exist. (see `newsdesk run --help`)"),
        (["--raw", str(afile)], f"Invalid value for '--raw': dir '{afile}' is a file. (see `newsdesk run --help`)"),
        (["--raw", str(raw), "--out", str(afile)], f"Invalid value for '--out': dir '{afile}' is a file. "
                                                  "(see `newsdesk run --help`)"),
        (["--raw", str(raw), "--out", str(afile / "sub")], f"--out {afile / 'sub'}: {afile} is a file, not a folder"),
        (["--raw", str(raw), "--address", "tcp://x:8786"], "--address needs --runner dask"),
    ]
    for args, message in cases:
        res = cli(["run", *args], env=home)
        assert (res.returncode, res.stderr) == (2, f"newsdesk: error: {message}\n"), args
    assert not (tmp_path / "prefect-home").exists()


def test_other_commands_check_their_paths_in_one_line(tmp_path, folders):
    _, afile = folders
    out = make_store(tmp_path)
    res = cli(["validate", "--out", str(out), "--raw", str(tmp_path / "missing")])
    assert res.returncode == 2
    assert res.stderr == (f"newsdesk: error: Invalid value for '--raw': dir '{tmp_path / 'missing'}' does not "
                          "exist. (see `newsdesk validate --help`)\n")
    for command in (["query", "SELECT 1"], ["report"], ["validate"], ["catalog"]):
        res = cli([*command, "--out", str(afile)])
        assert res.returncode == 2, command
        assert res.stderr == (f"newsdesk: error: Invalid value for '--out': dir '{afile}' is a file. "
                              f"(see `newsdesk {command[0]} --help`)\n")


def test_help_lists_the_runner_choices_auto_included():
    res = cli(["run", "--help"], env={"COLUMNS": "200"})
    assert res.returncode == 0
    assert "<auto|threads|processes|dask>" in res.stdout


def test_unknown_command_and_option_are_one_line():
    res = cli(["frobnicate"])
    assert (res.returncode, res.stderr) == (2, "newsdesk: error: No such command 'frobnicate'. "
                                               "(see `newsdesk --help`)\n")
    res = cli(["query"])
    assert (res.returncode, res.stderr) == (2, "newsdesk: error: Missing argument 'sql'. "
                                               "(see `newsdesk query --help`)\n")


def test_version():
    res = cli(["--version"])
    assert (res.returncode, res.stdout) == (0, f"newsdesk {__version__}\n")


def test_unreachable_prefect_server_is_one_line(tmp_path, folders):
    raw, _ = folders
    url = dead_url()
    env = {"PREFECT_API_URL": url, "PREFECT_HOME": str(tmp_path / "home")}
    expected = f"newsdesk: error: cannot reach Prefect at {url}: start `make server` or unset PREFECT_API_URL\n"
    res = cli(["run", "--raw", str(raw), "--out", str(tmp_path / "out")], env=env)
    assert (res.returncode, res.stderr) == (1, expected)
    res = cli(["serve", "--raw", str(raw), "--out", str(tmp_path / "out"), "--interval", "60"], env=env)
    assert (res.returncode, res.stderr) == (1, expected)


def test_the_prefect_profile_is_honoured(tmp_path, folders):
    """`prefect config set PREFECT_API_URL=...` writes ~/.prefect/profiles.toml: newsdesk uses that server
    (here an unreachable one, so the test needs no server: the error names the profile's URL)."""
    raw, _ = folders
    url = dead_url()
    home = tmp_path / "user"
    (home / ".prefect").mkdir(parents=True)
    (home / ".prefect" / "profiles.toml").write_text(
        f'active = "work"\n\n[profiles.work]\nPREFECT_API_URL = "{url}"\n\n[profiles.ephemeral]\n')
    res = cli(["run", "--raw", str(raw), "--out", str(tmp_path / "out")], env={"HOME": str(home)})
    assert res.returncode == 1
    assert first(res.stderr) == (f"newsdesk: error: cannot reach Prefect at {url}: start `make server` or "
                                 "unset PREFECT_API_URL")
    # the profile's setting is what Prefect itself sees, under newsdesk's defaults
    probe = ("from newsdesk.flows.runners import prefect_env; prefect_env(); "
             "from prefect.settings import PREFECT_API_URL; print(PREFECT_API_URL.value())")
    base = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    res = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                         env={**base, "HOME": str(home)})
    assert res.stdout.strip() == url, res.stderr


def test_serve_refuses_without_a_schedule_or_a_server(tmp_path, folders):
    raw, _ = folders
    res = cli(["serve", "--raw", str(raw), "--out", str(tmp_path / "o")], env={"HOME": str(tmp_path)})
    assert (res.returncode, first(res.stderr)) == (1, "newsdesk: error: give exactly one of --cron or --interval")
    res = cli(["serve", "--raw", str(raw), "--out", str(tmp_path / "o"), "--cron", "*/30 * * * *"],
              env={"HOME": str(tmp_path)})
    assert res.returncode == 1
    assert first(res.stderr).startswith("newsdesk: error: schedules need a real Prefect server")


# ------------------------------------------------------------------------------------------- query
@pytest.fixture(scope="module")
def store3(tmp_path_factory):
    """Three articles, one with a long, multi-line body, and a run with a full-length id."""
    out = tmp_path_factory.mktemp("q") / "out"
    long_body = "Long line one of the article. " * 10 + "\nSecond | line, with \"quotes\"."
    arts = [article("a1", "x.txt", body="alpha beta", run=LONG_RUN_ID),
            article("a2", "y.txt", run=LONG_RUN_ID),
            article("a3", "z.txt", body=long_body, run=LONG_RUN_ID)]
    with Store(out).writer():
        Store(out).commit(run_tables(LONG_RUN_ID, arts))
    return out, long_body


def test_query_table_is_for_people_and_says_how_many_rows(store3):
    out, long_body = store3
    res = cli(["query", "SELECT source_path, body FROM articles ORDER BY 1", "--out", str(out)],
              env={"COLUMNS": "200"})
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[-1] == "3 rows"
    assert "Long line one of the article. Long line one of the article." in res.stdout
    assert long_body not in res.stdout and "…" in res.stdout  # long text truncated in table mode only
    res = cli(["query", "SELECT source_path FROM articles ORDER BY 1", "--out", str(out), "--limit", "2"])
    assert res.stdout.splitlines()[-1] == "2 of 3 rows (--limit 0 for all)"
    assert "z.txt" not in res.stdout
    res = cli(["query", "SELECT source_path FROM articles ORDER BY 1", "--out", str(out), "--limit", "0"])
    assert "z.txt" in res.stdout and res.stdout.splitlines()[-1] == "3 rows"


def test_query_csv_and_json_keep_stdout_machine_readable(store3):
    out, long_body = store3
    sql = "SELECT article_id, source_path, body, published_at FROM articles ORDER BY 1"
    res = cli(["query", sql, "--out", str(out), "--format", "csv"])
    assert res.returncode == 0 and res.stderr == "3 rows\n"
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0] == ["article_id", "source_path", "body", "published_at"]
    assert rows[3] == ["a3", "z.txt", long_body, ""]  # whole text, NULL as empty
    res = cli(["query", sql, "--out", str(out), "--format", "json"])
    assert res.returncode == 0 and res.stderr == "3 rows\n"
    data = json.loads(res.stdout)
    assert [d["article_id"] for d in data] == ["a1", "a2", "a3"]
    assert data[2]["body"] == long_body and data[2]["published_at"] is None
    res = cli(["query", "SELECT 1 AS one", "--out", str(out), "-f", "json"])
    assert json.loads(res.stdout) == [{"one": 1}] and res.stderr == "1 row\n"


def test_query_markdown(store3):
    out, _ = store3
    res = cli(["query", "SELECT source_path, body FROM articles WHERE article_id = 'a3'", "--out", str(out),
               "--format", "markdown"])
    assert res.returncode == 0 and res.stderr == "1 row\n"
    lines = res.stdout.splitlines()
    assert lines[:2] == ["| source_path | body |", "|---|---|"]
    assert lines[2].startswith("| z.txt | Long line one") and "<br>Second \\| line" in lines[2]


def test_several_statements_print_each_result_or_refuse_clearly(store3):
    out, _ = store3
    sql = "SELECT count(*) AS n FROM articles; SELECT 'x' AS y"
    res = cli(["query", sql, "--out", str(out)])
    assert res.returncode == 0, res.stderr
    assert res.stdout.count("1 row") == 2 and " n " in res.stdout and " y " in res.stdout
    res = cli(["query", sql, "--out", str(out), "--format", "csv"])
    assert res.returncode == 1 and res.stdout == ""
    assert res.stderr == ("newsdesk: error: 2 statements return rows, and --format csv prints one result: run "
                          "them one at a time (or use --format table / markdown)\n")


def test_query_errors_are_one_line_and_keep_duckdbs_hints(store3):
    out, _ = store3
    res = cli(["query", "SELECT * FROM artcles", "--out", str(out)])
    assert (res.returncode, res.stderr) == (1, 'newsdesk: error: Catalog Error: Table with name artcles does not '
                                               'exist! Did you mean "articles"?\n')
    res = cli(["query", "SELECT titel FROM articles", "--out", str(out)])
    assert res.returncode == 1 and res.stderr.count("\n") == 1
    assert first(res.stderr).startswith('newsdesk: error: Binder Error: Referenced column "titel" not found')
    assert 'Candidate bindings: "title"' in res.stderr
    res = cli(["query", "SELEC 1", "--out", str(out)])
    assert (res.returncode, res.stderr) == (1, 'newsdesk: error: Parser Error: syntax error at or near "SELEC"\n')


def test_query_on_an_empty_store_says_so(tmp_path):
    res = cli(["query", "SELECT 1", "--out", str(tmp_path / "none")])
    assert (res.returncode, res.stderr) == (1, f"newsdesk: error: no curated data in {tmp_path / 'none'}: run "
                                               f"`newsdesk run --out {tmp_path / 'none'}` first\n")


# ------------------------------------------------------------------------------------------- others
def test_report_shows_full_run_ids_and_times(store3):
    out, _ = store3
    res = cli(["report", "--out", str(out)], env={"COLUMNS": "80"})
    assert res.returncode == 0, res.stderr
    assert "articles" in res.stdout and "recent runs" in res.stdout
    line = next(l for l in res.stdout.splitlines() if LONG_RUN_ID in l)  # the id whole, on one line
    assert "2026-01-01 00:00:00" in line


def test_validate_and_catalog(tmp_path):
    out = make_store(tmp_path)
    res = runner.invoke(app, ["validate", "--out", str(out)])
    assert res.exit_code == 0 and "passes every check" in res.output
    (out / "catalog.duckdb").unlink()
    res = runner.invoke(app, ["catalog", "--out", str(out)])
    assert res.exit_code == 0 and (out / "catalog.duckdb").exists()


def test_an_unexpected_error_is_one_line(tmp_path):
    out = make_store(tmp_path)
    for part in (out / "current" / "runs").iterdir():
        part.write_bytes(b"not parquet")  # a damaged store
    res = cli(["report", "--out", str(out)])
    assert res.returncode == 1 and res.stderr.count("\n") == 1
    assert first(res.stderr).startswith("newsdesk: error: ")
    res = cli(["validate", "--out", str(out)])
    assert res.returncode == 1 and res.stderr.count("\n") == 1
    assert first(res.stderr).startswith("newsdesk: error: ArrowInvalid: Parquet magic bytes not found")
