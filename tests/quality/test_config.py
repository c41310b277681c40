"""Tests for newsdesk.quality.config: the gate off, rules disabled, thresholds overridden, validation,
pickling and fingerprints.
"""
from __future__ import annotations

import pytest

from newsdesk.quality.config import QualityConfig
from newsdesk.quality.gate import assess
from newsdesk.quality.listing import rule_rows
from newsdesk.quality.rules import STAT_RULES
from tests.quality.helpers import EXAMPLES, lines


def test_keep_low_quality_keeps_everything() -> None:
    cfg = QualityConfig(keep_low_quality=True)
    for _, page in EXAMPLES:
        assert assess(None, lines(page), config=cfg).keep
    assert assess(None, ["More to follow."], config=cfg).keep
    assert rule_rows(cfg) == []


def test_disabling_rules() -> None:
    page = lines(next(e for r, e in EXAMPLES if r == "page.error"))
    assert assess(None, page).rule == "page.error"
    v = assess(None, page, config=QualityConfig(disabled=frozenset({"page.error"})))
    assert v.rule != "page.error"
    v = assess(None, page, config=QualityConfig(disabled=frozenset({"page.*"})))
    assert v.keep or not v.rule.startswith("page.")
    v = assess(None, page, config=QualityConfig(disabled=frozenset({"page.", "gopher.", "sentence_lines"})))
    assert v.keep or not v.rule.startswith(("page.", "gopher."))
    names = {r[0] for r in rule_rows(QualityConfig(disabled=frozenset({"page."})))}
    assert names == set(STAT_RULES)


def test_threshold_override() -> None:
    short = ["Dutch court blocks port expansion over nitrogen emissions, company to appeal."]
    assert not assess(None, short).keep
    assert assess(None, short, config=QualityConfig(thresholds={"gopher.min_words": 5})).keep
    rows = {r[0]: r for r in rule_rows(QualityConfig(thresholds={"gopher.min_words": 5}))}
    assert rows["gopher.min_words"][2] == "5"


def test_config_from_mapping_and_validation() -> None:
    cfg = QualityConfig.from_mapping({"disabled": ["page.comments"], "thresholds": {"gopher.min_words": 10}})
    assert not cfg.is_enabled("page.comments") and cfg.is_enabled("page.error")
    assert QualityConfig.from_mapping({"keep_low_quality": True}).keep_low_quality
    with pytest.raises(ValueError, match="not in the catalog"):
        QualityConfig.from_mapping({"disabled": ["page.nope"]})
    with pytest.raises(ValueError, match="threshold override"):
        QualityConfig.from_mapping({"thresholds": {"page.error": 3}})
    with pytest.raises(ValueError, match="unknown quality setting"):
        QualityConfig.from_mapping({"keep_junk": True})


def test_config_pickles_hashes_and_fingerprints() -> None:
    import pickle
    cfg = QualityConfig(disabled=frozenset({"page.comments"}), thresholds={"gopher.min_words": 10})
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    assert isinstance(hash(cfg), int)  # it rides in a frozen run config
    assert len(cfg.fingerprint()) == 16 and cfg.fingerprint() == pickle.loads(pickle.dumps(cfg)).fingerprint()
    assert cfg.fingerprint() != QualityConfig().fingerprint()
    assert QualityConfig(thresholds={"gopher.min_words": 11}).fingerprint() != QualityConfig(
        thresholds={"gopher.min_words": 10}).fingerprint()
