"""Tests for newsdesk.quality.listing: the rules and thresholds the dataset card lists."""
from __future__ import annotations

from newsdesk.quality.listing import rule_rows
from tests.quality.helpers import CATALOG


def test_rule_rows_for_the_dataset_card() -> None:
    rows = rule_rows()
    assert [r[0] for r in rows] == [p.name for p in CATALOG.pages] + [s.name for s in CATALOG.stats]
    assert all(len(r) == 4 and all(isinstance(x, str) and x for x in r) for r in rows)
    row = {r[0]: r for r in rows}
    assert row["gopher.mean_word_length"][2] == "3-10"
    assert row["page.error"][2].startswith("<= ")


def test_rule_rows_show_pair_thresholds_and_reporting_caps() -> None:
    row = {r[0]: r for r in rule_rows()}
    assert row["gopher.top_ngram"][2] == "2-grams 0.4, 3-grams 0.36, 4-grams 0.32"
    assert row["prose.furniture"][2] == "0.5 (and reporting <= 0.35)"
