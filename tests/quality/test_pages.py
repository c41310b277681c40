"""Tests for newsdesk.quality.pages: the page-type catalog (must catch / must keep), dominance, the tail of a
page."""
from __future__ import annotations

import pytest

from newsdesk.parse import parse_article
from newsdesk.quality.gate import assess
from newsdesk.quality.verdict import REJECT_REASON
from tests.quality.helpers import (
    BRIEF, BRIEF_TITLE, CATALOG, COUNTER, EXAMPLES, FRENCH_EN, GERMAN_EN, REAL, REAL2, lines, only,
)


@pytest.mark.parametrize("rule,page", EXAMPLES, ids=[f"{n}:{t[:30]}" for n, t in EXAMPLES])
def test_catalog_example_is_caught_by_its_rule(rule: str, page: str) -> None:
    v = assess(None, lines(page))
    assert (v.keep, v.rule) == (False, rule), v
    assert v.reason == REJECT_REASON and v.reject_detail.startswith(f"{rule}: ")
    # ... also through the real parser (the first line may become the title)
    parsed = parse_article(page)
    if parsed.paragraphs:
        assert not assess(parsed.title, parsed.paragraphs, subtitle=parsed.subtitle, removed=parsed.removed).keep


@pytest.mark.parametrize("rule,text", COUNTER, ids=[f"{n}:{t[:30]}" for n, t in COUNTER])
def test_catalog_counter_example_never_matches(rule: str, text: str) -> None:
    page_rule = next(p for p in CATALOG.pages if p.name == rule)
    assert not page_rule.line_hits(text), "a real news sentence must not count as page furniture"
    assert not page_rule.line_weak(text)
    # a short brief built around it is kept, wherever the sentence sits, as its own paragraph or inside one
    for title, paras in ((BRIEF_TITLE, [text, REAL]), (BRIEF_TITLE, [REAL, text, REAL2]), (None, [text, REAL2]),
                         (BRIEF_TITLE, [f"{REAL2} {text}", REAL])):
        v = assess(title, paras)
        assert v.keep, (paras, v)


def test_every_page_rule_needs_dominance() -> None:
    """A page-type line inside a real article never rejects it: the article is long or the line is a minority."""
    for p in CATALOG.pages:
        for e in p.examples:
            article = [REAL, REAL2, *lines(e)[:2], BRIEF, GERMAN_EN, FRENCH_EN]
            v = assess(BRIEF_TITLE, article)
            assert v.keep, (p.name, v)


def test_teaser_followed_by_a_paywall_is_a_paywall() -> None:
    teaser = [BRIEF, REAL, REAL2, GERMAN_EN, FRENCH_EN]
    wall = "This article is available to subscribers. Subscribe for full access to our journalism."
    v = assess(BRIEF_TITLE, [*teaser, wall], config=only("page.paywall"))
    assert not v.keep and "ends in 2 specific lines" in v.detail
    # the same phrases inside the story are not its end: kept
    assert assess(BRIEF_TITLE, [wall, *teaser], config=only("page.paywall")).keep
    assert assess(BRIEF_TITLE, teaser + ["Readers who hit the 'subscribe to continue reading' prompt were "
                                         "offered a discount, the paper said."]).keep


def test_a_fact_then_more_to_follow_is_a_stub_but_a_brief_that_will_be_updated_is_news() -> None:
    flash = ["The former president of the central bank has died at the age of 81, his family said on Wednesday.",
             "More to follow."]
    v = assess("Former central bank chief dies", flash)
    assert (v.keep, v.rule) == (False, "page.breaking_stub")
    # a full wire brief (35+ words) that ends in a marker stays: the tail only judges stubs of <= 30 words
    assert assess(BRIEF_TITLE, [BRIEF, "This story will be updated."]).keep
    assert assess(BRIEF_TITLE, [BRIEF, "More to follow."]).keep
