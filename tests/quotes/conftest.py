"""Fixtures of the quote tests: the spaCy model, and extract_quotes over NER spans computed as the pipeline does."""
from __future__ import annotations

import pytest

from newsdesk.quotes import extract_quotes
from newsdesk.quotes.evaluate import analysed
from newsdesk.quotes.evaluate import nlp as _nlp


@pytest.fixture(scope="session")
def nlp():
    """The spaCy model, loaded once per test session."""
    return _nlp()


@pytest.fixture(scope="session")
def run(nlp):
    """extract_quotes with NER entities and the parse computed the way the enrich step does, cached."""
    cache = {}

    def _run(body: str, language: str = "en"):
        key = (body, language)
        if key not in cache:
            cache[key] = extract_quotes(body, language, *analysed(body, language))
        return cache[key]

    return _run
