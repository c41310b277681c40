"""The command line, without Prefect: query, validate, catalog and argument errors."""
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.store import Store
from tests.test_store import article, commit

runner = CliRunner()


def make_store(tmp_path):
    out = tmp_path / "out"
    commit(Store(out), "r1", [article("a1", "x.txt", body="alpha beta"), article("a2", "y.txt")])
    return out


def test_query_prints_a_table(tmp_path):
    out = make_store(tmp_path)
    res = runner.invoke(app, ["query", "SELECT source_path, word_count FROM articles ORDER BY 1",
                              "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "x.txt" in res.output and "y.txt" in res.output and "word_count" in res.output


def test_query_reports_sql_errors_in_one_line(tmp_path):
    out = make_store(tmp_path)
    res = runner.invoke(app, ["query", "SELECT nope FROM articles", "--out", str(out)])
    assert res.exit_code == 1
    assert "error" in res.output and res.output.count("\n") <= 2


def test_query_on_an_empty_store_says_so(tmp_path):
    res = runner.invoke(app, ["query", "SELECT 1", "--out", str(tmp_path / "none")])
    assert res.exit_code == 1 and "no curated data" in res.output


def test_validate_and_catalog(tmp_path):
    out = make_store(tmp_path)
    res = runner.invoke(app, ["validate", "--out", str(out)])
    assert res.exit_code == 0 and "passes every check" in res.output
    (out / "catalog.duckdb").unlink()
    res = runner.invoke(app, ["catalog", "--out", str(out)])
    assert res.exit_code == 0 and (out / "catalog.duckdb").exists()


def test_run_with_a_missing_raw_folder_fails_with_one_line(tmp_path):
    res = runner.invoke(app, ["run", "--raw", str(tmp_path / "missing"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "does not exist" in res.output


def test_report_lists_tables_and_runs(tmp_path):
    out = make_store(tmp_path)
    res = runner.invoke(app, ["report", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "articles" in res.output and "recent runs" in res.output and "r1" in res.output


def test_serve_refuses_without_a_schedule_or_a_server(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    raw = tmp_path / "raw"
    raw.mkdir()
    res = runner.invoke(app, ["serve", "--raw", str(raw), "--out", str(tmp_path / "o")])
    assert res.exit_code == 1 and "exactly one of --cron or --interval" in res.output
    res = runner.invoke(app, ["serve", "--raw", str(raw), "--out", str(tmp_path / "o"), "--cron", "*/30 * * * *"])
    assert res.exit_code == 1 and "PREFECT_API_URL" in res.output
