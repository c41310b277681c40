"""Scale-out: the same flow on a 2-worker Dask LocalCluster (prefect-dask) or a 2-process pool writes
byte-identical tables."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsdesk import schema
from newsdesk.store import Store
from tests.flows.opshelp import write_corpus

pytestmark = [pytest.mark.prefect, pytest.mark.slow]


@pytest.fixture
def api_url_for_workers(prefect_harness):
    """Dask worker processes inherit os.environ, not the harness's in-process settings: point them at the
    harness's server, or each worker would start a temporary server of its own (12-24 s each)."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    assert url, "the test harness should have set PREFECT_API_URL"
    old = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    yield url
    if old is None:
        os.environ.pop("PREFECT_API_URL", None)
    else:
        os.environ["PREFECT_API_URL"] = old


@pytest.mark.parametrize("runner_name", ["dask", "processes"])
def test_scaled_out_tables_identical_to_default_runner(api_url_for_workers, tmp_path, runner_name):
    from newsdesk.flows.curate import curate
    from newsdesk.flows.runners import build_task_runner

    raw = tmp_path / "raw"
    write_corpus(raw, 24)
    (raw / "empty.txt").write_bytes(b"")
    default_out, dask_out = tmp_path / "default", tmp_path / "dask"
    s1 = curate(raw=str(raw), out=str(default_out))
    runner = build_task_runner(runner_name, None, 2)
    # small batches so several prepare tasks really spread over both workers
    s2 = curate.with_options(task_runner=runner)(raw=str(raw), out=str(dask_out), batch_size=8)
    assert s1["committed"] and s2["committed"] and s1["run_id"] == s2["run_id"]

    a, b = Store(default_out), Store(dask_out)
    for name in schema.tables():
        fa, fb = a.files(name), b.files(name)
        assert [f.name for f in fa] == [f.name for f in fb], name
        if name == "runs":  # wall-clock times and the Prefect flow-run id differ by nature
            drop = ["started_at", "finished_at", "seconds", "step_seconds", "flow_run_id"]
            assert a.read(name).drop_columns(drop).equals(b.read(name).drop_columns(drop))
            continue
        for x, y in zip(fa, fb):
            assert Path(x).read_bytes() == Path(y).read_bytes(), f"{name}/{x.name} differs"
