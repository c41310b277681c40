"""Tests for newsdesk.quality.verdict: a verdict's fields and the rejects row they become."""
from __future__ import annotations

from newsdesk.quality.gate import assess
from tests.quality.helpers import BRIEF, BRIEF_TITLE


def test_verdict_fields() -> None:
    v = assess(None, ["Too short to be news."])
    assert (v.keep, v.reason, v.rule, v.kind) == (False, "not_article", "gopher.min_words", "too short")
    assert v.reject_detail == "gopher.min_words: 5 words of prose (< 15)"
    k = assess(BRIEF_TITLE, [BRIEF])
    assert (k.keep, k.reason, k.reject_detail) == (True, None, None)
