"""The enrich step, over a batch of kept articles: named entities (English only) and direct quotes.

NER runs once per article and serves both the entity step and the quote step's speaker search; the
dependency parse runs on the paragraphs the quote step asks for (:func:`newsdesk.quotes.wants_parse`: a quote
mark or an introducing colon) and serves its attribution; ``NEWSDESK_PARSE=0`` turns the parse off (NER only,
quotes by the surface rules: the speed of the pipeline before the parser).
Non-English articles get no NER (the English model would mislabel them): their quotes are still found by
their marks, with speakers only where the quote rules cover the language. An article whose entity or quote
extraction raises is kept without mentions and quotes, and the error is counted and reported by the run
summary (``errors``), never swallowed.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsdesk.entities import ArticleMention, load_nlp, resolve_article
from newsdesk.entities.ner import analyse
from newsdesk.quotes import extract_quotes, wants_parse

NER_LANGUAGES = frozenset({"en"})
_NLP_LOCK = threading.Lock()  # one spaCy pipeline per process; spaCy does not promise thread safety


@dataclass(frozen=True, slots=True)
class ArticleText:
    article_id: str
    body: str
    language: str


@dataclass
class Enriched:
    mentions: dict[str, list[ArticleMention]] = field(default_factory=dict)  # article_id -> mentions
    quotes: dict[str, list[dict]] = field(default_factory=dict)  # article_id -> quote rows (no ids yet)
    ner_skipped: int = 0  # articles not in an NER language
    errors: dict[str, str] = field(default_factory=dict)  # article_id -> "step: ExceptionType: message"

    @classmethod
    def merge(cls, parts: Sequence[Enriched]) -> Enriched:
        """One result from the results of several batches (their articles are disjoint)."""
        merged = cls()
        for e in parts:
            merged.mentions.update(e.mentions)
            merged.quotes.update(e.quotes)
            merged.ner_skipped += e.ner_skipped
            merged.errors.update(e.errors)
        return merged


def nlp():
    """The spaCy pipeline of the enrich step: NER and the dependency parse (cached per process)."""
    return load_nlp(parser=True)


def warm_worker() -> None:
    """Load the model when a worker process starts (a process-pool initializer)."""
    nlp()


def _error(step: str, exc: Exception) -> str:
    return f"{step}: {type(exc).__name__}: {exc}"


def enrich_batch(articles: Sequence[ArticleText]) -> Enriched:
    result = Enriched()
    english = [a for a in articles if a.language in NER_LANGUAGES]
    if english:
        parse_if = None if os.environ.get("NEWSDESK_PARSE", "1") == "0" else wants_parse
        with _NLP_LOCK:
            analysed = analyse(nlp(), [a.body for a in english], parse_if)
    else:
        analysed = []
    by_id = {a.article_id: r for a, r in zip(english, analysed)}
    result.ner_skipped = len(articles) - len(english)
    for a in articles:
        ents, parse = by_id.get(a.article_id, ([], []))
        try:
            mentions = resolve_article(a.body, ents) if ents else []
            quotes = extract_quotes(a.body, a.language, ents, parse)
        except Exception as exc:  # one article's bug must not lose the batch: count it, keep the article
            result.errors[a.article_id] = _error("entities+quotes", exc)
            mentions, quotes = [], []
        result.mentions[a.article_id] = mentions
        result.quotes[a.article_id] = quotes
    return result
