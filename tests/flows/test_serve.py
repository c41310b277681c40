"""Schedules on a real Prefect server: `newsdesk serve` serves the flow on a short interval, a scheduled run
reaches Completed, the tables appear, the run summary is published as a markdown artifact and its INFO logs
reach the server; stopping serve (SIGTERM, or an early Ctrl-C) pauses the schedule and leaves no queued run.
Also checks that prefect.yaml is a deployment file `prefect deploy` accepts. Every process is always
stopped."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from newsdesk.store import Store
from tests.flows.opshelp import NEWSDESK, ROOT, PrefectServer, base_env, stop, write_corpus

pytestmark = [pytest.mark.slow]

DEADLINE = 150  # seconds for the whole scheduled round trip


async def _runs(api_url: str):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (ArtifactFilter, ArtifactFilterKey, FlowRunFilter,
                                                FlowRunFilterState, FlowRunFilterStateType)
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import ArtifactSort, DeploymentSort, FlowRunSort

    async with get_client() as client:
        assert client.api_url.host == "127.0.0.1"
        # explicit limit/sort: fastapi 0.151-0.154 servers reject the client's nulls (422)
        # completed runs only: an interval of 5 s fills the first pages with future scheduled runs
        runs = await client.read_flow_runs(
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))),
            limit=100, sort=FlowRunSort.START_TIME_DESC)
        arts = await client.read_artifacts(artifact_filter=ArtifactFilter(
            key=ArtifactFilterKey(any_=["newsdesk-run-summary"])), limit=100, sort=ArtifactSort.ID_DESC)
        deps = await client.read_deployments(limit=100, sort=DeploymentSort.NAME_ASC)
        return runs, arts, deps


async def _scheduled_and_logs(flow_run_id=None):
    """(flow runs still in a Scheduled state, INFO+ log messages of ``flow_run_id``)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType,
                                                LogFilter, LogFilterFlowRunId, LogFilterLevel)
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort, LogSort

    async with get_client() as client:
        scheduled = await client.read_flow_runs(
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))),
            limit=100, sort=FlowRunSort.EXPECTED_START_TIME_ASC)
        logs = []
        if flow_run_id is not None:
            logs = await client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id]),
                                                    level=LogFilterLevel(ge_=20)),
                                          limit=200, sort=LogSort.TIMESTAMP_ASC)
        return scheduled, [log.message for log in logs]


def query(api_url: str, home: Path, what=None, *args):
    """Ask the test's server (client settings in a context): flow runs, artifacts and deployments, or
    ``what(*args)``."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        return asyncio.run(_runs(api_url) if what is None else what(*args))


def start_serve(raw: Path, out: Path, env: dict, log: Path, interval: float) -> subprocess.Popen:
    return subprocess.Popen([NEWSDESK, "serve", "--raw", str(raw), "--out", str(out), "--interval",
                             str(interval), "--name", "newsdesk-test"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=open(log, "wb"), start_new_session=True)


def test_scheduled_run_completes_publishes_summary_and_logs_and_stops_quietly(tmp_path):
    """`newsdesk serve` with the CLI's own defaults: a scheduled run completes, publishes its summary,
    and its INFO logs reach the server (the UI's logs tab); SIGTERM pauses the schedule, deletes the queued
    runs and exits 0 without a word beyond the start line."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 6, dup_every=0)
    with PrefectServer(tmp_path / "server", scheduler_loop=2) as srv:
        env = base_env(tmp_path / "home", srv.api_url, PREFECT_RUNNER_POLL_FREQUENCY="2")
        log = tmp_path / "serve.log"
        proc = start_serve(raw, out, env, log, 5)
        try:
            deadline = time.monotonic() + DEADLINE
            done = None
            while time.monotonic() < deadline and done is None:
                assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
                time.sleep(2)
                runs, arts, deps = query(srv.api_url, tmp_path / "home")
                done = next((r for r in runs if r.state and r.state.is_completed()), None)
            assert done is not None, "no scheduled run completed in time\n" + log.read_text(errors="replace")[-3000:]
            messages: list[str] = []
            while time.monotonic() < deadline and not any("files seen" in m for m in messages):
                time.sleep(1)  # the run's last logs are sent as its process exits
                _, messages = query(srv.api_url, tmp_path / "home", _scheduled_and_logs, done.id)
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        finally:
            stop(proc, grace=15)
        stderr = log.read_text(errors="replace")
        assert proc.returncode == 0, stderr
        assert stderr == (f"newsdesk: serving newsdesk-curate/newsdesk-test (every 5 s) on {srv.api_url}; "
                          "Ctrl-C or SIGTERM pauses the schedule and stops\n")  # no "never awaited", no traceback

        # the run came from the schedule of the served deployment, with the deployment's parameters
        runs, arts, deps = query(srv.api_url, tmp_path / "home")
        dep = next(d for d in deps if d.name == "newsdesk-test")
        assert done.deployment_id == dep.id
        assert done.parameters["raw"] == str(raw.resolve()) and done.parameters["out"] == str(out.resolve())
        assert dep.schedules and dep.schedules[0].schedule.interval.total_seconds() == 5
        assert dep.paused  # stopping paused the schedule ...
        scheduled, _ = query(srv.api_url, tmp_path / "home", _scheduled_and_logs)
        assert scheduled == []  # ... and nothing stays queued
        assert any("files seen" in m for m in messages), messages  # the flow's INFO summary line reached the UI
        # the tables appeared
        store = Store(out)
        assert store.version() >= 1
        assert store.read("articles").num_rows == 6
        assert (out / "catalog.duckdb").exists()
        # and the run summary was published as a markdown artifact of that flow run
        mine = [a for a in arts if a.flow_run_id == done.id]
        assert mine, f"no newsdesk-run-summary artifact for flow run {done.id}: {arts}"
        assert mine[0].type == "markdown" and "6" in str(mine[0].data)


def test_an_early_ctrl_c_still_pauses_the_schedule(tmp_path):
    """Ctrl-C as soon as the deployment exists (before its runner polls): the schedule is paused and the
    runs the server queued for it are gone."""
    raw = tmp_path / "raw"
    write_corpus(raw, 2, dup_every=0)
    with PrefectServer(tmp_path / "server", scheduler_loop=1) as srv:
        env = base_env(tmp_path / "home", srv.api_url)
        log = tmp_path / "serve.log"
        proc = start_serve(raw, tmp_path / "out", env, log, 60)
        try:
            deadline = time.monotonic() + 120
            while True:
                assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
                assert time.monotonic() < deadline, "the deployment never appeared"
                _, _, deps = query(srv.api_url, tmp_path / "home")
                if any(d.name == "newsdesk-test" for d in deps):
                    break
                time.sleep(0.2)
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=60)
        finally:
            stop(proc, grace=15)
        stderr = log.read_text(errors="replace")
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr and "never awaited" not in stderr, stderr
        _, _, deps = query(srv.api_url, tmp_path / "home")
        assert next(d for d in deps if d.name == "newsdesk-test").paused
        time.sleep(3)  # a few scheduler loops: a paused deployment gets no new runs
        scheduled, _ = query(srv.api_url, tmp_path / "home", _scheduled_and_logs)
        assert scheduled == []


def test_serve_refuses_without_a_server(tmp_path, monkeypatch):
    from newsdesk.flows.serve import ServeError, serve

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    (tmp_path / "raw").mkdir()
    with pytest.raises(ServeError, match="real Prefect server"):
        serve(tmp_path / "raw", tmp_path / "out", cron="*/30 * * * *")
    with pytest.raises(ServeError, match="exactly one"):
        serve(tmp_path / "raw", tmp_path / "out")
    with pytest.raises(ServeError, match="exactly one"):
        serve(tmp_path / "raw", tmp_path / "out", cron="* * * * *", interval=60)
    with pytest.raises(ServeError, match="not a valid cron"):
        serve(tmp_path / "raw", tmp_path / "out", cron="every half hour")
    with pytest.raises(ServeError, match="does not exist"):
        serve(tmp_path / "missing", tmp_path / "out", interval=60)


def test_prefect_yaml_is_a_valid_deployment_file():
    """The same model `prefect deploy` parses prefect.yaml with; entrypoint and parameters resolve."""
    from prefect.cli.deploy._models import PrefectYamlModel

    data = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    model = PrefectYamlModel.model_validate(data)
    (dep,) = model.deployments
    assert dep.entrypoint == "flows/curate.py:curate"
    path, func = dep.entrypoint.split(":")
    assert (ROOT / path).exists()
    from newsdesk.flows import curate as mod

    flow = getattr(mod, func)
    import inspect

    assert set(dep.parameters) <= set(inspect.signature(flow.fn).parameters)
    (sched,) = dep.schedules
    assert sched.cron == "*/30 * * * *"
    from prefect.client.schemas.schedules import CronSchedule

    CronSchedule(cron=sched.cron, timezone=sched.timezone)


def test_deployment_parameters_carry_only_the_options_given(tmp_path):
    from newsdesk.flows.serve import deployment_parameters

    params = deployment_parameters(tmp_path / "raw", tmp_path / "out", wait=5, changes="folders")
    assert params == {"raw": str((tmp_path / "raw").resolve()), "out": str((tmp_path / "out").resolve()),
                      "wait": 5.0, "progress": False, "changes": "folders"}
