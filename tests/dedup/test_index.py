"""newsdesk.dedup.index: the dedup_index rows across runs."""
from __future__ import annotations

import pyarrow as pa
import pytest

from newsdesk.dedup import INDEX_SCHEMA, deduplicate
from newsdesk.fingerprint import exact_key
from tests.dedup.helpers import doc, dup_map, prose, seed_docs


def test_cross_run_index():
    story = prose(600, 71)
    run1 = deduplicate([doc("day1/story.txt", story, title=False), *seed_docs()], None)
    assert run1.index_rows.schema.equals(INDEX_SCHEMA)
    assert run1.index_rows.num_rows == 6
    assert run1.index_rows.column("article_id").to_pylist() == sorted(d.article_id for d in run1.kept)
    index = run1.index_rows
    # run 2: an exact copy, a near copy that is longer and has a title (would win within one run),
    # and a new article
    near = story + "\n\n" + prose(40, 72)
    fresh = prose(500, 73)
    run2 = deduplicate([doc("day2/copy.txt", story), doc("day2/longer.txt", near, title=True),
                        doc("day2/fresh.txt", fresh)], index)
    dm = dup_map(run2)
    old_id = exact_key(story)
    assert dm["day2/copy.txt"] == (old_id, "exact")
    assert dm["day2/longer.txt"] == (old_id, "near")  # the indexed article is never replaced
    assert [d.source_path for d in run2.kept] == ["day2/fresh.txt"]
    assert run2.index_rows.num_rows == 1
    # re-running run 2 against the grown index drops everything
    index2 = pa.concat_tables([index, run2.index_rows])
    run3 = deduplicate([doc("day2/fresh.txt", fresh)], index2)
    assert run3.kept == [] and dup_map(run3)["day2/fresh.txt"] == (exact_key(fresh), "exact")


def test_index_signed_differently_is_refused():
    r = deduplicate([doc("a.txt", prose(100, 81))], None)
    bad = r.index_rows.set_column(5, "minhash", pa.array(["other-scheme"], pa.string()))
    with pytest.raises(ValueError, match="signed"):
        deduplicate([doc("b.txt", prose(100, 82))], bad)


def test_empty_index_table_is_like_none():
    d = [doc("a.txt", prose(100, 91))]
    assert deduplicate(d, INDEX_SCHEMA.empty_table()).kept == deduplicate(d, None).kept
