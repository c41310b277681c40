"""flows/runners.py: the choice of task runner and Prefect's defaults (no Prefect run needed)."""
import pytest

from newsdesk.flows import runners
from tests.test_cli import make_store


def test_auto_runner_uses_processes_only_for_many_new_files(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(5):
        (raw / f"{i}.txt").write_text("Title\n\nBody.")
    assert runners.choose_runner(raw, tmp_path / "out") == "threads"
    monkeypatch.setattr(runners, "AUTO_PROCESSES_MIN_NEW", 3)
    assert runners.choose_runner(raw, tmp_path / "out") == "processes"
    out = make_store(tmp_path)  # two files already known: 3 new
    assert runners.choose_runner(raw, out) == "processes"
    monkeypatch.setattr(runners, "AUTO_PROCESSES_MIN_NEW", 4)
    assert runners.choose_runner(raw, out) == "threads"


def test_unknown_runner_is_refused():
    with pytest.raises(ValueError, match="unknown runner"):
        runners.build_task_runner("fibers", None, 2)
