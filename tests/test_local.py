"""The Prefect-free runner writes a valid store and is incremental like the flow."""
import shutil

from newsdesk.local import curate_local
from newsdesk.store import Store
from newsdesk.validate import check_snapshot


def test_curate_local_on_the_seeds_then_noop(tmp_path, seeds_dir):
    raw = tmp_path / "raw"
    shutil.copytree(seeds_dir, raw)
    summary, stages = curate_local(raw, tmp_path / "out")
    assert summary.committed and (summary.articles, summary.duplicates, summary.rejects) == (5, 0, 0)
    assert set(stages) == {"prepare", "plan", "enrich", "finish_commit"}
    assert check_snapshot(Store(tmp_path / "out").snapshot_dir()) == []
    again, _ = curate_local(raw, tmp_path / "out")
    assert not again.committed and again.files_known == 5
    assert Store(tmp_path / "out").version() == 1
