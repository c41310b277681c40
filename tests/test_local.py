"""The in-process runner: the pipeline's steps in this process, a valid store, incremental like the flow."""
import shutil

from newsdesk.local import curate_local
from newsdesk.pipeline import STEPS
from newsdesk.store import Store
from newsdesk.validate import check_snapshot


def test_curate_local_on_the_seeds_then_noop(tmp_path, seeds_dir):
    raw = tmp_path / "raw"
    shutil.copytree(seeds_dir, raw)
    summary = curate_local(raw, tmp_path / "out")
    assert summary.committed and (summary.articles, summary.duplicates, summary.rejects) == (5, 0, 0)
    assert list(summary.step_seconds) == [s.name for s in STEPS]  # every step ran, in the declared order
    assert summary.version == 1 and summary.entities > 0
    assert check_snapshot(Store(tmp_path / "out").snapshot_dir()) == []
    again = curate_local(raw, tmp_path / "out")
    assert not again.committed and again.files_known == 5 and again.files_new == 0
    assert list(again.step_seconds) == ["discover", "prepare", "plan"]  # nothing new: stops after the plan
    # a nothing-new run reports the store as it is, not zeros
    assert (again.version, again.entities) == (1, summary.entities)
    assert Store(tmp_path / "out").version() == 1


def test_an_extraction_error_is_counted_in_the_summary_and_the_runs_row(tmp_path, seeds_dir, monkeypatch):
    import newsdesk.enrich as enrich

    def broken(body, language, ents=(), parse=()):
        raise RuntimeError("quote rules fell over")

    monkeypatch.setattr(enrich, "extract_quotes", broken)
    summary = curate_local(seeds_dir, tmp_path / "out")
    assert summary.committed and summary.articles == 5 and summary.quotes == 0
    assert summary.enrich_errors == 5 and len(summary.errors) == 5
    assert set(summary.errors.values()) == {"entities+quotes: RuntimeError: quote rules fell over"}
    assert "5 articles with extraction errors" in summary.one_line()
    assert Store(tmp_path / "out").read("runs").column("enrich_errors").to_pylist() == [5]
