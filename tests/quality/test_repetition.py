"""Tests for newsdesk.quality.repetition and the Gopher n-gram rules (gopher.top_ngram, gopher.dup_ngram)."""
from __future__ import annotations

from tests.quality.helpers import BRIEF, REAL, REAL2, fires, passes


def test_top_ngram() -> None:
    fires("gopher.top_ngram", ["Text text text text text text. Text text text text text."])
    fires("gopher.top_ngram", ["Sample paragraph one. Sample paragraph two. Sample paragraph three. Sample "
                               "paragraph four."])
    # a lead whose headline phrase recurs is news (Gopher's own 0.2 for 2-grams would drop it)
    passes("gopher.top_ngram", ["Hillary Clinton wins Missouri. Hillary Clinton won the Missouri primary on "
                                "Tuesday, and Hillary Clinton's lead grew, the Associated Press said."])


def test_dup_ngram() -> None:
    para = "This is placeholder text for the article body. Replace it with the final copy before publishing."
    assert "repeated 5-grams" in fires("gopher.dup_ngram", [para, para])
    fires("gopher.dup_ngram", [" ".join(["The quick brown fox jumps over the lazy dog."] * 5)])
    passes("gopher.dup_ngram", [REAL, REAL2, BRIEF])


def test_ngram_rules_measure_long_documents_only_when_repetitive() -> None:
    # over max_words (300) a document is measured only when its distinct words are <= 30% of its words
    varied = [" ".join(f"w{i} of the" for i in range(120))]  # 360 words, 34% distinct
    passes("gopher.top_ngram", varied)  # 'of the' holds 55% of the characters, but it is not measured
    fires("gopher.top_ngram", [varied[0][:900]])  # a piece of it under 300 words is
    fires("gopher.top_ngram", [" ".join(["buy cheap flights now"] * 300)])
