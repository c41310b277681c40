"""The plan step: dedup over the staged signatures, repeated lines, rejects recorded once, the run id."""
import pyarrow as pa
import pyarrow.parquet as pq

from newsdesk import plan
from newsdesk.boilerplate import line_key
from newsdesk.enrich import strip_repeated
from newsdesk.ingest import Reject
from newsdesk.prepare import prepare_batch, read_staged
from newsdesk.quality import QualityConfig

TOPICS = ["harbor dredging", "school budgets", "ferry fares", "road salt", "library hours"]
FOOTER = "Send your tips to the Harbor Gazette newsroom desk any hour of the day."


def _write(raw, rel, paragraphs):
    p = raw / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(f"A headline for {rel}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return rel


def _staged_run(tmp_path, files_by_batch, stage_name="stage"):
    stage = tmp_path / stage_name
    # the quality gate is not under test here: its verdict on these synthetic bodies (one paragraph repeated
    # with another first word, a one-line story and a call to action) must not decide what the plan sees
    keep = QualityConfig(keep_low_quality=True)
    results = [prepare_batch(tmp_path / "raw", paths, {}, 1_000_000, stage, f"{i:06d}", keep)
               for i, paths in enumerate(files_by_batch)]
    n = sum(len(b) for b in files_by_batch)
    return stage, plan.plan_run(stage, results, [], n, 0, {}, None, 0.8)


def test_run_id_depends_on_the_set_of_new_files_and_the_previous_run():
    a = plan.run_id_for(None, [("x", "1"), ("y", "2")])
    assert a == plan.run_id_for(None, [("y", "2"), ("x", "1")])
    assert a != plan.run_id_for("prev", [("x", "1"), ("y", "2")])
    assert a != plan.run_id_for(None, [("x", "1")])


def test_an_outlets_repeated_footer_is_learned_then_stripped(tmp_path):
    raw = tmp_path / "raw"
    ex = [_write(raw, f"ex/{i}.txt", [f"The council debated {t} late into the night.",
                                      f"Residents asked about {t} again, and officials promised answers.", FOOTER])
          for i, t in enumerate(TOPICS)]
    other = [_write(raw, f"other/{i}.txt", [f"Another outlet's story about {t}.", FOOTER])
             for i, t in enumerate(TOPICS[:2])]
    stage, p = _staged_run(tmp_path, [ex[:3], ex[3:] + other])
    assert p.repeated == {("ex", line_key(FOOTER))}  # 2 articles of 'other' are not enough
    assert p.articles == 7 and p.duplicates.num_rows == 0 and p.files_new == 7
    for d in read_staged(stage, "000000") + read_staged(stage, "000001"):
        got = strip_repeated(d, p.repeated)
        if d.outlet == "ex":
            assert FOOTER not in got.paragraphs and got.paragraph_positions == d.paragraph_positions[:2]
            assert [(r.text, r.position, r.rule) for r in got.removed] == [
                (FOOTER, d.paragraph_positions[2], "repeated_line")]
            assert got.article_id == d.article_id  # ids never depend on the rest of the corpus
        else:
            assert got == d


def test_exact_and_near_copies_are_planned_as_duplicates_whatever_the_batches(tmp_path):
    raw = tmp_path / "raw"
    body = [f"Paragraph {w} of a story on the harbor, with enough words to shingle well enough." for w in
            ("one", "two", "three", "four", "five", "six")]
    a = _write(raw, "a/1.txt", body)
    b = _write(raw, "b/1.txt", body)  # exact copy
    c = _write(raw, "c/1.txt", body[:-1] + ["Paragraph six of a story on the harbor, with enough words to shingle."])
    d = _write(raw, "d/1.txt", ["Something else entirely, about trains and timetables in the valley, where "
                                "commuters said on Monday that the new schedule had cut their journeys by ten minutes."])
    stage, p = _staged_run(tmp_path, [[a, b], [c, d]])
    _, q = _staged_run(tmp_path, [[d], [c, b, a]], "other-stage")
    same = ["source_path", "source_sha256", "article_id"]  # which staged part a doc sits in differs
    assert p.kept.select(same).equals(q.kept.select(same)) and p.duplicates.equals(q.duplicates)
    assert p.run_id == q.run_id
    dups = {r["source_path"]: (r["duplicate_of"], r["method"]) for r in p.duplicates.to_pylist()}
    kept = set(p.kept.column("source_path").to_pylist())
    assert len(kept) == 2 and "d/1.txt" in kept and set(dups) | kept == {a, b, c, d}
    assert {m for _, m in dups.values()} == {"exact", "near"}
    outcomes = {r["source_path"]: r["outcome"] for r in p.files_rows.to_pylist()}
    assert outcomes == {**{k: "article" for k in kept}, **{k: "duplicate" for k in dups}}


def test_a_file_that_keeps_failing_is_recorded_once(tmp_path):
    files = tmp_path / "files.parquet"
    pq.write_table(pa.table({"source_path": ["bad.bin", "gone.txt"], "source_sha256": ["s1", None]}), files)
    rejects = [Reject("bad.bin", "s1", 3, "binary", "NUL"), Reject("gone.txt", None, None, "vanished", "x"),
               Reject("new.bin", "s2", 3, "binary", "NUL"), Reject("bad.bin", "s3", 3, "binary", "changed")]
    con = plan._connect(tmp_path)
    got = plan._new_rejects(con, rejects, [files])
    assert [(r.path, r.sha256) for r in got] == [("bad.bin", "s3"), ("new.bin", "s2")]
