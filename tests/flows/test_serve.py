"""Schedules on a real Prefect server: flows/serve.py serves the flow on a short interval, a scheduled run
reaches Completed, the tables appear, and the run summary is published as a markdown artifact. Also checks
that prefect.yaml is a deployment file `prefect deploy` accepts. Every process is always stopped."""
from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from newsdesk.store import Store
from tests.flows.opshelp import ROOT, PrefectServer, base_env, stop, write_corpus

pytestmark = [pytest.mark.slow]

SERVE = ("import sys\n"
         "from newsdesk.flows.serve import serve\n"
         "serve(sys.argv[1], sys.argv[2], interval=float(sys.argv[3]), name='newsdesk-test')\n")
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


def query(api_url: str, home: Path):
    """Read flow runs, artifacts and deployments from the test's server (client settings in a context)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        return asyncio.run(_runs(api_url))


def test_scheduled_run_completes_and_publishes_summary(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_corpus(raw, 6, dup_every=0)
    with PrefectServer(tmp_path / "server", scheduler_loop=2) as srv:
        env = base_env(tmp_path / "home", srv.api_url, PREFECT_RUNNER_POLL_FREQUENCY="2",
                       PREFECT_LOGGING_LEVEL="INFO")
        log = open(tmp_path / "serve.log", "wb")
        proc = subprocess.Popen([sys.executable, "-c", SERVE, str(raw), str(out), "5"], env=env, cwd=ROOT,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + DEADLINE
            done = None
            while time.monotonic() < deadline and done is None:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
                time.sleep(2)
                runs, arts, deps = query(srv.api_url, tmp_path / "home")
                done = next((r for r in runs if r.state and r.state.is_completed()), None)
            assert done is not None, ("no scheduled run completed in time\n"
                                      + (tmp_path / "serve.log").read_text(errors="replace")[-3000:])
        finally:
            stop(proc, grace=15)
            log.close()

        # the run came from the schedule of the served deployment, with the deployment's parameters
        dep = next(d for d in deps if d.name == "newsdesk-test")
        assert done.deployment_id == dep.id
        assert done.parameters["raw"] == str(raw.resolve()) and done.parameters["out"] == str(out.resolve())
        assert dep.schedules and dep.schedules[0].schedule.interval.total_seconds() == 5
        # the tables appeared
        store = Store(out)
        assert store.version() >= 1
        assert store.read("articles").num_rows == 6
        assert (out / "catalog.duckdb").exists()
        # and the run summary was published as a markdown artifact of that flow run
        runs, arts, _ = query(srv.api_url, tmp_path / "home")
        mine = [a for a in arts if a.flow_run_id == done.id]
        assert mine, f"no newsdesk-run-summary artifact for flow run {done.id}: {arts}"
        assert mine[0].type == "markdown" and "6" in str(mine[0].data)


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
