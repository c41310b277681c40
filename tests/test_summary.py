"""The run summary (newsdesk/summary.py): true for a run that commits nothing, too."""
from newsdesk.local import curate_local


def test_a_nothing_new_run_reports_the_store_not_a_run_that_did_not_happen(tmp_path, seeds_dir):
    first = curate_local(seeds_dir, tmp_path / "out")
    again = curate_local(seeds_dir, tmp_path / "out")
    assert first.committed and first.run_id and first.version == 1
    assert not again.committed
    assert again.run_id == ""  # nothing was committed: no run id
    assert again.last_run_id == first.run_id
    assert (again.version, again.entities) == (1, first.entities)
    md = again.markdown()
    assert md.splitlines()[0] == f"# newsdesk run: nothing new (store at snapshot 1, last run `{first.run_id}`)"
    assert "| snapshot | 1 |" in md and f"| entities in store | {first.entities} |" in md
    assert first.markdown().splitlines()[0] == f"# newsdesk run `{first.run_id}`: committed snapshot 1"
    assert "nothing new, store at snapshot 1" in again.one_line()
