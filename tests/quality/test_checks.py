"""Tests for newsdesk.quality.checks: each statistic rule fires on what it is for and passes real news."""
from __future__ import annotations

import pytest

from newsdesk.language import detect_language
from newsdesk.quality.config import QualityConfig
from newsdesk.quality.gate import assess
from tests.quality.helpers import BRIEF, FRENCH, REAL, REAL2, SPANISH, fires, only, passes


def test_min_words() -> None:
    assert fires("gopher.min_words", ["More to follow."]) == "3 words of prose (< 15)"
    fires("gopher.min_words", ["a" * 4096])
    passes("gopher.min_words", [REAL])
    v = assess("Breaking", ["More to follow."])
    assert not v.keep and v.reject_detail.startswith(("page.breaking_stub", "gopher.min_words"))


def test_char_run() -> None:
    detail = fires("repetition.char_run", ["Story title here", "x" * 4096])
    assert "4096" in detail
    # a separator line in a real article is a small share of it
    passes("repetition.char_run", [REAL, "=" * 40, REAL2, BRIEF, REAL])


def test_word_run() -> None:
    fires("repetition.word_run", [" ".join(["test"] * 300)])
    fires("repetition.word_run", [REAL, " ".join(["buffalo"] * 200)])
    passes("repetition.word_run", [REAL, '"No, no, no, no," the minister said when asked about the deal.'])


def test_lorem_ipsum() -> None:
    fires("c4.lorem_ipsum", ["Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
                             "incididunt ut labore et dolore magna aliqua."])
    quoting = ("The paper apologised after its front page ran the placeholder text 'lorem ipsum dolor sit amet' "
               "under a photograph of the mayor, an error it blamed on a new layout system.")
    passes("c4.lorem_ipsum", [quoting, REAL, REAL2, BRIEF])


def test_lorem_ipsum_vocabulary_without_the_phrase_and_in_the_title() -> None:
    fires("c4.lorem_ipsum", ["Donec sed odio dui. Cras justo odio, dapibus ac facilisis in, egestas eget quam. "
                             "Vivamus sagittis lacus vel augue laoreet rutrum faucibus dolor auctor."])
    fires("c4.lorem_ipsum", ["Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium "
                             "doloremque laudantium, totam rem aperiam."])
    v = assess("Lorem ipsum", ["Dolor sit amet, consectetur adipiscing elit, and the council met on Tuesday to "
                               "discuss the budget for next year."], config=only("c4.lorem_ipsum"))
    assert not v.keep
    passes("c4.lorem_ipsum", [SPANISH, FRENCH])


@pytest.mark.parametrize("dump", [
    ["date,region,cases,deaths", "2024-06-01,North,124,2", "2024-06-01,South,98,1", "2024-06-02,North,131,1"],
    ['{"status": "ok", "articles": [{"title": "Pact signed", "url": "https://example.com/a/1"}]}'],
    ["<html>", '<head><meta charset="utf-8"><title>Example</title></head>', '<body><div id="root"></div></body>',
     "</html>"],
    ["FTSE 100 8,237.72 +0.41%", "Dow Jones 38,834.86 +0.15%", "Nikkei 225 38,570.76 -0.22%",
     "Gold 2,329.40 -0.08%"],
    ["Arsenal 2-1 Chelsea", "Liverpool 3-0 Everton", "Leeds 1-1 Leicester", "Brighton 0-2 Fulham"],
    ["Team | P | W | D | L | Pts", "Arsenal | 38 | 28 | 5 | 5 | 89", "Liverpool | 38 | 24 | 10 | 4 | 82"],
])
def test_table_lines(dump: list[str]) -> None:
    fires("table_lines", dump)


def test_table_lines_keep_prose_with_a_table() -> None:
    results = ["Arsenal 2-1 Chelsea", "Liverpool 3-0 Everton"]
    passes("table_lines", [REAL, *results, REAL2, BRIEF])
    # a Reuters earnings brief: numbers everywhere, but sentences
    earnings = ("Shr loss 17 cts vs loss 22 cts. Net loss 14.5 mln vs loss 18.0 mln. Revs 27.3 mln vs 23.7 mln. "
                "NOTE: Full name is Atlas Consolidated Mining and Development Corp.")
    assert assess(None, [earnings]).keep


def test_alpha_words() -> None:
    fires("gopher.alpha_words", ["12 34 56 78 90 12.5 33.1 -0.4 +1.2 7 8 9 10 11 hello world 2024"])
    passes("gopher.alpha_words", [REAL])


def test_mean_word_length() -> None:
    assert "outside 3-10" in fires("gopher.mean_word_length", [" ".join(["a b c d e f g h i j"] * 3) + "."])
    fires("gopher.mean_word_length", [" ".join(["internationalisation-counterproductiveness"] * 20) + "."])
    passes("gopher.mean_word_length", [REAL])


def test_symbol_ratio() -> None:
    fires("gopher.symbol_ratio", ["#news #breaking #world #today #live #update #politics #vote some words here "
                                  "and there."])
    passes("gopher.symbol_ratio", [REAL, "The hashtag #MeToo spread quickly.", REAL2])


def test_bullet_lines() -> None:
    fires("gopher.bullet_lines", ["• Home", "• News", "• Sport", "• Weather"])
    passes("gopher.bullet_lines", ["• Only one bulleted paragraph, which is a sentence."])
    passes("gopher.bullet_lines", [REAL, "• First point.", "• Second point.", REAL2])


def test_ellipsis_lines() -> None:
    fires("gopher.ellipsis_lines", ["Residents were evacuated overnight as...", "The plan will add 12 miles...",
                                    "Figures published on Thursday show..."])
    # one truncated paragraph in three is real news (BBC sport/212): kept
    passes("gopher.ellipsis_lines", [REAL, "And then he said...", REAL2])


def test_dup_lines() -> None:
    fires("gopher.dup_lines", ["Reply", "Report", "Reply", "Report", "Reply", "Report"])
    passes("gopher.dup_lines", [REAL, REAL2, BRIEF, REAL2])  # 1 of 4


def test_sentence_lines() -> None:
    menu = ["Home", "World news", "UK politics", "Business and markets", "Science and environment",
            "Sport results", "Weather forecast"]
    assert "0 of 7 lines are sentences" in fires("sentence_lines", menu)
    # a real draw story: many short lines, but the words are in sentences (BBC sport/476: 6% of lines)
    draw = [REAL, BRIEF, REAL2, *[f"Team {c} v Team {d}" for c, d in zip("ABCDEFGH", "IJKLMNOP")], BRIEF]
    passes("sentence_lines", draw)


def test_stop_words() -> None:
    fires("gopher.stop_words", ["Putin Kim Pyongyang Moscow Seoul Tokyo Beijing Washington Paris Berlin "
                                "London Madrid Rome Vienna Warsaw."])
    passes("gopher.stop_words", [REAL])


def test_letter_run_tagged_german_is_rejected() -> None:
    text = "a" * 4096
    lang, prob = detect_language(text)
    v = assess(None, [text], lang, prob)
    assert not v.keep
    assert not assess(None, [text], lang, prob, config=QualityConfig(disabled=frozenset({"gopher.min_words"}))).keep
