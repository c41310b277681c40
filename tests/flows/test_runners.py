"""flows/runners.py: the choice of task runner and Prefect's defaults (no Prefect run needed)."""
import pytest

from newsdesk.flows import runners
from tests.test_cli import make_store


def test_auto_runner_uses_processes_only_for_many_new_files(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(5):
        (raw / f"{i}.txt").write_text("Title\n\nBody.")
    assert runners.choose_runner(runners.estimated_new(raw, tmp_path / "out")) == "threads"
    monkeypatch.setattr(runners, "AUTO_PROCESSES_MIN_NEW", 3)
    assert runners.choose_runner(runners.estimated_new(raw, tmp_path / "out")) == "processes"
    out = make_store(tmp_path)  # two files already known: 3 new
    assert runners.estimated_new(raw, out) == 3 and runners.estimated_new(tmp_path / "raw", tmp_path / "none") == 5
    assert runners.choose_runner(runners.estimated_new(raw, out)) == "processes"
    monkeypatch.setattr(runners, "AUTO_PROCESSES_MIN_NEW", 4)
    assert runners.choose_runner(runners.estimated_new(raw, out)) == "threads"
    # no folder records yet: every folder is listed
    assert runners.choose_runner(runners.estimated_new(raw, out, changes="folders")) == "threads"


def test_unknown_runner_is_refused():
    with pytest.raises(ValueError, match="unknown runner"):
        runners.build_task_runner("fibers", None, 2)


@pytest.mark.slow
def test_a_taken_port_makes_the_local_server_start_again_elsewhere(tmp_path, monkeypatch):
    """free_port() can race with another process: the server then starts on a new port."""
    import socket

    from newsdesk.flows import server as srv

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    ports = iter([port])
    real = srv.free_port
    monkeypatch.setattr(srv, "free_port", lambda: next(ports, None) or real())
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    try:
        with srv.PrefectServer(ephemeral=True, timeout=180) as server:
            assert server.port != port and server.api_url.endswith(f":{server.port}/api")
            assert server.proc.poll() is None
    finally:
        taken.close()
