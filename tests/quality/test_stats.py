"""Tests for newsdesk.quality.stats: what measure counts in other languages and scripts, and that such
articles are kept.
"""
from __future__ import annotations

import pytest

from newsdesk.language import detect_language
from newsdesk.quality.gate import assess
from newsdesk.quality.stats import measure
from tests.quality.helpers import FRENCH, GERMAN, SPANISH


@pytest.mark.parametrize("text,code", [(GERMAN, "de"), (FRENCH, "fr"), (SPANISH, "es")])
def test_non_english_article_is_kept(text: str, code: str) -> None:
    lang, prob = detect_language(text)
    assert lang == code
    assert assess("Titel", [text], lang, prob).keep
    # judged by its own stop words, never by the English list alone
    s = measure([text], lang)
    assert s.stop_words is not None and s.stop_words >= 5


def test_language_without_a_list_skips_the_stop_word_check() -> None:
    swahili = ("Serikali imetangaza mpango mpya wa kuboresha huduma za afya vijijini, ikisema zahanati mia tano "
               "zitajengwa katika kipindi cha miaka mitatu ijayo kwa msaada wa wafadhili.")
    assert measure([swahili], "sw").stop_words is None
    assert assess("Habari", [swahili], "sw", 0.99).keep


def test_text_without_spaces_is_kept() -> None:
    chinese = ("国务院总理周三在北京主持召开常务会议，部署进一步扩大内需、促进消费的政策措施。会议指出，"
               "要加快推进重大项目建设，稳定就业，增加居民收入，推动经济持续回升向好。")
    lang, prob = detect_language(chinese)
    assert lang.startswith("zh")
    s = measure([chinese], lang)
    assert s.no_spaces and s.words >= 15 and s.stop_words is None
    assert assess("新闻", [chinese], lang, prob).keep
