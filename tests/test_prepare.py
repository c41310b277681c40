"""Map step 1 over a batch: read, parse, language; rejects and already-known files."""
import shutil

from newsdesk import prepare
from newsdesk.fingerprint import exact_key, sha256_hex
from newsdesk.prepare import prepare_batch


def test_batch_prepares_articles_and_rejects_bad_files(tmp_path, seeds_dir):
    shutil.copy(seeds_dir / "001_6b42fcdb50f9018e.txt", tmp_path / "a.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "only-boilerplate.txt").write_text("Follow us on:\n")
    res = prepare_batch(tmp_path, ["a.txt", "empty.txt", "only-boilerplate.txt", "gone.txt"], {}, 1_000_000)
    assert [p.source_path for p in res.prepared] == ["a.txt"]
    a = res.prepared[0]
    assert a.section == "Defense" and a.language == "en" and a.article_id == exact_key(a.body)
    assert len(a.paragraph_positions) == len(a.paragraphs)
    assert {r.path: r.reason for r in res.rejects} == {"empty.txt": "empty", "gone.txt": "vanished",
                                                       "only-boilerplate.txt": "no_body"}


def test_known_versions_are_skipped(tmp_path, seeds_dir):
    shutil.copy(seeds_dir / "003_5431e87ad5f179b7.txt", tmp_path / "a.txt")
    sha = sha256_hex((tmp_path / "a.txt").read_bytes())
    res = prepare_batch(tmp_path, ["a.txt"], {"a.txt": frozenset({sha})}, 1_000_000)
    assert (res.prepared, res.rejects, res.known) == ([], [], 1)
    res = prepare_batch(tmp_path, ["a.txt"], {"a.txt": frozenset({"an-older-version"})}, 1_000_000)
    assert len(res.prepared) == 1  # changed in place: a new version is processed


def test_a_parser_bug_rejects_the_file_instead_of_failing_the_batch(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Headline\n\nA body paragraph that is long enough to be a body.\n")

    def boom(text):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(prepare, "parse_article", boom)
    res = prepare_batch(tmp_path, ["a.txt"], {}, 1_000_000)
    assert [(r.reason, r.detail) for r in res.rejects] == [("parse_error", "RuntimeError: parser bug")]
