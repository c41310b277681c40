"""Tests for newsdesk.quality.stopwords: spaCy's list of the detected language, by langdetect code."""
from __future__ import annotations

from newsdesk.quality.stats import measure
from newsdesk.quality.stopwords import stop_words
from tests.quality.helpers import GERMAN


def test_stop_words_come_from_the_detected_language() -> None:
    assert "und" in stop_words("de") and "the" in stop_words("en") and "el" in stop_words("es")
    assert stop_words("zh-cn") is not None  # langdetect codes map to spaCy's
    assert stop_words("sw") is None and stop_words("und") is None and stop_words("../x") is None
    # German text has almost no English stop words: with the English list alone it would fail
    en_only = sum(w.lower().strip(".,") in stop_words("en") for w in GERMAN.split())
    assert en_only < measure([GERMAN], "de").stop_words
