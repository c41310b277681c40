"""Fixtures of the entity tests: the model once per session, the five seeds through NER and resolution once."""
from __future__ import annotations

import pytest

from newsdesk.entities import load_nlp, ner_spans, resolve_article, resolve_corpus
from tests.entities.helpers import GOLD, seed_body


@pytest.fixture(scope="session")
def nlp():
    return load_nlp()


@pytest.fixture(scope="session")
def seeds(nlp):
    bodies = {g["file"]: seed_body(g) for g in GOLD["articles"]}
    spans = dict(zip(bodies, ner_spans(nlp, list(bodies.values()))))
    mentions = {f: resolve_article(bodies[f], spans[f]) for f in bodies}
    entities, rows = resolve_corpus(sorted(mentions.items()))
    return bodies, spans, mentions, entities, rows
