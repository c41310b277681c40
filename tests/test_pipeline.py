"""The pipeline's own bookkeeping: how a step's items are cut into batches (the runs themselves are tested
through the runners: tests/test_local.py, tests/flows/)."""
from newsdesk.pipeline import batches


def test_batches_are_bounded_even_and_keep_every_item_in_order():
    items = list(range(130))
    cut = batches(items, 64)
    assert [len(b) for b in cut] == [44, 43, 43]  # three batches are needed; sizes differ by at most one
    assert [x for b in cut for x in b] == items
    assert batches([], 64, workers=4) == []
    assert batches(items, 1000) == [items]


def test_a_small_run_gives_every_worker_a_batch():
    assert [len(b) for b in batches(list(range(200)), 256, workers=2)] == [100, 100]
    assert [len(b) for b in batches(list(range(3)), 256, workers=8)] == [1, 1, 1]  # never an empty batch
    # a large run is cut by size alone
    assert [len(b) for b in batches(list(range(1000)), 256, workers=2)] == [250, 250, 250, 250]


def test_a_run_config_refuses_an_unknown_way_to_find_changes(tmp_path):
    import pytest

    from newsdesk.pipeline import RunConfig

    assert RunConfig(raw=tmp_path, out=tmp_path / "out", changes="folders").changes == "folders"
    with pytest.raises(ValueError, match="changes must be one of files, folders"):
        RunConfig(raw=tmp_path, out=tmp_path / "out", changes="inodes")
