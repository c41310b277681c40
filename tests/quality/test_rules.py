"""Tests for newsdesk.quality.rules: the catalog loads, is cached and validated; a custom catalog replaces it."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.quality.config import QualityConfig
from newsdesk.quality.gate import assess
from newsdesk.quality.listing import rule_rows
from newsdesk.quality.rules import STAT_RULES, load_quality_rules
from tests.quality.helpers import CATALOG


def test_catalog_loads_and_is_cached() -> None:
    assert load_quality_rules() is CATALOG
    assert {p.name for p in CATALOG.pages} >= {
        "page.error", "page.paywall", "page.cookie_wall", "page.login", "page.enable_js", "page.navigation",
        "page.index", "page.video", "page.gallery", "page.podcast", "page.live", "page.newsletter",
        "page.comments", "page.breaking_stub"}
    assert [s.name for s in CATALOG.stats] == [n for n in STAT_RULES if n in CATALOG.stat_by_name]
    assert set(STAT_RULES) == set(CATALOG.stat_by_name), "every statistic in the code has a catalog entry"
    for p in CATALOG.pages:
        assert p.examples and p.counter_examples, p.name
        assert 0 < p.min_share <= 1 and p.max_words > 0 and p.max_line_words > 0
    for st in CATALOG.stats:
        assert st.source, f"{st.name}: cite where the threshold comes from"


@pytest.mark.parametrize("bad,msg", [
    ('[[pages]]\nname="page.x"\nkind="k"\npatterns=["("]\nmax_words=3\n', "bad pattern"),
    ('[[pages]]\nname="x"\nkind="k"\npatterns=["a"]\nmax_words=3\n', "page.<x>"),
    ('[[pages]]\nname="page.x"\nkind="k"\npatterns=["a"]\n', "max_words"),
    ('[[stats]]\nname="gopher.nope"\nkind="k"\nthreshold=1\n', "unknown statistic"),
    ('[[stats]]\nname="gopher.min_words"\nkind="k"\nthreshold=1\n[[stats]]\nname="gopher.min_words"\nkind="k"\n'
     'threshold=2\n', "unique"),
])
def test_bad_catalog_is_rejected(tmp_path: Path, bad: str, msg: str) -> None:
    p = tmp_path / "q.toml"
    p.write_text(bad)
    with pytest.raises(ValueError, match=msg):
        load_quality_rules(p)


def test_custom_catalog(tmp_path: Path) -> None:
    p = tmp_path / "q.toml"
    p.write_text('[[pages]]\nname = "page.promo"\nkind = "promo page"\npatterns = ["buy now"]\nmax_words = 50\n'
                 'min_share = 0.5\n[[stats]]\nname = "gopher.min_words"\nkind = "too short"\nthreshold = 3\n')
    cfg = QualityConfig(rules_path=str(p))
    v = assess(None, ["Buy now", "Only today"], config=cfg)
    assert (v.keep, v.rule) == (False, "page.promo")
    assert assess(None, ["404 Not Found"], config=cfg).keep  # the default catalog is not in play
    assert [r[0] for r in rule_rows(cfg)] == ["page.promo", "gopher.min_words"]
