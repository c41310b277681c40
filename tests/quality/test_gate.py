"""Tests for newsdesk.quality.gate: assess keeps real briefs, is pure, and works through the prepare step."""
from __future__ import annotations

import pytest

from newsdesk.ingest import Decoded, Reject
from newsdesk.language import detect_language
from newsdesk.parse import parse_article
from newsdesk.prepare import prepare_file
from newsdesk.quality.gate import assess, assess_prepared
from tests.quality.helpers import BRIEF, BRIEF_TITLE, REAL, REAL2, prepared


def test_short_wire_brief_is_kept() -> None:
    assert 35 <= len(BRIEF.split()) <= 45
    assert assess(BRIEF_TITLE, [BRIEF]).keep
    assert assess(None, [BRIEF]).keep
    parsed = parse_article(f"{BRIEF_TITLE}\n\n{BRIEF}\n")
    lang, prob = detect_language(parsed.body)
    assert assess(parsed.title, parsed.paragraphs, lang, prob).keep


def test_one_sentence_wire_item_is_kept() -> None:
    # an 18-word wire item (the shortest real Reuters item measured) ending without punctuation
    item = "Harbor Savings Bank said it has opened a branch office in Dover, its ninth in the state. Reuter"
    assert assess(None, [item]).keep


def test_empty_body_is_min_words() -> None:
    assert assess("Title", []).rule == "gopher.min_words"
    assert assess("Title", ["", "   "]).rule == "gopher.min_words"


def test_assess_is_deterministic_and_pure() -> None:
    paras = [REAL, REAL2, BRIEF]
    before = list(paras)
    assert assess(BRIEF_TITLE, paras) == assess(BRIEF_TITLE, paras)
    assert paras == before


def test_prepare_file_applies_the_gate():
    page = "Breaking\n\nMore to follow.\n"
    got = prepare_file(Decoded("x/a.txt", "0" * 64, len(page), page, "utf-8"))
    assert isinstance(got, Reject) and got.reason == "not_article" and got.detail.startswith("page.")


@pytest.mark.parametrize("page,rule", [
    ("404 Not Found\n\nThe requested URL /news/kim-putin.html was not found on this server.\n\n"
     "Apache/2.4.52 (Ubuntu) Server at www.example.com Port 443\n", "page.error"),
    ("Putin and Kim sign pact\n\nThe two leaders met in Pyongyang on Wednesday.\n\nSubscribe to continue "
     "reading.\n\nAlready a subscriber? Log in\n", "page.paywall"),
    ("Home | News | Sport | Business | Culture | Travel | Weather | Video | Live | Sounds\n", "page.navigation"),
    ("Breaking\n\nMore to follow.\n", "page.breaking_stub"),
])
def test_issue_examples_through_prepare(page: str, rule: str) -> None:
    """The pages of issue 14, through the real parse + boilerplate + langdetect step."""
    v = assess_prepared(prepared(page))
    assert not v.keep and v.reason == "not_article"
    assert v.rule in (rule, "gopher.min_words"), v


def test_brief_through_prepare() -> None:
    p = prepared(f"{BRIEF_TITLE}\n\n{BRIEF}\n")
    assert p.language == "en" and assess_prepared(p).keep
