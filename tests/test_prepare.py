"""Map step 1 over a batch: read, parse, language; rejects and already-known files."""
import shutil

from newsdesk import prepare
from newsdesk.fingerprint import exact_key, sha256_hex
from newsdesk.prepare import prepare_batch, read_staged


def test_batch_prepares_articles_and_rejects_bad_files(tmp_path, seeds_dir):
    shutil.copy(seeds_dir / "001_6b42fcdb50f9018e.txt", tmp_path / "a.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "only-boilerplate.txt").write_text("Follow us on:\n")
    stage = tmp_path / "stage"
    res = prepare_batch(tmp_path, ["a.txt", "empty.txt", "only-boilerplate.txt", "gone.txt"], {}, 1_000_000,
                        stage, "000007")
    prepared = read_staged(stage, "000007")
    assert [p.source_path for p in prepared] == ["a.txt"] and (res.part, res.docs) == ("000007", 1)
    a = prepared[0]
    assert a.section == "Defense" and a.language == "en" and a.article_id == exact_key(a.body)
    assert len(a.paragraph_positions) == len(a.paragraphs)
    assert {r.path: r.reason for r in res.rejects} == {"empty.txt": "empty", "gone.txt": "vanished",
                                                       "only-boilerplate.txt": "no_body"}


def test_known_versions_are_skipped(tmp_path, seeds_dir):
    shutil.copy(seeds_dir / "003_5431e87ad5f179b7.txt", tmp_path / "a.txt")
    sha = sha256_hex((tmp_path / "a.txt").read_bytes())
    res = prepare_batch(tmp_path, ["a.txt"], {"a.txt": frozenset({sha})}, 1_000_000)
    assert (res.docs, res.rejects, res.known) == (0, [], 1)
    res = prepare_batch(tmp_path, ["a.txt"], {"a.txt": frozenset({"an-older-version"})}, 1_000_000)
    assert res.docs == 1  # changed in place: a new version is processed


def test_staged_parts_round_trip_and_carry_the_dedup_view(tmp_path, seeds_dir):
    import pyarrow.parquet as pq

    from newsdesk.dedup.minhash import signatures

    for f in sorted(seeds_dir.glob("*.txt"))[:3]:
        shutil.copy(f, tmp_path / f.name)
    names = sorted(f.name for f in tmp_path.glob("*.txt"))
    stage = tmp_path / "stage"
    prepare_batch(tmp_path, names, {}, 1_000_000, stage, "000000")
    docs = read_staged(stage, "000000")
    assert [d.source_path for d in docs] == names
    sig = pq.read_table(stage / "signatures" / "000000.parquet").to_pylist()
    assert [s["source_path"] for s in sig] == names
    for d, s in zip(docs, sig):
        assert (s["article_id"], s["body_len"], s["has_title"]) == (d.article_id, len(d.body), d.title is not None)
        assert s["signature"] == signatures([d.body])[0].astype("<u4").tobytes() and len(s["band_keys"]) == 21
    state = pq.read_table(stage / "file_state" / "000000.parquet").to_pylist()
    assert [(r["source_path"], r["source_sha256"]) for r in state] == [
        (n, sha256_hex((tmp_path / n).read_bytes())) for n in names]
    assert all(r["mtime_ns"] == (tmp_path / r["source_path"]).stat().st_mtime_ns for r in state)


def test_a_parser_bug_rejects_the_file_instead_of_failing_the_batch(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Headline\n\nA body paragraph that is long enough to be a body.\n")

    def boom(text):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(prepare, "parse_article", boom)
    res = prepare_batch(tmp_path, ["a.txt"], {}, 1_000_000)
    assert [(r.reason, r.detail) for r in res.rejects] == [("parse_error", "RuntimeError: parser bug")]
