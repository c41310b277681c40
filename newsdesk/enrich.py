"""Map step 2, over a batch of kept articles: named entities (English only) and direct quotes.

NER runs once per article and serves both the entity step and the quote step's speaker search.
Non-English articles get no NER (the English model would mislabel them): their quotes are still found by
their marks, with speakers only where the quote rules cover the language.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsdesk.entities import ArticleMention, load_nlp, ner_spans, resolve_article
from newsdesk.quotes import extract_quotes

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

    @classmethod
    def merge(cls, parts: Sequence[Enriched]) -> Enriched:
        """One result from the results of several batches (their articles are disjoint)."""
        merged = cls()
        for e in parts:
            merged.mentions.update(e.mentions)
            merged.quotes.update(e.quotes)
            merged.ner_skipped += e.ner_skipped
        return merged


def warm_worker() -> None:
    """Load the NER model when a worker process starts (a process-pool initializer)."""
    load_nlp()


def enrich_batch(articles: Sequence[ArticleText]) -> Enriched:
    result = Enriched()
    english = [a for a in articles if a.language in NER_LANGUAGES]
    if english:
        with _NLP_LOCK:
            spans = ner_spans(load_nlp(), [a.body for a in english])
    else:
        spans = []
    spans_by_id = {a.article_id: s for a, s in zip(english, spans)}
    result.ner_skipped = len(articles) - len(english)
    for a in articles:
        ents = spans_by_id.get(a.article_id, [])
        result.mentions[a.article_id] = resolve_article(a.body, ents) if ents else []
        result.quotes[a.article_id] = [q for q in extract_quotes(a.body, a.language, ents)
                                       if q["kind"] != "term"]
    return result
